"""Graph deltas: an incremental build writes what changed in a graph, not the whole graph.

An update re-derives a few named graphs (the changed report's, the link
units holding it, the entity summary), but most of their triples come out
as they were: a corrected sentence moves a handful of links. Writing each
graph whole cost a delete and a reload of every triple, and validating
each links graph whole cost a pySHACL run over thousands of unchanged
links. A ``GraphDelta`` holds only the quads to remove and to add, found by
comparing the new graph with the base generation's copy; ``touched_part``
is the part of a graph whose validity a delta can change
(docs/decisions/0807-graph-deltas.md).

The base's copy is read from ``GraphCopies``, a cache beside the store of
each diffed graph's sorted N-Triples, named by their digest: reading a graph
back from a store that was just opened costs 25-40 µs a quad, as much as
re-validating it. An entry is found by the digest the base generation's
manifest recorded and checked against it, so a missing or foreign entry
only means reading the store instead.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef

from kg.cachefiles import keep_only, write_whole


@dataclass(frozen=True, slots=True)
class GraphDelta:
    """The change to one named graph: pyoxigraph quads to remove and to add."""

    identifier: URIRef
    removed: tuple[Any, ...]
    added: tuple[Any, ...]
    #: Triples in the graph once the delta is applied.
    triples: int

    @property
    def unchanged(self) -> bool:
        return not self.removed and not self.added

    def subjects(self) -> set[URIRef | BNode]:
        """The subjects of every removed or added triple, as rdflib terms."""
        import pyoxigraph as ox

        out: set[URIRef | BNode] = set()
        for quad in (*self.removed, *self.added):
            subject = quad.subject
            out.add(URIRef(subject.value) if isinstance(subject, ox.NamedNode) else BNode(subject.value))
        return out

    def __len__(self) -> int:
        return self.triples


class StaleCopy(Exception):
    """A filed graph copy that could not be read to its end, or whose lines do not match its digest."""


def _ordered(lines: Iterable[bytes], side: str) -> Iterator[bytes]:
    """Sorted lines without their newlines, each once; an out-of-order line is an error, never a wrong delta."""
    previous = b""
    for raw in lines:
        line = raw.rstrip(b"\r\n")
        if not line or line == previous:
            continue
        if line < previous:
            raise ValueError(f"the {side} graph's lines are not sorted: {line[:120]!r} after {previous[:120]!r}")
        previous = line
        yield line


def sorted_diff(old: Iterable[bytes], new: Iterable[bytes]) -> tuple[list[bytes], list[bytes], int]:
    """Lines only in ``old``, lines only in ``new`` (both in order) and how many distinct lines ``new`` has.

    Both sides are sorted (``canonical_nt``, ``kg.store.spool.Spool.sort_triples``), so one
    pass over the two, as in a merge, finds the change; holding each side as a set of
    lines cost several times a long document's graph in memory. What is kept is the change.
    """
    olds, news = _ordered(old, "base"), _ordered(new, "new")
    removed: list[bytes] = []
    added: list[bytes] = []
    count = 0
    previous = next(olds, None)
    for line in news:
        count += 1
        while previous is not None and previous < line:
            removed.append(previous)
            previous = next(olds, None)
        if previous == line:
            previous = next(olds, None)
        else:
            added.append(line)
    while previous is not None:
        removed.append(previous)
        previous = next(olds, None)
    return removed, added, count


def canonical_nt(graph: Graph) -> bytes:
    """A graph's N-Triples with the lines sorted: equal graphs (without blank nodes) give equal bytes."""
    data = graph.serialize(format="nt", encoding="utf-8")
    if not isinstance(data, bytes):  # pragma: no cover - rdflib returns bytes when given an encoding
        data = str(data).encode("utf-8")
    lines = sorted(line for line in data.split(b"\n") if line)
    return b"\n".join(lines) + b"\n" if lines else b""


def content_digest(data: bytes) -> str:
    """The digest a graph copy is filed and recorded under."""
    return hashlib.sha256(data).hexdigest()


COPY_SUFFIX = ".nt.gz"


class GraphCopies:
    """Copies of diffed graphs (``canonical_nt``), filed by digest beside the store; an optimisation only."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, digest: str) -> Path:
        return self.directory / f"{digest}{COPY_SUFFIX}"

    def lines(self, digest: str | None) -> Iterator[bytes] | None:
        """The copy with this digest, line by line, or None if there is none.

        Read as a stream, so a copy as large as a long document's graph is
        never held whole; the digest is checked as it is read, and a copy that
        cannot be read to its end or does not match raises ``StaleCopy`` once
        read (the caller then reads the store instead).
        """
        if not digest or not self._path(digest).is_file():
            return None
        return self._checked(self._path(digest), digest)

    @staticmethod
    def _checked(path: Path, digest: str) -> Iterator[bytes]:
        check = hashlib.sha256()
        try:
            with gzip.open(path, "rb") as handle:
                for line in handle:
                    check.update(line)
                    yield line
        except (OSError, EOFError) as e:
            raise StaleCopy(f"{path}: unreadable ({e})") from e
        if check.hexdigest() != digest:
            raise StaleCopy(f"{path}: does not match its digest")

    def put(self, digest: str, data: bytes) -> None:
        """File a copy; written to a temporary file and renamed, so never half-written."""
        target = self._path(digest)
        if target.exists():
            return
        try:
            write_whole(target, gzip.compress(data, compresslevel=1, mtime=0))
        except OSError:
            return

    def put_file(self, digest: str, source: Path) -> None:
        """File a copy of a ``canonical_nt`` file (``kg.store.spool.SortedTriples``), compressed as it is read."""
        target = self._path(digest)
        if target.exists():
            return
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as src, gzip.GzipFile(tmp, "wb", compresslevel=1, mtime=0) as out:
                shutil.copyfileobj(src, out, 1 << 20)
            os.replace(tmp, target)
        except OSError:
            tmp.unlink(missing_ok=True)

    def prune(self, keep: Iterable[str]) -> None:
        """Drop every copy but those of ``keep`` (digests), and stray temporary files."""
        keep_only(self.directory, (f"{d}{COPY_SUFFIX}" for d in keep))


class BaseGraphs:
    """The base generation of an incremental build, read-only, to diff new graphs against."""

    def __init__(self, generation: Path) -> None:
        import pyoxigraph as ox

        self.store = ox.Store.read_only(str(generation))

    def delta(self, identifier: URIRef, new: Iterable[bytes], old: Iterable[bytes] | None = None) -> GraphDelta:
        """What must change in the base's copy of a graph, given both as ``canonical_nt`` lines.

        Without ``old``, the base's copy is read from the store (and sorted: the
        store's order is not the lines' order).
        """
        import pyoxigraph as ox

        if old is None:
            name = ox.NamedNode(str(identifier))
            old = sorted(f"{q.triple} .".encode() for q in self.store.quads_for_pattern(None, None, None, name))
        removed, added, triples = sorted_diff(old, new)

        def quads(lines: list[bytes]) -> tuple[Any, ...]:
            data = b"".join(line[: -len(b" .")] + f" <{identifier}> .\n".encode() for line in lines)
            return tuple(ox.parse(data, format=ox.RdfFormat.N_QUADS))

        return GraphDelta(
            identifier=URIRef(str(identifier)), removed=quads(removed), added=quads(added), triples=triples
        )

    def close(self) -> None:
        del self.store


def touched_part(graph: Graph, subjects: Iterable[URIRef | BNode]) -> Graph:
    """Every triple of ``graph`` about a node that reaches, or is reached from, one of ``subjects``.

    Under ``kg.graph.validate.local_shapes``, a node whose own triples and whose successors'
    triples are unchanged validates as it did, so the nodes leading to a
    changed subject (a link whose evidence span changed) and the nodes it
    leads to (that link's selectors) are all that need validating again.
    """
    above = _reachable(subjects, lambda node: graph.subjects(None, node))
    out = Graph(bind_namespaces="core")
    for node in _reachable(above, lambda node: graph.objects(node, None)):
        for p, o in graph.predicate_objects(node):
            out.add((node, p, o))
    return out


def _reachable(start: Iterable[Any], step: Callable[[Any], Iterable[Any]]) -> set[URIRef | BNode]:
    """Every node reached from ``start`` by repeating ``step`` (literals end a path)."""
    seen: set[URIRef | BNode] = set()
    todo = list(start)
    while todo:
        node = todo.pop()
        if node in seen or not isinstance(node, URIRef | BNode):
            continue
        seen.add(node)
        todo.extend(step(node))
    return seen
