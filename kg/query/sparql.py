"""Query: run SPARQL, named or ad hoc, with user values passed only as bindings.

Named questions live in ``kg/queries/NAME.rq``; each starts with comment
lines ``# summary: ...`` and ``# param: NAME - description`` declaring the
variables a user may bind. A value enters the query text only as a term
written by :mod:`kg.query.sparql_terms`, so it is always data. Every query runs
under its dataset's :class:`kg.query.guard.QueryPolicy`: no ``SERVICE`` to
another address, and a time limit.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.query import Result, ResultRow

from kg.errors import QueryError
from kg.query.deadline import within
from kg.query.guard import check_services, policy_of
from kg.query.sparql_terms import string_literal
from kg.resources import queries_dir
from kg.store.answers import answer
from kg.store.page_keys import KEYS, KeyFilters, KeyLookup, KeyPage

_PARAM_RE = re.compile(r"^#\s*param:\s*(\w+)\s*-\s*(.+)$", re.MULTILINE)
_SUMMARY_RE = re.compile(r"^#\s*summary:\s*(.+)$", re.MULTILINE)
_ROWS_RE = re.compile(r"^#\s*rows:\s*one per \?(\w+)\b", re.MULTILINE)
_KEYS_RE = re.compile(r"^#\s*keys:\s*([\w-]+)", re.MULTILINE)

#: The variable a question that has one row per looked-up node orders its rows by (see ``NamedQuery.rows_per``).
LOOKUP_RANK = "lookupRank"


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedQuery:
    """A named question: its file, summary, parameters and SPARQL text."""

    name: str
    summary: str
    params: dict[str, str]
    text: str
    #: ``# rows: one per ?var``: the question answers one row per node its lookup of ``?var`` finds, in
    #: the lookup's order (``?lookupRank``). A page is then cut from the looked-up nodes before the
    #: question runs, and the total is how many were found: no row beyond the page is ever read.
    rows_per: str | None = None
    #: ``# keys: NAME``: the word index lists the question's row keys in its order
    #: (``kg.store.page_keys.KEYS[NAME]``), so a page is cut there and only its keys are bound.
    keys: str | None = None


def load_named(name: str) -> NamedQuery:
    """Read ``kg/queries/<name>.rq``; an unknown name lists the known ones."""
    path = queries_dir() / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
        known = ", ".join(q.name for q in list_named())
        raise QueryError(f"no named query {name!r}; known: {known}")
    return _parse(path)


def _parse(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    summary = _SUMMARY_RE.search(text)
    rows = _ROWS_RE.search(text)
    keys = _KEYS_RE.search(text)
    if keys is not None and keys.group(1) not in KEYS:
        raise QueryError(f"{path.name}: no key query {keys.group(1)!r}; known: {', '.join(KEYS)}")
    return NamedQuery(
        name=path.stem,
        summary=summary.group(1).strip() if summary else "",
        params={m.group(1): m.group(2).strip() for m in _PARAM_RE.finditer(text)},
        text=text,
        rows_per=rows.group(1) if rows else None,
        keys=keys.group(1) if keys else None,
    )


def list_named() -> list[NamedQuery]:
    """Every named question, sorted by name."""
    return [_parse(p) for p in sorted(queries_dir().glob("*.rq"))]


def bind_values(sparql: str, bindings: dict[str, str]) -> str:
    """Bind variables with an inline ``VALUES`` block at the top of every WHERE clause.

    This is how SPARQL itself binds values, and it behaves the same on every
    store (rdflib's memory store, Oxigraph, a remote endpoint). Each value
    is written by :func:`kg.query.sparql_terms.string_literal`, so no value can
    change the query's shape. Sub-queries get the block too: they do not see the outer
    query's variables, and a question may narrow a sub-query first (say, the
    statements whose text contains the words) so the rest joins on few rows.
    """
    if not bindings:
        return sparql
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(string_literal(v) for v in bindings.values())
    return _insert_after_where(sparql, f"VALUES ({names}) {{ ({values}) }}")


def _insert_after_where(sparql: str, block: str, variable: str | None = None) -> str:
    """``sparql`` with ``block`` at the top of every WHERE clause (with ``variable``: of those that use it).

    A ``VALUES`` of many rows in a sub-query that never uses its variable
    would multiply that sub-query's rows by as many: a lookup's nodes go only
    where their variable is.
    """
    masked = mask_literals(sparql)
    wheres = list(re.finditer(r"\bWHERE\s*\{", masked, re.I)) or list(re.finditer(r"\{", masked))[:1]
    if not wheres:
        raise QueryError("cannot bind parameters: the query has no WHERE { ... } clause")
    if variable is not None:
        uses = re.compile(rf"[?$]{variable}\b")
        wheres = [w for w in wheres if uses.search(masked, w.end(), _closing_brace(masked, w.end() - 1))]
    out, last = [], 0
    for where in wheres:
        out += [sparql[last : where.end()], f"\n  {block}\n"]
        last = where.end()
    return "".join(out) + sparql[last:]


def _closing_brace(masked: str, opening: int) -> int:
    """Where the group opened at ``opening`` closes (the text's end when it never does)."""
    depth = 0
    for n in range(opening, len(masked)):
        if masked[n] == "{":
            depth += 1
        elif masked[n] == "}":
            depth -= 1
            if depth == 0:
                return n
    return len(masked)


#: IRIs, string literals and comments, in one pass (a "#" may sit in any of them).
_TOKENS_TO_MASK = re.compile(r'<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')


def mask_literals(sparql: str) -> str:
    """The query with comments and string literals blanked out (same length), for finding keywords."""
    return _TOKENS_TO_MASK.sub(lambda m: " " * len(m.group(0)), sparql)


_CONDITION_RE = re.compile(r"^(.*?)#\s*(if|unless):\s*(\w+)\s*$")


def select_lines(sparql: str, bound: set[str], undecided: frozenset[str] = frozenset()) -> str:
    """Drop the lines marked ``# if: NAME`` whose parameter NAME is not given (``# unless: NAME``: is given).

    Lines whose NAME is ``undecided`` are kept, marks and all, for a later pass
    (whether a page's keys are bound is known only after the lookups).

    A named question joins on an optional parameter only when it is given
    (``?statement hmi:aboutForce ?forceIri .  # if: force``): a join the
    engine can plan on an index, where ``FILTER(!BOUND(?force) || EXISTS
    {...})`` is evaluated row by row.
    """
    lines = []
    for line in sparql.splitlines():
        m = _CONDITION_RE.match(line)
        if m and m.group(3) not in undecided and (m.group(3) in bound) != (m.group(2) == "if"):
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


_LOOKUP_PREFIXES = """PREFIX hmi: <https://w3id.org/hmi-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


_IRI_N3 = re.compile(r"<[^<>\"{}|^`\\\s]*>")


@dataclass(frozen=True, slots=True)
class Lookup:
    """How a question's text parameter becomes graph nodes before the question runs.

    ``?value`` in the queries stands for the user's text. It is written in
    as a literal (:func:`kg.query.sparql_terms.string_literal`), so it cannot change the
    query's shape; a constant also lets Oxigraph lower-case it once, where a
    ``VALUES`` binding is re-read for every row (a quote scan took 2.8 s
    instead of 0.8 s at 1,000 reports). With ``by_iri``, a value that is an
    IRI is looked up as a node instead of as words.
    """

    param: str
    query: str
    by_iri: str | None = None
    #: The word-index column (kg/store/search_index.py) that answers this lookup when the store has an index.
    words_column: str | None = None

    def sparql(self, value: str) -> str:
        """The lookup query for one user value."""
        if self.by_iri is not None and is_node_value(value):
            return _substitute(_LOOKUP_PREFIXES + self.by_iri, "value", f"<{value.strip()}>")
        return _substitute(_LOOKUP_PREFIXES + self.query, "value", string_literal(value))


def is_node_value(value: str) -> bool:
    """Whether a user's value names a node by its absolute IRI rather than giving words.

    Only http(s) IRIs count: a single word such as ``Sleuth`` is also a
    well-formed relative IRI, and reading it as one sent every one-word
    lookup past the word index to a scan of every quote.
    """
    iri = f"<{value.strip()}>"
    return iri.startswith(("<http://", "<https://")) and _IRI_N3.fullmatch(iri) is not None


#: Variables a question may join on as graph nodes, keyed by variable name:
#: the text a user gives (a force by any of its names, a statement kind by
#: its class name, words of a statement) is looked up once, and the nodes
#: found are bound to the variable. Joining on a few known nodes is an
#: index lookup; matching the text row by row inside the question made
#: Oxigraph scan the whole graph for every row it joined (docs/decisions/0805-query-lookups-and-conditional-lines.md).
LOOKUPS: dict[str, Lookup] = {
    "forceIri": Lookup(
        "force",
        """SELECT DISTINCT ?node WHERE { ?node a hmi:PoliceForce ; skos:prefLabel|skos:altLabel ?label .
        FILTER(CONTAINS(LCASE(STR(?label)), LCASE(STR(?value)))) }""",
    ),
    "entityIri": Lookup(
        "entity",
        """SELECT DISTINCT ?node WHERE { ?node skos:prefLabel|skos:altLabel ?label .
        FILTER(LCASE(STR(?label)) = LCASE(STR(?value))) }""",
    ),
    "kindClass": Lookup(
        "kind",
        """SELECT DISTINCT ?node WHERE { ?node rdfs:subClassOf hmi:Statement .
        FILTER(LCASE(STRAFTER(STR(?node), "#")) = LCASE(STR(?value))) }""",
    ),
    # Every statement whose text (its label) holds the words; or the statement with that IRI.
    "labelledIri": Lookup(
        "statementText",
        """SELECT DISTINCT ?node WHERE { ?node rdfs:label ?label ; prov:wasDerivedFrom ?publication .
        FILTER(CONTAINS(LCASE(STR(?label)), LCASE(STR(?value)))) }""",
        by_iri="SELECT DISTINCT ?node WHERE { ?node rdfs:label ?label ; prov:wasDerivedFrom ?publication . "
        "FILTER(?node = ?value) }",
        words_column="label",
    ),
    # Every statement whose source quote holds the words; or the statement with that IRI.
    "quotedIri": Lookup(
        "statementText",
        """SELECT DISTINCT ?node WHERE { ?quote oa:exact ?exact .
        FILTER(STRENDS(STR(?quote), "/source/quote"))
        FILTER(CONTAINS(LCASE(STR(?exact)), LCASE(STR(?value))))
        ?source oa:hasSelector ?quote . ?node hmi:source ?source . }""",
        by_iri="SELECT DISTINCT ?node WHERE { ?node hmi:source ?source . FILTER(?node = ?value) }",
        words_column="quote",
    ),
}


def prepare(dataset: Dataset, sparql: str, bindings: dict[str, str], *, rows_per: str | None = None) -> str:
    """The query text to run: conditional lines chosen, looked-up nodes and values bound.

    ``rows_per``: the question's one-row-per-node lookup (``NamedQuery.rows_per``), bound with its order.
    """
    return prepare_page(dataset, sparql, bindings, rows_per=rows_per).text


def prepare_page(
    dataset: Dataset,
    sparql: str,
    bindings: dict[str, str],
    *,
    rows_per: str | None = None,
    keys: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> PreparedQuestion:
    """``prepare``, keeping a window of the ``rows_per`` lookup's nodes or of the ``keys`` (see ``prepare_window``)."""

    def lookup(query: str) -> list[str]:
        rows = answer(dataset, query)
        return [row[0].n3() for row in rows if isinstance(row, ResultRow) and isinstance(row[0], URIRef)]

    from kg.query.search import key_lookup, phrase_lookup

    return prepare_window(
        lookup,
        sparql,
        bindings,
        words=phrase_lookup(dataset),
        rows_per=rows_per,
        keyed=(keys, key_lookup(dataset)) if keys is not None else None,
        limit=limit,
        offset=offset,
    )


@dataclass(frozen=True, slots=True)
class PreparedQuestion:
    """A question's text to run, and, for a question with one row per looked-up node, how many were found."""

    text: str
    #: Nodes the ``rows_per`` lookup found, or keys the index listed (the whole answer's rows);
    #: None when the question is run whole and windowed.
    found: int | None = None


def prepare_window(
    lookup: Callable[[str], list[str]],
    sparql: str,
    bindings: dict[str, str],
    *,
    words: Callable[[str, str], list[str]] | None = None,
    rows_per: str | None = None,
    keyed: tuple[str, KeyLookup | None] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> PreparedQuestion:
    """``prepare``, with the lookups run by ``lookup`` (a SELECT of ``?node`` -> the nodes as N3 IRIs).

    ``words(text, column)``, where the store has a word index, answers the
    lookups by words (statement IRIs whose column holds the words) instead of
    a scan of every quote. The SPARQL server runs its lookups in its query
    workers, like any query. For the lookup of ``?rows_per``, only the nodes
    from ``offset`` (``limit`` of them) are kept.

    Those nodes are bound with their place in the lookup's order as
    ``?lookupRank``, which the question orders by, so pages cut here follow
    one another exactly as the whole answer's rows do.

    ``keyed``: the question's ``# keys:`` name and the index's key lookup
    (None when the store has no index). With both, and a page asked for,
    the index lists the page's row keys from the other lookups' nodes and the
    question's filters (:func:`key_filters`), and they are bound in the same
    way; a whole answer, or a store with no index, runs the question whole.
    """
    text = select_lines(sparql, set(bindings), undecided=frozenset({KEYED}))
    masked = mask_literals(text)
    found = None
    looked_up: dict[str, list[str]] = {}
    for variable, spec in LOOKUPS.items():
        param = spec.param
        if param in bindings and re.search(rf"\?{variable}\b", masked):
            looked_up[variable] = _look_up(spec, bindings[param], lookup, words)
    keys = keyed[1] if keyed is not None else None
    filters = key_filters(looked_up, bindings)
    key_page = None
    if keyed is not None and keys is not None and limit is not None and KEYS[keyed[0]].applies(filters):
        key_page = keys(keyed[0], filters, limit, offset)
        found = key_page.total
    # Lines for a page whose keys are bound (``# if: keyed``) or for the question run whole (``# unless: keyed``:
    # the trail's walk from its statements to their links, which the keys stand for).
    text = select_lines(text, {*bindings, KEYED} if key_page is not None else set(bindings))
    masked = mask_literals(text)
    for variable, iris in looked_up.items():
        if not re.search(rf"[?$]{variable}\b", masked):
            continue  # only keyed lines used it
        nodes = [f"<{iri}>" for iri in iris]
        if variable == rows_per:
            found = len(nodes)
            end = None if limit is None else offset + limit
            ranked = " ".join(f"({node} {rank})" for rank, node in enumerate(nodes[offset:end], start=offset))
            text = _insert_after_where(text, f"VALUES (?{variable} ?{LOOKUP_RANK}) {{ {ranked} }}", variable)
        elif len(nodes) == 1 and _substitutable(masked, variable):
            text = _substitute(text, variable, nodes[0])
        else:
            text = _insert_after_where(text, f"VALUES ?{variable} {{ {' '.join(nodes)} }}", variable)
        masked = mask_literals(text)
    if key_page is not None and keyed is not None:
        text = _bind_keys(text, KEYS[keyed[0]].variables, key_page, offset)
    return PreparedQuestion(bind_values(text, bindings), found)


#: The name a keyed question's ``# if: keyed`` / ``# unless: keyed`` lines test: given when its keys are bound.
KEYED = "keyed"


def _look_up(
    spec: Lookup, value: str, lookup: Callable[[str], list[str]], words: Callable[[str, str], list[str]] | None
) -> list[str]:
    """The IRIs of the nodes one lookup finds for a user's value, sorted (by the word index where it can)."""
    by_words = words is not None and spec.words_column is not None and not is_node_value(value)
    try:
        if by_words:
            assert words is not None and spec.words_column is not None
            nodes = sorted({f"<{iri}>" for iri in words(value, spec.words_column)})
        else:
            nodes = sorted(set(lookup(spec.sparql(value))))
    except QueryError:
        raise
    except Exception as e:  # parsers of rdflib and Oxigraph raise their own types
        raise QueryError(f"could not look up {spec.param} {value!r}: {e}") from e
    if any(not _IRI_N3.fullmatch(n) for n in nodes):
        raise QueryError(f"the lookup of {spec.param} returned something that is not an IRI")
    return [n[1:-1] for n in nodes]


def key_filters(looked_up: dict[str, list[str]], bindings: dict[str, str]) -> KeyFilters:
    """The index filters of a keyed question, from its lookups' nodes and its parameters.

    A keyed question gives these variables and parameters the one meaning
    the key queries know (kg/store/page_keys.py): ``?entityIri`` what its
    statements mention, ``?labelledIri`` the statements whose trail it
    follows, ``?kindClass`` their class, ``?forceIri`` the force they are
    about; ``section`` part of their section's title; ``critical`` (any
    value) only criticism.
    """
    kinds = looked_up.get("kindClass")
    return KeyFilters(
        entities=tuple(looked_up["entityIri"]) if "entityIri" in looked_up else None,
        statements=tuple(looked_up["labelledIri"]) if "labelledIri" in looked_up else None,
        kinds=tuple(k.rpartition("#")[2] for k in kinds) if kinds is not None else None,
        forces=tuple(looked_up["forceIri"]) if "forceIri" in looked_up else None,
        section=bindings.get("section"),
        critical="critical" in bindings,
    )


def _bind_keys(text: str, variables: tuple[str, ...], page: KeyPage, offset: int) -> str:
    """``text`` with the page's keys bound in a ``VALUES`` block, each with its rank (``?lookupRank``).

    A key variable a lookup already wrote in as its one node is left out:
    the question has no such variable any more, and the key's value is that node.
    """
    masked = mask_literals(text)
    kept = [n for n, v in enumerate(variables) if re.search(rf"[?$]{v}\b", masked)]
    rows = []
    for rank, key in enumerate(page.keys, start=offset):
        terms = ["UNDEF" if key[n] is None else f"<{key[n]}>" for n in kept]
        if any(t != "UNDEF" and not _IRI_N3.fullmatch(t) for t in terms):
            raise QueryError("the word index returned a key that is not an IRI; build the graph again")
        rows.append(f"({' '.join(terms)} {rank})")
    names = " ".join(f"?{variables[n]}" for n in kept)
    first = variables[kept[0]] if kept else None
    return _insert_after_where(text, f"VALUES ({names} ?{LOOKUP_RANK}) {{ {' '.join(rows)} }}", first)


def _substitutable(masked: str, variable: str) -> bool:
    """Whether ``?variable`` occurs only where a constant may stand (not projected, bound-tested or assigned)."""
    v = rf"[?$]{variable}\b"
    return not (
        re.search(rf"\bSELECT\b[^{{]*{v}", masked, re.I)
        or re.search(rf"\bBOUND\s*\(\s*{v}", masked, re.I)
        or re.search(rf"\bAS\s+{v}", masked, re.I)
        or re.search(rf"\bVALUES\b[^{{]*{v}", masked, re.I)
    )


def _substitute(sparql: str, variable: str, iri: str) -> str:
    """``sparql`` with the one looked-up node written in place of ``?variable``.

    Oxigraph plans a join on a constant from the index's statistics; the
    same node given in ``VALUES`` is planned as if unknown, and a question
    on one force or kind took 3-10x longer at 1,000 reports.
    """
    masked = mask_literals(sparql)
    out, last = [], 0
    for m in re.finditer(rf"[?$]{variable}\b", masked):
        out += [sparql[last : m.start()], iri]
        last = m.end()
    return "".join(out) + sparql[last:]


def run(
    dataset: Dataset, sparql: str, bindings: dict[str, str] | None = None, *, max_rows: int | None = None
) -> Result:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query; values bound as literals.

    The query runs under the dataset's policy (:func:`kg.query.guard.policy_of`):
    ``SERVICE`` is refused unless its endpoint is allowed, and the whole call,
    reading every row included, is stopped at the time limit.

    Args:
        dataset: The graph.
        sparql: The query.
        bindings: Values for ``?name`` variables, bound as string literals.
        max_rows: Read at most this many rows plus one (so a caller can tell the
            answer was longer); the engine is not asked for the rest.

    Raises:
        QueryError: the query is malformed or an update, or a binding name is not a variable name.
        ServiceRefused: the query names an endpoint with ``SERVICE``.
        QueryTimeout: the query ran past the time limit.
    """
    if re.search(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", _strip_prologue(sparql), re.I):
        raise QueryError("this is a SPARQL update; kg query only reads the graph")
    policy = policy_of(dataset)
    check_services(sparql, policy.allow_service, dataset_prefixes(dataset))
    text = bind_values(sparql, bindings or {})
    return within(policy.timeout, "the query", lambda: execute(dataset, text, max_rows))


def dataset_prefixes(dataset: Dataset) -> tuple[tuple[str, str], ...]:
    """The dataset's bound prefixes, sorted (a query may use them without declaring them)."""
    return tuple(sorted((prefix, str(namespace)) for prefix, namespace in dataset.namespaces()))


def execute(dataset: Dataset, text: str, max_rows: int | None = None) -> Result:
    """Run ``text`` and read its answer (at most ``max_rows`` + 1 rows), so all the work is done here."""
    try:
        result = answer(dataset, text)
        if result.type == "SELECT":
            if max_rows is None:
                result.bindings = result.bindings  # reads every row now, inside the time limit
            else:
                # Rows are read lazily: stop asking the engine once one past the limit has come.
                rows = list(itertools.islice(result, max_rows + 1))
                names = list(result.vars or [])
                kept = [
                    {v: value for v, value in zip(names, row, strict=True) if value is not None}
                    for row in rows
                    if isinstance(row, ResultRow)
                ]
                # Handed over as a generator: rdflib's setter then drops the engine's half-read one,
                # which its getter would otherwise read to the end.
                result.bindings = (b for b in kept)
        return result
    except QueryError:
        raise
    except Exception as e:  # parsers of rdflib and Oxigraph raise their own types
        raise QueryError(f"the query failed: {e}") from e


def run_named(dataset: Dataset, name: str, params: dict[str, str]) -> Result:
    """Run a named question with the given parameter values, under the dataset's time limit."""
    query = load_named(name)
    unknown = set(params) - set(query.params)
    if unknown:
        allowed = ", ".join(query.params) or "none"
        raise QueryError(f"query {name!r} takes no parameter {', '.join(sorted(unknown))}; it takes: {allowed}")
    policy = policy_of(dataset)
    check_services(query.text, policy.allow_service, dataset_prefixes(dataset))
    # The look-ups and the question share one limit: the caller waits for both.
    return within(
        policy.timeout,
        f"the question {name!r}",
        lambda: execute(dataset, prepare(dataset, query.text, params, rows_per=query.rows_per)),
    )


def rows_as_text(result: Result) -> list[dict[str, str]]:
    """SELECT rows as plain dicts of strings ("" where a variable is unbound)."""
    out: list[dict[str, str]] = []
    for row in result:
        if not isinstance(row, ResultRow):
            raise QueryError("expected a SELECT result")
        out.append({k: ("" if row[k] is None else str(row[k])) for k in row.labels})
    return out


def _strip_prologue(sparql: str) -> str:
    lines = [ln for ln in sparql.splitlines() if not ln.strip().startswith("#")]
    body = "\n".join(lines)
    return re.sub(r"^\s*((PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", "", body, flags=re.I)


def format_result(result: Result, fmt: str) -> str:
    """Serialise a result: SPARQL 1.1 CSV/JSON results, or a readable table.

    CONSTRUCT and DESCRIBE results are graphs: Turtle for ``table``,
    JSON-LD for ``json``.
    """
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        if fmt == "csv":
            raise QueryError("a CONSTRUCT/DESCRIBE result is a graph; use --format table (Turtle) or json (JSON-LD)")
        return str(result.graph.serialize(format="json-ld" if fmt == "json" else "turtle"))
    if fmt == "json":
        return json.dumps(json.loads(result.serialize(format="json") or b"{}"), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        if result.type == "ASK":
            return f"boolean\r\n{str(bool(result.askAnswer)).lower()}\r\n"
        buf = io.BytesIO()
        result.serialize(buf, format="csv")
        return buf.getvalue().decode("utf-8")
    if result.type == "ASK":
        return ("yes" if result.askAnswer else "no") + "\n"
    return _table(result)


def _table(result: Result) -> str:
    names = [str(v) for v in (result.vars or [])]
    rows = [["" if row[i] is None else str(row[i]) for i in range(len(names))] for row in result]  # type: ignore[index]
    widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]

    def cut(value: str, width: int) -> str:
        value = " ".join(value.split())
        return value if len(value) <= width else value[: width - 1] + "…"

    lines = ["  ".join(cut(n, w).ljust(w) for n, w in zip(names, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(cut(c, w).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
