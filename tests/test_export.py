"""Exports re-import losslessly: RDF isomorphic per named graph, GraphML/GEXF with the same counts, CSV tables."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic
from rdflib.namespace import XSD

from kg.cli.main import cli
from kg.namespaces import HMID
from kg.query.traverse import to_networkx
from kg.render.export import TABLES, ExportError, export_graph, export_rdf, write_table
from kg.store.generations import open_dataset

NCPI = "durham-ncpi-2019-report"
PARSER = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}


def _fold(o):  # type: ignore[no-untyped-def]
    return Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o


@pytest.fixture(scope="module")
def source(built_store: Path) -> dict[str, Graph]:
    """The store's named graphs read with rdflib's own API (not the exporter's SPARQL), by graph IRI."""
    out: dict[str, Graph] = {}
    for s, p, o, g in open_dataset(built_store).quads((None, None, None, None)):
        name = str(g.identifier if isinstance(g, Graph) else g)
        out.setdefault(name, Graph()).add((s, p, _fold(o)))
    return out


def _parse(data: bytes, fmt: str) -> dict[str, Graph]:
    ds = Dataset()
    with warnings.catch_warnings():  # rdflib 7.6's quad parsers use its own deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        ds.parse(data=data, format=PARSER[fmt])
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def _assert_isomorphic(expected: Graph, got: Graph) -> None:
    if not isomorphic(expected, got):
        _, only_expected, only_got = graph_diff(expected, got)
        pytest.fail(f"only in the store: {sorted(only_expected)[:5]}\nonly in the export: {sorted(only_got)[:5]}")


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_export_quads_round_trip_every_named_graph(built_store: Path, source: dict[str, Graph], fmt: str):
    back = _parse(export_rdf(open_dataset(built_store), fmt), fmt)
    assert set(back) == set(source)
    for name, graph in source.items():
        _assert_isomorphic(graph, back[name])


def test_export_turtle_round_trip_is_the_union(built_store: Path, source: dict[str, Graph]):
    union = Graph()
    for graph in source.values():
        union += graph
    back = Graph().parse(data=export_rdf(open_dataset(built_store), "turtle"), format="turtle")
    _assert_isomorphic(union, back)


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_export_one_publication(built_store: Path, source: dict[str, Graph], fmt: str):
    data = export_rdf(open_dataset(built_store), fmt, publication=NCPI)
    name = str(HMID[f"graph/{NCPI}"])
    if fmt == "turtle":
        back = Graph().parse(data=data, format="turtle")
    else:
        graphs = _parse(data, fmt)
        assert list(graphs) == [name]
        back = graphs[name]
    _assert_isomorphic(source[name], back)


@pytest.mark.parametrize("bad", ["no-such-doc", '"} ; DROP ALL', "line\nbreak"])
def test_export_unknown_publication_is_an_error(built_store: Path, bad: str):
    with pytest.raises(ExportError, match="no publication"):
        export_rdf(open_dataset(built_store), "trig", publication=bad)


@pytest.fixture(scope="module")
def projection(built_store: Path) -> nx.MultiDiGraph:
    return to_networkx(open_dataset(built_store))


def test_export_graphml_opens_with_the_same_counts(projection: nx.MultiDiGraph):
    back = nx.read_graphml(io.BytesIO(export_graph(projection, "graphml")), force_multigraph=True)
    assert back.number_of_nodes() == projection.number_of_nodes()
    assert back.number_of_edges() == projection.number_of_edges()
    sleuth = "https://w3id.org/hmi-kg/vocab/system/sleuth"
    assert back.nodes[sleuth]["kind"] == "InformationSystem" and back.nodes[sleuth]["label"] == "Sleuth"
    assert sorted(k for _, _, k in back.edges(keys=True)) == sorted(k for _, _, k in projection.edges(keys=True))
    finding = next(n for n, d in projection.nodes(data=True) if d["kind"] == "Finding")
    assert back.nodes[finding]["start"] == projection.nodes[finding]["start"]  # ints stay ints


def test_export_gexf_opens_with_the_same_counts(projection: nx.MultiDiGraph):
    back = nx.read_gexf(io.BytesIO(export_graph(projection, "gexf")))
    assert back.number_of_nodes() == projection.number_of_nodes()
    assert back.number_of_edges() == projection.number_of_edges()
    assert {d["curie"] for _, _, d in back.edges(data=True)} == {k for _, _, k in projection.edges(keys=True)}


def test_export_csv_tables(built_store: Path):
    ds = open_dataset(built_store)
    tables = {t: list(csv.DictReader(io.StringIO(write_table(ds, t)))) for t in TABLES}
    statements = ds.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s <https://w3id.org/hmi-kg/ontology#cue> ?c }")
    assert len(tables["statements"]) == int(next(iter(statements))[0]) > 140  # type: ignore[index]
    sleuth = [r for r in tables["statements"] if "https://w3id.org/hmi-kg/vocab/system/sleuth" in r["mentions"].split()]
    # Three heading findings of section 6 and the case audit's list item naming Sleuth.
    assert sorted(r["section"] for r in sleuth) == ["4. Case file analysis"] + ["6. Assessment and help"] * 3
    assert next(r for r in tables["entities"] if r["label"] == "Sleuth")["mentions"] == "6"
    assert all(int(r["end"]) - int(r["start"]) == len(r["quote"]) for r in tables["mentions"])
    assert list(csv.reader(io.StringIO(write_table(ds, "links"))))[0][:3] == ["iri", "relation", "status"]


def test_export_cli(built_store: Path, tmp_path: Path):
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--store", str(built_store), "--format", "nquads", "--publication", NCPI])
    assert result.exit_code == 0, result.output
    assert f"<{HMID}graph/{NCPI}>" in result.output
    out = tmp_path / "tables"
    result = runner.invoke(cli, ["export", "--store", str(built_store), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    gexf = tmp_path / "g.gexf"
    result = runner.invoke(cli, ["export", "--store", str(built_store), "--format", "gexf", "-o", str(gexf)])
    assert result.exit_code == 0 and nx.read_gexf(gexf).number_of_nodes() > 100
    result = runner.invoke(cli, ["export", "--store", str(built_store), "--format", "gexf", "--publication", NCPI])
    assert result.exit_code == 2 and "RDF formats" in result.output
    result = runner.invoke(cli, ["export", "--store", str(built_store), "--format", "trig", "--publication", "nope"])
    assert result.exit_code == 2 and "no publication 'nope'" in result.output
    assert "Example" in runner.invoke(cli, ["export", "--help"]).output


def test_export_uri_terms_survive(built_store: Path):
    data = export_rdf(open_dataset(built_store), "nquads", publication=NCPI)
    assert b"_:" not in data  # no blank nodes anywhere
    assert URIRef(f"{HMID}publication/{NCPI}").n3().encode() in data
