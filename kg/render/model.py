"""Site model: everything the HTML site shows, read from the graph once as typed records.

The site is rendered from these records rather than from the graph so that
each page is a pure function of plain data (easy to test, deterministic) and
the SPARQL runs once per build instead of once per page. The queries are in
``kg/render/sparql/*.rq``, run through :func:`kg.query.run`, and use
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

from kg.query import run

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

    @property
    def kind_name(self) -> str:
        """The kind in words ("Area for improvement")."""
        return KIND_NAMES.get(self.kind, self.kind)

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
    #: The place in time (kg/timeline.py), and which date it is (``basis``).
    issued: str
    force: str | None
    file: str
    programme: str
    basis: str = ""
    first_published: str = ""
    edition: str = ""


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

    def time_key(self, statement: StatementRec) -> tuple[str, str, int]:
        """Sort key: publication date, publication, place in the text."""
        pub = self.publications.get(statement.publication)
        return (pub.issued if pub else "", statement.publication, statement.order)

    def links_of(self, statement: str) -> list[LinkRec]:
        """Links in which a statement is the earlier or the later end."""
        return [lk for lk in self.links if statement in (lk.earlier, lk.later)]

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
        links = [lk for lk in self.links if lk.earlier in seen and lk.later in seen]
        rank = {s.iri: i for i, s in enumerate(members)}
        links.sort(key=lambda lk: (rank.get(lk.earlier, 0), rank.get(lk.later, 0), lk.iri))
        return members, links


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
            basis=_s(r["basis"]),
            first_published=_s(r["firstPublished"]),
            edition=_s(r["edition"]),
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
            )
        )
    model.links.sort(key=lambda lk: lk.iri)
    return model
