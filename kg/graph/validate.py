"""Validate: check a graph against ``ontology/shapes.ttl`` with pySHACL."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from kg.resources import load_turtle, ontology_dir


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One SHACL result: which node, which property, and what is wrong."""

    focus: str
    path: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationReport:
    """Whether the graph conforms, and every violation in a stable order."""

    conforms: bool
    violations: tuple[Violation, ...]


@cache
def _default_graphs(directory: Path) -> tuple[Graph, Graph]:
    """Shapes and ontology, parsed once per process: a build validates every document separately."""
    return load_turtle(directory / "shapes.ttl"), load_turtle(directory / "kg.ttl")


def local_shapes(shapes: Graph) -> bool:
    """Does every constraint of ``shapes`` look only along a focus node's outgoing paths?

    Then a node's conformance depends only on what it and the nodes it
    leads to say, and ``kg.store.delta.touched_part`` is all a delta can
    make invalid. Inverse paths and SPARQL constraints can look anywhere, so
    a shapes graph using them gets whole-graph validation.
    """
    return (None, SH.inversePath, None) not in shapes and (None, SH.sparql, None) not in shapes


def shapes_are_local() -> bool:
    """Do the project's shapes look only along outgoing paths (so a graph delta can be validated alone)?"""
    return local_shapes(_default_graphs(ontology_dir())[0])


def validate(
    data: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None, disposable: bool = False
) -> ValidationReport:
    """Validate ``data`` (typically the union of the named graphs).

    With ``disposable`` the caller hands over a graph made only to be
    validated, and pySHACL mixes the ontology into it instead of into a
    copy: a build validates every document, and the copy was a fifth of it.
    """
    import pyshacl

    default_shapes, default_ontology = _default_graphs(ontology_dir())
    shapes = shapes if shapes is not None else default_shapes
    ontology = ontology if ontology is not None else default_ontology
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        inplace=disposable,
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
    )
    assert isinstance(results, Graph)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        violations.append(
            Violation(
                focus=str(results.value(result, SH.focusNode)),
                path=str(results.value(result, SH.resultPath) or ""),
                severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                message=str(results.value(result, SH.resultMessage) or ""),
            )
        )
    return ValidationReport(
        conforms=bool(conforms), violations=tuple(sorted(violations, key=lambda v: (v.focus, v.path, v.message)))
    )


def closed_chunks(path: Path, identifier: str, *, size: int = 50_000) -> Iterator[Graph]:
    """A graph in sorted N-Triples (``kg.store.spool.Spool.sort_triples``) as graphs of about ``size`` triples each,
    every one closed under the paths the shapes look along.

    Each chunk holds a run of subjects with all their triples (sorted
    lines put a subject's triples together), and every triple of every
    node those reach: a span's selectors, a statement's actions and the
    types of its concepts. When the shapes are local (``shapes_are_local``:
    they look only along outgoing paths), a node conforms in its chunk
    exactly as in the whole graph, and every node is the subject of some
    chunk, so validating the chunks one by one keeps every guarantee of
    validating the whole, counts and one-parent rules included: those are
    about a node's own triples, and its chunk has them all. A node
    reached from several chunks is validated in each (the same result).
    Shapes that look elsewhere get the whole graph as one chunk.
    """
    if not shapes_are_local():
        g = Graph(identifier=URIRef(identifier), bind_namespaces="core")
        g.parse(path, format="nt")
        yield g
        return
    index = _subject_index(path)
    with path.open("rb") as handle:

        def read(node: bytes) -> bytes:
            offset, length, _ = index[node]
            handle.seek(offset)
            return handle.read(length)

        focus: list[bytes] = []
        triples = 0
        for subject, (_, _, count) in index.items():
            focus.append(subject)
            triples += count
            if triples < size:
                continue
            yield _closure(focus, read, index, identifier)
            focus, triples = [], 0
        if focus:
            yield _closure(focus, read, index, identifier)


def _subject_index(path: Path) -> dict[bytes, tuple[int, int, int]]:
    """Where each subject's lines are in a sorted N-Triples file: (offset, length, lines), in file order."""
    index: dict[bytes, tuple[int, int, int]] = {}
    offset = 0
    current, start, count = b"", 0, 0
    with path.open("rb") as handle:
        for line in handle:
            subject = line[: line.index(b" ")]
            if subject != current:
                if current:
                    index[current] = (start, offset - start, count)
                current, start, count = subject, offset, 0
            offset += len(line)
            count += 1
    if current:
        index[current] = (start, offset - start, count)
    return index


def _closure(
    focus: list[bytes], read: Callable[[bytes], bytes], index: Mapping[bytes, object], identifier: str
) -> Graph:
    """The triples of ``focus`` and of every node they reach, as one graph."""
    seen = set(focus)
    todo = list(focus)
    parts: list[bytes] = []
    while todo:
        data = read(todo.pop())
        parts.append(data)
        for line in data.splitlines():
            obj = line.split(b" ", 2)[2]
            if obj[:1] in (b"<", b"_"):
                node = obj[: obj.index(b" ")] if b" " in obj else obj
                if node not in seen and node in index:
                    seen.add(node)
                    todo.append(node)
    g = Graph(identifier=URIRef(identifier), bind_namespaces="core")
    g.parse(data=b"".join(parts), format="nt")
    return g
