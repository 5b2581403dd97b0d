"""The corpus manifest: what the publisher says about each document.

``corpus/manifest.toml`` holds one ``[[document]]`` table per file. Every
field but ``file`` is optional; what is missing is detected from the text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.cachefiles import write_whole
from kg.errors import CorpusError

MANIFEST_NAME = "manifest.toml"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KINDS = ("report", "press release", "article", "register entry")
_KNOWN_KEYS = {
    "id",
    "file",
    "title",
    "force",
    "programme",
    "kind",
    "published",
    "source",
    "licence",
    "announces",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ManifestEntry:
    """One document as the manifest describes it (``None`` = not stated)."""

    file: str
    doc_id: str | None = None
    title: str | None = None
    force: str | None = None
    programme: str | None = None
    kind: str | None = None
    published: str | None = None
    source: str | None = None
    licence: str | None = None
    announces: str | None = None


def _published(value: object, where: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return value
    raise CorpusError(f"{where}: 'published' is {value!r}; expected a date such as 2023-11-02, 2023-11 or 2023")


def load_manifest(corpus_dir: Path, cache_dir: Path | None = None) -> dict[str, ManifestEntry]:
    """Read ``manifest.toml`` in ``corpus_dir``, keyed by file name.

    A corpus without a manifest is allowed: every field is then detected.
    With ``cache_dir``, the checked entries are kept there as JSON under the
    file's SHA-256, and an unchanged manifest is read from that copy: Python's
    TOML parser takes 70 ms for a 1,000-document manifest, which an
    incremental build paid for every update (issue 8). The cache is an
    optimisation only: an unreadable copy is a miss.
    """
    path = corpus_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CorpusError(f"{path}: cannot be read ({e.strerror or e})") from e
    copy = cache_dir / f"manifest-{hashlib.sha256(raw).hexdigest()}.json" if cache_dir is not None else None
    if copy is not None:
        try:
            return {k: ManifestEntry(**v) for k, v in json.loads(copy.read_bytes()).items()}
        except (OSError, ValueError, TypeError, AttributeError):
            pass
    entries = _parse_manifest(path, raw, corpus_dir)
    if copy is not None:
        try:
            for stale in copy.parent.glob("manifest-*.json"):
                stale.unlink(missing_ok=True)
            write_whole(copy, json.dumps({k: dataclasses.asdict(v) for k, v in entries.items()}).encode("utf-8"))
        except OSError:
            pass
    return entries


def _parse_manifest(path: Path, raw: bytes, corpus_dir: Path) -> dict[str, ManifestEntry]:
    """Parse and check the manifest's TOML."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CorpusError(f"{path}: not valid TOML ({e}); fix the file or remove it") from e
    entries: dict[str, ManifestEntry] = {}
    for n, raw in enumerate(data.get("document", []), start=1):
        where = f"{path} [[document]] #{n}"
        if not isinstance(raw, dict) or "file" not in raw:
            raise CorpusError(f"{where}: every [[document]] needs a 'file' naming a file in {corpus_dir}")
        unknown = set(raw) - _KNOWN_KEYS
        if unknown:
            raise CorpusError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(_KNOWN_KEYS)}")
        doc_id = raw.get("id")
        if doc_id is not None and not _ID_RE.match(str(doc_id)):
            raise CorpusError(f"{where}: id {doc_id!r} must be lower-case letters, digits and hyphens")
        kind = raw.get("kind")
        if kind is not None and kind not in _KINDS:
            raise CorpusError(f"{where}: kind {kind!r} must be one of {_KINDS}")
        published = raw.get("published")
        entries[str(raw["file"])] = ManifestEntry(
            file=str(raw["file"]),
            doc_id=doc_id,
            title=raw.get("title"),
            force=raw.get("force"),
            programme=raw.get("programme"),
            kind=kind,
            published=_published(published, where) if published is not None else None,
            source=raw.get("source"),
            licence=raw.get("licence"),
            announces=raw.get("announces"),
        )
    return entries
