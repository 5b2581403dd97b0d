"""Word search over statements: a SQLite FTS5 index kept beside each store generation.

Scanning every quote with SPARQL ``CONTAINS`` costs time in proportion to
the corpus (about 2 s at 1,000 reports), so a search box cannot use it. The
build writes one row per statement (its quote, its label and the names of
the entities it mentions, with the facets users filter on) into an FTS5
table; ranking is FTS5's BM25. The index file lives in the generation's
directory, so the ``current`` link swaps graph and index together and a
failed build leaves both as they were (docs/decisions/1001-search-index.md).

Word lookup is exact by token (no stemming): ``missing children`` finds the
statements holding both words, ``"missing children"`` the phrase, and
``miss*`` every word that starts so.
"""

from __future__ import annotations

import contextlib
import functools
import re
import shutil
import sqlite3
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.errors import QueryError
from kg.namespaces import HMI, HMID, OA, VOCAB
from kg.store.page_keys import add_functions
from kg.store.search_ranking import Ranking
from kg.store.search_ranking import write as write_ranking

#: The index's file name inside a store generation (or beside a remote build's local state).
INDEX_FILE = "search.sqlite"
#: Raised by the schema when the file was written by an incompatible version of this module.
SCHEMA_VERSION = 2
#: Markers around matched words in a snippet: private-use characters no report contains,
#: so HTML can be escaped first and the markers turned into ``<mark>`` after.
MARK_START, MARK_END = "\ue000", "\ue001"

#: A statement read as criticism (the ``critical`` filter of the by-force question).
POLARITY_NEGATIVE = VOCAB["polarity/negative"]

_STATEMENT_CLASSES = frozenset(
    str(HMI[name])
    for name in (
        "Finding",
        "AreaForImprovement",
        "CauseOfConcern",
        "Recommendation",
        "InnovativePractice",
        "GoodPractice",
        "GradedJudgment",
        "CaseAuditTally",
    )
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchRow:
    """What the index holds of one statement: the words to match and the facets to filter on."""

    statement: str
    graph: str
    publication: str
    kind: str
    force: str
    programme: str
    year: str
    label: str
    quote: str
    entities: str
    #: The sort keys and filters of the named questions' pages (kg/store/page_keys.py): the publication's
    #: title, the statement's place in it (None when the graph gives none) and its section's title.
    title: str = ""
    position: int | None = None
    section: str | None = None
    #: The publication's place in time (``hmi:timeKey``, with its basis) as its own graph gives it.
    time_key: str | None = None
    #: Whether the statement's polarity is negative (a finding that criticises).
    negative: bool = False
    #: The concepts and units the statement mentions.
    mentions: tuple[str, ...] = ()
    #: The forces the statement is about, and those its publication is about with their names.
    forces: tuple[str, ...] = ()
    publication_forces: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """One statement found, with its matched words marked in ``snippet`` (``MARK_START``/``MARK_END``)."""

    statement: str
    publication: str
    kind: str
    force: str
    programme: str
    year: str
    statuses: tuple[str, ...]
    label: str
    snippet: str
    score: float


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchFilters:
    """What narrows a search; None leaves that one open.

    The force and the programme are matched by part of their name; the kind,
    the latest follow-up status and the publication year as given.
    """

    force: str | None = None
    kind: str | None = None
    programme: str | None = None
    status: str | None = None
    year: str | None = None

    @classmethod
    def named(cls, values: Callable[[str], str | None]) -> SearchFilters:
        """The filters whose values ``values(name)`` gives (an empty value leaves that one open)."""
        return cls(**{f.name: values(f.name) or None for f in fields(cls)})

    def as_arguments(self) -> dict[str, str | None]:
        """The filters as keyword arguments of ``SearchIndex.search``."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchPage:
    """One page of an answer: the hits from ``offset`` on, and how many there are in all."""

    query: str
    total: int
    offset: int
    limit: int
    hits: tuple[SearchHit, ...]


def _local(iri: object) -> str:
    text = str(iri)
    return re.split(r"[#/]", text)[-1]


def rows_of_graph(graph: Graph, entity_labels: Mapping[str, str] | None = None) -> list[SearchRow]:
    """The index rows of one document's named graph.

    ``entity_labels`` maps a vocabulary concept's IRI to its preferred
    name, so a statement that says "MASH" is found by the words
    "multi-agency safeguarding hub" too.
    """
    labels = entity_labels or {}
    rows = []
    for statement, cls in graph.subject_objects(RDF.type):
        if str(cls) not in _STATEMENT_CLASSES or not isinstance(statement, URIRef):
            continue
        source = graph.value(statement, HMI.source)
        quote = ""
        for selector in graph.objects(source, OA.hasSelector) if source is not None else ():
            exact = graph.value(selector, OA.exact)
            if exact is not None:
                quote = str(exact)
        publication = graph.value(statement, PROV.wasDerivedFrom)
        issued = graph.value(publication, DCTERMS.issued) if publication is not None else None
        programme = graph.value(publication, HMI.programme) if publication is not None else None
        force = graph.value(statement, HMI.aboutForce)
        concepts = {str(c) for c in graph.objects(statement, HMI.mentions)}
        names = sorted({labels.get(c) or str(graph.value(URIRef(c), SKOS.prefLabel) or "") for c in concepts} - {""})
        title = graph.value(publication, DCTERMS.title) if publication is not None else None
        position = graph.value(statement, HMI.order)
        section = graph.value(statement, HMI.inSection)
        section_title = graph.value(section, DCTERMS.title) if section is not None else None
        time_key = _time_key(graph, publication) if publication is not None else None
        publication_forces: list[tuple[str, str | None]] = []
        for about in graph.objects(publication, HMI.aboutForce) if publication is not None else ():
            name = labels.get(str(about)) or graph.value(about, SKOS.prefLabel)
            # A force with no name is kept with none: by-force, which sorts by it, leaves it out.
            publication_forces.append((str(about), str(name) if name is not None else None))
        rows.append(
            SearchRow(
                statement=str(statement),
                graph=str(graph.identifier),
                publication=str(publication or ""),
                kind=_local(cls),
                force=str(force or ""),
                programme=_programme_name(graph, programme),
                year=str(issued)[:4] if issued is not None else "",
                label=str(graph.value(statement, RDFS.label) or ""),
                quote=quote,
                entities="; ".join(names),
                title=str(title or ""),
                position=_integer(position),
                section=str(section_title) if section_title is not None else None,
                time_key=time_key,
                negative=(statement, HMI.polarity, POLARITY_NEGATIVE) in graph,
                mentions=tuple(sorted(concepts)),
                forces=tuple(sorted(str(f) for f in graph.objects(statement, HMI.aboutForce))),
                publication_forces=tuple(sorted(publication_forces)),
            )
        )
    rows.sort(key=lambda r: r.statement)
    return rows


def _integer(value: object) -> int | None:
    """A literal's integer value (a statement's ``hmi:order``), or None when it has none."""
    if not isinstance(value, Literal):
        return None
    try:
        return int(value.toPython())
    except (TypeError, ValueError):
        return None


def _programme_name(graph: Graph, programme: object) -> str:
    if programme is None:
        return ""
    if isinstance(programme, URIRef):
        label = graph.value(programme, SKOS.prefLabel)
        return str(label) if label is not None else _local(programme)
    return str(programme)


def _time_key(graph: Graph, publication: object) -> str | None:
    """A publication's ``hmi:timeKey``, where the graph also gives its basis (the trail's OPTIONAL asks for both)."""
    if not isinstance(publication, URIRef) or graph.value(publication, HMI.timeBasis) is None:
        return None
    key = graph.value(publication, HMI.timeKey)
    return str(key) if key is not None else None


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkRow:
    """One follow-up link node of a links graph: its ends and what the trail question orders it by."""

    iri: str
    earlier: str
    later: str
    relation: str
    #: The status's local name ("still-area-for-improvement").
    status: str
    confidence: float
    review: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class LinksRows:
    """What the index holds of one links graph (empty: the graph is gone)."""

    #: (statement, status name) for each latest status the graph gives.
    statuses: tuple[tuple[str, str], ...] = ()
    links: tuple[LinkRow, ...] = ()
    #: (later, earlier) for each restatement and register entry: the edges a trail follows both ways.
    edges: tuple[tuple[str, str], ...] = ()
    #: (publication, time key) for the places in time the links graph gives (a release dated by its report).
    times: tuple[tuple[str, str], ...] = ()


def links_of_graph(graph: Graph) -> LinksRows:
    """The index rows of one links graph."""
    links = []
    for node in graph.subjects(RDF.type, HMI.FollowUpLink):
        earlier, later = graph.value(node, HMI.earlier), graph.value(node, HMI.later)
        confidence = graph.value(node, HMI.confidence)
        if earlier is None or later is None or not isinstance(confidence, Literal):
            continue  # not a link the trail question could show
        links.append(
            LinkRow(
                iri=str(node),
                earlier=str(earlier),
                later=str(later),
                relation=str(graph.value(node, HMI.relation) or ""),
                status=_local(graph.value(node, HMI.status) or ""),
                confidence=float(confidence.toPython()),
                review=(node, HMI.forReview, Literal(True)) in graph,
            )
        )
    edges = [(str(s), str(o)) for p in (HMI.restates, HMI.tracks) for s, o in graph.subject_objects(p)]
    times = [(str(p), t) for p in set(graph.subjects(HMI.timeKey)) if (t := _time_key(graph, p)) is not None]
    return LinksRows(
        statuses=tuple(sorted((str(s), _local(o)) for s, o in graph.subject_objects(HMI.latestStatus))),
        links=tuple(sorted(links, key=lambda r: r.iri)),
        edges=tuple(sorted(edges)),
        times=tuple(sorted(times)),
    )


def is_links_graph(iri: str) -> bool:
    """Whether a named graph is a links graph (``kg.graph.triples.links_graph_iri``) rather than a document's."""
    return iri.startswith(str(HMID["graph/links/"]))


_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS statement (
  id INTEGER PRIMARY KEY,
  iri TEXT NOT NULL UNIQUE,
  graph TEXT NOT NULL,
  publication TEXT NOT NULL,
  kind TEXT NOT NULL,
  force TEXT NOT NULL,
  programme TEXT NOT NULL,
  year TEXT NOT NULL,
  label TEXT NOT NULL,
  title TEXT NOT NULL,
  position INTEGER,
  section TEXT,
  negative INTEGER NOT NULL,
  time_key TEXT
);
CREATE INDEX IF NOT EXISTS statement_graph ON statement(graph);
-- The order of the named questions' pages: publication title, then place in it.
CREATE INDEX IF NOT EXISTS statement_order ON statement(title, position, iri);
CREATE INDEX IF NOT EXISTS statement_kind ON statement(kind, title, position, iri);
CREATE TABLE IF NOT EXISTS mention (statement_id INTEGER NOT NULL, entity TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS mention_entity ON mention(entity, statement_id);
CREATE INDEX IF NOT EXISTS mention_statement ON mention(statement_id);
CREATE TABLE IF NOT EXISTS statement_force (statement_id INTEGER NOT NULL, force TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS statement_force_force ON statement_force(force, statement_id);
CREATE INDEX IF NOT EXISTS statement_force_statement ON statement_force(statement_id);
CREATE TABLE IF NOT EXISTS publication_force (
  statement_id INTEGER NOT NULL, force TEXT NOT NULL, name TEXT
);
CREATE INDEX IF NOT EXISTS publication_force_statement ON publication_force(statement_id);
CREATE VIRTUAL TABLE IF NOT EXISTS statement_text USING fts5(
  quote, label, entities, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS status (
  graph TEXT NOT NULL, iri TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (graph, iri, status)
);
CREATE INDEX IF NOT EXISTS status_iri ON status(iri);
-- The trail question's links, the restatement edges it follows and the places in time links graphs give.
CREATE TABLE IF NOT EXISTS link (
  graph TEXT NOT NULL, iri TEXT NOT NULL, earlier TEXT NOT NULL, later TEXT NOT NULL,
  relation TEXT NOT NULL, status TEXT NOT NULL, confidence REAL NOT NULL, review INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS link_graph ON link(graph);
CREATE INDEX IF NOT EXISTS link_earlier ON link(earlier);
CREATE INDEX IF NOT EXISTS link_later ON link(later);
CREATE TABLE IF NOT EXISTS trail_edge (graph TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS trail_edge_graph ON trail_edge(graph);
CREATE INDEX IF NOT EXISTS trail_edge_a ON trail_edge(a);
CREATE INDEX IF NOT EXISTS trail_edge_b ON trail_edge(b);
CREATE TABLE IF NOT EXISTS publication_time (graph TEXT NOT NULL, publication TEXT NOT NULL, time_key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS publication_time_graph ON publication_time(graph);
CREATE INDEX IF NOT EXISTS publication_time_publication ON publication_time(publication);
CREATE INDEX IF NOT EXISTS statement_publication ON statement(publication);
INSERT OR IGNORE INTO meta VALUES ('schema', '{SCHEMA_VERSION}');
"""


#: BM25 over (quote, label, entity names): words in the quote count most.
_RANK = "bm25(statement_text, 1.0, 0.5, 0.5)"


class SearchIndex:
    """One index file: written by a build, read by ``kg search``, the API and the server."""

    def __init__(self, path: Path, *, writable: bool = False) -> None:
        self.path = path
        self._ranking: Ranking | None = None
        self._ranking_missing = False
        if writable:
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.executescript(_SCHEMA)
        else:
            if not path.is_file():
                raise QueryError(f"{path}: no search index (build the graph again to make one)")
            if schema_of(path) != str(SCHEMA_VERSION):
                raise QueryError(f"{path}: the search index was made by another version; build the graph again")
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            add_functions(self._db)

    def close(self) -> None:
        self._ranking = None  # its searcher holds the folder's files open
        self._db.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing (one build at a time holds the file) -------------------------------------------

    def replace_graphs(self, graphs: Iterable[str], rows: Iterable[SearchRow]) -> None:
        """Drop every row of ``graphs`` and add ``rows``, in one transaction."""
        db = self._db
        db.execute("BEGIN")
        try:
            for graph in graphs:
                ids = [r[0] for r in db.execute("SELECT id FROM statement WHERE graph = ?", (graph,))]
                _delete_statements(db, ids)
                _delete_links(db, graph)
            for row in rows:
                # A statement whose graph was not named (it moved documents) is replaced, not duplicated.
                old = db.execute("SELECT id FROM statement WHERE iri = ?", (row.statement,)).fetchone()
                if old is not None:
                    _delete_statements(db, [old[0]])
                cur = db.execute(
                    "INSERT INTO statement (iri, graph, publication, kind, force, programme, year, label,"
                    " title, position, section, negative, time_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (row.statement, row.graph, row.publication, row.kind, row.force, row.programme, row.year)
                    + (row.label, row.title, row.position, row.section, int(row.negative), row.time_key),
                )
                sid = cur.lastrowid
                db.execute(
                    "INSERT INTO statement_text (rowid, quote, label, entities) VALUES (?, ?, ?, ?)",
                    (sid, row.quote, row.label, row.entities),
                )
                db.executemany("INSERT INTO mention VALUES (?, ?)", ((sid, e) for e in row.mentions))
                db.executemany("INSERT INTO statement_force VALUES (?, ?)", ((sid, f) for f in row.forces))
                db.executemany(
                    "INSERT INTO publication_force VALUES (?, ?, ?)",
                    ((sid, f, name) for f, name in row.publication_forces),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @property
    def connection(self) -> sqlite3.Connection:
        """The open SQLite file, for the page keys of named questions (kg/store/page_keys.py) to read."""
        return self._db

    def replace_links(self, graph: str, rows: LinksRows) -> None:
        """What a links graph gives (statuses, links, trail edges, places in time), replacing what it gave before."""
        db = self._db
        db.execute("BEGIN")
        try:
            _delete_links(db, graph)
            db.executemany("INSERT OR IGNORE INTO status VALUES (?, ?, ?)", ((graph, s, v) for s, v in rows.statuses))
            db.executemany(
                "INSERT INTO link VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (graph, r.iri, r.earlier, r.later, r.relation, r.status, r.confidence, int(r.review))
                    for r in rows.links
                ),
            )
            db.executemany("INSERT INTO trail_edge VALUES (?, ?, ?)", ((graph, a, b) for a, b in rows.edges))
            db.executemany("INSERT INTO publication_time VALUES (?, ?, ?)", ((graph, p, t) for p, t in rows.times))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def optimize(self) -> None:
        """Merge the index's segments (a full build's last step) so searches read few b-trees."""
        self._db.execute("INSERT INTO statement_text(statement_text) VALUES ('optimize')")
        self._db.execute("VACUUM")

    # -- reading ---------------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM statement").fetchone()[0])

    def ranked_count(self) -> int | None:
        """How many statements the Tantivy half holds, or None when this index has none."""
        ranking = self._ranking_index()
        return ranking.count() if ranking is not None else None

    def ranking_folder(self) -> Path | None:
        """The folder of this index's Tantivy half, as its meta table names it (None before there was one)."""
        name = self._db.execute("SELECT value FROM meta WHERE key = 'ranking'").fetchone()
        return self.path.parent / name[0] if name is not None else None

    def rows(self) -> Iterator[SearchRow]:
        """Every row of the index, for a Tantivy half written from the whole index."""
        # The Tantivy half reads only the words and facets, not the page keys.
        for row in self._db.execute(
            "SELECT s.iri, s.graph, s.publication, s.kind, s.force, s.programme, s.year, s.label,"
            " t.quote, t.entities FROM statement s JOIN statement_text t ON t.rowid = s.id ORDER BY s.id"
        ):
            iri, graph, publication, kind, force, programme, year, label, quote, entities = row
            yield SearchRow(
                statement=iri,
                graph=graph,
                publication=publication,
                kind=kind,
                force=force,
                programme=programme,
                year=year,
                label=label,
                quote=quote,
                entities=entities,
            )

    def name_ranking(self, folder: Path) -> None:
        """Record the Tantivy half's folder (beside this file) once it is written."""
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('ranking', ?)", (folder.name,))

    def search(
        self,
        text: str,
        *,
        force: str | None = None,
        kind: str | None = None,
        programme: str | None = None,
        status: str | None = None,
        year: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> SearchPage:
        """Statements holding the words, best first, one page at a time (with the total)."""
        if limit < 0 or offset < 0:
            raise QueryError("limit and offset must not be negative")
        filters = SearchFilters(force=force, kind=kind, programme=programme, status=status, year=year)
        ranking = self._ranking_index()
        if ranking is not None:
            total, rows = self._ranked_by_tantivy(ranking, text, filters, limit, offset)
        else:
            total, rows = self._ranked_by_sqlite(text, filters, limit, offset)
        terms = query_terms(text)
        statuses: dict[str, list[str]] = {}
        marks = ",".join("?" * len(rows))
        for iri, status in self._db.execute(
            f"SELECT DISTINCT iri, status FROM status WHERE iri IN ({marks}) ORDER BY status", [r[0] for r in rows]
        ):
            statuses.setdefault(iri, []).append(status)
        hits = []
        for iri, pub, k, f, prog, y, label, quote, score in rows:
            hits.append(
                SearchHit(
                    statement=iri,
                    publication=pub,
                    kind=k,
                    force=f,
                    programme=prog,
                    year=y,
                    statuses=tuple(statuses.get(iri, ())),
                    label=label,
                    snippet=snippet_of(quote, terms),
                    score=float(score),
                )
            )
        return SearchPage(query=text, total=total, offset=offset, limit=limit, hits=tuple(hits))

    def _ranking_index(self) -> Ranking | None:
        """The Tantivy half of this index (opened once), or None for an index written before it existed."""
        if self._ranking is None and not self._ranking_missing:
            folder = self.ranking_folder()
            if folder is not None and folder.is_dir():
                self._ranking = Ranking(folder)
            else:
                self._ranking_missing = True
        return self._ranking

    def _ranked_by_tantivy(
        self,
        ranking: Ranking,
        text: str,
        filters: SearchFilters,
        limit: int,
        offset: int,
    ) -> tuple[int, list[tuple[Any, ...]]]:
        """The total and the page's rows, ranked by Tantivy; the filters turned into sets of exact terms."""
        exact: list[tuple[str, list[str]]] = []
        if filters.kind:
            exact.append(("kind", [filters.kind.strip().lower()]))
        if filters.year:
            exact.append(("year", [filters.year.strip()]))
        if filters.programme:
            wanted = filters.programme.strip().lower()
            exact.append(("programme", [v for v in ranking.values("programme") if wanted in v.lower()]))
        if filters.force:
            key = force_key(filters.force)
            exact.append(("force", [v for v in ranking.values("force") if key in v.lower()]))
        if filters.status:
            found = self._db.execute(
                "SELECT DISTINCT iri FROM status WHERE LOWER(status) = LOWER(?)",
                (filters.status.strip().replace(" ", "-"),),
            )
            exact.append(("iri", [r[0] for r in found]))
        page = ranking.search(query_terms(text), exact=exact, limit=max(limit, 1), offset=offset)
        iris = page.iris[:limit]
        marks = ",".join("?" * len(iris))
        by_iri = {
            r[0]: r
            for r in self._db.execute(
                "SELECT s.iri, s.publication, s.kind, s.force, s.programme, s.year, s.label, statement_text.quote"
                f" FROM statement s JOIN statement_text ON statement_text.rowid = s.id WHERE s.iri IN ({marks})",
                iris,
            )
        }
        # Scores turned round so that, as with FTS5's BM25, lower is better and pages run best first.
        rows = [(*by_iri[iri], -score) for iri, score in zip(iris, page.scores, strict=False) if iri in by_iri]
        return page.total, rows

    def _ranked_by_sqlite(
        self,
        text: str,
        filters: SearchFilters,
        limit: int,
        offset: int,
    ) -> tuple[int, list[tuple[Any, ...]]]:
        """The total and the page's rows, ranked by FTS5's BM25 (an index with no Tantivy half)."""
        match = fts_query(text)
        where = ["statement_text MATCH ?"]
        args: list[object] = [match]
        for column, value in (("s.kind", filters.kind), ("s.year", filters.year)):
            if value:
                where.append(f"LOWER({column}) = LOWER(?)")
                args.append(value.strip())
        if filters.programme:
            where.append("INSTR(LOWER(s.programme), LOWER(?)) > 0")
            args.append(filters.programme.strip())
        if filters.force:
            where.append("INSTR(LOWER(s.force), ?) > 0")
            args.append(force_key(filters.force))
        if filters.status:
            where.append("EXISTS (SELECT 1 FROM status st WHERE st.iri = s.iri AND LOWER(st.status) = LOWER(?))")
            args.append(filters.status.strip().replace(" ", "-"))
        clause = " AND ".join(where)
        base = f"FROM statement_text JOIN statement s ON s.id = statement_text.rowid WHERE {clause}"
        try:
            total = int(self._db.execute(f"SELECT COUNT(*) {base}", args).fetchone()[0])
            rows = self._db.execute(
                "SELECT s.iri, s.publication, s.kind, s.force, s.programme, s.year, s.label,"
                f" statement_text.quote, {_RANK}"
                f" {base} ORDER BY {_RANK}, s.iri LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        except sqlite3.OperationalError as e:
            raise QueryError(f"could not search for {text!r}: {e}") from e
        return total, rows

    def phrase(self, text: str, column: str) -> list[str]:
        """Statements whose ``column`` (quote or label) holds the words as one phrase, the last a prefix."""
        if column not in ("quote", "label"):
            raise ValueError(f"no such column: {column}")
        words = _WORD_RE.findall(text)
        if not words:
            return []
        match = f'{{{column}}} : "' + " ".join(words) + '"*'
        rows = self._db.execute(
            "SELECT s.iri FROM statement_text JOIN statement s ON s.id = statement_text.rowid"
            " WHERE statement_text MATCH ? ORDER BY s.iri",
            (match,),
        ).fetchall()
        return [r[0] for r in rows]

    def statements(self, text: str) -> list[str]:
        """Every statement holding the words (unranked): the index's answer to a word lookup."""
        try:
            rows = self._db.execute(
                "SELECT s.iri FROM statement_text JOIN statement s ON s.id = statement_text.rowid"
                " WHERE statement_text MATCH ? ORDER BY s.iri",
                (fts_query(text),),
            ).fetchall()
        except sqlite3.OperationalError as e:
            raise QueryError(f"could not search for {text!r}: {e}") from e
        return [r[0] for r in rows]


def _delete_links(db: sqlite3.Connection, graph: str) -> None:
    """Remove what a links graph gave from every table of the index (nothing, for a document's graph)."""
    for table in ("status", "link", "trail_edge", "publication_time"):
        db.execute(f"DELETE FROM {table} WHERE graph = ?", (graph,))


def _delete_statements(db: sqlite3.Connection, ids: list[int]) -> None:
    """Remove statements' rows from every table of the index."""
    for table, column in (
        ("statement_text", "rowid"),
        ("mention", "statement_id"),
        ("statement_force", "statement_id"),
        ("publication_force", "statement_id"),
        ("statement", "id"),
    ):
        db.executemany(f"DELETE FROM {table} WHERE {column} = ?", ((i,) for i in ids))


_TOKEN_RE = re.compile(r'"([^"]*)"|(\S+)')
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def query_terms(text: str) -> list[tuple[str, bool]]:
    """The phrases and words of a user's query: (the words of one term, whether it is a prefix).

    ``"a phrase"`` stays one term, ``word*`` is a prefix; everything else is
    split into words. Operators, column filters and brackets in the input
    are words to look for, never syntax.
    """
    terms: list[tuple[str, bool]] = []
    for phrase, bare in _TOKEN_RE.findall(text):
        if phrase:
            words = _WORD_RE.findall(phrase)
            if words:
                terms.append((" ".join(words), False))
            continue
        words = _WORD_RE.findall(bare)
        for n, word in enumerate(words):
            terms.append((word, bare.endswith("*") and n == len(words) - 1))
    if not terms:
        raise QueryError(f"nothing to search for in {text!r}: give at least one word")
    return terms


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query that cannot be misread as FTS5 syntax: every term must occur."""
    return " AND ".join(f'"{words}"' + ("*" if prefix else "") for words, prefix in query_terms(text))


def force_key(name: str) -> str:
    """A force name as it appears in force IRIs ("Durham Constabulary" -> "durham")."""
    bare = re.sub(r"\b(constabulary|police service|police force|police)\b", "", name, flags=re.I)
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-") or re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def index_path(generation: Path) -> Path:
    """Where a generation keeps its index."""
    return generation / INDEX_FILE


#: Characters of context a snippet keeps around its first match.
SNIPPET_CONTEXT = 160


def snippet_of(quote: str, terms: list[tuple[str, bool]]) -> str:
    """The stretch of the quote around its first matched word, every matched word between the markers.

    Made in Python for the hits of one page only: FTS5's ``snippet()``
    tokenises each whole quote, and a statement's quote can be a whole section.
    """
    regex = _snippet_regex(tuple(terms))
    if regex is None:
        return quote
    first = regex.search(quote)
    start = max(0, first.start() - SNIPPET_CONTEXT // 2) if first is not None else 0
    end = min(len(quote), start + SNIPPET_CONTEXT * 2)
    window = ("…" if start else "") + quote[start:end] + ("…" if end < len(quote) else "")
    return regex.sub(lambda m: f"{MARK_START}{m.group(1)}{MARK_END}", window)


@functools.lru_cache(maxsize=64)
def _snippet_regex(terms: tuple[tuple[str, bool], ...]) -> re.Pattern[str] | None:
    """The matched words of a query as one pattern, made once for all the hits of a page."""
    patterns = []
    for words, prefix in terms:
        for word in words.split():
            patterns.append(re.escape(word) + (r"\w*" if prefix else ""))
    if not patterns:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(patterns) + r")(?!\w)", re.I)


def highlight(snippet: str, start: str, end: str) -> str:
    """A snippet with its match markers replaced (after any escaping the caller did)."""
    return snippet.replace(MARK_START, start).replace(MARK_END, end)


@dataclass(slots=True)
class SearchUpdate:
    """The index changes one build makes, gathered as its graphs are made and written with its generation.

    ``full``: the build writes every document (no base to start from).
    """

    full: bool
    entity_labels: Mapping[str, str]
    documents: dict[str, list[SearchRow]] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    links: dict[str, LinksRows] = field(default_factory=dict)
    parts: dict[str, dict[str, SearchRow]] = field(default_factory=dict)

    def add_document(self, graph: Graph) -> None:
        self.documents[str(graph.identifier)] = rows_of_graph(graph, self.entity_labels)

    def add_document_part(self, graph: Graph) -> None:
        """One closed part of a document graph (``kg.graph.validate.closed_chunks``); ``end_document`` when all are in.

        A statement with its source, publication and concepts is whole in
        every part that holds it, so its row is the same in each; it is kept
        once, and the rows end as ``add_document`` makes them.
        """
        parts = self.parts.setdefault(str(graph.identifier), {})
        for row in rows_of_graph(graph, self.entity_labels):
            parts.setdefault(row.statement, row)

    def end_document(self, iri: str) -> None:
        """The rows of a document given in parts, in ``add_document``'s order."""
        rows = self.parts.pop(iri, {})
        self.documents[iri] = [rows[k] for k in sorted(rows)]

    def add_links(self, graph: Graph) -> None:
        self.links[str(graph.identifier)] = links_of_graph(graph)

    def drop(self, graph: str) -> None:
        """A document graph or links graph the build removes."""
        self.dropped.append(graph)
        self.links.setdefault(graph, LinksRows())

    def write(self, path: Path, *, base: Path | None, everything: Callable[[], Iterator[Graph]]) -> None:
        """Write the index at ``path``, starting from the ``base`` index when there is one.

        ``everything`` yields every document and links graph of the new
        generation: it is read only when a partial update has no base index
        to start from (a store written before the index existed, or whose index
        another version of this module wrote: its tables lack columns this one writes).
        """
        partial = not self.full and base is not None and schema_of(base) == str(SCHEMA_VERSION)
        if partial:
            assert base is not None
            shutil.copyfile(base, path)
        ranking = ranking_path(path)
        shutil.rmtree(ranking, ignore_errors=True)  # left by a build killed while writing it
        with SearchIndex(path, writable=True) as index:
            made = [row for rows in self.documents.values() for row in rows]
            if partial:
                assert base is not None
                copied = index.ranking_folder()
                base_ranking = base.parent / copied.name if copied is not None else None
                index.replace_graphs([*self.dropped, *self.documents], made)
                for links_graph, found in self.links.items():
                    index.replace_links(links_graph, found)
                if base_ranking is not None and base_ranking.is_dir():
                    write_ranking(ranking, made, base=base_ranking, replaced=[*self.dropped, *self.documents])
                else:  # the base was written before the index had a Tantivy half
                    write_ranking(ranking, index.rows())
                index.name_ranking(ranking)
                return
            if self.full:
                index.replace_graphs((), made)
                for links_graph, found in self.links.items():
                    index.replace_links(links_graph, found)
            else:
                for stored in everything():
                    if is_links_graph(str(stored.identifier)):
                        index.replace_links(str(stored.identifier), links_of_graph(stored))
                    else:
                        index.replace_graphs((), rows_of_graph(stored, self.entity_labels))
            index.optimize()
            write_ranking(ranking, index.rows())
            index.name_ranking(ranking)


def schema_of(path: Path) -> str | None:
    """The schema version an index file was written with, or None when there is no readable index there."""
    if not path.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row is not None else None


def ranking_path(path: Path) -> Path:
    """Where the index file at ``path`` keeps its Tantivy half: a folder beside it, named after it."""
    return path.with_name(f"{path.name}.tantivy")


def entity_labels(vocab: Graph) -> dict[str, str]:
    """Each vocabulary concept's preferred name, for the index's entity column."""
    return {str(c): str(label) for c, label in vocab.subject_objects(SKOS.prefLabel)}


def remote_index_path(store_dir: Path, endpoint: str) -> Path:
    """Where a build into a SPARQL server keeps that server's word index (beside its local state)."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", endpoint).strip("-")[:80]
    return store_dir / "remote" / name / INDEX_FILE


#: Stores of datasets opened from an embedded store, and how to find the index of the generation
#: they read (keyed by the dataset's store, as kg/store/answers.py keys its stores: a Dataset hashes by
#: its identifier). A reader follows the current generation, so the index is found at each use.
_INDEXES: weakref.WeakKeyDictionary[object, Callable[[], Path]] = weakref.WeakKeyDictionary()


def attach_index(dataset: Dataset, locate: Callable[[], Path]) -> Dataset:
    """Note how to find the index file of the generation ``dataset`` reads (when the build wrote one)."""
    _INDEXES[dataset.store] = locate
    return dataset


def attached_index(dataset: Dataset) -> Path | None:
    """The index file of the generation ``dataset`` reads, if its store has one (see ``attach_index``)."""
    locate = _INDEXES.get(dataset.store)
    path = locate() if locate is not None else None
    return path if path is not None and path.is_file() else None
