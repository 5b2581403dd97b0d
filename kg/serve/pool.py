"""The query workers of ``kg serve``: killable processes behind a bounded queue with a deadline.

Each worker is a spawned process that opens the store read-only once and
answers one query at a time. A query that passes its time limit, or whose
client has gone away, has its worker killed and replaced: Oxigraph cannot
be interrupted inside one native step, and a thread cannot be stopped, so
a process is the only bound that always holds.

Requests wait for a worker in the event loop, not in threads (a waiting
thread per request once exhausted the thread pool that static pages also
need), at most ``queue`` of them and each at most ``queue_timeout``
seconds; a request past either bound is answered 503 at once, with
``Retry-After``. A request whose client disconnects while waiting leaves
the queue.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

__all__ = ["QueryPool", "Reply", "error"]

#: How often an idle worker checks whether a build moved the store's current generation.
IDLE_FOLLOW_S = 1.0
#: Response header set when a result was cut to the row limit.
TRUNCATED_HEADER = "X-KG-Result-Truncated"


@dataclass(frozen=True, slots=True)
class Reply:
    """What a worker hands back: HTTP status, media type, body, and a note when the answer was cut."""

    status: int
    media_type: str
    body: bytes
    truncated: str | None = None
    retry_after: int | None = None


def error(status: int, message: str, *, retry_after: int | None = None) -> Reply:
    """A plain-text error reply."""
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"), None, retry_after)


@dataclass(frozen=True, slots=True)
class Job:
    """One query for a worker: the text, the client's Accept header and format parameters."""

    text: str
    accept: str
    formats: tuple[str, ...]


def _worker(conn: Connection, store: str, max_rows: int, allow_service: frozenset[str]) -> None:
    """Worker loop: open the store read-only once, then answer jobs until the pipe closes."""
    from kg.errors import KGError
    from kg.query.guard import QueryPolicy, set_policy
    from kg.serve.answer import answer_job
    from kg.store.generations import generation_token, open_dataset

    try:
        # No time limit in here: the server kills this process when a query runs too long.
        dataset = set_policy(open_dataset(store), QueryPolicy(timeout=None, allow_service=allow_service))
    except KGError as e:
        conn.send(error(503, str(e)))
        return
    conn.send(Reply(200, "text/plain", b"ready"))
    while True:
        try:
            # An idle worker moves to the current generation too: one that no request reaches
            # would otherwise hold a generation that builds have replaced (and deleted) open.
            while not conn.poll(IDLE_FOLLOW_S):
                generation_token(dataset)
            job = conn.recv()
        except EOFError:
            return
        conn.send(answer_job(dataset, job, max_rows))


class _Worker:
    def __init__(self, ctx: Any, args: tuple[Any, ...]) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, *args), daemon=True)
        self.proc.start()
        child.close()
        self.ready: Reply | None = None

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


async def _readable(conn: Connection, gone: asyncio.Event | None, timeout: float) -> str:
    """Wait until ``conn`` has a message ("ready"), the client is gone ("gone") or time is up ("timeout")."""
    loop = asyncio.get_running_loop()
    arrived = loop.create_future()
    fd = conn.fileno()

    def wake() -> None:
        if not arrived.done():
            arrived.set_result(None)

    loop.add_reader(fd, wake)
    waits: set[asyncio.Future[Any]] = {arrived}
    watcher = asyncio.ensure_future(gone.wait()) if gone is not None else None
    if watcher is not None:
        waits.add(watcher)
    try:
        done, _ = await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        loop.remove_reader(fd)
        if watcher is not None:
            watcher.cancel()
        if not arrived.done():
            arrived.cancel()
    if arrived in done:
        return "ready"
    return "gone" if watcher is not None and watcher in done else "timeout"


class QueryPool:
    """Worker processes holding the store open read-only, and the queue in front of them."""

    def __init__(
        self,
        store: Path | str,
        *,
        size: int,
        timeout: float,
        max_rows: int,
        queue: int,
        queue_timeout: float,
        allow_service: frozenset[str] = frozenset(),
    ) -> None:
        self.timeout = timeout
        self.queue = queue
        self.queue_timeout = queue_timeout
        self._args = (str(store), max_rows, allow_service)
        self._ctx = multiprocessing.get_context("spawn")
        self._workers = [_Worker(self._ctx, self._args) for _ in range(size)]
        self._idle: asyncio.Queue[_Worker] | None = None
        self.waiting = 0

    def _queue(self) -> asyncio.Queue[_Worker]:
        if self._idle is None:
            self._idle = asyncio.Queue()
            for w in self._workers:
                self._idle.put_nowait(w)
        return self._idle

    def _replace(self, w: _Worker) -> _Worker:
        w.kill()
        fresh = _Worker(self._ctx, self._args)
        self._workers = [fresh if x is w else x for x in self._workers]
        return fresh

    async def run(self, job: Job, gone: asyncio.Event | None = None) -> Reply:
        """Answer one job; ``gone`` is set when the client disconnects (the job is then dropped)."""
        idle = self._queue()
        if idle.empty() and self.waiting >= self.queue:
            return error(
                503, f"the endpoint is busy ({self.waiting} queries waiting); try again shortly", retry_after=2
            )
        self.waiting += 1
        try:
            w = await self._take(idle, gone)
        finally:
            self.waiting -= 1
        if w is None:
            if gone is not None and gone.is_set():
                return error(499, "the client went away before its query ran")
            return error(
                503,
                f"the query waited {self.queue_timeout:g} s for a free worker and was dropped; try again shortly",
                retry_after=2,
            )
        try:
            if w.ready is None:
                state = await _readable(w.conn, gone, 120)
                if state != "ready":
                    w = self._replace(w)
                    return error(503, "the query worker did not start in time")
                w.ready = w.conn.recv()
            if w.ready.status != 200:
                return w.ready
            w.conn.send(job)
            state = await _readable(w.conn, gone, self.timeout)
            if state == "ready":
                reply: Reply = await asyncio.get_running_loop().run_in_executor(None, w.conn.recv)
                return reply
            w = self._replace(w)  # the query is stopped: its worker is killed
            if state == "gone":
                return error(499, "the client went away; its query was stopped")
            return error(
                503,
                f"the query ran longer than this endpoint's limit of {self.timeout:g} s and was stopped; "
                "narrow it or add LIMIT",
            )
        except (EOFError, OSError):
            w = self._replace(w)
            return error(500, "the query worker failed; the query was not answered")
        finally:
            idle.put_nowait(w)

    async def _take(self, idle: asyncio.Queue[_Worker], gone: asyncio.Event | None) -> _Worker | None:
        """A free worker, or None if the client left or the queue deadline passed first."""
        getter = asyncio.ensure_future(idle.get())
        waits: set[asyncio.Future[Any]] = {getter}
        watcher = asyncio.ensure_future(gone.wait()) if gone is not None else None
        if watcher is not None:
            waits.add(watcher)
        try:
            await asyncio.wait(waits, timeout=self.queue_timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if watcher is not None:
                watcher.cancel()
        if getter.done() and not getter.cancelled():
            w = getter.result()
            if gone is not None and gone.is_set():
                idle.put_nowait(w)
                return None
            return w
        getter.cancel()
        return None

    def close(self) -> None:
        """Stop every worker."""
        for w in self._workers:
            w.kill()
        self._workers = []
