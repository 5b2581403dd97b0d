"""What the site says about a matter's status: verdicts, status boards and inspection timelines.

A *matter* is a recommendation, cause of concern or area for improvement a
publication raised about a force. Its status is what the latest later
publication that judged it said (a follow-up link; restatements by a press
release judge nothing). Every status shown is read through the functions
here, so a better source (the linker's own ``hmi:latestStatus``, a register
entry) changes one place, not every template.

The register of the inspectorate is authoritative where it speaks: a link
whose later end sits in a register entry gives the *register's* status,
shown beside the inferred one, never mixed into it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from kg.render.model import LinkRec, SiteModel, StatementRec

#: Statements a status board lists: matters a later publication can act on.
MATTER_KINDS = ("Recommendation", "CauseOfConcern", "AreaForImprovement")
#: Relations that carry no judgment of the earlier statement.
RESTATING = frozenset({"restates"})
NO_LATER_EVIDENCE = "no later evidence"
#: Publication classes whose statuses are the inspectorate's own record.
REGISTER_KINDS = frozenset({"RegisterEntry"})

#: Status (the last part of its IRI) → tone. Tones pick colours and group the counts;
#: an unknown status is "neutral", so a new status in the scheme shows without code changes.
TONES: dict[str, str] = {
    "addressed": "good",
    "sustained-strength": "good",
    "progress-made": "progress",
    "progress-reported": "progress",
    "partly-addressed": "progress",
    "still-area-for-improvement": "open",
    "not-addressed": "open",
    "cause-of-concern": "concern",
    "deteriorated": "concern",
    "superseded": "neutral",
    "restated": "neutral",
    "no-later-evidence": "none",
}
#: Tone → (fill colour, text colour), used by the board, charts and network views alike.
TONE_COLOURS: dict[str, tuple[str, str]] = {
    "good": ("#1e8449", "#ffffff"),
    "progress": ("#52be80", "#0b2e13"),
    "open": ("#e67e22", "#1c1c1c"),
    "concern": ("#c0392b", "#ffffff"),
    "neutral": ("#7f8c8d", "#ffffff"),
    "none": ("#d5d8dc", "#1c2833"),
}
TONE_ORDER = ("concern", "open", "progress", "good", "neutral", "none")


def status_key(iri: str) -> str:
    """The status's local name ("still-area-for-improvement"); "" for no IRI."""
    return iri.rsplit("/", 1)[-1] if iri else ""


def tone(status_iri: str) -> str:
    """The tone of a status IRI (see :data:`TONES`)."""
    return TONES.get(status_key(status_iri), "none" if not status_iri else "neutral")


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """The latest judgment of a matter: the status in words, who judged it and when."""

    status: str
    status_iri: str
    tone: str
    judged_by: str | None
    """The publication whose statement gave the status (None: no later evidence)."""
    judged_in: str | None
    """That statement."""
    when: str
    basis: str
    link: LinkRec | None
    register: Verdict | None = None
    """The register's own status, when a register entry speaks to the matter."""


def _judging(model: SiteModel, statement: str) -> list[LinkRec]:
    return [lk for lk in model.links_of(statement) if lk.earlier == statement and lk.relation not in RESTATING]


def _latest(model: SiteModel, links: list[LinkRec]) -> LinkRec | None:
    """The link whose later statement is latest in time; the most confident on a tie."""
    dated = [lk for lk in links if lk.later in model.statements]
    if not dated:
        return None

    def key(lk: LinkRec) -> tuple[str, float, str]:
        return (lk.status_date or model.when(model.statements[lk.later]), lk.confidence or 0.0, lk.iri)

    return max(dated, key=key)


def _verdict_of(model: SiteModel, link: LinkRec | None, status_iri: str | None = None) -> Verdict:
    if link is None:
        return Verdict(
            status=NO_LATER_EVIDENCE,
            status_iri="",
            tone="none",
            judged_by=None,
            judged_in=None,
            when="",
            basis="",
            link=None,
        )
    iri = status_iri or link.status_iri
    later = model.statements[link.later]
    place = model.place(later.publication)
    return Verdict(
        status=model.names.get(iri, link.status) if iri else link.status,
        status_iri=iri,
        tone=tone(iri),
        judged_by=later.publication,
        judged_in=later.iri,
        when=link.status_date or place.date,
        basis="status date" if link.status_date else place.basis,
        link=link,
    )


def _is_register(model: SiteModel, link: LinkRec) -> bool:
    later = model.statements.get(link.later)
    pub = model.publications.get(later.publication) if later else None
    return pub is not None and pub.kind in REGISTER_KINDS


def matter_verdict(model: SiteModel, statement: StatementRec) -> Verdict:
    """A matter's latest status from the links that judge it directly.

    Where the graph carries the linker's own latest status for the matter,
    that status is shown, with the judging link that gave it.
    """
    links = _judging(model, statement.iri)
    register = [lk for lk in links if _is_register(model, lk)]
    inferred = [lk for lk in links if lk not in register]
    chosen = _latest(model, inferred)
    if statement.latest_status and statement.latest_status not in ("", chosen.status_iri if chosen else ""):
        same = [lk for lk in inferred if lk.status_iri == statement.latest_status]
        if same:
            chosen = _latest(model, same)
    verdict = _verdict_of(model, chosen)
    reg = _latest(model, register)
    if reg is None:
        return verdict
    return dataclasses.replace(verdict, register=_verdict_of(model, reg))


def trail_verdict(model: SiteModel, links: list[LinkRec]) -> Verdict:
    """The latest judgment anywhere on a trail (the last judging link in time)."""
    judging = [lk for lk in links if lk.relation not in RESTATING]
    register = [lk for lk in judging if _is_register(model, lk)]
    verdict = _verdict_of(model, _latest(model, [lk for lk in judging if lk not in register]))
    reg = _latest(model, register)
    if reg is None:
        return verdict
    return dataclasses.replace(verdict, register=_verdict_of(model, reg))


def explain(model: SiteModel, link: LinkRec) -> str:
    """One sentence on why two statements are linked: the linker's own, else one made from the link.

    The sentence names the later publication, its date and what it says of
    the matter. It never quotes the linker's internal scores: they are how a
    link was found, not evidence that it holds.
    """
    if link.explanation:
        return link.explanation
    later = model.statements.get(link.later)
    earlier = model.statements.get(link.earlier)
    if later is None or earlier is None:
        return ""
    source = _titled(model, earlier)
    if link.relation in RESTATING:
        return (
            f"{_titled(model, later)} restates, in its own words, the {earlier.kind_name.lower()} "
            f"of {source}; it judges nothing new."
        )
    return (
        f"{_titled(model, later)} returns to the {earlier.kind_name.lower()} of {source} "
        f"in {_article(later.kind_name)} {later.kind_name.lower()}, which reads as “{link.status}”."
    )


def _titled(model: SiteModel, statement: StatementRec) -> str:
    pub = model.publications.get(statement.publication)
    title = pub.title if pub else "an unnamed publication"
    date = model.when(statement)
    return f"{title} ({date})" if date else title


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


@dataclass(frozen=True, slots=True, kw_only=True)
class BoardRow:
    """One row of a force's status board."""

    statement: StatementRec
    raised: str
    programme: str
    themes: tuple[str, ...]
    verdict: Verdict
    trail: str
    """The statement that names the trail page (its first step)."""


def restatements(model: SiteModel) -> set[str]:
    """Statements that only restate another (a press release's list): not matters of their own."""
    return {lk.later for lk in model.links if lk.relation in RESTATING}


def board_rows(model: SiteModel, force: str, trail_of: dict[str, str]) -> list[BoardRow]:
    """Every matter raised about a force, earliest first, with its verdict and its trail."""
    skip = restatements(model)
    rows = []
    for s in model.statements.values():
        if s.kind not in MATTER_KINDS or s.iri in skip or model.force_of(s) != force:
            continue
        pub = model.publications.get(s.publication)
        rows.append(
            BoardRow(
                statement=s,
                raised=model.when(s),
                programme=pub.programme if pub else "",
                themes=s.themes,
                verdict=matter_verdict(model, s),
                trail=trail_of.get(s.iri, s.iri),
            )
        )
    rows.sort(key=lambda r: (MATTER_KINDS.index(r.statement.kind), model.time_key(r.statement)))
    return rows


def status_counts(rows: list[BoardRow]) -> list[tuple[str, str, int]]:
    """(status in words, tone, count), worst tone first."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        counts[(r.verdict.status, r.verdict.tone)] += 1
    return sorted(((status, t, n) for (status, t), n in counts.items()), key=lambda x: (TONE_ORDER.index(x[1]), x[0]))


@dataclass(frozen=True, slots=True, kw_only=True)
class InspectionEntry:
    """One publication on a force's timeline, with the grades it gave."""

    publication: str
    date: str
    basis: str
    grades: tuple[StatementRec, ...]
    matters: int


def inspections(model: SiteModel, force: str) -> list[InspectionEntry]:
    """A force's publications in time order (undated last), each with its grades and matters raised."""
    out = []
    for pub in model.publications.values():
        if pub.force != force:
            continue
        statements = model.statements_of(pub.iri)
        grades = tuple(
            sorted(
                (s for s in statements if s.kind == "GradedJudgment"),
                key=lambda s: (s.grade_rank or 99, s.area or s.label),
            )
        )
        place = model.place(pub.iri)
        out.append(
            InspectionEntry(
                publication=pub.iri,
                date=place.date,
                basis=place.basis,
                grades=grades,
                matters=sum(1 for s in statements if s.kind in MATTER_KINDS),
            )
        )
    out.sort(key=lambda e: (e.date or "\uffff", model.publications[e.publication].title))
    return out
