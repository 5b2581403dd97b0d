"""Graph: turn one document's extraction into its own named graph.

IRIs are minted here and only here, from the document id and each node's
place and normalised text, never from counters or clocks: two builds give
the same graph, and a changed document replaces only its own named graph.
No blank nodes are used (remote stores cannot address them).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg import resources
from kg.extract.spans import statements_containing
from kg.formats import title_key
from kg.link.linker import carried_statuses, latest_statuses
from kg.link.timeline import place_in_time, places_in_time
from kg.namespaces import HMI, HMID, OA, VOCAB, bind_prefixes
from kg.records import (
    Discrepancy,
    DocumentMetadata,
    EntityMention,
    Extraction,
    FollowUpLink,
    PublicationDate,
    RegisterEntry,
    Section,
    SourceDocument,
    Span,
    Statement,
    ThemeAssignment,
)

KIND_CLASS: dict[str, URIRef] = {
    "finding": HMI.Finding,
    "area_for_improvement": HMI.AreaForImprovement,
    "cause_of_concern": HMI.CauseOfConcern,
    "recommendation": HMI.Recommendation,
    "innovative_practice": HMI.InnovativePractice,
    "good_practice": HMI.GoodPractice,
    "graded_judgment": HMI.GradedJudgment,
    "case_audit_tally": HMI.CaseAuditTally,
}
_KIND_SLUG = {k: k.replace("_", "-") for k in KIND_CLASS}
_DOC_CLASS = {
    "report": HMI.InspectionReport,
    "press release": HMI.PressRelease,
    "article": HMI.Article,
    "letter": HMI.Letter,
    "register entry": HMI.RegisterEntry,
    "landing page": HMI.LandingPage,
}

ForceResolver = Callable[[str], URIRef | None]


def slug(text: str) -> str:
    """Lower-case words joined by hyphens ("Within three months" -> "within-three-months")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("\u2019", "").replace("'", "")).strip("-")


def digest(*parts: str) -> str:
    """A short stable hash of normalised parts.

    >>> digest("a", "b") == digest("a",  "b")
    True
    """
    joined = "\x1f".join(" ".join(p.split()).lower() for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:12]


def normalised(text: str) -> str:
    """Whitespace collapsed, for labels; the exact text stays in ``oa:exact``."""
    return " ".join(text.split())


def publication_iri(doc_id: str) -> URIRef:
    """The publication node of a document."""
    return HMID[f"publication/{doc_id}"]


def graph_iri(doc_id: str) -> URIRef:
    """The named graph holding everything read from a document."""
    return HMID[f"graph/{doc_id}"]


def default_force_iri(name: str) -> URIRef:
    """A force IRI from its name when no vocabulary entry knows it."""
    bare = re.sub(r"\b(constabulary|police service|police force|police)\b", "", name, flags=re.I)
    return VOCAB[f"force/{slug(bare) or slug(name)}"]


def announced_iri(title: str) -> URIRef:
    """The node of a report known by the title a release gives it (``kg.formats.title_key``)."""
    key = title_key(title)
    return HMID[f"publication/announced/{slug(key)[:80] or 'untitled'}-{digest(key)[:8]}"]


def programme_iri(slug: str) -> URIRef:
    """The programme concept of ``ontology/vocab/programmes.ttl`` with this local name."""
    return VOCAB[f"programme/{slug}"]


def _issued(value: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear)


class _Builder:
    def __init__(self, extraction: Extraction, resolve_force: ForceResolver | None) -> None:
        self.extraction = extraction
        self.doc: SourceDocument = extraction.structured.document
        self.pub = publication_iri(self.doc.doc_id)
        self.g = self.fresh()
        self.resolve_force = resolve_force
        self.section_iris: dict[tuple[str, ...], URIRef] = {}
        self.minted: set[URIRef] = set()  # every section IRI, so a repeat is found without a scan
        self.used: Counter[str] = Counter()

    def fresh(self) -> Graph:
        """An empty graph named for the document, for it or for one of its chunks."""
        return bind_prefixes(Graph(identifier=graph_iri(self.doc.doc_id), bind_namespaces="core"))

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.g.add((s, p, o))

    def force(self, name: str) -> URIRef:
        iri = self.resolve_force(name) if self.resolve_force else None
        if iri is None:
            # A force the vocabulary does not know: kept, and flagged for review (add it to forces.ttl).
            iri = default_force_iri(name)
            self.add(iri, HMI.needsReview, Literal(True))
            self.add(iri, RDF.type, HMI.PoliceForce)
            self.add(iri, RDF.type, ORG.Organization)
            self.add(iri, SKOS.prefLabel, Literal(name, lang="en"))
        return iri

    def span(self, iri: URIRef, span: Span) -> URIRef:
        """A Web Annotation specific resource with quote and position selectors."""
        quote, position = URIRef(f"{iri}/quote"), URIRef(f"{iri}/position")
        self.add(iri, RDF.type, OA.SpecificResource)
        self.add(iri, OA.hasSource, self.pub)
        self.add(iri, OA.hasSelector, quote)
        self.add(iri, OA.hasSelector, position)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(span.quote))
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(span.start, datatype=XSD.integer))
        self.add(position, OA.end, Literal(span.end, datatype=XSD.integer))
        return iri

    def publication(self) -> None:
        meta = self.doc.metadata
        self.add(self.pub, RDF.type, _DOC_CLASS[meta.kind])
        self.add(self.pub, DCTERMS.title, Literal(meta.title, lang="en"))
        if meta.title_made:
            self.add(self.pub, HMI.titleMade, Literal(True))
        self.add(self.pub, HMI.documentKind, Literal(meta.kind))
        self.add(self.pub, HMI.contentHash, Literal(self.doc.sha256))
        self.add(self.pub, HMI.sourceFile, Literal(self.doc.path.rsplit("/", 1)[-1]))
        for other in meta.other_sources:
            self.add(self.pub, HMI.otherSourceFile, Literal(other))
        self.add(self.pub, DCTERMS.format, Literal(self.doc.media_type))
        for name in meta.forces or ((meta.force,) if meta.force else ()):
            self.add(self.pub, HMI.aboutForce, self.force(name))
        if meta.scope:
            self.add(self.pub, HMI.scope, Literal(meta.scope))
        if meta.programme:
            self.add(self.pub, HMI.programme, programme_iri(meta.programme))
        if meta.pillar:
            self.add(self.pub, HMI.pillar, VOCAB[f"peel-pillar/{meta.pillar}"])
        self.dates()
        if meta.source:
            self.add(self.pub, DCTERMS.source, Literal(meta.source))
        if meta.licence:
            self.add(self.pub, DCTERMS.license, Literal(meta.licence))
        for field in meta.detected:
            self.add(self.pub, HMI.detectedField, Literal(field))
        if meta.announces:
            if re.fullmatch(r"[a-z0-9][a-z0-9-]*", meta.announces):
                self.add(self.pub, HMI.announces, publication_iri(meta.announces))
            else:
                self.add(self.pub, HMI.announcesTitle, Literal(meta.announces))
                self.announced_report(meta.announces)

    def announced_report(self, title: str) -> None:
        """The report a release announces, as a node of its own (title, force, programme).

        Named by the title's matching key, so releases that spell the title with
        other dashes or with "Police" dropped announce the same node; when the
        report is in the corpus, the links graph makes the node owl:sameAs it.
        """
        meta = self.doc.metadata
        node = announced_iri(title)
        self.add(node, RDF.type, HMI.AnnouncedReport)
        self.add(node, DCTERMS.title, Literal(title, lang="en"))
        if meta.force:
            self.add(node, HMI.aboutForce, self.force(meta.force))
        if meta.programme:
            self.add(node, HMI.programme, programme_iri(meta.programme))
        self.add(self.pub, HMI.announces, node)

    def dates(self) -> None:
        """The inspection (a prov:Activity), first publication and edition, and the place in time."""
        meta = self.doc.metadata
        if meta.inspected is not None:
            activity = URIRef(f"{self.pub}/inspection")
            self.add(activity, RDF.type, PROV.Activity)
            self.add(activity, RDF.type, HMI.Inspection)
            self.date_record(activity, meta.inspected)
            if meta.programme:
                self.add(activity, HMI.programme, programme_iri(meta.programme))
            if meta.force:
                self.add(activity, HMI.aboutForce, self.force(meta.force))
            self.add(self.pub, HMI.aboutInspection, activity)
            self.add(self.pub, HMI.inspectedDate, _issued(meta.inspected.value))
            if meta.kind == "report":
                self.add(self.pub, PROV.wasGeneratedBy, activity)
        if meta.first_published is not None:
            node = URIRef(f"{self.pub}/date/first-published")
            self.add(node, RDF.type, HMI.DateRecord)
            self.date_record(node, meta.first_published)
            self.add(self.pub, HMI.firstPublication, node)
            self.add(self.pub, DCTERMS.issued, _issued(meta.first_published.value))
        if meta.published_with_report:
            self.add(self.pub, HMI.publishedWithReport, Literal(True))
        if meta.edition is not None:
            node = URIRef(f"{self.pub}/date/edition")
            self.add(node, RDF.type, HMI.DateRecord)
            self.date_record(node, meta.edition)
            self.add(self.pub, HMI.edition, node)
            self.add(self.pub, HMI.editionDate, _issued(meta.edition.value))
        place = place_in_time(meta)
        if place is not None:
            self.add(self.pub, HMI.timeKey, Literal(place.key))
            self.add(self.pub, HMI.timeBasis, Literal(place.basis))

    def date_record(self, node: URIRef, date: PublicationDate) -> None:
        self.add(node, HMI.dateValue, _issued(date.value))
        if date.end:
            self.add(node, HMI.dateEnd, _issued(date.end))
        self.add(node, HMI.datePrecision, Literal(date.precision))
        self.add(node, HMI.dateProvenance, Literal(date.provenance))
        if date.qualifier:
            self.add(node, HMI.dateQualifier, Literal(date.qualifier))
        if date.evidence:
            self.add(node, HMI.dateEvidence, Literal(date.evidence))

    def sections(self, section: Section, parent: URIRef) -> Iterator[None]:
        """The section tree, one ``yield`` per section (so a streamed build can cut its chunks between them)."""
        for sub in section.subsections:
            iri = HMID[f"publication/{self.doc.doc_id}/section/{digest(*sub.path)}"]
            if iri in self.minted:
                iri = URIRef(f"{iri}-{sub.heading.start if sub.heading else 0}")
            self.minted.add(iri)
            self.section_iris[sub.path] = iri
            self.add(iri, RDF.type, HMI.Section)
            self.add(iri, DCTERMS.title, Literal(normalised(sub.title)))
            self.add(iri, HMI.headingLevel, Literal(sub.level))
            self.add(iri, DCTERMS.isPartOf, parent)
            self.add(iri, PROV.wasDerivedFrom, self.pub)
            if sub.heading is not None:
                self.add(iri, HMI.order, Literal(sub.heading.start))
                self.add(iri, HMI.headingSource, self.span(URIRef(f"{iri}/heading"), sub.heading))
            yield
            yield from self.sections(sub, iri)

    def statement_iri(self, st: Statement) -> URIRef:
        key = digest(st.kind, *st.section_path, st.area or "", st.heading.quote)
        self.used[key] += 1
        suffix = "" if self.used[key] == 1 else f"-{self.used[key]}"
        return HMID[f"publication/{self.doc.doc_id}/{_KIND_SLUG[st.kind]}/{key}{suffix}"]

    def top_section(self, st: Statement) -> URIRef | None:
        # A lookup, not a scan of every section: a scan per statement is quadratic in a long document.
        return self.section_iris.get((st.section,))

    def statement(self, st: Statement) -> URIRef:
        iri = self.statement_iri(st)
        self.add(iri, RDF.type, KIND_CLASS[st.kind])
        label = normalised(st.heading.quote)
        if st.kind == "graded_judgment" and st.grade_counts and not st.area:
            label = ", ".join(f"{grade} in {n} area{'s' if n != 1 else ''}" for grade, n in st.grade_counts)
        elif st.kind == "graded_judgment":
            label = f"{normalised(st.area or label)}: {st.grade or 'grade in dispute'}"
        self.add(iri, RDFS.label, Literal(label))
        self.add(iri, PROV.wasDerivedFrom, self.pub)
        self.add(iri, HMI.order, Literal(st.span.start))
        self.add(iri, HMI.source, self.span(URIRef(f"{iri}/source"), st.span))
        self.add(iri, HMI.headingSource, self.span(URIRef(f"{iri}/heading"), st.heading))
        top = self.top_section(st)
        if top is not None:
            self.add(iri, HMI.inSection, top)
        if st.part:
            self.add(iri, HMI.part, Literal(normalised(st.part)))
        if self.doc.metadata.force:
            self.add(iri, HMI.aboutForce, self.force(self.doc.metadata.force))
        self.reading(iri, st)
        if st.kind == "recommendation":
            self.recommendation(iri, st)
        elif st.kind == "graded_judgment":
            self.grade(iri, st)
        elif st.kind == "case_audit_tally":
            self.tally(iri, st)
        return iri

    def reading(self, iri: URIRef, st: Statement) -> None:
        """How the statement was read: the cue that decided its kind, polarity, recap, cut-off text."""
        if st.cue:
            self.add(iri, HMI.cue, Literal(st.cue))
        if st.polarity:
            polarity = VOCAB[f"polarity/{st.polarity}"]
            self.add(polarity, RDF.type, HMI.Polarity)
            self.add(polarity, RDF.type, SKOS.Concept)
            self.add(polarity, SKOS.prefLabel, Literal(st.polarity, lang="en"))
            self.add(polarity, SKOS.inScheme, VOCAB["polarity"])
            self.add(iri, HMI.polarity, polarity)
        if st.recap_of:
            self.add(iri, HMI.recapOf, Literal(st.recap_of))
        if st.incomplete:
            self.add(iri, HMI.isIncomplete, Literal(True))

    def recommendation(self, iri: URIRef, st: Statement) -> None:
        if st.timescale:
            ts = VOCAB[f"timescale/{slug(st.timescale)}"]
            self.add(ts, RDF.type, HMI.Timescale)
            self.add(ts, RDF.type, SKOS.Concept)
            self.add(ts, SKOS.prefLabel, Literal(st.timescale, lang="en"))
            self.add(ts, SKOS.inScheme, VOCAB["timescale"])
            self.add(iri, HMI.timescale, ts)
        for addressee in st.addressees or ((st.addressee,) if st.addressee else ()):
            self.add(iri, HMI.addressee, Literal(addressee))
            if re.search(r"(Constabulary|Police)\b", addressee) and not re.match(r"(?i)(?:all|those)\b", addressee):
                self.add(iri, HMI.addressedTo, self.force(addressee))
        self.add(iri, HMI.actionCount, Literal(sum(1 for a in st.actions if not a.guidance)))
        for n, action in enumerate(st.actions, start=1):
            a = URIRef(f"{iri}/action/{n}")
            self.add(a, RDF.type, HMI.RecommendationAction)
            self.add(a, RDFS.label, Literal(normalised(action.span.quote)))
            self.add(a, HMI.order, Literal(n))
            self.add(a, HMI.isGuidance, Literal(action.guidance))
            self.add(a, HMI.source, self.span(URIRef(f"{a}/source"), action.span))
            self.add(iri, HMI.hasAction, a)

    def grade(self, iri: URIRef, st: Statement) -> None:
        if st.area or not st.grade_counts:
            self.add(iri, HMI.gradedArea, Literal(normalised(st.area or "")))
        if st.grade:
            self.add(iri, HMI.grade, VOCAB[f"grade/{slug(st.grade)}"])
            if st.grade_scale:
                self.add(iri, HMI.gradeOnScale, VOCAB[f"grade/{st.grade_scale}/{slug(st.grade)}"])
        if st.grade_scale:
            self.add(iri, HMI.gradeScale, VOCAB[f"grade/{st.grade_scale}"])
        for grade, n in st.grade_counts:
            count = URIRef(f"{iri}/count/{slug(grade)}")
            self.add(count, RDF.type, HMI.GradeCount)
            self.add(count, HMI.grade, VOCAB[f"grade/{slug(grade)}"])
            self.add(count, HMI.areaCount, Literal(n, datatype=XSD.integer))
            self.add(iri, HMI.gradeCount, count)
        if st.grade_disagreement:
            self.add(iri, HMI.disagreement, Literal(st.grade_disagreement))
        for n, span in enumerate(st.grade_evidence, start=1):
            self.add(iri, HMI.gradeEvidence, self.span(URIRef(f"{iri}/evidence/{n}"), span))

    def tally(self, iri: URIRef, st: Statement) -> None:
        t = st.tally
        assert t is not None
        self.add(iri, HMI.isOverall, Literal(t.overall))
        if st.area:
            self.add(iri, HMI.auditArea, Literal(normalised(st.area)))
        for prop, value in (
            (HMI.goodCount, t.good),
            (HMI.requiresImprovementCount, t.requires_improvement),
            (HMI.inadequateCount, t.inadequate),
            (HMI.totalCount, t.total),
        ):
            if value is not None:
                self.add(iri, prop, Literal(value, datatype=XSD.integer))

    def theme(self, statement: URIRef, assignment: ThemeAssignment) -> None:
        theme = URIRef(assignment.theme)
        node = URIRef(f"{statement}/theme/{slug(assignment.theme.rsplit('/', 1)[-1])}")
        self.add(statement, HMI.theme, theme)
        self.add(statement, HMI.themeAssignment, node)
        self.add(node, RDF.type, HMI.ThemeAssignment)
        self.add(node, HMI.assignedTheme, theme)
        self.add(node, HMI.reasonKind, Literal(assignment.reason_kind))
        self.add(node, HMI.reason, Literal(assignment.reason))

    def force_unit(self, concept: URIRef, name: str) -> URIRef | None:
        """The report's force's own unit of this type, or None when the publication is about no one force.

        Its IRI comes from the force and the concept alone, so the name
        variants of one unit in a force's publications (acronym and long
        form, plural, possessive) are one node, and Durham's MASH and
        Kent's MASH are two nodes of one type (docs/decisions/0991-force-units.md).
        """
        if not self.doc.metadata.force:
            return None
        force = self.force(self.doc.metadata.force)
        tail = str(concept)[len(str(VOCAB)) :] if str(concept).startswith(str(VOCAB)) else digest(str(concept))
        tail = tail.removeprefix("unit/").replace("/", "-")
        unit = HMID[f"unit/{str(force).rstrip('/').rsplit('/', 1)[-1]}/{tail}"]
        label = unit_labels(resources.vocab_dir()).get(str(concept), name)
        self.add(unit, RDF.type, HMI.ForceUnit)
        self.add(unit, RDF.type, ORG.OrganizationalUnit)
        self.add(unit, ORG.unitOf, force)
        self.add(unit, HMI.unitType, concept)
        self.add(unit, SKOS.prefLabel, Literal(f"{label} ({normalised(self.doc.metadata.force)})", lang="en"))
        return unit

    def mention(self, m: EntityMention, statements: list[URIRef], known: frozenset[str]) -> None:
        name = normalised(m.candidate_name or m.span.quote)
        if m.concept is not None:
            concept = URIRef(m.concept)
        else:
            concept = VOCAB[f"candidate/{slug(m.label)}/{slug(name) or digest(name)}"]
        if m.label in _MODEL_KINDS:
            concept = VOCAB[f"{_MODEL_KINDS[m.label][0]}/{slug(name) or digest(name)}"]
            self.add(concept, RDF.type, _MODEL_KINDS[m.label][1])
            self.add(concept, RDFS.label, Literal(name))
        elif str(concept) not in known:
            self.add(concept, RDF.type, HMI.CandidateEntity)
            self.add(concept, RDF.type, SKOS.Concept)
            self.add(concept, SKOS.prefLabel, Literal(name, lang="en"))
            self.add(concept, HMI.entityLabel, Literal(m.label))
            self.add(concept, HMI.needsReview, Literal(True))
        unit = self.force_unit(concept, name) if m.label == "UNIT" else None
        iri = HMID[f"publication/{self.doc.doc_id}/mention/{m.span.start}-{m.span.end}-{slug(m.label)}"]
        self.span(iri, m.span)
        if m.concept is None and not statements:
            # A name to review outside every finding has no statement to show it in;
            # the words round it in its sentence let the review list show it anyway.
            prefix, suffix = sentence_context(self.doc.text, m.span.start, m.span.end)
            self.add(URIRef(f"{iri}/quote"), OA.prefix, Literal(prefix))
            self.add(URIRef(f"{iri}/quote"), OA.suffix, Literal(suffix))
        self.add(iri, RDF.type, HMI.Mention)
        self.add(iri, HMI.refersTo, unit if unit is not None else concept)
        self.add(iri, HMI.entityLabel, Literal(m.label))
        self.add(iri, HMI.recognisedBy, Literal(m.source))
        for statement in statements:
            # The shared concept too, so "every finding about a MASH" needs no detour through the forces.
            self.add(statement, HMI.mentions, concept)
            if unit is not None:
                self.add(statement, HMI.mentions, unit)
            self.add(statement, HMI.hasMention, iri)

    def discrepancy(self, d: Discrepancy, statement_at: dict[tuple[int, int], URIRef]) -> None:
        key = digest(d.kind, d.message, *(f"{s.start}-{s.end}" for s in d.spans))
        iri = HMID[f"publication/{self.doc.doc_id}/discrepancy/{key}"]
        self.add(iri, RDF.type, HMI.Discrepancy)
        self.add(iri, HMI.discrepancyKind, Literal(d.kind))
        self.add(iri, HMI.message, Literal(d.message))
        self.add(iri, PROV.wasDerivedFrom, self.pub)
        for n, span in enumerate(d.spans, start=1):
            self.add(iri, HMI.evidence, self.span(URIRef(f"{iri}/evidence/{n}"), span))
            target = statement_at.get((span.start, span.end))
            if target is not None:
                self.add(iri, HMI.concerns, target)


#: How far a review context reaches either side of a name, at most.
_CONTEXT_CHARS = 160
_SENTENCE_EDGE = re.compile(r"(?:[.!?][\"'\u2019)\]]*\s+|\n\s*\n|\n(?=\s*[-\u2022*]))")


def sentence_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The words of the sentence before and after ``start..end`` (each side at most ``_CONTEXT_CHARS``)."""
    left = text[max(0, start - _CONTEXT_CHARS) : start]
    edges = list(_SENTENCE_EDGE.finditer(left))
    prefix = left[edges[-1].end() :] if edges else left
    right = text[end : end + _CONTEXT_CHARS]
    edge = _SENTENCE_EDGE.search(right)
    suffix = right[: edge.start() + 1] if edge else right
    return " ".join(prefix.split()) + (" " if prefix[-1:].isspace() else ""), (
        (" " if suffix[:1].isspace() else "") + " ".join(suffix.split())
    )


def build_graph(
    extraction: Extraction,
    *,
    resolve_force: ForceResolver | None = None,
    known_concepts: frozenset[str] = frozenset(),
) -> Graph:
    """The named graph of one document: publication, sections, statements, mentions, themes.

    ``known_concepts`` are the vocabulary's concept IRIs; a mention linked to
    any other IRI (an Act found by pattern, a name no vocabulary knows) gets
    a candidate node flagged for review in this graph.
    """
    b = _Builder(extraction, resolve_force)
    for _ in _steps(b, extraction, known_concepts):
        pass
    return b.g


def graph_chunks(
    extraction: Extraction,
    *,
    resolve_force: ForceResolver | None = None,
    known_concepts: frozenset[str] = frozenset(),
    size: int = 50_000,
) -> Iterator[Graph]:
    """``build_graph``'s triples in graphs of about ``size`` triples each, made one after the other.

    Their union is ``build_graph``'s graph (a node shared by statements,
    such as a force, can be in several chunks); only one chunk is in memory
    at a time, so a long document's graph can be written out as it is made
    (``kg.store.spool.Spool.sort_triples``) instead of being held whole.
    """
    b = _Builder(extraction, resolve_force)
    for _ in _steps(b, extraction, known_concepts):
        if len(b.g) >= size:
            yield b.g
            b.g = b.fresh()
    if len(b.g):
        yield b.g


def _steps(b: _Builder, extraction: Extraction, known_concepts: frozenset[str]) -> Iterator[None]:
    """Add a document's triples to ``b.g``, one ``yield`` after each node and its own triples."""
    b.publication()
    yield from b.sections(extraction.structured.sections[0], b.pub)
    statement_at: dict[tuple[int, int], URIRef] = {}
    iris: list[URIRef] = []
    for st in extraction.statements:
        iri = b.statement(st)
        iris.append(iri)
        statement_at.setdefault((st.span.start, st.span.end), iri)
        if st.kind == "graded_judgment":
            for span in st.grade_evidence:
                statement_at.setdefault((span.start, span.end), iri)
        yield
    for d in extraction.discrepancies:
        b.discrepancy(d, statement_at)
        yield
    for assignment in extraction.themes:
        b.theme(iris[assignment.statement], assignment)
        yield
    spans = [(st.span.start, st.span.end) for st in extraction.statements]
    within = statements_containing(spans, [(m.span.start, m.span.end) for m in extraction.mentions])
    for mention, inside in zip(extraction.mentions, within, strict=True):
        if mention.label in _SKIPPED_LABELS:
            continue
        b.mention(mention, [iris[i] for i in inside], known_concepts)
        yield
    if extraction.register is not None and iris:
        _register_history(b, extraction.register, iris[0])
    yield


def _register_history(b: _Builder, entry: RegisterEntry, recommendation: URIRef) -> None:
    """A register entry's dated history: one ``hmi:StatusChange`` per step, in order.

    The register's own status words become concepts of the register-status
    scheme (``ontology/vocab/statuses.ttl``), mapped there onto the follow-up
    statuses; the comment is a span of the entry, so it can be quoted as evidence.
    """
    if entry.source is not None:
        b.add(b.pub, HMI.sourceInspectionTitle, Literal(normalised(entry.source.quote), lang="en"))
    for n, change in enumerate(entry.changes, start=1):
        node = URIRef(f"{b.pub}/history/{n}")
        b.add(recommendation, HMI.statusChange, node)
        b.add(node, RDF.type, HMI.StatusChange)
        b.add(node, HMI.order, Literal(n, datatype=XSD.integer))
        b.add(node, DCTERMS.date, Literal(change.date, datatype=XSD.date))
        if change.status:
            b.add(node, HMI.registerStatus, VOCAB[f"register-status/{slug(change.status)}"])
            b.add(node, HMI.registerStatusText, Literal(change.status))
        if change.comment is not None:
            b.add(node, HMI.comment, b.span(URIRef(f"{node}/comment"), change.comment))


#: Model labels not turned into nodes: a date is a value, not an entity.
_SKIPPED_LABELS = frozenset({"DATE"})
#: People and places the statistical model finds are kept as PROV agents and
#: locations, not review candidates: they are not policing entities.
_MODEL_KINDS = {"PERSON": ("person", PROV.Person), "GPE": ("place", PROV.Location)}


@lru_cache(maxsize=4)
def unit_labels(vocab_dir: Path) -> dict[str, str]:
    """The preferred name of every unit concept in the vocabulary folder, by IRI (read once)."""
    g = Graph()
    for path in sorted(vocab_dir.glob("*.ttl")):
        g.parse(path, format="turtle")
    return {
        str(c): str(g.value(c, SKOS.prefLabel))
        for c in g.subjects(RDF.type, HMI.UnitType)
        if g.value(c, SKOS.prefLabel) is not None
    }


def statement_iris(extraction: Extraction) -> list[URIRef]:
    """The IRIs ``build_graph`` gives an extraction's statements, in order."""
    b = _Builder(extraction, None)
    return [b.statement_iri(st) for st in extraction.statements]


def links_graph_iri(unit: str) -> URIRef:
    """The named graph of one link unit's inferred links (``kg.link.linker.LinkUnit``: keyed by a publication id)."""
    return HMID[f"graph/links/{unit}"]


def build_links_graph(
    extractions: list[Extraction],
    links: list[FollowUpLink],
    announced: dict[str, str],
    *,
    unit: str,
    restated_follow_ups: Sequence[FollowUpLink] = (),
) -> Graph:
    """The cross-document named graph: inferred links, kept apart from what documents state.

    Each link is a node with status, confidence, method and the evidence
    span on both ends; ``hmi:followedUpBy`` / ``hmi:restates`` shortcuts let
    queries walk trails without the link node. A statement that raised a
    matter gets ``hmi:latestStatus``; so does a statement restating it (a
    release's bullet, a review's recap), from the follow-ups of its own
    unit or, for a release, ``restated_follow_ups`` (the report's, which
    its own unit's graph holds: only their status is written here).
    """
    g = bind_prefixes(Graph(identifier=links_graph_iri(unit), bind_namespaces="core"))
    iris = {e.structured.document.doc_id: statement_iris(e) for e in extractions}
    metas = {e.structured.document.doc_id: e.structured.document.metadata for e in extractions}
    titles = {doc_id: meta.announces for doc_id, meta in metas.items()}
    for release, report in sorted(announced.items()):
        g.add((publication_iri(release), HMI.announces, publication_iri(report)))
        title = titles.get(release)
        if title and title != report:
            g.add((announced_iri(title), OWL.sameAs, publication_iri(report)))
        _dated_by_report(g, release, report, metas)
    for link in links:
        earlier = iris[link.earlier.doc_id][link.earlier.index]
        later = iris[link.later.doc_id][link.later.index]
        node = HMID[f"link/{digest(str(earlier), str(later), link.relation)}"]
        g.add((node, RDF.type, HMI.FollowUpLink))
        g.add((node, HMI.earlier, earlier))
        g.add((node, HMI.later, later))
        g.add((node, HMI.relation, Literal(link.relation)))
        g.add((node, HMI.status, VOCAB[f"status/{link.status}"]))
        g.add((node, HMI.confidence, Literal(Decimal(str(link.confidence)), datatype=XSD.decimal)))
        g.add((node, HMI.method, Literal(f"{link.method}; {link.signals}")))
        g.add((node, HMI.inferred, Literal(True)))
        if link.explanation:
            g.add((node, HMI.explanation, Literal(link.explanation, lang="en")))
        if link.review:
            g.add((node, HMI.forReview, Literal(True)))
        if link.date:
            g.add((node, HMI.statusDate, Literal(link.date, datatype=XSD.date)))
        for prop, ref, span in (
            (HMI.earlierEvidence, link.earlier, link.earlier_evidence),
            (HMI.laterEvidence, link.later, link.later_evidence),
        ):
            ev = URIRef(f"{node}/{'earlier' if prop == HMI.earlierEvidence else 'later'}")
            _evidence_span(g, ev, publication_iri(ref.doc_id), span)
            g.add((node, prop, ev))
        if link.review:
            continue  # a candidate for review is kept as a link node, never as a trail edge
        if link.relation == "restates":
            g.add((later, HMI.restates, earlier))
        elif link.relation == "register":
            g.add((later, HMI.tracks, earlier))
        else:
            g.add((earlier, HMI.followedUpBy, later))
    # The latest word on each matter, so "what is still open" is one lookup per statement.
    places = places_in_time(metas, announced)
    latest = latest_statuses(links, places)
    for ref, link in latest.items():
        g.add((iris[ref.doc_id][ref.index], HMI.latestStatus, VOCAB[f"status/{link.status}"]))
    # A restatement carries the latest word on what it restates, so a release's area for improvement
    # shows what became of the report's.
    restated = latest_statuses(restated_follow_ups, places) if restated_follow_ups else latest
    for ref, link in carried_statuses(links, restated).items():
        g.add((iris[ref.doc_id][ref.index], HMI.latestStatus, VOCAB[f"status/{link.status}"]))
    return g


def _dated_by_report(g: Graph, release: str, report: str, metas: dict[str, DocumentMetadata]) -> None:
    """A release "published today" with its report was first published when the report was (inferred)."""
    own, theirs = metas.get(release), metas.get(report)
    if own is None or theirs is None or not own.published_with_report or own.first_published is not None:
        return
    if theirs.first_published is None:
        return
    pub = publication_iri(release)
    node = URIRef(f"{pub}/date/first-published")
    value = _issued(theirs.first_published.value)
    g.add((pub, DCTERMS.issued, value))
    g.add((pub, HMI.firstPublication, node))
    g.add((node, RDF.type, HMI.DateRecord))
    g.add((node, HMI.dateValue, value))
    g.add((node, HMI.datePrecision, Literal(theirs.first_published.precision)))
    g.add((node, HMI.dateProvenance, Literal("inferred")))
    g.add((node, HMI.dateEvidence, Literal(f"published with {theirs.title}")))
    if place_in_time(own) is None:
        g.add((pub, HMI.timeKey, Literal(theirs.first_published.value)))
        g.add((pub, HMI.timeBasis, Literal("first published")))


def _evidence_span(g: Graph, iri: URIRef, source: URIRef, span: Span) -> None:
    quote, position = URIRef(f"{iri}/quote"), URIRef(f"{iri}/position")
    g.add((iri, RDF.type, OA.SpecificResource))
    g.add((iri, OA.hasSource, source))
    g.add((iri, OA.hasSelector, quote))
    g.add((iri, OA.hasSelector, position))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(span.quote)))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(span.start, datatype=XSD.integer)))
    g.add((position, OA.end, Literal(span.end, datatype=XSD.integer)))
