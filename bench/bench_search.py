"""Word search: the index beside the store against the SPARQL scan it replaces.

The process's CPU time per search is printed beside the wall clock:
on a shared machine the wall clock also counts other processes' turns.

The n-report synthetic corpus (default 1,000) is built once into a store
under build/bench/ (``bench.bench_queries.cached_store``). Each query is run
``--repeats`` times through ``kg.query.search.search`` (the index: first page of
100 hits with the total) and through the SPARQL scan of every source quote
that the ``source`` question made before the index (``use_index=False``).
Target: search p95 under 20 ms at 1,000 reports; the scan/index ratio is printed.

Usage: python -m bench.bench_search [--n 1000] [--repeats 30] [--scan-repeats 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

from bench.bench_queries import cached_store
from bench.common import percentile, table

#: Words a user might type: single words, several words, a phrase, a prefix, a filter.
QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("missing", {}),
    ("Sleuth", {}),
    ("missing children", {}),
    ('"go missing"', {}),
    ("safeguard*", {}),
    ("missing", {"force": "Durham"}),
    ("referrals", {"kind": "AreaForImprovement"}),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--scan-repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--model", default="none")
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)

    from kg.query.search import search
    from kg.store.generations import open_dataset

    dataset = open_dataset(cached_store(args.n, args.jobs, args.model))
    rows = []
    worst = 0.0
    for words, filters in QUERIES:
        search(dataset, words, **filters)  # warm-up
        times, cpu, scans = [], [], []
        for _ in range(args.repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            page = search(dataset, words, **filters)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        for _ in range(args.scan_repeats):
            start = time.perf_counter()
            scanned = search(dataset, words, use_index=False, **filters)
            scans.append(time.perf_counter() - start)
        assert scanned.total <= page.total  # the index also matches entity names and labels
        p95 = percentile(times, 95)
        worst = max(worst, p95)
        label = words + "".join(f" {k}={v}" for k, v in filters.items())
        rows.append(
            [
                label,
                f"{page.total:,}",
                f"{percentile(times, 50) * 1000:.1f}",
                f"{p95 * 1000:.1f}",
                f"{percentile(cpu, 50) * 1000:.1f}",
                f"{percentile(cpu, 95) * 1000:.1f}",
                f"{percentile(scans, 50) * 1000:,.0f}",
                f"{percentile(scans, 50) / percentile(times, 50):,.0f}",
            ]
        )
        print(f"  {label}: {page.total} hits, p95 {p95 * 1000:.1f} ms", flush=True)
    headers = ["query", "hits", "index p50 ms", "index p95 ms", "CPU p50 ms", "CPU p95 ms", "scan p50 ms", "scan/index"]
    print(table(headers, rows))
    # On a shared machine the wall clock counts the time other processes held the cores; the
    # process's own CPU time per search is what a quiet machine's wall clock comes close to.
    print(f"worst p95: {worst * 1000:.1f} ms (target < 20 ms); load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
