"""Store: where the graph lives, and how a build is published safely.

The embedded store is a directory holding Oxigraph databases, one per
build ("generation"), and a ``current`` symbolic link to the last complete,
validated one. A build writes a new generation and only then swaps the link
(an atomic rename), so a crash mid-build leaves the previous graph intact
and readers never see a half-written store. Readers open the generation
read-only through rdflib (oxrdflib), so queries keep working during a build.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import StoreError
from kg.namespaces import HMID, bind_prefixes
from kg.store.delta import GraphDelta
from kg.store.search_index import SearchIndex, SearchUpdate, index_path, remote_index_path
from kg.store.spool import SpooledGraph

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


#: Test hook: a build whose environment names one of these points kills itself there with
#: SIGKILL, so tests can check that a crash at that moment leaves the previous graph intact.
FAULT_ENV = "KG_FAULT_INJECT"
FAULT_POINTS = ("extract", "store-load", "before-switch", "after-switch")
#: The same for a build that loads a SPARQL server (kg/store/remote.py): after each graph it puts there.
REMOTE_FAULT_POINTS = ("remote-load",)


def fault_point(name: str) -> None:
    """Die here, as a power cut would, if ``$KG_FAULT_INJECT`` names this point (tests only)."""
    if os.environ.get(FAULT_ENV) == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


@contextmanager
def _build_lock(store_dir: Path) -> Iterator[None]:
    """One publisher at a time per store; the lock dies with its process, so a crash never wedges it.

    Without it, two concurrent builds could each prune the other's half-written
    generation. Readers take no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks; builds must not overlap
        yield
        return
    with open(store_dir / ".build.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


BUILD_MANIFEST = "kg-build.json"


def read_build_manifest(generation: Path | None) -> dict[str, object]:
    """What the build that wrote a generation recorded (empty if none or unreadable)."""
    if generation is None:
        return {}
    try:
        data = json.loads((generation / BUILD_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def publish_generation(
    store_dir: Path,
    graphs: Iterable[Graph | SpooledGraph | GraphDelta],
    *,
    base: Path | None = None,
    remove: Iterable[str] = (),
    manifest: dict[str, object] | None = None,
    search: SearchUpdate | None = None,
) -> Path:
    """Write the named graphs into a new generation and make it current.

    With ``base`` (the current generation), the new generation starts as a
    RocksDB checkpoint of it (hard links, so it costs little whatever the
    store's size); only the given graphs are replaced and the ``remove``d
    ones dropped, and a ``GraphDelta`` (kg/store/delta.py) changes only the
    triples it names. Without it the generation is written from scratch.

    The new generation is complete and flushed before ``current`` moves to
    it; a crash before the switch leaves only an orphan directory, which the
    next build deletes. The generation that was current is kept for readers
    that still have it open; everything else is removed.
    """
    import pyoxigraph as ox

    generations = store_dir / GENERATIONS_DIR
    generations.mkdir(parents=True, exist_ok=True)
    with _build_lock(store_dir):
        target = generations / f"g{time.time_ns()}-{os.getpid()}"
        if base is not None and not base.is_dir():
            raise StoreError(
                f"{base}: the generation this build updates was removed by builds that finished while it ran; "
                "nothing was published. Run the build again (it starts from the graph they made)"
            )
        try:
            if base is not None:
                source = ox.Store.read_only(str(base))
                source.backup(str(target))
                del source
            store = ox.Store(str(target))
            for iri in remove:
                store.remove_graph(ox.NamedNode(iri))
            batch = _QuadBatch(store, bulk=base is None)
            for graph in graphs:
                if isinstance(graph, GraphDelta):
                    if base is None:
                        raise ValueError(f"{graph.identifier}: a graph delta needs a base generation")
                    for quad in graph.removed:
                        store.remove(quad)
                    store.extend(graph.added)
                    continue
                if base is not None:
                    store.remove_graph(ox.NamedNode(str(graph.identifier)))
                batch.add(graph)
                fault_point("store-load")
            batch.write()
            store.flush()
            if base is None:
                store.optimize()
            if search is not None:
                # Written inside the generation, so the switch below publishes graph and index together.
                search.write(
                    index_path(target),
                    base=index_path(base) if base is not None else None,
                    everything=functools.partial(_indexed_graphs, store),
                )
            del store
            if manifest is not None:
                (target / BUILD_MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
        except (OSError, ValueError, SyntaxError, sqlite3.Error) as e:
            shutil.rmtree(target, ignore_errors=True)
            raise StoreError(f"{target}: could not write the store ({e}); the previous graph is unchanged") from e
        previous = current_generation(store_dir)
        fault_point("before-switch")
        _switch(store_dir, target)
        fault_point("after-switch")
        _prune(store_dir, keep={target} | ({previous} if previous is not None else set()))
    return target


def _indexed_graphs(store: Any) -> Iterator[Graph]:
    """Every document and links graph of a generation, as rdflib graphs (to index a store that had no index)."""
    import pyoxigraph as ox

    prefix = str(HMID["graph/"])
    for name in store.named_graphs():
        iri = name.value
        if not iri.startswith(prefix) or iri[len(prefix) :] in ("ontology", "vocab", "summary"):
            continue
        g = Graph(identifier=URIRef(iri))
        g.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name), format="nt")
        yield g


def publish_remote_index(store_dir: Path, endpoint: str, search: SearchUpdate) -> Path:
    """The word index of graphs loaded into a SPARQL server, kept in the build's local state.

    Written beside the store folder under a name made from the endpoint, then
    renamed into place, so a reader sees the old index or the new, never half.
    """
    path = remote_index_path(store_dir, endpoint)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)
    search.write(temporary, base=path if path.is_file() else None, everything=lambda: iter(()))
    os.replace(temporary, path)
    # The file names its Tantivy half by the temporary name it was written under; every other
    # half in the folder belongs to an index replaced now or to a build killed before this one.
    with SearchIndex(path) as published:
        keep = published.ranking_folder()
    for folder in path.parent.glob(f".{path.name}.*.tantivy"):
        if folder != keep:
            shutil.rmtree(folder, ignore_errors=True)
    return path


#: Quads written per bulk load. Each bulk load adds a set of sorted files
#: that compaction never merges again, so a store loaded graph by graph had
#: ~8,000 files at 1,000 reports: every later open, checkpoint and delete
#: paid for each one (docs/decisions/0803-bulk-load-generations.md). About Oxigraph's own bulk-load chunk size.
BULK_LOAD_QUADS = 1_000_000
#: A batch of N-Quads is loaded once it is this large, whatever its quads (its bytes are in memory twice).
BATCH_BYTES = 32 << 20


class _QuadBatch:
    """Named graphs gathered into large N-Quads loads.

    A new store takes every batch with ``bulk_load`` (no per-triple
    transactions; no reader sees the generation yet). A checkpoint takes a
    batch under ``BULK_LOAD_QUADS``, such as the few graphs of an
    incremental build, through an ordinary load, which compaction merges
    like any write, so repeated updates do not pile up files.
    """

    def __init__(self, store: Any, *, bulk: bool) -> None:
        self.store = store
        self.bulk = bulk
        self.parts: list[bytes] = []
        self.quads = 0
        self.size = 0

    def add(self, graph: Graph | SpooledGraph) -> None:
        if isinstance(graph, SpooledGraph):
            # Read in pieces, and a batch is written once it holds BATCH_BYTES: a long document's
            # N-Quads are never in memory whole.
            name = f" <{graph.identifier}> .\n".encode()
            for piece in graph.pieces(BATCH_BYTES):
                self.parts.append(piece.replace(b" .\n", name))
                self.size += len(self.parts[-1])
                self.quads += piece.count(b"\n")
                if self.quads >= BULK_LOAD_QUADS or self.size >= BATCH_BYTES:
                    self.write()
            return
        self.parts.append(_nquads(graph))
        self.size += len(self.parts[-1])
        self.quads += len(graph)
        if self.quads >= BULK_LOAD_QUADS or self.size >= BATCH_BYTES:
            self.write()

    def write(self) -> None:
        import pyoxigraph as ox

        if not self.parts:
            return
        data = b"".join(self.parts)
        if self.bulk or self.quads >= BULK_LOAD_QUADS:
            self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        else:
            self.store.load(data, format=ox.RdfFormat.N_QUADS)
        self.parts, self.quads, self.size = [], 0, 0


def _nquads(graph: Graph | SpooledGraph) -> bytes:
    """A graph as N-Quads naming it: its N-Triples with the graph on every line.

    N-Triples lines end in " .\\n" and a newline never occurs inside a term,
    so naming the graph is one replace.
    """
    data = graph.serialize(format="nt", encoding="utf-8")
    if not isinstance(data, bytes):  # pragma: no cover - rdflib returns bytes when given an encoding
        data = str(data).encode("utf-8")
    return data.replace(b" .\n", f" <{graph.identifier}> .\n".encode())


def _switch(store_dir: Path, target: Path) -> None:
    """Point ``current`` at ``target`` with one atomic rename, and make the rename durable."""
    tmp = store_dir / f".{CURRENT_LINK}.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target.relative_to(store_dir))
    os.replace(tmp, store_dir / CURRENT_LINK)
    try:
        fd = os.open(store_dir, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open a directory
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _prune(store_dir: Path, keep: set[Path]) -> None:
    """Remove every generation but ``keep`` (the new one and the one it replaced).

    Orphans of killed builds go too: keeping "the newest previous by name"
    could keep a half-written orphan and delete the generation readers use.
    Stray temporary links of killed switches are removed as well.
    """
    keep = {k.resolve() for k in keep}
    for generation in (store_dir / GENERATIONS_DIR).iterdir():
        if generation.resolve() not in keep:
            shutil.rmtree(generation, ignore_errors=True)
    for stray in store_dir.glob(f".{CURRENT_LINK}.*"):
        stray.unlink(missing_ok=True)


def remove_leftovers(store_dir: Path) -> list[Path]:
    """Delete what killed builds left in a store: spools, orphan generations, temporary links.

    Run at the start of every build, so the store's size is bounded by two
    generations (the current one and the one before it, which readers may
    still hold) plus the caches, whatever was killed before. Generations are
    judged under the build lock, so the one another build is writing is not
    touched; spools are judged by their own locks (kg/store/spool.py). A
    generation is an orphan when it is neither current nor the newest one
    older than current: a build killed before its switch leaves one newer
    than current, and a build killed after its switch leaves the one before
    the previous. Returns what was removed.
    """
    from kg.store.spool import remove_stale_spools

    check_writable(store_dir)
    removed = remove_stale_spools(store_dir)
    generations = store_dir / GENERATIONS_DIR
    if not generations.is_dir():
        return removed
    with _build_lock(store_dir):
        current = current_generation(store_dir)
        keep: set[Path] = set()
        if current is not None:
            keep.add(current)
            older = [g for g in generations.iterdir() if _born(g) < _born(current)]
            if older:
                keep.add(max(older, key=_born).resolve())
        for generation in generations.iterdir():
            if generation.resolve() not in keep:
                shutil.rmtree(generation, ignore_errors=True)
                removed.append(generation)
        for stray in store_dir.glob(f".{CURRENT_LINK}.*"):
            stray.unlink(missing_ok=True)
            removed.append(stray)
    return removed


def check_writable(store_dir: Path) -> None:
    """Make the store folder if need be and make sure files can be made in it, or raise ``StoreError``.

    Checked before a build does any work, so a store the user cannot write
    is one line at once, not a traceback after the extraction.
    """
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        probe = store_dir / f".write-check.{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise StoreError(
            f"{e.filename or store_dir}: cannot write the store folder {store_dir} ({e.strerror or e}); "
            "choose another with --store or $KG_STORE"
        ) from e


def _born(generation: Path) -> tuple[int, str]:
    """When a generation was started: the nanosecond time in its name ``g<ns>-<pid>``."""
    stamp = generation.name[1:].split("-", 1)[0]
    return (int(stamp) if stamp.isdigit() else 0, generation.name)


def open_dataset(location: str | Path) -> Dataset:
    """Open a store for reading: an embedded store directory, ``"memory"``, or a SPARQL endpoint URL.

    The dataset's default graph is the union of its named graphs, so
    queries need no ``GRAPH`` clause.
    """
    if str(location) == MEMORY:
        return bind_prefixes_ds(Dataset(default_union=True))
    if isinstance(location, str) and location.lower().startswith(("http://", "https://")):  # a SPARQL server: remote.py
        from kg.store.remote import open_remote

        return bind_prefixes_ds(open_remote(location))
    store_dir = Path(location)
    generation = current_generation(store_dir)
    if generation is None:
        raise StoreError(f"{store_dir}: no built graph here; run `kg build --store {store_dir}` first")
    from typing import cast

    import pyoxigraph as ox

    from kg.store.answers import register
    from kg.store.search_index import attach_index

    follow = CurrentGeneration(store_dir, generation)
    dataset = bind_prefixes_ds(Dataset(store=_following_store(follow), default_union=True))
    return attach_index(register(dataset, cast(ox.Store, _Queries(follow))), follow.index)


class CurrentGeneration:
    """The read-only Oxigraph store of a store folder's current generation, reopened when a build moves it.

    A reader that lives longer than a build (``kg serve`` workers, a
    ``KnowledgeGraph`` in a notebook) would otherwise answer from its first
    generation for ever, and hold that generation's files open after the
    next builds delete it. Each use reads the ``current`` link (one
    ``readlink``); when it points elsewhere the new generation is opened and
    the old one dropped, so its files are released once no answer in
    progress still reads them. One query runs on one generation; a reader
    that makes several calls may see the switch between two of them.
    """

    def __init__(self, store_dir: Path, generation: Path) -> None:
        self.store_dir = store_dir
        self.target = self._link()
        self.store = self._open(generation)
        #: How many times a new generation was opened (readers that cache derived data compare it).
        self.opened = 1

    def _link(self) -> str | None:
        try:
            return os.readlink(self.store_dir / CURRENT_LINK)
        except OSError:
            return None

    @staticmethod
    def _open(generation: Path) -> Any:
        import pyoxigraph as ox

        try:
            return ox.Store.read_only(str(generation))
        except OSError as e:
            raise StoreError(f"{generation}: cannot open the store read-only ({e})") from e

    def index(self) -> Path:
        """The word index of the generation being read (kg/store/search_index.py), published with it."""
        self.get()
        return index_path(self.store_dir / self.target) if self.target else index_path(self.store_dir / CURRENT_LINK)

    def get(self) -> Any:
        """The store of the current generation (the one already open unless ``current`` moved)."""
        target = self._link()
        if target is None or target == self.target:
            return self.store
        generation = current_generation(self.store_dir)
        if generation is None:
            return self.store
        try:
            store = self._open(generation)
        except StoreError:  # moved again, or pruned, while it was being opened: keep the one that works
            return self.store
        self.store, self.target = store, target
        self.opened += 1
        return store


class _Queries:
    """What ``kg.store.answers`` calls on an embedded store (``query``), on the current generation."""

    def __init__(self, follow: CurrentGeneration) -> None:
        self.follow = follow

    def query(self, *args: Any, **kwargs: Any) -> Any:
        return self.follow.get().query(*args, **kwargs)


def _following_store(follow: CurrentGeneration) -> Any:
    """An oxrdflib store whose every operation goes to the current generation."""
    from oxrdflib import OxigraphStore

    class FollowingStore(OxigraphStore):
        #: Found by ``generation_token``.
        follow: CurrentGeneration

        @property
        def _inner(self) -> Any:
            return follow.get()

    store = FollowingStore()  # no store of its own: a fixed one would keep the first generation open
    store.follow = follow
    return store


def generation_token(dataset: Dataset) -> int:
    """A number that changes whenever ``dataset`` starts reading a new generation (0 for other stores)."""
    follow = getattr(dataset.store, "follow", None)
    if isinstance(follow, CurrentGeneration):
        follow.get()
        return follow.opened
    return 0


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
