"""Run one query with a time limit, in the calling process.

The call runs in a daemon thread and the caller waits at most the limit.
Past it the caller gets :class:`QueryTimeout` at once, and the thread is
told to stop: an exception is raised in it at its next Python step
(``PyThreadState_SetAsyncExc``), which ends rdflib's own engine (pure
Python) and the row loop that reads an Oxigraph answer. Oxigraph computing
one step in native code (a sort, a count over a huge join) cannot be
interrupted from Python: that step finishes in the background and its
answer is dropped. Where that matters (a server), queries run in worker
processes that are killed instead (:mod:`kg.serve.app`).
"""

from __future__ import annotations

import ctypes
import gc
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

from kg.errors import QueryError

__all__ = ["QueryTimeout", "within"]

T = TypeVar("T")


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""


class _Stop(BaseException):
    """Raised inside an abandoned query's thread; a BaseException so no ``except Exception`` swallows it."""


def within(seconds: float | None, what: str, fn: Callable[[], T]) -> T:
    """``fn()``, or :class:`QueryTimeout` once ``seconds`` have passed (None: no limit).

    Exceptions raised by ``fn`` reach the caller unchanged.
    """
    if seconds is None:
        return fn()
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except _Stop as e:
            _release(e)
            gc.collect()  # cycles through the stopped frames hold Oxigraph answers too
        except BaseException as e:  # handed to the waiting caller, who re-raises it
            _release(e)
            box["error"] = e

    thread = threading.Thread(target=target, name="kg-query", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        _stop(thread)
        raise QueryTimeout(
            f"{what} ran longer than the time limit of {seconds:g} s and was stopped; "
            "narrow it, add LIMIT, or allow more time"
        )
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def _release(error: BaseException) -> None:
    """Drop, in this thread, what the frames of ``error``'s tracebacks still hold.

    An Oxigraph answer must be dropped on the thread that made it; a
    traceback handed to the caller would carry a half-read one to the
    caller's thread (pyoxigraph then reports an unraisable error there).
    The tracebacks stay, without their frames' local variables.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if current.__traceback__ is not None:
            traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


def _stop(thread: threading.Thread) -> None:
    """Raise :class:`_Stop` in ``thread`` at its next Python step."""
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(_Stop))
