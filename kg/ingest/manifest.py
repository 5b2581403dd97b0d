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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from kg.cachefiles import write_whole
from kg.errors import CorpusError
from kg.records import PublicationDate

MANIFEST_NAME = "manifest.toml"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: The kinds a publication can be (``kg.records.DOCUMENT_KINDS``, the first six) and other spellings of them.
_KINDS = (
    "report",
    "press release",
    "article",
    "letter",
    "register entry",
    "landing page",
    "press-release",
    "news article",
    "news-article",
    "statutory response",
    "register-entry",
    "landing-page",
)


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
    #: When the inspection's fieldwork took place (a date, month or year).
    inspected: str | None = None
    #: When a republished or revised document first appeared.
    first_published: str | None = None
    #: The date of this edition of a document revised in place.
    edition: str | None = None
    #: The PEEL pillar a page covers (effectiveness, efficiency, legitimacy, leadership).
    pillar: str | None = None


def manifest_date(value: str) -> PublicationDate:
    """A checked manifest date (or ``start/end`` period) as a record, marked as given in the manifest."""
    start, _, end = value.partition("/")
    return PublicationDate(value=start, end=end or None, provenance="manifest")


class _Problem(ValueError):
    """One value the schema refuses; the message reads after "'key' is ...: "."""


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _Problem(f"{_toml(value)}; expected a string in quotes")
    if not value.strip():
        raise _Problem("empty; leave the key out to have it detected")
    return value


def _id(value: object) -> str:
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise _Problem(f"{_toml(value)}; expected a string of lower-case letters, digits and hyphens")
    return value


def _kind(value: object) -> str:
    if value not in _KINDS:
        raise _Problem(f"{_toml(value)}; expected one of {', '.join(repr(k) for k in _KINDS)}")
    return str(value)


_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _date(value: object) -> str:
    """A real calendar date, month or year: 2023-11-02, 2023-11 or 2023 (a TOML date or a string)."""
    if isinstance(value, datetime):
        raise _Problem(f"{_toml(value)}; expected a date without a time, such as 2023-11-02")
    if isinstance(value, date):
        return value.isoformat()
    match = _DATE_RE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _Problem(f"{_toml(value)}; expected a date such as 2023-11-02, 2023-11 or 2023")
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError as e:
        raise _Problem(f"{_toml(value)}, which is not a date on the calendar ({e})") from e
    return str(value)


def _period(value: object) -> str:
    """A date, or a period of two dates "2021-04-12/2021-04-23" (an inspection's fieldwork)."""
    if isinstance(value, str) and "/" in value:
        start, _, end = value.partition("/")
        if _date(start) > _date(end):
            raise _Problem(f"{_toml(value)}, which ends before it starts")
        return value
    return _date(value)


def _programme(value: object) -> str:
    """A programme of ``ontology/vocab/programmes.ttl``, by local name or any label."""
    from kg.ingest.programmes import known_programmes, resolve_programme

    text = _text(value)
    if resolve_programme(text) is None:
        raise _Problem(
            f"{_toml(value)}, which ontology/vocab/programmes.ttl does not know; "
            f"use one of {', '.join(known_programmes())} or a label of one"
        )
    return text


def _pillar(value: object) -> str:
    from kg.ingest.programmes import resolve_pillar

    text = _text(value)
    if resolve_pillar(text) is None:
        raise _Problem(f"{_toml(value)}; expected effectiveness, efficiency, legitimacy or leadership")
    return text


def _toml(value: object) -> str:
    """A value as the user wrote it, near enough: strings quoted, other types named."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int | float):
        return f"{value} (a number)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"{value} (a {type(value).__name__})"


@dataclass(frozen=True, slots=True)
class Field:
    """One key a ``[[document]]`` table may have: the ``ManifestEntry`` attribute it fills and its check."""

    key: str
    attr: str
    check: Callable[[object], str]
    required: bool = False


#: The manifest's schema, one row per key. A new field is one row here and one attribute of
#: ``ManifestEntry``; cross-entry rules (unique ids and files, known ``announces``) are in
#: ``_check_entries``.
FIELDS: tuple[Field, ...] = (
    Field("file", "file", _text, required=True),
    Field("id", "doc_id", _id),
    Field("title", "title", _text),
    Field("force", "force", _text),
    Field("programme", "programme", _programme),
    Field("kind", "kind", _kind),
    Field("published", "published", _date),
    Field("inspected", "inspected", _period),
    Field("first_published", "first_published", _date),
    Field("edition", "edition", _date),
    Field("pillar", "pillar", _pillar),
    Field("source", "source", _text),
    Field("licence", "licence", _text),
    Field("announces", "announces", _id),
)
_BY_KEY = {f.key: f for f in FIELDS}


def load_manifest(corpus_dir: Path, cache_dir: Path | None = None) -> dict[str, ManifestEntry]:
    """Read ``manifest.toml`` in ``corpus_dir``, keyed by file name.

    A corpus without a manifest is allowed: every field is then detected.
    With ``cache_dir``, the checked entries are kept there as JSON under the
    file's SHA-256, and an unchanged manifest is read from that copy: Python's
    TOML parser takes 70 ms for a 1,000-document manifest, which an
    incremental build paid for every update. The cache is an
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
    """Parse the manifest's TOML and check it against ``FIELDS``; every problem is reported, with its line."""
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CorpusError(f"{path}: not valid TOML ({e}); fix the file or remove it") from e
    lines = _Lines(text)
    problems: list[str] = []
    for key in sorted(set(data) - {"document"}):
        problems.append(f"{path}:{lines.top(key)}: unknown table or key {key!r}; only [[document]] tables are read")
    tables = data.get("document", [])
    if not isinstance(tables, list):
        problems.append(f"{path}:{lines.top('document')}: 'document' must be written as [[document]] tables")
        tables = []
    entries: list[tuple[int, ManifestEntry]] = []
    for n, table in enumerate(tables):
        line = lines.table(n)
        if not isinstance(table, dict):
            problems.append(f"{path}:{line}: [[document]] #{n + 1} is not a table")
            continue
        values: dict[str, str] = {}
        for key, value in table.items():
            where = f"{path}:{lines.key(n, key)}"
            found = _BY_KEY.get(key)
            if found is None:
                allowed = ", ".join(f.key for f in FIELDS)
                problems.append(f"{where}: unknown key {key!r} in [[document]] #{n + 1}; allowed: {allowed}")
                continue
            try:
                values[found.attr] = found.check(value)
            except _Problem as e:
                problems.append(f"{where}: {key!r} is {e}")
        missing = [f.key for f in FIELDS if f.required and f.key not in table]
        if missing:
            problems.append(
                f"{path}:{line}: [[document]] #{n + 1} has no {', '.join(repr(k) for k in missing)}; "
                f"every [[document]] needs a 'file' naming a file in {corpus_dir}"
            )
        if "file" in values:
            entries.append((line, ManifestEntry(**values)))
    problems += _check_entries(path, entries, corpus_dir)
    if problems:
        head = f"{path}: {len(problems)} problem(s) in the manifest; nothing was built"
        raise CorpusError("\n".join([head, *(f"  {p}" for p in problems)]))
    return {entry.file: entry for _, entry in entries}


def _check_entries(path: Path, entries: list[tuple[int, ManifestEntry]], corpus_dir: Path) -> list[str]:
    """Rules across entries: one entry per file, one document per id, ``announces`` naming a document."""
    from kg.ingest.corpus import corpus_files, doc_id_for

    problems: list[str] = []
    files: dict[str, int] = {}
    ids: dict[str, int] = {}
    for line, entry in entries:
        if entry.file in files:
            problems.append(
                f"{path}:{line}: {entry.file!r} already has an entry at line {files[entry.file]}; "
                "one [[document]] per file"
            )
        files.setdefault(entry.file, line)
        if entry.doc_id is not None:
            if entry.doc_id in ids:
                problems.append(
                    f"{path}:{line}: id {entry.doc_id!r} is already given at line {ids[entry.doc_id]}; ids are unique"
                )
            ids.setdefault(entry.doc_id, line)
    known = set(ids) | {doc_id_for(Path(e.file)) for _, e in entries if e.doc_id is None}
    known |= {doc_id_for(p) for p in corpus_files(corpus_dir) if p.relative_to(corpus_dir).as_posix() not in files}
    for line, entry in entries:
        if entry.announces is not None and entry.announces not in known:
            problems.append(
                f"{path}:{line}: 'announces' is {entry.announces!r}, which is the id of no document in {corpus_dir}"
            )
    return problems


class _Lines:
    """Line numbers of a manifest's tables and keys (``tomllib`` keeps none), found by reading its text."""

    _HEADER = re.compile(r"^\s*\[\[\s*document\s*\]\]")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.tables = [i + 1 for i, line in enumerate(self.lines) if self._HEADER.match(line)]

    def table(self, n: int) -> int:
        """The line of the ``n``-th ``[[document]]`` header (0 if it cannot be found)."""
        return self.tables[n] if n < len(self.tables) else 0

    def key(self, n: int, key: str) -> int:
        """The line where ``key`` is set in the ``n``-th table (the table's own line if not found)."""
        start = self.table(n)
        end = self.tables[n + 1] - 1 if n + 1 < len(self.tables) else len(self.lines)
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for i in range(start, end):
            if pattern.match(self.lines[i]):
                return i + 1
        return start

    def top(self, key: str) -> int:
        """The first line that sets or opens ``key`` at the top level (1 if it cannot be found)."""
        pattern = re.compile(rf"^\s*(\[+\s*)?[\"']?{re.escape(key)}\b")
        for i, line in enumerate(self.lines):
            if pattern.match(line):
                return i + 1
        return 1
