"""Records the Python API hands back: plain, frozen values, never rdflib rows.

Every record holds strings, numbers and tuples only, so it can be printed,
compared, pickled, put in a set or turned into a table row without knowing
anything about RDF. IRIs are plain strings. Offsets are character offsets
into the source document's text, end exclusive, so
``text[start:end] == quote`` for every span.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EntityRecord",
    "EntitySummary",
    "ForceRecord",
    "LinkEnd",
    "MentionRecord",
    "Neighbour",
    "PathStep",
    "PublicationRecord",
    "StatementRecord",
    "Trail",
    "TrailLink",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ForceRecord:
    """A police force the graph has publications about.

    Attributes:
        iri: The force's concept IRI in the forces vocabulary.
        label: Its preferred name, e.g. "Durham Constabulary".
        publications: How many publications are about it.
        statements: How many statements are about it.
    """

    iri: str
    label: str
    publications: int
    statements: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicationRecord:
    """One document of the corpus: a report, press release or article.

    Attributes:
        iri: The publication node, ``https://w3id.org/hmi-kg/id/publication/<doc_id>``.
        doc_id: The document id (manifest id, else the file name).
        title: The title as published.
        kind: Class local name: ``InspectionReport``, ``PressRelease`` or ``Article``.
        issued: The publication's place in time as written in the graph (``hmi:timeKey``: its inspection,
            else first publication, else edition; ``2019-10``, ``2023-11``), or None.
        force: IRI of the force it is about, or None.
        force_label: That force's name, or None.
        programme: The inspection programme, or None.
        source_file: The corpus file it was read from.
        announces: IRI of the report a press release announces, or None.
        statements: How many statements were read from it.
    """

    iri: str
    doc_id: str
    title: str
    kind: str
    issued: str | None
    force: str | None
    force_label: str | None
    programme: str | None
    source_file: str | None
    announces: str | None
    statements: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementRecord:
    """A statement (finding, recommendation, grade...) with where it was read.

    Attributes:
        iri: The statement node.
        kind: Class local name: ``Finding``, ``AreaForImprovement``, ``CauseOfConcern``,
            ``Recommendation``, ``InnovativePractice``, ``GoodPractice``, ``GradedJudgment``
            or ``CaseAuditTally``.
        label: The statement's own words (its heading, bullet or opening), whitespace collapsed.
        publication: IRI of the publication it was read from.
        doc_id: That publication's document id.
        publication_title: That publication's title.
        issued: That publication's place in time (its inspection, else first publication, else edition), or None.
        force: IRI of the force it is about, or None.
        force_label: That force's name, or None.
        section: Title of the top-level section (for PEEL, the graded area), or None.
        part: The part of the section (``Areas for improvement``...), or None.
        order: Position in the document (character offset of the start).
        quote: The exact source text of the whole statement span.
        start: Start offset of ``quote`` in the source document.
        end: End offset (exclusive).
        themes: IRIs of the themes assigned to it, sorted.
        mentions: IRIs of the entities its text names, sorted.
    """

    iri: str
    kind: str
    label: str
    publication: str
    doc_id: str
    publication_title: str
    issued: str | None
    force: str | None
    force_label: str | None
    section: str | None
    part: str | None
    order: int
    quote: str
    start: int
    end: int
    themes: tuple[str, ...]
    mentions: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MentionRecord:
    """One place in a source text that names an entity.

    Attributes:
        iri: The mention node.
        entity: IRI of the entity named.
        entity_label: The recogniser's label (FORCE, UNIT, SYSTEM, LEGISLATION...).
        quote: The words as written.
        start: Start offset in the source document.
        end: End offset (exclusive).
        publication: IRI of the publication.
        doc_id: Its document id.
        statements: IRIs of the statements whose span contains the mention, sorted.
    """

    iri: str
    entity: str
    entity_label: str
    quote: str
    start: int
    end: int
    publication: str
    doc_id: str
    statements: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class EntitySummary:
    """An entity the text names, with how often (one row of the entities table).

    Attributes:
        iri: The concept IRI (vocabulary entry, or a candidate flagged for review).
        label: Its preferred name.
        kind: Class local name (``InformationSystem``, ``UnitType``, ``PoliceForce``,
            ``CandidateEntity``...), or ``Resource`` when untyped.
        entity_label: The recogniser's label (FORCE, UNIT, SYSTEM...).
        mentions: Number of mentions.
        statements: Number of statements that name it.
    """

    iri: str
    label: str
    kind: str
    entity_label: str
    mentions: int
    statements: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityRecord:
    """An entity with its names and every mention of it.

    Attributes:
        iri: The concept IRI.
        label: Its preferred name.
        alt_labels: Its other names, sorted.
        kind: Class local name, or ``Resource`` when untyped.
        same_as: ``owl:sameAs`` IRIs (legislation.gov.uk for Acts), sorted.
        needs_review: True for a candidate no vocabulary entry knows.
        mentions: Every mention, in publication then offset order.
    """

    iri: str
    label: str
    alt_labels: tuple[str, ...]
    kind: str
    same_as: tuple[str, ...]
    needs_review: bool
    mentions: tuple[MentionRecord, ...]

    @property
    def statements(self) -> tuple[str, ...]:
        """IRIs of the statements that name the entity, sorted and without repeats."""
        return tuple(sorted({s for m in self.mentions for s in m.statements}))


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkEnd:
    """One end of a follow-up link: the statement and the words the link rests on.

    Attributes:
        statement: IRI of the statement.
        kind: Its class local name.
        label: Its own words.
        publication: IRI of its publication.
        publication_title: That publication's title.
        issued: That publication's place in time (its inspection, else first publication, else edition), or None.
        quote: The evidence span's exact text (for the later end, the status cue where there is one).
        start: Evidence start offset in that publication's text.
        end: Evidence end offset (exclusive).
    """

    statement: str
    kind: str
    label: str
    publication: str
    publication_title: str
    issued: str | None
    quote: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TrailLink:
    """An inferred link from an earlier statement to a later one on the same matter.

    Attributes:
        iri: The ``hmi:FollowUpLink`` node.
        relation: ``follow-up`` or ``restates``.
        status: IRI of the status concept.
        status_label: Its name, e.g. "still an area for improvement".
        confidence: 0..1, how sure the linker is.
        method: How the link was made.
        inferred: True when made by the linker rather than stated by the text.
        earlier: The earlier end, with its evidence.
        later: The later end, with its evidence.
    """

    iri: str
    relation: str
    status: str | None
    status_label: str | None
    confidence: float
    method: str
    inferred: bool
    earlier: LinkEnd
    later: LinkEnd


@dataclass(frozen=True, slots=True, kw_only=True)
class Trail:
    """Everything the graph links to one statement, earliest first.

    Attributes:
        statement: IRI of the statement asked about.
        links: Every link in the trail the statement belongs to (following links
            both ways, transitively), ordered by the earlier end's date, then the
            later end's date, then the link IRI; undated publications sort last.
    """

    statement: str
    links: tuple[TrailLink, ...]

    @property
    def statements(self) -> tuple[str, ...]:
        """IRIs of every statement in the trail, in first-appearance order."""
        seen: dict[str, None] = {self.statement: None}
        for link in self.links:
            seen.setdefault(link.earlier.statement, None)
            seen.setdefault(link.later.statement, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True, kw_only=True)
class Neighbour:
    """A node reached from another over domain edges of the networkx projection.

    Attributes:
        iri: The node.
        kind: Class local name.
        label: Its label.
        doc_id: Document id for nodes read from one document, else None.
        distance: Number of edges from the start node (1 = adjacent).
    """

    iri: str
    kind: str
    label: str
    doc_id: str | None
    distance: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PathStep:
    """One node on a path, and the edge that led to it.

    Attributes:
        iri: The node.
        kind: Class local name.
        label: Its label.
        doc_id: Document id for nodes read from one document, else None.
        predicate: CURIE of the edge from the previous node (None for the first step).
        forward: True when that edge points from the previous node to this one.
    """

    iri: str
    kind: str
    label: str
    doc_id: str | None
    predicate: str | None
    forward: bool
