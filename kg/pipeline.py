"""Compose the stages: corpus -> documents -> structure -> statements -> graph -> store."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from kg.errors import ValidationFailed
from kg.extract import extract_statements
from kg.formats import normalise_title
from kg.graph import build_graph
from kg.ingest import read_corpus
from kg.namespaces import HMI, HMID, bind_prefixes
from kg.records import Extraction, IngestFailure, SourceDocument
from kg.resources import ontology_dir
from kg.store import publish_generation
from kg.structure import structure
from kg.validate import ValidationReport, load_turtle, validate

ONTOLOGY_GRAPH = HMID["graph/ontology"]
VOCAB_GRAPH = HMID["graph/vocab"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildReport:
    """What a build did: documents in, files skipped and why, what came out."""

    documents: tuple[str, ...]
    failures: tuple[IngestFailure, ...]
    statements: dict[str, int]
    discrepancies: int
    triples: int
    validation: ValidationReport
    store: str
    seconds: float


def reference_graphs() -> list[Graph]:
    """The ontology and every vocabulary, each in its own named graph."""
    onto = bind_prefixes(Graph(identifier=ONTOLOGY_GRAPH, bind_namespaces="core"))
    onto += load_turtle(ontology_dir() / "kg.ttl")
    vocab = bind_prefixes(Graph(identifier=VOCAB_GRAPH, bind_namespaces="core"))
    for path in sorted((ontology_dir() / "vocab").glob("*.ttl")):
        vocab += load_turtle(path)
    return [onto, vocab]


def force_resolver(vocab: Graph) -> Callable[[str], URIRef | None]:
    """Look a force name up among the vocabulary's force labels."""
    index: dict[str, URIRef] = {}
    for force in vocab.subjects(RDF.type, HMI.PoliceForce):
        if not isinstance(force, URIRef):
            continue
        for label in list(vocab.objects(force, SKOS.prefLabel)) + list(vocab.objects(force, SKOS.altLabel)):
            index.setdefault(normalise_title(str(label)), force)
    return lambda name: index.get(normalise_title(name))


def extract_document(document: SourceDocument) -> Extraction:
    """All per-document stages; depends on no other document."""
    return extract_statements(structure(document))


def build_graphs(
    corpus_dir: Path, *, progress: Callable[[str], None] | None = None
) -> tuple[list[Graph], list[Extraction], list[IngestFailure]]:
    """Read and extract every document; return reference + document graphs."""
    graphs = reference_graphs()
    resolve = force_resolver(graphs[1])
    extractions: list[Extraction] = []
    failures: list[IngestFailure] = []
    for item in read_corpus(corpus_dir):
        if isinstance(item, IngestFailure):
            failures.append(item)
            if progress:
                progress(item.path)
            continue
        extraction = extract_document(item)
        extractions.append(extraction)
        graphs.append(build_graph(extraction, resolve_force=resolve))
        if progress:
            progress(item.path)
    return graphs, extractions, failures


def union(graphs: Iterable[Graph]) -> Graph:
    """One graph with every triple of the given graphs (for validation)."""
    out = Graph(bind_namespaces="core")
    for g in graphs:
        out += g
    return out


def build(
    corpus_dir: Path,
    store_dir: Path,
    *,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the graph of a corpus into an embedded store, validated before it is published."""
    started = time.perf_counter()
    graphs, extractions, failures = build_graphs(corpus_dir, progress=progress)
    report = validate(union(graphs))
    if not report.conforms:
        raise ValidationFailed(
            f"the built graph breaks {len(report.violations)} SHACL constraint(s); the previous graph is kept. "
            f"First: {report.violations[0].focus}: {report.violations[0].message}"
        )
    publish_generation(store_dir, graphs)
    kinds = Counter(s.kind for e in extractions for s in e.statements)
    return BuildReport(
        documents=tuple(e.structured.document.doc_id for e in extractions),
        failures=tuple(failures),
        statements=dict(sorted(kinds.items())),
        discrepancies=sum(len(e.discrepancies) for e in extractions),
        triples=sum(len(g) for g in graphs),
        validation=report,
        store=str(store_dir),
        seconds=time.perf_counter() - started,
    )
