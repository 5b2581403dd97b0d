"""The remote-store path: load and query the graph on a SPARQL 1.1 server.

The embedded store serves one analyst; a shared deployment loads the same
named graphs into a SPARQL server (Oxigraph server, Apache Jena Fuseki,
GraphDB) and talks to it over the standard protocols only:

- loading uses the SPARQL 1.1 Graph Store HTTP Protocol, one ``PUT`` per
  named graph, so rebuilding a document replaces exactly its graph and a
  rebuild is idempotent; graphs of documents no longer in the corpus are
  deleted, so the server ends up holding what an embedded build would hold;
- querying uses the SPARQL 1.1 Protocol through an rdflib ``Dataset`` whose
  store is a read-only ``SPARQLStore``, so ``kg.query.sparql.run`` and the named
  questions (which bind parameters with an inline ``VALUES`` block) work
  unchanged.

Plain ``urllib`` does the HTTP, with timeouts and error messages that name
the server and its answer; rdflib's own connector has neither. No new
dependency is needed.

URLs: ``--endpoint http://host:7878`` (a server root) means Oxigraph's
layout, ``/query``, ``/update`` and ``/store``; a URL ending in ``/query`` or
``/sparql`` is the query service itself, with its siblings ``update`` and
``store``. Other layouts (Fuseki's ``/ds/data``) are given explicitly to
``Endpoint``. The server must treat its default graph as the union of the
named graphs, as the embedded store does: queries ask for it with
Oxigraph's ``union-default-graph`` parameter (Fuseki: ``unionDefaultGraph``
in the dataset's configuration).
"""

from __future__ import annotations

import contextlib
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result

from kg.errors import QueryError, StoreError
from kg.namespaces import HMID
from kg.store.spool import SpooledGraph

#: Seconds to wait for one HTTP exchange before giving up.
DEFAULT_TIMEOUT = 120.0

_RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_TYPES = {
    "application/n-triples": "nt",
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-quads": "nquads",
}
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


def is_endpoint(location: object) -> bool:
    """Whether a store location is a SPARQL endpoint URL rather than a directory."""
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """The three services of a SPARQL server: query, update and graph store."""

    query: str
    update: str
    store: str
    union_default_graph: bool = True
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_url(cls, url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Endpoint:
        """Derive the services from a server root or a query URL (see the module docstring)."""
        if not is_endpoint(url):
            raise StoreError(f"{url!r} is not an http(s) URL of a SPARQL endpoint")
        parts = urllib.parse.urlsplit(url)
        path = parts.path.rstrip("/")
        head, _, last = path.rpartition("/")
        base_path = head if last in ("query", "sparql") else path

        def at(name: str) -> str:
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"{base_path}/{name}", "", ""))

        own = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
        query = own if base_path != path else at("query")
        return cls(query=query, update=at("update"), store=at("store"), timeout=timeout)


def _request(method: str, url: str, *, timeout: float, data: bytes | None = None, headers: dict[str, str]) -> Any:
    """One HTTP exchange; errors become ``StoreError``/``QueryError`` naming the server's answer."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - scheme checked in Endpoint.from_url
    except urllib.error.HTTPError as e:
        body = e.read(2000).decode("utf-8", "replace").strip()
        error = QueryError if 400 <= e.code < 500 else StoreError
        raise error(f"{method} {url.split('?')[0]}: the server answered {e.code} {e.reason}: {body}") from e
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise StoreError(f"{method} {url.split('?')[0]}: cannot reach the SPARQL server ({reason})") from e


def sparql_query(endpoint: Endpoint, query: str) -> Result:
    """Run a query over the SPARQL 1.1 Protocol (POST, query as the body) and parse the answer."""
    params = "?union-default-graph" if endpoint.union_default_graph else ""
    with _request(
        "POST",
        endpoint.query + params,
        timeout=endpoint.timeout,
        data=query.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": _ACCEPT},
    ) as response:
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = response.read()
    if content_type in _RESULT_TYPES:
        return Result.parse(io.BytesIO(body), format=_RESULT_TYPES[content_type])
    if content_type in _GRAPH_TYPES:
        result = Result("CONSTRUCT")
        result.graph = Graph(bind_namespaces="core").parse(data=body, format=_GRAPH_TYPES[content_type])
        return result
    raise StoreError(f"{endpoint.query}: unexpected answer of type {content_type or 'unknown'!r}")


def sparql_update(endpoint: Endpoint, update: str) -> None:
    """Run a SPARQL 1.1 Update (used by maintenance code, never by ``kg query``)."""
    with _request(
        "POST",
        endpoint.update,
        timeout=endpoint.timeout,
        data=update.encode("utf-8"),
        headers={"Content-Type": "application/sparql-update; charset=utf-8"},
    ):
        pass


class RemoteStore(SPARQLStore):
    """rdflib's read-only ``SPARQLStore`` with our HTTP: timeouts, clear errors, union default graph."""

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(query_endpoint=endpoint.query, returnFormat="json")
        self.endpoint = endpoint

    def _query(self, query: str, default_graph: str | None = None, named_graph: str | None = None) -> Result:
        self._queries += 1
        if default_graph is not None or named_graph is not None:
            raise QueryError("querying one named graph of a remote store is not supported; use GRAPH in the query")
        return sparql_query(self.endpoint, query)


def open_remote(url: str | Endpoint) -> Dataset:
    """A read-only dataset on a SPARQL endpoint; its default graph is the union of the named graphs."""
    endpoint = url if isinstance(url, Endpoint) else Endpoint.from_url(url)
    return Dataset(store=RemoteStore(endpoint), default_union=True)


def _graph_url(endpoint: Endpoint, graph: str) -> str:
    return f"{endpoint.store}?{urllib.parse.urlencode({'graph': graph})}"


def put_graph(endpoint: Endpoint, graph: Graph | SpooledGraph) -> None:
    """Replace one named graph on the server with ``graph`` (Graph Store Protocol ``PUT``)."""
    data = graph.serialize(format="nt", encoding="utf-8")
    with _request(
        "PUT",
        _graph_url(endpoint, str(graph.identifier)),
        timeout=endpoint.timeout,
        data=data,
        headers={"Content-Type": "application/n-triples"},
    ):
        pass


def delete_graph(endpoint: Endpoint, graph: str) -> None:
    """Remove one named graph from the server (Graph Store Protocol ``DELETE``)."""
    with _request("DELETE", _graph_url(endpoint, graph), timeout=endpoint.timeout, headers={}):
        pass


def named_graphs(endpoint: Endpoint) -> list[str]:
    """The IRIs of the server's named graphs that this project made (under ``id/graph/``)."""
    with _request(
        "POST",
        endpoint.query,
        timeout=endpoint.timeout,
        data=b"SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    ) as response:
        rows = json.loads(response.read())["results"]["bindings"]
    prefix = str(HMID["graph/"])
    return sorted(r["g"]["value"] for r in rows if r["g"]["value"].startswith(prefix))


#: Graphs under ``id/graph/`` that hold no document: the reference graphs, the summary, the build status.
_NOT_DOCUMENTS = frozenset({"ontology", "vocab", "summary", "build-status"})


def published_documents(url: str | Endpoint) -> list[str]:
    """The ids of the documents whose graphs the server holds: what a remote build would remove from.

    A document's graph is ``id/graph/<doc id>`` (``kg.graph.triples.graph_iri``);
    links graphs sit one level deeper and the reference, summary and status
    graphs have names of their own.
    """
    endpoint = url if isinstance(url, Endpoint) else Endpoint.from_url(url)
    prefix = str(HMID["graph/"])
    names = (iri[len(prefix) :] for iri in named_graphs(endpoint))
    return sorted(name for name in names if name and "/" not in name and name not in _NOT_DOCUMENTS)


#: The graph where a remote build records its progress (see ``publish_graphs``).
STATUS_GRAPH = HMID["graph/build-status"]
#: The build whose progress the status graph describes.
STATUS_NODE = HMID["build/status"]


def check_endpoint(url: str | Endpoint) -> Endpoint:
    """Make sure the server answers queries, before a build spends any time; raise ``StoreError`` if not."""
    endpoint = url if isinstance(url, Endpoint) else Endpoint.from_url(url)
    try:
        named_graphs(endpoint)
    except QueryError as e:  # a 4xx: the URL is not a SPARQL query service
        raise StoreError(f"{endpoint.query}: not a SPARQL query service the build can use ({e})") from e
    return endpoint


def _status_graph(started: str, graphs: Iterable[str], *, ended: str | None) -> Graph:
    """The status graph: when the build began, the graphs it writes, and when it ended (once it has)."""
    from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

    g = Graph(identifier=STATUS_GRAPH)
    g.add((STATUS_NODE, RDF.type, PROV.Activity))
    g.add((STATUS_NODE, RDFS.label, Literal("kg build" + (" (complete)" if ended else " (in progress)"))))
    g.add((STATUS_NODE, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime)))
    if ended is not None:
        g.add((STATUS_NODE, PROV.endedAtTime, Literal(ended, datatype=XSD.dateTime)))
    for iri in graphs:
        g.add((STATUS_NODE, DCTERMS.hasPart, URIRef(iri)))
    return g


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def publish_graphs(url: str | Endpoint, graphs: Iterable[Graph | SpooledGraph], *, prune: bool = True) -> list[str]:
    """Load every named graph onto the server, one ``PUT`` each; then drop this project's stale graphs.

    Only graphs under this project's ``id/graph/`` namespace are ever
    deleted, so other data on a shared server is left alone. Unlike the
    embedded store's generation swap, readers may see a mix of old and new
    graphs while the ``PUT`` requests run; each graph is replaced atomically.
    So the half-finished state is visible: before the first ``PUT`` the
    status graph (``STATUS_GRAPH``) says a build began and which graphs it
    writes; only after the last one (and the pruning) does it get an end
    time. A build killed in between leaves "in progress" for ``kg validate
    --endpoint`` to report. Returns the IRIs of the graphs written.
    """
    endpoint = url if isinstance(url, Endpoint) else Endpoint.from_url(url)
    listed = list(graphs)
    planned = [str(g.identifier) for g in listed]
    started = _now()
    put_graph(endpoint, _status_graph(started, planned, ended=None))
    written: list[str] = []
    from kg.store.generations import fault_point

    for graph in listed:
        put_graph(endpoint, graph)
        written.append(str(graph.identifier))
        fault_point("remote-load")
    if prune:
        keep = {*written, str(STATUS_GRAPH)}
        for stale in named_graphs(endpoint):
            if stale not in keep:
                delete_graph(endpoint, stale)
    put_graph(endpoint, _status_graph(started, written, ended=_now()))
    return written


@dataclass(frozen=True, slots=True)
class RemoteState:
    """What the status graph of a server says, and which of the graphs it lists are missing."""

    started: str | None
    ended: str | None
    missing: tuple[str, ...]

    def problems(self, endpoint: str) -> list[str]:
        """One line per thing wrong with what the server holds (empty when a build completed)."""
        if self.started is None:
            return [f"{endpoint}: no build status graph <{STATUS_GRAPH}>; no complete kg build is recorded here"]
        out = []
        if self.ended is None:
            out.append(
                f"{endpoint}: the build started at {self.started} did not finish; the server holds a mix of "
                "old and new graphs. Run kg build --endpoint again"
            )
        out += [f"{endpoint}: the graph <{g}> the build wrote is missing" for g in self.missing]
        return out


def remote_union(url: str | Endpoint) -> Graph:
    """Every triple of this project's named graphs on the server but the status graph, in one graph.

    rdflib's ``SPARQLStore`` cannot list quads, so this is one ``CONSTRUCT``.
    """
    endpoint = url if isinstance(url, Endpoint) else Endpoint.from_url(url)
    prefix = str(HMID["graph/"])
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{prefix}") && ?g != <{STATUS_GRAPH}>) }}'
    )
    result = sparql_query(endpoint, query)
    out = Graph(bind_namespaces="core")
    if result.graph is not None:
        out += result.graph
    return out


def remote_state(url: str | Endpoint) -> RemoteState:
    """Read the status graph and check the graphs it lists are on the server."""
    endpoint = url if isinstance(url, Endpoint) else Endpoint.from_url(url)
    node = f"<{STATUS_NODE}>"
    query = (
        "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        f"SELECT ?started ?ended ?part WHERE {{ GRAPH <{STATUS_GRAPH}> {{ {node} prov:startedAtTime ?started "
        f"OPTIONAL {{ {node} prov:endedAtTime ?ended }} OPTIONAL {{ {node} dcterms:hasPart ?part }} }} }}"
    )
    rows = list(sparql_query(endpoint, query))
    if not rows:
        return RemoteState(None, None, ())
    started = str(rows[0][0])  # type: ignore[index]
    ended = next((str(r[1]) for r in rows if r[1] is not None), None)  # type: ignore[index]
    parts = {str(r[2]) for r in rows if r[2] is not None}  # type: ignore[index]
    present = set(named_graphs(endpoint))
    return RemoteState(started, ended, tuple(sorted(parts - present)))


def oxigraph_binary() -> str | None:
    """The server binary of the ``oxigraph`` PyPI package, next to this Python or on PATH."""
    import shutil
    import sys

    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextlib.contextmanager
def local_oxigraph_server(data: Path, *, timeout_s: int = 60, startup_s: float = 30.0) -> Iterator[str]:
    """Run an Oxigraph server on a free 127.0.0.1 port with its database in ``data``; always stopped.

    For tests and benchmarks of the remote-store path, and for users who
    want to try it without installing a server. Raises ``StoreError`` if the
    binary is missing or the server does not answer within ``startup_s``.
    """
    import socket
    import subprocess
    import time

    binary = oxigraph_binary()
    if binary is None:
        raise StoreError("the Oxigraph server binary is not installed (pip install -e '.[test]' provides it)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    data.mkdir(parents=True, exist_ok=True)
    with (data / "server.log").open("wb") as log:
        proc = subprocess.Popen(
            [
                binary,
                "serve",
                "--location",
                str(data / "db"),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout-s",
                str(timeout_s),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_s
        while True:
            if proc.poll() is not None:
                raise StoreError(f"the Oxigraph server exited at start: {(data / 'server.log').read_text()[-500:]}")
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError as e:
                if time.monotonic() > deadline:
                    raise StoreError(f"the Oxigraph server did not answer within {startup_s:.0f} s") from e
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
