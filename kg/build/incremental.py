"""Incremental builds: reuse a document's extraction while its content and the pipeline are unchanged.

Extraction (structure, statements, entity recognition, themes) is the slow,
per-document part of a build. Its result for one document depends only on
that document and on the pipeline (code, ontology, vocabularies, spaCy
model), so it is cached per document beside the store's generations
(``<store>/cache/extractions/<doc id>.json.gz``) under a key made of:

- the document's id, content hash (of its bytes), media type and metadata
  (a manifest edit changes the graph without changing the bytes);
- a fingerprint of the pipeline: every source file of the ``kg`` package,
  every ontology and vocabulary file, the spaCy version and the extractor's
  model. Any code change therefore invalidates every entry; nobody has to
  remember to bump a version number.

Only per-document results are cached. Links between statements of
different publications are computed per link unit (a report and the next
few later reports of its force, or a release and its report;
``kg.link.linker.LinkUnit``) and redone, from cached or fresh extractions, only for
the units a change touches. A document that left the
corpus loses its cache entry (``ExtractionCache.prune``) and its named graph.

The cache is an optimisation only: an unreadable, stale or corrupt entry is
a miss, and a write that fails leaves the build unaffected.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import importlib.metadata
import json
import sys
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from kg.build.parallel import map_documents
from kg.cachefiles import keep_only, write_whole
from kg.records import Extraction, IngestFailure, SourceDocument, Span
from kg.resources import ontology_dir
from kg.store.generations import fault_point

CACHE_DIR = "cache"
EXTRACTIONS_DIR = "extractions"
#: Copies of the links graphs an update diffs against (kg/store/delta.py ``GraphCopies``).
GRAPHS_DIR = "graphs"
#: Bumped when the cache file layout itself changes.
CACHE_FORMAT = "1"


@cache
def pipeline_fingerprint() -> str:
    """A hash of everything besides the document that decides its extraction."""
    import kg

    digest = hashlib.sha256(f"format {CACHE_FORMAT}\0python {sys.version_info[:2]}\0".encode())
    for package in ("spacy", "charset-normalizer", "pypdf", "beautifulsoup4", "lxml"):
        try:
            digest.update(f"{package} {importlib.metadata.version(package)}\0".encode())
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover - all are dependencies
            digest.update(f"no {package}\0".encode())
    roots = [(Path(kg.__file__).resolve().parent, (".py", ".rq")), (ontology_dir(), (".ttl",))]
    for root, suffixes in roots:
        for path in sorted(p for p in root.rglob("*") if p.suffix in suffixes and p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def extractor_tag(extract: Callable[[SourceDocument], Extraction]) -> str:
    """What of the extractor's configuration changes its output: the spaCy model and its version."""
    nlp = getattr(extract, "nlp", None)
    meta = getattr(nlp, "meta", {}) if nlp is not None else {}
    return "|".join(
        [
            type(extract).__qualname__,
            str(getattr(extract, "model", "")),
            "nlp" if nlp is not None else "no-nlp",
            str(meta.get("name", "")),
            str(meta.get("version", "")),
            ",".join(getattr(nlp, "pipe_names", ()) or ()),
        ]
    )


def document_key(document: SourceDocument, tag: str) -> str:
    """The cache key of one document under one pipeline."""
    parts = [
        pipeline_fingerprint(),
        tag,
        document.doc_id,
        document.sha256,
        document.media_type,
        repr(document.metadata),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


# --- Extraction <-> JSON -------------------------------------------------------------------
#
# A generic codec over the frozen dataclasses of kg.records, driven by their type hints,
# so a field another stage adds is cached without touching this module. Spans are stored
# as [start, end] and their quotes re-sliced from the document text on load, which keeps
# entries small and makes "quote == text[start:end]" true by construction.


def encode(value: Any) -> Any:
    """A JSON-ready form of a record (the document itself is left out: it is the key)."""
    if isinstance(value, Span):
        return [value.start, value.end]
    if isinstance(value, SourceDocument):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def decode(hint: Any, data: Any, document: SourceDocument) -> Any:
    """Rebuild a value of type ``hint`` from ``encode``'s output."""
    return _decoder(hint)(data, document)


_Decoder = typing.Callable[[Any, SourceDocument], Any]


@cache
def _decoder(hint: Any) -> _Decoder:
    """A decoding function for one type, built once from its hints (decoding runs per value)."""
    origin = typing.get_origin(hint)
    if hint is Span:

        def span(data: Any, document: SourceDocument) -> Span:
            start, end = data
            return Span(start=start, end=end, quote=document.text[start:end])

        return span
    if hint is SourceDocument:
        return lambda _data, document: document
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        cls = hint
        fields: dict[str, _Decoder] = {}  # filled on first use: records may nest themselves (sections)

        def record(data: Any, document: SourceDocument) -> Any:
            if not fields:
                fields.update({name: _decoder(h) for name, h in _hints(cls).items()})
            return cls(**{name: fields[name](value, document) for name, value in data.items()})

        return record
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"ambiguous union {hint}")
        inner = _decoder(options[0])
        return lambda data, document: None if data is None else inner(data, document)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda data, document: tuple(item(v, document) for v in data)
        items = [_decoder(a) for a in args]
        return lambda data, document: tuple(d(v, document) for d, v in zip(items, data, strict=True))
    if origin is dict:
        _, value_hint = typing.get_args(hint)
        value = _decoder(value_hint)
        return lambda data, document: {k: value(v, document) for k, v in data.items()}
    if origin is typing.Literal or hint in (str, int, float, bool, Any):
        return lambda data, _document: data
    raise TypeError(f"cannot decode {hint}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def dumps(extraction: Extraction) -> bytes:
    """One extraction as gzipped JSON."""
    return gzip.compress(json.dumps(encode(extraction), separators=(",", ":")).encode("utf-8"), mtime=0)


def loads(data: bytes, document: SourceDocument) -> Extraction:
    """The extraction ``dumps`` wrote, for ``document``."""
    value = decode(Extraction, json.loads(gzip.decompress(data)), document)
    assert isinstance(value, Extraction)
    return value


# --- The cache ---------------------------------------------------------------------------


class ExtractionCache:
    """Per-document extractions of one store, and what the last build did with them."""

    def __init__(self, store_dir: Path) -> None:
        self.directory = store_dir / CACHE_DIR / EXTRACTIONS_DIR
        self.reused: list[str] = []
        self.extracted: list[str] = []

    def _path(self, doc_id: str) -> Path:
        return self.directory / f"{doc_id}.json.gz"

    def load(self, document: SourceDocument, key: str) -> Extraction | None:
        """The cached extraction of ``document`` under ``key``, or None (a miss)."""
        try:
            raw = self._path(document.doc_id).read_bytes()
            stored_key, _, payload = raw.partition(b"\n")
            if stored_key.decode("ascii") != key:
                return None
            return loads(payload, document)
        except (OSError, ValueError, TypeError, KeyError, EOFError, AssertionError, gzip.BadGzipFile):
            return None

    def save(self, document: SourceDocument, key: str, extraction: Extraction) -> None:
        """Store an extraction; written to a temporary file and renamed, so never half-written."""
        try:
            payload = dumps(extraction)
            write_whole(self._path(document.doc_id), key.encode("ascii") + b"\n" + payload)
        except (OSError, TypeError, ValueError):
            return

    def prune(self, keep: Iterable[str]) -> None:
        """Drop the entries of documents that are no longer in the corpus (and stray temp files)."""
        keep_only(self.directory, (self._path(doc_id).name for doc_id in keep))


def guarded(
    extract: Callable[[SourceDocument], Extraction],
) -> Callable[[SourceDocument], Extraction | IngestFailure]:
    """``extract``, with any exception it raises turned into a failure that names the document.

    Any error of the extractor on one document (a bug met by unusual text,
    a ``RecursionError``, a ``MemoryError``) is that document's problem: it
    is skipped and listed, and the build goes on. Interrupts and the fault
    hook's SIGKILL are not exceptions of this kind and still stop the build.
    """

    def run(document: SourceDocument) -> Extraction | IngestFailure:
        try:
            return extract(document)
        except Exception as e:  # noqa: BLE001 - reported per document, never lost
            return IngestFailure(path=document.path, reason=extraction_failed(e))

    return run


def extraction_failed(error: BaseException) -> str:
    """The skip reason for a document whose extraction or graph raised ``error``."""
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    return f"could not be extracted ({type(error).__name__}{': ' + detail if detail else ''}); skipped"


def extract_corpus(
    extract: Callable[[SourceDocument], Extraction],
    items: Iterable[SourceDocument | IngestFailure],
    *,
    jobs: int = 1,
    cache: ExtractionCache | None = None,
) -> Iterator[Extraction | IngestFailure]:
    """Like ``kg.build.parallel.map_documents``, but documents whose cache entry matches are not re-extracted.

    Results come in corpus order, cached or not, so the build is the same
    either way. Without a cache this is ``map_documents`` itself. A document
    whose extraction raises comes back as an ``IngestFailure`` naming the
    error: one document the extractor cannot handle never stops the others.
    """
    tag = extractor_tag(extract) if cache is not None else ""
    safe = guarded(extract)
    if cache is None:
        for result in map_documents(safe, items, jobs=jobs):
            fault_point("extract")
            yield result
        return
    listed = list(items)
    keys: dict[int, str] = {}
    hits: dict[int, Extraction] = {}
    for i, item in enumerate(listed):
        if isinstance(item, SourceDocument):
            keys[i] = document_key(item, tag)
            found = cache.load(item, keys[i])
            if found is not None:
                hits[i] = found
    misses = [item for i, item in enumerate(listed) if isinstance(item, SourceDocument) and i not in hits]
    fresh = map_documents(safe, misses, jobs=jobs)
    for i, item in enumerate(listed):
        if isinstance(item, IngestFailure):
            yield item
        elif i in hits:
            cache.reused.append(item.doc_id)
            yield hits[i]
        else:
            extraction = next(fresh)
            if isinstance(extraction, IngestFailure):
                yield extraction
                continue
            cache.save(item, keys[i], extraction)
            cache.extracted.append(item.doc_id)
            fault_point("extract")
            yield extraction
