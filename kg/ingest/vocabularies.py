"""The programme and force vocabularies, as metadata detection needs them.

Detection and the manifest resolve names against the same SKOS labels
(``ontology/vocab/programmes.ttl``, ``forces.ttl``), so a programme or a
force is never spelled two ways. Read once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg import resources
from kg.errors import OntologyError

HMI = "https://w3id.org/hmi-kg/ontology#"
PROGRAMME_SCHEME = "https://w3id.org/hmi-kg/vocab/programme"
PILLAR_SCHEME = "https://w3id.org/hmi-kg/vocab/peel-pillar"
FORCE_SCHEME = "https://w3id.org/hmi-kg/vocab/force"

_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad"})


def label_key(text: str) -> str:
    """Case-, space-, apostrophe- and dash-insensitive form of a label."""
    text = text.translate(_DASHES).replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    text = re.sub(r"\s*-\s*", "-", text)
    return " ".join(text.lower().split())


@dataclass(frozen=True, slots=True)
class Concept:
    """A programme, pillar or force concept: its IRI, local name and labels."""

    iri: str
    slug: str
    pref_label: str
    alt_labels: tuple[str, ...]
    broader: str | None = None


@dataclass(frozen=True, slots=True)
class ConceptIndex:
    """Concepts of one scheme, looked up by slug or any label."""

    concepts: tuple[Concept, ...]

    def by_slug(self) -> dict[str, Concept]:
        return {c.slug: c for c in self.concepts}

    def lookup(self, name: str) -> Concept | None:
        """The concept whose slug, prefLabel or altLabel ``name`` is."""
        return _label_index(self).get(label_key(name))


@cache
def _label_index(index: ConceptIndex) -> dict[str, Concept]:
    out: dict[str, Concept] = {}
    for c in index.concepts:
        out.setdefault(label_key(c.slug), c)
        out.setdefault(label_key(c.pref_label), c)
    for c in index.concepts:
        for alt in c.alt_labels:
            out.setdefault(label_key(alt), c)
    return out


def _load(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as err:  # rdflib raises many types
        raise OntologyError(f"{path}: not valid Turtle ({err}); fix the file syntax") from err
    return graph


def _concepts(graph: Graph, scheme: str) -> ConceptIndex:
    out = []
    for s in sorted(set(graph.subjects(SKOS.inScheme, URIRef(scheme))), key=str):
        if not isinstance(s, URIRef) or (s, RDF.type, SKOS.Concept) not in graph:
            continue
        if graph.value(s, URIRef(HMI + "ownForceReference")) is not None:
            continue
        prefs = sorted(str(v) for v in graph.objects(s, SKOS.prefLabel) if isinstance(v, Literal))
        if not prefs:
            continue
        alts = tuple(sorted(str(v) for v in graph.objects(s, SKOS.altLabel) if isinstance(v, Literal)))
        broader = graph.value(s, SKOS.broader)
        out.append(
            Concept(
                iri=str(s),
                slug=str(s).rstrip("/").rsplit("/", 1)[-1],
                pref_label=prefs[0],
                alt_labels=alts,
                broader=str(broader).rsplit("/", 1)[-1] if broader is not None else None,
            )
        )
    return ConceptIndex(tuple(out))


@cache
def _programme_graph(vocab_dir: Path) -> Graph:
    path = vocab_dir / "programmes.ttl"
    if not path.is_file():
        raise OntologyError(f"{path}: programme vocabulary not found; expected ontology/vocab/programmes.ttl")
    return _load(path)


@cache
def _force_graph(vocab_dir: Path) -> Graph:
    path = vocab_dir / "forces.ttl"
    if not path.is_file():
        raise OntologyError(f"{path}: force vocabulary not found; expected ontology/vocab/forces.ttl")
    return _load(path)


def programmes() -> ConceptIndex:
    """The programme and cycle concepts."""
    return _cached_index(resources.vocab_dir(), "programme")


def pillars() -> ConceptIndex:
    """The PEEL pillar concepts."""
    return _cached_index(resources.vocab_dir(), "pillar")


def forces() -> ConceptIndex:
    """The force concepts (the own-force helper concept left out)."""
    return _cached_index(resources.vocab_dir(), "force")


@cache
def _cached_index(vocab_dir: Path, which: str) -> ConceptIndex:
    if which == "programme":
        return _concepts(_programme_graph(vocab_dir), PROGRAMME_SCHEME)
    if which == "pillar":
        return _concepts(_programme_graph(vocab_dir), PILLAR_SCHEME)
    return _concepts(_force_graph(vocab_dir), FORCE_SCHEME)
