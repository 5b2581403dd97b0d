"""``kg search``: statements by words, ranked, a page at a time, on any store.

An embedded store's generation carries its word index (kg/store/search_index.py);
a dataset opened from it knows where that index is. A dataset without one
(in memory, or a SPARQL server whose build left no index beside this
machine's store) is searched by the documented fallback: the same words
matched in every statement's source quote by SPARQL, ranked by how often
they occur. The fallback gives the same statements, only slower.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from rdflib import Dataset, Literal
from rdflib.query import ResultRow

from kg.errors import QueryError
from kg.store.answers import answer
from kg.store.page_keys import KeyFilters, KeyLookup, KeyPage, page_keys
from kg.store.search_index import (
    MARK_END,
    MARK_START,
    SearchFilters,
    SearchHit,
    SearchIndex,
    SearchPage,
    attached_index,
    force_key,
    highlight,
    query_terms,
    snippet_of,
)

#: Rows a page holds unless the caller says otherwise.
DEFAULT_PAGE = 100


#: Open indexes, one per thread and file: an SQLite connection serves one thread, and a
#: connection kept open keeps its page cache (a new one per search doubled the time).
_OPEN = threading.local()


def _opened(path: Path) -> SearchIndex:
    cache: dict[Path, SearchIndex] = _OPEN.__dict__.setdefault("indexes", {})
    index = cache.get(path)
    if index is None:
        for old in list(cache):  # another generation's file: a build replaced it
            cache.pop(old).close()
        index = cache[path] = SearchIndex(path)
    return index


def index_of(dataset: Dataset) -> SearchIndex | None:
    """The word index of the dataset's generation, or None when it has none."""
    path = attached_index(dataset)
    return _opened(path) if path is not None else None


def search(
    dataset: Dataset,
    text: str,
    *,
    force: str | None = None,
    kind: str | None = None,
    programme: str | None = None,
    status: str | None = None,
    year: str | None = None,
    limit: int = DEFAULT_PAGE,
    offset: int = 0,
    use_index: bool = True,
) -> SearchPage:
    """Statements holding the words, best first: ``limit`` of them from ``offset``, with the total.

    ``use_index=False`` searches by the SPARQL scan even where an index
    exists (to compare the two, or when the index is in doubt).
    """
    filters = SearchFilters(force=force, kind=kind, programme=programme, status=status, year=year)
    return _search(dataset, text, filters, limit=limit, offset=offset, use_index=use_index)


def _search(
    dataset: Dataset, text: str, filters: SearchFilters, *, limit: int, offset: int, use_index: bool
) -> SearchPage:
    index = index_of(dataset) if use_index else None
    if index is not None:
        return index.search(text, limit=limit, offset=offset, **filters.as_arguments())
    return _scan(dataset, text, limit=limit, offset=offset, **filters.as_arguments())


def statements_with_words(dataset: Dataset, text: str) -> list[str] | None:
    """The IRIs of statements holding the words, from the index; None when the dataset has no index."""
    index = index_of(dataset)
    return None if index is None else index.statements(text)


def phrase_lookup(dataset: Dataset) -> Callable[[str, str], list[str]] | None:
    """A word lookup for named questions' text parameters, when the dataset's generation has an index.

    The text is read as one phrase whose last word may be cut short
    ("go miss" finds "go missing"), the nearest the index comes to the
    substring match the SPARQL lookup makes.
    """
    return _words_of(attached_index(dataset))


def _words_of(path: Path | None) -> Callable[[str, str], list[str]] | None:
    if path is None:
        return None
    found = path

    def words(text: str, column: str) -> list[str]:
        return _opened(found).phrase(text, column)

    return words


# -- the fallback: a SPARQL scan over source quotes ---------------------------------------------

_SCAN = """
PREFIX hmi: <https://w3id.org/hmi-kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?statement ?class ?publication ?force ?programme ?issued ?label ?exact
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?st), "/status/"); separator=" ") AS ?statuses)
WHERE {
  ?quote oa:exact ?exact .
  FILTER(STRENDS(STR(?quote), "/source/quote"))
  FILTER(CONTAINS(LCASE(STR(?exact)), LCASE(STR(?needle))))
  ?source oa:hasSelector ?quote . ?statement hmi:source ?source ; a ?class ; prov:wasDerivedFrom ?publication .
  FILTER(STRSTARTS(STR(?class), STR(hmi:)))
  OPTIONAL { ?statement rdfs:label ?label }
  OPTIONAL { ?statement hmi:aboutForce ?force }
  OPTIONAL { ?publication hmi:programme ?programme }
  OPTIONAL { ?publication dcterms:issued ?issued }
  OPTIONAL { ?statement hmi:latestStatus ?st }
}
GROUP BY ?statement ?class ?publication ?force ?programme ?issued ?label ?exact
"""

_WORD_RE = re.compile(r"\w+")


def _matches(terms: list[tuple[str, bool]], quote: str) -> int:
    """How often the terms occur in the quote as whole words (0 when any is missing)."""
    tokens = " ".join(_WORD_RE.findall(quote.lower()))
    total = 0
    for words, prefix in terms:
        pattern = r"(?<!\w)" + re.escape(words.lower()) + ("" if prefix else r"(?!\w)")
        found = len(re.findall(pattern, tokens))
        if not found:
            return 0
        total += found
    return total


def _scan(
    dataset: Dataset,
    text: str,
    *,
    force: str | None,
    kind: str | None,
    programme: str | None,
    status: str | None,
    year: str | None,
    limit: int,
    offset: int,
) -> SearchPage:
    if limit < 0 or offset < 0:
        raise QueryError("limit and offset must not be negative")
    terms = query_terms(text)
    # The longest term narrows the SPARQL scan; every term is then checked as whole words in Python.
    needle = max((w for w, _ in terms), key=len)
    sparql = _SCAN.replace("?needle", Literal(needle).n3(), 1)
    scored: list[tuple[int, SearchHit]] = []
    for row in answer(dataset, sparql):
        assert isinstance(row, ResultRow)
        quote = str(row.exact)
        score = _matches(terms, quote)
        hit_kind = str(row["class"]).rsplit("#", 1)[-1]
        hit_force = str(row.force or "")
        hit_programme = str(row.programme or "")
        hit_year = str(row.issued or "")[:4]
        statuses = tuple(sorted(str(row.statuses or "").split()))
        if not score:
            continue
        if kind and kind.lower() != hit_kind.lower():
            continue
        if force and force_key(force) not in hit_force.lower():
            continue
        if programme and programme.lower() not in hit_programme.lower():
            continue
        if year and year != hit_year:
            continue
        if status and status.strip().replace(" ", "-").lower() not in {s.lower() for s in statuses}:
            continue
        scored.append(
            (
                score,
                SearchHit(
                    statement=str(row.statement),
                    publication=str(row.publication),
                    kind=hit_kind,
                    force=hit_force,
                    programme=hit_programme,
                    year=hit_year,
                    statuses=statuses,
                    label=str(row.label or ""),
                    snippet=snippet_of(quote, terms),
                    score=-float(score),
                ),
            )
        )
    scored.sort(key=lambda s: (-s[0], s[1].statement))
    hits = tuple(h for _, h in scored[offset : offset + limit])
    return SearchPage(query=text, total=len(scored), offset=offset, limit=limit, hits=hits)


def _store_index(store: Path | str) -> Path | None:
    """The index file of an embedded store's current generation, if it has one."""
    from kg.store.generations import current_generation
    from kg.store.search_index import index_path

    if isinstance(store, str) and store.lower().startswith(("http://", "https://")):
        return None
    generation = current_generation(Path(store))
    if generation is None or not index_path(generation).is_file():
        return None
    return index_path(generation)


def search_store(
    store: Path | str,
    text: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = DEFAULT_PAGE,
    offset: int = 0,
) -> SearchPage:
    """``search`` on a store by its location, reading the current generation's index directly.

    For a long-lived reader (``kg serve``): the index of whichever generation
    is current at the call, without opening the graph; a store with no index
    (a SPARQL endpoint) is opened and searched by the SPARQL scan.
    """
    filters = filters or SearchFilters()
    path = _store_index(store)
    if path is not None:
        return _opened(path).search(text, limit=limit, offset=offset, **filters.as_arguments())
    from kg.store.generations import open_dataset

    return _search(open_dataset(store), text, filters, limit=limit, offset=offset, use_index=True)


def key_lookup(dataset: Dataset) -> KeyLookup | None:
    """The page keys of keyed named questions (kg/store/page_keys.py), when the dataset's generation has an index."""
    return _keys_of(attached_index(dataset))


def store_key_lookup(store: Path | str) -> KeyLookup | None:
    """``key_lookup`` for a store by its location (the current generation's index), or None."""
    return _keys_of(_store_index(store))


def _keys_of(path: Path | None) -> KeyLookup | None:
    if path is None:
        return None
    found = path

    def keys(name: str, filters: KeyFilters, limit: int | None, offset: int) -> KeyPage:
        return page_keys(_opened(found).connection, name, filters, limit=limit, offset=offset)

    return keys


def store_phrase_lookup(store: Path | str) -> Callable[[str, str], list[str]] | None:
    """``phrase_lookup`` for a store by its location (the current generation's index), or None."""
    return _words_of(_store_index(store))


def plain_snippet(snippet: str) -> str:
    """A hit's snippet as plain text: match marks dropped, white space collapsed."""
    return " ".join(highlight(snippet, "", "").split())


def search_json(page: SearchPage, *, link: Callable[[str], str] | None = None) -> dict[str, object]:
    """A page of hits as JSON: each hit's snippet plain and with matched words in [brackets]."""
    hits = []
    for h in page.hits:
        hit: dict[str, object] = {
            **asdict(h),
            "snippet": plain_snippet(h.snippet),
            "marked": highlight(h.snippet, "[", "]"),
        }
        hit["parts"] = snippet_parts(h.snippet)
        if link is not None:
            hit["page"] = link(h.statement)
        hits.append(hit)
    return {"query": page.query, "total": page.total, "offset": page.offset, "limit": page.limit, "hits": hits}


def snippet_parts(snippet: str) -> list[list[object]]:
    """The snippet as [text, matched] pairs, for clients that mark matches without parsing markup."""
    out: list[list[object]] = []
    for n, piece in enumerate(snippet.split(MARK_START)):
        if n == 0:
            out.append([piece, False])
            continue
        matched, _, rest = piece.partition(MARK_END)
        out += [[matched, True], [rest, False]]
    return [p for p in out if p[0]]
