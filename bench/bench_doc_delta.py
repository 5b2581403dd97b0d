"""Memory and time of diffing one long document's graph in an update, streamed against whole sets of lines.

The document is ``bench.bench_doc_size``'s (the shipped report repeated to N MB). Its graph
is made and sorted as a build does; the base's copy is the same graph with one literal
changed, filed gzip-compressed as a build files it. Then the delta is found twice, each
traced by ``tracemalloc`` (peak of Python allocations during the diff alone):

- ``streamed``: ``kg.store.delta.BaseGraphs.delta`` as an update runs it (one pass over both
  sorted sides, the copy read as a stream);
- ``sets``: both sides read whole and compared as two sets of lines, as updates did before
  (docs/decisions/1151-streamed-graph-delta.md), for comparison.

Usage: python -m bench.bench_doc_delta [--mb 2]
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bench.bench_doc_size import document
from bench.common import table


def _traced(fn: Callable[[], object]) -> tuple[float, float]:
    """CPU seconds and peak traced MiB of ``fn()``."""
    tracemalloc.start()
    start = time.process_time()
    fn()
    cpu = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return cpu, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0)
    args = parser.parse_args()

    import pyoxigraph as ox
    from rdflib import URIRef

    from kg.build.extractor import make_extractor
    from kg.graph.triples import graph_chunks
    from kg.ingest.corpus import read_document
    from kg.store.delta import BaseGraphs
    from kg.store.spool import Spool

    with tempfile.TemporaryDirectory(prefix="kg-doc-delta-") as tmp:
        work = Path(tmp)
        source = work / "big-report.txt"
        source.write_text(document(args.mb, "report"), encoding="utf-8")
        extractor = make_extractor(model=None)
        extraction = extractor(read_document(source))
        chunks = graph_chunks(
            extraction, resolve_force=extractor.resolve_force, known_concepts=extractor.known_concepts
        )
        new = Spool(work).sort_triples(chunks)
        lines = new.path.read_bytes().splitlines(keepends=True)
        k = next(i for i in range(len(lines) // 2, len(lines)) if b'"' in lines[i])
        lines[k] = lines[k].replace(b'"', b'"earlier ', 1)
        copy = work / "base.nt.gz"
        copy.write_bytes(gzip.compress(b"".join(sorted(lines)), compresslevel=1))
        del lines
        ox.Store(str(work / "store")).flush()
        base = BaseGraphs(work / "store")
        iri = URIRef("https://example.org/big-report")

        def streamed() -> None:
            with new.path.open("rb") as ours, gzip.open(copy, "rb") as theirs:
                delta = base.delta(iri, ours, theirs)
            assert len(delta.removed) == len(delta.added) == 1

        def sets() -> None:
            ours = set(new.path.read_bytes().splitlines())
            theirs = set(gzip.decompress(copy.read_bytes()).splitlines())
            assert len(theirs - ours) == len(ours - theirs) == 1

        rows = []
        for name, fn in (("streamed", streamed), ("sets", sets)):
            cpu, peak = _traced(fn)
            rows.append(
                [
                    f"{args.mb:g}",
                    new.triples,
                    f"{new.path.stat().st_size / 2**20:.1f}",
                    name,
                    f"{cpu:.2f}",
                    f"{peak:.1f}",
                ]
            )
        base.close()
    print(table(["MB", "triples", "graph MiB", "diff", "CPU s", "peak traced MiB"], rows))


if __name__ == "__main__":
    main()
