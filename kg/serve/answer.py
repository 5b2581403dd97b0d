"""One query answered inside a ``kg serve`` worker: run it bounded, write it, mark it when cut.

The row limit is given to the engine: a SELECT without its own smaller
LIMIT gets ``LIMIT max_rows + 1`` on the parsed query, so Oxigraph stops
there (and plans ORDER BY as a top-k) instead of finding every row; the
one extra row tells a cut answer from a complete one. Where the clause
cannot be added safely, rows are still read one at a time and reading
stops at the limit. CONSTRUCT and DESCRIBE are not rewritten: a LIMIT
there counts solutions, not triples, so a cut could not be told from a
complete answer; their triples are cut after, within the time limit.
"""

from __future__ import annotations

from typing import Any

from kg.serve.formats import GRAPH_TYPES, RESULT_TYPES, choose_format, mark_truncated, offered, serialise
from kg.serve.pool import Job, Reply, error

__all__ = ["answer_job"]


def answer_job(dataset: Any, job: Job, max_rows: int) -> Reply:
    """Run ``job`` on ``dataset``: the reply to send, cut to ``max_rows`` and marked if it was longer."""
    from rdflib import Graph

    from kg.errors import QueryError
    from kg.query.guard import ServiceRefused, limit_rows
    from kg.query.sparql import run

    text = limit_rows(job.text, max_rows + 1) or job.text
    try:
        result = run(dataset, text, max_rows=max_rows)
    except ServiceRefused as e:
        return error(403, str(e))
    except QueryError as e:
        if "SPARQL update" in str(e):
            return error(403, "this endpoint is read-only: SPARQL Update is refused")
        return error(400, str(e))
    kind = "graph" if result.type in ("CONSTRUCT", "DESCRIBE") else "results"
    name = choose_format(kind, job.accept, job.formats)
    if name is None:
        return error(406, f"cannot write a {result.type} result as requested; offered: {offered(kind)}")
    note = None
    if kind == "graph" and result.graph is not None and len(result.graph) > max_rows:
        kept = Graph()
        for n, triple in enumerate(result.graph):
            if n >= max_rows:
                break
            kept.add(triple)
        result.graph = kept
        note = _note(max_rows, "triples")
    elif result.type == "SELECT" and len(result.bindings) > max_rows:
        result.bindings = result.bindings[:max_rows]
        note = _note(max_rows, "rows")
    try:
        body = serialise(result, name)
        if note is not None:
            body = mark_truncated(body, kind, name, note)
    except Exception as e:  # a serialiser of rdflib failing on odd data
        return error(500, f"could not write the result: {e}")
    media = (GRAPH_TYPES if kind == "graph" else RESULT_TYPES)[name]
    return Reply(200, f"{media}; charset=utf-8", body, note)


def _note(limit: int, what: str) -> str:
    return (
        f"result truncated: only the first {limit} {what} are returned (this endpoint's limit) "
        "and the answer has more; add LIMIT/OFFSET to page through it"
    )
