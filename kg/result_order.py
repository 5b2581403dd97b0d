"""Sort a named question's rows in Python rather than in the store.

Oxigraph sorts by decoding each term from its dictionary at every
comparison. A question's final ``ORDER BY ?publication ?order`` cost 80–250
ms on answers of a few thousand rows at 1,000 reports, which is more than
fetching the rows. Python sorts them in a few milliseconds. This applies
only when the order is certain to be the same: the last clause is an
``ORDER BY`` over projected variables alone, with ``ASC``/``DESC`` at most
(docs/decisions/0805, "Session 4"). Anything else is left to the engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.query import Result

_KEY = r"(?:(?:ASC|DESC)\s*\(\s*\?\w+\s*\)|\?\w+)"
_FINAL_ORDER = re.compile(rf"\bORDER\s+BY\s+({_KEY}(?:\s+{_KEY})*)\s*$", re.I)
_KEY_PARTS = re.compile(r"(?:(ASC|DESC)\s*\(\s*\?(\w+)\s*\)|\?(\w+))", re.I)

#: One sort key: the variable and whether it sorts descending.
OrderKey = tuple[str, bool]


def _projection(masked: str) -> set[str] | None:
    """The variables the outermost SELECT projects (None for ``SELECT *`` or no SELECT)."""
    m = re.search(r"\bSELECT\b(.*?)(?:\bWHERE\b|\{)", masked, re.I | re.S)
    if m is None:
        return None
    clause = m.group(1)
    named = set(re.findall(r"\bAS\s+\?(\w+)", clause, re.I))
    while True:  # drop (expression AS ?x) groups, innermost first, leaving the bare variables
        stripped = re.sub(r"\([^()]*\)", " ", clause)
        if stripped == clause:
            break
        clause = stripped
    if "*" in clause:
        return None
    return named | set(re.findall(r"\?(\w+)", clause))


def split_final_order(sparql: str, masked: str) -> tuple[str, list[OrderKey]]:
    """The query without its final ``ORDER BY`` and that clause's keys, if Python can sort for it.

    ``masked`` is the query with strings and comments blanked (``kg.query._masked``).
    Returns the query unchanged and no keys otherwise.
    """
    m = _FINAL_ORDER.search(masked)
    if m is None or masked[: m.start()].rstrip()[-1:] != "}":
        return sparql, []
    keys = [((k.group(2) or k.group(3)), (k.group(1) or "").upper() == "DESC") for k in _KEY_PARTS.finditer(m.group(1))]
    projected = _projection(masked[: m.start()])
    if projected is None or any(name not in projected for name, _ in keys):
        return sparql, []
    return sparql[: m.start()] + sparql[m.end() :], keys


def _term_key(term: Any) -> tuple[int, int, Any]:
    """SPARQL's order of terms: unbound, blank nodes, IRIs, then literals (numbers by value)."""
    if term is None:
        return (0, 0, "")
    if isinstance(term, BNode):
        return (1, 0, str(term))
    if isinstance(term, URIRef):
        return (2, 0, str(term))
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return (3, 0, value)
        if isinstance(value, datetime | date | time):
            return (3, 1, str(term))
        return (3, 2, str(term))
    return (4, 0, str(term))


def sort_result(result: Result, keys: list[OrderKey]) -> Result:
    """``result`` with its rows in the order ``keys`` give (stable: ties keep the engine's order)."""
    rows: list[Mapping[Variable, Any]] = list(result.bindings)
    for name, descending in reversed(keys):
        variable = Variable(name)
        rows.sort(key=lambda row: _term_key(row.get(variable)), reverse=descending)
    result.bindings = rows
    return result
