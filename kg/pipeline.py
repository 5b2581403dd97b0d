"""Compose the stages: corpus -> documents -> structure -> statements -> graph -> store."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.errors import ValidationFailed
from kg.extractor import Extractor, load_vocab_graph, make_extractor
from kg.graph import build_graph
from kg.ingest import read_corpus
from kg.namespaces import HMID, bind_prefixes
from kg.parallel import map_documents
from kg.records import Extraction, IngestFailure, SourceDocument
from kg.resources import ontology_dir
from kg.store import publish_generation
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
    vocab += load_vocab_graph()
    return [onto, vocab]


def extract_document(document: SourceDocument, extractor: Extractor | None = None) -> Extraction:
    """All per-document stages; depends on no other document."""
    return (extractor or default_extractor())(document)


_DEFAULT: list[Extractor] = []


def default_extractor() -> Extractor:
    """One shared extractor per process (building the spaCy pipeline takes a second)."""
    if not _DEFAULT:
        _DEFAULT.append(make_extractor())
    return _DEFAULT[0]


def build_graphs(
    corpus_dir: Path,
    *,
    progress: Callable[[str], None] | None = None,
    extractor: Extractor | None = None,
    jobs: int = 1,
) -> tuple[list[Graph], list[Extraction], list[IngestFailure]]:
    """Read and extract every document; return reference + document graphs."""
    graphs = reference_graphs()
    extractor = extractor or default_extractor()
    extractions: list[Extraction] = []
    failures: list[IngestFailure] = []
    # issue 8: documents are extracted in `jobs` processes (kg/parallel.py), results in corpus order.
    for item in map_documents(extractor, read_corpus(corpus_dir), jobs=jobs):
        if isinstance(item, IngestFailure):
            failures.append(item)
            if progress:
                progress(item.path)
            continue
        extraction = item
        extractions.append(extraction)
        graphs.append(
            build_graph(extraction, resolve_force=extractor.resolve_force, known_concepts=extractor.known_concepts)
        )
        if progress:
            progress(extraction.structured.document.path)
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
    extractor: Extractor | None = None,
    jobs: int = 1,
    endpoint: str | None = None,
) -> BuildReport:
    """Build the graph of a corpus into an embedded store, validated before it is published.

    With ``endpoint`` (issue 8) the named graphs go to a SPARQL server instead (kg/remote.py).
    """
    started = time.perf_counter()
    graphs, extractions, failures = build_graphs(corpus_dir, progress=progress, extractor=extractor, jobs=jobs)
    report = validate(union(graphs))
    if not report.conforms:
        raise ValidationFailed(
            f"the built graph breaks {len(report.violations)} SHACL constraint(s); the previous graph is kept. "
            f"First: {report.violations[0].focus}: {report.violations[0].message}"
        )
    if endpoint:  # issue 8: the remote-store path
        from kg.remote import publish_graphs

        publish_graphs(endpoint, graphs)
    else:
        publish_generation(store_dir, graphs)
    kinds = Counter(s.kind for e in extractions for s in e.statements)
    return BuildReport(
        documents=tuple(e.structured.document.doc_id for e in extractions),
        failures=tuple(failures),
        statements=dict(sorted(kinds.items())),
        discrepancies=sum(len(e.discrepancies) for e in extractions),
        triples=sum(len(g) for g in graphs),
        validation=report,
        store=endpoint or str(store_dir),
        seconds=time.perf_counter() - started,
    )
