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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import Namespace

from kg.spool import SpooledGraph

SH = Namespace("http://www.w3.org/ns/shacl#")


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


def nquads(graph: Graph | SpooledGraph) -> bytes:
    """A graph as N-Quads naming it: its N-Triples with the graph on every line.

    N-Triples lines end in " .\\n" and a newline never occurs inside a term,
    so naming the graph is one replace.
    """
    data = graph.serialize(format="nt", encoding="utf-8")
    if not isinstance(data, bytes):  # pragma: no cover - rdflib returns bytes when given an encoding
        data = str(data).encode("utf-8")
    return data.replace(b" .\n", f" <{graph.identifier}> .\n".encode())


class BaseGraphs:
    """The base generation of an incremental build, read-only, to diff new graphs against."""

    def __init__(self, generation: Path) -> None:
        import pyoxigraph as ox

        self.store = ox.Store.read_only(str(generation))

    def delta(self, graph: Graph) -> GraphDelta:
        """What must change in the base's copy of ``graph`` (all of it, if the base has none)."""
        import pyoxigraph as ox

        name = ox.NamedNode(str(graph.identifier))
        new = set(ox.parse(nquads(graph), format=ox.RdfFormat.N_QUADS))
        old = set(self.store.quads_for_pattern(None, None, None, name))
        return GraphDelta(
            identifier=URIRef(str(graph.identifier)),
            removed=tuple(old - new),
            added=tuple(new - old),
            triples=len(new),
        )

    def close(self) -> None:
        del self.store


def local_shapes(shapes: Graph) -> bool:
    """Does every constraint of ``shapes`` look only along a focus node's outgoing paths?

    Then a node's conformance depends only on what it and the nodes it
    leads to say, and ``touched_part`` is all a delta can make invalid.
    Inverse paths and SPARQL constraints can look anywhere, so a shapes
    graph using them gets whole-graph validation.
    """
    return not any(True for _ in shapes.triples((None, SH.inversePath, None))) and not any(
        True for _ in shapes.triples((None, SH.sparql, None))
    )


def touched_part(graph: Graph, subjects: Iterable[URIRef | BNode]) -> Graph:
    """Every triple of ``graph`` about a node that reaches, or is reached from, one of ``subjects``.

    Under ``local_shapes``, a node whose own triples and whose successors'
    triples are unchanged validates as it did, so the nodes leading to a
    changed subject (a link whose evidence span changed) and the nodes it
    leads to (that link's selectors) are all that need validating again.
    """
    seeds = set(subjects)
    above: set[URIRef | BNode] = set()
    todo = list(seeds)
    while todo:
        node = todo.pop()
        if node in above:
            continue
        above.add(node)
        todo.extend(s for s in graph.subjects(None, node) if isinstance(s, URIRef | BNode) and s not in above)
    out = Graph(bind_namespaces="core")
    seen: set[URIRef | BNode] = set()
    todo = list(above)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            out.add((node, p, o))
            if isinstance(o, URIRef | BNode) and o not in seen:
                todo.append(o)
    return out
