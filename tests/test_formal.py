"""Formal judgments read from every format: grades and their scales, grade counts, causes of concern,
recommendations with timescale and addressees, case-audit tallies.

The documents are the ``g-*`` fixtures of tests/data/formats (written for the suite, a fictional
force); each has a gold file in the development-set format beside it.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from kg.extract.audit import sentence_tally
from kg.extract.formal import same_area
from kg.extract.grade_sentences import grade_claims, pillar_of
from kg.extract.recommendations import addressees_of, cause_cue, counts_causes_only, recommendation_cue
from kg.extract.statements import extract_statements
from kg.ingest.corpus import read_document
from kg.records import Extraction, Span, Statement
from kg.structure.sections import structure

FORMATS = Path(__file__).resolve().parent / "data" / "formats"
FIXTURES = sorted(FORMATS.glob("g-*.txt"))


@pytest.fixture(scope="module")
def formal() -> dict[str, Extraction]:
    return {p.stem: extract_statements(structure(read_document(p))) for p in FIXTURES}


def _kind(ex: Extraction, kind: str) -> list[Statement]:
    return [s for s in ex.statements if s.kind == kind]


def _grades(ex: Extraction) -> dict[str, tuple[str | None, str | None]]:
    return {s.area: (s.grade, s.grade_scale) for s in _kind(ex, "graded_judgment") if s.area}


def _span(text: str) -> Span:
    return Span(start=0, end=len(text), quote=text)


# --- grades, one test per era ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (  # 2014 summary lines: three effectiveness grades in one clause list, then efficiency
            "g-peel-2014-assessment",
            {
                "cutting crime and stopping reoffending": ("Good", "peel-four-tier"),
                "investigating offences": ("Requires improvement", "peel-four-tier"),
                "dealing with anti-social behaviour": ("Outstanding", "peel-four-tier"),
                "Efficiency": ("Good", "peel-four-tier"),
            },
        ),
        (  # 2021/22 judgments table, five tiers
            "g-peel-2021-22-report",
            {
                "Preventing crime": ("Good", "peel-five-tier"),
                "Investigating crime": ("Adequate", "peel-five-tier"),
                "Responding to the public": ("Requires improvement", "peel-five-tier"),
                "Protecting vulnerable people": ("Inadequate", "peel-five-tier"),
            },
        ),
    ],
)
def test_formal_grade_per_area_on_the_scale_of_its_era(formal, fixture, expected):
    assert _grades(formal[fixture]) == expected


def test_formal_peel_2016_pillar_stated_three_times_is_one_grade_with_all_its_evidence(formal):
    ex = formal["g-peel-2016-pillar"]
    grades = _grades(ex)
    assert grades["Efficiency"] == ("Requires improvement", "peel-four-tier")
    assert grades["Legitimacy"] == ("Good", "peel-four-tier")
    assert grades["use of resources to manage demand"] == ("Requires improvement", "peel-four-tier")
    assert "Effectiveness" not in grades  # "not yet graded"
    efficiency = next(s for s in _kind(ex, "graded_judgment") if s.area == "Efficiency")
    quotes = [e.quote for e in efficiency.grade_evidence]
    assert len(quotes) == 3 and "Requires improvement" in quotes


def test_formal_peel_2018_19_pillar_page_grade_line_and_no_finding_read_as_a_grade(formal):
    ex = formal["g-peel-2018-19-pillar"]
    assert _grades(ex) == {"Effectiveness": ("Good", "peel-four-tier")}
    # A grade retold from an earlier year is left to the recap reader, not made this page's grade.
    assert not any("2017" in s.heading.quote for s in _kind(ex, "graded_judgment"))


def test_formal_cdi_overall_judgment_and_core_questions_on_the_cdi_scale(formal):
    grades = _grades(formal["g-cdi-2017-report"])
    assert grades["Crime data integrity (overall)"] == ("Inadequate", "crime-data-integrity")
    assert grades["How effective is the force at recording reported crime"] == ("Inadequate", "crime-data-integrity")
    assert sorted(g for g, _ in grades.values()) == ["Good", "Inadequate", "Inadequate", "Requires improvement"]


def test_formal_press_release_names_one_grade_and_counts_the_rest_without_inventing_areas(formal):
    ex = formal["g-peel-press-release"]
    judgments = _kind(ex, "graded_judgment")
    named = [s for s in judgments if s.area]
    assert [(s.area, s.grade) for s in named] == [("responding to the public", "Inadequate")]
    counts = [s for s in judgments if s.grade_counts]
    assert len(counts) == 1 and counts[0].area is None and counts[0].grade is None
    assert counts[0].grade_counts == (("Good", 4), ("Adequate", 3), ("Requires improvement", 2), ("Inadequate", 1))


@pytest.mark.parametrize(
    "sentence",
    [
        "Outstanding \u2013 The force has substantially exceeded the characteristics of good performance",
        "She added that 11 out of 12 areas were graded as \u2018good\u2019 or \u2018outstanding\u2019.",
        "The extent to which the force is effective at keeping people safe and reducing crime is not yet graded.",
        "Our inspection assessed how good the force is in ten areas of policing.",
        "The force provides a good service to children and young people.",
        "The constabulary is good at using technology to improve its capability.",
    ],
)
def test_formal_sentences_that_state_no_grade(sentence):
    assert grade_claims(_span(sentence)) == []


def test_formal_grade_phrasings_of_every_era():
    def read(text: str) -> list[tuple[str | None, str, int | None]]:
        return [(c.area, c.grade, c.count) for c in grade_claims(_span(text))]

    assert read("The extent to which the force operates efficiently and sustainably is outstanding.") == [
        ("Efficiency", "Outstanding", None)
    ]
    assert read("Wessex Police requires improvement in the way it protects vulnerable people.") == [
        ("protects vulnerable people", "Requires improvement", None)
    ]
    assert read("Overall, the force remains outstanding in its effectiveness at reducing crime.") == [
        ("Effectiveness", "Outstanding", None)
    ]
    assert read("The force was awarded no requires improvement or inadequate grades.") == [
        (None, "Requires improvement", 0),
        (None, "Inadequate", 0),
    ]
    assert read("We have graded the force as inadequate in each of the three pillars.") == [(None, "Inadequate", 3)]


def test_formal_pillar_names_only_for_a_whole_pillar():
    assert pillar_of("efficient at keeping people safe and reducing crime") == "Efficiency"
    assert pillar_of("treats the public and its workforce legitimately") == "Legitimacy"
    assert pillar_of("effective at investigating crime") is None
    assert not same_area("Effectiveness", "Efficiency")


# --- causes of concern and recommendations -----------------------------------------------------------------


def test_formal_causes_of_concern_stated_in_sentences_and_under_their_heading(formal):
    ncpi = _kind(formal["g-ncpi-report"], "cause_of_concern")
    assert [s.heading.quote.split()[:3] for s in ncpi] == [
        ["We", "have", "identified"],
        ["The", "force's", "management"],
    ]
    assert not any(s.heading.quote.startswith("I have identified two") for s in formal["g-ncpi-report"].statements)
    peel = _kind(formal["g-peel-2021-22-report"], "cause_of_concern")
    assert len(peel) == 1 and peel[0].cue == "heading:cause-of-concern"
    assert counts_causes_only("I have identified two causes of concern.")
    assert cause_cue("We more clearly link our judgments to causes of concern and areas for improvement.") is None


def test_formal_recommendations_with_timescale_addressee_and_actions(formal):
    recs = _kind(formal["g-ncpi-report"], "recommendation")
    # "The force" is the report's own force when the metadata knows it (the title here names none); else as written.
    own = formal["g-ncpi-report"].structured.document.metadata.force or "the force"
    assert [(r.timescale, r.addressees, len(r.actions)) for r in recs] == [
        ("within three months", ("Midshire Police",), 2),
        ("immediately", ("Midshire Police",), 0),
        ("by 31 december 2021", (own,), 0),
    ]
    cdi = _kind(formal["g-cdi-2017-report"], "recommendation")
    assert cdi[0].heading.quote.startswith("To address this cause of concern")
    assert (cdi[0].timescale, len(cdi[0].actions)) == ("within three months", 2)
    # "the constabulary" is the report's own force, named in its title.
    assert cdi[1].addressees == ("Midshire Constabulary",)


def test_formal_recommendations_to_all_forces_and_national_bodies(formal):
    recs = _kind(formal["g-thematic-recommendations"], "recommendation")
    assert [(r.addressees, r.timescale) for r in recs] == [
        (("all forces",), "by 31 march 2023"),
        (("chief constables", "police and crime commissioners"), "within six months"),
        (("The College of Policing",), "by september 2023"),
    ]
    assert recommendation_cue("Recommendations are not orders; it is for chief constables to decide.") is None


def test_formal_addressees_the_force_is_the_reports_own_force():
    assert addressees_of("To address this cause of concern, the force should immediately act.", "Wessex Police") == (
        "Wessex Police",
    )
    assert addressees_of("Within three months, Devon and Cornwall Police and the College of Policing should", None) == (
        "Devon and Cornwall Police",
        "the College of Policing",
    )


# --- case-audit tallies ------------------------------------------------------------------------------------


def test_formal_case_audit_tallies_in_a_list_item_and_in_a_sentence(formal):
    tallies = _kind(formal["g-ncpi-pir-tally"], "case_audit_tally")
    assert len(tallies) == 2
    for t in tallies:
        assert t.tally is not None
        assert (t.tally.good, t.tally.requires_improvement, t.tally.inadequate, t.tally.total) == (9, 10, 6, 25)
    assert tallies[0].heading.quote.startswith("audited 25 child protection cases")
    report = _kind(formal["g-ncpi-report"], "case_audit_tally")
    assert report[0].tally is not None and report[0].tally.total == 40


def test_formal_tally_phrasings():
    t = sentence_tally(
        "We reviewed 60 case files: 25 were assessed as good, 20 as requiring improvement and 15 as inadequate."
    )
    assert t is not None and (t.good, t.requires_improvement, t.inadequate, t.total) == (25, 20, 15, 60)
    assert sentence_tally("The force was good in 4 areas and inadequate in 1 area.") is None
    # The number of cases stated in the sentence before: "We examined 40 cases. Of these, ..."
    t = sentence_tally(
        "Of these, 12 were good, 18 required improvement and 10 were inadequate.", "We examined 40 cases."
    )
    assert t is not None and (t.good, t.requires_improvement, t.inadequate, t.total) == (12, 18, 10, 40)
    assert sentence_tally("Of these, 12 were good and 18 were inadequate.", "The force has four teams.") is None


# --- every statement: honest offsets and a cue; the gold files ---------------------------------------------


def test_formal_every_statement_quotes_its_source_and_names_its_cue(formal):
    for ex in formal.values():
        text = ex.structured.document.text
        for s in ex.statements:
            assert text[s.span.start : s.span.end] == s.span.quote
            assert text[s.heading.start : s.heading.end] == s.heading.quote
            for e in s.grade_evidence:
                assert text[e.start : e.end] == e.quote
            if s.kind in ("graded_judgment", "recommendation", "cause_of_concern", "case_audit_tally"):
                assert s.cue, s


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_formal_fixture_gold_found_in_full(formal, path):
    """Every grade, grade count, cause, recommendation and tally the gold file states, and nothing more."""
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    ex = formal[path.stem]
    found = [(s.grade, s.area) for s in _kind(ex, "graded_judgment") if s.area]
    assert len(found) == len(gold["grades"])
    for want in gold["grades"]:
        assert any(g == want["grade"] and same_area(a or "", want["area"]) for g, a in found), want
    counts = [c for s in _kind(ex, "graded_judgment") for c in s.grade_counts]
    assert sorted(counts) == sorted((c["grade"], c["count"]) for c in gold["grade_counts"])
    for kind in ("recommendation", "cause_of_concern", "case_audit_tally"):
        want_texts = [_norm(s["text"]) for s in gold["statements"] if s["kind"] == kind]
        got = [_norm(s.heading.quote) for s in _kind(ex, kind)]
        assert len(got) == len(want_texts), (kind, got)
        for w in want_texts:
            assert any(g.startswith(w) for g in got), (kind, w)


# --- the graph and the named questions ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def formats_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.build.extractor import make_extractor
    from kg.build.pipeline import build

    corpus = tmp_path_factory.mktemp("formats")
    for p in FIXTURES:
        shutil.copy(p, corpus / p.name)
    store = tmp_path_factory.mktemp("formats-store")
    report = build(corpus, store, extractor=make_extractor(model=None))
    assert report.validation.conforms
    return store


def test_formal_grades_question_shows_scale_and_counts(formats_store):
    from kg.query.sparql import run_named
    from kg.store.generations import open_dataset

    rows = list(run_named(open_dataset(formats_store), "grades", {}))
    by_area = {str(r.area): (str(r.grade), str(r.scale)) for r in rows if r.area is not None}  # type: ignore[union-attr]
    assert by_area["Investigating crime"] == ("Adequate", "PEEL grades from 2021/22 (five tiers)")
    assert by_area["Efficiency"][1] == "PEEL grades 2014 to 2018/19 (four tiers)"
    counts = [str(r.counts) for r in rows if r.counts is not None]  # type: ignore[union-attr]
    assert len(counts) == 1
    assert set(counts[0].split(", ")) == {"Good: 4", "Adequate: 3", "Requires improvement: 2", "Inadequate: 1"}


def test_formal_recommendations_question_shows_addressees_and_timescales(formats_store):
    from kg.query.sparql import run_named
    from kg.store.generations import open_dataset

    rows = list(run_named(open_dataset(formats_store), "recommendations", {}))
    addressed = {str(r.addressees) for r in rows if r.addressees is not None}  # type: ignore[union-attr]
    assert "all forces" in addressed
    assert any(set(a.split(" | ")) == {"chief constables", "police and crime commissioners"} for a in addressed)
    assert "within six months" in {str(r.timescale) for r in rows}  # type: ignore[union-attr]
    assert all(re.search(r"\S", str(r.text)) for r in rows)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Cleveland Police has been rated inadequate in all three areas.", [(None, "Inadequate", 3)]),
        (
            "The force was graded as good for effectiveness, efficiency and legitimacy.",
            [("Effectiveness", "Good", None), ("Efficiency", "Good", None), ("Legitimacy", "Good", None)],
        ),
        (
            "Wessex Police's performance was graded 'outstanding' for preventing crime.",
            [("preventing crime", "Outstanding", None)],
        ),
        (
            "HMICFRS graded the force as \u2018inadequate\u2019 at responding to the public.",
            [("responding to the public", "Inadequate", None)],
        ),
        ("Wessex Police's crime recording is judged to be inadequate.", [("crime recording", "Inadequate", None)]),
    ],
)
def test_formal_press_and_report_grade_phrasings(sentence, expected):
    assert [(c.area, c.grade, c.count) for c in grade_claims(_span(sentence))] == expected


def test_formal_labelled_grade_lines_and_area_grade_tables(tmp_path):
    page = tmp_path / "labelled.txt"
    page.write_text(
        "Wessex Police \u2013 Crime data integrity inspection 2018\n\n"
        "Overall judgment: Requires improvement\n\n"
        "Area\tGrade\nRecording reported crime\tGood\nLeadership and culture\tInadequate\n",
        encoding="utf-8",
    )
    ex = extract_statements(structure(read_document(page)))
    assert _grades(ex) == {
        "Crime data integrity (overall)": ("Requires improvement", "crime-data-integrity"),
        "Recording reported crime": ("Good", "crime-data-integrity"),
        "Leadership and culture": ("Inadequate", "crime-data-integrity"),
    }


def test_formal_recounted_recommendations_and_timescales_given_as_headings(tmp_path):
    page = tmp_path / "review.txt"
    page.write_text(
        "Wessex \u2013 National child protection post-inspection review\n\n"
        "Introduction\n\n"
        "In 2018 we recommended that the force should review how it responds to children who go missing.\n\n"
        "Recommendations\n\n"
        "Within three months\n\n"
        "We recommend that the force:\n\n"
        "\u2022 trains its call handlers; and\n\u2022 audits its referrals.\n",
        encoding="utf-8",
    )
    recs = _kind(extract_statements(structure(read_document(page))), "recommendation")
    assert [(r.recap_of, r.timescale, len(r.actions)) for r in recs] == [
        ("2018", None, 0),
        (None, "within three months", 2),
    ]


def test_formal_a_cause_of_concern_retold_from_an_earlier_inspection_says_which(tmp_path):
    page = tmp_path / "reinspection.txt"
    page.write_text(
        "Wessex \u2013 National child protection re-inspection\n\nIntroduction\n\n"
        "In our 2022 inspection, we identified a cause of concern about how the force protects children.\n\n"
        "We have identified a cause of concern about how the force responds to missing children.\n",
        encoding="utf-8",
    )
    causes = _kind(extract_statements(structure(read_document(page))), "cause_of_concern")
    assert [c.recap_of for c in causes] == ["2022", None]
