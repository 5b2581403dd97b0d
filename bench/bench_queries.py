"""Latency of every named SPARQL question: embedded Oxigraph, rdflib in memory, Oxigraph server.

The graph of the n-report synthetic corpus (default 1,000) is built once
by ``kg build``'s streaming pipeline into a store under build/bench/. It is then loaded three ways, in
the same run: an embedded Oxigraph generation opened through rdflib
(``kg.store.generations.open_dataset``), rdflib's in-memory ``Dataset``, and an
Oxigraph server started here on 127.0.0.1 (bounded by ``--timeout-s``,
always stopped) and filled over the Graph Store Protocol by
``kg.store.remote.publish_graphs``. Every question in kg/queries/*.rq is run
against each: its first page (100 rows, with the whole answer's total: what
``kg query --name`` and the server show, ``kg.query.paging.run_named_page``), or
with ``--whole`` its whole answer (``kg.query.sparql.run_named``).
Targets: the first page's p95 under 100 ms embedded; the rdflib/embedded ratio is printed.

Usage: python -m bench.bench_queries [--n 1000] [--repeats 20] [--rdflib-repeats 3] [--jobs 2] [--whole]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from bench.common import BENCH_DIR, percentile, table
from bench.corpus import write_corpus

PARAMS = {
    "force": "Durham",
    "statementText": "Sleuth",
    "entity": "Sleuth",
    "kind": "Finding",
    "type": "SYSTEM",
    "area": "Investigating",
}


def cached_store(n: int, jobs: int, model: str) -> Path:
    """The n-report graph in an embedded store under build/bench/, built once by ``kg.build.pipeline.build``.

    The streaming build is used (not ``build_graphs``, which holds every
    graph in rdflib's memory store: tens of GiB at 1,000 reports).
    """
    from kg.store.generations import current_generation

    target = BENCH_DIR / f"store-{n}-s9-{model}"
    if current_generation(target) is not None:
        return target
    from kg.build.extractor import make_extractor
    from kg.build.pipeline import build

    corpus = write_corpus(n)
    started = time.perf_counter()
    report = build(corpus, target, extractor=make_extractor(model=None if model == "none" else model), jobs=jobs)
    assert not report.failures
    print(f"built the {n}-report graph in {time.perf_counter() - started:.0f} s -> {target}", flush=True)
    return target


@dataclass(frozen=True, slots=True)
class DumpedGraph:
    """One named graph of a store as N-Triples: what ``publish_graphs`` needs of a graph."""

    identifier: URIRef
    data: bytes

    def serialize(self, *, format: str = "nt", encoding: str = "utf-8") -> bytes:  # noqa: A002
        """The graph's N-Triples."""
        return self.data


def named_graphs_from(store_dir: Path) -> list[DumpedGraph]:
    """Every named graph of the store's current generation, dumped as N-Triples."""
    import pyoxigraph as ox

    from kg.store.generations import current_generation

    generation = current_generation(store_dir)
    assert generation is not None
    store = ox.Store.read_only(str(generation))
    out = []
    for name in sorted(store.named_graphs(), key=lambda g: g.value):
        if isinstance(name, ox.NamedNode):
            data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
            assert data is not None  # no output file given, so the dump is returned
            out.append(DumpedGraph(URIRef(name.value), data))
    return out


def rdflib_graphs(dumped: list[DumpedGraph]) -> list[Graph]:
    """The dumped graphs parsed into rdflib (for the in-memory comparison)."""
    out = []
    for d in dumped:
        g = Graph(identifier=d.identifier)
        g.parse(data=d.data, format="nt")
        out.append(g)
    return out


def queries() -> list[tuple[str, dict[str, str]]]:
    """Every named question with plausible parameter values."""
    from kg.query.sparql import list_named

    return [(q.name, {p: PARAMS[p] for p in q.params if p in PARAMS}) for q in list_named()]


@dataclass(frozen=True, slots=True)
class Timings:
    """Per question, the seconds of each run: wall clock, and this process's CPU time.

    On a shared machine the wall clock includes waiting for a core; the CPU
    time of an embedded query does not (the server's work is in another
    process, so only its wall clock means anything).
    """

    wall: dict[str, list[float]]
    cpu: dict[str, list[float]]


def time_queries(dataset: Dataset, repeats: int, budget_s: float = 120.0, *, whole: bool = False) -> Timings:
    """Per question, the seconds of each run (one warm-up run first, not counted).

    A run is the first page with its total (what users see), or with
    ``whole`` every row of the answer.
    """
    from kg.query.paging import run_named_page
    from kg.query.sparql import run_named

    def once(name: str, params: dict[str, str]) -> str:
        if whole:
            return f"{len(list(run_named(dataset, name, params)))} rows"
        page = run_named_page(dataset, name, params)
        return f"{len(list(page.result))} of {page.total} rows"

    out = Timings(wall={}, cpu={})
    for name, params in queries():
        times: list[float] = []
        cpu: list[float] = []
        once(name, params)
        spent = 0.0
        for _ in range(repeats):
            start, started_cpu = time.perf_counter(), time.process_time()
            rows = once(name, params)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - started_cpu)
            spent += times[-1]
            if spent > budget_s:
                break
        out.wall[name], out.cpu[name] = times, cpu
        print(f"    {name}: {rows}, p50 {percentile(times, 50) * 1000:.1f} ms", flush=True)
    return out


@contextlib.contextmanager
def oxigraph_server(data: Path, timeout_s: int) -> Iterator[str]:
    """An Oxigraph server (the ``oxigraph`` package's binary) on a free 127.0.0.1 port; always stopped."""
    from kg.errors import StoreError
    from kg.store.remote import local_oxigraph_server

    try:
        with local_oxigraph_server(data, timeout_s=timeout_s) as url:
            yield url
    except StoreError as e:
        raise SystemExit(str(e)) from e


def main() -> None:
    """Load the graph three ways, time every question on each, print the table and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rdflib-repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--model", default="none")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--whole", action="store_true", help="Time whole answers instead of first pages.")
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own SPARQL engine warns on Dataset internals

    from kg.store.generations import memory_dataset, open_dataset
    from kg.store.remote import publish_graphs

    store_dir = cached_store(args.n, args.jobs, args.model)
    graphs = named_graphs_from(store_dir)
    triples = sum(d.data.count(b"\n") for d in graphs)
    print(f"{args.n}-report graph: {len(graphs)} named graphs, {triples:,} triples", flush=True)
    results: dict[str, Timings] = {}
    loads: dict[str, float] = {}
    work = Path(tempfile.mkdtemp(prefix="kg-bench-q-", dir=BENCH_DIR))
    try:
        print("  embedded Oxigraph (the build's own store)", flush=True)
        results["embedded"] = time_queries(open_dataset(store_dir), args.repeats, whole=args.whole)
        with oxigraph_server(work / "server", timeout_s=60) as url:
            start = time.perf_counter()
            publish_graphs(url, graphs)  # type: ignore[arg-type]
            loads["server"] = time.perf_counter() - start
            print(f"  Oxigraph server {url} (loaded over the Graph Store Protocol in {loads['server']:.0f} s)")
            results["server"] = time_queries(open_dataset(url), args.repeats, whole=args.whole)
        if not args.skip_rdflib:
            start = time.perf_counter()
            memory = memory_dataset(rdflib_graphs(graphs))
            loads["rdflib"] = time.perf_counter() - start
            print(f"  rdflib in-memory Dataset (loaded in {loads['rdflib']:.0f} s)", flush=True)
            results["rdflib"] = time_queries(memory, args.rdflib_repeats, budget_s=60, whole=args.whole)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def ms(v: float) -> str:
        return f"{v * 1000:,.1f}"

    rows = []
    for name, _ in queries():
        emb, emb_cpu = results["embedded"].wall[name], results["embedded"].cpu[name]
        row: list[object] = [name, ms(percentile(emb, 50)), ms(percentile(emb, 95)), ms(percentile(emb_cpu, 95))]
        srv = results["server"].wall[name]
        row += [ms(percentile(srv, 50)), ms(percentile(srv, 95)), f"{percentile(srv, 50) / percentile(emb, 50):.2f}"]
        if "rdflib" in results:
            rdf = results["rdflib"].wall[name]
            row += [ms(percentile(rdf, 50)), f"{percentile(rdf, 50) / percentile(emb, 50):,.1f}"]
        rows.append(row)
    headers = ["question", "embedded p50 ms", "embedded p95 ms", "embedded CPU p95 ms", "server p50 ms"]
    headers += ["server p95 ms", "server/embedded"]
    if "rdflib" in results:
        headers += ["rdflib p50 ms", "rdflib/embedded"]
    print(f"\nNamed questions on the {args.n}-report graph ({triples:,} triples; {args.repeats} runs each,")
    print(f"rdflib {args.rdflib_repeats} runs or 60 s per question)")
    print(table(headers, rows))
    worst = max(percentile(v, 95) for v in results["embedded"].wall.values())
    worst_cpu = max(percentile(v, 95) for v in results["embedded"].cpu.values())
    print(f"worst embedded p95: {worst * 1000:.1f} ms wall, {worst_cpu * 1000:.1f} ms CPU (target < 100 ms)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print("loads: " + ", ".join(f"{k} {v:.0f} s" for k, v in loads.items()))


if __name__ == "__main__":
    main()
