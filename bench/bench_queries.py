"""Latency of every named SPARQL question: embedded Oxigraph, rdflib in memory, Oxigraph server.

The graph of the n-report synthetic corpus (default 1,000) is built once
and cached as N-Quads under build/bench/. It is then loaded three ways, in
the same run: an embedded Oxigraph generation opened through rdflib
(``kg.store.open_dataset``), rdflib's in-memory ``Dataset``, and an
Oxigraph server started here on 127.0.0.1 (bounded by ``--timeout-s``,
always stopped) and filled over the Graph Store Protocol by
``kg.remote.publish_graphs``. Every question in kg/queries/*.rq is run with
``kg.query.run_named`` (parameters as an inline VALUES block) against each.
Targets: p95 under 100 ms embedded; the rdflib/embedded ratio is printed.

Usage: python -m bench.bench_queries [--n 1000] [--repeats 20] [--rdflib-repeats 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

from rdflib import Dataset, Graph

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


def cached_graph(n: int, jobs: int, model: str) -> Path:
    """The n-report graph as gzipped N-Quads, built once (extraction in ``jobs`` processes)."""
    target = BENCH_DIR / f"graph-{n}-s8-{model}.nq.gz"
    if target.exists():
        return target
    from kg.extractor import make_extractor
    from kg.pipeline import build_graphs

    corpus = write_corpus(n)
    started = time.perf_counter()
    graphs, _, failures = build_graphs(
        corpus, extractor=make_extractor(model=None if model == "none" else model), jobs=jobs
    )
    assert not failures
    tmp = target.with_suffix(".tmp")
    with gzip.open(tmp, "wb", compresslevel=3) as out:
        for g in graphs:
            ds = Dataset()
            ds.graph(g.identifier).__iadd__(g)
            out.write(ds.serialize(format="nquads", encoding="utf-8"))
    os.replace(tmp, target)
    print(f"built the {n}-report graph in {time.perf_counter() - started:.0f} s -> {target}", flush=True)
    return target


def named_graphs_from(path: Path) -> list[Graph]:
    """The cached quads as one rdflib graph per named graph (what a build hands to publish)."""
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore

    store = ox.Store()
    with gzip.open(path, "rb") as f:
        store.bulk_load(f, format=ox.RdfFormat.N_QUADS)
    ds = Dataset(store=OxigraphStore(store=store))
    return [Graph(store=ds.store, identifier=g.identifier) for g in ds.graphs() if str(g.identifier).startswith("http")]


def queries() -> list[tuple[str, dict[str, str]]]:
    """Every named question with plausible parameter values."""
    from kg.query import list_named

    return [(q.name, {p: PARAMS[p] for p in q.params if p in PARAMS}) for q in list_named()]


def time_queries(dataset: Dataset, repeats: int, budget_s: float = 120.0) -> dict[str, list[float]]:
    """Per question, the seconds of each run (one warm-up run first, not counted)."""
    from kg.query import run_named

    out: dict[str, list[float]] = {}
    for name, params in queries():
        times: list[float] = []
        len(list(run_named(dataset, name, params)))
        spent = 0.0
        for _ in range(repeats):
            start = time.perf_counter()
            rows = list(run_named(dataset, name, params))
            times.append(time.perf_counter() - start)
            spent += times[-1]
            if spent > budget_s:
                break
        out[name] = times
        print(f"    {name}: {len(rows)} rows, p50 {percentile(times, 50) * 1000:.1f} ms", flush=True)
    return out


@contextlib.contextmanager
def oxigraph_server(data: Path, timeout_s: int) -> Iterator[str]:
    """An Oxigraph server (the ``oxigraph`` package's binary) on a free 127.0.0.1 port; always stopped."""
    from kg.errors import StoreError
    from kg.remote import local_oxigraph_server

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
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own SPARQL engine warns on Dataset internals

    from kg.remote import publish_graphs
    from kg.store import memory_dataset, open_dataset, publish_generation

    path = cached_graph(args.n, args.jobs, args.model)
    graphs = named_graphs_from(path)
    triples = sum(len(g) for g in graphs)
    print(f"{args.n}-report graph: {len(graphs)} named graphs, {triples:,} triples", flush=True)
    results: dict[str, dict[str, list[float]]] = {}
    loads: dict[str, float] = {}
    work = Path(tempfile.mkdtemp(prefix="kg-bench-q-", dir=BENCH_DIR))
    try:
        start = time.perf_counter()
        publish_generation(work / "store", graphs)
        loads["embedded"] = time.perf_counter() - start
        print(f"  embedded Oxigraph (loaded in {loads['embedded']:.0f} s)", flush=True)
        results["embedded"] = time_queries(open_dataset(work / "store"), args.repeats)
        with oxigraph_server(work / "server", timeout_s=60) as url:
            start = time.perf_counter()
            publish_graphs(url, graphs)
            loads["server"] = time.perf_counter() - start
            print(f"  Oxigraph server {url} (loaded over the Graph Store Protocol in {loads['server']:.0f} s)")
            results["server"] = time_queries(open_dataset(url), args.repeats)
        if not args.skip_rdflib:
            start = time.perf_counter()
            memory = memory_dataset(graphs)
            loads["rdflib"] = time.perf_counter() - start
            print(f"  rdflib in-memory Dataset (loaded in {loads['rdflib']:.0f} s)", flush=True)
            results["rdflib"] = time_queries(memory, args.rdflib_repeats, budget_s=60)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def ms(v: float) -> str:
        return f"{v * 1000:,.1f}"

    rows = []
    for name, _ in queries():
        emb = results["embedded"][name]
        row: list[object] = [name, ms(percentile(emb, 50)), ms(percentile(emb, 95))]
        srv = results["server"][name]
        row += [ms(percentile(srv, 50)), ms(percentile(srv, 95)), f"{percentile(srv, 50) / percentile(emb, 50):.2f}"]
        if "rdflib" in results:
            rdf = results["rdflib"][name]
            row += [ms(percentile(rdf, 50)), f"{percentile(rdf, 50) / percentile(emb, 50):,.1f}"]
        rows.append(row)
    headers = ["question", "embedded p50 ms", "embedded p95 ms", "server p50 ms", "server p95 ms", "server/embedded"]
    if "rdflib" in results:
        headers += ["rdflib p50 ms", "rdflib/embedded"]
    print(f"\nNamed questions on the {args.n}-report graph ({triples:,} triples; {args.repeats} runs each,")
    print(f"rdflib {args.rdflib_repeats} runs or 60 s per question)")
    print(table(headers, rows))
    worst = max(percentile(v, 95) for v in results["embedded"].values())
    print(f"worst embedded p95: {worst * 1000:.1f} ms (target < 100 ms)")
    print("loads: " + ", ".join(f"{k} {v:.0f} s" for k, v in loads.items()))


if __name__ == "__main__":
    main()
