"""Entity tallies: how often the corpus names each entity, counted once per document at build time.

"Which systems do findings name most?" is a count over every mention in the
corpus (over 200,000 at 1,000 reports), which takes seconds in any store.
The counts only change when a document does, so each document's tally is
taken when its graph is built, kept in the build manifest beside its other
records, and summed into one small graph (``graph/summary``) on every
build. The ``entities`` question reads the sums.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.graph import digest
from kg.namespaces import HMI, HMID, bind_prefixes

SUMMARY_GRAPH = HMID["graph/summary"]

#: One tally row: entity IRI, entity label (UNIT, SYSTEM...), statement class
#: name ("" for every mention), mentions, statements. Plain lists so the
#: build manifest (JSON) can keep them.
TallyRow = list[str | int]


def document_tally(graph: Graph) -> list[TallyRow]:
    """A document graph's mentions counted per entity and label, over all statements and per statement kind.

    Counted from the graph itself, so the sums agree with what a query
    counting ``hmi:Mention`` nodes would find.
    """
    mentions: dict[tuple[str, str, str], set[URIRef]] = defaultdict(set)
    statements: dict[tuple[str, str, str], set[URIRef]] = defaultdict(set)
    ns = str(HMI._NS)
    for mention in graph.subjects(RDF.type, HMI.Mention):
        assert isinstance(mention, URIRef)
        entity, label = graph.value(mention, HMI.refersTo), graph.value(mention, HMI.entityLabel)
        if entity is None or label is None:
            continue
        key = (str(entity), str(label))
        mentions[(*key, "")].add(mention)
        for statement in graph.subjects(HMI.hasMention, mention):
            assert isinstance(statement, URIRef)
            statements[(*key, "")].add(statement)
            for cls in graph.objects(statement, RDF.type):
                if str(cls).startswith(ns):
                    kind = str(cls)[len(ns) :]
                    mentions[(*key, kind)].add(mention)
                    statements[(*key, kind)].add(statement)
    return [[*k, len(mentions[k]), len(statements.get(k, ()))] for k in sorted(mentions)]


def summary_graph(tallies: Iterable[Iterable[TallyRow]]) -> Graph:
    """The corpus's entity tallies: the documents' tallies summed per entity, label and kind."""
    sums: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for rows in tallies:
        for entity, label, kind, n_mentions, n_statements in rows:
            total = sums[(str(entity), str(label), str(kind))]
            total[0] += int(n_mentions)
            total[1] += int(n_statements)
    graph = bind_prefixes(Graph(identifier=SUMMARY_GRAPH, bind_namespaces="core"))
    for (entity, label, kind), (n_mentions, n_statements) in sorted(sums.items()):
        node = HMID[f"summary/entity-tally/{digest(entity, label, kind)}"]
        graph.add((node, RDF.type, HMI.EntityTally))
        graph.add((node, HMI.refersTo, URIRef(entity)))
        graph.add((node, HMI.entityLabel, Literal(label)))
        graph.add((node, HMI.mentionCount, Literal(n_mentions, datatype=XSD.integer)))
        graph.add((node, HMI.statementCount, Literal(n_statements, datatype=XSD.integer)))
        if kind:
            graph.add((node, HMI.statementKind, URIRef(str(HMI._NS) + kind)))
    return graph
