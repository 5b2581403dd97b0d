"""The build: compose the stages over a corpus, one step after another.

``build`` runs these steps, each a function below taking and returning typed
records (docs/architecture.md has the table):

1. ``_prepare``: check the destination; load the extractor, the ontology and vocabularies.
2. ``_previous_build``: what the current generation's build recorded, if this build can update it.
3. ``_scan``: scan the corpus once (unchanged files are not even decoded).
4. ``_plan_build``: which documents changed, and the link units (``_PlannedBuild``).
5. ``_read``: decode the changed documents the scan did not.
6. ``_extract_documents``: extract them, make each one's graph, write and validate it alone.
7. ``_read_for_linking``: the link units to recompute, and the other publications they hold.
8. ``_link``: each affected unit's links graph, written and validated.
9. ``_entity_summary``: the corpus-wide entity counts.
10. ``_validated`` and the publish policy: refuse before anything is published.
11. ``_publish``: a new generation of the embedded store, or a SPARQL server's graphs.

An incremental build and a full one run the same steps: a full build is one
whose previous build is empty, so every document has changed. Parallel
extraction and the extraction cache are options of step 6
(``kg.build.incremental.extract_corpus``).
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.build.extractor import Extractor, load_vocab_graph, make_extractor
from kg.build.heap import existing_objects_frozen
from kg.build.incremental import (
    CACHE_DIR,
    GRAPHS_DIR,
    ExtractionCache,
    decode,
    document_key,
    encode,
    extract_corpus,
    extraction_failed,
    extractor_tag,
    pipeline_fingerprint,
)
from kg.errors import BuildRefused, StoreError, ValidationFailed
from kg.graph.tally import (
    SUMMARY_GRAPH,
    DocumentTally,
    TallySums,
    decode_tally,
    document_tally,
    encode_tally,
    summary_graph,
)
from kg.graph.triples import build_graph, build_links_graph, graph_chunks, graph_iri, links_graph_iri
from kg.graph.validate import ValidationReport, Violation, closed_chunks, shapes_are_local, validate
from kg.ingest import read_corpus
from kg.ingest.corpus import FileStat, manifest_warnings, read_known, scan_corpus
from kg.ingest.duplicates import body_digest
from kg.ingest.manifest import ManifestEntry, load_manifest
from kg.link.linker import (
    ItemMemo,
    LinkUnit,
    Topic,
    link_inputs,
    link_unit,
    link_units,
    load_topics,
    resolve_announced,
    restated_follow_ups,
)
from kg.namespaces import HMID, bind_prefixes
from kg.records import DocumentMetadata, Extraction, IngestFailure, KnownDocument, SourceDocument
from kg.resources import load_turtle, ontology_dir
from kg.store.delta import BaseGraphs, GraphCopies, GraphDelta, StaleCopy, touched_part
from kg.store.generations import (
    current_generation,
    publish_generation,
    publish_remote_index,
    read_build_manifest,
    remove_leftovers,
)
from kg.store.search_index import SearchUpdate, entity_labels
from kg.store.spool import SortedTriples, Spool

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
    #: Documents whose cached extraction was reused (kg/build/incremental.py).
    reused: tuple[str, ...] = ()
    #: Link units whose links were computed (all of them in a full build; kg/link/linker.py ``LinkUnit``).
    relinked: tuple[str, ...] = ()
    #: Problems that skipped nothing, such as a manifest entry naming no file of the corpus.
    warnings: tuple[str, ...] = ()


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
) -> Iterator[Graph]:
    """Each document's named graph, one at a time; extraction records and failures are collected."""
    # Documents are extracted in `jobs` processes (kg/build/parallel.py), results in corpus order.
    for item in extract_corpus(extractor, read_corpus(corpus_dir), jobs=jobs, cache=cache):
        if isinstance(item, IngestFailure):
            failures.append(item)
        else:
            yield build_graph(item, resolve_force=extractor.resolve_force, known_concepts=extractor.known_concepts)
            extractions.append(item)
        if progress:
            progress(item.path if isinstance(item, IngestFailure) else item.structured.document.path)


def _slim(extraction: Extraction) -> Extraction:
    """What the link stage reads of an extraction: metadata, statements, mentions, themes (no section tree)."""
    return replace(extraction, structured=replace(extraction.structured, sections=()))


def unit_links_graphs(extractions: Sequence[Extraction], vocab: Graph, extractor: Extractor) -> Iterator[Graph]:
    """The cross-document stage: one graph of inferred links per link unit, in unit order."""
    topics = load_topics(vocab)
    by_id = {e.structured.document.doc_id: e for e in extractions}
    groups, units = link_units([(d, e.structured.document.metadata) for d, e in by_id.items()], extractor.resolve_force)
    memo = ItemMemo()
    for unit in units:
        graph = links_graph(unit, by_id, groups, topics, memo)
        if graph:
            yield graph


def links_graph(
    unit: LinkUnit,
    extractions: Mapping[str, Extraction],
    groups: Mapping[str, str],
    topics: Sequence[Topic],
    memo: ItemMemo | None = None,
) -> Graph:
    """One link unit's inferred links (a report's follow-ups, or a release's restatements and the status they carry)."""
    members = [extractions[d] for d in unit.documents if d in extractions]
    links = link_unit(unit, extractions, groups, topics, memo)
    carried = restated_follow_ups(unit, extractions, groups, topics, memo)
    return build_links_graph(members, links, resolve_announced(members), unit=unit.key, restated_follow_ups=carried)


def build_graphs(
    corpus_dir: Path,
    *,
    progress: Callable[[str], None] | None = None,
    extractor: Extractor | None = None,
    jobs: int = 1,
    cache: ExtractionCache | None = None,
) -> tuple[list[Graph], list[Extraction], list[IngestFailure]]:
    """Every graph of a corpus in memory: reference graphs, document graphs, then links."""
    extractor = extractor or default_extractor()
    graphs = reference_graphs()
    extractions: list[Extraction] = []
    failures: list[IngestFailure] = []
    documents = list(
        iter_document_graphs(
            corpus_dir,
            extractor,
            extractions=extractions,
            failures=failures,
            progress=progress,
            jobs=jobs,
            cache=cache,
        )
    )
    graphs += documents
    graphs.append(summary_graph(document_tally(g) for g in documents))
    graphs += unit_links_graphs(extractions, graphs[1], extractor)
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


@dataclass(frozen=True, slots=True)
class _PlannedBuild:
    """What an incremental build must redo, decided before any extraction.

    Changed documents are extracted (or loaded from the cache) and their
    graphs rebuilt. Link units are recomputed only when what the linker
    reads of them changed (``affected``): new units, units whose
    publications changed, and units holding a document whose link inputs
    (``kg.link.linker.link_inputs``) changed. An edit outside every statement
    re-links nothing. Everything else stays as the base generation has it.
    """

    keys: dict[str, str]
    groups: dict[str, str]
    units: dict[str, LinkUnit]
    changed: frozenset[str]
    removed: tuple[str, ...]
    #: Units that are new or whose publications are not the ones the base generation linked.
    regrouped: frozenset[str]
    dropped_units: tuple[str, ...]

    def affected(self, relinked: frozenset[str]) -> tuple[LinkUnit, ...]:
        """The units to recompute, given the documents whose link inputs changed."""
        return tuple(
            u
            for key, u in sorted(self.units.items())
            if key in self.regrouped or any(d in relinked for d in u.documents)
        )


def _plan(
    documents: list[tuple[str, str, DocumentMetadata]],
    extractor: Extractor,
    previous: dict[str, dict[str, Any]] | None,
    previous_units: dict[str, list[str]],
) -> _PlannedBuild:
    """``documents``: each document's id, cache key and metadata, in corpus order."""
    keys = {doc_id: key for doc_id, key, _ in documents}
    groups, unit_list = link_units([(doc_id, meta) for doc_id, _, meta in documents], extractor.resolve_force)
    units = {u.key: u for u in unit_list}
    if previous is None:
        return _PlannedBuild(keys, groups, units, frozenset(keys), (), frozenset(units), ())
    changed = frozenset(d for d, key in keys.items() if previous.get(d, {}).get("key") != key)
    removed = tuple(d for d in previous if d not in keys)
    regrouped = frozenset(u.key for u in unit_list if list(u.documents) != previous_units.get(u.key))
    dropped = tuple(k for k in previous_units if k not in units)
    return _PlannedBuild(keys, groups, units, changed, removed, regrouped, dropped)


def graph_key(document: SourceDocument, tag: str) -> str:
    """What decides a document's named graph: its extraction's key, its id and its file's name.

    The extraction does not depend on the file's name (the cache keeps it
    across a rename, ``kg.build.incremental.document_key``), but the graph
    records it (``hmi:sourceFile``): a rename that keeps the id and the
    bytes must still rewrite the graph.
    """
    name = Path(document.path).name
    return hashlib.sha256(f"{document_key(document, tag)}\0{document.doc_id}\0{name}".encode()).hexdigest()


def _metadata(record: dict[str, Any]) -> DocumentMetadata:
    """A document's metadata as the build manifest recorded it."""
    value = decode(DocumentMetadata, record["metadata"], None)  # type: ignore[arg-type]
    assert isinstance(value, DocumentMetadata)
    return value


def _decoded(
    corpus_dir: Path,
    items: list[SourceDocument | KnownDocument],
    manifest: Mapping[str, ManifestEntry],
    failures: list[IngestFailure],
) -> list[SourceDocument]:
    """The documents, decoding the files ``scan_corpus`` skipped (an affected link unit needs them)."""
    skipped = [d for d in items if isinstance(d, KnownDocument)]
    decoded: dict[str, SourceDocument] = {}
    for item in read_known(corpus_dir, skipped, manifest):
        if isinstance(item, IngestFailure):
            failures.append(item)  # changed or vanished since it was scanned
        else:
            decoded[item.doc_id] = item
    out: list[SourceDocument] = []
    for d in items:
        if isinstance(d, SourceDocument):
            out.append(d)
        elif d.doc_id in decoded:
            out.append(decoded[d.doc_id])
    return out


#: Files changed this close to the start of the build that recorded their stats are hashed again.
STAT_MARGIN_NS = 2_000_000_000


def _trusted_stats(records: Mapping[str, Mapping[str, Any]], manifest: Mapping[str, object]) -> dict[str, FileStat]:
    """The file stats the last build recorded that can stand for the files' bytes.

    A stat says nothing of a write made in the same clock tick as it was
    taken, so, as git does for its index, a file last changed after the
    recording build began is read and hashed again whatever its stat says.
    File times come from a coarser clock than ``time.time_ns``, hence the
    margin.
    """
    began = manifest.get("started_ns")
    if not isinstance(began, int):
        return {}
    began -= STAT_MARGIN_NS
    out: dict[str, FileStat] = {}
    for record in records.values():
        stat = record.get("stat")
        if isinstance(stat, list) and len(stat) == 6:
            rel, size, mtime_ns, ctime_ns, inode, sha256 = stat
            if mtime_ns < began and ctime_ns < began:
                out[str(rel)] = FileStat(int(size), int(mtime_ns), int(ctime_ns), int(inode), str(sha256))
    return out


def _recorded_digests(manifest: dict[str, object]) -> dict[str, str]:
    """The digests of the diffed graphs the previous build wrote (graph IRI -> ``content_digest``)."""
    digests = manifest.get("digests")
    return {str(k): str(v) for k, v in digests.items()} if isinstance(digests, dict) else {}


def _previous_units(manifest: dict[str, object]) -> dict[str, list[str]]:
    """The previous build's link units (unit key -> its publications)."""
    units = manifest.get("units")
    return {str(k): [str(d) for d in v] for k, v in units.items()} if isinstance(units, dict) else {}


def _previous_documents(manifest: dict[str, object], fingerprint: str) -> dict[str, dict[str, Any]] | None:
    """The previous build's per-document records, if that build ran this very pipeline."""
    docs = manifest.get("documents") if manifest.get("fingerprint") == fingerprint else None
    if not isinstance(docs, dict) or not all(isinstance(v, dict) and "metadata" in v for v in docs.values()):
        return None
    return docs


#: The share of the current graph's documents a build may remove without ``allow_removal``.
MAX_REMOVAL_SHARE = 0.5
#: Triples a document's graph is validated in at a time (``kg.graph.validate.closed_chunks``).
CHUNK_TRIPLES = 50_000


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishPolicy:
    """What a build must refuse to publish (nothing is published when it refuses).

    ``strict``: any skipped file. Unless ``allow_empty``: a graph with no
    document where the current one has some. Unless ``allow_removal``: a
    graph without more than ``MAX_REMOVAL_SHARE`` of the current one's
    documents (a corpus folder half copied, or a mount that did not come up).
    """

    strict: bool = False
    allow_empty: bool = False
    allow_removal: bool = False

    def check_failures(self, failures: Sequence[IngestFailure], warnings: Sequence[str] = ()) -> None:
        if self.strict and (failures or warnings):
            raise BuildRefused(
                f"{len(failures)} file(s) could not be used and {len(warnings)} warning(s) were given "
                "under --strict; nothing was published",
                exit_code=1,
                failures=(*failures, *warnings),
            )

    def check_removal(self, before: Iterable[str], after: Iterable[str]) -> None:
        """Refuse a build that would leave out every, or too large a share, of the documents ``before``."""
        previous = list(before)
        kept = set(after)
        gone = [d for d in previous if d not in kept]
        if not gone:
            return
        named = ", ".join(gone[:10]) + (f" and {len(gone) - 10} more" if len(gone) > 10 else "")
        if not kept and not self.allow_empty:
            raise BuildRefused(
                f"this build has no document and would remove all {len(previous)} of the current graph "
                f"({named}); nothing was published. If the corpus is meant to be empty, use --allow-empty"
            )
        if kept and len(gone) > MAX_REMOVAL_SHARE * len(previous) and not self.allow_removal:
            raise BuildRefused(
                f"this build would remove {len(gone)} of the current graph's {len(previous)} documents "
                f"(over the {MAX_REMOVAL_SHARE:.0%} a build removes unasked): {named}; nothing was published. "
                "If they are meant to go, use --allow-removal"
            )


def _published_documents(store_dir: Path, endpoint: str | None, manifest: dict[str, object] | None) -> list[str]:
    """The ids of the documents the current graph holds, embedded or on the endpoint."""
    if endpoint:
        from kg.store.remote import published_documents

        return published_documents(endpoint)
    if manifest is None:
        manifest = read_build_manifest(current_generation(store_dir))
    documents = manifest.get("documents")
    return [str(d) for d in documents] if isinstance(documents, dict) else []


def build(
    corpus_dir: Path,
    store_dir: Path,
    *,
    progress: Callable[[str], None] | None = None,
    extractor: Extractor | None = None,
    jobs: int = 1,
    endpoint: str | None = None,
    incremental: bool = True,
    policy: PublishPolicy | None = None,
) -> BuildReport:
    """Build the graph of a corpus into an embedded store, validated before it is published.

    With ``endpoint`` the named graphs go to a SPARQL server instead (kg/store/remote.py).
    When the current generation was built by this very pipeline, the build
    is incremental (docs/decisions/0702-incremental-extraction-cache.md):
    only changed documents are extracted and written, and only the link
    units holding them recomputed, so an update costs about what its
    documents cost, whatever the corpus size.

    ``policy`` (default: ``PublishPolicy()``) says what to refuse; a refusal
    raises ``BuildRefused`` before anything is published.
    """
    with existing_objects_frozen() as freeze_long_lived:
        return _build(
            corpus_dir,
            store_dir,
            progress=progress,
            extractor=extractor,
            jobs=jobs,
            endpoint=endpoint,
            incremental=incremental,
            freeze_long_lived=freeze_long_lived,
            policy=policy or PublishPolicy(),
        )


def _build(
    corpus_dir: Path,
    store_dir: Path,
    *,
    progress: Callable[[str], None] | None,
    extractor: Extractor | None,
    jobs: int,
    endpoint: str | None,
    incremental: bool,
    freeze_long_lived: Callable[[], None],
    policy: PublishPolicy,
) -> BuildReport:
    """``build``, step by step, with the objects that existed before it out of the garbage collector's full passes.

    ``freeze_long_lived`` puts what exists when it is called out of them too
    (kg/build/heap.py): called once the previous build's records are read, and again
    once the extractions an update re-links with are, since both live to the end.
    """
    started = time.perf_counter()
    started_ns = time.time_ns()
    setup = _prepare(corpus_dir, store_dir, extractor, jobs=jobs, endpoint=endpoint, incremental=incremental)
    previous = _previous_build(setup)
    scan = _scan(setup, previous, progress)
    failures = list(scan.failures)
    # Decided before any extraction, and again before publishing (extraction can fail too).
    policy.check_failures(failures, scan.warnings)
    policy.check_removal(previous.published, (d.doc_id for d in scan.order))
    plan = _plan_build(setup, previous, scan)
    freeze_long_lived()
    changed = _read(setup, scan, plan.changed, failures)
    search = SearchUpdate(full=previous.generation is None, entity_labels=entity_labels(setup.reference[1]))
    kept = _Kept(plan.keys, progress)
    with Spool(None if endpoint else store_dir) as spool:
        out = _GraphWriter(setup, previous, spool)
        if previous.generation is None:
            for graph in setup.reference:
                spool.add(graph)
        _extract_documents(setup, changed, out, search, kept, failures)
        affected = _read_for_linking(setup, previous, scan, plan, kept, failures, progress)
        freeze_long_lived()
        removed = _removed_graphs(previous, plan, kept)
        _link(setup, affected, plan, kept, out, search, removed)
        ordered = _ordered_records(setup, scan, kept)
        summary = _entity_summary(previous, plan, ordered, out)
        out.close_base()
        report = _validated(out.violations)
        policy.check_failures(failures, scan.warnings)
        policy.check_removal(previous.published, ordered)
        counts = _graph_counts(previous, removed, out)
        digests = {iri: d for iri, d in sorted(out.digests.items()) if iri in counts}
        manifest: dict[str, object] = {
            "graphs": counts,
            "fingerprint": setup.fingerprint,
            "documents": ordered,
            "units": {key: list(unit.documents) for key, unit in sorted(plan.units.items())},
            "summary": summary,
            "started_ns": started_ns,
            "digests": digests,
        }
        _publish(setup, previous, out, search, removed, manifest)
        triples = sum(counts.values())
    if setup.cache is not None:
        setup.cache.prune(ordered)
    if out.copies is not None:
        out.copies.prune(digests.values())
    kinds: Counter[str] = Counter()
    for record in ordered.values():
        kinds.update(record.get("statements", {}))
    reused = [d for d in ordered if d not in setup.cache.extracted] if setup.cache is not None else []
    return BuildReport(
        documents=tuple(ordered),
        failures=tuple(failures),
        statements=dict(sorted(kinds.items())),
        discrepancies=sum(int(r.get("discrepancies", 0)) for r in ordered.values()),
        triples=triples,
        validation=report,
        store=endpoint or str(store_dir),
        seconds=time.perf_counter() - started,
        reused=tuple(reused),
        relinked=tuple(u.key for u in affected),
        warnings=scan.warnings,
    )


# ---------------------------------------------------------------- the steps of a build, in order


@dataclass(frozen=True, slots=True, kw_only=True)
class _Setup:
    """What every step of one build shares: where it reads and writes, and what it extracts with."""

    corpus_dir: Path
    store_dir: Path
    endpoint: str | None
    jobs: int
    extractor: Extractor
    #: The extraction cache beside the store (None: a build to a server, or asked not to be incremental).
    cache: ExtractionCache | None
    #: What of the extractor's configuration changes its output, and the whole pipeline's fingerprint.
    tag: str
    fingerprint: str
    #: The ontology and vocabulary graphs; the vocabulary's types (all a graph needs to be validated alone).
    reference: tuple[Graph, Graph]
    vocab_types: Graph
    topics: Sequence[Topic]


def _prepare(
    corpus_dir: Path,
    store_dir: Path,
    extractor: Extractor | None,
    *,
    jobs: int,
    endpoint: str | None,
    incremental: bool,
) -> _Setup:
    """Check the destination, and load what every document is extracted and validated with."""
    if endpoint:
        from kg.store.remote import check_endpoint

        check_endpoint(endpoint)  # an unreachable server is found before the extraction, not after
    else:
        remove_leftovers(store_dir)  # of builds killed before: the store's size stays bounded
    cache = ExtractionCache(store_dir) if incremental and not endpoint else None
    extractor = extractor or default_extractor()
    tag = extractor_tag(extractor)
    onto, vocab = reference_graphs()
    return _Setup(
        corpus_dir=corpus_dir,
        store_dir=store_dir,
        endpoint=endpoint,
        jobs=jobs,
        extractor=extractor,
        cache=cache,
        tag=tag,
        reference=(onto, vocab),
        vocab_types=type_triples(vocab),
        topics=load_topics(vocab),
        fingerprint=f"{pipeline_fingerprint()}|{tag}",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _PreviousBuild:
    """What the build of the current generation recorded, when this build can update it."""

    #: The generation an update starts from; None for a full build.
    generation: Path | None
    #: Its build manifest (empty for a full build).
    manifest: dict[str, object]
    #: Its per-document records (empty for a full build).
    documents: dict[str, dict[str, Any]]
    #: Its link units (unit key -> publications; empty for a full build).
    units: dict[str, list[str]]
    #: The documents the current graph holds, whether or not this build updates it.
    published: list[str]


def _previous_build(setup: _Setup) -> _PreviousBuild:
    """The current generation's records, when it was built by this very pipeline (else a full build)."""
    base = current_generation(setup.store_dir) if setup.cache is not None else None
    manifest = read_build_manifest(base)
    published = _published_documents(setup.store_dir, setup.endpoint, manifest if base is not None else None)
    documents = _previous_documents(manifest, setup.fingerprint) if base is not None else None
    if documents is None:
        return _PreviousBuild(generation=None, manifest=manifest, documents={}, units={}, published=published)
    return _PreviousBuild(
        generation=base, manifest=manifest, documents=documents, units=_previous_units(manifest), published=published
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _CorpusScan:
    """The corpus, scanned once: its documents in order, and what could not be used."""

    #: Decoded documents, and records of files unchanged since the last build (not even decoded).
    order: tuple[SourceDocument | KnownDocument, ...]
    manifest: Mapping[str, ManifestEntry]
    #: Each file's stat as this scan saw it (path relative to the corpus).
    observed: dict[str, FileStat]
    failures: tuple[IngestFailure, ...]
    warnings: tuple[str, ...]


def _scan(setup: _Setup, previous: _PreviousBuild, progress: Callable[[str], None] | None) -> _CorpusScan:
    """Scan the corpus once, in order.

    Files whose bytes and manifest entry are unchanged since the last build
    are not even decoded (``kg.ingest.corpus.scan_corpus``): their records
    say all the plan needs.
    """
    before = previous.documents
    known = {str(r.get("source")): d for d, r in before.items() if r.get("source")}
    cache_dir = setup.store_dir / CACHE_DIR if setup.cache is not None else None
    corpus_manifest = load_manifest(setup.corpus_dir, cache_dir)
    observed: dict[str, FileStat] = {}
    stats = _trusted_stats(before, previous.manifest)
    bodies = {d: str(r["body"]) for d, r in before.items() if r.get("body")}
    failures: list[IngestFailure] = []
    order: list[SourceDocument | KnownDocument] = []
    scanned = scan_corpus(setup.corpus_dir, known, corpus_manifest, stats=stats, observed=observed, known_bodies=bodies)
    for item in scanned:
        if isinstance(item, IngestFailure):
            failures.append(item)
            if progress:
                progress(item.path)
        else:
            order.append(item)
    return _CorpusScan(
        order=tuple(order),
        manifest=corpus_manifest,
        observed=observed,
        failures=tuple(failures),
        warnings=tuple(manifest_warnings(setup.corpus_dir, corpus_manifest)),
    )


def _plan_build(setup: _Setup, previous: _PreviousBuild, scan: _CorpusScan) -> _PlannedBuild:
    """What changed since the previous build: each document's cache key from its bytes, or from its record."""
    before = previous.documents
    documents = [
        (d.doc_id, graph_key(d, setup.tag), d.metadata)
        if isinstance(d, SourceDocument)
        else (d.doc_id, str(before[d.doc_id]["key"]), _metadata(before[d.doc_id]))
        for d in scan.order
    ]
    return _plan(documents, setup.extractor, before if previous.generation is not None else None, previous.units)


def _read(
    setup: _Setup, scan: _CorpusScan, ids: frozenset[str] | set[str], failures: list[IngestFailure]
) -> list[SourceDocument]:
    """The scanned documents with these ids, in corpus order, decoded where the scan did not need to."""
    return _decoded(setup.corpus_dir, [d for d in scan.order if d.doc_id in ids], scan.manifest, failures)


class _GraphWriter:
    """Where a build's graphs go: spooled when new, diffed when the base generation holds them; and validated.

    A copy of each graph is filed by digest for the next update to diff
    against (kg/store/delta.py). A build to a server spools every graph whole.
    """

    def __init__(self, setup: _Setup, previous: _PreviousBuild, spool: Spool) -> None:
        base = previous.generation
        self.spool = spool
        self.vocab_types = setup.vocab_types
        self.violations: list[Violation] = []
        self.in_base: set[str] = set(previous.manifest.get("graphs", {})) if base is not None else set()  # type: ignore[call-overload]
        # An update diffs the graphs the base generation holds and writes only the change.
        self.base_graphs = BaseGraphs(base) if base is not None and not setup.endpoint else None
        self.copies = None if setup.endpoint else GraphCopies(setup.store_dir / CACHE_DIR / GRAPHS_DIR)
        self.base_digests = _recorded_digests(previous.manifest) if self.base_graphs is not None else {}
        self.digests = dict(self.base_digests)
        self.deltas: list[GraphDelta] = []

    def write(self, graph: Graph) -> GraphDelta | None:
        """Spool a graph new to the store, or diff one the base holds and keep only the change.

        Returns the delta, or None when spooled.
        """
        return self.write_sorted(str(graph.identifier), self.spool.sort_triples([graph]))

    def write_sorted(self, iri: str, graph: SortedTriples) -> GraphDelta | None:
        """``write`` for a graph already on disk as ``canonical_nt`` (a document's, made in chunks)."""
        if self.copies is None:
            self.spool.adopt(URIRef(iri), graph)
            return None
        self.copies.put_file(graph.digest, graph.path)
        self.digests[iri] = graph.digest
        if self.base_graphs is None or iri not in self.base_digests and iri not in self.in_base:
            self.spool.adopt(URIRef(iri), graph)
            return None
        if self.base_digests.get(iri) == graph.digest:
            graph.discard()
            return GraphDelta(identifier=URIRef(iri), removed=(), added=(), triples=graph.triples)
        # Both sides are read as streams: a long document's graph is never held whole to be diffed.
        try:
            delta = self.base_graphs.delta(URIRef(iri), graph.lines(), self.copies.lines(self.base_digests.get(iri)))
        except StaleCopy:
            delta = self.base_graphs.delta(URIRef(iri), graph.lines())
        graph.discard()
        if not delta.unchanged:
            self.deltas.append(delta)
        return delta

    def check(self, graph: Graph) -> None:
        """Validate a graph already spooled or counted: it is extended in place, not copied, and then dropped."""
        graph += self.vocab_types
        self.violations.extend(validate(graph, disposable=True).violations)

    def close_base(self) -> None:
        if self.base_graphs is not None:
            self.base_graphs.close()


class _Kept:
    """What linking reads of each extraction, and each document's record for the build manifest."""

    def __init__(self, keys: Mapping[str, str], progress: Callable[[str], None] | None) -> None:
        self.keys = keys
        self.progress = progress
        self.read: dict[str, Extraction] = {}
        self.records: dict[str, dict[str, Any]] = {}

    def keep(self, extraction: Extraction, tally: object) -> None:
        doc = extraction.structured.document
        self.read[doc.doc_id] = _slim(extraction)
        self.records[doc.doc_id] = {
            "key": self.keys[doc.doc_id],
            "source": doc.source_key,
            "metadata": encode(doc.metadata),
            "statements": dict(Counter(s.kind for s in extraction.statements)),
            "discrepancies": len(extraction.discrepancies),
            "entities": tally,
            "links": link_inputs(extraction),
            "body": body_digest(doc.text),
        }
        if self.progress:
            self.progress(doc.path)


def _extract_documents(
    setup: _Setup,
    documents: list[SourceDocument],
    out: _GraphWriter,
    search: SearchUpdate,
    kept: _Kept,
    failures: list[IngestFailure],
) -> None:
    """Extract the changed documents, then make, write and validate each one's graph alone.

    Extraction runs in ``jobs`` processes, or comes from the cache. Each
    graph is spooled and validated alone, so memory stays flat; a document
    whose own graph breaks the shapes is skipped and the others published.
    """
    extractor = setup.extractor
    for extraction in extract_corpus(extractor, documents, jobs=setup.jobs, cache=setup.cache):
        if isinstance(extraction, IngestFailure):
            failures.append(extraction)
            continue
        iri = str(graph_iri(extraction.structured.document.doc_id))
        try:
            # Made and written in chunks, then read back in closed chunks (kg/graph/validate.py), so a
            # document's graph is never held whole: memory stays flat however long the document.
            sorted_graph = out.spool.sort_triples(
                graph_chunks(extraction, resolve_force=extractor.resolve_force, known_concepts=extractor.known_concepts)
            )
        except StoreError:
            raise
        except Exception as e:  # noqa: BLE001 - one document's failure is listed, the others go on
            failures.append(IngestFailure(path=extraction.structured.document.path, reason=extraction_failed(e)))
            continue
        flagged = len(out.violations)
        counted = DocumentTally()
        large = False
        for part in closed_chunks(sorted_graph.path, iri, size=CHUNK_TRIPLES):
            large = large or len(part) >= CHUNK_TRIPLES
            search.add_document_part(part)
            counted.add(part)
            out.check(part)
            # An rdflib graph holds reference cycles, so a chunk is freed only by the cycle collector; left to
            # its timing, a dead full chunk (about 60 MiB) could linger into the next one's peak: a 1 MB
            # document's build peaked at 470-565 MiB, and at 400 with this. A report's graph is one smaller
            # chunk, so a build of many reports pays for no extra collections (docs/decisions/1153).
            del part
            if large:
                gc.collect()
        search.end_document(iri)
        tally = encode_tally(counted.rows())
        # A node reached from several chunks is validated in each: its violations are listed once.
        out.violations[flagged:] = sorted(set(out.violations[flagged:]), key=lambda v: (v.focus, v.path, v.message))
        if len(out.violations) > flagged:
            # This document's own graph breaks the shapes: it is skipped and the others are published.
            broken = out.violations[flagged:]
            del out.violations[flagged:]
            sorted_graph.discard()
            search.documents.pop(iri, None)
            reason = (
                f"its graph breaks {len(broken)} SHACL constraint(s) (first: {broken[0].focus}: "
                f"{broken[0].message}); skipped"
            )
            failures.append(IngestFailure(path=extraction.structured.document.path, reason=reason))
            continue
        out.write_sorted(iri, sorted_graph)
        kept.keep(extraction, tally)


def _read_for_linking(
    setup: _Setup,
    previous: _PreviousBuild,
    scan: _CorpusScan,
    plan: _PlannedBuild,
    kept: _Kept,
    failures: list[IngestFailure],
    progress: Callable[[str], None] | None,
) -> tuple[LinkUnit, ...]:
    """The link units to recompute, with every publication they hold read; untouched documents keep their records.

    Only units whose link inputs changed are re-linked; their other
    publications are read (from the cache, as a rule) for that alone: their
    graphs stand.
    """
    before = previous.documents
    records = kept.records
    links_changed = frozenset(
        d for d in plan.changed if d in records and records[d]["links"] != before.get(d, {}).get("links")
    )
    affected = plan.affected(links_changed | frozenset(plan.removed))
    relink_only = {d for u in affected for d in u.documents} - plan.changed
    for d in scan.order:
        if d.doc_id not in plan.changed and d.doc_id not in relink_only:
            records[d.doc_id] = before[d.doc_id]  # untouched: its graphs stay as they are
            if progress:
                progress(d.path)
    others = _read(setup, scan, relink_only, failures)
    for extraction in extract_corpus(setup.extractor, others, jobs=setup.jobs, cache=setup.cache):
        if isinstance(extraction, IngestFailure):  # it was extracted before: its graphs stand as they are
            failures.append(extraction)
            continue
        kept.keep(extraction, before[extraction.structured.document.doc_id].get("entities", ""))
    for doc_id in relink_only - set(records):
        if doc_id in before:
            records[doc_id] = before[doc_id]
    return affected


def _removed_graphs(previous: _PreviousBuild, plan: _PlannedBuild, kept: _Kept) -> list[str]:
    """The graphs the base holds that this build takes away: removed documents' and dropped units'."""
    before = previous.documents
    removed = [str(graph_iri(d)) for d in plan.removed]
    # A document the base held whose new version failed is dropped with its graph, as if removed.
    removed += [str(graph_iri(d)) for d in plan.changed if d in before and d not in kept.records]
    removed += [str(links_graph_iri(key)) for key in plan.dropped_units]
    return removed


def _link(
    setup: _Setup,
    affected: Sequence[LinkUnit],
    plan: _PlannedBuild,
    kept: _Kept,
    out: _GraphWriter,
    search: SearchUpdate,
    removed: list[str],
) -> None:
    """Make, write and validate the links graph of each affected unit; a unit left with no link is removed.

    The units' links graphs are small: validated together in one pySHACL run
    (each run has a fixed cost), then spooled one by one. A links graph the
    base holds is diffed, and only the links its delta touches are validated
    again (kg/store/delta.py): machine-made links are checked by local shapes only.
    """
    batch: Graph | None = None
    memo = ItemMemo()  # a publication is in up to four units: its statements are prepared once
    local = shapes_are_local()
    for unit in affected:
        links = links_graph(unit, kept.read, plan.groups, setup.topics, memo)
        if not links:  # a unit with no links has no links graph
            removed.append(str(links_graph_iri(unit.key)))
            continue
        search.add_links(links)
        delta = out.write(links)
        if delta is not None and delta.unchanged:
            continue
        part = touched_part(links, delta.subjects()) if delta is not None and local else links
        if batch is None:
            batch = part  # written already, so the batch can grow from it without a copy
        else:
            batch += part
        if len(batch) > 200_000:
            out.check(batch)
            batch = None
    if batch is not None:
        out.check(batch)


def _ordered_records(setup: _Setup, scan: _CorpusScan, kept: _Kept) -> dict[str, dict[str, Any]]:
    """Each document's record for the build manifest, in corpus order, with the stat its file had."""
    records = kept.records
    ordered = {d.doc_id: records[d.doc_id] for d in scan.order if d.doc_id in records}
    for d in scan.order:
        rel = Path(d.path).relative_to(setup.corpus_dir).as_posix()
        if d.doc_id in ordered and rel in scan.observed:
            ordered[d.doc_id] = {**ordered[d.doc_id], "stat": [rel, *scan.observed[rel].fields()]}
    return ordered


def _entity_summary(
    previous: _PreviousBuild, plan: _PlannedBuild, ordered: Mapping[str, Mapping[str, Any]], out: _GraphWriter
) -> str:
    """The corpus-wide entity counts (kg/graph/tally.py), written when they changed; returns them encoded.

    An update corrects the base's sums by the tallies of the documents it
    changed or removed; a full build adds them all.
    """
    before = previous.documents
    recorded = previous.manifest.get("summary")
    if previous.generation is not None and isinstance(recorded, str):
        sums = TallySums(decode_tally(recorded))
        for doc_id in (*plan.changed, *plan.removed):
            if doc_id in before:
                sums.add(decode_tally(before[doc_id].get("entities", "")), -1)
            if doc_id in ordered:
                sums.add(decode_tally(ordered[doc_id].get("entities", "")))
    else:
        sums = TallySums()
        for r in ordered.values():
            sums.add(decode_tally(r.get("entities", "")))
    # Sums the changed documents left as they were (an edit naming no entity) leave the graph standing.
    summary = encode_tally(sums.rows())
    if summary != recorded or str(SUMMARY_GRAPH) not in out.base_digests:
        out.write(summary_graph(sums))
    return summary


def _validated(violations: Sequence[Violation]) -> ValidationReport:
    """The build's validation report; a graph that breaks the shapes is never published."""
    report = ValidationReport(conforms=not violations, violations=tuple(violations))
    if not report.conforms:
        raise ValidationFailed(
            f"the built graph breaks {len(report.violations)} SHACL constraint(s); the previous graph is kept. "
            f"First: {report.violations[0].focus}: {report.violations[0].message}"
        )
    return report


def _graph_counts(previous: _PreviousBuild, removed: Sequence[str], out: _GraphWriter) -> dict[str, int]:
    """Triples in each named graph the new generation holds: the base's, less the removed, plus those written."""
    counts: dict[str, int] = (
        dict(previous.manifest.get("graphs", {})) if previous.generation is not None else {}  # type: ignore[call-overload]
    )
    for iri in removed:
        counts.pop(iri, None)
    counts.update({str(g.identifier): len(g) for g in (*out.spool, *out.deltas)})
    return counts


def _publish(
    setup: _Setup,
    previous: _PreviousBuild,
    out: _GraphWriter,
    search: SearchUpdate,
    removed: Sequence[str],
    manifest: dict[str, object],
) -> None:
    """Publish the graphs and the word index: a new generation of the embedded store, or a SPARQL server's graphs."""
    for iri in removed:
        search.drop(iri)
    if setup.endpoint:
        from kg.store.remote import publish_graphs

        publish_graphs(setup.endpoint, out.spool)
        publish_remote_index(setup.store_dir, setup.endpoint, search)
    else:
        publish_generation(
            setup.store_dir,
            [*out.spool, *out.deltas],
            base=previous.generation,
            remove=list(removed),
            manifest=manifest,
            search=search,
        )
