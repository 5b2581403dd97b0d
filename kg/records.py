"""Typed records passed between the pipeline stages.

Each stage takes records from the stage before it and hands new records on;
no spaCy, rdflib or pyvis object ever crosses a stage boundary. Offsets are
character offsets into ``SourceDocument.text`` (end exclusive), so for every
record that carries a span, ``document.text[start:end] == record.quote``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

#: What a publication is. "article" is a news article or other third party's account; "letter" a
#: letter or statutory response (a police and crime commissioner's reply); "register entry" an
#: entry of the inspectorate's recommendations register; "landing page" a programme or index page
#: that states no findings of its own.
DocumentKind = Literal["report", "press release", "article", "letter", "register entry", "landing page"]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    "report",
    "press release",
    "article",
    "letter",
    "register entry",
    "landing page",
)

#: How precise a date is, from how it is written ("2019", "2019-10", "2019-10-08").
DatePrecision = Literal["day", "month", "year"]
#: Where a date came from: stated in the text, inferred (from another document or a
#: phrase such as "published today"), or given in the corpus manifest.
DateProvenance = Literal["stated", "inferred", "manifest"]
#: Whether a publication is about one force, several, or all of them (thematic, national).
Scope = Literal["force", "several", "national"]

BlockKind = Literal[
    "title",
    "heading",
    "paragraph",
    "bullet_list",
    "table",
    "case_study",
    "figure_caption",
    "grade_line",
]

StatementKind = Literal[
    "finding",
    "area_for_improvement",
    "cause_of_concern",
    "recommendation",
    "innovative_practice",
    "good_practice",
    "graded_judgment",
    "case_audit_tally",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A stretch of a document's text: offsets plus the exact text between them."""

    start: int
    end: int
    quote: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets {self.start}..{self.end}")
        if len(self.quote) != self.end - self.start:
            raise ValueError("span quote length does not match its offsets")


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicationDate:
    """A date as known: an ISO value at the precision stated, and where it came from.

    ``value`` is "2019", "2019-10" or "2019-10-08"; a period ("12 April–23 April
    2021") has its last day in ``end``. ``qualifier`` keeps a part of the year
    the text gives without a month ("late", "early", "mid"). ``evidence`` is
    the phrase the date was read from, when it was read from text.
    """

    value: str
    provenance: DateProvenance
    end: str | None = None
    qualifier: str | None = None
    evidence: str | None = None

    def __post_init__(self) -> None:
        for v in (self.value, self.end):
            if v is not None and not _ISO_DATE.fullmatch(v):
                raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {v!r}")

    @property
    def precision(self) -> DatePrecision:
        """Day, month or year, from the value's form."""
        return "day" if len(self.value) == 10 else "month" if len(self.value) == 7 else "year"


_ISO_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentMetadata:
    """What is known about a publication, and where each value came from.

    ``detected`` names the fields that were read from the text because the
    manifest did not give them, so users can tell asserted from inferred.

    A publication has up to three dates (``inspected``: the inspection it
    reports, a period; ``first_published``; ``edition``: the date this copy
    carries, which a web page may show years after first publication).
    ``published`` is the manifest's older single date, kept for manifests
    that use it: it is read as the edition date. ``kg.link.timeline`` says which
    date places a publication in time.

    ``force`` is the one force a publication is about (None when it is
    about several or all: ``forces`` then lists those named, and ``scope``
    says which). ``programme`` is the local name of a concept of
    ``ontology/vocab/programmes.ttl`` ("peel-2021-22"), ``pillar`` that of
    a PEEL pillar concept. ``title_made`` marks a title composed from the
    programme, force and date because the page has none.
    ``other_sources`` are further files holding the same publication
    (a republished copy), kept as sources of this one.
    """

    title: str
    force: str | None
    programme: str | None
    kind: DocumentKind
    published: str | None = None
    source: str | None = None
    licence: str | None = None
    detected: tuple[str, ...] = ()
    announces: str | None = None
    forces: tuple[str, ...] = ()
    scope: Scope | None = None
    pillar: str | None = None
    inspected: PublicationDate | None = None
    first_published: PublicationDate | None = None
    edition: PublicationDate | None = None
    title_made: bool = False
    other_sources: tuple[str, ...] = ()
    #: A release or article that says its report is "published today": it was first
    #: published with that report, so it takes the report's first publication (``kg.link.timeline``).
    published_with_report: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceDocument:
    """A decoded document: its stable id, its full text and its metadata."""

    doc_id: str
    path: str
    text: str
    sha256: str
    media_type: str
    metadata: DocumentMetadata
    #: Hash of the file's place, bytes and manifest entry (``kg.ingest.corpus.source_key``).
    source_key: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class KnownDocument:
    """A corpus file whose bytes, place and manifest entry are those of the last build.

    Not decoded: an incremental build needs nothing more of it unless a
    change in a link unit that holds it asks for its extraction.
    """

    doc_id: str
    path: str
    sha256: str
    source_key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestFailure:
    """A file that could not be read, with the reason in words a user can act on."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """One structural block of a document (heading, paragraph, list, table...).

    ``items`` holds the spans of bullet items or table rows; ``cells`` holds,
    for a table, the cell spans of each row in order. ``level`` is set for
    headings (1 = document title).
    """

    kind: BlockKind
    span: Span
    level: int | None = None
    items: tuple[Span, ...] = ()
    cells: tuple[tuple[Span, ...], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A titled part of a document and the blocks directly under its heading.

    ``path`` is the chain of heading titles from the top-level section down
    to this one; it is part of a statement's identity.
    """

    title: str
    level: int
    heading: Span | None
    path: tuple[str, ...]
    blocks: tuple[Block, ...]
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class StructuredDocument:
    """A document cut into sections and blocks, every piece with offsets."""

    document: SourceDocument
    sections: tuple[Section, ...]

    def walk(self) -> tuple[Section, ...]:
        """All sections, depth first, in document order."""
        out: list[Section] = []

        def visit(section: Section) -> None:
            out.append(section)
            for sub in section.subsections:
                visit(sub)

        for section in self.sections:
            visit(section)
        return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """One bullet action of a recommendation (or one item of its guidance list)."""

    span: Span
    guidance: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """A finding, recommendation, area for improvement or other stated matter.

    ``section`` is the top-level section (for PEEL, the graded area) and
    ``part`` the sub-part it sits in ("Areas for improvement", "Main
    findings", "Recommendations", a summary list...). ``heading`` is the
    statement's own text (a heading line, a bullet, or the lead sentence).
    """

    doc_id: str
    kind: StatementKind
    span: Span
    heading: Span
    section: str
    part: str | None = None
    section_path: tuple[str, ...] = ()
    timescale: str | None = None
    addressee: str | None = None
    actions: tuple[Action, ...] = ()
    area: str | None = None
    grade: str | None = None
    grade_evidence: tuple[Span, ...] = ()
    grade_disagreement: str | None = None
    tally: CaseAuditCounts | None = None
    #: The rule or cue that decided the statement's kind ("heading:areas-for-improvement",
    #: "lead-in:pleased-to-find", "wording:needs-to", "model:textcat"...), so a reader can see why.
    cue: str = ""
    #: For findings: whether the inspectorate judged the practice well or badly.
    polarity: Literal["positive", "negative", "mixed"] | None = None
    #: Set when the statement recounts an earlier inspection ("Our 2019 inspection found..."):
    #: the year (or other words) naming that inspection. Such a statement restates, it is not a new finding.
    recap_of: str | None = None
    #: True when the source text stops mid-statement (a truncated copy).
    incomplete: bool = False
    #: Everyone a recommendation is addressed to (a force, "all forces", a partner), in the order stated.
    addressees: tuple[str, ...] = ()
    #: For a count of grades stated without their areas ("good in four areas"): grade -> count.
    grade_counts: tuple[tuple[str, int], ...] = ()
    #: The grading scale of the programme and era a grade belongs to ("peel-four-tier" for PEEL 2014-2019,
    #: "peel-five-tier" from PEEL 2021/22, "crime-data-integrity"); None where the text does not tell.
    grade_scale: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseAuditCounts:
    """Case-audit figures exactly as stated (None where the text gives none)."""

    good: int | None
    requires_improvement: int | None
    inadequate: int | None
    total: int | None = None
    overall: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Discrepancy:
    """A place where the source disagrees with itself, kept rather than resolved."""

    doc_id: str
    kind: Literal["case_audit_sum", "case_audit_total", "grade"]
    message: str
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityMention:
    """A name in the text, linked to a vocabulary concept or kept as a candidate.

    ``concept`` is the vocabulary concept's IRI; ``None`` marks a candidate
    entity that no vocabulary entry knows, kept for review.
    """

    doc_id: str
    span: Span
    label: str
    concept: str | None
    candidate_name: str | None = None
    source: Literal["vocab", "pattern", "acronym", "model", "cue"] = "vocab"


@dataclass(frozen=True, slots=True, kw_only=True)
class ThemeAssignment:
    """A theme given to a statement, and why (``reason_kind``: section, term, entity, fallback).

    ``statement`` is the statement's index in ``Extraction.statements``.
    """

    statement: int
    theme: str
    reason_kind: Literal["section", "term", "entity", "fallback"]
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Extraction:
    """Everything read from one document, ready to become its named graph."""

    structured: StructuredDocument
    statements: tuple[Statement, ...]
    discrepancies: tuple[Discrepancy, ...] = ()
    mentions: tuple[EntityMention, ...] = ()
    themes: tuple[ThemeAssignment, ...] = ()
    pipeline: tuple[tuple[str, str], ...] = ()
    #: For a register entry: the recommendation it tracks and its dated status history.
    register: RegisterEntry | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterChange:
    """One dated step of a register entry's history: a status, a comment, or both.

    ``status`` is the register's own word as written ("complete",
    "awaiting-review"), normalised to lower case with hyphens; ``comment``
    the inspector's comment of that date. A step may carry either alone
    (the register often records a status and its comment as two steps).
    """

    date: str
    date_span: Span
    status: str | None = None
    status_span: Span | None = None
    comment: Span | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterEntry:
    """An entry of the inspectorate's recommendations register.

    ``recommendation`` is the recommendation's text, ``source`` the title
    of the inspection it came from (the entry's heading), ``changes`` its
    history oldest first.
    """

    recommendation: Span
    source: Span | None
    changes: tuple[RegisterChange, ...]

    def latest_status(self) -> RegisterChange | None:
        """The last step that states a status (later comment-only steps do not change it)."""
        return next((c for c in reversed(self.changes) if c.status), None)

    def latest_comment(self) -> RegisterChange | None:
        """The last step with a comment: the inspector's latest words on the recommendation."""
        return next((c for c in reversed(self.changes) if c.comment is not None), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementRef:
    """A statement of another document: its document id and index in that extraction."""

    doc_id: str
    index: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpLink:
    """An inferred link between statements of two publications about one matter.

    ``relation`` is "follow-up" (a later publication speaks to the matter),
    "restates" (a press release, article or a later inspection's recap
    restates the statement) or "register" (an entry of the inspectorate's
    recommendations register tracks the recommendation; its status is
    authoritative). ``status`` is a status concept's local name;
    ``signals`` records the score's parts; ``explanation`` says in one
    plain sentence why the two are linked and what gave the status.
    ``review`` marks a candidate below the default threshold, kept for a
    reader to accept or reject and left out of trails and the tracker.
    ``date`` is the date the status speaks for when it is not the later
    publication's (a register entry's status change).
    """

    earlier: StatementRef
    later: StatementRef
    relation: Literal["follow-up", "restates", "register"]
    status: str
    confidence: float
    method: str
    signals: str
    earlier_evidence: Span
    later_evidence: Span
    explanation: str = ""
    review: bool = False
    date: str | None = None
