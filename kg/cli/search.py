"""``kg search``: statements by words, ranked, with the matched words marked (kg/query/search.py)."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import click

from kg.errors import KGError
from kg.store.search_index import MARK_END, MARK_START, SearchPage, highlight


def _plain(snippet: str) -> str:
    return " ".join(highlight(snippet, "", "").split())


def search_json(page: SearchPage, *, link: Callable[[str], str] | None = None) -> dict[str, object]:
    """A page of hits as JSON: each hit's snippet plain and with matched words in [brackets]."""
    hits = []
    for h in page.hits:
        hit: dict[str, object] = {**asdict(h), "snippet": _plain(h.snippet), "marked": highlight(h.snippet, "[", "]")}
        hit["parts"] = _parts(h.snippet)
        if link is not None:
            hit["page"] = link(h.statement)
        hits.append(hit)
    return {"query": page.query, "total": page.total, "offset": page.offset, "limit": page.limit, "hits": hits}


def _parts(snippet: str) -> list[list[object]]:
    """The snippet as [text, matched] pairs, for clients that mark matches without parsing markup."""
    out: list[list[object]] = []
    for n, piece in enumerate(snippet.split(MARK_START)):
        if n == 0:
            out.append([piece, False])
            continue
        matched, _, rest = piece.partition(MARK_END)
        out += [[matched, True], [rest, False]]
    return [p for p in out if p[0]]


def render_page(page: SearchPage, fmt: str, *, colour: bool) -> str:
    """A page of hits as text (matched words in bold on a terminal, else in [brackets]), CSV or JSON."""
    if fmt == "json":
        return json.dumps(search_json(page), indent=1, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["statement", "kind", "force", "programme", "year", "statuses", "snippet"])
        for h in page.hits:
            statuses = " ".join(h.statuses)
            writer.writerow([h.statement, h.kind, h.force, h.programme, h.year, statuses, _plain(h.snippet)])
        return out.getvalue()
    start, end = ("\x1b[1m", "\x1b[0m") if colour else ("[", "]")
    shown = f"{page.offset + 1}-{page.offset + len(page.hits)}" if page.hits else "none"
    lines = [f"{page.total} statement(s) match {page.query!r}; showing {shown}."]
    for n, h in enumerate(page.hits, start=page.offset + 1):
        where = ", ".join(x for x in (h.force.rsplit("/", 1)[-1], h.programme, h.year) if x)
        status = f"  [{', '.join(h.statuses)}]" if h.statuses else ""
        lines.append(f"{n:>4}. {h.kind} ({where}){status}")
        text = " ".join(h.snippet.replace("\x1b", "").split())
        lines.append(f"      {highlight(text, start, end)}")
        lines.append(f"      {h.statement}")
    if page.offset + len(page.hits) < page.total:
        lines.append(f"More: --offset {page.offset + len(page.hits)}")
    return "\n".join(lines) + "\n"


@click.command()
@click.argument("words")
@click.option(
    "--store",
    "store",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Store directory (default: $KG_STORE or ./build/store).",
)
@click.option("--force", help="Only statements about this force (part of its name, e.g. Durham).")
@click.option("--kind", help="Only this kind of statement (Finding, AreaForImprovement, Recommendation...).")
@click.option("--programme", help="Only publications of this programme (part of its name, e.g. PEEL).")
@click.option("--status", help="Only statements whose latest follow-up status is this (e.g. progress-reported).")
@click.option("--year", help="Only publications of this year.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True, help="Hits a page.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Hits to skip.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
def search(
    words: str,
    store: Path | None,
    force: str | None,
    kind: str | None,
    programme: str | None,
    status: str | None,
    year: str | None,
    limit: int,
    offset: int,
    fmt: str,
) -> None:
    """Find statements by words, best match first.

    All words must occur; "a phrase" in double quotes must occur as written;
    word* matches every word that starts so. The search uses the word index
    the build wrote beside the graph.

    \b
    Examples:
        kg search "missing children"
        kg search '"go missing"' --force Durham --kind AreaForImprovement
        kg search 'safeguard*' --format json --limit 100
    """
    from kg.cli.main import KGClickError, _resolve_store
    from kg.query.search import search as run_search
    from kg.store.generations import open_dataset

    try:
        page = run_search(
            open_dataset(_resolve_store(store)),
            words,
            force=force,
            kind=kind,
            programme=programme,
            status=status,
            year=year,
            limit=limit,
            offset=offset,
        )
    except KGError as e:
        raise KGClickError(str(e)) from e
    click.echo(render_page(page, fmt, colour=sys.stdout.isatty()), nl=False)


__all__ = ["MARK_END", "MARK_START", "render_page", "search"]
