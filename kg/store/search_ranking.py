"""The ranking half of the word index: a Tantivy index of the statements' words, beside the SQLite file.

SQLite's FTS5 computes BM25 for every statement that matches before it can
sort them: about 6 µs a statement, so a broad word ("missing", matched by a
quarter of the statements at 1,000 reports) took 100 ms a search. Tantivy
scores the same matches in well under a millisecond, so the ranked first
page and the total come from here, and the SQLite file keeps what it is good
at: the rows, facets and statuses that a page shows and an update replaces
(docs/decisions/1140-ranking-with-tantivy.md).

One Tantivy document per statement: its quote, label and entity names as
words (the same three columns the SQLite index holds, weighted 1 : 0.5 :
0.5), and its IRI, graph, kind, force, programme and year as exact terms to
delete and filter by. Words are split on anything not a letter or digit,
lower-cased and folded to ASCII, as the SQLite index's ``unicode61
remove_diacritics`` tokenizer does, so both find the same statements.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import tantivy
from tantivy import Occur, Query

#: Word columns and their weights in the rank (words in the quote count most).
WORD_FIELDS: tuple[tuple[str, float], ...] = (("quote", 1.0), ("label", 0.5), ("entities", 0.5))
#: Exact-term columns: what updates delete by and filters select on.
TERM_FIELDS = ("iri", "graph", "kind", "force", "programme", "year")
#: The analyzer's name in the index: registered again on every open (Tantivy keeps only its name).
_WORDS = "kg_words"
#: Words a prefix query (``safeguard*``) grows into at most, the most frequent first.
PREFIX_EXPANSION = 64
#: Memory the writer may buffer before it writes a segment (Tantivy's minimum is 15 MB per thread).
_WRITER_HEAP = 64_000_000


@dataclass(frozen=True, slots=True)
class RankedPage:
    """One page of ranked statement IRIs (best first, with Tantivy's scores) and how many match in all."""

    total: int
    iris: tuple[str, ...]
    scores: tuple[float, ...]


def _schema() -> Any:
    builder = tantivy.SchemaBuilder()
    for name, _ in WORD_FIELDS:
        builder.add_text_field(name, tokenizer_name=_WORDS, index_option="position")
    for name in TERM_FIELDS:
        builder.add_text_field(name, stored=name == "iri", tokenizer_name="raw", index_option="basic")
    return builder.build()


def _analyzer() -> Any:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(255))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


_ANALYZER = _analyzer()


def words_of(text: str) -> list[str]:
    """The index's words of ``text``: what a query must look for to match what was indexed."""
    return [str(w) for w in _ANALYZER.analyze(text)]


def _open(path: Path, *, create: bool = False) -> Any:
    if create:
        path.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(_schema(), path=str(path), reuse=False)
    else:
        index = tantivy.Index.open(str(path))
    index.register_tokenizer(_WORDS, _analyzer())
    return index


class IndexedStatement(Protocol):
    """What the ranking index reads of one statement (the word index's row for it)."""

    @property
    def statement(self) -> str: ...
    @property
    def graph(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def force(self) -> str: ...
    @property
    def programme(self) -> str: ...
    @property
    def year(self) -> str: ...
    @property
    def quote(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def entities(self) -> str: ...


def write(
    path: Path, rows: Iterable[IndexedStatement], *, base: Path | None = None, replaced: Sequence[str] = ()
) -> None:
    """Write the ranking index at ``path``: ``base`` copied, its ``replaced`` graphs' statements swapped for ``rows``.

    Without a base every row is written afresh. A statement in ``rows`` is
    deleted by its IRI before it is added, so one that moved to another graph
    is replaced, not doubled (as the SQLite index does).
    """
    if base is not None:
        shutil.copytree(base, path)
        index = _open(path)
    else:
        index = _open(path, create=True)
    writer = index.writer(heap_size=_WRITER_HEAP, num_threads=1)
    try:
        for graph in replaced:
            writer.delete_documents_by_term("graph", graph)
        for row in rows:
            if base is not None:
                writer.delete_documents_by_term("iri", row.statement)
            writer.add_document(
                tantivy.Document(
                    iri=row.statement,
                    graph=row.graph,
                    kind=row.kind.lower(),
                    force=row.force,
                    programme=row.programme,
                    year=row.year,
                    quote=row.quote,
                    label=row.label,
                    entities=row.entities,
                )
            )
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        writer.rollback()
        raise


class Ranking:
    """A ranking index opened for reading."""

    def __init__(self, path: Path) -> None:
        self._index = _open(path)
        self._schema = self._index.schema
        self._searcher = self._index.searcher()

    def count(self) -> int:
        """How many statements the ranking index holds (it must hold every row of its SQLite file)."""
        return int(self._searcher.num_docs)

    def values(self, field: str) -> list[str]:
        """Every distinct value of an exact-term field (forces, programmes: a few dozen), from the term dictionary."""
        return [str(term) for term, _ in self._searcher.terms_with_prefix(field, "")]

    def _words_query(self, words: list[str], prefix: bool) -> Any:
        """Any word column holding ``words`` (a phrase when several; the last a prefix when ``prefix``)."""
        clauses = []
        phrase: list[str | tuple[int, str]] = list(words)
        for field, weight in WORD_FIELDS:
            if len(words) > 1:
                query = (Query.phrase_prefix_query if prefix else Query.phrase_query)(self._schema, field, phrase)
            elif prefix:
                grown = self._searcher.terms_with_prefix(field, words[0], limit=PREFIX_EXPANSION)
                terms = [Query.term_query(self._schema, field, t) for t, _ in grown]
                query = Query.boolean_query([(Occur.Should, q) for q in terms]) if terms else Query.empty_query()
            else:
                query = Query.term_query(self._schema, field, words[0])
            clauses.append((Occur.Should, Query.boost_query(query, weight)))
        return Query.boolean_query(clauses)

    def search(
        self,
        terms: Sequence[tuple[str, bool]],
        *,
        exact: Sequence[tuple[str, Sequence[str]]] = (),
        limit: int,
        offset: int,
    ) -> RankedPage:
        """Statements holding every term (words, is-prefix), each ``exact`` field one of its values; best first."""
        clauses = []
        for text, prefix in terms:
            words = words_of(text)
            if not words:
                return RankedPage(total=0, iris=(), scores=())
            clauses.append((Occur.Must, self._words_query(words, prefix)))
        for field, values in exact:
            if not values:
                return RankedPage(total=0, iris=(), scores=())
            clauses.append((Occur.Must, Query.term_set_query(self._schema, field, list(values))))
        found = self._searcher.search(Query.boolean_query(clauses), limit, count=True, offset=offset)
        iris = tuple(str(self._searcher.doc(address)["iri"][0]) for _, address in found.hits)
        return RankedPage(total=int(found.count or 0), iris=iris, scores=tuple(float(s) for s, _ in found.hits))
