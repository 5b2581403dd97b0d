"""``kg serve``: the SPARQL 1.1 protocol endpoint, read-only and bounded, checked with clients we did not write."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.query.sparql import list_named, load_named, prepare, run_named
from kg.serve.app import choose_format

# Values for the named questions' parameters (required ones must be given).
PARAMS: dict[str, dict[str, str]] = {
    "mentions": {"entity": "Sleuth"},
    "source": {"statementText": "Sleuth"},
    "recommendations": {"force": "Durham"},
    "grades": {"force": "Durham"},
    "statements": {"kind": "AreaForImprovement"},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(store: Path, site: Path, log: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    out = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", str(store), "--site", str(site), "--port", str(port), *extra],
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    out.close()
    url = f"http://127.0.0.1:{port}"
    for _ in range(160):
        try:
            with urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D", timeout=5):
                return proc, url
        except OSError:
            time.sleep(0.25)
    proc.terminate()
    raise AssertionError("kg serve did not start: " + log.read_text(errors="replace"))


@pytest.fixture(scope="module")
def endpoint(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("serve")
    proc, url = _start(built_store, tmp / "site", tmp / "serve.log", "--max-rows", "5000", "--timeout", "3")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _get(
    url: str, accept: str | None = None, data: bytes | None = None, ctype: str | None = None
) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, data=data)
    if accept:
        req.add_header("Accept", accept)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.headers.get("Content-Type", ""), e.read()


def _rows_from_kg(dataset: object, name: str) -> list[tuple[str | None, ...]]:
    result = run_named(dataset, name, PARAMS.get(name, {}))  # type: ignore[arg-type]
    data = json.loads(result.serialize(format="json") or b"{}")
    return _rows(data)


def _rows(data: dict) -> list[tuple[str | None, ...]]:  # type: ignore[type-arg]
    names = data["head"]["vars"]
    return sorted(
        (tuple(b.get(n, {}).get("value") for n in names) for b in data["results"]["bindings"]),
        key=lambda r: tuple("" if v is None else v for v in r),
    )


@pytest.mark.parametrize("name", [q.name for q in list_named()])
def test_serve_named_questions_match_kg_query_via_sparqlwrapper(endpoint: str, built_store: Path, name: str) -> None:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    from kg.store.generations import open_dataset

    client = SPARQLWrapper(endpoint + "/sparql")
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    # What kg query runs for the question (looked-up nodes and values bound), sent as plain SPARQL.
    client.setQuery(prepare(open_dataset(built_store), load_named(name).text, PARAMS.get(name, {})))
    response = client.query()
    served = response.convert()
    response.response.close()
    assert isinstance(served, dict)
    assert _rows(served) == _rows_from_kg(open_dataset(built_store), name)


def test_serve_get_with_curl_formats(endpoint: str) -> None:
    query = (
        "SELECT ?s ?t WHERE { ?s a <https://w3id.org/hmi-kg/ontology#InspectionReport> ; "
        "<http://purl.org/dc/terms/title> ?t } ORDER BY ?s"
    )
    url = endpoint + "/sparql?" + urllib.parse.urlencode({"query": query})
    for accept, media in [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ]:
        out = subprocess.run(
            ["curl", "-s", "-H", f"Accept: {accept}", "-w", "\n%{content_type}", url],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        body, ctype = out.rsplit("\n", 1)
        assert ctype.startswith(media), (accept, ctype)
        assert "Durham" in body
    status, _, body = _get(url, "text/csv")
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ["s", "t"] and len(rows) == 3
    status, _, body = _get(url, "text/tab-separated-values")
    assert body.decode().splitlines()[0] == "?s\t?t"
    assert body.decode().splitlines()[1].startswith("<https://w3id.org/hmi-kg/id/publication/")


def test_serve_construct_and_describe_as_turtle_and_json_ld(endpoint: str) -> None:
    q = (
        "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c . "
        "?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://w3id.org/hmi-kg/ontology#Publication> }"
    )
    status, ctype, body = _get(
        endpoint + "/sparql",
        "text/turtle",
        urllib.parse.urlencode({"query": q}).encode(),
        "application/x-www-form-urlencoded",
    )
    assert status == 200 and ctype.startswith("text/turtle")
    from rdflib import Graph

    assert len(Graph().parse(data=body.decode(), format="turtle")) == 4
    status, ctype, body = _get(endpoint + "/sparql", "application/ld+json", q.encode(), "application/sparql-query")
    assert status == 200 and ctype.startswith("application/ld+json")
    doc = json.loads(body)
    nodes = doc if isinstance(doc, list) else doc.get("@graph", [doc])
    assert len([n for n in nodes if "@type" in n]) == 4
    d = "DESCRIBE <https://w3id.org/hmi-kg/id/publication/durham-ncpi-2019-report>"
    status, ctype, body = _get(endpoint + "/sparql?" + urllib.parse.urlencode({"query": d}), "text/turtle")
    assert status == 200 and b"Durham" in body


def test_serve_refuses_updates(endpoint: str) -> None:
    insert = "INSERT DATA { <urn:x> <urn:y> <urn:z> }"
    assert _get(endpoint + "/sparql", None, insert.encode(), "application/sparql-update")[0] == 403
    form = urllib.parse.urlencode({"update": insert}).encode()
    assert _get(endpoint + "/sparql", None, form, "application/x-www-form-urlencoded")[0] == 403
    assert _get(endpoint + "/sparql?" + urllib.parse.urlencode({"query": insert}))[0] in (400, 403)
    for method in ("PUT", "DELETE"):
        req = urllib.request.Request(endpoint + "/sparql", data=b"<urn:x> <urn:y> <urn:z> .", method=method)
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=10)
        assert e.value.code == 405
        e.value.close()
    status, _, body = _get(
        endpoint + "/sparql?query=ASK%7B%3Curn%3Ax%3E%20%3Furn%20%3Fo%7D", "application/sparql-results+json"
    )
    assert json.loads(body)["boolean"] is False


def test_serve_limits_result_size_and_time(endpoint: str) -> None:
    big = "SELECT * WHERE { ?s ?p ?o }"
    req = urllib.request.Request(endpoint + "/sparql?" + urllib.parse.urlencode({"query": big}))
    req.add_header("Accept", "text/csv")
    with urllib.request.urlopen(req, timeout=30) as r:
        rows = list(csv.reader(io.StringIO(r.read().decode("utf-8"))))
        signal = r.headers.get("X-KG-Result-Truncated", "")
    assert len(rows) == 5000 + 1  # cut to the limit (plus the CSV header row)...
    assert "first 5000 rows" in signal and "limit" in signal  # ...and said so
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    start = time.perf_counter()
    status, _, body = _get(endpoint + "/sparql?" + urllib.parse.urlencode({"query": slow}), "text/csv")
    assert status == 503 and b"limit" in body
    assert time.perf_counter() - start < 15
    ok = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/hmi-kg/ontology#Recommendation> }"
    assert _get(endpoint + "/sparql?" + urllib.parse.urlencode({"query": ok}), "text/csv")[0] == 200


def test_serve_serves_site_and_query_page(endpoint: str) -> None:
    status, ctype, body = _get(endpoint + "/")
    assert status == 200 and b"Police inspection findings" in body
    status, _, body = _get(endpoint + "/query")
    assert status == 200 and b"mentions" in body
    status, _, body = _get(endpoint + "/named/mentions?entity=Sleuth")
    assert status == 200 and "Sleuth" in body.decode()
    status, _, _ = _get(endpoint + "/named/..%2Fetc")
    assert status in (400, 404)


def test_serve_binds_localhost_by_default() -> None:
    from click.testing import CliRunner

    from kg.cli.main import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert "127.0.0.1" in result.output


@pytest.mark.parametrize(
    ("kind", "accept", "fmt", "expected"),
    [
        ("results", "text/csv;q=0.5, application/sparql-results+xml", None, "xml"),
        ("results", "*/*", None, "json"),
        ("results", "text/html", None, None),
        ("graph", "application/ld+json", None, "json-ld"),
        ("graph", "text/html,*/*;q=0.1", None, "turtle"),
        ("results", "text/html", "tsv", "tsv"),
    ],
)
def test_serve_content_negotiation(kind: str, accept: str, fmt: str | None, expected: str | None) -> None:
    assert choose_format(kind, accept, fmt) == expected


def test_serve_load_from_a_second_process_has_no_errors(endpoint: str) -> None:
    """A bounded load (60 requests, 4 concurrent) from another process: zero errors."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load_serve",
            "--url",
            endpoint,
            "--requests",
            "60",
            "--concurrency",
            "4",
            "--seconds",
            "120",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=Path(__file__).resolve().parents[1],
        check=True,
    )
    figures = json.loads(out.stdout)
    assert figures["requests"] == 60
    assert figures["errors"] == 0, figures["first_error"]


def test_serve_search_returns_ranked_statements_as_json_and_html(endpoint: str, built_store: Path) -> None:
    from kg.query.search import search
    from kg.store.generations import open_dataset

    status, ctype, body = _get(endpoint + "/search?q=missing+children&format=json&limit=3")
    assert status == 200 and ctype.startswith("application/json")
    page = json.loads(body)
    local = search(open_dataset(built_store), "missing children", limit=3)
    assert page["total"] == local.total > 3
    assert [h["statement"] for h in page["hits"]] == [h.statement for h in local.hits]
    assert all(h["page"].startswith("/statement/") for h in page["hits"])
    assert all(any(matched for _, matched in h["parts"]) for h in page["hits"])
    status, ctype, html = _get(endpoint + "/search?q=%3Cscript%3Emissing&force=Durham")
    assert status == 200 and ctype.startswith("text/html")
    assert b"<script>missing" not in html and b"&lt;script&gt;missing" in html
    status, _, html = _get(endpoint + "/search?q=missing")
    assert b"<mark>missing</mark>" in html.lower() or b"<mark>Missing</mark>" in html
    status, _, _ = _get(endpoint + "/search?q=%22%22&format=json")
    assert status == 400


def test_serve_named_questions_come_a_page_at_a_time_with_the_total(endpoint: str, built_store: Path) -> None:
    from kg.query.sparql import rows_as_text
    from kg.store.generations import open_dataset

    whole = rows_as_text(run_named(open_dataset(built_store), "entities", {}))
    status, _, body = _get(endpoint + "/named/entities?limit=4&offset=2")
    assert status == 200
    page = json.loads(body)
    assert page["kg:page"] == {"total": len(whole), "offset": 2, "limit": 4}
    assert len(page["results"]["bindings"]) == 4
    # A question with one row per statement it finds is cut in its lookup; the same rows, the same total.
    whole = rows_as_text(run_named(open_dataset(built_store), "source", {"statementText": "missing"}))
    status, _, body = _get(endpoint + "/named/source?statementText=missing&limit=2&offset=1")
    assert status == 200
    page = json.loads(body)
    assert page["kg:page"] == {"total": len(whole), "offset": 1, "limit": 2}
    assert [b["statement"]["value"] for b in page["results"]["bindings"]] == [r["statement"] for r in whole[1:3]]
