"""Measure the linker against a hand-made list of the links a careful reader finds.

The list (TOML, ``[[link]]`` entries: ``earlier`` and ``later`` as
``[publication id, opening words of the statement]``, ``relation``,
``status`` in the words of the status's label, ``reason``) is written from
reading the publications before the linker is tuned on them. A reader names
a statement by the words that open it; extraction may cut the reader's
paragraph into sentences, so a link to any statement that opens in the same
paragraph as the one the reader named counts as the reader's link.

Only the links the linker keeps count; candidates it marks for review are
reported apart, as a reader would see them.

Run ``python -m kg.evaluate.links CORPUS LIST [CORPUS LIST ...]`` to print the
table; the test suite runs it on the shipped corpus and the trail fixtures.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.records import Extraction, FollowUpLink, StatementRef

#: The status labels of the list, by status concept local name (``ontology/vocab/statuses.ttl``).
STATUS_LABELS = {
    "addressed": "addressed",
    "progress-reported": "progress reported",
    "still-area-for-improvement": "still an area for improvement",
    "cause-of-concern": "cause of concern",
    "deteriorated": "deteriorated",
    "sustained-strength": "sustained strength",
    "superseded": "superseded",
    "restated": "restated",
    "no-later-evidence": "no later evidence",
}


def norm(text: str) -> str:
    """Quotes, case and white space normalised, for matching a reader's opening words."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").lower().split())


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The linker's links against a reader's list."""

    gold: list[dict[str, Any]]
    links: list[FollowUpLink]
    review: list[FollowUpLink]
    found: list[dict[str, Any]]
    correct: list[FollowUpLink]
    status_agrees: list[dict[str, Any]]
    #: The reader's links found among the kept links and the candidates kept for review together.
    found_with_review: list[dict[str, Any]]

    @property
    def precision(self) -> float:
        return len(self.correct) / len(self.links) if self.links else 1.0

    @property
    def recall(self) -> float:
        return len(self.found) / len(self.gold) if self.gold else 1.0

    def missed(self) -> list[dict[str, Any]]:
        return [g for g in self.gold if g not in self.found]

    def invented(self) -> list[FollowUpLink]:
        return [k for k in self.links if k not in self.correct]


def _paragraph(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, offset)
    end = text.find("\n\n", offset)
    return (0 if start == -1 else start, len(text) if end == -1 else end)


def evaluate(extractions: Sequence[Extraction], links: Sequence[FollowUpLink], gold_path: Path) -> Evaluation:
    """Match the links to the reader's list (``gold_path``)."""
    gold: list[dict[str, Any]] = tomllib.loads(gold_path.read_text(encoding="utf-8"))["link"]
    by_id = {e.structured.document.doc_id: e for e in extractions}

    def named(doc: str, words: str) -> list[tuple[int, int]]:
        ex = by_id.get(doc)
        if ex is None:
            return []
        text = ex.structured.document.text
        return [
            _paragraph(text, s.heading.start) for s in ex.statements if norm(s.heading.quote).startswith(norm(words))
        ]

    places = {id(g): (named(*g["earlier"]), named(*g["later"])) for g in gold}

    def at(ref: StatementRef, paragraphs: list[tuple[int, int]]) -> bool:
        start = by_id[ref.doc_id].statements[ref.index].heading.start
        return any(a <= start < b for a, b in paragraphs)

    def match(g: dict[str, Any], k: FollowUpLink) -> bool:
        earlier, later = places[id(g)]
        return (
            k.relation == g["relation"]
            and (k.earlier.doc_id, k.later.doc_id) == (g["earlier"][0], g["later"][0])
            and at(k.earlier, earlier)
            and at(k.later, later)
        )

    kept = [k for k in links if not k.review]
    found = [g for g in gold if any(match(g, k) for k in kept)]
    correct = [k for k in kept if any(match(g, k) for g in gold)]
    agrees = [g for g in found if any(match(g, k) and STATUS_LABELS.get(k.status) == g["status"] for k in kept)]
    with_review = [g for g in gold if any(match(g, k) for k in links)]
    return Evaluation(gold, kept, [k for k in links if k.review], found, correct, agrees, with_review)


def describe(k: FollowUpLink, extractions: Sequence[Extraction]) -> str:
    """A link in a line: its two statements' opening words, relation and status."""
    by_id = {e.structured.document.doc_id: e for e in extractions}
    a = by_id[k.earlier.doc_id].statements[k.earlier.index].heading.quote[:60]
    b = by_id[k.later.doc_id].statements[k.later.index].heading.quote[:60]
    ends = f"{k.earlier.doc_id} \u201c{a}\u201d -> {k.later.doc_id} \u201c{b}\u201d"
    return f"{k.relation} {k.status} {k.confidence:.2f}: {ends}"


def report(name: str, ev: Evaluation, extractions: Sequence[Extraction]) -> str:
    """The measurement as text: counts, precision, recall, then each link missed or invented."""
    lines = [
        f"{name}: reader's links {len(ev.gold)}, linker's links {len(ev.links)} (+{len(ev.review)} for review), "
        f"right {len(ev.correct)}, found {len(ev.found)}, status agrees {len(ev.status_agrees)}/{len(ev.found)}; "
        f"precision {ev.precision:.3f}, recall {ev.recall:.3f}; "
        f"recall counting review candidates {len(ev.found_with_review) / len(ev.gold) if ev.gold else 1.0:.3f}"
    ]
    lines += [f"  missed: {g['relation']} {g['earlier'][1][:50]!r} -> {g['later'][1][:50]!r}" for g in ev.missed()]
    lines += [f"  invented: {describe(k, extractions)}" for k in ev.invented()]
    return "\n".join(lines)


def evaluate_corpus(corpus: Path, gold_path: Path) -> tuple[Evaluation, list[Extraction]]:
    """Build a corpus's extractions, link them as the build does, and measure."""
    from kg.build.extractor import force_resolver
    from kg.build.pipeline import build_graphs
    from kg.link.linker import link_corpus, load_topics

    graphs, extractions, _ = build_graphs(corpus)
    vocab = graphs[1]
    links = link_corpus(extractions, load_topics(vocab), force_resolver(vocab))
    return evaluate(extractions, links, gold_path), extractions


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or len(args) % 2:
        print("usage: python -m kg.evaluate.links CORPUS LIST [CORPUS LIST ...]", file=sys.stderr)
        return 2
    for corpus, gold in zip(args[::2], args[1::2], strict=True):
        ev, extractions = evaluate_corpus(Path(corpus), Path(gold))
        print(report(corpus, ev, extractions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
