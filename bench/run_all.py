"""Run every benchmark of bench/ in turn and print their figures (see bench/README.md).

Usage: python bench/run_all.py [--quick]

``--quick`` uses 10 and 100 reports only (minutes instead of an hour).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Build scaling, parallel extraction, nlp.pipe ratio, incremental update, query latency."""
    quick = "--quick" in sys.argv[1:]
    steps = [
        ["bench.bench_build", "--sizes", "10,100" if quick else "10,100,1000"],
        ["bench.bench_parallel", "--n", "100", "--jobs", "2"],
        ["bench.bench_pipe_ratio"],
        ["bench.bench_incremental", "--n", "100"],
        ["bench.bench_queries", "--n", "100", "--repeats", "20", "--rdflib-repeats", "3"],
    ]
    if not quick:
        steps.append(["bench.bench_incremental", "--n", "1000"])
        steps.append(["bench.bench_queries", "--n", "1000", "--repeats", "20", "--skip-rdflib"])
    for step in steps:
        print(f"\n$ python -m {' '.join(step)}", flush=True)
        subprocess.run([sys.executable, "-m", *step], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
