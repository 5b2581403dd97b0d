"""Parallel extraction: run the per-document stages in worker processes, in order.

Extraction reads one document and nothing else (see ``kg.build.extractor``), so it
parallelises across processes; the GIL rules out threads for this
pure-Python and spaCy work. Results come back in input order, so a build
with ``jobs=N`` makes exactly the graph a build with ``jobs=1`` makes.

Workers are forked: each inherits the parent's already-built extractor (the
spaCy pipeline and vocabularies) instead of unpickling or rebuilding it, and
shares its memory pages copy-on-write. Where ``fork`` is not available
(Windows), extraction runs in the calling process. At most ``4 * jobs``
documents are in flight, so memory stays bounded however large the corpus.
"""

from __future__ import annotations

import multiprocessing
import os
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar, cast

from kg.records import IngestFailure, SourceDocument

R = TypeVar("R")

#: The function a forked worker applies; set in the parent just before the fork.
_TASK: list[Callable[[SourceDocument], object]] = []


def resolve_jobs(jobs: int | None) -> int:
    """``None`` or ``0`` means one process per CPU; anything else is taken as given (at least 1)."""
    if not jobs:
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
    return max(1, jobs)


def can_fork() -> bool:
    """Whether worker processes can inherit the parent's extractor."""
    return "fork" in multiprocessing.get_all_start_methods()


def _run(document: SourceDocument) -> object:
    return _TASK[0](document)


def map_documents(
    extract: Callable[[SourceDocument], R],
    items: Iterable[SourceDocument | IngestFailure],
    *,
    jobs: int = 1,
) -> Iterator[R | IngestFailure]:
    """Apply ``extract`` to every document, in order; ingest failures pass through unchanged.

    With ``jobs > 1`` the documents are extracted in ``jobs`` forked worker
    processes; the order of the results is the order of ``items`` whatever
    order the workers finish in. An exception raised by ``extract`` in a
    worker is raised here, as it would be with ``jobs=1``.
    """
    jobs = resolve_jobs(jobs)
    if jobs == 1 or not can_fork():
        for item in items:
            yield item if isinstance(item, IngestFailure) else extract(item)
        return
    _TASK[:] = [extract]
    window = 4 * jobs
    pending: deque[Future[object] | IngestFailure] = deque()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns on fork() when the parent has threads (numpy's BLAS pool); the
            # workers only run ``extract``, which takes no lock another thread could be holding.
            warnings.filterwarnings("ignore", message=r".*use of fork\(\) may lead to deadlocks", category=Warning)
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                for item in items:
                    pending.append(item if isinstance(item, IngestFailure) else pool.submit(_run, item))
                    while len(pending) >= window:
                        yield cast("R | IngestFailure", _result(pending.popleft()))
                while pending:
                    yield cast("R | IngestFailure", _result(pending.popleft()))
    finally:
        _TASK.clear()


def _result(entry: Future[object] | IngestFailure) -> object:
    return entry if isinstance(entry, IngestFailure) else entry.result()
