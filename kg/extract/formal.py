"""Formal judgments: grades, causes of concern, recommendations and case-audit tallies.

These are the inspectorate's formal outputs, stated in a fixed vocabulary
("is judged to be good", "Within three months, X Police should", "a cause
of concern", "11 were good, 8 required improvement"), so each is read by
an explicit rule wherever it sits: in a judgments table, under a format
heading, or in any sentence or list item of any section. They run before
the sentence classifier of ``kg.extract.statements``: every sentence,
item or block read here is *claimed*, so the classifier does not read it a
second time as a finding or an area for improvement. Each statement names
the rule that made it in ``Statement.cue``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from kg.extract.audit import (
    PROSE_RE,
    area_label,
    audit_key,
    check_tallies,
    prose_tally,
    sentence_tally,
    stated_total,
    tally_of_list,
)
from kg.extract.grade_sentences import (
    GENERIC_LABELS,
    LABELLED_GRADE_RE,
    GradeClaim,
    grade_claims,
    grade_word,
    pillar_of,
    recap_year,
)
from kg.extract.grades import extract_grades, grade_scale
from kg.extract.recaps import sentence_recap
from kg.extract.recommendations import (
    FORCE_NAME_RE,
    addressee_of,
    addressees_of,
    cause_cue,
    counts_causes_only,
    group_recommendations,
    recommendation_cue,
    timescale_of,
)
from kg.extract.sentence_split import sentence_spans
from kg.extract.spans import ClaimedSpans
from kg.extract.walk import walk_parts
from kg.formats import PART_KINDS, grade_of, normalise_title
from kg.records import (
    Action,
    Block,
    CaseAuditCounts,
    Discrepancy,
    Section,
    SourceDocument,
    Span,
    Statement,
    StatementKind,
    StructuredDocument,
)

_STEM_STOP = frozenset(
    "the and about for with its their in of to at on a an is are how well does what extent which force "
    "constabulary police service it this that".split()
)
_LEAD_IN_RECOMMENDATIONS_RE = re.compile(
    r"\b(?:our|the following|these|following)\s+recommendations?\b|\bwe (?:make|made) the following\b"
    r"|\brecommend(?:s|ed)? that\b[^.]*:$",
    re.I,
)
_REGISTER_STATUS_RE = re.compile(
    r"\b(?:status of|progress against|terms of|filed? as complete)\s+(?:this|the)\s+recommendation\b"
    r"|\bthis recommendation (?:is|has been|be)\b",
    re.I,
)
_QUESTION_RE = re.compile(r"^[A-Z][^\n]{10,250}\?$")


@dataclass(frozen=True, slots=True)
class FormalStatements:
    """What the formal-judgment rules read from one document, and the spans they claimed."""

    statements: tuple[Statement, ...]
    discrepancies: tuple[Discrepancy, ...]
    claimed: tuple[tuple[int, int], ...]

    def claims(self) -> Callable[[Span], bool]:
        """A test: is a span (a sentence, item or block) already read by these rules?"""
        index = ClaimedSpans(self.claimed)
        return lambda span: index.contains(span.start, span.end)


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a block sits: its section, the top-level section's title and the format part, if any."""

    section: Section
    top_title: str
    part: Section | None


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, quote=text[start:end])


def _stems(text: str) -> set[str]:
    return {w[:4] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STEM_STOP and len(w) > 2}


def same_area(a: str, b: str) -> bool:
    """Do two area phrases name the same inspected area (most content words shared)?"""
    sa, sb = _stems(a), _stems(b)
    if not sa or not sb:
        return False
    return len(sa & sb) / min(len(sa), len(sb)) >= 0.6


class _Reader:
    def __init__(self, structured: StructuredDocument) -> None:
        self.structured = structured
        self.doc: SourceDocument = structured.document
        self.text = self.doc.text
        self.statements: list[Statement] = []
        self.discrepancies: list[Discrepancy] = []
        self.claimed: list[tuple[int, int]] = []
        self.claimed_index = ClaimedSpans()
        self.tallies: list[Statement] = []
        self.own_force = self.doc.metadata.force or _force_in_title(structured)

    # --- helpers -------------------------------------------------------------------------------------
    def claim(self, span: Span) -> None:
        self.claimed.append((span.start, span.end))
        self.claimed_index.add(span.start, span.end)

    def is_claimed(self, span: Span) -> bool:
        return self.claimed_index.contains(span.start, span.end)

    def statement(
        self, kind: StatementKind, span: Span, heading: Span, place: _Place, cue: str, **fields: object
    ) -> Statement:
        st = Statement(
            doc_id=self.doc.doc_id,
            kind=kind,
            span=span,
            heading=heading,
            section=place.top_title,
            part=place.part.title if place.part else None,
            section_path=place.section.path,
            cue=cue,
            incomplete=self._incomplete(span),
            **fields,  # type: ignore[arg-type]
        )
        return st

    def _incomplete(self, span: Span) -> bool:
        """A statement that runs to the end of the text without ending its sentence was cut off."""
        tail = self.text[span.end :].strip()
        return not tail and not re.search(r"[.!?:;)\"'\u201d\u2019]\s*$", span.quote)

    # --- the whole document ----------------------------------------------------------------------------
    def read(self) -> FormalStatements:
        places: list[tuple[Block, _Place]] = []
        top_sections: list[Section] = []
        all_blocks: list[Block] = []
        paragraphs_by_top: dict[str, list[str]] = {}
        for section, top, part in walk_parts(self.structured.sections[0]):
            if section.level == 2:
                top_sections.append(section)
            place = _Place(section, top.title if top else section.title, part)
            all_blocks.extend(section.blocks)
            places.extend((b, place) for b in section.blocks)
            part_kind = PART_KINDS.get(normalise_title(part.title)) if part is section and part else None
            if part_kind == "recommendation":
                self._recommendation_part(section, place)
            elif part_kind == "cause_of_concern":
                self._cause_part(section, place)
            self._list_tallies(section, place, paragraphs_by_top.setdefault(place.top_title, []))
        self._layout_grades(top_sections, all_blocks)
        places.sort(key=lambda bp: bp[0].span.start)
        self._register_entry(places)
        self._sentences(places)
        tallies = _mark_overall(self.tallies)
        self.discrepancies += check_tallies(self.doc.doc_id, tallies)
        statements = sorted(self.statements + tallies, key=lambda s: (s.span.start, s.span.end, s.kind))
        return FormalStatements(tuple(statements), tuple(self.discrepancies), tuple(sorted(set(self.claimed))))

    # --- layout rules -------------------------------------------------------------------------------------
    def _layout_grades(self, top_sections: list[Section], all_blocks: list[Block]) -> None:
        grades, discrepancies = extract_grades(self.doc.doc_id, top_sections, all_blocks)
        self.discrepancies += discrepancies
        for g in grades:
            scale = grade_scale(self.doc, g.grade)
            self.statements.append(replace(g, area=overall_area(g.area, scale), grade_scale=scale))
            for ev in g.grade_evidence:
                self.claim(ev)

    def _recommendation_part(self, part: Section, place: _Place) -> None:
        for opening, members, actions in group_recommendations(part.blocks):
            start, end = members[0].span.start, members[-1].span.end
            span = _span(self.text, start, end)
            addressees = addressees_of(opening.span.quote, self.own_force)
            self.statements.append(
                self.statement(
                    "recommendation",
                    span,
                    opening.span,
                    place,
                    "heading:recommendations",
                    timescale=timescale_of(opening.span.quote),
                    addressee=addressee_of(opening.span.quote, self.own_force),
                    addressees=addressees,
                    actions=tuple(actions),
                )
            )
            self.claim(span)

    def _cause_part(self, part: Section, place: _Place) -> None:
        """Under a "Cause of concern" heading, the first paragraph states the cause."""
        expecting = True
        for block in part.blocks:
            if block.kind not in ("paragraph", "case_study"):
                continue
            first = sentence_spans(self.text, block.span.start, block.span.end)
            if not first:
                continue
            if recommendation_cue(first[0].quote):
                expecting = True
                continue
            if expecting:
                self.statements.append(
                    self.statement("cause_of_concern", block.span, first[0], place, "heading:cause-of-concern")
                )
                self.claim(block.span)
                expecting = False

    def _list_tallies(self, section: Section, place: _Place, paragraphs_before: list[str]) -> None:
        """Tallies listed as "N good" items under a lead-in, and the overall sentence "good in N cases..."."""
        for i, block in enumerate(section.blocks):
            if block.kind in ("paragraph", "case_study"):
                counts = prose_tally(block.span, block.span.quote)
                at = PROSE_RE.search(block.span.quote)
                if counts is not None and at is not None:
                    # The sentence that states the counts; the paragraph may state the number of cases before it.
                    where = block.span.start + at.start()
                    sentences = sentence_spans(self.text, block.span.start, block.span.end)
                    sentence = next((s for s in sentences if s.start <= where < s.end), block.span)
                    self.tallies.append(
                        self.statement(
                            "case_audit_tally", sentence, sentence, place, "tally:good-in-n-cases", tally=counts
                        )
                    )
                    self.claim(sentence)
                paragraphs_before.append(block.span.quote)
                continue
            counts = tally_of_list(block)
            if counts is None:
                continue
            lead = section.blocks[i - 1] if i > 0 and section.blocks[i - 1].kind == "paragraph" else None
            label = area_label(lead.span.quote) if lead is not None else section.title
            start = lead.span.start if lead is not None else block.span.start
            span = _span(self.text, start, block.span.end)
            tally = replace(counts, total=stated_total(paragraphs_before))
            self.tallies.append(
                self.statement(
                    "case_audit_tally",
                    span,
                    lead.span if lead is not None else block.span,
                    place,
                    "tally:listed-counts",
                    area=label,
                    tally=tally,
                )
            )
            self.claim(span)

    def _register_entry(self, places: list[tuple[Block, _Place]]) -> None:
        """An entry of the recommendations register: the recommendation, then what became of it.

        The entry states its recommendation as a bare "X should ..." paragraph under the title;
        the later paragraphs speak of "this recommendation" and its status.
        """
        paragraphs = [(b, p) for b, p in places if b.kind in ("paragraph", "case_study")]
        if len(paragraphs) < 2 or not any(_REGISTER_STATUS_RE.search(b.span.quote) for b, _ in paragraphs[1:]):
            return
        block, place = paragraphs[0]
        sentences = sentence_spans(self.text, block.span.start, block.span.end)
        if not sentences or not re.search(r"\b(?:should|must)\b", sentences[0].quote):
            return
        if recommendation_cue(sentences[0].quote):
            return  # read by the sentence rules, with their cue
        who = addressees_of(sentences[0].quote, self.own_force)
        self._add(
            "recommendation",
            block.span,
            sentences[0],
            place,
            "register:this-recommendation",
            timescale=timescale_of(block.span.quote),
            addressees=who,
            addressee=who[0] if who else None,
        )

    # --- sentence rules ---------------------------------------------------------------------------------
    def _units(self, block: Block) -> list[Span]:
        if block.kind in ("paragraph", "case_study", "grade_line"):
            return sentence_spans(self.text, block.span.start, block.span.end)
        if block.kind == "bullet_list":
            return list(block.items)
        if block.kind == "table":
            return list(block.items)
        return []

    def _sentences(self, places: list[tuple[Block, _Place]]) -> None:
        claims: list[tuple[GradeClaim, _Place]] = []
        last_heading: Span | None = None
        for i, (block, place) in enumerate(places):
            nxt = places[i + 1][0] if i + 1 < len(places) else None
            if block.kind in ("heading", "title"):
                last_heading = block.span
                continue
            if block.kind == "paragraph" and _QUESTION_RE.match(block.span.quote):
                last_heading = block.span
            claims.extend((c, place) for c in self._grade_lines(block, last_heading))
            lead_in = self._lead_in(places, i)
            before = ""
            for unit in self._units(block):
                if not self.is_claimed(unit):
                    self._unit(unit, block, nxt, place, lead_in, claims, before)
                before = unit.quote
        self._grades(claims)

    def _lead_in(self, places: list[tuple[Block, _Place]], i: int) -> str:
        """The last sentence of the paragraph before a list, when it ends with a colon."""
        block = places[i][0]
        if block.kind != "bullet_list" or i == 0:
            return ""
        prev = places[i - 1][0]
        if prev.kind not in ("paragraph", "case_study") or not prev.span.quote.rstrip().endswith(":"):
            return ""
        return re.split(r"(?<=[.!?])\s+", prev.span.quote.strip())[-1]

    def _unit(
        self,
        unit: Span,
        block: Block,
        nxt: Block | None,
        place: _Place,
        lead_in: str,
        claims: list[tuple[GradeClaim, _Place]],
        before: str = "",
    ) -> None:
        text = unit.quote
        force = self.own_force
        # A list after "we recommend that the force:" holds the recommendation's actions, already read.
        if lead_in and recommendation_cue(lead_in) and not _LEAD_IN_RECOMMENDATIONS_RE.search(lead_in):
            return
        if lead_in and _LEAD_IN_RECOMMENDATIONS_RE.search(lead_in) and not recommendation_cue(lead_in):
            who = addressees_of(text, force) or addressees_of(lead_in, force)
            self._add(
                "recommendation",
                unit,
                unit,
                place,
                "lead-in:recommendations",
                timescale=timescale_of(text) or timescale_of(lead_in),
                addressees=who,
            )
            return
        if lead_in and re.search(r"\bcauses? (?:of|for) concern\b", lead_in, re.I):
            self._add("cause_of_concern", unit, unit, place, "lead-in:causes-of-concern")
            return
        cue = recommendation_cue(text)
        if cue:
            span = unit
            actions: tuple[Action, ...] = ()
            if (
                text.rstrip().endswith(":")
                and nxt is not None
                and nxt.kind == "bullet_list"
                and unit.end >= block.span.end
            ):
                span = _span(self.text, unit.start, nxt.span.end)
                actions = tuple(Action(span=item) for item in nxt.items)
            who = addressees_of(text, force)
            recap = self._recap(unit)
            if cue == "recommendation:recap-recommended":
                recap = recap or next(iter(_YEAR_RE.findall(text)), None) or "earlier"
            self._add(
                "recommendation",
                span,
                unit,
                place,
                cue,
                recap_of=recap,
                timescale=timescale_of(text) or _heading_timescale(place),
                addressees=who,
                addressee=who[0] if who else None,
                actions=actions,
            )
            return
        cause = cause_cue(text)
        if cause and not counts_causes_only(text):
            # "In our 2022 inspection, we identified a cause of concern ...": the earlier inspection's cause, retold.
            self._add("cause_of_concern", unit, unit, place, cause, recap_of=self._recap(unit))
            return
        counts = sentence_tally(text, before)
        if counts is not None:
            self._add_tally(unit, place, counts)
            return
        # A grade an earlier inspection gave ("In 2017 we assessed ...") is a recap, not this publication's grade.
        found = [c for c in grade_claims(unit) if c.recap_of is None]
        if found:
            claims.extend((c, place) for c in found)
            self.claim(unit)

    def _recap(self, unit: Span) -> str | None:
        """The earlier inspection a sentence retells, if it retells one (the recap reader's rules)."""
        return sentence_recap(unit.quote, self.text[max(0, unit.start - 600) : unit.start]) or recap_year(unit.quote)

    def _add(self, kind: StatementKind, span: Span, heading: Span, place: _Place, cue: str, **fields: object) -> None:
        self.statements.append(self.statement(kind, span, heading, place, cue, **fields))
        self.claim(span)

    def _add_tally(self, unit: Span, place: _Place, counts: CaseAuditCounts) -> None:
        self.tallies.append(
            self.statement("case_audit_tally", unit, unit, place, "tally:counts-in-sentence", tally=counts)
        )
        self.claim(unit)

    def _grade_lines(self, block: Block, heading: Span | None) -> list[GradeClaim]:
        """A line that is only a grade ("Good") under the heading it grades, or a label and its grade."""
        if block.kind == "table":
            return self._grade_rows(block)
        if block.kind not in ("paragraph", "grade_line") or self.is_claimed(block.span):
            return []
        out = []
        pos = block.span.start
        under = pillar_of(heading.quote) or " ".join(heading.quote.split()).rstrip("?") if heading else None
        for line in block.span.quote.split("\n"):
            start = pos + len(line) - len(line.lstrip())
            pos += len(line) + 1
            span = _span(self.text, start, start + len(line.strip()))
            if self.is_claimed(span):
                continue
            grade = grade_of(line.strip())
            labelled = LABELLED_GRADE_RE.match(line.strip()) if grade is None else None
            if grade is not None and under is not None:
                out.append(GradeClaim(span, grade, under, "grade:line-under-heading"))
            elif labelled is not None:
                label = " ".join(labelled.group("area").split())
                area = under if label.lower() in GENERIC_LABELS else pillar_of(label) or label
                if area is None:
                    continue
                out.append(GradeClaim(span, grade_word(labelled.group("g")), area, "grade:labelled-line"))
            else:
                continue
            self.claim(span)
        return out

    def _grade_rows(self, block: Block) -> list[GradeClaim]:
        """A two-column table of areas and their grades (not a judgments table, whose columns are grades)."""
        if not block.cells or sum(grade_of(c.quote) is not None for c in block.cells[0]) >= 3:
            return []
        out = []
        for row in block.cells:
            filled = [c for c in row if c.quote.strip()]
            if len(filled) < 2 or grade_of(filled[0].quote) is not None:
                continue
            grade = grade_of(filled[-1].quote)
            if grade is None or self.is_claimed(filled[-1]):
                continue
            area = " ".join(filled[0].quote.split())
            out.append(GradeClaim(filled[-1], grade, pillar_of(area) or area, "grade:table-row"))
            self.claim(filled[-1])
        return out

    # --- grades: merge the places one grade is stated ------------------------------------------------------
    def _grades(self, claims: list[tuple[GradeClaim, _Place]]) -> None:
        layout = [s for s in self.statements if s.kind == "graded_judgment"]
        merged: list[tuple[GradeClaim, _Place, list[Span]]] = []
        counts: dict[int, tuple[Span, _Place, list[tuple[str, int]], str | None]] = {}
        for claim, place in sorted(claims, key=lambda cp: cp[0].span.start):
            if claim.area is None:
                _, _, tally, _ = counts.setdefault(claim.span.start, (claim.span, place, [], claim.recap_of))
                if claim.count is not None:
                    tally.append((claim.grade, claim.count))
                continue
            if any(
                s.grade == claim.grade
                and (same_area(s.area or "", claim.area) or any(_overlap(e, claim.span) for e in s.grade_evidence))
                for s in layout
            ):
                continue
            target = next(
                (
                    m
                    for m in merged
                    if m[0].grade == claim.grade
                    and m[0].recap_of == claim.recap_of
                    and same_area(m[0].area or "", claim.area)
                ),
                None,
            )
            if target is not None:
                if claim.span not in target[2]:
                    target[2].append(claim.span)
                continue
            merged.append((claim, place, [claim.span]))
        for claim, place, evidence in merged:
            scale = grade_scale(self.doc, claim.grade, claim.recap_of)
            self.statements.append(
                self.statement(
                    "graded_judgment",
                    claim.span,
                    claim.span,
                    place,
                    claim.cue,
                    area=overall_area(claim.area, scale),
                    grade=claim.grade,
                    grade_evidence=tuple(evidence),
                    recap_of=claim.recap_of,
                    grade_scale=scale,
                )
            )
        for span, place, tally, recap in counts.values():
            if not tally:
                continue
            scales = {grade_scale(self.doc, g, recap) for g, _ in tally}
            scale = "peel-five-tier" if "peel-five-tier" in scales else next(iter(scales))
            self.statements.append(
                self.statement(
                    "graded_judgment",
                    span,
                    span,
                    place,
                    "grade:count",
                    grade_counts=tuple(tally),
                    grade_evidence=(span,),
                    recap_of=recap,
                    grade_scale=scale,
                )
            )


def _force_in_title(structured: StructuredDocument) -> str | None:
    """The force a report's title names ("Midshire - National child protection inspection" names none).

    "The force" in a recommendation means the report's own force; when the
    metadata does not know it, the title's force name is the report's own.
    """
    root = structured.sections[0]
    title = root.heading.quote if root.heading is not None else structured.document.metadata.title
    m = FORCE_NAME_RE.search(title or "")
    return (m.group(1).strip() + " " + m.group(2)).strip() if m else None


_YEAR_RE = re.compile(r"\b(?:19[89]\d|20[0-4]\d)\b")


def _heading_timescale(place: _Place) -> str | None:
    """A timescale given as the heading over recommendations ("Within three months", "Immediately")."""
    title = place.section.title.strip().rstrip(":")
    found = timescale_of(title)
    return found if found is not None and len(found) >= len(title) - 2 else None


_OVERALL_RE = re.compile(r"^(?:overall(?: judgment| grade| judgement)?|graded judgment)$", re.I)


def overall_area(area: str | None, scale: str | None) -> str | None:
    """A crime data integrity report's "Overall judgment" grades the force's crime recording as a whole."""
    if area is not None and scale == "crime-data-integrity" and _OVERALL_RE.match(area.strip()):
        return "Crime data integrity (overall)"
    return area


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _mark_overall(tallies: list[Statement]) -> list[Statement]:
    """In each audit's run of list tallies, the first is the overall when it is at least as large as each area.

    Each audit (``kg.extract.audit.audit_key``) is judged alone: a report
    holding several case file analyses has an overall tally in each.
    """
    runs: dict[str, list[Statement]] = {}
    for t in tallies:
        if t.tally is not None and not t.tally.overall:
            runs.setdefault(audit_key(t), []).append(t)
    for listed in runs.values():
        tallies = _mark_overall_of(tallies, listed)
    return tallies


def _mark_overall_of(tallies: list[Statement], listed: list[Statement]) -> list[Statement]:
    """``tallies`` with the first of ``listed`` (one audit's list tallies) marked overall when it is."""
    if len(listed) < 3:
        return tallies
    first, rest = listed[0], listed[1:]
    assert first.tally is not None

    def at_least(attr: str) -> bool:
        value = getattr(first.tally, attr)
        return value is not None and all((getattr(t.tally, attr) or 0) <= value for t in rest)

    if not all(at_least(a) for a in ("good", "requires_improvement", "inadequate")):
        return tallies
    overall = replace(first, area=None, tally=replace(first.tally, overall=True))
    # An area's figures carry no "cases examined" total: that number belongs to the overall tally.
    return [
        overall
        if t is first
        else t
        if t.tally is None or t.tally.overall
        else replace(t, tally=replace(t.tally, total=None))
        for t in tallies
    ]


def formal_statements(structured: StructuredDocument) -> FormalStatements:
    """Grades, causes of concern, recommendations and case-audit tallies of one document."""
    return _Reader(structured).read()
