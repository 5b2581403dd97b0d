"""Site model: everything the HTML site shows, read from the graph once as typed records.

The site is rendered from these records rather than from the graph so that
each page is a pure function of plain data (easy to test, deterministic) and
the SPARQL runs once per build instead of once per page. The queries are in
``kg/render/sparql/*.rq``, run through :func:`kg.query.sparql.run`, and use
``DISTINCT`` because Oxigraph's union default graph repeats a row when a
triple sits in several named graphs.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset

from kg.query.sparql import run

BASE = "https://w3id.org/hmi-kg/"
_SPARQL_DIR = Path(__file__).resolve().parent / "sparql"

#: Statement kinds in the order a reader meets them, with a plain-English name.
KIND_NAMES: dict[str, str] = {
    "Recommendation": "Recommendation",
    "CauseOfConcern": "Cause of concern",
    "AreaForImprovement": "Area for improvement",
    "GradedJudgment": "Graded judgment",
    "Finding": "Finding",
    "InnovativePractice": "Innovative practice",
    "GoodPractice": "Good practice",
    "CaseAuditTally": "Case-audit tally",
}


#: The formulaic opening of a recommendation or area for improvement ("We recommend that, within
#: three months, X ensures that", "The force needs to"): a label keeps what follows, the matter itself.
_RECOMMEND = re.compile(r"^we recommend that[\s,]*(?:(?:within [a-z ]+|immediately),?\s*)?", re.IGNORECASE)
_SUBJECT = re.compile(
    r"^(?:the )?(?:constabulary|force|[A-Z][\w&'’ -]{0,40}?(?:Constabulary|Police))[\s,]+"
    r"(?:(?:within [a-z ]+|immediately),?\s*)?"
    r"(?P<modal>(?:should|needs? to|must|ensures? that|makes? sure that|ensures?|makes? sure)[:\s]+)?",
    re.IGNORECASE,
)


def _matter_words(text: str) -> str:
    """The text without its formulaic opening; the subject goes only with a recommending or modal opening."""
    rest = _RECOMMEND.sub("", text, count=1)
    m = _SUBJECT.match(rest)
    if m and (m.group("modal") or rest != text):
        rest = rest[m.end() :]
    rest = rest.lstrip(":;, ")
    return rest or text


#: Recogniser labels in words, for pages (a reader should never meet ``RISK_TOOL``).
ENTITY_TYPE_NAMES: dict[str, str] = {
    "FORCE": "Police force",
    "UNIT": "Unit or team",
    "SYSTEM": "IT system",
    "LEGISLATION": "Legislation",
    "PARTNER": "Partner agency",
    "INITIATIVE": "Initiative or scheme",
    "RISK_TOOL": "Risk assessment tool",
    "ORG": "Organisation",
    "GPE": "Place",
    "LOC": "Place",
    "PERSON": "Person",
    "OTHER": "Other",
}

#: Publication classes in words.
PUBLICATION_KIND_NAMES: dict[str, str] = {
    "InspectionReport": "Inspection report",
    "PressRelease": "Press release",
    "Article": "Article",
    "Letter": "Letter or response",
    "RegisterEntry": "Recommendations register entry",
    "LandingPage": "Programme page",
    "AnnouncedReport": "Announced report (not in the corpus)",
}


def entity_type_name(code: str) -> str:
    """A recogniser label in words; an unknown code is made readable rather than shown raw."""
    return ENTITY_TYPE_NAMES.get(code) or code.replace("_", " ").capitalize()


def publication_kind_name(kind: str) -> str:
    """A publication class in words ("InspectionReport" → "Inspection report")."""
    if kind in PUBLICATION_KIND_NAMES:
        return PUBLICATION_KIND_NAMES[kind]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind).capitalize()


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a quote: plain text, or a mention of an entity (``entity`` set)."""

    text: str
    entity: str | None = None
    entity_type: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MentionRec:
    """One mention of an entity inside a statement's source span."""

    iri: str
    entity: str
    entity_type: str
    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementRec:
    """A statement and what the site shows about it."""

    iri: str
    kind: str
    label: str
    publication: str
    order: int
    section: str | None
    part: str | None
    start: int | None
    end: int | None
    exact: str
    grade: str | None
    timescale: str | None
    themes: tuple[str, ...]
    mentions: tuple[MentionRec, ...]
    grade_rank: int | None = None
    """The grade's place in its scheme (skos:notation: 1 is the best)."""
    area: str | None = None
    """The inspected area a graded judgment grades."""
    latest_status: str | None = None
    """The status IRI the linker wrote as this matter's latest (hmi:latestStatus), if any."""

    @property
    def kind_name(self) -> str:
        """The kind in words ("Area for improvement")."""
        return KIND_NAMES.get(self.kind, self.kind)

    @property
    def short(self) -> str:
        """What the statement says, cut to a few words for a label (a grade reads "Area: Grade")."""
        text = _matter_words(" ".join((self.label or self.exact).split()))
        if len(text.split()) < 3 or text.endswith(":"):
            # A lead-in ("... ensures that:") says nothing alone: the first item of its list does.
            text = _matter_words(" ".join(self.exact.replace("•", " ").split())) or text
        return text[:1].upper() + text[1:] if text else self.kind_name

    @property
    def entities(self) -> tuple[str, ...]:
        """Distinct entities the statement names, in order of first mention."""
        return tuple(dict.fromkeys(m.entity for m in sorted(self.mentions, key=lambda m: m.start or 0)))

    def spans(self) -> list[Span]:
        """The quote cut into plain text and entity mentions, for highlighting.

        Mentions carry document offsets; the quote starts at ``self.start``.
        A mention outside the quote, or overlapping one already placed, is
        left unhighlighted rather than guessed at.
        """
        text = self.exact or self.label
        if self.start is None or not self.exact:
            return [Span(text)]
        out: list[Span] = []
        pos = 0
        for m in sorted(self.mentions, key=lambda m: (m.start or -1, -(m.end or 0))):
            if m.start is None or m.end is None:
                continue
            a, b = m.start - self.start, m.end - self.start
            if a < pos or b > len(text) or a >= b:
                continue
            if a > pos:
                out.append(Span(text[pos:a]))
            out.append(Span(text[a:b], m.entity, m.entity_type))
            pos = b
        if pos < len(text):
            out.append(Span(text[pos:]))
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionRec:
    """A heading of a publication."""

    iri: str
    publication: str
    title: str
    level: int
    order: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicationRec:
    """A report, press release or article."""

    iri: str
    kind: str
    title: str
    issued: str
    force: str | None
    file: str
    programme: str
    inspected: str = ""
    """When the inspection it reports began (hmi:inspectedDate), if known."""
    edition: str = ""
    """The date of this edition (a web page re-dated later), if known."""
    time_key: str = ""
    """The date the graph says places it in time (hmi:timeKey), if written."""
    time_basis: str = ""
    """Which date ``time_key`` is (inspected, first published, edition...)."""
    announces: str | None = None
    """The publication a press release announces."""

    @property
    def kind_name(self) -> str:
        """The kind in words ("Inspection report")."""
        return publication_kind_name(self.kind)


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkRec:
    """A follow-up (or restatement) link between an earlier and a later statement."""

    iri: str
    earlier: str
    later: str
    relation: str
    status: str
    confidence: float | None
    method: str
    earlier_quote: str
    later_quote: str
    status_iri: str = ""
    explanation: str = ""
    """The linker's one-sentence reason in plain words, when it wrote one."""
    status_date: str = ""
    """The date the status speaks for, when it is not the later publication's (a register change)."""


@dataclass(slots=True)
class SiteModel:
    """Everything on the site, indexed the ways the pages need it."""

    publications: dict[str, PublicationRec] = field(default_factory=dict)
    sections: dict[str, SectionRec] = field(default_factory=dict)
    statements: dict[str, StatementRec] = field(default_factory=dict)
    links: list[LinkRec] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    """Label of every entity, force and theme IRI."""
    entity_types: dict[str, str] = field(default_factory=dict)
    """Recogniser label (SYSTEM, UNIT...) of every entity named in a statement."""
    themes: dict[str, str] = field(default_factory=dict)
    forces: dict[str, str] = field(default_factory=dict)
    _link_index: dict[str, list[LinkRec]] = field(default_factory=dict)
    _indexed: int = -1

    def name(self, iri: str) -> str:
        """A readable name for any IRI the site shows."""
        if iri in self.names:
            return self.names[iri]
        if iri in self.publications:
            return self.publications[iri].title
        if iri in self.statements:
            return self.statements[iri].label
        return iri.rsplit("/", 1)[-1]

    def statements_of(self, publication: str) -> list[StatementRec]:
        """A publication's statements in text order."""
        return sorted((s for s in self.statements.values() if s.publication == publication), key=_order)

    def statements_naming(self, entity: str) -> list[StatementRec]:
        """Every statement that names an entity, by publication date then text order."""
        return sorted((s for s in self.statements.values() if entity in s.entities), key=self.time_key)

    def statements_about(self, theme: str) -> list[StatementRec]:
        """Every statement about a theme, by publication date then text order."""
        return sorted((s for s in self.statements.values() if theme in s.themes), key=self.time_key)

    def force_of(self, statement: StatementRec) -> str | None:
        """The force a statement's publication is about."""
        pub = self.publications.get(statement.publication)
        return pub.force if pub else None

    def place(self, publication: str) -> Place:
        """Where a publication sits in time, and which of its dates says so.

        The graph's own place in time (``hmi:timeKey``) wins when written;
        otherwise the inspection, then first publication, then the edition;
        a press release with none takes the report it announces. Undated
        publications get an empty date and sort after every dated one.
        """
        pub = self.publications.get(publication)
        if pub is None:
            return Place("", "undated")
        if pub.time_key:
            return Place(pub.time_key, pub.time_basis or "place in time")
        for value, basis in ((pub.inspected, "inspected"), (pub.issued, "first published"), (pub.edition, "edition")):
            if value:
                return Place(value, basis)
        if pub.announces and pub.announces != publication and pub.announces in self.publications:
            announced = self.place(pub.announces)
            if announced.date:
                return Place(announced.date, "announced report")
        return Place("", "undated")

    def time_key(self, statement: StatementRec) -> tuple[str, int, str, int]:
        """Sort key: place in time (undated last), reports before what announces them, publication, text order.

        A press release shares its report's place in time; on a tie it comes
        after the report, because it restates what the report raised.
        """
        date = self.place(statement.publication).date
        pub = self.publications.get(statement.publication)
        announcing = 1 if pub is not None and pub.announces else 0
        return (date or "\uffff", announcing, statement.publication, statement.order)

    def when(self, statement: StatementRec) -> str:
        """The date that places a statement in time, or "" when none is known."""
        return self.place(statement.publication).date

    def links_of(self, statement: str) -> list[LinkRec]:
        """Links in which a statement is the earlier or the later end."""
        if self._indexed != len(self.links):  # built once; rebuilt only if links were added since
            index: dict[str, list[LinkRec]] = defaultdict(list)
            for lk in self.links:
                index[lk.earlier].append(lk)
                if lk.later != lk.earlier:
                    index[lk.later].append(lk)
            self._link_index = dict(index)
            self._indexed = len(self.links)
        return list(self._link_index.get(statement, ()))

    def trail(self, statement: str) -> tuple[list[StatementRec], list[LinkRec]]:
        """The connected trail through a statement: its statements in time order and their links."""
        seen = {statement}
        todo = [statement]
        while todo:
            cur = todo.pop()
            for lk in self.links_of(cur):
                for nxt in (lk.earlier, lk.later):
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
        members = sorted((self.statements[s] for s in seen if s in self.statements), key=self.time_key)
        links = list({lk.iri: lk for s in seen for lk in self.links_of(s)}.values())
        rank = {s.iri: i for i, s in enumerate(members)}
        links.sort(key=lambda lk: (rank.get(lk.earlier, 0), rank.get(lk.later, 0), lk.iri))
        return members, links


@dataclass(frozen=True, slots=True)
class Place:
    """A publication's place in time: an ISO date (year, month or day) and which date it is."""

    date: str
    basis: str

    @property
    def words(self) -> str:
        """For a reader: "2019-10 (inspected)" or "date unknown"."""
        return f"{self.date} ({self.basis})" if self.date else "date unknown"


def _order(s: StatementRec) -> int:
    return s.order


def slug(iri: str) -> str:
    """A file name for an IRI: readable, stable, and safe on every file system.

    The project's own IRIs lose their common prefix; every slug ends in a
    short hash of the full IRI so that two IRIs never share a file even
    after unsafe characters are folded.
    """
    tail = iri[len(BASE) :] if iri.startswith(BASE) else iri
    tail = re.sub(r"^(id/publication/|vocab/|id/)", "", tail)
    readable = re.sub(r"[^A-Za-z0-9-]+", "_", tail).strip("_")[:80]
    return f"{readable}-{hashlib.sha1(iri.encode('utf-8')).hexdigest()[:8]}"


def _rows(dataset: Dataset, name: str) -> list[dict[str, Any]]:
    text = (_SPARQL_DIR / f"{name}.rq").read_text(encoding="utf-8")
    result = run(dataset, text)
    names = [str(v) for v in (result.vars or [])]
    out = []
    for row in result:
        values = tuple(row)  # type: ignore[arg-type]
        out.append({n: (None if v is None else v.toPython()) for n, v in zip(names, values, strict=True)})  # type: ignore[attr-defined]
    return out


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _i(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def load_model(dataset: Dataset) -> SiteModel:
    """Read publications, sections, statements, mentions, themes and links from the graph."""
    model = SiteModel()
    for r in _rows(dataset, "publications"):
        iri = _s(r["pub"])
        if iri in model.publications:
            continue
        force = _s(r["force"]) or None
        if force:
            model.forces[force] = _s(r["forceLabel"]) or force.rsplit("/", 1)[-1]
            model.names[force] = model.forces[force]
        model.publications[iri] = PublicationRec(
            iri=iri,
            kind=_s(r["class"]).rsplit("#", 1)[-1],
            title=_s(r["title"]) or iri.rsplit("/", 1)[-1],
            issued=_s(r["issued"]),
            force=force,
            file=_s(r["file"]),
            programme=_s(r["programme"]),
            inspected=_s(r["inspected"]),
            edition=_s(r["edition"]),
            time_key=_s(r["timeKey"]),
            time_basis=_s(r["timeBasis"]),
            announces=_s(r["announces"]) or None,
        )
    for r in _rows(dataset, "sections"):
        iri = _s(r["section"])
        model.sections.setdefault(
            iri,
            SectionRec(
                iri=iri,
                publication=_s(r["pub"]),
                title=_s(r["title"]),
                level=_i(r["level"], 2),
                order=_i(r["order"]),
            ),
        )
    themes: dict[str, set[str]] = defaultdict(set)
    for r in _rows(dataset, "themes"):
        theme = _s(r["theme"])
        themes[_s(r["statement"])].add(theme)
        model.themes[theme] = _s(r["themeLabel"]) or theme.rsplit("/", 1)[-1]
        model.names[theme] = model.themes[theme]
    mentions: dict[str, dict[str, MentionRec]] = defaultdict(dict)
    for r in _rows(dataset, "mentions"):
        entity = _s(r["entity"])
        etype = _s(r["entityType"]) or "OTHER"
        model.names.setdefault(entity, _s(r["name"]))
        model.entity_types.setdefault(entity, etype)
        mentions[_s(r["statement"])].setdefault(
            _s(r["mention"]),
            MentionRec(
                iri=_s(r["mention"]),
                entity=entity,
                entity_type=etype,
                start=None if r["start"] is None else _i(r["start"]),
                end=None if r["end"] is None else _i(r["end"]),
            ),
        )
    for r in _rows(dataset, "statements"):
        iri = _s(r["statement"])
        if iri in model.statements:
            continue
        model.statements[iri] = StatementRec(
            iri=iri,
            kind=_s(r["class"]).rsplit("#", 1)[-1],
            label=_s(r["label"]),
            publication=_s(r["pub"]),
            order=_i(r["order"]),
            section=_s(r["section"]) or None,
            part=_s(r["part"]) or None,
            start=None if r["start"] is None else _i(r["start"]),
            end=None if r["end"] is None else _i(r["end"]),
            exact=_s(r["exact"]),
            grade=_s(r["grade"]) or None,
            timescale=_s(r["timescale"]) or None,
            themes=tuple(sorted(themes.get(iri, ()), key=lambda t: model.themes.get(t, t))),
            mentions=tuple(sorted(mentions.get(iri, {}).values(), key=lambda m: (m.start or 0, m.iri))),
            grade_rank=None if r["gradeRank"] is None else _i(r["gradeRank"]),
            area=_s(r["area"]) or None,
            latest_status=_s(r["latestStatus"]) or None,
        )
    seen: set[str] = set()
    for r in _rows(dataset, "links"):
        iri = _s(r["link"])
        if iri in seen:
            continue
        seen.add(iri)
        conf = r["confidence"]
        model.links.append(
            LinkRec(
                iri=iri,
                earlier=_s(r["earlier"]),
                later=_s(r["later"]),
                relation=_s(r["relation"]) or "follow-up",
                status=_s(r["status"]),
                confidence=None if conf is None else float(conf),
                method=_s(r["method"]),
                earlier_quote=_s(r["earlierQuote"]),
                later_quote=_s(r["laterQuote"]),
                status_iri=_s(r["statusIri"]),
                explanation=_s(r["explanation"]),
                status_date=_s(r["statusDate"]),
            )
        )
        if lk_status := _s(r["statusIri"]):
            model.names.setdefault(lk_status, _s(r["status"]))
    for r in _rows(dataset, "statuses"):
        model.names.setdefault(_s(r["status"]), _s(r["label"]) or _words_of_slug(_s(r["status"])))
    model.links.sort(key=lambda lk: lk.iri)
    return model


def _words_of_slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].replace("-", " ")
