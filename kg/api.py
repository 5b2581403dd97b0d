"""The Python API: ``KnowledgeGraph.open(location)`` and typed answers.

A thin handle on an opened store. Each method is one call to a free
function in :mod:`kg.query.lookup` (SPARQL look-ups) or :mod:`kg.query.traverse`
(the networkx projection and walks over it), so anything a method does can
also be done with those functions directly, and no logic lives here but
choosing which one to call. Answers are frozen records from
:mod:`kg.query.records_api`, never rdflib rows.

Example:
    >>> from kg import KnowledgeGraph
    >>> kg = KnowledgeGraph.open("memory")          # or "build/store", or "http://127.0.0.1:7878"
    >>> kg.forces()
    []
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from rdflib import Dataset
from rdflib.query import Result

from kg.errors import NodeNotFound
from kg.query import lookup, search, traverse
from kg.query.guard import DEFAULT_TIMEOUT, QueryPolicy, set_policy
from kg.query.paging import DEFAULT_LIMIT, Page, page_of
from kg.query.records_api import (
    EntityRecord,
    EntitySummary,
    ForceRecord,
    MentionRecord,
    Neighbour,
    PathStep,
    PublicationRecord,
    StatementRecord,
    Trail,
    TrailLink,
)
from kg.query.sparql import run
from kg.query.traverse import Projection
from kg.store.generations import bind_prefixes_ds, generation_token, open_dataset
from kg.store.search_index import SearchPage

__all__ = ["KnowledgeGraph"]


class _HasIri(Protocol):
    @property
    def iri(self) -> str: ...


#: What names a node: its IRI, any record with an ``iri``, or (for entities) one of its names.
NodeRef = str | _HasIri


class KnowledgeGraph:
    """An opened inspection-findings graph and the questions it answers.

    Open one with :meth:`open`. The networkx projection is made on first
    use and kept, because :meth:`neighbours` and :meth:`shortest_path`
    walk it repeatedly; call :meth:`refresh` after a remote server is
    reloaded. An embedded store is followed: once a build makes a new
    generation current, the next call reads it (and projects it again).
    """

    def __init__(self, dataset: Dataset) -> None:
        """Wrap an already opened dataset whose default graph is the union of its named graphs."""
        self.dataset = dataset
        self._projection: Projection | None = None
        self._projected_from = 0

    @classmethod
    def open(
        cls,
        location: str | Path | Dataset,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        allow_service: tuple[str, ...] = (),
    ) -> KnowledgeGraph:
        """Open a graph for reading.

        Args:
            location: An embedded store directory (what ``kg build --store`` wrote),
                ``"memory"`` for an empty in-memory store, an ``http(s)://`` SPARQL
                endpoint URL, or an rdflib ``Dataset`` (its default graph must be the
                union of its named graphs, ``Dataset(default_union=True)``).
            timeout: Seconds any one call may spend querying before it raises
                :class:`kg.query.deadline.QueryTimeout`.
            allow_service: Endpoint IRIs a ``SERVICE`` clause in :meth:`sparql` may
                name; every other ``SERVICE`` raises :class:`kg.query.guard.ServiceRefused`.

        Raises:
            StoreError: the location holds no built graph or cannot be reached.
        """
        dataset = bind_prefixes_ds(location) if isinstance(location, Dataset) else open_dataset(location)
        return cls(set_policy(dataset, QueryPolicy(timeout=timeout, allow_service=frozenset(allow_service))))

    def refresh(self) -> None:
        """Forget the cached networkx projection; the next traversal rebuilds it."""
        self._projection = None

    # ------------------------------------------------------------ look-ups (kg.query.lookup)

    def forces(self, *, limit: int | None = None, offset: int = 0) -> Page[ForceRecord]:
        """Forces with at least one publication, by name. See :func:`kg.query.lookup.forces`.

        Every list this class returns is a :class:`kg.query.paging.Page`: ``limit`` rows
        from ``offset`` (all of them when ``limit`` is None) and ``.total``.
        """
        return page_of(lookup.forces(self.dataset), limit=limit, offset=offset)

    def publications(
        self, *, force: str | None = None, kind: str | None = None, limit: int | None = None, offset: int = 0
    ) -> Page[PublicationRecord]:
        """Publications, oldest first; ``force`` is an IRI or part of a name.

        See :func:`kg.query.lookup.publications`.
        """
        return page_of(lookup.publications(self.dataset, force=force, kind=kind), limit=limit, offset=offset)

    def statements(
        self,
        *,
        kind: str | None = None,
        force: str | None = None,
        theme: str | None = None,
        mentions: str | None = None,
        publication: str | None = None,
        section: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Page[StatementRecord]:
        """Statements matching every filter given, each with quote, publication and offsets.

        See :func:`kg.query.lookup.statements` for what each filter matches.
        """
        found = lookup.statements(
            self.dataset,
            kind=kind,
            force=force,
            theme=theme,
            mentions=mentions,
            publication=publication,
            section=section,
        )
        return page_of(found, limit=limit, offset=offset)

    def statement(self, iri: str) -> StatementRecord | None:
        """One statement by IRI, or None."""
        return lookup.statement(self.dataset, iri)

    def entities(
        self, *, entity_label: str | None = None, limit: int | None = None, offset: int = 0
    ) -> Page[EntitySummary]:
        """Entities the text names, most mentioned first. See :func:`kg.query.lookup.entities`."""
        return page_of(lookup.entities(self.dataset, entity_label=entity_label), limit=limit, offset=offset)

    def entity(self, label_or_iri: str) -> EntityRecord | None:
        """An entity by IRI or name (any case) with all its mentions, or None. See :func:`kg.query.lookup.entity`."""
        return lookup.entity(self.dataset, label_or_iri)

    def mentions(self, *, entity: str | None = None, limit: int | None = None, offset: int = 0) -> Page[MentionRecord]:
        """Every mention, or those of one entity IRI. See :func:`kg.query.lookup.mentions`."""
        return page_of(lookup.mentions(self.dataset, entity=entity), limit=limit, offset=offset)

    def links(self, *, limit: int | None = None, offset: int = 0) -> Page[TrailLink]:
        """Every follow-up and restatement link, in time order."""
        return page_of(lookup.links(self.dataset), limit=limit, offset=offset)

    def search(
        self,
        words: str,
        *,
        force: str | None = None,
        kind: str | None = None,
        programme: str | None = None,
        status: str | None = None,
        year: str | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> SearchPage:
        """Statements holding the words, best first, with matched words marked. See :func:`kg.query.search.search`.

        ``"a phrase"`` must occur as written and ``word*`` matches words that
        start so; filters narrow by force (part of a name), statement kind,
        programme, latest follow-up status and year.
        """
        return search.search(
            self.dataset,
            words,
            force=force,
            kind=kind,
            programme=programme,
            status=status,
            year=year,
            limit=limit,
            offset=offset,
        )

    def trail(self, statement: NodeRef) -> Trail:
        """The follow-up trail a statement belongs to, in time order. See :func:`kg.query.lookup.trail`."""
        return lookup.trail(self.dataset, statement if isinstance(statement, str) else statement.iri)

    # ------------------------------------------------------------ traversal (kg.query.traverse)

    def to_networkx(self, *, predicates: tuple[str, ...] | None = None) -> Projection:
        """A new networkx projection of the graph (a copy: change it freely).

        Args:
            predicates: CURIEs or IRIs to project as edges; default
                :data:`kg.query.traverse.DOMAIN_PREDICATES`.
        """
        if predicates is not None:
            return traverse.to_networkx(self.dataset, predicates=predicates)
        return self._graph().copy()

    def neighbours(self, node: NodeRef, *, depth: int = 1) -> list[Neighbour]:
        """Nodes within ``depth`` edges of ``node``, nearest first. See :func:`kg.query.traverse.neighbours`.

        Raises:
            NodeNotFound: ``node`` is not a domain node (nor the name of an entity that is).
        """
        return traverse.neighbours(self._graph(), self._node(node), depth=depth)

    def shortest_path(self, a: NodeRef, b: NodeRef) -> list[PathStep] | None:
        """A shortest path between two nodes, or None. See :func:`kg.query.traverse.shortest_path`.

        Raises:
            NodeNotFound: either node is not a domain node (nor the name of an entity that is).
        """
        g = self._graph()
        return traverse.shortest_path(g, self._node(a), self._node(b))

    # ------------------------------------------------------------ anything else

    def sparql(self, query: str, **bindings: str) -> Result:
        """Run any read-only SPARQL query; keyword values are bound to ``?name`` as literals.

        Example:
            ``kg.sparql("SELECT ?s WHERE { ?s rdfs:label ?l FILTER(CONTAINS(?l, ?word)) }", word="Sleuth")``

        Raises:
            QueryError: the query is malformed, an update, or a binding name is not a variable name.
            ServiceRefused: the query names another endpoint with ``SERVICE`` (see :meth:`open`).
            QueryTimeout: the query ran past the time limit (see :meth:`open`).
        """
        return run(self.dataset, query, bindings)

    def _graph(self) -> Projection:
        token = generation_token(self.dataset)  # a build made a new generation current: project it again
        if self._projection is None or token != self._projected_from:
            self._projection = traverse.to_networkx(self.dataset)
            self._projected_from = token
        return self._projection

    def _node(self, node: NodeRef) -> str:
        """The projection's key for a node given by IRI, record or entity name."""
        key = node if isinstance(node, str) else node.iri
        g = self._graph()
        if key in g:
            return key
        if not lookup.is_iri(key):
            found = lookup.entity(self.dataset, key)
            if found is not None and found.iri in g:
                return found.iri
        raise NodeNotFound(f"{key!r} is neither a node of the projection nor the name of an entity in it")

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.dataset.store.__class__.__name__})"
