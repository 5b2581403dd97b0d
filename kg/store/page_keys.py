"""Pages of statement-shaped named questions cut in the word index, before SPARQL runs.

A named question such as "every statement that mentions Sleuth" has
thousands of rows at 1,000 reports, and its first page, ordered by
publication title and place, used to make the store visit and sort every
one of them (0.4-0.6 s) and then count them all again. The word index
already holds a row per statement; it also keeps each statement's sort
keys (publication title, place, section title, polarity) and what it
mentions and is about (kg/store/search_index.py). A question that declares
``# keys: NAME`` names one of the ``KEYS`` below: the index finds the
rows' keys in the question's order, the total is how many it found, and
only the page's keys are bound into the SPARQL (with ``?lookupRank``, which
the question orders by first). Stores with no index (a remote SPARQL
endpoint) run the question whole, as before; tests check both give the
same rows (docs/decisions/1142-page-keys-in-the-word-index.md).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: The IRI of a status concept less its local name (the index keeps statuses by local name).
STATUS_PREFIX = "https://w3id.org/hmi-kg/vocab/status/"

#: Statement kinds a critical question keeps whatever their polarity (by-force's ``critical``).
CRITICAL_KINDS = ("CauseOfConcern", "AreaForImprovement", "Recommendation")


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyFilters:
    """What narrows a page's keys; None leaves that one open.

    ``entities``, ``kinds`` and ``forces`` are the nodes the question's own
    lookups found (an empty tuple matches nothing, as an empty ``VALUES``
    does); ``section`` is matched as part of the section title, ignoring case.
    """

    entities: tuple[str, ...] | None = None
    #: Statements whose trail is asked for (the trail's follow-up links from or to them or their restatements).
    statements: tuple[str, ...] | None = None
    kinds: tuple[str, ...] | None = None
    forces: tuple[str, ...] | None = None
    section: str | None = None
    critical: bool = False


@dataclass(frozen=True, slots=True)
class KeyQuery:
    """How the index lists one question's row keys in the question's order.

    ``variables``: the SPARQL variables each key binds, in the order of the
    columns ``sql`` selects. ``sql`` is a SELECT with ``{where}`` where the
    filters go; the page's ORDER BY ends on the key columns, so the order is total.
    """

    variables: tuple[str, ...]
    select: str
    source: str
    order: str
    #: The filter (a ``KeyFilters`` field) without which the keys are not one per row: a question whose
    #: rows also vary with what else a statement mentions (by-force's units) is run whole without it.
    needs: str | None = None
    #: A ``WITH`` clause before the SELECT (the trail's members); its ``?`` come first.
    prefix: str = ""
    #: Whether ``s`` is a statement to filter (else the query filters its own rows, as the trail does).
    of_statements: bool = True

    #: Conditions of the question's own pattern, always applied (over the query's aliases).
    always: str = ""
    #: Columns the rows are grouped by (a status two links graphs give is one row). A grouped query is
    #: counted in the same pass as its page (``COUNT(*) OVER ()``): its rows are few and costly to find,
    #: where an ungrouped one (every statement) is counted faster on its own.
    group_by: str | None = None

    def applies(self, filters: KeyFilters) -> bool:
        """Whether this key query lists the question's rows under these filters."""
        return self.needs is None or getattr(filters, self.needs) is not None


#: The key queries named questions may declare with ``# keys: NAME``. Every one lists only statements
#: that have what the questions' patterns require (a publication title and a place in it).
KEYS: dict[str, KeyQuery] = {
    # statements.rq: one row per statement, by publication and place.
    "statements": KeyQuery(("statement",), "s.iri", "statement s", "s.title, s.position, s.iri"),
    # mentions.rq: one row per statement and entity it mentions, by publication and place.
    "mentions": KeyQuery(
        ("statement", "entityIri"),
        "s.iri, m.entity",
        "statement s JOIN mention m ON m.statement_id = s.id",
        "s.title, s.position, s.iri, m.entity",
        needs="entities",
    ),
    # by-force.rq: one row per statement and force its publication is about, by force name, publication, place.
    "statements-by-force": KeyQuery(
        ("statement", "force"),
        "s.iri, pf.force",
        "statement s JOIN publication_force pf ON pf.statement_id = s.id",
        "pf.name, s.title, s.position, s.iri, pf.force",
        needs="entities",
        always="pf.name IS NOT NULL",
    ),
    # trail.rq: one row per follow-up link from or to the statements or anything that restates or tracks them
    # (both ways, any number of steps), links kept for review left out, and per latest status of each end
    # (a restatement can carry its own and what it restates'); by each end's place in time, then confidence
    # (highest first), then the link's ends, relation and those statuses, as the question orders its rows.
    "trail": KeyQuery(
        ("link", "earlierLatestConcept", "laterLatestConcept"),
        f"l.iri, '{STATUS_PREFIX}' || el.status, '{STATUS_PREFIX}' || ll.status",
        "link l JOIN statement se ON se.iri = l.earlier JOIN statement sl ON sl.iri = l.later"
        " LEFT JOIN status el ON el.iri = l.earlier LEFT JOIN status ll ON ll.iri = l.later",
        "COALESCE(se.time_key, (SELECT MIN(time_key) FROM publication_time WHERE publication = se.publication)),"
        " COALESCE(sl.time_key, (SELECT MIN(time_key) FROM publication_time WHERE publication = sl.publication)),"
        " l.confidence DESC, l.earlier, l.later, l.relation, el.status, ll.status",
        needs="statements",
        group_by="l.iri, el.status, ll.status",
        prefix="WITH RECURSIVE member(iri) AS (SELECT value FROM json_each(?)"
        " UNION SELECT e.b FROM trail_edge e JOIN member m ON e.a = m.iri"
        " UNION SELECT e.a FROM trail_edge e JOIN member m ON e.b = m.iri) ",
        of_statements=False,
        always="l.review = 0 AND (l.earlier IN member OR l.later IN member)",
    ),
    # recurring.rq: one row per follow-up link whose status says the matter recurs, not kept for review,
    # by the earlier publication's title, then confidence (highest first), then the link's ends.
    "recurring": KeyQuery(
        ("link",),
        "l.iri",
        "link l JOIN statement se ON se.iri = l.earlier JOIN statement sl ON sl.iri = l.later",
        "se.title, l.confidence DESC, l.earlier, l.later",
        of_statements=False,
        always="l.review = 0 AND l.relation = 'follow-up'"
        " AND l.status IN ('still-area-for-improvement', 'cause-of-concern', 'deteriorated')",
    ),
}


@dataclass(frozen=True, slots=True)
class KeyPage:
    """The keys of one page (tuples of IRIs, in ``KeyQuery.variables`` order) and how many keys in all.

    None in a key: that variable has no value in the row (``UNDEF``).
    """

    total: int
    keys: list[tuple[str | None, ...]]


#: Lists a page of a keyed question's row keys: (key query name, filters, limit, offset) -> the page.
KeyLookup = Callable[[str, KeyFilters, int | None, int], KeyPage]


def page_keys(db: sqlite3.Connection, name: str, filters: KeyFilters, *, limit: int | None, offset: int = 0) -> KeyPage:
    """The keys of a page of the question declaring ``# keys: name``, and the whole answer's count.

    Raises:
        KeyError: if no key query has that name.
        ValueError: if the key query does not apply to these filters (``KeyQuery.applies``).
    """
    query = KEYS[name]
    if not query.applies(filters):
        raise ValueError(f"the key query {name!r} needs the filter {query.needs}")
    where, args = _where(query, filters) if query.of_statements else _links_where(query, filters)
    base = f"FROM {query.source} WHERE {where}"
    window = " LIMIT ? OFFSET ?" if limit is not None else ""
    window_args: list[object] = [limit, offset] if limit is not None else []
    if query.group_by is not None:
        base += f" GROUP BY {query.group_by}"
        rows = db.execute(
            f"{query.prefix}SELECT {query.select}, COUNT(*) OVER () {base} ORDER BY {query.order}{window}",
            [*args, *window_args],
        ).fetchall()
        if rows:
            return KeyPage(int(rows[0][-1]), [_key(row[:-1]) for row in rows])
        counted = f"{query.prefix}SELECT COUNT(*) FROM (SELECT 1 {base})"  # a page past the end
        return KeyPage(int(db.execute(counted, args).fetchone()[0]), [])
    total = int(db.execute(f"{query.prefix}SELECT COUNT(*) {base}", args).fetchone()[0])
    rows = db.execute(
        f"{query.prefix}SELECT {query.select} {base} ORDER BY {query.order}{window}", [*args, *window_args]
    ).fetchall()
    return KeyPage(total, [_key(row) for row in rows])


def _key(row: Sequence[object]) -> tuple[str | None, ...]:
    return tuple(None if v is None else str(v) for v in row)


def _among(column: str, values: Sequence[str]) -> tuple[str, list[object]]:
    """``column`` is one of ``values`` (none given: nothing matches, as an empty ``VALUES``)."""
    return (f"{column} IN ({','.join('?' * len(values))})" if values else "0"), list(values)


def _held(statement: str, table: str, column: str, values: Sequence[str]) -> tuple[str, list[object]]:
    """The statement ``statement`` (an ``id``) has a row of ``table`` whose ``column`` is one of ``values``."""
    condition, args = _among(column, values)
    return f"{statement} IN (SELECT statement_id FROM {table} WHERE {condition})", args


def _where(query: KeyQuery, filters: KeyFilters) -> tuple[str, list[object]]:
    parts: list[tuple[str, list[object]]] = [("s.title != '' AND s.position IS NOT NULL", [])]
    if query.always:
        parts.append((query.always, []))
    if filters.entities is not None:
        # A key per mention filters the joined mention row; a key per statement asks that one exist.
        per_mention = "entityIri" in query.variables
        parts.append(
            _among("m.entity", filters.entities)
            if per_mention
            else _held("s.id", "mention", "entity", filters.entities)
        )
    if filters.kinds is not None:
        parts.append(_among("s.kind", filters.kinds))
    if filters.forces is not None:
        parts.append(_held("s.id", "statement_force", "force", filters.forces))
    if filters.section is not None:
        parts.append(("INSTR(kg_lower(s.section), kg_lower(?)) > 0", [filters.section]))
    if filters.critical:
        kinds, args = _among("s.kind", CRITICAL_KINDS)
        parts.append((f"({kinds} OR s.negative = 1)", args))
    return " AND ".join(c for c, _ in parts), [a for _, args in parts for a in args]


def _links_where(query: KeyQuery, filters: KeyFilters) -> tuple[str, list[object]]:
    """Links whose ends are statements of titled publications, with the query's own conditions.

    The trail's members (its ``WITH`` clause) take the statements as their one argument; ``forces``
    are those the earlier end's publication is about.
    """
    where = ["se.title != ''", "sl.title != ''", query.always]
    args: list[object] = [json.dumps(list(filters.statements or ()))] if query.prefix else []
    if filters.forces is not None:
        condition, forces = _held("se.id", "publication_force", "force", filters.forces)
        where.append(condition)
        args.extend(forces)
    return " AND ".join(where), args


def add_functions(db: sqlite3.Connection) -> None:
    """SQL functions the key queries use: Unicode lower case, as SPARQL's ``LCASE`` (SQLite's is ASCII only)."""
    db.create_function("kg_lower", 1, _lower, deterministic=True)


def _lower(value: object) -> str | None:
    return value.lower() if isinstance(value, str) else None
