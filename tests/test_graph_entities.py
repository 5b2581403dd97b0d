"""Entities and themes in the built graph, checked the way a user would ask."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kg.cli.main import cli
from kg.query.sparql import run, run_named
from kg.store.generations import open_dataset


def test_graph_every_statement_has_a_theme_with_a_reason(built_store):
    rows = list(
        run(
            open_dataset(built_store),
            """
        PREFIX hmi: <https://w3id.org/hmi-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?s WHERE {
          ?s a ?c . ?c rdfs:subClassOf hmi:Statement .
          FILTER NOT EXISTS { ?s hmi:themeAssignment ?a . ?a hmi:assignedTheme ?t ; hmi:reason ?r }
        }""",
        )
    )
    assert rows == []


def test_graph_missing_children_recommendation_has_missing_theme(built_store):
    rows = list(
        run(
            open_dataset(built_store),
            """
        PREFIX hmi: <https://w3id.org/hmi-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?text WHERE {
          ?s a hmi:Recommendation ; rdfs:label ?text ;
             hmi:theme <https://w3id.org/hmi-kg/vocab/theme/missing-children> }""",
        )
    )
    assert len(rows) == 1 and "go missing" in str(rows[0][0])  # type: ignore[index]


def test_graph_findings_that_mention_sleuth_are_the_missing_children_findings(built_store):
    rows = list(run_named(open_dataset(built_store), "mentions", {"entity": "Sleuth", "kind": "Finding"}))
    assert rows
    # Sentences elsewhere (the case-file analysis) are statements too since the prose reader; the
    # missing-children findings of section 6 must be among them.
    assert "6. Assessment and help" in {str(r.sectionTitle) for r in rows}  # type: ignore[union-attr]
    assert any("go missing" in str(r.text) for r in rows)  # type: ignore[union-attr]


def test_graph_aliases_find_the_same_entity(built_store):
    ds = open_dataset(built_store)
    by_acronym = {str(r.statement) for r in run_named(ds, "mentions", {"entity": "MASH"})}  # type: ignore[union-attr]
    by_name = {str(r.statement) for r in run_named(ds, "mentions", {"entity": "multi-agency safeguarding hub"})}  # type: ignore[union-attr]
    assert by_acronym and by_acronym == by_name


def test_graph_legislation_cited_down_to_the_section(built_store, gold):
    rows = list(run_named(open_dataset(built_store), "legislation", {}))
    cited = {(str(r.actName), str(r.sectionName) if r.sectionName else None): int(r.citations) for r in rows}  # type: ignore[union-attr]
    want = gold["durham-ncpi-2019-report"]["entity_mentions"]
    assert cited[("Children Act 1989", None)] == want["LEGISLATION"]["Children Act 1989"]
    assert (
        cited[("Children Act 1989", "Children Act 1989 section 47")]
        == want["LEGISLATION_SECTIONS"]["Children Act 1989 s.47"]
    )
    assert (
        cited[("Children Act 1989", "Children Act 1989 section 46")]
        == want["LEGISLATION_SECTIONS"]["Children Act 1989 s.46"]
    )
    sections = [r for r in rows if r.section is not None]  # type: ignore[union-attr]
    assert all("/section/" in str(r.legislationGovUk) for r in sections)  # type: ignore[union-attr]


def test_graph_units_in_areas_for_improvement(built_store):
    rows = list(run_named(open_dataset(built_store), "entities", {"type": "UNIT", "kind": "AreaForImprovement"}))
    names = {str(r.name) for r in rows}  # type: ignore[union-attr]
    # In a force's publication a unit is that force's own unit, named after its type and force.
    assert "multi-agency safeguarding hub (Durham Constabulary)" in names
    assert "multi-agency risk assessment conference (Durham Constabulary)" in names


def test_graph_candidates_listed_for_review(built_store):
    result = CliRunner().invoke(cli, ["entities", "--store", str(built_store), "--candidates", "--format", "json"])
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.output)["results"]["bindings"]
    names = {b["name"]["value"] for b in bindings}
    assert "Operation Crystal" in names
    # Each comes with a sentence of the reports that names it, so a reviewer sees it in use.
    (crystal,) = [b for b in bindings if b["name"]["value"] == "Operation Crystal"]
    assert "Crystal" in crystal["example"]["value"]
