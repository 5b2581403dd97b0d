"""Detect a publication's title, force, programme, kind and date from its text.

Used only where the manifest is silent; every detected field is named in
``DocumentMetadata.detected`` so the graph can say it was inferred.
"""

from __future__ import annotations

import re
from collections import Counter

from kg.ingest.manifest import ManifestEntry
from kg.records import DocumentKind, DocumentMetadata

_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTH_NAMES = "|".join(m.capitalize() for m in _MONTHS)
_PUBLISHED_RE = re.compile(rf"Published(?: on)?:?\s+(\d{{1,2}})\s+({_MONTH_NAMES})\s+(\d{{4}})")
_FOOTER_RE = re.compile(rf"^({_MONTH_NAMES})\s+(\d{{4}})\s*\|\s*©", re.MULTILINE)
_FORCE_RE = re.compile(
    r"\b((?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?: and | & | )?){1,4}?)"
    r"(Constabulary|Police(?: Service)?|Police Force)\b"
)
_PROGRAMMES = (
    (re.compile(r"post[- ]inspection review", re.I), "National child protection post-inspection review"),
    (re.compile(r"national child protection inspection", re.I), "National child protection inspection"),
    (re.compile(r"\bPEEL\b"), "PEEL"),
)
_PRESS_RELEASE_RE = re.compile(r"press office|notes to editors|^Get the report$", re.I | re.MULTILINE)


def detect_force(text: str) -> str | None:
    """The force named most often (``<Name> Constabulary`` / ``<Name> Police``)."""
    counts: Counter[str] = Counter()
    for m in _FORCE_RE.finditer(text):
        name = (m.group(1).strip() + " " + m.group(2)).strip()
        if name.split()[0] in {"The", "A", "All", "Each", "Every", "Our", "British"} and "Transport" not in name:
            continue
        counts[name] += 1
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def detect_published(text: str) -> str | None:
    """An ISO date (or year-month) of publication stated in the text."""
    m = _PUBLISHED_RE.search(text)
    if m:
        day, month, year = int(m.group(1)), _MONTHS[m.group(2).lower()], int(m.group(3))
        return f"{year:04d}-{month:02d}-{day:02d}"
    m = _FOOTER_RE.search(text)
    if m:
        return f"{int(m.group(2)):04d}-{_MONTHS[m.group(1).lower()]:02d}"
    return None


def detect_title(text: str) -> str:
    """The first line, or the first few short lines of a title page."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    title = [lines[0]]
    for line in lines[1:4]:
        if len(" – ".join(title)) >= 40 or line.lower() in {"contents", "summary"} or line.endswith("."):
            break
        title.append(line)
    return " – ".join(title)[:300]


def detect_programme(text: str) -> str | None:
    """The inspection programme named in the opening of the text."""
    head = text[:5000]
    for pattern, name in _PROGRAMMES:
        if pattern.search(head):
            return name
    return None


def detect_kind(text: str) -> DocumentKind:
    """A press release names the press office or links to the report."""
    return "press release" if _PRESS_RELEASE_RE.search(text) else "report"


def detect_announced_title(text: str) -> str | None:
    """The title of the report a press release links to ("Get the report")."""
    lines = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        if line.lower() == "get the report":
            for follow in lines[i + 1 : i + 4]:
                if follow:
                    return follow
    return None


def build_metadata(text: str, entry: ManifestEntry | None) -> DocumentMetadata:
    """Manifest values first; the text fills what the manifest leaves out."""
    entry = entry or ManifestEntry(file="")
    detected: list[str] = []

    def pick(field: str, given: str | None, detect: str | None) -> str | None:
        if given is not None:
            return given
        if detect is not None:
            detected.append(field)
        return detect

    title = pick("title", entry.title, detect_title(text)) or ""
    force = pick("force", entry.force, detect_force(text))
    programme = pick("programme", entry.programme, detect_programme(text))
    kind_value = pick("kind", entry.kind, detect_kind(text))
    kind: DocumentKind = (
        kind_value if kind_value in ("press release", "article", "register entry") else "report"  # type: ignore[assignment]
    )
    published = pick("published", entry.published, detect_published(text))
    announces = entry.announces
    if announces is None and kind == "press release":
        announces = detect_announced_title(text)
        if announces is not None:
            detected.append("announces")
    return DocumentMetadata(
        title=title,
        force=force,
        programme=programme,
        kind=kind,
        published=published,
        source=entry.source,
        licence=entry.licence,
        detected=tuple(detected),
        announces=announces,
    )
