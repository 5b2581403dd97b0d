"""The remote-store path against a real Oxigraph server started on 127.0.0.1 for these tests."""

from __future__ import annotations

import contextlib
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kg.cli.main import cli
from kg.errors import KGError, StoreError
from kg.namespaces import HMID
from kg.query.sparql import list_named, run, run_named
from kg.store.generations import open_dataset
from kg.store.remote import (
    Endpoint,
    local_oxigraph_server,
    named_graphs,
    open_remote,
    oxigraph_binary,
    publish_graphs,
    put_graph,
)
from kg.store.search_index import SearchIndex, remote_index_path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def oxigraph_server(data: Path) -> Iterator[str]:
    """An Oxigraph server on a free localhost port (kg.store.remote.local_oxigraph_server); skipped if absent."""
    if oxigraph_binary() is None:
        pytest.skip("the Oxigraph server binary is not installed (pip install -e '.[test]' provides it)")
    with local_oxigraph_server(data) as url:
        yield url


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the read-only tests of this module."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[str]:
    """An empty server of its own, for tests that write."""
    with oxigraph_server(tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def local_build(rules_extractor):  # type: ignore[no-untyped-def]
    from kg.build.pipeline import build_graphs

    return build_graphs(CORPUS, extractor=rules_extractor)


@pytest.fixture(scope="module")
def loaded(server, local_build) -> str:  # type: ignore[no-untyped-def]
    publish_graphs(server, local_build[0])
    return server


def _rows(result) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """Rows as sorted tuples of strings (typed and plain string literals compare equal)."""
    return sorted(tuple("" if v is None else str(v) for v in row) for row in result)


def _params(name: str) -> dict[str, str]:
    q = next(q for q in list_named() if q.name == name)
    values = {"force": "Durham", "statementText": "Sleuth", "entity": "Sleuth", "kind": "Finding"}
    return {p: values[p] for p in q.params if p in values}


def test_remote_endpoint_urls():
    root = Endpoint.from_url("http://127.0.0.1:7878/")
    assert (root.query, root.update, root.store) == (
        "http://127.0.0.1:7878/query",
        "http://127.0.0.1:7878/update",
        "http://127.0.0.1:7878/store",
    )
    sparql = Endpoint.from_url("https://example.org/ds/sparql")
    assert (sparql.query, sparql.update, sparql.store) == (
        "https://example.org/ds/sparql",
        "https://example.org/ds/update",
        "https://example.org/ds/store",
    )
    with pytest.raises(StoreError):
        Endpoint.from_url("file:///etc/passwd")


@pytest.mark.parametrize("name", [q.name for q in list_named()])
def test_remote_named_questions_match_the_embedded_store(loaded, built_store, name):
    embedded = _rows(run_named(open_dataset(built_store), name, _params(name)))
    remote = _rows(run_named(open_dataset(loaded), name, _params(name)))
    assert remote == embedded


def test_remote_ask_and_construct(loaded):
    ds = open_remote(loaded)
    assert run(ds, "ASK { ?s a <https://w3id.org/hmi-kg/ontology#Recommendation> }").askAnswer is True
    result = run(ds, "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 5")
    assert result.graph is not None and len(result.graph) == 5


@pytest.mark.parametrize("hostile", ['"} ; DROP ALL', '\\" ) } UNION { ?s ?p ?o', "line\nbreak", "ünïcødé ’"])
def test_remote_hostile_values_are_only_values(loaded, hostile):
    assert list(run_named(open_dataset(loaded), "grades", {"force": hostile})) == []
    assert run(open_dataset(loaded), "ASK { ?s ?p ?o }").askAnswer is True


def test_remote_put_replaces_a_graph_and_build_prunes_stale_ones(fresh_server):
    endpoint = Endpoint.from_url(fresh_server)
    iri = HMID["graph/test-doc"]
    other = URIRef("urn:example:not-ours")

    def graph(identifier: URIRef, n: int) -> Graph:
        g = Graph(identifier=identifier)
        for i in range(n):
            g.add((URIRef(f"urn:example:s{i}"), URIRef("urn:example:p"), Literal(i)))
        return g

    def count(identifier: URIRef) -> int:
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{identifier}> {{ ?s ?p ?o }} }}"
        return int(next(iter(run(open_remote(endpoint), q)))[0])  # type: ignore[index]

    put_graph(endpoint, graph(iri, 5))
    put_graph(endpoint, graph(iri, 5))
    assert count(iri) == 5
    put_graph(endpoint, graph(iri, 2))
    assert count(iri) == 2
    put_graph(endpoint, graph(other, 3))
    kept = HMID["graph/kept-doc"]
    publish_graphs(endpoint, [graph(kept, 1)])
    assert iri not in {URIRef(g) for g in named_graphs(endpoint)}
    assert count(kept) == 1 and count(iri) == 0
    assert count(other) == 3  # a graph this project did not make is never deleted


def test_remote_unreachable_server_is_a_store_error():
    ds = open_remote(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(KGError, match="cannot reach"):
        run(ds, "ASK { ?s ?p ?o }")


def test_remote_cli_build_and_query(fresh_server):
    server = fresh_server
    runner = CliRunner()
    built = runner.invoke(cli, ["build", str(CORPUS), "--endpoint", server, "--model", "none", "--quiet"])
    assert built.exit_code == 0, built.output
    assert server in built.output
    out = runner.invoke(cli, ["query", "--endpoint", server, "--name", "grades", "--param", "force=Durham"])
    assert out.exit_code == 0, out.output
    assert "Outstanding" in out.output
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    csv = runner.invoke(cli, ["query", "--endpoint", server, "--format", "csv", count])
    assert csv.exit_code == 0 and int(csv.output.split()[1]) > 1000
    gone = runner.invoke(cli, ["query", "--endpoint", f"http://127.0.0.1:{free_port()}", "ASK { ?s ?p ?o }"])
    assert gone.exit_code == 2


def test_remote_build_keeps_its_word_index_and_one_ranking_half_beside_its_state(fresh_server, tmp_path):
    state = tmp_path / "state"
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    runner = CliRunner()
    args = ["build", str(corpus), "--endpoint", fresh_server, "--store", str(state), "--model", "none", "--quiet"]
    assert runner.invoke(cli, args).exit_code == 0
    release = corpus / "northumbria-ncpi-2019-review-press-release.txt"
    bullet = "  • a new initiative to share information with schools"
    text = release.read_text(encoding="utf-8")
    assert bullet in text
    release.write_text(
        text.replace(bullet, "  • a quokkaesque new initiative to share information with schools"), "utf-8"
    )
    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    path = remote_index_path(state, fresh_server)
    halves = sorted(path.parent.glob(f".{path.name}.*.tantivy"))
    with SearchIndex(path) as index:
        assert halves == [index.ranking_folder()]  # the replaced index's half is gone
        assert index.ranked_count() == index.count() > 0
        assert index.search("quokkaesque").total == 1
