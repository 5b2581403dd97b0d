"""The checks ``kg serve`` makes on every request before any route sees it: Host, Origin, body size.

* **Host**: only the names the server is bound to (for 127.0.0.1, the
  loopback names) and those given with ``--allow-host``. A web page the
  user visits can make the browser send requests to 127.0.0.1, and, by
  rebinding its own DNS name to 127.0.0.1, read the answers as same-origin;
  such requests carry the page's host name, so they are refused (400).
* **Origin**: a request to the query routes that carries an ``Origin``
  header other than the server's own, or one of the ``--cors-origin``
  origins, is refused (403). A page on another site can POST a query form
  without any preflight; this stops it from making the server work.
* **Body size**: a declared ``Content-Length`` over the limit is answered
  413 before the body is read; the query routes also count a body sent
  without one (:func:`read_body`).
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from typing import Any

__all__ = ["BodyTooLarge", "Guard", "allowed_hosts", "host_name", "read_body"]

_LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]"})
_ANY_ADDRESS = ("0.0.0.0", "::", "")


class BodyTooLarge(Exception):
    """A request body passed the size limit while it was read."""


def host_name(host: str) -> str:
    """The name part of a Host header or bind address, lower case: ``[::1]:80`` → ``[::1]``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    if host.count(":") > 1:  # a bare IPv6 address, as given to --host
        return f"[{host}]"
    return host.split(":", 1)[0].rstrip(".")


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host names a server bound to ``bind`` answers to, plus ``extra`` (``*``: any)."""
    names = {host_name(h) for h in extra if h != "*"} | ({"*"} if "*" in extra else set())
    if bind in _ANY_ADDRESS:
        return frozenset(names | _LOOPBACK | {host_name(socket.gethostname())})
    bound = host_name(bind)
    if bound in _LOOPBACK:
        return frozenset(names | _LOOPBACK)
    return frozenset(names | {bound})


class Guard:
    """ASGI middleware making the Host, Origin and Content-Length checks."""

    def __init__(
        self,
        app: Any,
        *,
        hosts: frozenset[str],
        origins: frozenset[str],
        max_body: int,
        query_paths: tuple[str, ...] = ("/sparql", "/named/"),
    ) -> None:
        self.app = app
        self.hosts = hosts
        self.origins = frozenset(o.rstrip("/").lower() for o in origins)
        self.max_body = max_body
        self.query_paths = query_paths

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if "*" not in self.hosts and host_name(host) not in self.hosts:
            names = ", ".join(sorted(self.hosts))
            await _plain(
                send,
                400,
                f"this server does not answer to the host name {host_name(host) or '(none)'!r}; it answers to "
                f"{names}. Start it with --allow-host NAME to add a name (for a reverse proxy, its public name).",
            )
            return
        length = headers.get("content-length")
        if length is not None and (not length.strip().isdigit() or int(length) > self.max_body):
            await _plain(send, 413, f"the request body is larger than this endpoint's limit of {self.max_body} bytes")
            return
        origin = headers.get("origin")
        path = scope.get("path", "")
        if (
            origin is not None
            and scope.get("method") != "OPTIONS"
            and (path == self.query_paths[0] or any(path.startswith(p) for p in self.query_paths[1:]))
        ):
            own = f"{scope.get('scheme', 'http')}://{host}".lower()
            if (
                origin.rstrip("/").lower() != own
                and "*" not in self.origins
                and origin.rstrip("/").lower() not in self.origins
            ):
                await _plain(
                    send,
                    403,
                    f"a query from a page of {origin} is refused: only this server's own pages and the origins "
                    "given with --cors-origin may query it",
                )
                return
        await self.app(scope, receive, send)


async def _plain(send: Any, status: int, message: str) -> None:
    body = (message + "\n").encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def read_body(request: Any, limit: int) -> bytes:
    """The request body, or :class:`BodyTooLarge` as soon as it passes ``limit`` bytes."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)
