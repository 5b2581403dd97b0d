"""Parallel extraction: speed-up of ``jobs`` processes over one, and identical results.

Times ``kg.build.parallel.map_documents`` over the documents of a synthetic
corpus (default 100 reports) with one process and with ``--jobs`` processes
(default 2), in the same run with the same extractor, and checks the
extractions are equal, in the same order. Target on a 2-core machine: a
speed-up of at least 1.6 with 2 processes.

Usage: python -m bench.bench_parallel [--n 100] [--jobs 2] [--model none|auto]
"""

from __future__ import annotations

import argparse
import os
import resource

from bench.common import table, timed
from bench.corpus import write_corpus


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    """Extract the corpus serially and in parallel; print times, speed-up and whether results match."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--model", default="none")
    args = parser.parse_args()

    from kg.build.extractor import make_extractor
    from kg.build.parallel import map_documents
    from kg.ingest import read_corpus
    from kg.records import SourceDocument

    corpus = write_corpus(args.n)
    documents = [d for d in read_corpus(corpus) if isinstance(d, SourceDocument)]
    extractor = make_extractor(model=None if args.model == "none" else args.model)
    extractor(documents[0])  # warm up lazy loads in the parent, so both runs start equal
    load_before = os.getloadavg()[0]
    cpu0 = _cpu()
    serial_s, serial = timed(lambda: list(map_documents(extractor, documents, jobs=1)))
    cpu1 = _cpu()
    parallel_s, parallel = timed(lambda: list(map_documents(extractor, documents, jobs=args.jobs)))
    cpu2 = _cpu()
    identical = serial == parallel
    words = sum(len(d.text.split()) for d in documents if not isinstance(d, Exception) and hasattr(d, "text"))
    print(
        f"\nParallel extraction of {args.n} reports ({words:,} words), entities model={args.model}, "
        f"{os.cpu_count()} CPUs"
    )
    print(
        table(
            ["processes", "seconds", "documents/s", "speed-up"],
            [
                [1, f"{serial_s:.1f}", f"{args.n / serial_s:.2f}", "1.00"],
                [args.jobs, f"{parallel_s:.1f}", f"{args.n / parallel_s:.2f}", f"{serial_s / parallel_s:.2f}"],
            ],
        )
    )
    print(
        f"CPU seconds (this process and its workers): serial {cpu1 - cpu0:.1f}, parallel {cpu2 - cpu1:.1f} "
        f"(overhead {((cpu2 - cpu1) / (cpu1 - cpu0) - 1) * 100:+.0f}%); load average before {load_before:.1f}, "
        f"after {os.getloadavg()[0]:.1f} (other work on the machine lowers the measured speed-up)"
    )
    print(
        f"speed-up {serial_s / parallel_s:.2f} with {args.jobs} processes (target >= 1.6); "
        f"results identical to one process: {identical}"
    )
    if not identical:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
