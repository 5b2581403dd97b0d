"""Build time and peak memory against the size of one document.

One document of N MB is built alone into a fresh embedded store (``kg.build.pipeline.build``),
each size in its own process so its peak memory is its own. Two shapes:

- ``report``: the shipped Durham child protection report repeated to the size
  (headings, paragraphs, lists and statements as dense as a real report's);
- ``line``: the same text with every newline replaced by a space (one line).

Growth is linear when seconds per MB and MiB per MB stay flat as N grows
(the ratios printed last). Peak MiB includes the interpreter and the
reference graphs (about 130 MiB), so MiB per MB falls at small sizes.
Documents over ``kg.ingest.corpus.MAX_TEXT_CHARS`` are skipped by the build,
so sizes beyond it measure the skip.

Usage: python -m bench.bench_doc_size [--sizes 1 5 25] [--shape report|line] [--model none|auto]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, peak_rss_mib, run_child, table

SOURCE = ROOT / "corpus" / "durham-ncpi-2019-report.txt"


def document(size_mb: float, shape: str) -> str:
    """The shipped report repeated to ``size_mb`` MB (UTF-8 bytes), in the given shape."""
    base = SOURCE.read_text(encoding="utf-8")
    if shape == "line":
        base = " ".join(base.split("\n"))
    target = int(size_mb * 2**20)
    copies = target // len(base.encode("utf-8")) + 1
    # Each copy's short lines (its headings) are numbered: a section is named by its heading path,
    # and a report repeating the very same headings under the same parents is not a real one.
    parts = [
        "\n".join(
            f"{line} ({n})" if 0 < len(line) < 80 and not line.endswith(".") else line for line in base.split("\n")
        )
        for n in range(copies)
    ]
    text = ("\n\n" if shape == "report" else " ").join(parts)
    return text.encode("utf-8")[:target].decode("utf-8", "ignore")


def measure(size_mb: float, shape: str, model: str) -> dict[str, object]:
    """Build one document of ``size_mb`` MB into a fresh store; seconds, peak MiB and what came out."""
    from kg.build.extractor import make_extractor
    from kg.build.pipeline import build

    extractor = make_extractor(model=None if model == "none" else model)
    with tempfile.TemporaryDirectory(prefix="kg-doc-size-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        (corpus / "big-report.txt").write_text(document(size_mb, shape), encoding="utf-8")
        before = peak_rss_mib()
        start, cpu_start = time.perf_counter(), time.process_time()
        report = build(corpus, Path(tmp) / "store", extractor=extractor, incremental=False)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return {
        "mb": size_mb,
        "seconds": round(seconds, 1),
        # CPU time is what the build's own work cost: wall time also counts other processes' turns.
        "cpu_seconds": round(cpu, 1),
        "peak_mib": round(peak_rss_mib(), 0),
        "peak_before_mib": round(before, 0),
        "documents": len(report.documents),
        "skipped": [f.reason for f in report.failures],
        "statements": sum(report.statements.values()),
        "triples": report.triples,
    }


HEADERS = [
    "MB",
    "shape",
    "wall s",
    "CPU s",
    "peak MiB",
    "CPU s/MB",
    "wall s/MB",
    "MiB/MB",
    "statements",
    "triples",
    "load avg (start 1 min / end 15 min)",
    "outcome",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 25])
    parser.add_argument("--shape", choices=["report", "line"], default="report")
    parser.add_argument("--model", default="none", help="none (rule-based entities) or auto (the English model)")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.shape, args.model)))
        return
    rows, per_mb = [], []
    for size in args.sizes:
        # The machine may be shared: CPU seconds are this build's own, wall seconds are not.
        load = os.getloadavg()[0]
        r = run_child("bench.bench_doc_size", "--one", str(size), "--shape", args.shape, "--model", args.model)
        # The 15-minute figure at the end covers most of a long run; the 1-minute one at the start, a short one.
        load_end = os.getloadavg()[2]
        figures = (
            float(r["cpu_seconds"]) / size,
            float(r["seconds"]) / size,
            float(r["peak_mib"]) / size,
        )
        per_mb.append(figures)
        rows.append(
            [
                f"{size:g}",
                args.shape,
                r["seconds"],
                r["cpu_seconds"],
                r["peak_mib"],
                *(f"{f:.1f}" for f in figures),
                r["statements"],
                r["triples"],
                f"{load:.1f} / {load_end:.1f}",
                "; ".join(r["skipped"]) or "built",
            ]
        )
        print(table(HEADERS, rows[-1:]), flush=True)
    print()
    print(table(HEADERS, rows))
    if len(per_mb) > 1:
        # Linear growth: each per-MB figure at the largest size over the same at the smallest stays near 1.
        first, last = per_mb[0], per_mb[-1]
        print()
        print(
            f"ratios {args.sizes[-1]:g} MB / {args.sizes[0]:g} MB: CPU s/MB {last[0] / first[0]:.2f}, "
            f"wall s/MB {last[1] / first[1]:.2f}, MiB/MB {last[2] / first[2]:.2f}"
        )


if __name__ == "__main__":
    main()
