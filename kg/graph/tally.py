"""Entity tallies: how often the corpus names each entity, counted once per document at build time.

"Which systems do findings name most?" is a count over every mention in the
corpus (over 200,000 at 1,000 reports), which takes seconds in any store.
The counts only change when a document does, so each document's tally is
taken when its graph is built, kept in the build manifest beside its other
records, and summed into one small graph (``graph/summary``). The
``entities`` question reads the sums. The manifest keeps the sums too, so an
update subtracts the old tallies of the documents it changed or removed and
adds their new ones, instead of re-adding a thousand tallies. Tallies are
kept as one text per document (``encode_tally``): parsed as JSON lists they
were a third of a million objects, and the garbage collector rescanned them
on every full collection of an update.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.graph.triples import digest
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
    tally = DocumentTally()
    tally.add(graph)
    return tally.rows()


class DocumentTally:
    """``document_tally`` of a graph read in parts (``kg.graph.validate.closed_chunks``).

    The mentions and statements counted are kept as sets, so a node seen
    in several parts counts once; each part must hold, for every statement
    in it, its ``hmi:hasMention`` triples and its types, and each mention's
    own triples, which a closed chunk does.
    """

    def __init__(self) -> None:
        self.mentions: dict[tuple[str, str, str], set[URIRef]] = defaultdict(set)
        self.statements: dict[tuple[str, str, str], set[URIRef]] = defaultdict(set)

    def add(self, graph: Graph) -> None:
        """Count the mentions of one part."""
        mentions, statements = self.mentions, self.statements
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

    def rows(self) -> list[TallyRow]:
        """The tally rows, in order."""
        return [[*k, len(self.mentions[k]), len(self.statements.get(k, ()))] for k in sorted(self.mentions)]


def encode_tally(rows: Iterable[TallyRow]) -> str:
    """A tally as text: one tab-separated row per line (IRIs, labels and class names hold neither)."""
    return "\n".join("\t".join(str(v) for v in row) for row in rows)


def decode_tally(text: str) -> list[TallyRow]:
    """The rows ``encode_tally`` wrote."""
    rows: list[TallyRow] = []
    for line in text.split("\n") if text else ():
        entity, label, kind, n_mentions, n_statements = line.split("\t")
        rows.append([entity, label, kind, int(n_mentions), int(n_statements)])
    return rows


class TallySums:
    """Tallies summed per entity, label and statement kind; rows can be added and taken away."""

    def __init__(self, rows: Iterable[TallyRow] = ()) -> None:
        self.sums: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        self.add(rows)

    def add(self, rows: Iterable[TallyRow], sign: int = 1) -> None:
        for entity, label, kind, n_mentions, n_statements in rows:
            total = self.sums[(str(entity), str(label), str(kind))]
            total[0] += sign * int(n_mentions)
            total[1] += sign * int(n_statements)

    def rows(self) -> list[TallyRow]:
        """The sums as tally rows, without entities no document names any more."""
        return [[*k, m, n] for k, (m, n) in sorted(self.sums.items()) if m or n]


def summary_graph(tallies: Iterable[Iterable[TallyRow]] | TallySums) -> Graph:
    """The corpus's entity tallies: the documents' tallies summed per entity, label and kind."""
    if not isinstance(tallies, TallySums):
        sums = TallySums()
        for rows in tallies:
            sums.add(rows)
        tallies = sums
    graph = bind_prefixes(Graph(identifier=SUMMARY_GRAPH, bind_namespaces="core"))
    for entity, label, kind, n_mentions, n_statements in tallies.rows():
        node = HMID[f"summary/entity-tally/{digest(str(entity), str(label), str(kind))}"]
        graph.add((node, RDF.type, HMI.EntityTally))
        graph.add((node, HMI.refersTo, URIRef(str(entity))))
        graph.add((node, HMI.entityLabel, Literal(label)))
        graph.add((node, HMI.mentionCount, Literal(n_mentions, datatype=XSD.integer)))
        graph.add((node, HMI.statementCount, Literal(n_statements, datatype=XSD.integer)))
        if kind:
            graph.add((node, HMI.statementKind, URIRef(str(HMI._NS) + str(kind))))
    return graph
