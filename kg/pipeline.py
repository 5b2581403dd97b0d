"""Compose the stages: corpus -> documents -> structure -> statements -> graph -> store."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from kg.errors import ValidationFailed
from kg.extractor import Extractor, load_vocab_graph, make_extractor
from kg.graph import build_graph, build_links_graph, graph_iri
from kg.incremental import ExtractionCache, document_key, extract_corpus, extractor_tag, pipeline_fingerprint
from kg.ingest import read_corpus
from kg.link import link_statements, load_topics, resolve_announced
from kg.namespaces import HMID, bind_prefixes
from kg.records import Extraction, IngestFailure, SourceDocument
from kg.resources import ontology_dir
from kg.spool import Spool
from kg.store import current_generation, publish_generation, read_build_manifest
from kg.validate import ValidationReport, Violation, load_turtle, validate

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
    reused: tuple[str, ...] = ()  # issue 7: documents whose cached extraction was reused (kg/incremental.py)


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


def iter_document_graphs(
    corpus_dir: Path,
    extractor: Extractor,
    *,
    extractions: list[Extraction],
    failures: list[IngestFailure],
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
    cache: ExtractionCache | None = None,
    unchanged: Callable[[SourceDocument], bool] | None = None,
    slim: bool = False,
) -> Iterator[Graph]:
    """Each document's named graph, one at a time; extraction records and failures are collected.

    Only the small extraction records are kept (the link stage needs every
    document's statements); graphs are handed on as soon as they are built.
    A document for which ``unchanged`` is true yields no graph: the store
    already holds it. With ``slim``, the kept records drop the document's
    section tree (the link stage reads only metadata and statements), so a
    large corpus's build holds little more than its statements.
    """
    # issue 8: documents are extracted in `jobs` processes (kg/parallel.py), results in corpus order.
    # issue 7: with a cache, unchanged documents are not re-extracted (kg/incremental.py).
    for item in extract_corpus(extractor, read_corpus(corpus_dir), jobs=jobs, cache=cache):
        if isinstance(item, IngestFailure):
            failures.append(item)
            if progress:
                progress(item.path)
            continue
        if unchanged is None or not unchanged(item.structured.document):
            yield build_graph(item, resolve_force=extractor.resolve_force, known_concepts=extractor.known_concepts)
        extractions.append(replace(item, structured=replace(item.structured, sections=())) if slim else item)
        if progress:
            progress(item.structured.document.path)


def links_graph(extractions: list[Extraction], vocab: Graph) -> Graph:
    """The cross-document stage: runs on every build, over every document's statements."""
    announced = resolve_announced(extractions)
    links = link_statements(extractions, load_topics(vocab))
    return build_links_graph(extractions, links, announced)


def build_graphs(
    corpus_dir: Path,
    *,
    progress: Callable[[str], None] | None = None,
    extractor: Extractor | None = None,
    jobs: int = 1,
    cache: ExtractionCache | None = None,
) -> tuple[list[Graph], list[Extraction], list[IngestFailure]]:
    """Every graph of a corpus in memory: reference graphs, document graphs, then links."""
    graphs = reference_graphs()
    extractions: list[Extraction] = []
    failures: list[IngestFailure] = []
    graphs += iter_document_graphs(
        corpus_dir,
        extractor or default_extractor(),
        extractions=extractions,
        failures=failures,
        progress=progress,
        jobs=jobs,
        cache=cache,
    )
    graphs.append(links_graph(extractions, graphs[1]))
    return graphs, extractions, failures


def type_triples(vocab: Graph) -> Graph:
    """The vocabulary's ``rdf:type`` triples: all a document graph needs to be validated alone."""
    out = Graph(bind_namespaces="core")
    for triple in vocab.triples((None, RDF.type, None)):
        out.add(triple)
    return out


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
    incremental: bool = True,
) -> BuildReport:
    """Build the graph of a corpus into an embedded store, validated before it is published.

    With ``endpoint`` (issue 8) the named graphs go to a SPARQL server instead (kg/remote.py).
    """
    started = time.perf_counter()
    cache = ExtractionCache(store_dir) if incremental and not endpoint else None  # issue 7
    extractor = extractor or default_extractor()
    reference = reference_graphs()
    vocab_types = type_triples(reference[1])
    extractions: list[Extraction] = []
    failures: list[IngestFailure] = []
    violations: list[Violation] = []
    # Incremental publishing: when the current generation was built by this very
    # pipeline, unchanged documents keep their graphs and only changes are written.
    fingerprint = f"{pipeline_fingerprint()}|{extractor_tag(extractor)}"
    base = current_generation(store_dir) if cache is not None else None
    previous = read_build_manifest(base)
    previous_docs = previous.get("documents") if previous.get("fingerprint") == fingerprint else None
    if not isinstance(previous_docs, dict):
        base, previous_docs = None, {}
    keys: dict[str, str] = {}
    with Spool(None if endpoint else store_dir) as spool:
        if base is None:
            for graph in reference:
                spool.add(graph)
        documents = iter_document_graphs(
            corpus_dir,
            extractor,
            extractions=extractions,
            failures=failures,
            progress=progress,
            jobs=jobs,
            cache=cache,
            slim=True,
            unchanged=lambda doc: (
                previous_docs.get(doc.doc_id)
                == keys.setdefault(doc.doc_id, document_key(doc, extractor_tag(extractor)))
            ),
        )

        def then_links() -> Iterator[Graph]:
            yield links_graph(extractions, reference[1])  # after every document has been read

        # Each graph is validated on its own (with the vocabulary's types) and
        # spooled to disk, so memory does not grow with the corpus.
        for graph in chain(documents, then_links()):
            violations += validate(graph + vocab_types).violations
            spool.add(graph)
        report = ValidationReport(conforms=not violations, violations=tuple(violations))
        if not report.conforms:
            raise ValidationFailed(
                f"the built graph breaks {len(report.violations)} SHACL constraint(s); the previous graph is kept. "
                f"First: {report.violations[0].focus}: {report.violations[0].message}"
            )
        current_ids = {e.structured.document.doc_id for e in extractions}
        removed = [str(graph_iri(d)) for d in previous_docs if d not in current_ids]
        counts = dict(previous.get("graphs", {})) if base is not None else {}  # type: ignore[call-overload]
        for iri in removed:
            counts.pop(iri, None)
        counts.update({str(g.identifier): len(g) for g in spool})
        manifest: dict[str, object] = {
            "graphs": counts,
            "fingerprint": fingerprint,
            "documents": {
                e.structured.document.doc_id: keys.get(e.structured.document.doc_id)
                or document_key(e.structured.document, extractor_tag(extractor))
                for e in extractions
            },
        }
        if endpoint:  # issue 8: the remote-store path
            from kg.remote import publish_graphs

            publish_graphs(endpoint, spool)
        else:
            publish_generation(store_dir, spool, base=base, remove=removed, manifest=manifest)
        triples = sum(counts.values())
    kinds = Counter(s.kind for e in extractions for s in e.statements)
    return BuildReport(
        documents=tuple(e.structured.document.doc_id for e in extractions),
        failures=tuple(failures),
        statements=dict(sorted(kinds.items())),
        discrepancies=sum(len(e.discrepancies) for e in extractions),
        triples=triples,
        validation=report,
        store=endpoint or str(store_dir),
        seconds=time.perf_counter() - started,
        reused=tuple(cache.reused) if cache else (),
    )
