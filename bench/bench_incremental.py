"""Incremental update: one changed report in an N-report graph, against building that report alone.

Builds the N-report synthetic corpus into a store, edits one report, and
rebuilds incrementally (only the changed report is re-extracted, validated
and written into a checkpoint of the current generation). Then builds a
store holding only that report from scratch. Target: the update takes at
most 2x the single-report build, whatever N is.

Usage: python -m bench.bench_incremental --n 100 [--model none]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus


def main() -> None:
    """Print the update time, the single-report build time and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--model", default="none")
    args = parser.parse_args()
    from kg.extractor import make_extractor
    from kg.pipeline import build

    extractor = make_extractor(model=None if args.model == "none" else args.model)
    source = write_corpus(args.n)
    work = Path(tempfile.mkdtemp(prefix="kg-bench-incr-"))
    try:
        corpus = work / "corpus"
        shutil.copytree(source, corpus)
        store = work / "store"
        t0 = time.perf_counter()
        full = build(corpus, store, extractor=extractor)
        full_s = time.perf_counter() - t0
        changed = sorted(p for p in corpus.glob("*.txt"))[len(full.documents) // 2]
        changed.write_text(
            changed.read_text(encoding="utf-8") + "\n\nA paragraph added in an update.\n", encoding="utf-8"
        )
        t0 = time.perf_counter()
        update = build(corpus, store, extractor=extractor)
        update_s = time.perf_counter() - t0
        alone = work / "alone"
        alone.mkdir()
        shutil.copy(changed, alone / changed.name)
        t0 = time.perf_counter()
        build(alone, work / "alone-store", extractor=extractor)
        alone_s = time.perf_counter() - t0
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.n}-report corpus, entities model={args.model}")
    print(f"  full build:                        {full_s:7.1f} s ({full.triples:,} triples)")
    redone = len(full.documents) - len(update.reused)
    print(f"  update after one report changed:   {update_s:7.1f} s (re-extracted {redone})")
    print(f"  that report built alone:           {alone_s:7.1f} s")
    print(f"  ratio update / alone:              {update_s / alone_s:7.2f} (target <= 2)")


if __name__ == "__main__":
    main()
