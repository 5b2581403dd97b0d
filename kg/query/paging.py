"""Answers a page at a time: named questions and API lists return ``limit`` rows from ``offset`` and the total.

No one reads thousands of rows on a screen, and an answer's cost is mostly
the rows it hands back (each turned into rdflib terms). A named question's
page is the question with ``LIMIT``/``OFFSET`` added, so the engine stops
after the page; the total is a ``COUNT`` over the same pattern without its
``ORDER BY`` and without building the rows. The whole answer stays
available (``limit=None``) for exports and scripts
(docs/decisions/1002-pages-of-answers.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rdflib import Dataset
from rdflib.query import Result, ResultRow

from kg.errors import QueryError
from kg.query.deadline import within
from kg.query.guard import check_services, policy_of
from kg.query.sparql import dataset_prefixes, execute, load_named, mask_literals, prepare_page

#: Rows in a page unless the caller asks for another number.
DEFAULT_LIMIT = 100

T = TypeVar("T")


class Page(list[T], Generic[T]):
    """A list of the rows of one page, knowing how many rows the whole answer has.

    A plain list in every other way, so code that iterates a whole answer
    keeps working.
    """

    total: int
    offset: int
    limit: int | None

    def __init__(self, rows: Sequence[T], *, total: int, offset: int = 0, limit: int | None = None) -> None:
        super().__init__(rows)
        self.total = total
        self.offset = offset
        self.limit = limit

    @property
    def more(self) -> bool:
        """Whether rows follow this page."""
        return self.offset + len(self) < self.total


def page_of(rows: Sequence[T], *, limit: int | None, offset: int = 0) -> Page[T]:
    """One page of a list already in hand (an API list sorted in Python)."""
    check_window(limit, offset)
    end = None if limit is None else offset + limit
    return Page(rows[offset:end], total=len(rows), offset=offset, limit=limit)


def check_window(limit: int | None, offset: int) -> None:
    if offset < 0 or (limit is not None and limit < 0):
        raise QueryError("limit and offset must not be negative")


_SOLUTION_MODIFIER_RE = re.compile(r"\b(LIMIT|OFFSET)\s+\d+\s*$", re.I)
_ORDER_RE = re.compile(r"\bORDER\s+BY\b", re.I)


def windowed(sparql: str, *, limit: int | None, offset: int) -> str:
    """The SELECT with ``LIMIT``/``OFFSET`` added (named questions end with their ``ORDER BY``)."""
    check_window(limit, offset)
    body = sparql.rstrip()
    if _SOLUTION_MODIFIER_RE.search(mask_literals(body)):
        raise QueryError("this question already limits its rows; it cannot be paged")
    if limit is not None:
        body += f"\nLIMIT {int(limit)}"
    if offset:
        body += f"\nOFFSET {int(offset)}"
    return body + "\n"


def counting(sparql: str) -> str:
    """A query counting the rows ``sparql`` (a SELECT) returns, without sorting or building them.

    The SELECT becomes a sub-query whose ``ORDER BY`` is dropped: the count is
    the same, and sorting was most of the work for large answers.
    """
    masked = mask_literals(sparql)
    select = re.search(r"\bSELECT\b", masked, re.I)
    if select is None:
        raise QueryError("only a SELECT can be counted")
    orders = list(_ORDER_RE.finditer(masked))
    last = orders[-1].start() if orders else -1
    # Only the outer ORDER BY (after the last closing brace) is dropped; a sub-query's stays.
    end = last if last > masked.rfind("}") else len(sparql)
    prologue, body = sparql[: select.start()], sparql[select.start() : end]
    return f"{prologue}SELECT (COUNT(*) AS ?total) WHERE {{\n{body}\n}}\n"


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedPage:
    """One page of a named question's answer, with the whole answer's row count."""

    result: Result
    total: int
    offset: int
    limit: int | None

    @property
    def rows(self) -> int:
        return len(self.result)

    @property
    def more(self) -> bool:
        return self.offset + self.rows < self.total


def run_named_page(
    dataset: Dataset, name: str, params: dict[str, str], *, limit: int | None = DEFAULT_LIMIT, offset: int = 0
) -> NamedPage:
    """A page of a named question's rows (``limit=None``: all of them), with the total."""
    query = load_named(name)
    unknown = set(params) - set(query.params)
    if unknown:
        allowed = ", ".join(query.params) or "none"
        raise QueryError(f"query {name!r} takes no parameter {', '.join(sorted(unknown))}; it takes: {allowed}")
    policy = policy_of(dataset)
    check_services(query.text, policy.allow_service, dataset_prefixes(dataset))
    check_window(limit, offset)

    def page() -> NamedPage:
        prepared = prepare_page(
            dataset, query.text, params, rows_per=query.rows_per, keys=query.keys, limit=limit, offset=offset
        )
        text = prepared.text
        if prepared.found is not None:
            # One row per looked-up node, and only the page's nodes were bound: the page is the whole query.
            result = execute(dataset, text)
            return NamedPage(result=result, total=prepared.found, offset=offset, limit=limit)
        result = execute(dataset, windowed(text, limit=limit, offset=offset))
        if limit is None:
            total = offset + len(result)
        elif offset == 0 and len(result) < limit:
            total = len(result)  # the whole answer fits in the page: no need to count it
        else:
            row = next(iter(execute(dataset, counting(text))))
            assert isinstance(row, ResultRow)
            total = int(row[0])
        return NamedPage(result=result, total=total, offset=offset, limit=limit)

    # The look-ups, the page and its count share the question's one time limit.
    return within(policy.timeout, f"the question {name!r}", page)
