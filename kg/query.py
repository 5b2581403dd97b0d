"""Query: run SPARQL, named or ad hoc, with user values passed only as bindings.

Named questions live in ``kg/queries/NAME.rq``; each starts with comment
lines ``# summary: ...`` and ``# param: NAME - description`` declaring the
variables a user may bind. Values never enter the query text.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal
from rdflib.query import Result, ResultRow

from kg.errors import QueryError
from kg.resources import queries_dir

_PARAM_RE = re.compile(r"^#\s*param:\s*(\w+)\s*-\s*(.+)$", re.MULTILINE)
_SUMMARY_RE = re.compile(r"^#\s*summary:\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedQuery:
    """A named question: its file, summary, parameters and SPARQL text."""

    name: str
    summary: str
    params: dict[str, str]
    text: str


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
    return NamedQuery(
        name=path.stem,
        summary=summary.group(1).strip() if summary else "",
        params={m.group(1): m.group(2).strip() for m in _PARAM_RE.finditer(text)},
        text=text,
    )


def list_named() -> list[NamedQuery]:
    """Every named question, sorted by name."""
    return [_parse(p) for p in sorted(queries_dir().glob("*.rq"))]


def bind_values(sparql: str, bindings: dict[str, str]) -> str:
    """Bind variables with an inline ``VALUES`` block at the top of the WHERE clause.

    This is how SPARQL itself binds values, and it behaves the same on every
    store (rdflib's memory store, Oxigraph, a remote endpoint). Each value
    is written by rdflib as an escaped literal, so no value can change the
    query's shape.
    """
    if not bindings:
        return sparql
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
    masked = re.sub(r"#[^\n]*", lambda m: " " * len(m.group(0)), sparql)
    where = re.search(r"\bWHERE\s*\{", masked, re.I) or re.search(r"\{", masked)
    if where is None:
        raise QueryError("cannot bind parameters: the query has no WHERE { ... } clause")
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(Literal(v).n3() for v in bindings.values())
    return f"{sparql[: where.end()]}\n  VALUES ({names}) {{ ({values}) }}\n{sparql[where.end() :]}"


def run(dataset: Dataset, sparql: str, bindings: dict[str, str] | None = None) -> Result:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query; values bound as literals."""
    if re.search(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", _strip_prologue(sparql), re.I):
        raise QueryError("this is a SPARQL update; kg query only reads the graph")
    text = bind_values(sparql, bindings or {})
    try:
        return dataset.query(text)
    except Exception as e:  # parsers of rdflib and Oxigraph raise their own types
        raise QueryError(f"the query failed: {e}") from e


def run_named(dataset: Dataset, name: str, params: dict[str, str]) -> Result:
    """Run a named question with the given parameter values."""
    query = load_named(name)
    unknown = set(params) - set(query.params)
    if unknown:
        allowed = ", ".join(query.params) or "none"
        raise QueryError(f"query {name!r} takes no parameter {', '.join(sorted(unknown))}; it takes: {allowed}")
    return run(dataset, query.text, params)


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
