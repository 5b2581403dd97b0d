"""The recommendations tracker: every matter raised (recommendation, area for
improvement, cause of concern) with its latest known status, for the people
who live in spreadsheets.

One row per matter, never two: a press release's bullet or a register
entry's copy of a recommendation joins the matter it restates. The latest
status is the register's where the register has one (authoritative), else
the one given by the most recent later publication that speaks to the
matter; where none does, the row says "no later evidence" rather than
inventing a status.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from rdflib import Dataset

from kg.query.sparql import rows_as_text, run

NO_LATER_EVIDENCE = "no later evidence"

_ROWS = """
PREFIX hmi: <https://w3id.org/hmi-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT DISTINCT ?statement ?class ?text ?publication ?file ?date ?basis ?issued ?force ?section ?start ?end ?order
       (GROUP_CONCAT(DISTINCT ?themeLabel; separator="; ") AS ?themes)
WHERE {
  # Findings too: a release's area for improvement may restate a report's critical finding, which then heads its matter.
  VALUES ?class { hmi:Recommendation hmi:AreaForImprovement hmi:CauseOfConcern hmi:Finding }
  ?statement a ?class ; rdfs:label ?text ; prov:wasDerivedFrom ?pub ; hmi:order ?order ;
             hmi:source/oa:hasSelector ?pos .
  ?pos oa:start ?start ; oa:end ?end .
  ?pub dcterms:title ?publication ; hmi:sourceFile ?file .
  OPTIONAL { ?pub hmi:timeKey ?date ; hmi:timeBasis ?basis }
  OPTIONAL { ?pub dcterms:issued ?issued }
  OPTIONAL { ?pub hmi:aboutForce/skos:prefLabel ?force }
  OPTIONAL { ?statement hmi:inSection/dcterms:title ?section }
  OPTIONAL { ?statement hmi:theme/skos:prefLabel ?themeLabel }
  # A national publication (no force) is kept: its recommendations to all forces are tracked per force.
  FILTER(!BOUND(?forceName) || NOT EXISTS { ?pub hmi:aboutForce ?any } || EXISTS {
    ?pub hmi:aboutForce ?f . ?f skos:prefLabel|skos:altLabel ?fl .
    FILTER(CONTAINS(LCASE(STR(?fl)), LCASE(STR(?forceName))))
  })
}
GROUP BY ?statement ?class ?text ?publication ?file ?date ?basis ?issued ?force ?section ?start ?end ?order
"""

_LINKS = """
PREFIX hmi: <https://w3id.org/hmi-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT DISTINCT ?earlier ?later ?relation ?status ?confidence ?statusDate ?laterDate ?laterPublication ?laterKind
       ?laterFile ?quote ?start ?end ?explanation ?laterForce
WHERE {
  ?link a hmi:FollowUpLink ; hmi:relation ?relation ; hmi:earlier ?earlier ; hmi:later ?later ;
        hmi:status/skos:prefLabel ?status ; hmi:confidence ?confidence ;
        hmi:laterEvidence ?ev .
  ?ev oa:hasSelector ?q, ?p . ?q oa:exact ?quote . ?p oa:start ?start ; oa:end ?end .
  ?later prov:wasDerivedFrom ?lp . ?lp dcterms:title ?laterPublication ; hmi:sourceFile ?laterFile ;
        hmi:documentKind ?laterKind .
  OPTIONAL { ?lp hmi:timeKey ?laterDate }
  OPTIONAL { ?link hmi:statusDate ?statusDate }
  OPTIONAL { ?link hmi:explanation ?explanation }
  OPTIONAL { ?lp hmi:aboutForce/skos:prefLabel ?laterForce }
  FILTER NOT EXISTS { ?link hmi:forReview true }
}
"""


@dataclass(frozen=True, slots=True)
class TrackerRow:
    """One matter (a recommendation, area for improvement or cause of concern) and what became of it.

    A matter restated elsewhere (a press release's bullet, a register entry's
    copy of the recommendation) is one row, not several: the restatements are
    listed in ``restated_in`` and their links count for the matter. The
    register's status, where there is one, is authoritative and is the
    ``latest_status``; the status the linker inferred stands beside it in
    ``inferred_status``, and ``disagreement`` says when the two differ.
    """

    force: str
    publication: str
    #: The publication's place in time (kg/link/timeline.py), ``date_basis`` saying which date it is.
    date: str
    date_basis: str
    #: When the publication was first published, when known (beside the place in time).
    published: str
    kind: str
    theme: str
    section: str
    text: str
    latest_status: str
    status_publication: str
    status_date: str
    confidence: str
    evidence_quote: str
    source_reference: str
    evidence_reference: str
    register_status: str
    register_date: str
    inferred_status: str
    inferred_date: str
    disagreement: str
    restated_in: str
    evidence_chain: str
    statement: str


@dataclass(frozen=True, slots=True)
class _Link:
    earlier: str
    later: str
    relation: str
    status: str
    confidence: float
    date: str
    publication: str
    later_kind: str
    later_force: str
    reference: str
    quote: str
    explanation: str


def _links(dataset: Dataset) -> list[_Link]:
    out = []
    for v in rows_as_text(run(dataset, _LINKS)):
        out.append(
            _Link(
                earlier=v["earlier"],
                later=v["later"],
                relation=v["relation"],
                status=v["status"],
                confidence=float(v["confidence"] or 0),
                date=v["statusDate"] or v["laterDate"],
                publication=v["laterPublication"],
                later_kind=v["laterKind"],
                later_force=v["laterForce"],
                reference=f"{v['laterFile']} [{v['start']}:{v['end']}]",
                quote=" ".join(v["quote"].split()),
                explanation=v["explanation"],
            )
        )
    return sorted(out, key=lambda k: (k.earlier, k.later, k.relation))


def matters(links: list[_Link]) -> dict[str, str]:
    """Each statement that restates or tracks another -> the statement it is one matter with.

    A restating statement (a release's bullet, a review's recap, a register
    entry's recommendation) joins the statement it restates most closely;
    following these steps back reaches the statement that first raised the
    matter.
    """
    best: dict[str, _Link] = {}
    for k in links:
        if k.relation in ("restates", "register") and (k.later not in best or k.confidence > best[k.later].confidence):
            best[k.later] = k
    parent = {later: k.earlier for later, k in best.items()}

    def root(node: str) -> str:
        seen = {node}
        while node in parent and parent[node] not in seen:
            node = parent[node]
            seen.add(node)
        return node

    return {node: root(node) for node in parent}


def tracker_rows(dataset: Dataset, *, force: str | None = None) -> list[TrackerRow]:
    """One row per matter (recommendation, area for improvement, cause of concern), in order of place in time."""
    bindings = {"forceName": force} if force else {}
    links = _links(dataset)
    root_of = matters(links)
    statements: dict[str, dict[str, str]] = {}
    for values in rows_as_text(run(dataset, _ROWS, bindings)):
        statements.setdefault(values["statement"], values)
    groups: dict[str, list[str]] = {}
    for iri in statements:
        groups.setdefault(root_of.get(iri, iri), []).append(iri)
    # A matter is raised by a recommendation, area for improvement or cause of concern; a finding
    # heads a row only when one of those restates it.
    groups = {root: members for root, members in groups.items() if any(_raises(statements[m]) for m in members)}
    members_of = {root: {root} | {n for n, r in root_of.items() if r == root} for root in groups}

    def place(iri: str) -> tuple[str, str, int]:
        v = statements[iri]
        return (v["date"], v["publication"], int(v["order"] or 0))

    rows = []
    for root, in_rows in groups.items():
        # The matter is shown by its first statement in time (the report's, not the release's).
        head = root if root in statements else min(in_rows, key=place)
        values = statements[head]
        members = members_of[root] | set(in_rows)
        matter_links = [k for k in links if k.earlier in members]
        # A national recommendation to all forces is one matter per force that later reports speak for.
        per_force = sorted({k.later_force for k in matter_links if k.later_force}) if not values["force"] else []
        if not values["force"] and not per_force and force:
            continue  # a national matter no report of this force speaks to
        for force_name in per_force or [values["force"]]:
            if force and per_force and force.lower() not in force_name.lower():
                continue
            own = [k for k in matter_links if not per_force or k.later_force == force_name]
            rows.append(_row(values, head, in_rows, own, force_name, statements, place))
    rows.sort(key=lambda x: x[0])
    return [row for _, row in rows]


def _row(
    values: dict[str, str],
    head: str,
    in_rows: list[str],
    own: list[_Link],
    force_name: str,
    statements: dict[str, dict[str, str]],
    place: Callable[[str], tuple[str, str, int]],
) -> tuple[tuple[str, str, int], TrackerRow]:
    """One matter's row (for one force, when the matter is a recommendation to all forces)."""
    follow_ups = [k for k in own if k.relation == "follow-up"]
    register = max((k for k in own if k.relation == "register"), key=lambda k: (k.date, k.confidence), default=None)
    inferred = max(follow_ups, key=lambda k: (k.date, k.confidence), default=None)
    shown = register or inferred
    restated = sorted(
        {k.publication for k in own if k.relation == "restates"}
        | {statements[i]["publication"] for i in in_rows if i != head}
    )
    return (
        place(head),
        TrackerRow(
            force=force_name,
            publication=values["publication"],
            date=values["date"],
            date_basis=values["basis"],
            published=values["issued"],
            kind=values["class"].rsplit("#", 1)[-1],
            theme=values["themes"],
            section=values["section"],
            text=values["text"],
            latest_status=shown.status if shown else NO_LATER_EVIDENCE,
            status_publication=shown.publication if shown else "",
            status_date=shown.date if shown else "",
            confidence=f"{shown.confidence:g}" if shown else "",
            evidence_quote=shown.quote if shown else "",
            source_reference=f"{values['file']} [{values['start']}:{values['end']}]",
            evidence_reference=shown.reference if shown else "",
            register_status=register.status if register else "",
            register_date=register.date if register else "",
            inferred_status=inferred.status if inferred else NO_LATER_EVIDENCE,
            inferred_date=inferred.date if inferred else "",
            disagreement=_disagreement(register, inferred),
            restated_in="; ".join(restated),
            evidence_chain=_chain(values, own),
            statement=head,
        ),
    )


def _raises(values: dict[str, str]) -> bool:
    return not values["class"].endswith("#Finding")


def _disagreement(register: _Link | None, inferred: _Link | None) -> str:
    """In words, when the register's status and the inferred one differ; empty when they agree or one is missing."""
    if register is None or inferred is None or register.status == inferred.status:
        return ""
    return f"register says {register.status} ({register.date}); later reports say {inferred.status} ({inferred.date})"


def _chain(values: dict[str, str], links: list[_Link]) -> str:
    """The matter's story in time order: raised, restated, judged, and the register's word."""
    steps = [(values["date"], f"{values['date'] or 'undated'} raised in {values['publication']}")]
    for k in sorted(links, key=lambda k: (k.date, k.relation, k.publication)):
        what = {"restates": "restated", "register": f"register: {k.status}"}.get(k.relation, k.status)
        steps.append((k.date, f"{k.date or 'undated'} {what} in {k.publication}: \u201c{k.quote[:120]}\u201d"))
    return " \u2192 ".join(text for _, text in sorted(steps, key=lambda s: s[0]))


def status_counts(rows: list[TrackerRow]) -> list[tuple[str, str, int]]:
    """How many matters of each force have each latest status: (force, status, count), sorted."""
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r.force or "(no force)", r.latest_status)
        counts[key] = counts.get(key, 0) + 1
    return sorted((force, status, n) for (force, status), n in counts.items())


def counts_csv(rows: list[TrackerRow]) -> str:
    """``status_counts`` as CSV text."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["force", "latest_status", "matters"])
    writer.writerows(status_counts(rows))
    return buf.getvalue()


def header() -> list[str]:
    """Column names, as written in the CSV and the spreadsheet."""
    return [f.name for f in fields(TrackerRow)]


def to_csv(rows: list[TrackerRow]) -> str:
    """The tracker as CSV text."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header())
    writer.writerows(astuple(r) for r in rows)
    return buf.getvalue()


def write_xlsx(rows: list[TrackerRow], path: Path) -> Path:
    """The tracker as an Excel workbook with a frozen, filterable header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tracker"
    ws.append(header())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_safe_cell(v) for v in astuple(row)])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    widths = {"text": 70, "evidence_quote": 70, "evidence_chain": 90, "theme": 30, "publication": 40, "section": 30}
    for i, name in enumerate(header(), start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = widths.get(name, 18)
        if name in widths:
            for cell in ws[ws.cell(1, i).column_letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(path)
    return path


def _safe_cell(value: str) -> str:
    """Report text is data: never let a cell be read as a spreadsheet formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
