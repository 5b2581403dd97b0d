"""Traverse: the graph as a networkx ``MultiDiGraph``, and walks over it.

:func:`to_networkx` projects the RDF graph onto the things an analyst
traverses: publications, sections, statements, actions, discrepancies and
the concepts they name (forces, units, systems, legislation, themes,
grades...). Spans, selectors, mentions and theme-assignment records stay
out: they say *where* the text says something, and the records returned by
:mod:`kg.query.lookup` carry them. Only the domain predicates in
:data:`DOMAIN_PREDICATES` become edges.

Conventions (those of ``rdflib.extras.external_graph_libs``): a node's key
is its IRI string; the edge key is the predicate's CURIE (``hmi:mentions``),
with the full IRI in the ``predicate`` attribute. Every node has ``kind``
(class local name), ``label`` and ``doc_id`` (the document it was read from,
None for vocabulary concepts); literals become node attributes, never nodes.

Every other function here takes the projection first and never changes it
(networkx's own style), so the same projection serves many questions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import combinations
from typing import TYPE_CHECKING, Any, TypeAlias

import networkx as nx
from rdflib import Dataset, Literal

from kg.errors import NodeNotFound, QueryError
from kg.namespaces import HMID, PREFIXES
from kg.query.lookup import _query, _rows, doc_id_of, is_iri, kind_of, links
from kg.query.records_api import Neighbour, PathStep
from kg.query.sparql import run

if TYPE_CHECKING:
    #: The projection's type: node keys are IRI strings.
    Projection: TypeAlias = nx.MultiDiGraph[str]
    #: The co-mention network's type.
    CoMentionGraph: TypeAlias = nx.Graph[str]
else:  # networkx classes are not subscriptable at run time
    Projection = nx.MultiDiGraph
    CoMentionGraph = nx.Graph

__all__ = [
    "DOMAIN_PREDICATES",
    "CoMentionGraph",
    "Projection",
    "co_mention_graph",
    "curie",
    "expand",
    "neighbours",
    "shortest_path",
    "to_networkx",
]

#: The predicates projected as edges (CURIEs); everything else stays in RDF.
DOMAIN_PREDICATES: tuple[str, ...] = (
    "prov:wasDerivedFrom",
    "dcterms:isPartOf",
    "hmi:aboutForce",
    "hmi:addressedTo",
    "hmi:announces",
    "hmi:concerns",
    "hmi:followedUpBy",
    "hmi:grade",
    "hmi:hasAction",
    "hmi:inSection",
    "hmi:mentions",
    "hmi:restates",
    "hmi:theme",
    "hmi:timescale",
)

#: Literal properties kept as node attributes, under these names.
_LITERAL_ATTRIBUTES: dict[str, str] = {
    "dcterms:issued": "issued",
    "hmi:programme": "programme",
    "hmi:documentKind": "document_kind",
    "hmi:order": "order",
    "hmi:part": "part",
    "hmi:gradedArea": "graded_area",
    "hmi:actionCount": "action_count",
    "hmi:headingLevel": "heading_level",
    "hmi:isGuidance": "is_guidance",
    "hmi:isOverall": "is_overall",
    "hmi:goodCount": "good_count",
    "hmi:requiresImprovementCount": "requires_improvement_count",
    "hmi:inadequateCount": "inadequate_count",
    "hmi:totalCount": "total_count",
    "hmi:disagreement": "disagreement",
    "hmi:addressee": "addressee",
    "hmi:needsReview": "needs_review",
    "hmi:discrepancyKind": "discrepancy_kind",
    "hmi:message": "message",
    "hmi:entityLabel": "entity_label",
}
#: Label properties, best first.
_LABELS = ("skos:prefLabel", "rdfs:label", "dcterms:title")


def expand(name: str) -> str:
    """A CURIE of the project's prefixes as a full IRI; a full IRI unchanged.

    >>> expand("hmi:mentions")
    'https://w3id.org/hmi-kg/ontology#mentions'

    Raises:
        QueryError: ``name`` is neither a known CURIE nor an absolute IRI.
    """
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and re.fullmatch(r"[A-Za-z0-9_.\-]*", local):
        return f"{PREFIXES[prefix]}{local}"
    if is_iri(name):
        return name
    known = ", ".join(sorted(PREFIXES))
    raise QueryError(f"{name!r} is not an IRI or a CURIE with a known prefix ({known})")


def curie(iri: str) -> str:
    """An IRI written with the project's prefixes where one fits (``hmi:mentions``), else unchanged."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)) and len(str(ns)) > len(best):
            best, name = str(ns), prefix
    return f"{name}:{iri[len(best) :]}" if best else iri


def _value(node: Any) -> str | int | float | bool:
    """A literal as a GraphML/GEXF-friendly Python scalar; dates and the rest as their lexical form."""
    value = node.toPython() if isinstance(node, Literal) else node
    if isinstance(value, bool | int | float):
        return value
    return str(node)  # also turns a Literal rdflib could not convert (gYearMonth) into plain text


def _doc_id(iri: str) -> str | None:
    if iri.startswith(str(HMID["publication/"])):
        return doc_id_of(iri).split("/", 1)[0]
    return None


def to_networkx(dataset: Dataset, *, predicates: Iterable[str] = DOMAIN_PREDICATES) -> Projection:
    """Project the graph onto a ``networkx.MultiDiGraph`` of domain nodes and edges.

    One query per predicate plus two for node facts, all plain SPARQL, so it
    works the same on every store. Nodes and edges are added in sorted
    order, so two projections of one graph are identical, including the
    order networkx algorithms visit them in.

    Args:
        dataset: The graph.
        predicates: CURIEs or IRIs of the predicates to project as edges.

    Returns:
        A new graph. Node attributes: ``kind``, ``label``, ``doc_id`` and the
        literal facts listed in ``_LITERAL_ATTRIBUTES``; statements and actions
        also carry ``quote``, ``start`` and ``end``. Edge attributes:
        ``predicate`` (full IRI); follow-up and restates edges also carry
        ``relation``, ``status``, ``status_label``, ``confidence`` and ``link``.
    """
    edges: set[tuple[str, str, str]] = set()
    for name in predicates:
        iri = expand(name)
        for r in _rows(run(dataset, _query("edges"), {"arg_predicate": iri})):
            edges.add((str(r.s), str(r.o), iri))
    nodes = sorted({s for s, _, _ in edges} | {o for _, o, _ in edges})
    wanted = set(nodes)
    types: dict[str, list[str]] = {}
    labels: dict[str, dict[str, str]] = {}
    facts: dict[str, dict[str, str | int | float | bool]] = {}
    label_iris = {expand(c): c for c in _LABELS}
    literal_iris = {expand(c): a for c, a in _LITERAL_ATTRIBUTES.items()}
    rdf_type = expand("rdf:type")
    for r in _rows(run(dataset, _query("node-facts"))):
        n, p = str(r.n), str(r.p)
        if n not in wanted:
            continue
        if p == rdf_type:
            types.setdefault(n, []).append(str(r.v))
        elif p in label_iris:
            current = labels.setdefault(n, {})
            current[p] = min(current.get(p, str(r.v)), str(r.v))
        elif p in literal_iris:
            facts.setdefault(n, {})[literal_iris[p]] = _value(r.v)
    for r in _rows(run(dataset, _query("sources"))):
        n = str(r.n)
        if n in wanted:
            facts.setdefault(n, {}).update(quote=str(r.exact), start=int(str(r.start)), end=int(str(r.end)))

    g: Projection = nx.MultiDiGraph()
    for n in nodes:
        names = labels.get(n, {})
        label = next((names[i] for i in label_iris if i in names), None) or re.split(r"[#/]", n)[-1]
        g.add_node(n, kind=kind_of(types.get(n, [])), label=label, doc_id=_doc_id(n), **facts.get(n, {}))
    linked = any(p.endswith(("#followedUpBy", "#restates")) for _, _, p in edges)
    link_attrs = _link_attributes(dataset) if linked else {}
    for s, o, p in sorted(edges):
        g.add_edge(s, o, key=curie(p), predicate=p, **link_attrs.get((s, o, p), {}))
    return g


def _link_attributes(dataset: Dataset) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Status, confidence and link IRI of each follow-up shortcut edge, from its ``hmi:FollowUpLink``."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for link in links(dataset):
        if link.relation == "restates":  # the press statement restates the report statement
            key = (link.later.statement, link.earlier.statement, expand("hmi:restates"))
        else:
            key = (link.earlier.statement, link.later.statement, expand("hmi:followedUpBy"))
        attrs: dict[str, Any] = {"relation": link.relation, "confidence": link.confidence, "link": link.iri}
        if link.status is not None:
            attrs["status"] = link.status
        if link.status_label is not None:
            attrs["status_label"] = link.status_label
        out.setdefault(key, attrs)
    return out


def _require(g: Projection, node: str) -> None:
    if node not in g:
        raise NodeNotFound(f"node {node!r} is not in the projection (only domain nodes are; see DOMAIN_PREDICATES)")


def _describe(g: Projection, node: str) -> tuple[str, str, str | None]:
    data = g.nodes[node]
    return str(data.get("kind", "Resource")), str(data.get("label", node)), data.get("doc_id")


def neighbours(g: Projection, node: str, *, depth: int = 1) -> list[Neighbour]:
    """Nodes within ``depth`` edges of ``node``, following edges either way.

    Why either way: the questions are symmetric ("what names Sleuth" walks
    ``hmi:mentions`` backwards, "what does this finding name" forwards).

    Returns:
        Every node at distance 1..depth, sorted by distance then IRI; the
        start node itself is not included.

    Raises:
        NodeNotFound: ``node`` is not in ``g``.
        ValueError: ``depth`` is below 1.
    """
    _require(g, node)
    if depth < 1:
        raise ValueError(f"depth must be at least 1, not {depth}")
    lengths = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), node, cutoff=depth)
    out = []
    for other, distance in lengths.items():
        if other == node:
            continue
        kind, label, doc_id = _describe(g, other)
        out.append(Neighbour(iri=other, kind=kind, label=label, doc_id=doc_id, distance=distance))
    return sorted(out, key=lambda n: (n.distance, n.iri))


def shortest_path(g: Projection, source: str, target: str) -> list[PathStep] | None:
    """A shortest chain of edges joining two nodes, following edges either way.

    Returns:
        The steps from ``source`` to ``target`` (the first has no predicate),
        or None when no path joins them. Where two edges join the same pair,
        the forward one with the smallest CURIE is reported.

    Raises:
        NodeNotFound: either node is not in ``g``.
    """
    _require(g, source)
    _require(g, target)
    try:
        nodes = nx.shortest_path(g.to_undirected(as_view=True), source, target)
    except nx.NetworkXNoPath:
        return None
    kind, label, doc_id = _describe(g, source)
    steps = [PathStep(iri=source, kind=kind, label=label, doc_id=doc_id, predicate=None, forward=True)]
    for before, here in zip(nodes, nodes[1:], strict=False):
        ahead = sorted(str(k) for k in g.get_edge_data(before, here, default={}))
        back = sorted(str(k) for k in g.get_edge_data(here, before, default={}))
        predicate, forward = (ahead[0], True) if ahead else (back[0], False)
        kind, label, doc_id = _describe(g, here)
        steps.append(PathStep(iri=here, kind=kind, label=label, doc_id=doc_id, predicate=predicate, forward=forward))
    return steps


def co_mention_graph(
    g: Projection,
    *,
    statement_kinds: Iterable[str] | None = None,
    entity_kinds: Iterable[str] | None = None,
) -> CoMentionGraph:
    """Entities joined when one statement names both, weighted by how many statements do.

    The usual input to centrality and community detection: who is named
    together with whom. Nodes carry the projection's attributes plus
    ``statements``, the number of (selected) statements naming the entity.

    Args:
        g: A projection from :func:`to_networkx`.
        statement_kinds: Only statements of these kinds (``AreaForImprovement``...); all if None.
        entity_kinds: Only entities of these kinds (``UnitType``, ``InformationSystem``...); all if None.
    """
    wanted_statements = set(statement_kinds) if statement_kinds is not None else None
    wanted_entities = set(entity_kinds) if entity_kinds is not None else None
    named: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for node in sorted(g.nodes):
        if wanted_statements is not None and g.nodes[node].get("kind") not in wanted_statements:
            continue
        out = sorted(
            {
                target
                for _, target, key in g.out_edges(node, keys=True)
                if key == "hmi:mentions" and (wanted_entities is None or g.nodes[target].get("kind") in wanted_entities)
            }
        )
        named.update(out)
        pairs.update(combinations(out, 2))
    h: CoMentionGraph = nx.Graph()
    for entity in sorted(named):
        h.add_node(entity, **g.nodes[entity], statements=named[entity])
    for (a, b), weight in sorted(pairs.items()):
        h.add_edge(a, b, weight=weight)
    return h
