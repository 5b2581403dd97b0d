"""Build throughput (triples per second) and peak memory at 10, 100 and 1,000 reports.

Each size is built in a fresh process, stage by stage exactly as
``kg.build.pipeline.build`` does it (extract + graph, SHACL validation of the
union, publish to a new embedded generation), so the figures say which
stage grows how. Targets: time grows linearly with the corpus; peak memory
for 1,000 reports under 4 GiB.

Usage: python -m bench.bench_build [--sizes 10,100,1000] [--jobs 1] [--model none|auto]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mib, run_child, table
from bench.corpus import write_corpus


def one(n: int, jobs: int, model: str) -> dict[str, float]:
    """Run ``kg.build.pipeline.build`` on the n-report corpus in this process: time, triples, peak memory.

    This is the real build path: each document's graph is validated on its
    own and spooled to disk, so peak memory is what a user's build needs.
    """
    from kg.build.extractor import make_extractor
    from kg.build.pipeline import build

    corpus = write_corpus(n)
    started = time.perf_counter()
    extractor = make_extractor(model=None if model == "none" else model)
    setup = time.perf_counter() - started
    store = Path(tempfile.mkdtemp(prefix="kg-bench-store-"))
    try:
        t0 = time.perf_counter()
        report = build(corpus, store, extractor=extractor, jobs=jobs, incremental=False)
        total = time.perf_counter() - t0
    finally:
        shutil.rmtree(store, ignore_errors=True)
    assert not report.failures and report.validation.conforms, (report.failures, report.validation.violations[:3])
    return {
        "n": n,
        "setup": setup,
        "total": total,
        "triples": report.triples,
        "statements": sum(report.statements.values()),
        "peak_mib": peak_rss_mib(),
    }


def main() -> None:
    """Run every size in its own process and print the table and the linearity ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--model", default="none", help="'none' (rule-based entities) or 'auto' (spaCy model)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.jobs, args.model)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    for n in sizes:
        write_corpus(n)
        r = run_child("bench.bench_build", "--one", str(n), "--jobs", str(args.jobs), "--model", args.model)
        results.append(r)
        print(
            f"  {n} reports: {r['total']:.1f} s, {r['triples']:,} triples, peak {r['peak_mib']:.0f} MiB",
            flush=True,
        )
    base = results[0]
    rows = []
    for r in results:
        scale = r["n"] / base["n"]
        rows.append(
            [
                r["n"],
                f"{r['triples']:,}",
                f"{r['total']:.1f}",
                f"{r['triples'] / r['total']:,.0f}",
                f"{r['peak_mib']:,.0f}",
                f"{(r['total'] / base['total']) / scale:.2f}",
            ]
        )
    print(f"\nBuild (jobs={args.jobs}, entities model={args.model})")
    print(
        table(
            [
                "reports",
                "triples",
                "total s",
                "triples/s",
                "peak MiB",
                "time ratio vs linear",
            ],
            rows,
        )
    )
    print("(time ratio vs linear = (t_N / t_first) / (N / first); 1.00 is linear growth)")


if __name__ == "__main__":
    main()
