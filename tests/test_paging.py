"""Answers a page at a time: pages join up to the whole answer, and the total is the whole answer's size."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import KnowledgeGraph
from kg.cli.main import cli
from kg.errors import QueryError
from kg.query.paging import counting, run_named_page, windowed
from kg.query.sparql import list_named, rows_as_text, run_named
from kg.store.generations import open_dataset

#: A parameter value for each named question that needs one, chosen to give several rows.
PARAMS: dict[str, dict[str, str]] = {
    "source": {"statementText": "missing"},
    "trail": {"statementText": "missing"},
    "mentions": {"entity": "Sleuth"},
}


@pytest.mark.parametrize("name", [q.name for q in list_named()])
def test_pages_of_every_named_question_join_up_to_its_whole_answer(built_store: Path, name: str) -> None:
    dataset = open_dataset(built_store)
    params = PARAMS.get(name, {})
    whole = rows_as_text(run_named(dataset, name, params))
    size = 3
    rows: list[dict[str, str]] = []
    offset = 0
    while True:
        page = run_named_page(dataset, name, params, limit=size, offset=offset)
        assert page.total == len(whole), name
        rows += rows_as_text(page.result)
        offset += size
        if not page.more:
            break
    assert rows == whole


def test_the_first_page_holds_one_hundred_rows_by_default(built_store: Path) -> None:
    page = run_named_page(open_dataset(built_store), "entities", {})
    assert page.limit == 100 and page.rows == min(100, page.total)


def test_counting_drops_only_the_outer_order() -> None:
    text = (
        "PREFIX a: <http://a/>\nSELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x LIMIT 3 } }\nORDER BY ?x\n"
    )
    counted = counting(text)
    assert counted.startswith("PREFIX a: <http://a/>\nSELECT (COUNT(*) AS ?total) WHERE {")
    assert "ORDER BY ?x LIMIT 3" in counted and not counted.rstrip().rstrip("}").rstrip().endswith("ORDER BY ?x")
    with pytest.raises(QueryError, match="already limits"):
        windowed("SELECT ?x WHERE { ?x ?p ?o } LIMIT 5", limit=3, offset=0)
    with pytest.raises(QueryError, match="negative"):
        windowed("SELECT ?x WHERE { ?x ?p ?o }", limit=-1, offset=0)


def test_api_lists_are_pages_with_totals(built_store: Path) -> None:
    graph = KnowledgeGraph.open(built_store)
    everything = graph.statements()
    assert everything.total == len(everything) > 20
    page = graph.statements(limit=10, offset=5)
    assert list(page) == everything[5:15] and page.total == everything.total and page.more
    assert graph.mentions(limit=0).total == len(graph.mentions())
    found = graph.search("missing", limit=2)
    assert found.total > 2 and len(found.hits) == 2


def test_kg_query_name_prints_a_page_and_says_how_many_rows_there_are(built_store: Path) -> None:
    runner = CliRunner()
    args = ["query", "--store", str(built_store), "--name", "entities", "--format", "csv"]
    whole = runner.invoke(cli, [*args, "--all"])
    assert whole.exit_code == 0
    total = len(whole.stdout.splitlines()) - 1
    paged = runner.invoke(cli, [*args, "--limit", "4", "--offset", "2"])
    assert paged.exit_code == 0
    assert paged.stdout.splitlines()[1:] == whole.stdout.splitlines()[3:7]
    assert f"rows 3-6 of {total}; --offset 6 for more" in paged.stderr


def test_a_question_with_one_row_per_found_statement_binds_only_its_page(built_store: Path) -> None:
    """``source`` is cut in its lookup: the page's query names only the page's statements, the total all found."""
    from kg.query.sparql import load_named, prepare_page

    dataset = open_dataset(built_store)
    question = load_named("source")
    assert question.rows_per == "quotedIri"
    whole = prepare_page(dataset, question.text, {"statementText": "missing"}, rows_per=question.rows_per)
    page = prepare_page(
        dataset, question.text, {"statementText": "missing"}, rows_per=question.rows_per, limit=2, offset=1
    )
    assert whole.found is not None and whole.found > 3
    assert page.found == whole.found
    ranks = re.findall(r"\(<[^>]+> (\d+)\)", page.text)
    assert ranks == ["1", "2"]
    result = run_named_page(dataset, "source", {"statementText": "missing"}, limit=2, offset=1)
    assert result.total == whole.found and result.rows == 2


#: Keyed questions with each filter their key queries know (kg/store/page_keys.py).
KEYED_CASES = [
    ("mentions", {"entity": "MASH"}),
    ("mentions", {"entity": "Sleuth", "kind": "Finding"}),
    ("by-force", {"entity": "MASH"}),
    ("by-force", {"entity": "children's social care", "critical": "yes"}),
    ("by-force", {"entity": "children's social care", "kind": "Finding"}),
    ("statements", {}),
    ("statements", {"kind": "AreaForImprovement"}),
    ("statements", {"force": "Durham", "section": "INVEST"}),
    ("statements", {"kind": "nothing of the sort"}),
    ("trail", {"statementText": "missing"}),
    ("trail", {"statementText": "children"}),
    ("recurring", {}),
    ("recurring", {"force": "Durham"}),
]


@pytest.mark.parametrize(("name", "params"), KEYED_CASES)
def test_keyed_questions_cut_their_pages_in_the_index_and_agree_with_the_whole_answer(
    built_store: Path, name: str, params: dict[str, str]
) -> None:
    """The index lists a page's row keys; the pages join up to the answer the store gives run whole."""
    from kg.query.sparql import load_named, prepare_page

    dataset = open_dataset(built_store)
    question = load_named(name)
    assert question.keys is not None
    # Run whole, the question never uses the index's keys: this is the store's own answer.
    whole = rows_as_text(run_named(dataset, name, params))
    prepared = prepare_page(dataset, question.text, params, keys=question.keys, limit=4, offset=1)
    assert prepared.found == len(whole), (name, params)
    ranks = re.findall(r"(?:>|UNDEF) (\d+)\)", keyed_block(prepared.text))
    assert ranks == [str(n) for n in range(1, 1 + min(4, max(len(whole) - 1, 0)))]
    rows: list[dict[str, str]] = []
    offset = 0
    while True:
        page = run_named_page(dataset, name, params, limit=4, offset=offset)
        assert page.total == len(whole)
        rows += rows_as_text(page.result)
        offset += 4
        if not page.more:
            break
    assert rows == whole


def test_an_index_update_replaces_the_page_keys_of_a_document(tmp_path: Path) -> None:
    """A document built again leaves no mention, force or publication-force key of its old statements."""
    from kg.store.page_keys import KeyFilters, page_keys
    from kg.store.search_index import SearchIndex, SearchRow

    def row(statement: str, graph: str, entity: str) -> SearchRow:
        return SearchRow(
            statement=statement, graph=graph, publication=f"{graph}/pub", kind="Finding", force="f", programme="",
            year="2020", label="words", quote="words", entities="", title=f"Report {graph}", position=1,
            section="Investigation", mentions=(entity,), forces=("http://f/loamshire",),
            publication_forces=(("http://f/loamshire", "Loamshire Police"),),
        )  # fmt: skip

    with SearchIndex(tmp_path / "search.sqlite", writable=True) as index:
        index.replace_graphs(
            (), [row("http://s/1", "http://g/a", "http://e/mash"), row("http://s/2", "http://g/b", "http://e/mash")]
        )
        index.replace_graphs(["http://g/a"], [row("http://s/3", "http://g/a", "http://e/cid")])
        db = index.connection
        mash = page_keys(db, "mentions", KeyFilters(entities=("http://e/mash",)), limit=10)
        assert mash.keys == [("http://s/2", "http://e/mash")] and mash.total == 1
        forces = page_keys(db, "statements-by-force", KeyFilters(entities=("http://e/mash", "http://e/cid")), limit=9)
        assert [k[0] for k in forces.keys] == ["http://s/3", "http://s/2"]  # Report http://g/a before .../b
        for table in ("mention", "statement_force", "publication_force"):
            assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 2, table


def keyed_block(text: str) -> str:
    """The first ``VALUES`` block that binds ranks (sub-queries that use the key variable repeat it)."""
    found = re.search(r"VALUES \([^)]*\?lookupRank\) \{[^}]*\}", text)
    return found.group(0) if found else ""
