"""The endpoint, the CLI and the API are safe to leave running: no SERVICE, bounded requests, hosted clients work.

Each test reproduces one way a user could be hurt (a query that makes the
server fetch another address, a page on another site using the endpoint,
abandoned requests starving it, an oversized body) and checks it no
longer can, with clients we did not write where there are some.
"""

from __future__ import annotations

import http.client
import http.server
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from test_serve import _start

from kg.api import KnowledgeGraph
from kg.cli.main import cli
from kg.query.deadline import QueryTimeout
from kg.query.guard import ServiceRefused, limit_rows

YASGUI = "https://yasgui.example.org"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CLASSES = (
    "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c . "
    "?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://w3id.org/hmi-kg/ontology#Publication> }"
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers anything with an empty SPARQL result, and notes that it was asked."""

    seen: list[str]

    def _answer(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        body = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._answer()

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        self._answer()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP listener: (its URL, the requests it received)."""
    seen: list[str] = []
    handler = type("Recorder", (_Recorder,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", seen
    finally:
        server.shutdown()
        server.server_close()


def _service_queries(url: str) -> list[str]:
    """SERVICE in the places a text check would miss: nested, in EXISTS, escaped, after a comment."""
    escaped = "SERV\\u0049CE"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {escaped} <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"PREFIX e: <{url.rsplit('/', 1)[0]}/>\nSELECT * WHERE {{ # a comment }}\n SERVICE e:sparql {{ ?s ?p ?o }} }}",
    ]


@pytest.fixture(scope="module")
def server(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("safe-serve")
    proc, url = _start(
        built_store,
        tmp / "site",
        tmp / "serve.log",
        "--max-rows",
        "50",
        "--timeout",
        "30",
        "--workers",
        "2",
        "--cors-origin",
        YASGUI,
        "--max-body",
        "100000",
    )
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _request(
    url: str, *, method: str = "GET", data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


# ---------------------------------------------------------------- SERVICE: never fetch another address


def test_service_sent_to_the_server_fetches_nothing(server: str, listener: tuple[str, list[str]]) -> None:
    url, seen = listener
    for q in _service_queries(url):
        status, _, body = _request(server + "/sparql?" + urllib.parse.urlencode({"query": q}))
        assert status == 403, (q, body)
        assert b"SERVICE" in body
        form = urllib.parse.urlencode({"query": q}).encode()
        ctype = {"Content-Type": "application/x-www-form-urlencoded"}
        assert _request(server + "/sparql", method="POST", data=form, headers=ctype)[0] == 403
    time.sleep(0.5)
    assert seen == []


def test_service_through_the_cli_fetches_nothing(built_store: Path, listener: tuple[str, list[str]]) -> None:
    url, seen = listener
    for q in _service_queries(url):
        result = CliRunner().invoke(cli, ["query", "--store", str(built_store), q])
        assert result.exit_code == 2, result.output
        assert "SERVICE" in result.output and "Traceback" not in result.output
    assert seen == []


@pytest.mark.parametrize("store", ["embedded", "memory"])
def test_service_through_the_api_fetches_nothing_unless_allowed(
    store: str, built_store: Path, listener: tuple[str, list[str]]
) -> None:
    url, seen = listener
    graph = KnowledgeGraph.open(built_store if store == "embedded" else "memory")
    for q in _service_queries(url):
        with pytest.raises(ServiceRefused):
            graph.sparql(q)
    assert seen == []
    # The refusal is what stops the request: allowed, the same engine does fetch it.
    allowed = KnowledgeGraph.open(built_store if store == "embedded" else "memory", allow_service=(url,))
    allowed.sparql(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert seen


# ---------------------------------------------------------------- time limits in the API


@pytest.mark.parametrize("store", ["embedded", "memory"])
def test_api_call_is_stopped_at_its_time_limit(store: str, built_store: Path) -> None:
    graph = KnowledgeGraph.open(built_store if store == "embedded" else "memory", timeout=1.0)
    cross = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
        f"VALUES ?v{i} {{ {' '.join(str(n) for n in range(30))} }}" for i in range(6)
    )
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit"):
        graph.sparql(cross + " }" if store == "memory" else SLOW)
    assert time.monotonic() - start < 10


# ---------------------------------------------------------------- Host, Origin, CORS, body size


def test_foreign_host_names_and_origins_are_refused(server: str) -> None:
    port = urllib.parse.urlsplit(server).port
    ask = "/sparql?query=ASK%7B%7D"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", ask, headers={"Host": f"attacker.example:{port}"})
    response = conn.getresponse()
    assert response.status == 400 and b"--allow-host" in response.read()
    conn.close()
    assert _request(server + ask, headers={"Host": f"localhost:{port}"})[0] == 200
    # A page of another site posting a query form (no preflight needed): refused.
    form = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"}
    assert _request(server + "/sparql", method="POST", data=form, headers=headers)[0] == 403
    # The server's own query page may.
    headers["Origin"] = server
    assert _request(server + "/sparql", method="POST", data=form, headers=headers)[0] == 200


def test_hosted_yasgui_preflight_and_get_succeed(server: str) -> None:
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/hmi-kg/ontology#InspectionReport> }"
    url = server + "/sparql?" + urllib.parse.urlencode({"query": query})
    status, headers, _ = _request(
        url,
        method="OPTIONS",
        headers={
            "Origin": YASGUI,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept,content-type",
        },
    )
    assert status == 200
    assert headers["access-control-allow-origin"] == YASGUI
    assert "GET" in headers["access-control-allow-methods"]
    assert "accept" in headers["access-control-allow-headers"].lower()
    status, headers, body = _request(
        url, headers={"Origin": YASGUI, "Accept": "application/sparql-results+json,*/*;q=0.9"}
    )
    assert status == 200 and headers["access-control-allow-origin"] == YASGUI
    assert len(json.loads(body)["results"]["bindings"]) == 2
    # An origin not configured gets no CORS grant.
    status, headers, _ = _request(
        url, method="OPTIONS", headers={"Origin": "https://other.example", "Access-Control-Request-Method": "GET"}
    )
    assert status == 400 and "access-control-allow-origin" not in headers


def test_oversized_bodies_get_413(server: str) -> None:
    big = b"query=" + b"A" * 200_000
    ctype = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, body = _request(server + "/sparql", method="POST", data=big, headers=ctype)
    assert status == 413 and b"limit" in body
    # Sent in chunks with no Content-Length: counted as it arrives.
    port = urllib.parse.urlsplit(server).port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        "/sparql",
        body=iter([b"A" * 60_000, b"A" * 60_000]),
        headers={"Content-Type": "application/sparql-query"},
        encode_chunked=True,
    )
    assert conn.getresponse().status == 413
    conn.close()


# ---------------------------------------------------------------- formats and description


def test_service_description_at_the_endpoint(server: str) -> None:
    status, headers, body = _request(server + "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=body.decode(), format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = [str(o) for o in g.objects(None, __import__("rdflib").URIRef(sd + "endpoint"))]
    assert endpoints == [server + "/sparql"]
    assert any(str(o) == sd + "SPARQL11Query" for o in g.objects())


@pytest.mark.parametrize("fmt", ["JSONLD", "N3", "TURTLE", "RDFXML", "RDF", "XML", "JSON", "CSV", "TSV"])
def test_sparqlwrapper_construct_in_every_format(server: str, fmt: str) -> None:
    import SPARQLWrapper

    client = SPARQLWrapper.SPARQLWrapper(server + "/sparql")
    client.setQuery(CLASSES)
    client.setReturnFormat(getattr(SPARQLWrapper, fmt))
    with warnings.catch_warnings():
        # For CSV and TSV, which are not RDF syntaxes, SPARQLWrapper warns that it gets Turtle instead.
        warnings.simplefilter("ignore" if fmt in ("CSV", "TSV") else "error", RuntimeWarning)
        # For RDF and JSON it names the format in its parameters only, and warns that it asks for */*.
        warnings.filterwarnings("ignore", "Sending Accept header", RuntimeWarning)
        # SPARQLWrapper reads JSON-LD into rdflib's ConjunctiveGraph, which rdflib now deprecates.
        warnings.simplefilter("ignore", DeprecationWarning)
        response = client.query()
        ctype = response.info()["content-type"]
        data = response.convert()
    if isinstance(data, Graph):
        graph = data
    else:
        text = data.decode("utf-8") if isinstance(data, bytes) else str(data)
        syntax = {"text/turtle": "turtle", "text/n3": "n3", "application/n-triples": "nt"}
        graph = Graph().parse(data=text, format=syntax.get(ctype.split(";")[0], "turtle"))
    assert len(graph) == 4, (fmt, ctype)


# ---------------------------------------------------------------- the row limit


def test_max_rows_is_a_limit_the_engine_sees() -> None:
    assert limit_rows("SELECT * WHERE { ?s ?p ?o }", 51) == "SELECT * WHERE { ?s ?p ?o }\nLIMIT 51\n"
    assert limit_rows("SELECT * WHERE { ?s ?p ?o } # note", 51) is not None
    assert limit_rows("SELECT * WHERE { ?s ?p ?o } LIMIT 7", 51) == "SELECT * WHERE { ?s ?p ?o } LIMIT 7"
    assert limit_rows("SELECT * WHERE { ?s ?p ?o } OFFSET 3", 51) is not None
    assert limit_rows("SELECT * WHERE { ?s ?p ?o } LIMIT 900", 51) is None  # cut while reading instead
    assert limit_rows("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <urn:a> }", 51) is None
    assert limit_rows(CLASSES, 51) is None


def test_a_cut_answer_says_so_in_its_body(server: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o }"
    url = server + "/sparql?" + urllib.parse.urlencode({"query": query})
    status, headers, body = _request(url, headers={"Accept": "application/sparql-results+json"})
    data = json.loads(body)
    assert len(data["results"]["bindings"]) == 50
    assert "truncated" in data["truncated"] and "50" in headers["x-kg-result-truncated"]
    status, _, body = _request(url, headers={"Accept": "application/sparql-results+xml"})
    assert b"<!-- result truncated" in body
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    url = server + "/sparql?" + urllib.parse.urlencode({"query": construct})
    status, _, body = _request(url, headers={"Accept": "text/turtle"})
    assert body.startswith(b"# result truncated")
    assert len(Graph().parse(data=body.decode(), format="turtle")) == 50
    status, _, body = _request(url, headers={"Accept": "application/ld+json"})
    assert "truncated" in json.loads(body)
    # A complete answer carries no mark.
    small = "SELECT ?s WHERE { ?s a <https://w3id.org/hmi-kg/ontology#InspectionReport> }"
    url = server + "/sparql?" + urllib.parse.urlencode({"query": small})
    status, headers, body = _request(url, headers={"Accept": "application/sparql-results+json"})
    assert "truncated" not in json.loads(body) and "x-kg-result-truncated" not in headers


# ---------------------------------------------------------------- abandoned requests (kills workers: keep last)


def test_abandoned_slow_requests_do_not_stop_the_endpoint(server: str) -> None:
    port = urllib.parse.urlsplit(server).port
    path = "/sparql?" + urllib.parse.urlencode({"query": SLOW})
    sockets = []
    for _ in range(10):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/csv\r\n\r\n".encode())
        sockets.append(s)
    time.sleep(1.0)
    for s in sockets:  # the clients give up
        s.close()
    start = time.monotonic()
    ok = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/hmi-kg/ontology#Recommendation> }"
    url = server + "/sparql?" + urllib.parse.urlencode({"query": ok})
    status, _, body = _request(url, headers={"Accept": "text/csv"})
    waited = time.monotonic() - start
    assert status == 200 and body.splitlines()[1] == b"7"
    # Without the stop the slow queries held both workers for the whole 30 s limit.
    assert waited < 12, waited
    status, _, _ = _request(server + "/", headers={})
    assert status == 200


def test_max_rows_stops_reading_rows_past_the_limit(built_store: Path) -> None:
    from kg.query.sparql import run

    graph = KnowledgeGraph.open(built_store)
    # A LIMIT larger than the cut: the rows are read one at a time and reading stops.
    result = run(graph.dataset, "SELECT * WHERE { ?s ?p ?o } LIMIT 20000", max_rows=10)
    assert len(result.bindings) == 11
    assert len(list(result)) == 11
