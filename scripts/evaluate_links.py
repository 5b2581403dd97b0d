"""Print the linker's precision and recall against tests/data/followups.toml.

Usage: ``python scripts/evaluate_links.py [--all] [--no-model]`` (``--all``
lists every predicted link with its score, to see what the linker invents or
misses; ``--no-model`` uses rule-based entities only).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").lower().split())


def main() -> int:
    from kg.extractor import load_vocab_graph, make_extractor
    from kg.ingest import read_corpus
    from kg.link import link_corpus, load_topics
    from kg.records import SourceDocument

    extractor = make_extractor(model=None if "--no-model" in sys.argv else "auto")
    extractions = [extractor(d) for d in read_corpus(ROOT / "corpus") if isinstance(d, SourceDocument)]
    by_id = {e.structured.document.doc_id: e for e in extractions}
    links = link_corpus(extractions, load_topics(load_vocab_graph()), extractor.resolve_force)

    def heading(doc: str, index: int) -> str:
        return norm(by_id[doc].statements[index].heading.quote)

    gold = tomllib.loads((ROOT / "tests" / "data" / "followups.toml").read_text(encoding="utf-8"))["link"]
    predicted = [(k, heading(k.earlier.doc_id, k.earlier.index), heading(k.later.doc_id, k.later.index)) for k in links]

    def matches(g: dict, p: tuple) -> bool:  # type: ignore[type-arg]
        k, eh, lh = p
        return (
            k.earlier.doc_id == g["earlier"][0]
            and k.later.doc_id == g["later"][0]
            and eh.startswith(norm(g["earlier"][1]))
            and lh.startswith(norm(g["later"][1]))
            and k.relation == g["relation"]
        )

    found = [g for g in gold if any(matches(g, p) for p in predicted)]
    correct = [p for p in predicted if any(matches(g, p) for g in gold)]
    status_ok = sum(
        1
        for g in gold
        for p in predicted
        if matches(g, p)
        and p[0].status.replace("-", " ") in {g["status"], g["status"].replace("still an area", "still area")}
    )
    precision = len(correct) / len(predicted) if predicted else 0.0
    recall = len(found) / len(gold) if gold else 0.0
    print(f"links predicted {len(predicted)}, gold {len(gold)}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  status agrees on {status_ok} of {len(found)} found")
    for g in gold:
        if g not in found:
            print(f"  MISSED   {g['earlier'][1][:60]!r} -> {g['later'][1][:60]!r}")
    for p in predicted:
        if p not in correct or "--all" in sys.argv:
            tag = "OK      " if p in correct else "INVENTED"
            print(f"  {tag} [{p[0].confidence:.2f} {p[0].status}] {p[1][:55]!r} -> {p[2][:55]!r}  ({p[0].signals})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
