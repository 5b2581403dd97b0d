"""Named questions and ad-hoc SPARQL against the built store."""

from __future__ import annotations

import json
import re

import pytest

from kg.errors import QueryError
from kg.query.sparql import bind_values, format_result, list_named, load_named, prepare, run, run_named, select_lines
from kg.store.generations import open_dataset


def test_query_at_least_six_named_questions_with_headers():
    queries = list_named()
    assert len(queries) >= 9
    assert all(q.summary for q in queries)


#: Questions about data the shipped corpus has none of; each is run on fixtures that have it.
ELSEWHERE = {"register-disagreements": "no register entry in the shipped corpus; see tests/test_trails.py"}


@pytest.mark.parametrize("name", [q.name for q in list_named() if q.name not in ELSEWHERE])
def test_query_every_named_question_runs(built_store, name):
    q = next(q for q in list_named() if q.name == name)
    examples = {"force": "Durham", "statementText": "missing", "entity": "Sleuth"}
    params = {p: examples[p] for p in q.params if p in examples}
    rows = list(run_named(open_dataset(built_store), name, params))
    assert rows, name


def test_query_recommendations_for_force(built_store):
    rows = list(run_named(open_dataset(built_store), "recommendations", {"force": "durham"}))
    assert len(rows) == 7
    assert {str(r.timescale) for r in rows} == {"immediately", "within three months"}  # type: ignore[union-attr]
    assert list(run_named(open_dataset(built_store), "recommendations", {"force": "Kent"})) == []


def test_query_grades_for_force(built_store):
    rows = {str(r.area): str(r.grade) for r in run_named(open_dataset(built_store), "grades", {"force": "Durham"})}  # type: ignore[union-attr]
    assert rows["Disrupting serious organised crime"] == "Outstanding"
    assert len(rows) == 10


def test_query_source_finds_quote_and_offsets(built_store):
    rows = list(run_named(open_dataset(built_store), "source", {"statementText": "Sleuth"}))
    assert rows
    for r in rows:
        assert "sleuth" in str(r.exact).lower()  # type: ignore[union-attr]
        assert int(r.end) - int(r.start) == len(str(r.exact))  # type: ignore[union-attr]


@pytest.mark.parametrize("hostile", ['"} ; DROP ALL', '\\" ) } UNION { ?s ?p ?o', "line\nbreak", "ünïcødé ’", "{{}}"])
def test_query_hostile_values_are_only_values(built_store, hostile):
    rows = list(run_named(open_dataset(built_store), "grades", {"force": hostile}))
    assert rows == []


def test_query_bind_values_rejects_bad_variable_names():
    with pytest.raises(QueryError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"a b": "x"})


def test_query_unknown_name_and_parameter_are_explained(built_store):
    with pytest.raises(QueryError, match="known:"):
        run_named(open_dataset(built_store), "nope", {})
    with pytest.raises(QueryError, match="takes"):
        run_named(open_dataset(built_store), "grades", {"colour": "x"})


def test_query_updates_are_refused(built_store):
    with pytest.raises(QueryError, match="update"):
        run(open_dataset(built_store), "DELETE WHERE { ?s ?p ?o }")


def test_query_formats(built_store):
    ds = open_dataset(built_store)
    res = run(ds, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/hmi-kg/ontology#Recommendation> }")
    data = json.loads(format_result(res, "json"))
    assert data["head"]["vars"] == ["n"]
    assert data["results"]["bindings"][0]["n"]["value"] == "7"
    res = run(ds, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/hmi-kg/ontology#Recommendation> }")
    assert format_result(res, "csv").splitlines() == ["n", "7"]
    ask = run(ds, "ASK { ?s a <https://w3id.org/hmi-kg/ontology#GradedJudgment> }")
    assert json.loads(format_result(ask, "json"))["boolean"] is True
    construct = run(ds, "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3")
    assert "@prefix" in format_result(construct, "table") or "<" in format_result(construct, "table")


def test_query_conditional_lines_are_kept_only_with_their_parameter():
    sparql = "SELECT * WHERE {\n  ?s ?p ?o .\n  ?s <urn:force> ?forceIri .  # if: force\n}\n"
    assert "urn:force" not in select_lines(sparql, set())
    assert "urn:force" in select_lines(sparql, {"force"})


def test_query_bind_values_reaches_sub_queries():
    text = bind_values('SELECT * WHERE { { SELECT ?s WHERE { ?s ?p "#x" } } }', {"v": "1"})
    assert text.count('VALUES (?v) { ("1") }') == 2


@pytest.mark.parametrize("name", ["statements", "areas-for-improvement", "grades", "open-matters", "recurring"])
def test_query_force_parameter_narrows_and_never_widens(built_store, name):
    ds = open_dataset(built_store)
    everything = {tuple(map(str, r)) for r in run_named(ds, name, {})}  # type: ignore[arg-type]
    durham = {tuple(map(str, r)) for r in run_named(ds, name, {"force": "durham constabulary"})}  # type: ignore[arg-type]
    assert durham and durham <= everything
    assert list(run_named(ds, name, {"force": "Kent"})) == []


def test_query_kind_and_entity_are_looked_up_by_name(built_store):
    ds = open_dataset(built_store)
    findings = list(run_named(ds, "statements", {"kind": "finding"}))
    assert findings and {str(r.kindName) for r in findings} == {"Finding"}  # type: ignore[union-attr]
    assert list(run_named(ds, "statements", {"kind": "NoSuchKind"})) == []
    by_alias = {str(r.statement) for r in run_named(ds, "mentions", {"entity": "sleuth"})}  # type: ignore[union-attr]
    assert by_alias
    assert list(run_named(ds, "mentions", {"entity": "Not An Entity"})) == []


def test_query_prepared_text_binds_lookups_as_iris_only(built_store):
    ds = open_dataset(built_store)
    one = prepare(ds, load_named("grades").text, {"force": "Durham"})
    assert "?judgment hmi:aboutForce <https://w3id.org/hmi-kg/vocab/force/durham> ." in one
    assert "?forceIri" not in one
    several = prepare(ds, load_named("grades").text, {"force": "police"})
    values = re.search(r"VALUES \?forceIri \{([^}]*)\}", several)
    assert values and len(re.findall(r"<https://w3id.org/hmi-kg/vocab/force/[a-z-]+>", values.group(1))) > 1


#: What the entities question answered before its counts were summed at build time: every mention counted.
_COUNTED_ENTITIES = """PREFIX hmi: <https://w3id.org/hmi-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label ?entity (COUNT(DISTINCT ?mention) AS ?mentions) (COUNT(DISTINCT ?statement) AS ?statements)
WHERE {
  ?mention a hmi:Mention ; hmi:refersTo ?entity ; hmi:entityLabel ?label .
  FILTER(!BOUND(?type) || UCASE(STR(?label)) = UCASE(STR(?type)))
  OPTIONAL { ?statement hmi:hasMention ?mention ; a ?class . ?class rdfs:subClassOf hmi:Statement . }
  FILTER(!BOUND(?kind) || (BOUND(?class) && LCASE(STRAFTER(STR(?class), "#")) = LCASE(STR(?kind))))
}
GROUP BY ?label ?entity
"""


def entity_counts_agree(ds, params: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
    """The entities question's summed counts equal a count of every mention; returns the rows compared."""

    def counts(rows) -> set[tuple[str, str, int, int]]:  # type: ignore[no-untyped-def]
        return {(str(r.label), str(r.entity), int(r.mentions), int(r.statements)) for r in rows}

    summed = counts(run_named(ds, "entities", params))
    assert summed == counts(run(ds, _COUNTED_ENTITIES, params))
    return len(summed)


@pytest.mark.parametrize(
    "params", [{}, {"type": "unit"}, {"kind": "finding"}, {"type": "SYSTEM", "kind": "AreaForImprovement"}]
)
def test_query_entities_counts_equal_a_count_of_every_mention(built_store, params):
    assert entity_counts_agree(open_dataset(built_store), params)


def test_query_statement_words_and_iri_find_the_same_statement(built_store):
    ds = open_dataset(built_store)
    by_words = list(run_named(ds, "source", {"statementText": "Sleuth"}))
    statement = str(by_words[0].statement)  # type: ignore[union-attr]
    by_iri = list(run_named(ds, "source", {"statementText": statement}))
    assert [str(r.statement) for r in by_iri] == [statement]  # type: ignore[union-attr]
    assert list(run_named(ds, "source", {"statementText": "no statement says this"})) == []
    trail_words = {tuple(map(str, r)) for r in run_named(ds, "trail", {"statementText": "missing"})}  # type: ignore[arg-type]
    assert trail_words
    assert all("missing" in (r[5] + r[9]).lower() for r in trail_words)  # earlierText / laterText


def test_query_open_matters_leave_out_what_later_evidence_says_is_progress(built_store):
    rows = list(run_named(open_dataset(built_store), "open-matters", {"force": "Durham"}))
    statuses = {str(r.status) for r in rows}  # type: ignore[union-attr]
    assert rows and "no later evidence" in statuses
    assert not statuses & {"progress reported", "sustained strength"}


@pytest.mark.parametrize("name", [q.name for q in list_named()])
def test_query_embedded_answers_equal_oxrdflibs(built_store, name):
    """The embedded store's own conversion (kg/store/answers.py) gives exactly the terms oxrdflib gives."""
    dataset = open_dataset(built_store)
    q = load_named(name)
    examples = {"force": "Durham", "statementText": "missing", "entity": "Sleuth"}
    text = prepare(dataset, q.text, {p: examples[p] for p in q.params if p in examples})
    ours, theirs = run(dataset, text), dataset.query(text)
    assert ours.vars == theirs.vars
    assert [tuple(r) for r in ours] == [tuple(r) for r in theirs]  # same rows, same order, None where unbound


def test_query_embedded_ask_construct_and_bound_prefixes(built_store):
    dataset = open_dataset(built_store)
    ask = "ASK { ?s a hmi:Recommendation }"  # hmi: is bound on the dataset, not declared here
    assert run(dataset, ask).askAnswer is True
    construct = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a hmi:Recommendation ; rdfs:label ?l }"
    ours, theirs = run(dataset, construct).graph, dataset.query(construct).graph
    assert ours is not None and theirs is not None and len(ours) == 7
    assert set(ours) == set(theirs)
