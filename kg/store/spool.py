"""Spool named graphs to disk as they are built, so a build's memory stays flat.

A large corpus makes millions of triples; holding every document's graph in
memory until the store is written costs gigabytes. Each graph is written
to N-Triples in a temporary directory as soon as it is validated and then
dropped; publishing reads the files back one at a time.
"""

from __future__ import annotations

import hashlib
import heapq
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from rdflib import Graph, URIRef

from kg.errors import StoreError


@dataclass(frozen=True, slots=True)
class SpooledGraph:
    """A named graph kept on disk: what the store writers need of a ``Graph``."""

    identifier: URIRef
    path: Path
    triples: int

    def serialize(self, *, format: str = "nt", encoding: str = "utf-8") -> bytes:  # noqa: A002
        """The graph as N-Triples bytes (the only format spooled)."""
        if format not in ("nt", "ntriples") or encoding != "utf-8":
            raise ValueError("a spooled graph is stored as UTF-8 N-Triples only")
        return self.path.read_bytes()

    def pieces(self, size: int = 64 << 20) -> Iterator[bytes]:
        """The graph's N-Triples in pieces of whole lines, about ``size`` bytes each (a long document's
        graph is loaded into the store piece by piece, never read whole)."""
        with self.path.open("rb") as handle:
            while piece := b"".join(handle.readlines(size)):
                yield piece

    def load(self) -> Graph:
        """The graph back in memory (for callers that need rdflib)."""
        g = Graph(identifier=self.identifier, bind_namespaces="core")
        g.parse(self.path, format="nt")
        return g

    def __len__(self) -> int:
        return self.triples


SPOOL_PREFIX = ".spool-"
_LOCK_NAME = ".in-use"
#: A spool folder with no lock file yet is left alone this long (its build may be starting).
_YOUNG_S = 600


class Spool:
    """A temporary directory of spooled graphs, removed on exit.

    A build killed with SIGKILL cannot remove its spool, so each spool
    holds an advisory lock on a file inside it for its whole life (the
    kernel drops it when the process dies, however it dies);
    ``remove_stale_spools`` deletes exactly the spools whose lock is free.
    """

    def __init__(self, parent: Path | None = None) -> None:
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        try:
            self.dir = Path(tempfile.mkdtemp(prefix=SPOOL_PREFIX, dir=parent))
            self._lock = _hold(self.dir / _LOCK_NAME)
        except OSError as e:
            where = parent or tempfile.gettempdir()
            raise StoreError(f"{where}: cannot make a spool folder ({e.strerror or e})") from e
        self.graphs: list[SpooledGraph] = []
        self._made = 0

    def add(self, graph: Graph) -> SpooledGraph:
        """Write a graph to disk and remember it."""
        data = graph.serialize(format="nt", encoding="utf-8")
        return self.add_nt(
            URIRef(str(graph.identifier)), data if isinstance(data, bytes) else str(data).encode(), len(graph)
        )

    def add_nt(self, identifier: URIRef, data: bytes, triples: int) -> SpooledGraph:
        """Spool a graph already serialized as N-Triples."""
        path = self.dir / f"{len(self.graphs):06d}.nt"
        try:
            path.write_bytes(data)
        except OSError as e:  # the disk is full, as a rule: say so, not where in the code
            path.unlink(missing_ok=True)
            raise StoreError(
                f"{path.parent}: cannot write the graph <{identifier}> to the spool ({e.strerror or e}); "
                "nothing was published and the previous graph is unchanged"
            ) from e
        spooled = SpooledGraph(identifier=URIRef(str(identifier)), path=path, triples=triples)
        self.graphs.append(spooled)
        return spooled

    def sort_triples(self, chunks: Iterable[Graph], *, run_lines: int = 400_000) -> SortedTriples:
        """Write the union of ``chunks`` as sorted, duplicate-free N-Triples: ``canonical_nt`` of the whole.

        An external merge sort: at most ``run_lines`` lines are in memory,
        sorted runs go to disk and are merged, so a document's graph is
        never held whole however long the document. The file is not a
        spooled graph until ``adopt``ed (its document may yet be skipped).
        """
        self._made += 1
        stem = self.dir / f"sorted-{self._made:06d}"
        runs: list[Path] = []
        lines: list[bytes] = []
        try:
            for chunk in chunks:
                data = chunk.serialize(format="nt", encoding="utf-8")
                lines.extend(line for line in (data if isinstance(data, bytes) else data.encode()).split(b"\n") if line)
                if len(lines) >= run_lines:
                    runs.append(_write_run(stem.with_suffix(f".run{len(runs)}"), lines))
                    lines = []
            target = stem.with_suffix(".nt")
            if not runs:
                return _write_sorted(target, iter(sorted(set(lines))))
            runs.append(_write_run(stem.with_suffix(f".run{len(runs)}"), lines))
            del lines
            handles = [run.open("rb") for run in runs]
            try:
                return _write_sorted(target, heapq.merge(*handles))
            finally:
                for handle in handles:
                    handle.close()
        except OSError as e:
            raise StoreError(
                f"{self.dir}: cannot write a document's graph to the spool ({e.strerror or e}); "
                "nothing was published and the previous graph is unchanged"
            ) from e
        finally:
            for run in runs:
                run.unlink(missing_ok=True)

    def adopt(self, identifier: URIRef, graph: SortedTriples) -> SpooledGraph:
        """Make a file of ``sort_triples`` the spooled graph ``identifier``."""
        path = self.dir / f"{len(self.graphs):06d}.nt"
        graph.path.replace(path)
        spooled = SpooledGraph(identifier=URIRef(str(identifier)), path=path, triples=graph.triples)
        self.graphs.append(spooled)
        return spooled

    def __iter__(self) -> Iterator[SpooledGraph]:
        return iter(self.graphs)

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object | TracebackType | None) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()


@dataclass(frozen=True, slots=True)
class SortedTriples:
    """A graph written by ``Spool.sort_triples``: its file, size and ``content_digest``."""

    path: Path
    triples: int
    digest: str

    def lines(self) -> Iterator[bytes]:
        """Its N-Triples lines, in order, each with its newline."""
        with self.path.open("rb") as handle:
            yield from handle

    def discard(self) -> None:
        """Remove the file (its document was skipped, or the store already holds the same graph)."""
        self.path.unlink(missing_ok=True)


def _write_run(path: Path, lines: list[bytes]) -> Path:
    """One sorted, duplicate-free run of an external sort."""
    with path.open("wb") as handle:
        for line in sorted(set(lines)):
            handle.write(line + b"\n")
    return path


def _write_sorted(path: Path, lines: Iterator[bytes]) -> SortedTriples:
    """Write sorted lines (with or without their newline) once each; count and hash what was written."""
    digest = hashlib.sha256()
    count = 0
    previous = None
    with path.open("wb") as handle:
        for raw in lines:
            line = raw if raw.endswith(b"\n") else raw + b"\n"
            if line == previous:
                continue
            previous = line
            handle.write(line)
            digest.update(line)
            count += 1
    return SortedTriples(path=path, triples=count, digest=digest.hexdigest())


def _hold(path: Path) -> IO[bytes] | None:
    """Open ``path`` and hold an exclusive advisory lock on it (None where there are no such locks)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: spools of killed builds are left to the user
        return None
    handle = open(path, "a+b")  # noqa: SIM115 - held open for the spool's life
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    return handle


def remove_stale_spools(parent: Path) -> list[Path]:
    """Delete the spool folders under ``parent`` that no running build holds; returns them.

    A spool's lock is free only once its build has ended, so a spool of a
    build running alongside is never touched. A folder without a lock file
    is removed once it is old: its build died before taking the lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return []
    import time

    removed: list[Path] = []
    try:
        candidates = [p for p in parent.iterdir() if p.name.startswith(SPOOL_PREFIX) and p.is_dir()]
    except OSError:
        return []
    for folder in candidates:
        try:
            with open(folder / _LOCK_NAME, "rb") as handle:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # its build is running
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            try:
                if time.time() - folder.stat().st_mtime < _YOUNG_S:
                    continue
            except OSError:
                continue
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
        removed.append(folder)
    return removed
