"""Extraction measured against the hand-checked gold answers in tests/data/gold."""

from __future__ import annotations

import re

import pytest

from kg.extract.prose import is_prose
from kg.records import Extraction, Statement


def norm(text: str) -> str:
    """Gold matching rule: whitespace and quote characters normalised."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def of_kind(ex: Extraction, kind: str, part: str | None = None) -> list[Statement]:
    """Statements the layout's detectors read (headings, summary lists, tallies, grades), not prose sentences.

    The shipped gold lists what the two layouts state under their headings; the
    sentences of summaries and lead-ins are read by the prose reader and checked
    against tests/data/formats instead.
    """
    return [s for s in ex.statements if s.kind == kind and (part is None or s.part == part) and not is_prose(s)]


def test_gold_recommendations_timescale_section_actions(extractions, gold):
    ex = extractions["durham-ncpi-2019-report.txt"]
    recs = of_kind(ex, "recommendation")
    expected = gold["durham-ncpi-2019-report"]["recommendations"]
    assert len(recs) == len(expected) == 7
    for want, got in zip(expected, recs, strict=True):
        assert norm(got.heading.quote).startswith(norm(want["starts_with"]))
        assert got.section == want["section"]
        assert got.timescale == want["timescale"]
        assert sum(1 for a in got.actions if not a.guidance) == want["actions"]
        assert got.addressee == "Durham Constabulary"


def test_gold_recommendation_keeps_trailing_guidance(extractions):
    ex = extractions["durham-ncpi-2019-report.txt"]
    rec = next(r for r in of_kind(ex, "recommendation") if r.section == "8. Decision making")
    guidance = [a for a in rec.actions if a.guidance]
    assert len(guidance) == 2
    assert "Guidance to staff should include" in rec.span.quote


def test_gold_child_protection_section_findings(extractions, gold):
    ex = extractions["durham-ncpi-2019-report.txt"]
    got = [(s.section, norm(s.heading.quote)) for s in of_kind(ex, "finding")]
    want = [(f["section"], norm(f["heading"])) for f in gold["durham-ncpi-2019-report"]["section_findings"]]
    assert got == want


@pytest.mark.parametrize(
    ("gold_key", "kind", "part"),
    [
        ("areas_for_improvement", "area_for_improvement", "Areas for improvement"),
        ("innovative_practice", "innovative_practice", "Innovative practice"),
        ("main_findings", "finding", "Main findings"),
    ],
)
def test_gold_peel_statements_in_their_graded_area(extractions, gold, gold_key, kind, part):
    ex = extractions["durham-peel-2023-report.txt"]
    got = [(s.section, norm(s.heading.quote)) for s in of_kind(ex, kind, part)]
    want = [(f["area"], norm(f["heading"])) for f in gold["durham-peel-2023-report"][gold_key]]
    assert got == want


def test_gold_peel_has_no_other_areas_for_improvement(extractions, gold):
    ex = extractions["durham-peel-2023-report.txt"]
    assert len(of_kind(ex, "area_for_improvement")) == len(gold["durham-peel-2023-report"]["areas_for_improvement"])
    assert len(of_kind(ex, "innovative_practice")) == len(gold["durham-peel-2023-report"]["innovative_practice"])


def test_gold_peel_victim_service_findings_kept_apart(extractions, gold):
    ex = extractions["durham-peel-2023-report.txt"]
    got = [norm(s.heading.quote) for s in of_kind(ex, "finding") if s.part is None]
    assert got == [norm(f["heading"]) for f in gold["durham-peel-2023-report"]["victim_service_findings"]]


def test_gold_grades(extractions, gold):
    ex = extractions["durham-peel-2023-report.txt"]
    got = {norm(s.area or ""): s.grade for s in of_kind(ex, "graded_judgment")}
    want = {norm(g["area"]): g["grade"] for g in gold["durham-peel-2023-report"]["graded_judgments"]}
    assert got == want


def test_gold_grade_disagreements_are_reported_not_hidden(extractions):
    ex = extractions["durham-peel-2023-report.txt"]
    flagged = [s for s in of_kind(ex, "graded_judgment") if s.grade_disagreement]
    assert flagged, "the judgments table and the sections disagree for some areas"
    assert all(d.kind == "grade" for d in ex.discrepancies)
    for s in flagged:
        assert len(s.grade_evidence) >= 2


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower())) - {"of", "the", "a", "under", "in", "and", "by", "to", "cases"}


def test_gold_case_audit_figures(extractions, gold):
    ex = extractions["durham-ncpi-2019-report.txt"]
    audit = gold["durham-ncpi-2019-report"]["case_audit"]
    tallies = [s for s in ex.statements if s.kind == "case_audit_tally"]
    overall = [t.tally for t in tallies if t.tally and t.tally.overall]
    assert overall
    for t in overall:
        assert (t.good, t.requires_improvement, t.inadequate, t.total) == (
            audit["overall"]["good"],
            audit["overall"]["requires improvement"],
            audit["overall"]["inadequate"],
            audit["overall"]["total"],
        )
    by_area = [t for t in tallies if t.tally and not t.tally.overall]
    assert len(by_area) == len(audit["by_area"])
    for want in audit["by_area"]:
        best = max(by_area, key=lambda t: len(_words(t.area or "") & _words(want["area"])))
        assert best.tally is not None
        assert (best.tally.good, best.tally.requires_improvement, best.tally.inadequate) == (
            want["good"],
            want["requires improvement"],
            want["inadequate"],
        ), want["area"]


def test_gold_case_audit_disagreement_flagged(extractions):
    ex = extractions["durham-ncpi-2019-report.txt"]
    sums = [d for d in ex.discrepancies if d.kind == "case_audit_sum"]
    assert sums
    assert all("21" in d.message and "20" in d.message for d in sums)


def test_gold_summary_lists(extractions):
    ex = extractions["durham-ncpi-2019-report.txt"]
    summary = [s for s in ex.statements if s.section == "Summary" and not is_prose(s)]
    assert [s.kind for s in summary if s.kind != "case_audit_tally"] == ["area_for_improvement"] * 5 + [
        "good_practice"
    ] * 4


def test_gold_prose_never_restates_a_layout_statement(extractions):
    """A sentence inside a heading statement, a recommendation or a summary list is not read again."""
    for ex in extractions.values():
        layout = [s for s in ex.statements if not is_prose(s)]
        for st in ex.statements:
            if is_prose(st):
                assert not any(o.span.start < st.span.end and st.span.start < o.span.end for o in layout), st.span.quote


def test_gold_every_statement_names_its_cue(extractions):
    for ex in extractions.values():
        assert all(s.cue for s in ex.statements)
        assert any(is_prose(s) for s in ex.statements)
