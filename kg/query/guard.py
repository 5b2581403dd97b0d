"""What a query may do, decided on the parsed query: no ``SERVICE``, a time limit, a row limit.

``SERVICE <address> { ... }`` makes the engine fetch another address
(Oxigraph and rdflib both follow it), so a query sent to ``kg serve``,
``kg query`` or ``KnowledgeGraph.sparql`` could make this machine request
any address it can reach. It is refused unless the address is one the
user allowed (:class:`QueryPolicy`). The check reads the query as rdflib's
SPARQL parser does, codepoint escapes expanded, every nested group,
sub-query, ``EXISTS`` and ``MINUS`` included, so neither comments, string
literals nor escapes can hide a ``SERVICE`` from it. A query rdflib cannot
parse (Oxigraph accepts a few extensions) is refused if the word ``SERVICE``
appears anywhere in its text.

Policies belong to an opened dataset (the store rdflib reads through), so
every query on it, whichever function sends it, runs under the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from rdflib import Dataset, URIRef
from rdflib.store import Store

from kg.errors import QueryError

__all__ = [
    "DEFAULT_TIMEOUT",
    "QueryPolicy",
    "ServiceRefused",
    "check_services",
    "limit_rows",
    "policy_of",
    "set_policy",
]

#: Seconds a query (one API call, one named question, one ``kg query``) may run, unless told otherwise.
DEFAULT_TIMEOUT = 120.0


class ServiceRefused(QueryError):
    """A query asks the engine to fetch another address (``SERVICE``) not allowed here."""


@dataclass(frozen=True, slots=True)
class QueryPolicy:
    """The rules every query on one opened dataset runs under.

    Attributes:
        timeout: Seconds a query may run before it is stopped; None for no limit in this
            process (the server's workers: the server kills them instead).
        allow_service: Endpoint IRIs a ``SERVICE`` clause may name; empty refuses every one.
    """

    timeout: float | None = DEFAULT_TIMEOUT
    allow_service: frozenset[str] = field(default_factory=frozenset)


_POLICIES: WeakKeyDictionary[Store, QueryPolicy] = WeakKeyDictionary()


def set_policy(dataset: Dataset, policy: QueryPolicy) -> Dataset:
    """Make ``policy`` the rules for every query on ``dataset``; returns the dataset."""
    _POLICIES[dataset.store] = policy
    return dataset


def policy_of(dataset: Dataset) -> QueryPolicy:
    """The rules set for ``dataset``, else the default ones (120 s, no ``SERVICE``)."""
    return _POLICIES.get(dataset.store, _DEFAULT)


_DEFAULT = QueryPolicy()


def check_services(
    sparql: str, allowed: frozenset[str] = frozenset(), prefixes: tuple[tuple[str, str], ...] = ()
) -> None:
    """Refuse a query with a ``SERVICE`` clause naming an endpoint not in ``allowed``.

    Args:
        sparql: The query text.
        allowed: Endpoint IRIs that may be named.
        prefixes: Prefixes the engine will apply to the query (``(prefix, namespace)`` pairs).

    Raises:
        ServiceRefused: the query names another endpoint, or names it by a variable.
    """
    for endpoint in _services(sparql, prefixes):
        if endpoint is None:
            raise ServiceRefused(
                "the query uses SERVICE with an endpoint this store cannot check (a variable, "
                "or a query its parser cannot read); queries here answer from this graph only"
            )
        if endpoint not in allowed:
            raise ServiceRefused(
                f"the query asks for SERVICE <{endpoint}>: queries here answer from this graph only "
                "and never fetch another address"
                + ("" if not allowed else f" except {', '.join(sorted(allowed))}")
                + " (allow an endpoint with --allow-service URL, or allow_service= in the Python API)"
            )


@lru_cache(maxsize=512)
def _services(sparql: str, prefixes: tuple[tuple[str, str], ...]) -> tuple[str | None, ...]:
    """The endpoints the query's SERVICE clauses name (None for one that cannot be known)."""
    from rdflib.plugins.sparql.algebra import translateQuery, traverse
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery

    try:
        parsed = parseQuery(sparql)
    except Exception:  # noqa: BLE001 - rdflib's parser raises its own types; see the module note
        try:
            text = expandUnicodeEscapes(sparql)
        except ValueError:
            text = sparql
        return (None,) if re.search("service", text, re.I) else ()
    found: list[str | None] = []

    def visit(node: Any) -> None:
        if getattr(node, "name", None) == "ServiceGraphPattern":
            term = node["term"] if "term" in node else None  # CompValue.get(k) gives k itself when absent
            found.append(str(term) if isinstance(term, URIRef) else None)

    tree: Any
    try:
        tree = translateQuery(parsed, initNs=dict(prefixes)).algebra
    except Exception:  # noqa: BLE001 - an unknown prefix and the like: read the parse tree instead
        tree = parsed
    traverse(tree, visitPre=visit)
    return tuple(found)


def limit_rows(sparql: str, limit: int) -> str | None:
    """``sparql`` with ``LIMIT limit`` added to its outermost SELECT, or None where that cannot be done.

    Lets the engine stop at the limit instead of finding every row first
    (and plan ORDER BY as a top-k). Done only where adding the clause at the
    end of the text is certain to be right: a SELECT with no LIMIT of its
    own and no trailing VALUES block; the result is parsed again to be sure.
    A SELECT that already has a LIMIT no larger is returned unchanged. Not
    CONSTRUCT or DESCRIBE: there LIMIT counts solutions, not triples.
    """
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        query = parseQuery(sparql)[1]
    except Exception:  # noqa: BLE001 - rdflib's parser raises its own types
        return None
    # rdflib's CompValue.get(k) returns k itself when k is absent: test membership instead.
    if query.name != "SelectQuery" or "valuesClause" in query:
        return None
    if "limitoffset" in query and "limit" in query["limitoffset"]:
        return sparql if int(query["limitoffset"]["limit"]) <= limit else None
    limited = f"{sparql}\nLIMIT {limit}\n"
    try:
        again = parseQuery(limited)[1]
    except Exception:  # noqa: BLE001
        return None
    got = again["limitoffset"] if "limitoffset" in again else {}
    return limited if "limit" in got and int(got["limit"]) == limit else None
