"""Word search: the index a build writes beside the graph, kept in step with it, and its fallback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.pipeline import build
from kg.cli.main import cli
from kg.errors import QueryError
from kg.query.search import search, statements_with_words
from kg.store.generations import FAULT_ENV, current_generation, open_dataset
from kg.store.search_index import INDEX_FILE, SearchIndex, fts_query

ROOT = Path(__file__).resolve().parent.parent

#: Words whose hits the index and a plain scan of the quotes must agree on.
QUERIES = ("missing", "Sleuth", "missing children", '"go missing"', "safeguard*", "registered sex offenders", "Erase")


def _statement_count(store: Path) -> int:
    ds = open_dataset(store)
    rows = ds.query(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s <https://w3id.org/hmi-kg/ontology#source> ?src ;"
        " <http://www.w3.org/ns/prov#wasDerivedFrom> ?p }"
    )
    return int(next(iter(rows))[0])  # type: ignore[index]


def test_search_finds_the_statements_a_plain_scan_finds(built_store: Path) -> None:
    dataset = open_dataset(built_store)
    for words in QUERIES:
        indexed = search(dataset, words, limit=10_000)
        scanned = search(dataset, words, limit=10_000, use_index=False)
        assert indexed.total == len(indexed.hits)
        assert {h.statement for h in indexed.hits} == {h.statement for h in scanned.hits}, words
        assert indexed.total > 0, words


def test_search_ranks_pages_and_filters(built_store: Path) -> None:
    dataset = open_dataset(built_store)
    everything = search(dataset, "missing", limit=10_000)
    first, second = search(dataset, "missing", limit=5), search(dataset, "missing", limit=5, offset=5)
    assert first.total == everything.total > 10
    assert [h.statement for h in first.hits + second.hits] == [h.statement for h in everything.hits[:10]]
    # Best first: the scores only grow worse down the list.
    assert [h.score for h in everything.hits] == sorted(h.score for h in everything.hits)
    durham = search(dataset, "missing", force="Durham", kind="Recommendation", limit=100)
    assert durham.total >= 1
    assert all(h.kind == "Recommendation" and h.force.endswith("/durham") for h in durham.hits)
    assert search(dataset, "missing", force="Northumbria", kind="Recommendation").total == 0
    judged = search(dataset, "missing", status="still-area-for-improvement", limit=100)
    assert judged.total >= 1 and all("still-area-for-improvement" in h.statuses for h in judged.hits)


def test_matched_words_are_marked(built_store: Path) -> None:
    page = search(open_dataset(built_store), '"go missing"', limit=3)
    from kg.store.search_index import highlight

    assert page.hits and all("[go missing]" in highlight(h.snippet, "[", "]").replace("] [", " ") for h in page.hits)


def test_entity_names_find_statements_naming_them_by_another_name(built_store: Path) -> None:
    """ "MASH" in a quote is found by the hub's full name, through the entity column."""
    dataset = open_dataset(built_store)
    by_acronym = {h.statement for h in search(dataset, "MASH", limit=1000).hits}
    by_name = {h.statement for h in search(dataset, '"multi-agency safeguarding hub"', limit=1000).hits}
    assert by_acronym and by_acronym <= by_name


@pytest.mark.parametrize("words", ["NEAR(a b)", "kind:Finding", '"unbalanced', "a OR b", "x AND NOT y", "a(b", "col:*"])
def test_query_syntax_is_read_as_words(built_store: Path, words: str) -> None:
    page = search(open_dataset(built_store), words)
    assert page.total >= 0
    assert "NEAR" not in fts_query("NEAR(a b)").replace('"NEAR"', "")


def test_nothing_to_search_for_is_a_clear_error(built_store: Path) -> None:
    with pytest.raises(QueryError, match="nothing to search for"):
        search(open_dataset(built_store), " ** ")


def test_an_update_changes_only_its_documents_rows_and_stays_in_step(tmp_path: Path, rules_extractor) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    store = tmp_path / "store"
    build(corpus, store, extractor=rules_extractor)
    dataset = open_dataset(store)
    assert search(dataset, "zanzibarish").total == 0
    release = corpus / "northumbria-ncpi-2019-review-press-release.txt"
    text = release.read_text(encoding="utf-8")
    bullet = "  • a new initiative to share information with schools"
    assert bullet in text
    edited = text.replace(bullet, "  • a zanzibarish new initiative to share information with schools", 1)
    release.write_text(edited, "utf-8")
    report = build(corpus, store, extractor=rules_extractor)
    assert report.reused  # an update, not a full build
    dataset = open_dataset(store)
    hits = search(dataset, "zanzibarish").hits
    assert [h.publication.rsplit("/", 1)[-1] for h in hits] == ["northumbria-ncpi-2019-review-press-release"]
    generation = current_generation(store)
    assert generation is not None
    with SearchIndex(generation / INDEX_FILE) as index:
        assert index.count() == index.ranked_count() == _statement_count(store)
    release.unlink()
    build(corpus, store, extractor=rules_extractor)
    assert search(open_dataset(store), "zanzibarish").total == 0
    generation = current_generation(store)
    assert generation is not None
    with SearchIndex(generation / INDEX_FILE) as index:
        assert index.count() == index.ranked_count() == _statement_count(store)


def test_a_killed_build_leaves_graph_and_index_in_step(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    store = tmp_path / "store"
    cmd = [sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store), "--model", "none", "-q"]
    subprocess.run(cmd, check=True, capture_output=True)
    before = current_generation(store)
    (corpus / "extra.txt").write_text("Inspectors were pleased to find:\n\n  • a quokkaesque approach.\n", "utf-8")
    env = {**__import__("os").environ, FAULT_ENV: "before-switch"}
    killed = subprocess.run(cmd, env=env, capture_output=True)
    assert killed.returncode != 0
    assert current_generation(store) == before
    assert search(open_dataset(store), "quokkaesque").total == 0
    assert before is not None
    with SearchIndex(before / INDEX_FILE) as index:
        assert index.count() == index.ranked_count() == _statement_count(store)


def test_an_index_without_its_ranking_half_still_finds_the_same_statements(built_store: Path, tmp_path: Path) -> None:
    """An index written before the Tantivy half existed ranks with SQLite's BM25: same statements, same totals."""
    generation = current_generation(built_store)
    assert generation is not None
    with SearchIndex(generation / INDEX_FILE) as ranked:
        folder = ranked.ranking_folder()
        assert folder is not None and folder.is_dir()
        older = tmp_path / INDEX_FILE
        shutil.copyfile(generation / INDEX_FILE, older)  # the copy's Tantivy folder is not beside it
        with SearchIndex(older) as unranked:
            assert unranked.ranked_count() is None
            for words in QUERIES:
                for filters in ({}, {"force": "Durham"}, {"kind": "AreaForImprovement"}):
                    a = ranked.search(words, limit=10_000, **filters)
                    b = unranked.search(words, limit=10_000, **filters)
                    assert a.total == b.total == len(a.hits), (words, filters)
                    assert {h.statement for h in a.hits} == {h.statement for h in b.hits}, (words, filters)


def test_statements_with_words_is_none_without_an_index() -> None:
    assert statements_with_words(open_dataset("memory"), "missing") is None


def test_kg_search_command(built_store: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["search", "missing", "--store", str(built_store), "--limit", "2", "--format", "json"])
    assert out.exit_code == 0, out.output
    body = json.loads(out.output)
    assert body["total"] > 2 and len(body["hits"]) == 2
    assert all("missing" in h["marked"].lower() for h in body["hits"])
    text = runner.invoke(cli, ["search", "missing", "--store", str(built_store), "--limit", "2"])
    assert text.exit_code == 0 and "More: --offset 2" in text.output
    bad = runner.invoke(cli, ["search", "--store", str(built_store), "!!"])
    assert bad.exit_code == 2 and "nothing to search for" in bad.output


def test_a_one_word_text_parameter_is_looked_up_in_the_index(built_store: Path) -> None:
    """ "Sleuth" is words to find, not a node's IRI: the index answers it and the scan never runs."""
    from kg.query.search import phrase_lookup
    from kg.query.sparql import is_node_value, load_named, prepare_window

    assert not is_node_value("Sleuth")
    assert is_node_value(" https://w3id.org/hmi-kg/id/publication/x/finding/1 ")
    dataset = open_dataset(built_store)
    words = phrase_lookup(dataset)
    assert words is not None
    asked: list[tuple[str, str]] = []

    def by_index(text: str, column: str) -> list[str]:
        asked.append((text, column))
        return words(text, column)

    def no_scan(query: str) -> list[str]:
        raise AssertionError(f"the quote scan ran: {query[:80]}")

    text = prepare_window(no_scan, load_named("source").text, {"statementText": "Sleuth"}, words=by_index).text
    assert asked == [("Sleuth", "quote")]
    found = words("Sleuth", "quote")
    assert found and all(f"<{iri}>" in text for iri in found)


def test_an_update_over_an_index_of_another_version_writes_the_index_whole(tmp_path: Path, rules_extractor) -> None:  # type: ignore[no-untyped-def]
    """A store whose index an older version wrote gets a whole new index at its next update, not a failed build."""
    import sqlite3

    from kg.store.search_index import SCHEMA_VERSION

    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    store = tmp_path / "store"
    build(corpus, store, extractor=rules_extractor)
    old = current_generation(store)
    assert old is not None
    with sqlite3.connect(old / INDEX_FILE) as db:  # as an earlier version would have left it
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
        db.execute("DELETE FROM statement WHERE kind = 'Finding'")
    with pytest.raises(QueryError, match="another version"):
        SearchIndex(old / INDEX_FILE)
    (corpus / "extra.txt").write_text("Inspectors were pleased to find:\n\n  • a quokkaesque approach.\n", "utf-8")
    report = build(corpus, store, extractor=rules_extractor)
    assert report.reused  # an update, not a full build
    new = current_generation(store)
    assert new is not None and new != old
    with SearchIndex(new / INDEX_FILE) as index:  # opens: the schema is this version's
        assert index.count() == index.ranked_count() == _statement_count(store)
        assert index.connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == str(
            SCHEMA_VERSION
        )
    assert search(open_dataset(store), "quokkaesque").total == 1
