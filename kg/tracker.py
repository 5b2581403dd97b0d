"""The recommendations tracker: every recommendation and area for improvement
with its latest known status, for the people who live in spreadsheets.

One row per statement, never two. The latest status is the one given by
the most recent later publication that speaks to the matter; where none
does, the row says "no later evidence" rather than inventing a status.
"""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from rdflib import Dataset

from kg.query import rows_as_text, run

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
  VALUES ?class { hmi:Recommendation hmi:AreaForImprovement hmi:CauseOfConcern }
  ?statement a ?class ; rdfs:label ?text ; prov:wasDerivedFrom ?pub ; hmi:order ?order ;
             hmi:source/oa:hasSelector ?pos .
  ?pos oa:start ?start ; oa:end ?end .
  ?pub dcterms:title ?publication ; hmi:sourceFile ?file .
  OPTIONAL { ?pub hmi:timeKey ?date ; hmi:timeBasis ?basis }
  OPTIONAL { ?pub dcterms:issued ?issued }
  OPTIONAL { ?pub hmi:aboutForce/skos:prefLabel ?force }
  OPTIONAL { ?statement hmi:inSection/dcterms:title ?section }
  OPTIONAL { ?statement hmi:theme/skos:prefLabel ?themeLabel }
  FILTER(!BOUND(?forceName) || EXISTS {
    ?pub hmi:aboutForce ?f . ?f skos:prefLabel|skos:altLabel ?fl .
    FILTER(CONTAINS(LCASE(STR(?fl)), LCASE(STR(?forceName))))
  })
}
GROUP BY ?statement ?class ?text ?publication ?file ?date ?basis ?issued ?force ?section ?start ?end ?order
"""

_STATUS = """
PREFIX hmi: <https://w3id.org/hmi-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT DISTINCT ?earlier ?status ?confidence ?laterDate ?laterPublication ?laterFile ?quote ?start ?end
WHERE {
  ?link a hmi:FollowUpLink ; hmi:relation "follow-up" ; hmi:earlier ?earlier ; hmi:later ?later ;
        hmi:status/skos:prefLabel ?status ; hmi:confidence ?confidence ;
        hmi:laterEvidence ?ev .
  ?ev oa:hasSelector ?q, ?p . ?q oa:exact ?quote . ?p oa:start ?start ; oa:end ?end .
  ?later prov:wasDerivedFrom ?lp . ?lp dcterms:title ?laterPublication ; hmi:sourceFile ?laterFile .
  OPTIONAL { ?lp hmi:timeKey ?laterDate }
}
"""


@dataclass(frozen=True, slots=True)
class TrackerRow:
    """One recommendation or area for improvement and what later publications say of it."""

    force: str
    publication: str
    #: The publication's place in time (kg/timeline.py), ``date_basis`` saying which date it is.
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
    statement: str


def tracker_rows(dataset: Dataset, *, force: str | None = None) -> list[TrackerRow]:
    """Every recommendation, area for improvement and cause of concern, in order of place in time."""
    bindings = {"forceName": force} if force else {}
    latest: dict[str, tuple[str, str, str, str, str, str]] = {}
    for v in rows_as_text(run(dataset, _STATUS)):
        earlier = v["earlier"]
        key = (v["laterDate"], v["confidence"])
        if earlier not in latest or key > (latest[earlier][2], latest[earlier][1]):
            latest[earlier] = (
                v["status"],
                v["confidence"],
                v["laterDate"],
                v["laterPublication"],
                f"{v['laterFile']} [{v['start']}:{v['end']}]",
                v["quote"],
            )
    rows = []
    seen: set[str] = set()
    for values in rows_as_text(run(dataset, _ROWS, bindings)):
        iri = values["statement"]
        if iri in seen:
            continue
        seen.add(iri)
        status = latest.get(iri)
        rows.append(
            (
                values["date"],
                values["publication"],
                int(values["order"] or 0),
                TrackerRow(
                    force=values["force"],
                    publication=values["publication"],
                    date=values["date"],
                    date_basis=values["basis"],
                    published=values["issued"],
                    kind=values["class"].rsplit("#", 1)[-1],
                    theme=values["themes"],
                    section=values["section"],
                    text=values["text"],
                    latest_status=status[0] if status else NO_LATER_EVIDENCE,
                    status_publication=status[3] if status else "",
                    status_date=status[2] if status else "",
                    confidence=status[1] if status else "",
                    evidence_quote=" ".join(status[5].split()) if status else "",
                    source_reference=f"{values['file']} [{values['start']}:{values['end']}]",
                    evidence_reference=status[4] if status else "",
                    statement=iri,
                ),
            )
        )
    rows.sort(key=lambda x: (x[0], x[1], x[2]))
    return [row for *_, row in rows]


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
    widths = {"text": 70, "evidence_quote": 70, "theme": 30, "publication": 40, "section": 30}
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
