"""Serve: the static site, a SPARQL 1.1 protocol endpoint and a query page, read-only.

Built from maintained parts (see docs/decisions/0502-sparql-server.md):
Starlette routes and parses requests, uvicorn speaks HTTP, rdflib runs the
query over the embedded Oxigraph store (the same :func:`kg.query.run` that
``kg query`` uses, so both give the same answers) and rdflib's result
serialisers write JSON, XML and CSV results, Turtle and JSON-LD graphs.

Read-only and bounded:

* SPARQL Update (the ``update`` parameter, ``application/sparql-update``,
  or update keywords in a query) is refused with 403, and the store is
  opened read-only; there is no graph store protocol route at all.
* Each query runs in a worker *process* that is killed when it passes the
  time limit (a thread cannot be stopped), and results larger than the
  row or triple limit are cut to it, never silently: the response carries
  an ``X-KG-Result-Truncated`` header (and an HTTP ``Warning``) saying how
  many rows there were.
* It binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import queue
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7879
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_ROWS = 10_000

#: Result formats: short name → media type. The first of each kind is the default.
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "json-ld": "application/ld+json",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
}
_ALIASES = {
    "application/json": "json",
    "text/xml": "xml",
    "application/xml": "xml",
    "jsonld": "json-ld",
    "ttl": "turtle",
    "ntriples": "nt",
}


#: Response header set when a result was cut to the row limit.
TRUNCATED_HEADER = "X-KG-Result-Truncated"


@dataclass(frozen=True, slots=True)
class Reply:
    """What a worker hands back: HTTP status, media type and body."""

    status: int
    media_type: str
    body: bytes
    truncated: str | None = None


def _error(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


# -- content negotiation -------------------------------------------------------------------------


def _accepted(accept: str) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured, ties kept in order)."""
    items = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            items.append((-q, i, fields[0].lower()))
    return [t for _, _, t in sorted(items)]


def choose_format(kind: str, accept: str, fmt: str | None) -> str | None:
    """The short name of the format to write ``kind`` ("results" or "graph") in, or None if none fits."""
    table = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
    if fmt:
        name = _ALIASES.get(fmt.lower(), fmt.lower())
        if name in table:
            return name
        for short, media in table.items():
            if media == fmt.lower():
                return short
        return None
    wanted = _accepted(accept or "*/*")
    if not wanted:
        return next(iter(table))
    for media in wanted:
        if media in ("*/*", "application/*", "text/*"):
            return next(iter(table))
        for short, m in table.items():
            if m == media:
                return short
        alias = _ALIASES.get(media)
        if alias in table:
            return alias
    return None


# -- serialisation -------------------------------------------------------------------------------


def _tsv_term(term: Any) -> str:
    """A term in SPARQL 1.1 TSV syntax (N-Triples-like, one line)."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"')
        text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    return str(term)


def serialise(result: Any, fmt: str) -> bytes:
    """Write an rdflib query result in a SPARQL 1.1 results format or an RDF syntax."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        data = result.graph.serialize(format=fmt)
        return data if isinstance(data, bytes) else data.encode("utf-8")
    if fmt == "tsv":
        if result.type == "ASK":
            return ("?_askResult\n" + ("true" if result.askAnswer else "false") + "\n").encode("utf-8")
        names = [str(v) for v in (result.vars or [])]
        lines = ["\t".join(f"?{n}" for n in names)]
        for row in result:
            lines.append("\t".join(_tsv_term(row[i]) for i in range(len(names))))
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "csv" and result.type == "ASK":
        return f"_askResult\r\n{str(bool(result.askAnswer)).lower()}\r\n".encode()
    out = result.serialize(format=fmt)
    return out if isinstance(out, bytes) else str(out).encode("utf-8")


# -- worker processes ----------------------------------------------------------------------------


def _worker(conn: Connection, store: str, max_rows: int) -> None:
    """Worker loop: open the store read-only once, then answer (query, accept, format) requests."""
    from kg.errors import KGError
    from kg.store import open_dataset

    try:
        dataset = open_dataset(store)
    except KGError as e:
        conn.send(_error(503, str(e)))
        return
    conn.send(Reply(200, "text/plain", b"ready"))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        conn.send(_answer(dataset, request, max_rows))


def _answer(dataset: Any, request: tuple[str, str, str | None], max_rows: int) -> Reply:
    from kg.errors import QueryError
    from kg.query import run

    text, accept, fmt = request
    try:
        result = run(dataset, text)
    except QueryError as e:
        if "update" in str(e):
            return _error(403, "this endpoint is read-only: SPARQL Update is refused")
        return _error(400, str(e))
    kind = "graph" if result.type in ("CONSTRUCT", "DESCRIBE") else "results"
    name = choose_format(kind, accept, fmt)
    if name is None:
        offered = ", ".join((GRAPH_TYPES if kind == "graph" else RESULT_TYPES).values())
        return _error(406, f"cannot write a {result.type} result as requested; offered: {offered}")
    try:
        if kind == "graph":
            size = len(result.graph) if result.graph is not None else 0
        elif result.type == "SELECT":
            size = len(result.bindings)
        else:
            size = 1
        from rdflib import Graph

        truncated = None
        if size > max_rows:
            # Cut to the limit and say so in a header every client can read;
            # the body stays valid in the requested format.
            what = "triples" if kind == "graph" else "rows"
            truncated = (
                f"{max_rows} of {size} {what} returned (this endpoint's limit); add LIMIT/OFFSET to page through"
            )
            if kind == "graph" and result.graph is not None:
                kept = Graph()
                for n, triple in enumerate(result.graph):
                    if n >= max_rows:
                        break
                    kept.add(triple)
                result.graph = kept
            else:
                result.bindings = result.bindings[:max_rows]
        body = serialise(result, name)
    except Exception as e:  # a serialiser of rdflib failing on odd data
        return _error(500, f"could not write the result: {e}")
    media = (GRAPH_TYPES if kind == "graph" else RESULT_TYPES)[name]
    return Reply(200, f"{media}; charset=utf-8", body, truncated)


class _Worker:
    def __init__(self, ctx: Any, store: str, max_rows: int) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, store, max_rows), daemon=True)
        self.proc.start()
        child.close()
        self.ready: Reply | None = None

    def wait_ready(self, timeout: float) -> Reply:
        if self.ready is None:
            if not self.conn.poll(timeout):
                self.kill()
                self.ready = _error(503, "the query worker did not start")
            else:
                self.ready = self.conn.recv()
        return self.ready

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class QueryPool:
    """Worker processes that each hold the store open read-only; a query past its time is killed."""

    def __init__(
        self, store: Path | str, *, size: int = 2, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS
    ) -> None:
        self.store = str(store)
        self.timeout = timeout
        self.max_rows = max_rows
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        w = _Worker(self._ctx, self.store, self.max_rows)
        with self._lock:
            self._all.append(w)
        return w

    def run(self, text: str, accept: str, fmt: str | None) -> Reply:
        """Answer one query (blocking; call it from a thread)."""
        w = self._idle.get()
        try:
            ready = w.wait_ready(60)
            if ready.status != 200:
                return ready
            w.conn.send((text, accept, fmt))
            if not w.conn.poll(self.timeout):
                w.kill()
                w = self._spawn()
                return _error(
                    503,
                    f"the query ran longer than this endpoint's limit of {self.timeout:g} s and was "
                    "stopped; narrow it or add LIMIT",
                )
            reply: Reply = w.conn.recv()
            return reply
        except (EOFError, OSError):
            w.kill()
            w = self._spawn()
            return _error(500, "the query worker failed; the query was not answered")
        finally:
            self._idle.put(w)

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            for w in self._all:
                w.kill()
            self._all.clear()


# -- the application -----------------------------------------------------------------------------

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
    ),
}


def make_app(
    store: Path | str,
    site_dir: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    workers: int = 2,
) -> Any:
    """The Starlette application: ``/sparql``, ``/query`` (the query page), ``/named`` and the site at ``/``."""
    from anyio import to_thread
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from kg.errors import KGError, QueryError
    from kg.query import list_named, load_named, prepare_with

    pool = QueryPool(store, size=workers, timeout=timeout, max_rows=max_rows)

    def respond(reply: Reply) -> Response:
        headers = dict(_SECURITY_HEADERS)
        if reply.truncated:
            headers[TRUNCATED_HEADER] = reply.truncated
            headers["Warning"] = f'199 kg "result truncated: {reply.truncated}"'
        return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=headers)

    async def sparql(request: Request) -> Response:
        """The SPARQL 1.1 protocol query operation (GET, POST form, POST sparql-query)."""
        params = dict(request.query_params)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        text: str | None = params.get("query")
        if request.method == "POST":
            if ctype == "application/sparql-update":
                return respond(_error(403, "this endpoint is read-only: SPARQL Update is refused"))
            if ctype == "application/sparql-query":
                text = (await request.body()).decode("utf-8", errors="replace")
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.form()
                params.update({k: str(v) for k, v in form.items()})
                text = params.get("query")
            else:
                return respond(
                    _error(415, "POST a query as application/x-www-form-urlencoded or application/sparql-query")
                )
        if "update" in params:
            return respond(_error(403, "this endpoint is read-only: SPARQL Update is refused"))
        if "default-graph-uri" in params or "named-graph-uri" in params:
            return respond(
                _error(
                    400,
                    "default-graph-uri and named-graph-uri are not supported: the default "
                    "graph is the union of all named graphs; use GRAPH in the query",
                )
            )
        if not text:
            return respond(_error(400, "no query: give the SPARQL as the 'query' parameter"))
        reply = await to_thread.run_sync(pool.run, text, request.headers.get("accept", "*/*"), params.get("format"))
        return respond(reply)

    def lookup_nodes(query: str) -> list[str]:
        """Run a parameter lookup (kg.query.LOOKUPS) in a worker; the IRIs it found, as N3."""
        reply = pool.run(query, "application/sparql-results+json", None)
        if reply.status != 200:
            raise QueryError(reply.body.decode("utf-8", "replace"))
        if reply.truncated:  # a question on part of what the words match would be a wrong answer
            raise QueryError(f"the value matches too many nodes ({reply.truncated}); give more specific words")
        bindings = json.loads(reply.body)["results"]["bindings"]
        return [f"<{b['node']['value']}>" for b in bindings if b.get("node", {}).get("type") == "uri"]

    async def named(request: Request) -> Response:
        """Run a named question with bound parameters (for the query page); SPARQL JSON results."""
        name = request.path_params["name"]
        try:
            q = load_named(name)
            bindings = {k: v for k, v in request.query_params.items() if k in q.params and v != ""}
            text = await to_thread.run_sync(prepare_with, lookup_nodes, q.text, bindings)
        except KGError as e:
            return respond(_error(400, str(e)))
        reply = await to_thread.run_sync(pool.run, text, "application/sparql-results+json", None)
        return respond(reply)

    async def query_page(request: Request) -> Response:
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        env = Environment(
            loader=FileSystemLoader(str(Path(__file__).parent / "render" / "templates")),
            autoescape=select_autoescape(default=True),
        )
        html = env.get_template("query.html").render(queries=list_named(), root="/", styles={})
        return HTMLResponse(html, headers=_SECURITY_HEADERS)

    routes = [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/query", query_page, methods=["GET"]),
        Route("/named/{name}", named, methods=["GET"]),
        Mount("/", app=StaticFiles(directory=str(site_dir), html=True), name="site"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        pool.close()

    app = Starlette(routes=routes, lifespan=lifespan)

    async def add_headers(scope: Any, receive: Any, send: Any) -> None:
        async def wrapped(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for k, v in _SECURITY_HEADERS.items():
                    if k.lower().encode() not in present:
                        headers.append((k.lower().encode(), v.encode()))
                message["headers"] = headers
            await send(message)

        await app(scope, receive, wrapped)

    add_headers.pool = pool  # type: ignore[attr-defined]
    return add_headers


def serve(
    store: Path | str,
    site_dir: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    workers: int = 2,
) -> None:
    """Run the server until interrupted."""
    import uvicorn

    app = make_app(store, site_dir, timeout=timeout, max_rows=max_rows, workers=workers)
    uvicorn.run(app, host=host, port=port, log_level="warning")
