"""Score entities on whole pages against per-page gold, rule-only and with the model.

Usage: python scripts/evaluate_entity_pages.py [--pages DIR] [--gold DIR] [--entity-gold DIR ...]
       [--model auto|none] [--errors] [--model-additions]

Defaults to the development set (/work/devset/pages, /work/devset/gold). Each
page goes through the production path (ingest, structure, extraction), so
the force the entities are scoped by is the one the metadata detects.
``--entity-gold`` names a further folder of per-page entity lists (same file
names, only the ``entities`` key needed), such as a re-annotation under
docs/entities-guideline.md; every gold folder is scored from one extraction
run, so the tables differ only by the gold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.build.extractor import make_extractor
from kg.entities import load_vocabulary, model_available
from kg.entities.pages import GOLD_TYPES, PageResult, evaluate_pages, model_additions, tabulate
from kg.errors import CorpusError
from kg.ingest.corpus import read_document
from kg.records import EntityMention


def _table(name: str, results: list[PageResult]) -> None:
    print(f"\n{name} ({len(results)} pages)")
    print(f"{'type':<14}{'gold':>6}{'found':>7}{'right':>7}{'P':>8}{'R':>8}")
    tp = fp = fn = 0
    for label, s in tabulate(results).items():
        print(f"{label:<14}{s.tp + s.fn:6d}{s.tp + s.fp:7d}{s.tp:7d}{s.precision:8.3f}{s.recall:8.3f}")
        if label in GOLD_TYPES:
            tp, fp, fn = tp + s.tp, fp + s.fp, fn + s.fn
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    print(f"{'all gold types':<14}{tp + fn:6d}{tp + fp:7d}{tp:7d}{p:8.3f}{r:8.3f}")


def main() -> None:
    """Run the pipelines over the pages once each and print a table per gold folder (and errors if asked)."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=Path, default=Path("/work/devset/pages"))
    ap.add_argument("--gold", type=Path, default=Path("/work/devset/gold"))
    ap.add_argument(
        "--entity-gold",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also score against this folder of per-page entity lists (may be given more than once)",
    )
    ap.add_argument(
        "--model",
        choices=("auto", "none"),
        default="auto",
        help="none: score the rule-only pipeline alone (default: both, the model when installed)",
    )
    ap.add_argument("--errors", action="store_true", help="list wrong and missed entities")
    ap.add_argument("--model-additions", action="store_true", help="list every entity only the model found")
    args = ap.parse_args()
    vocabulary = load_vocabulary()
    for folder in [args.gold, *args.entity_gold]:
        if not folder.is_dir():
            ap.exit(2, f"{folder}: no such gold folder\n")
    configs: list[tuple[str, str | None]] = [("rule-only", None)]
    if args.model == "none":
        pass
    elif model_available():
        configs.append(("with model", "auto"))
    else:
        print('(model not installed: pip install -e ".[model]" to score the model pipeline)')
    for name, model in configs:
        extractor = make_extractor(model=model)
        cache: dict[Path, tuple[EntityMention, ...]] = {}

        def extract(path: Path, extractor=extractor, cache=cache) -> tuple[EntityMention, ...]:  # type: ignore[no-untyped-def]
            if path not in cache:
                try:
                    cache[path] = extractor(read_document(path)).mentions
                except CorpusError as exc:
                    # One unreadable page is scored as finding nothing (its gold all missed), not a crash.
                    print(f"(no entities from {path.name}: {exc})", file=sys.stderr)
                    cache[path] = ()
            return cache[path]

        for gold_dir in [args.gold, *args.entity_gold]:
            _report(f"{name}, gold {gold_dir}", evaluate_pages(args.pages, gold_dir, extract, vocabulary), args, model)


def _context(path: Path, at: int, width: int = 70) -> str:
    """The page's words round a position, on one line, so a reader can judge a model entity there."""
    if at < 0:
        return ""
    try:
        text = read_document(path).text
    except CorpusError:
        return ""
    return " ".join(text[max(0, at - width) : at + width].split())


def _report(name: str, results: list[PageResult], args: argparse.Namespace, model: str | None) -> None:
    """Print one table, and the errors and model additions if asked."""
    _table(name, results)
    if args.errors:
        for r in results:
            for g in r.wrong:
                print(f"  FP {r.page:<50} {g.type:<13} {g.surfaces[0]!r} x{g.count} [{','.join(sorted(g.sources))}]")
            for gold in r.missed:
                print(f"  FN {r.page:<50} {gold.type:<13} {gold.text!r}")
    if model is not None:
        added = model_additions(results)
        judged = [a for a in added if a[2] is not None]
        wrong = sum(1 for a in judged if a[2] is False)
        print(
            f"model-only entities: {len(added)} ({len(judged)} judged by the gold, {wrong} wrong; "
            f"{len(added) - len(judged)} people/places/dates for a reader to judge)"
        )
        if args.model_additions:
            for page, g, ok in added:
                verdict = {True: "right", False: "WRONG", None: "?"}[ok]
                print(f"  {verdict:<6} {page:<50} {g.type:<7} {g.surfaces[0]!r} x{g.count}")
                print(f"         ... {_context(args.pages / page, g.at)} ...")


if __name__ == "__main__":
    main()
