"""Statements read from every publication format, scored against the gold in tests/data/formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.evaluate.statements import KINDS, GoldError, evaluate, find_document, gold_files, load_gold, norm, score
from kg.extract import extract_statements
from kg.extract.prose import is_prose
from kg.ingest import read_document
from kg.records import Statement
from kg.structure.sections import structure

FORMATS = Path(__file__).resolve().parent / "data" / "formats"
#: The statement fixtures (``g-`` files hold the grade and recommendation fixtures).
STATEMENT_GOLD = [p for p in gold_files([FORMATS]) if not p.name.startswith("g-")]


def statements_of(name: str) -> tuple[Statement, ...]:
    return extract_statements(structure(read_document(FORMATS / name))).statements


def test_formats_every_format_has_a_fixture_and_gold():
    assert len(STATEMENT_GOLD) >= 10
    for path in STATEMENT_GOLD:
        gold = load_gold(path)
        assert find_document(gold, None).is_file()


@pytest.mark.parametrize("kind", [k for k in KINDS if k in ("finding", "area_for_improvement", "good_practice")])
def test_formats_precision_and_recall_per_kind(kind):
    result = evaluate(STATEMENT_GOLD)
    tally = result.kinds[kind]
    assert tally.stated > 0
    assert tally.recall is not None and tally.recall >= 0.8, (tally, result.misses)
    assert tally.precision is not None and tally.precision >= 0.9, (tally, result.false)


def test_formats_polarity_and_recaps():
    result = evaluate(STATEMENT_GOLD)
    assert result.polarity.stated >= 30
    assert result.polarity.right / result.polarity.stated >= 0.9
    assert result.recap.stated >= 4
    assert result.recap.right == result.recap.stated, result.misses


def test_formats_a_page_that_states_nothing_yields_nothing():
    found = [s for s in statements_of("landing-page.txt") if s.kind in KINDS]
    assert found == []


def test_formats_others_words_and_notes_are_not_statements():
    quotes = " ".join(s.span.quote for s in statements_of("press-release-pleased.txt"))
    assert "We welcome the report" not in quotes  # the chief constable's words
    assert "HMIC is inspecting" not in quotes  # notes to editors
    assert "We will continue to monitor" not in quotes


def test_formats_recap_is_marked_with_the_earlier_year():
    recaps = {norm(s.heading.quote)[:30]: s.recap_of for s in statements_of("ncpi-post-inspection-review.txt")}
    assert recaps[norm("The force has a strong commitment")[:30]] == "2018"
    assert recaps[norm("We found that the force has made good progress.")[:30]] is None


def test_formats_html_with_flat_headings_states_what_the_text_states():
    def key(statements: tuple[Statement, ...]) -> list[tuple[str, str | None, str | None, str]]:
        return [(s.kind, s.polarity, s.recap_of, norm(s.heading.quote)) for s in statements if is_prose(s)]

    text = key(statements_of("ncpi-post-inspection-review.txt"))
    html = key(statements_of("ncpi-post-inspection-review-html.html"))
    assert text and html == text


def test_formats_every_statement_quotes_its_source_and_names_its_cue():
    for path in STATEMENT_GOLD:
        document = read_document(find_document(load_gold(path), None))
        for st in extract_statements(structure(document)).statements:
            assert document.text[st.span.start : st.span.end] == st.span.quote
            assert st.cue, st


def test_formats_cut_off_tail_is_incomplete_or_absent(tmp_path):
    whole = (FORMATS / "peel-2016-pillar.txt").read_text(encoding="utf-8")
    cut = whole[: whole.index("realistic and well") + len("realistic and we")]
    page = tmp_path / "cut.txt"
    page.write_text(cut, encoding="utf-8")
    statements = extract_statements(structure(read_document(page))).statements
    tail = [s for s in statements if s.span.end >= len(cut.rstrip())]
    assert tail and all(s.incomplete for s in tail)
    assert all(not s.incomplete for s in statements if s not in tail)


def test_formats_score_counts_a_recap_read_as_new_as_wrong():
    gold = load_gold(FORMATS / "ncpi-post-inspection-review.json")
    statements = statements_of("ncpi-post-inspection-review.txt")
    from dataclasses import replace

    as_new = tuple(replace(s, recap_of=None) for s in statements)
    assert score(gold, statements).kinds["finding"].right == 6
    assert score(gold, as_new).kinds["finding"].right == 4


def test_formats_cli_evaluate_prints_the_table():
    from kg.cli.main import cli

    result = CliRunner().invoke(cli, ["evaluate", str(FORMATS / "peel-2016-pillar.json")])
    assert result.exit_code == 0, result.output
    assert "finding" in result.output and "precision" in result.output


def test_formats_cli_evaluate_bad_gold_exits_2(tmp_path):
    from kg.cli.main import cli

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(bad)])
    assert result.exit_code == 2
    assert "bad.json" in result.output
    missing = tmp_path / "missing.json"
    missing.write_text('{"document": "nowhere.txt", "statements": []}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(missing)])
    assert result.exit_code == 2 and "nowhere.txt" in result.output
    with pytest.raises(GoldError):
        load_gold(bad)
