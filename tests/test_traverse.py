"""The networkx projection and walks over it, on the hand-built sample and the shipped corpus."""

from __future__ import annotations

import warnings
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset

from kg.errors import NodeNotFound, QueryError
from kg.namespaces import HMID
from kg.query.traverse import DOMAIN_PREDICATES, co_mention_graph, curie, expand, neighbours, shortest_path, to_networkx
from kg.store.generations import open_dataset

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(__file__).resolve().parent / "data" / "api" / "links-sample.trig"
R1 = f"{HMID}publication/t-2019/recommendation/r1"
F1 = f"{HMID}publication/t-2020/finding/f1"
A1 = f"{HMID}publication/t-2023/area-for-improvement/a1"
LONELY = f"{HMID}publication/t-2023/finding/lonely"
FORCE = "https://w3id.org/hmi-kg/vocab/force/testshire"


@pytest.fixture(scope="module")
def sample() -> nx.MultiDiGraph:
    ds = Dataset(default_union=True)
    with warnings.catch_warnings():  # rdflib 7.6's TriG parser uses its own deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        ds.parse(SAMPLE, format="trig")
    ds.graph(HMID["graph/ontology"]).parse(ROOT / "ontology" / "kg.ttl", format="turtle")
    return to_networkx(ds)


def test_traverse_projection_nodes_and_attributes(sample: nx.MultiDiGraph):
    assert sample.nodes[R1]["kind"] == "Recommendation"
    assert sample.nodes[R1]["label"] == "Improve missing-child records"
    assert sample.nodes[R1]["doc_id"] == "t-2019"
    assert (sample.nodes[R1]["start"], sample.nodes[R1]["end"], sample.nodes[R1]["order"]) == (100, 130, 100)
    assert sample.nodes[R1]["quote"] == "Improve missing-child records."
    assert sample.nodes[FORCE] == {"kind": "PoliceForce", "label": "Testshire Police", "doc_id": None}
    assert sample.nodes[f"{HMID}publication/t-2020"]["issued"] == "2020-06"
    # Spans, selectors and link nodes are not projected; literals are never nodes.
    assert not any("/source" in n or "/link/" in n for n in sample)
    assert all(n.startswith("https://") for n in sample)


def test_traverse_projection_edges_are_domain_predicates(sample: nx.MultiDiGraph):
    keys = {k for _, _, k in sample.edges(keys=True)}
    assert keys <= set(DOMAIN_PREDICATES)
    assert {"hmi:followedUpBy", "hmi:restates", "prov:wasDerivedFrom", "hmi:aboutForce"} <= keys
    for _, _, k, data in sample.edges(keys=True, data=True):
        assert data["predicate"] == expand(k)


def test_traverse_projection_is_deterministic(built_store: Path):
    ds = open_dataset(built_store)
    a, b = to_networkx(ds), to_networkx(ds)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_traverse_projection_matches_sparql_edge_count(built_store: Path):
    ds = open_dataset(built_store)
    g = to_networkx(ds)
    expected = 0
    for name in DOMAIN_PREDICATES:
        inner = f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{expand(name)}> ?o FILTER(isIRI(?o)) }}"
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ {inner} }}"
        expected += int(next(iter(ds.query(q)))[0])  # type: ignore[index]
    assert g.number_of_edges() == expected


def test_traverse_neighbours_order_and_depth(sample: nx.MultiDiGraph):
    near = neighbours(sample, F1)
    assert [n.distance for n in near] == [1] * len(near)
    assert {n.iri for n in near} == {R1, A1, f"{HMID}publication/t-2020", FORCE}
    assert [n.iri for n in near] == sorted(n.iri for n in near)
    assert LONELY in {n.iri for n in neighbours(sample, F1, depth=2)}  # through the force
    with pytest.raises(ValueError):
        neighbours(sample, F1, depth=0)


def test_traverse_missing_node_raises_node_not_found(sample: nx.MultiDiGraph):
    with pytest.raises(NodeNotFound, match="no-such"):
        neighbours(sample, "https://example.org/no-such")
    with pytest.raises(KeyError):  # NodeNotFound is a KeyError too
        shortest_path(sample, R1, "https://example.org/no-such")


def test_traverse_shortest_path_follows_edges_both_ways(sample: nx.MultiDiGraph):
    path = shortest_path(sample, R1, A1)
    assert path is not None and len(path) == 3  # via the force or via the follow-up: both are two edges
    assert (path[0].iri, path[-1].iri) == (R1, A1)
    trails = sample.edge_subgraph([(u, v, k) for u, v, k in sample.edges(keys=True) if k == "hmi:followedUpBy"])
    path = shortest_path(trails, R1, A1)  # type: ignore[arg-type]
    assert path is not None and [s.iri for s in path] == [R1, F1, A1]
    assert [s.predicate for s in path] == [None, "hmi:followedUpBy", "hmi:followedUpBy"]
    back = shortest_path(trails, A1, R1)  # type: ignore[arg-type]
    assert back is not None and [s.forward for s in back] == [True, False, False]
    h = sample.copy()
    h.add_node("https://example.org/island", kind="Resource", label="island", doc_id=None)
    assert shortest_path(h, R1, "https://example.org/island") is None


def test_traverse_co_mention_graph(built_store: Path):
    g = to_networkx(open_dataset(built_store))
    h = co_mention_graph(g, entity_kinds={"InformationSystem", "UnitType"})
    sleuth = "https://w3id.org/hmi-kg/vocab/system/sleuth"
    # Three heading findings and the case audit's list item that names Sleuth.
    assert h.nodes[sleuth]["statements"] == 4 and h.nodes[sleuth]["kind"] == "InformationSystem"
    assert all(d["kind"] in {"InformationSystem", "UnitType"} for _, d in h.nodes(data=True))
    assert all(d["weight"] >= 1 for _, _, d in h.edges(data=True))
    only_afi = co_mention_graph(g, statement_kinds={"AreaForImprovement"})
    assert sleuth not in only_afi  # Sleuth is named in findings only


def test_traverse_curie_and_expand():
    assert curie(expand("hmi:followedUpBy")) == "hmi:followedUpBy"
    assert expand("https://example.org/p") == "https://example.org/p"
    for bad in ["no-colon", "} ; DROP ALL", "hmi:a b", "<x>"]:
        with pytest.raises(QueryError):
            expand(bad)
