"""Graded judgments: the grade of each inspected area of a PEEL report.

A PEEL report states grades twice: in the judgments table near the top and
in each area's section (a grade line and a sentence such as "Durham
Constabulary is adequate at ..."). Flattened tables lose empty leading
cells, so a cell's column is not reliable; when the table and the section
disagree, the section's own statement is kept and the disagreement is
recorded, never silently resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.formats import GRADES, grade_of, normalise_title
from kg.records import Block, Discrepancy, Section, SourceDocument, Span, Statement

_SENTENCE_RE = re.compile(
    r"\b(?:is|are)\s+(outstanding|good|adequate|inadequate)\s+at\b"
    r"|\b(requires?\s+improvement)\s+(?:at|in)\b"
    r"|\bis\s+(outstanding|good|adequate|inadequate)\.\s*$",
    re.I,
)
_STOP = frozenset("the and about for with its their in of to at on a an is are".split())


@dataclass(frozen=True, slots=True)
class _SectionGrade:
    section: Section
    line: Span | None
    line_grade: str | None
    sentence: Span | None
    sentence_grade: str | None


def _stems(text: str) -> set[str]:
    return {w[:4] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 2}


def judgments_table(blocks: list[Block]) -> list[tuple[Span, str]]:
    """(area cell, grade of its column) for each filled cell of a judgments table."""
    for block in blocks:
        if block.kind != "table" or not block.cells:
            continue
        header = [grade_of(c.quote) for c in block.cells[0]]
        if sum(g is not None for g in header) < 3:
            continue
        cells: list[tuple[Span, str]] = []
        for row in block.cells[1:]:
            for i, cell in enumerate(row):
                if cell.quote and i < len(header) and header[i] is not None:
                    grade = header[i]
                    assert grade is not None
                    cells.append((cell, grade))
        return cells
    return []


def section_grade(section: Section) -> _SectionGrade | None:
    """The grade a section states on its own line and in a sentence."""
    line = next((b.span for b in section.blocks if b.kind == "grade_line"), None)
    sentence = None
    sentence_grade = None
    for block in section.blocks:
        if block.kind != "paragraph":
            continue
        m = _SENTENCE_RE.search(block.span.quote)
        if m:
            sentence = block.span
            sentence_grade = grade_of(next(g for g in m.groups() if g))
            break
    if line is None and sentence is None:
        return None
    return _SectionGrade(section, line, grade_of(line.quote) if line else None, sentence, sentence_grade)


def _score(area: str, g: _SectionGrade) -> tuple[float, float]:
    """How well a table label names a section: (label coverage, title overlap)."""
    want = _stems(area)
    title = _stems(g.section.title)
    sentence = _stems(g.sentence.quote if g.sentence else "")
    coverage = max(len(want & title), len(want & sentence)) / max(1, len(want))
    overlap = len(want & title) / max(1, len(want | title))
    return coverage, overlap


def _assign(cells: list[tuple[Span, str]], graded: list[_SectionGrade]) -> dict[int, int]:
    """Pair table cells with sections, best-scoring pairs first, one to one."""
    pairs = sorted(
        ((_score(cell.quote, g), ci, gi) for ci, (cell, _) in enumerate(cells) for gi, g in enumerate(graded)),
        key=lambda p: (-p[0][0], -p[0][1], p[1], p[2]),
    )
    chosen: dict[int, int] = {}
    taken: set[int] = set()
    for (coverage, _), ci, gi in pairs:
        if coverage < 0.5 or ci in chosen or gi in taken:
            continue
        chosen[ci] = gi
        taken.add(gi)
    return chosen


def extract_grades(
    doc_id: str, sections: list[Section], all_blocks: list[Block]
) -> tuple[list[Statement], list[Discrepancy]]:
    """One graded judgment per graded area, with every place the grade is stated."""
    graded = [g for g in (section_grade(s) for s in sections) if g is not None]
    statements: list[Statement] = []
    discrepancies: list[Discrepancy] = []
    cells = judgments_table(all_blocks)
    chosen = _assign(cells, graded)
    for ci, (cell, table_grade) in enumerate(cells):
        match = graded[chosen[ci]] if ci in chosen else None
        statements.append(_judgment(doc_id, cell, table_grade, match, discrepancies))
    used = set(chosen.values())
    for i, g in enumerate(graded):
        if i not in used:
            statements.append(_judgment(doc_id, None, None, g, discrepancies))
    return statements, discrepancies


def _judgment(
    doc_id: str,
    cell: Span | None,
    table_grade: str | None,
    section: _SectionGrade | None,
    discrepancies: list[Discrepancy],
) -> Statement:
    evidence = tuple(s for s in (cell, section.line if section else None, section.sentence if section else None) if s)
    stated = {g for g in (section.line_grade, section.sentence_grade) if g} if section else set()
    disagreement = None
    if len(stated) > 1:
        grade = None
        disagreement = f"the section's grade line and sentence disagree ({' / '.join(sorted(stated))})"
    elif stated:
        grade = stated.pop()
        if table_grade is not None and table_grade != grade:
            disagreement = (
                f"the judgments table places this area under '{table_grade}' by cell position, "
                f"but its section states '{grade}'"
            )
    else:
        grade = table_grade
        if section is None:
            disagreement = "graded only in the judgments table; no section states this grade"
    area_span = cell if cell is not None else (section.section.heading if section else None)
    assert area_span is not None
    if disagreement:
        discrepancies.append(
            Discrepancy(doc_id=doc_id, kind="grade", message=f"{area_span.quote}: {disagreement}", spans=evidence)
        )
    main = section.line or section.sentence if section else None
    cue = (
        "grade:judgments-table"
        if cell is not None
        else ("grade:section-grade-line" if section and section.line else "grade:section-sentence")
    )
    return Statement(
        cue=cue,
        doc_id=doc_id,
        kind="graded_judgment",
        span=main or area_span,
        heading=area_span,
        section=section.section.title if section else area_span.quote,
        part=None,
        section_path=section.section.path if section else (),
        area=" ".join(area_span.quote.split()),
        grade=grade,
        grade_evidence=evidence,
        grade_disagreement=disagreement,
    )


#: Each grading scale and the grades on it, best first (the ``skos:notation`` order in ontology/vocab/grades.ttl).
SCALES: dict[str, tuple[str, ...]] = {
    "peel-four-tier": ("Outstanding", "Good", "Requires improvement", "Inadequate"),
    "peel-five-tier": GRADES,
    "crime-data-integrity": ("Outstanding", "Good", "Requires improvement", "Inadequate"),
}
_CDI_RE = re.compile(r"crime[ -]data[ -]integrity|\bCDI\b", re.I)
_ERA_RE = re.compile(r"\b(20[12]\d)(?:\s*[/\u2013-]\s*\d{2,4})?\b")
_FIVE_TIER_RE = re.compile(r"\bfive[- ]tiers?\b", re.I)


def _year(*texts: str | None) -> int | None:
    for text in texts:
        if text:
            m = _ERA_RE.search(text)
            if m:
                return int(m.group(1))
    return None


_STATED_ERA_RE = re.compile(
    r"^Last updated \d{1,2}/\d{1,2}/(20\d\d)\s*$"
    r"|^(?:[A-Z][\w'-]*(?: (?:and )?[A-Z][\w'-]*)*)(?: PEEL)? (20[12]\d)(?:/\d\d)?\s*$"
    r"|\bPEEL(?: assessment)?\s+(20[12]\d)\b",
    re.M,
)


def _stated_era(text: str) -> str | None:
    """The year a page's own heading or update line names ("Durham PEEL 2016", "Last updated 03/11/2016")."""
    m = _STATED_ERA_RE.search(text[:3000])
    return next((g for g in m.groups() if g), None) if m else None


def grade_scale(document: SourceDocument, grade: str | None, recap_year: str | None = None) -> str | None:
    """The scale a grade is on, from its programme and era.

    PEEL graded on four tiers from 2014 to 2018/19 and on five (adding
    "Adequate") from 2021/22; crime data integrity inspections (2016-2020)
    had their own four-tier judgments. The era is the recounted
    inspection's year for a recap, else the year the programme, title or
    publication date names. Unknown when nothing says.
    """
    if grade == "Adequate":
        return "peel-five-tier"
    meta = document.metadata
    year = (
        int(recap_year) if recap_year else _year(meta.published, meta.programme, _stated_era(document.text), meta.title)
    )
    if year is None and _FIVE_TIER_RE.search(document.text[:5000]):
        return "peel-five-tier"
    if year is None:
        return None
    cdi = bool(_CDI_RE.search(" ".join(filter(None, (meta.programme, meta.title)))))
    if year >= 2021:
        return "peel-five-tier"
    if year >= 2014:
        return "crime-data-integrity" if cdi else "peel-four-tier"
    return None


__all__ = ["GRADES", "SCALES", "extract_grades", "grade_scale", "judgments_table", "normalise_title", "section_grade"]
