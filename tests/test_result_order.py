"""Named questions sorted in Python: the same order the store's ORDER BY gives."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, URIRef, Variable
from rdflib.query import Result

from kg.query import _masked, list_named, load_named, prepare, run, run_named
from kg.result_order import sort_result, split_final_order
from kg.store import open_dataset

PARAMS = {"force": "Durham", "entity": "Sleuth", "statementText": "Sleuth", "kind": "Finding", "type": "SYSTEM"}


def _split(sparql: str) -> list[tuple[str, bool]]:
    return split_final_order(sparql, _masked(sparql))[1]


def test_only_a_final_order_by_over_projected_variables_is_taken_from_the_store():
    assert _split("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY ?a DESC(?b)") == [("a", False), ("b", True)]
    query = "SELECT ?a WHERE { ?a ?p ?b }\nORDER BY ASC(?a)\n"
    text, keys = split_final_order(query, query)
    assert keys == [("a", False)] and "ORDER" not in text
    assert _split("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?b") == []  # ?b is not projected
    assert _split("SELECT * WHERE { ?a ?p ?b } ORDER BY ?a") == []
    assert _split("SELECT ?a WHERE { ?a ?p ?b } ORDER BY STR(?a)") == []  # an expression
    assert _split("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 5") == []  # the engine must sort before the limit
    assert _split("SELECT ?a (COUNT(?b) AS ?n) WHERE { ?a ?p ?b } GROUP BY ?a ORDER BY ?n") == []
    assert _split("SELECT ?a (STR(?b) AS ?s) WHERE { ?a ?p ?b } ORDER BY ?s ?a") == [("s", False), ("a", False)]
    assert _split('SELECT ?a WHERE { ?a ?p "} ORDER BY ?a" }') == []  # inside a string


def test_rows_sort_as_sparql_orders_terms():
    a, n = Variable("a"), Variable("n")
    result = Result("SELECT")
    result.vars = [a, n]
    result.bindings = [
        {a: Literal("b"), n: Literal(10)},
        {a: Literal("b"), n: Literal(9)},
        {n: Literal(1)},  # ?a unbound: first
        {a: URIRef("https://example.org/x"), n: Literal(Decimal("2.5"))},  # IRIs before literals
        {a: Literal("a"), n: Literal(3)},
    ]
    rows = list(sort_result(result, [("a", False), ("n", True)]))
    assert [(r.get(a), int(r[n].toPython())) for r in rows] == [
        (None, 1),
        (URIRef("https://example.org/x"), 2),
        (Literal("a"), 3),
        (Literal("b"), 10),  # numbers by value, not as text ("9" > "10")
        (Literal("b"), 9),
    ]


@pytest.mark.parametrize("name", [q.name for q in list_named()])
def test_named_questions_come_in_the_order_the_store_would_give(built_store, name):
    ds = open_dataset(built_store)
    query = load_named(name)
    params = {p: PARAMS[p] for p in query.params if p in PARAMS}
    text = prepare(ds, query.text, params)
    _, keys = split_final_order(text, _masked(text))
    by_engine = list(run(ds, text))
    by_python = list(run_named(ds, name, params))
    assert sorted(map(tuple, by_python), key=repr) == sorted(map(tuple, by_engine), key=repr)  # type: ignore[arg-type]

    def sort_keys(rows: list) -> list:  # type: ignore[type-arg]
        return [tuple(r[k] for k, _ in keys) for r in rows]

    # Rows tied on every key may come in either order; the keys themselves may not.
    assert sort_keys(by_python) == sort_keys(by_engine)
