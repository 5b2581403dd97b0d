"""Spool named graphs to disk as they are built, so a build's memory stays flat.

A large corpus makes millions of triples; holding every document's graph in
memory until the store is written costs gigabytes. Each graph is written
to N-Triples in a temporary directory as soon as it is validated and then
dropped; publishing reads the files back one at a time.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from rdflib import Graph, URIRef


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

    def load(self) -> Graph:
        """The graph back in memory (for callers that need rdflib)."""
        g = Graph(identifier=self.identifier, bind_namespaces="core")
        g.parse(self.path, format="nt")
        return g

    def __len__(self) -> int:
        return self.triples


class Spool:
    """A temporary directory of spooled graphs, removed on exit."""

    def __init__(self, parent: Path | None = None) -> None:
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=".spool-", dir=parent))
        self.graphs: list[SpooledGraph] = []

    def add(self, graph: Graph) -> SpooledGraph:
        """Write a graph to disk and remember it."""
        data = graph.serialize(format="nt", encoding="utf-8")
        return self.add_nt(
            URIRef(str(graph.identifier)), data if isinstance(data, bytes) else str(data).encode(), len(graph)
        )

    def add_nt(self, identifier: URIRef, data: bytes, triples: int) -> SpooledGraph:
        """Spool a graph already serialized as N-Triples."""
        path = self.dir / f"{len(self.graphs):06d}.nt"
        path.write_bytes(data)
        spooled = SpooledGraph(identifier=URIRef(str(identifier)), path=path, triples=triples)
        self.graphs.append(spooled)
        return spooled

    def __iter__(self) -> Iterator[SpooledGraph]:
        return iter(self.graphs)

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object | TracebackType | None) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
