"""Serve: the static site, a SPARQL 1.1 protocol endpoint and a query page, read-only and bounded.

Built from maintained parts (see docs/decisions/0502-sparql-server.md):
Starlette routes and parses requests, uvicorn speaks HTTP, rdflib runs the
query over the embedded Oxigraph store (the same :func:`kg.query.sparql.run` that
``kg query`` uses, so both give the same answers) and rdflib's serialisers
write the answer (:mod:`kg.serve.formats`).

Safe to leave running (docs/decisions/0960-endpoint-hardening.md):

* Read-only: SPARQL Update is refused with 403, the store is opened
  read-only, there is no graph store protocol route.
* ``SERVICE`` is refused (403) unless ``--allow-service`` names the endpoint
  (:mod:`kg.query.guard`): the server never fetches another address.
* Only its own Host names, only its own pages' and configured origins'
  queries, bodies up to ``--max-body`` (:mod:`kg.serve.guard`); CORS headers
  for ``--cors-origin`` origins, so a hosted SPARQL client works.
* Queries wait in a bounded queue with a deadline and run in worker
  processes that are killed when their time runs out or their client goes
  away (:mod:`kg.serve.pool`).
* ``--max-rows`` is given to the engine as a LIMIT, and a cut answer says
  so in a header, in its body and on the query page (:mod:`kg.serve.answer`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from kg.serve.formats import GRAPH_TYPES, RESULT_TYPES, choose_format, offered, serialise, service_description
from kg.serve.pool import TRUNCATED_HEADER, Job, QueryPool, Reply, error

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "TRUNCATED_HEADER", "choose_format", "make_app", "serialise", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7879
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_QUEUE = 16
DEFAULT_QUEUE_TIMEOUT = 10.0
DEFAULT_MAX_BODY = 1_000_000

#: Parameters a client may name the answer's format with (SPARQLWrapper sends all three).
_FORMAT_PARAMS = ("format", "output", "results")

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        # No inline script anywhere (the site and the query page load theirs from /static, views from
        # files beside them); styles stay inline-capable because vis-network sets them on its elements.
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
    ),
}


def _watch_disconnect(request: Any) -> tuple[asyncio.Event, asyncio.Task[None]]:
    """An event set when the client disconnects; start it only once the body has been read."""
    gone = asyncio.Event()

    async def watch() -> None:
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                gone.set()
                return

    return gone, asyncio.ensure_future(watch())


def _statement_page(iri: str) -> str:
    """The site page of a statement (kg/render/site.py names pages by slug)."""
    from kg.render.model import slug

    return f"/statement/{slug(iri)}.html"


def make_app(
    store: Path | str,
    site_dir: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    workers: int = 2,
    queue: int = DEFAULT_QUEUE,
    queue_timeout: float = DEFAULT_QUEUE_TIMEOUT,
    max_body: int = DEFAULT_MAX_BODY,
    host: str = DEFAULT_HOST,
    allow_hosts: tuple[str, ...] = (),
    cors_origins: tuple[str, ...] = (),
    allow_service: tuple[str, ...] = (),
) -> Any:
    """The ASGI application: ``/sparql``, ``/query`` (the query page), ``/named`` and the site at ``/``."""
    from anyio import from_thread, to_thread
    from starlette.applications import Starlette
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from kg.errors import KGError, QueryError
    from kg.query.paging import DEFAULT_LIMIT, check_window, counting, windowed
    from kg.query.search import store_key_lookup, store_phrase_lookup
    from kg.query.sparql import list_named, load_named, prepare_window
    from kg.serve.guard import BodyTooLarge, Guard, allowed_hosts, read_body

    services = frozenset(allow_service)
    pool = QueryPool(
        store,
        size=workers,
        timeout=timeout,
        max_rows=max_rows,
        queue=queue,
        queue_timeout=queue_timeout,
        allow_service=services,
    )

    def respond(reply: Reply) -> Response:
        headers = dict(_SECURITY_HEADERS)
        if reply.truncated:
            headers[TRUNCATED_HEADER] = reply.truncated
            headers["Warning"] = f'199 kg "{reply.truncated}"'
        if reply.retry_after is not None:
            headers["Retry-After"] = str(reply.retry_after)
        return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=headers)

    async def run_job(request: Request, job: Job) -> Reply:
        gone, watcher = _watch_disconnect(request)
        try:
            return await pool.run(job, gone)
        finally:
            watcher.cancel()

    def describe(request: Request, formats: list[str]) -> Response:
        name = choose_format("graph", request.headers.get("accept", "*/*"), formats)
        if name is None:
            return respond(
                error(406, f"cannot write the service description as requested; offered: {offered('graph')}")
            )
        endpoint = str(request.url.replace(query=""))
        graph = service_description(endpoint, max_rows=max_rows, allow_service=services)
        body = graph.serialize(format=name)
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        return respond(Reply(200, f"{GRAPH_TYPES[name]}; charset=utf-8", data))

    async def sparql(request: Request) -> Response:
        """The SPARQL 1.1 protocol query operation (GET, POST form, POST sparql-query)."""
        params: list[tuple[str, str]] = list(request.query_params.multi_items())
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        text: str | None = None
        if request.method == "POST":
            if ctype == "application/sparql-update":
                return respond(error(403, "this endpoint is read-only: SPARQL Update is refused"))
            if ctype not in ("application/sparql-query", "application/x-www-form-urlencoded", "multipart/form-data"):
                return respond(
                    error(415, "POST a query as application/x-www-form-urlencoded or application/sparql-query")
                )
            try:
                body = await read_body(request, max_body)
            except BodyTooLarge:
                return respond(error(413, f"the request body is larger than this endpoint's limit of {max_body} bytes"))
            if ctype == "application/sparql-query":
                text = body.decode("utf-8", errors="replace")
            elif ctype == "application/x-www-form-urlencoded":
                params += urllib.parse.parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            else:

                async def replay() -> dict[str, Any]:
                    return {"type": "http.request", "body": body, "more_body": False}

                form = await Request(request.scope, replay).form()
                params += [(k, str(v)) for k, v in form.multi_items()]
        names = {k for k, _ in params}
        if text is None:
            text = next((v for k, v in params if k == "query"), None)
        formats = [v for k, v in params if k in _FORMAT_PARAMS and v]
        if "update" in names:
            return respond(error(403, "this endpoint is read-only: SPARQL Update is refused"))
        if "default-graph-uri" in names or "named-graph-uri" in names:
            return respond(
                error(
                    400,
                    "default-graph-uri and named-graph-uri are not supported: the default "
                    "graph is the union of all named graphs; use GRAPH in the query",
                )
            )
        if text is None and request.method == "GET":
            return describe(request, formats)
        if not text:
            return respond(error(400, "no query: give the SPARQL as the 'query' parameter"))
        reply = await run_job(request, Job(text, request.headers.get("accept", "*/*"), tuple(formats)))
        return respond(reply)

    async def named(request: Request) -> Response:
        """Run a named question with bound parameters (for the query page); SPARQL JSON results."""
        name = request.path_params["name"]
        gone, watcher = _watch_disconnect(request)

        def lookup_nodes(query: str) -> list[str]:
            """Run a parameter lookup (kg.query.sparql.LOOKUPS) in a worker; the IRIs it found, as N3."""
            reply = from_thread.run(pool.run, Job(query, "application/sparql-results+json", ()), gone)
            if reply.status != 200:
                raise QueryError(reply.body.decode("utf-8", "replace"))
            if reply.truncated:  # a question on part of what the words match would be a wrong answer
                raise QueryError("the value matches too many nodes; give more specific words")
            bindings = json.loads(reply.body)["results"]["bindings"]
            return [f"<{b['node']['value']}>" for b in bindings if b.get("node", {}).get("type") == "uri"]

        try:
            try:
                q = load_named(name)
                bindings = {k: v for k, v in request.query_params.items() if k in q.params and v != ""}
                limit = int(request.query_params.get("limit", str(DEFAULT_LIMIT)))
                offset = int(request.query_params.get("offset", "0"))
                words = store_phrase_lookup(store)
                keyed = (q.keys, store_key_lookup(store)) if q.keys is not None else None
                check_window(limit, offset)
                prepared = await to_thread.run_sync(
                    lambda: prepare_window(
                        lookup_nodes,
                        q.text,
                        bindings,
                        words=words,
                        rows_per=q.rows_per,
                        keyed=keyed,
                        limit=limit,
                        offset=offset,
                    )
                )
                text = prepared.text
                # A question with one row per looked-up node or per index key had its page cut before it ran.
                page_text = text if prepared.found is not None else windowed(text, limit=limit, offset=offset)
            except ValueError:
                return respond(error(400, "limit and offset must be whole numbers"))
            except KGError as e:
                return respond(error(400, str(e)))
            reply = await pool.run(Job(page_text, "application/sparql-results+json", ()), gone)
            if reply.status != 200:
                return respond(reply)
            # The page says how many rows the whole answer has: counted only when the page is not all of it.
            body = json.loads(reply.body)
            rows = len(body.get("results", {}).get("bindings", []))
            total = offset + rows if prepared.found is None else prepared.found
            if prepared.found is None and (rows >= limit or offset):
                counted = await pool.run(Job(counting(text), "application/sparql-results+json", ()), gone)
                if counted.status != 200:
                    return respond(counted)
                total = int(json.loads(counted.body)["results"]["bindings"][0]["total"]["value"])
            body["kg:page"] = {"total": total, "offset": offset, "limit": limit}
            response = respond(replace(reply, body=json.dumps(body).encode("utf-8")))
            response.headers["X-KG-Total-Rows"] = str(total)
            return response
        finally:
            watcher.cancel()

    async def search_route(request: Request) -> Response:
        """Statements by words, ranked, a page at a time: JSON, or an HTML page of results."""
        from kg.query.search import search_json, search_store, snippet_parts
        from kg.store.search_index import SearchFilters

        args = request.query_params
        words = args.get("q", "")
        wants_json = args.get("format") == "json" or (
            args.get("format") != "html" and "application/json" in request.headers.get("accept", "")
        )
        try:
            limit = min(int(args.get("limit", "20")), 1000)
            offset = int(args.get("offset", "0"))
        except ValueError:
            return respond(error(400, "limit and offset must be whole numbers"))
        filters = SearchFilters.named(args.get)
        page = None
        message = ""
        if words.strip():
            try:
                page = await to_thread.run_sync(lambda: search_store(store, words, filters, limit=limit, offset=offset))
            except KGError as e:
                if wants_json:
                    return respond(error(400, str(e)))
                message = str(e)
        if wants_json:
            if page is None:
                return respond(error(400, "no words: give them as the 'q' parameter"))
            body = json.dumps(search_json(page, link=_statement_page), ensure_ascii=False).encode("utf-8")
            return respond(Reply(200, "application/json; charset=utf-8", body))
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        env = Environment(
            loader=FileSystemLoader(str(Path(__file__).parent.parent / "render" / "templates")),
            autoescape=select_autoescape(default=True),
        )
        html = env.get_template("search_results.html").render(
            root="/",
            styles={},
            words=words,
            page=page,
            message=message,
            filters=filters.as_arguments(),
            link=_statement_page,
            parts=snippet_parts,
        )
        return HTMLResponse(html, headers=_SECURITY_HEADERS)

    async def query_page(request: Request) -> Response:
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        env = Environment(
            loader=FileSystemLoader(str(Path(__file__).parent.parent / "render" / "templates")),
            autoescape=select_autoescape(default=True),
        )
        html = env.get_template("query.html").render(queries=list_named(), root="/", styles={}, max_rows=max_rows)
        return HTMLResponse(html, headers=_SECURITY_HEADERS)

    routes = [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/query", query_page, methods=["GET"]),
        Route("/named/{name}", named, methods=["GET"]),
        Route("/search", search_route, methods=["GET"]),
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

    cors = CORSMiddleware(
        add_headers,
        allow_origins=list(cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=[TRUNCATED_HEADER, "Retry-After"],
        max_age=600,
    )
    guarded = Guard(cors, hosts=allowed_hosts(host, allow_hosts), origins=frozenset(cors_origins), max_body=max_body)
    guarded.pool = pool  # type: ignore[attr-defined]
    return guarded


def serve(
    store: Path | str,
    site_dir: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    **limits: Any,
) -> None:
    """Run the server until interrupted; ``limits`` are :func:`make_app`'s keyword arguments."""
    import uvicorn

    app = make_app(store, site_dir, host=host, **limits)
    uvicorn.run(app, host=host, port=port, log_level="warning")
