"""Incremental update: one changed report in an N-report graph, against building that report alone.

Builds the N-report synthetic corpus into a store, then, for each of
``--edits`` reports spread across the corpus, changes the report and
rebuilds incrementally (only the changed report is re-extracted, only the
link units whose link inputs changed are re-linked, and the result is
written into a checkpoint of the current generation). Each updated report
is then built alone into an empty store. Target: an update takes at most
2x its report alone, whatever N is.

Two kinds of edit, each on its own reports, because they cost differently:

- ``append``: a paragraph added at the end (a late note; it may or may not
  fall inside the last statement);
- ``reword``: a word inserted in the middle of the text, which as a rule
  changes a statement, so the report's link units are re-linked.

Usage: python -m bench.bench_incremental --n 100 [--edits 4] [--model none]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import table
from bench.corpus import write_corpus


def edit(path: Path, kind: str) -> None:
    """Change one report the way a user's correction would."""
    text = path.read_text(encoding="utf-8")
    if kind == "append":
        text += "\n\nA paragraph added in an update.\n"
    else:
        middle = text.index(" ", len(text) // 2)
        text = text[:middle] + " also" + text[middle:]
    path.write_text(text, encoding="utf-8")


def main() -> None:
    """Print each update's time, its report's time alone, their ratio, and the median ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--edits", type=int, default=4, help="reports changed, per kind of edit")
    parser.add_argument("--model", default="none")
    args = parser.parse_args()
    from kg.build.extractor import make_extractor
    from kg.build.pipeline import build

    extractor = make_extractor(model=None if args.model == "none" else args.model)
    source = write_corpus(args.n)
    work = Path(tempfile.mkdtemp(prefix="kg-bench-incr-"))
    rows: list[list[object]] = []
    ratios: dict[str, list[float]] = {"append": [], "reword": []}
    try:
        corpus = work / "corpus"
        shutil.copytree(source, corpus)
        store = work / "store"
        t0 = time.perf_counter()
        full = build(corpus, store, extractor=extractor)
        full_s = time.perf_counter() - t0
        reports = sorted(p for p in corpus.glob("*.txt") if "press-release" not in p.name)
        step = max(1, len(reports) // (2 * args.edits + 1))
        picks = reports[step::step][: 2 * args.edits]
        for i, changed in enumerate(picks):
            kind = "append" if i % 2 == 0 else "reword"
            edit(changed, kind)
            t0 = time.perf_counter()
            update = build(corpus, store, extractor=extractor)
            update_s = time.perf_counter() - t0
            alone = work / f"alone-{i}"
            alone.mkdir()
            shutil.copy(changed, alone / changed.name)
            t0 = time.perf_counter()
            build(alone, work / f"alone-store-{i}", extractor=extractor)
            alone_s = time.perf_counter() - t0
            shutil.rmtree(work / f"alone-store-{i}", ignore_errors=True)
            ratios[kind].append(update_s / alone_s)
            ratio = update_s / alone_s
            rows.append([changed.stem, kind, f"{update_s:.2f}", f"{alone_s:.2f}", f"{ratio:.2f}", len(update.relinked)])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.n}-report corpus, entities model={args.model}")
    print(f"  full build: {full_s:7.1f} s ({full.triples:,} triples)")
    headers = ["report", "edit", "update s", "alone s", "ratio", "link units re-linked"]
    print(table(headers, rows))
    every = [r for kind in ratios.values() for r in kind]
    for kind, values in ratios.items():
        if values:
            print(f"  {kind}: median ratio {statistics.median(values):.2f}, worst {max(values):.2f}")
    print(f"  all edits: median ratio {statistics.median(every):.2f}, worst {max(every):.2f} (target <= 2)")


if __name__ == "__main__":
    main()
