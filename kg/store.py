"""Store: where the graph lives, and how a build is published safely.

The embedded store is a directory holding Oxigraph databases, one per
build ("generation"), and a ``current`` symbolic link to the last complete,
validated one. A build writes a new generation and only then swaps the link
(an atomic rename), so a crash mid-build leaves the previous graph intact
and readers never see a half-written store. Readers open the generation
read-only through rdflib (oxrdflib), so queries keep working during a build.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import XSD

from kg.errors import StoreError
from kg.namespaces import bind_prefixes

CURRENT_LINK = "current"
GENERATIONS_DIR = "generations"
MEMORY = "memory"


def default_store_dir() -> Path:
    """``$KG_STORE`` if set, else ``build/store`` under the working directory."""
    return Path(os.environ.get("KG_STORE", "build/store"))


def current_generation(store_dir: Path) -> Path | None:
    """The generation the ``current`` link points to, if a build has completed."""
    link = store_dir / CURRENT_LINK
    if not link.is_symlink() and not link.exists():
        return None
    target = link.resolve()
    return target if target.is_dir() else None


def publish_generation(store_dir: Path, graphs: Iterable[Graph]) -> Path:
    """Write the named graphs into a new generation and make it current."""
    import pyoxigraph as ox

    generations = store_dir / GENERATIONS_DIR
    generations.mkdir(parents=True, exist_ok=True)
    target = generations / f"g{time.time_ns()}-{os.getpid()}"
    try:
        store = ox.Store(str(target))
        for graph in graphs:
            data = graph.serialize(format="nt", encoding="utf-8")
            store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph.identifier)))
        store.flush()
        store.optimize()
        del store
    except (OSError, ValueError, SyntaxError) as e:
        shutil.rmtree(target, ignore_errors=True)
        raise StoreError(f"{target}: could not write the store ({e}); the previous graph is unchanged") from e
    _switch(store_dir, target)
    _prune(store_dir, keep={target})
    return target


def _switch(store_dir: Path, target: Path) -> None:
    """Point ``current`` at ``target`` with one atomic rename."""
    tmp = store_dir / f".{CURRENT_LINK}.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target.relative_to(store_dir))
    os.replace(tmp, store_dir / CURRENT_LINK)


def _prune(store_dir: Path, keep: set[Path]) -> None:
    """Remove old generations, keeping the newest previous one for open readers."""
    generations = sorted((store_dir / GENERATIONS_DIR).iterdir(), key=lambda p: p.name)
    old = [g for g in generations if g not in keep]
    for stale in old[:-1]:
        shutil.rmtree(stale, ignore_errors=True)


def open_dataset(location: str | Path) -> Dataset:
    """Open a store for reading: an embedded store directory, or ``"memory"``.

    The dataset's default graph is the union of its named graphs, so
    queries need no ``GRAPH`` clause.
    """
    if str(location) == MEMORY:
        return bind_prefixes_ds(Dataset(default_union=True))
    store_dir = Path(location)
    generation = current_generation(store_dir)
    if generation is None:
        raise StoreError(f"{store_dir}: no built graph here; run `kg build --store {store_dir}` first")
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore

    try:
        inner = ox.Store.read_only(str(generation))
    except OSError as e:
        raise StoreError(f"{generation}: cannot open the store read-only ({e})") from e
    return bind_prefixes_ds(Dataset(store=OxigraphStore(store=inner), default_union=True))


def bind_prefixes_ds(ds: Dataset) -> Dataset:
    """Bind the project's prefixes on a dataset."""
    bind_prefixes(ds)
    return ds


def memory_dataset(graphs: Iterable[Graph]) -> Dataset:
    """An in-memory dataset holding copies of the given named graphs (for tests)."""
    ds = bind_prefixes_ds(Dataset(default_union=True))
    for graph in graphs:
        target = ds.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
    return ds


def union_graph(dataset: Dataset) -> Graph:
    """Every triple of every named graph, in one in-memory graph.

    ``"x"^^xsd:string`` and ``"x"`` are one term in RDF 1.1, but not to
    rdflib; stores hand back the typed form, so it is folded to the plain one.
    """
    out = Graph(bind_namespaces="core")
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out
