"""Validate: check a graph against ``ontology/shapes.ttl`` with pySHACL."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, SH

from kg.errors import OntologyError
from kg.resources import ontology_dir


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


def load_turtle(path: Path) -> Graph:
    """Parse one Turtle file, naming it if it does not parse."""
    g = Graph(bind_namespaces="core")
    try:
        g.parse(path, format="turtle")
    except FileNotFoundError as e:
        raise OntologyError(f"{path}: file not found") from e
    except Exception as e:  # rdflib raises parser-specific types
        raise OntologyError(f"{path}: does not parse as Turtle ({e})") from e
    return g


@cache
def _default_graphs(directory: Path) -> tuple[Graph, Graph]:
    """Shapes and ontology, parsed once per process: a build validates every document separately."""
    return load_turtle(directory / "shapes.ttl"), load_turtle(directory / "kg.ttl")


def shapes_are_local() -> bool:
    """Do the project's shapes look only along outgoing paths (so a graph delta can be validated alone)?"""
    from kg.store.delta import local_shapes

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
