"""Detect a publication's title, forces, programme, kind and dates from its text.

Used only where the manifest is silent; every detected field is named in
``DocumentMetadata.detected`` so the graph can say it was inferred. Each
field has its own module (``titles``, ``forces``, ``programmes``,
``kinds``, ``dates``); this one puts their answers together with the
manifest's.
"""

from __future__ import annotations

import re

from kg.ingest.dates import best, find_dates, says_published_today
from kg.ingest.forces import candidate_force, detect_forces, resolve_force
from kg.ingest.kinds import detect_kind
from kg.ingest.manifest import ManifestEntry, manifest_date
from kg.ingest.programmes import detect_programme, pillar_label, programme_label, resolve_pillar, resolve_programme
from kg.ingest.titles import clean_title, made_title, title_lines, with_pillar
from kg.records import DOCUMENT_KINDS, DocumentKind, DocumentMetadata, PublicationDate, Scope

#: Manifest spellings of each kind (the graph's values first).
_KIND_NAMES: dict[str, DocumentKind] = {k: k for k in DOCUMENT_KINDS} | {
    "press-release": "press release",
    "news article": "article",
    "news-article": "article",
    "news": "article",
    "statutory response": "letter",
    "register-entry": "register entry",
    "recommendation": "register entry",
    "landing-page": "landing page",
    "programme page": "landing page",
}


def kind_of(name: str) -> DocumentKind | None:
    """The kind a manifest value names, or None."""
    return _KIND_NAMES.get(" ".join(name.lower().split()))


def detect_force(text: str) -> str | None:
    """The one force a page is about, or None (no force, or several)."""
    forces, scope = detect_forces(text, title_lines(text))
    return forces[0] if scope == "force" else None


def detect_published(text: str) -> str | None:
    """The date a page carries: its edition, else its first publication (ISO), or None."""
    found = find_dates(text)
    date = best(found, "edition") or best(found, "first_published")
    return date.value if date else None


def detect_title(text: str) -> str:
    """The title without furniture ("" when the page states none)."""
    return clean_title(text) or ""


def build_metadata(text: str, entry: ManifestEntry | None) -> DocumentMetadata:
    """Manifest values first; the text fills what the manifest leaves out."""
    entry = entry or ManifestEntry(file="")
    detected: list[str] = []
    titles = title_lines(text)

    # Forces: the manifest's force, resolved to the vocabulary's name when it knows it.
    scope: Scope | None
    if entry.force is not None:
        force: str | None = resolve_force(entry.force) or entry.force
        forces: tuple[str, ...] = (force,) if force else ()
        scope = "force"
    else:
        forces, scope = detect_forces(text, titles)
        force = forces[0] if scope == "force" else None
        if not forces:
            candidate = candidate_force(text, titles)
            if candidate:
                force, forces, scope = candidate, (candidate,), "force"
        if forces:
            detected.append("force")

    found_programme = detect_programme(text, titles)
    if entry.programme is not None:
        programme: str | None = resolve_programme(entry.programme)
        pillar = resolve_pillar(entry.pillar) if entry.pillar else None
    else:
        programme = found_programme.programme if found_programme else None
        pillar = found_programme.pillar if found_programme else None
        if programme:
            detected.append("programme")
        if pillar:
            detected.append("pillar")
    if entry.pillar is not None and pillar is None:
        pillar = resolve_pillar(entry.pillar)

    if entry.kind is not None:
        kind = kind_of(entry.kind) or "report"
    else:
        kind = detect_kind(text, has_force=bool(forces))
        detected.append("kind")
    # An index of every report about a force belongs to no one programme.
    if entry.programme is None and kind == "landing page" and re.search(r"\blinks to all reports\b", text[:6000], re.I):
        programme, pillar = "other", None
    if programme is None and entry.programme is None:
        programme = "other"
    # A response or page about a thematic inspection names forces in passing; unless its title
    # names one, it is about all forces.
    if entry.force is None and programme in ("ncpi-thematic", "thematic") and not _force_in_title(titles):
        forces, force, scope = (), None, "national"
    # A register entry records one force's recommendation unless it is addressed to forces at large.
    if entry.force is None and kind == "register entry" and not forces:
        scope = "national" if re.search(r"\b(?:those|all|other) forces\b", text[:3000], re.I) else "force"

    is_review = programme in ("ncpi-post-inspection-review", "ncpi-reinspection", "ncpi-assessment-of-progress")
    stated = find_dates(text, is_review=is_review)
    inspected = _date(entry.inspected, best(stated, "inspected"), "inspected", detected)
    first_published = _date(entry.first_published, best(stated, "first_published"), "first_published", detected)
    edition = _date(entry.edition or entry.published, best(stated, "edition"), "edition", detected)
    dated_today = kind in ("press release", "article") and first_published is None and says_published_today(text)

    title = entry.title
    title_made = False
    if title is None:
        title = clean_title(text)
        if title:
            detected.append("title")
            if programme and programme.startswith("peel") and pillar and re.search(r"PEEL \d{4}$", title):
                title = with_pillar(title, pillar_label(pillar))
        else:
            place = inspected or first_published or edition
            title = made_title(programme_label(programme), force, place.value if place else None, kind)
            title_made = True
            detected.append("title")

    announces = entry.announces
    if announces is None and kind in ("press release", "article"):
        announces = detect_announced_title(text)
        if announces is not None:
            detected.append("announces")
    published = entry.published or (edition.value if edition else None)
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
        forces=forces,
        scope=scope,
        pillar=pillar,
        inspected=inspected,
        first_published=first_published,
        edition=edition,
        title_made=title_made,
        published_with_report=dated_today,
    )


def _force_in_title(titles: list[str]) -> bool:
    return bool(titles) and bool(detect_forces("\n".join(titles), titles)[0])


def _date(given: str | None, found: PublicationDate | None, field: str, detected: list[str]) -> PublicationDate | None:
    if given is not None:
        return manifest_date(given)
    if found is not None:
        detected.append(field)
    return found


def detect_announced_title(text: str) -> str | None:
    """The title of the report a press release links to ("Get the report")."""
    lines = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        if line.lower() == "get the report":
            for follow in lines[i + 1 : i + 4]:
                if follow:
                    return follow
    return None
