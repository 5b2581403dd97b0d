"""Export: the graph for other tools, in RDF, graph and table formats.

- RDF: Turtle (triples of the union graph), TriG and N-Quads (every named
  graph kept), JSON-LD (named graphs as ``@graph`` objects), of the whole
  graph or of one publication's named graph. Read with a plain SPARQL
  ``GRAPH`` query, so it works on every store, and re-imports to an
  isomorphic graph (no blank nodes are ever minted, see decision 0001).
- Graphs: GraphML and GEXF (Gephi) of the networkx projection
  (:func:`kg.query.traverse.to_networkx`).
- Tables: CSV of statements, entities, mentions and links, one file each,
  with the columns of the API records.

Nothing here prints; the ``kg export`` command writes the bytes.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import ResultRow

from kg.errors import KGError
from kg.namespaces import HMID, bind_prefixes
from kg.query import lookup
from kg.query.records_api import EntitySummary, LinkEnd, MentionRecord, StatementRecord, TrailLink
from kg.query.sparql import run
from kg.query.traverse import Projection

__all__ = [
    "GRAPH_FORMATS",
    "RDF_FORMATS",
    "TABLES",
    "export_graph",
    "export_rdf",
    "export_tables",
    "rdf_dataset",
    "write_table",
]

#: RDF formats: our name -> rdflib serializer name.
RDF_FORMATS: dict[str, str] = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}
#: Graph formats of the networkx projection.
GRAPH_FORMATS: tuple[str, ...] = ("graphml", "gexf")
#: The CSV tables ``export_tables`` writes, as ``<name>.csv``.
TABLES: tuple[str, ...] = ("statements", "entities", "mentions", "links")

_QUADS = """
SELECT DISTINCT ?g ?s ?p ?o WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(!BOUND(?arg_graph) || STR(?g) = STR(?arg_graph))
}
"""


class ExportError(KGError):
    """An export cannot be made as asked (unknown format or publication)."""


def rdf_dataset(dataset: Dataset, *, publication: str | None = None) -> Dataset:
    """An in-memory copy of the graph's quads, or of one publication's named graph.

    ``"x"^^xsd:string`` is written ``"x"``: the same term in RDF 1.1, and
    the form every parser reads back.

    Args:
        dataset: The graph.
        publication: A document id or publication IRI; None for everything.

    Raises:
        ExportError: no publication has that id.
    """
    graph_iri = None
    if publication is not None:
        found = lookup.publications(dataset, publication=publication)
        if not found:
            raise ExportError(f"no publication {publication!r}; `kg stats` lists the publications")
        graph_iri = str(HMID[f"graph/{found[0].doc_id}"])
    out = Dataset()
    bind_prefixes(out)
    bindings = {"arg_graph": graph_iri} if graph_iri else {}
    for r in run(dataset, _QUADS, bindings):
        assert isinstance(r, ResultRow)
        o = r.o
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.graph(URIRef(str(r.g))).add((r.s, r.p, o))
    return out


def export_rdf(dataset: Dataset, fmt: str, *, publication: str | None = None) -> bytes:
    """The graph (or one publication's named graph) serialised as ``fmt``.

    Args:
        dataset: The graph.
        fmt: ``turtle`` (triples of all graphs merged; graph names are lost),
            ``trig``, ``nquads`` or ``jsonld`` (graph names kept).
        publication: A document id or publication IRI; None for everything.

    Raises:
        ExportError: unknown format or publication.
    """
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown RDF format {fmt!r}; choose one of {', '.join(RDF_FORMATS)}")
    data = rdf_dataset(dataset, publication=publication)
    if fmt == "turtle":
        merged = bind_prefixes(Graph(bind_namespaces="core"))
        for s, p, o, _ in data.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged.serialize(format="turtle", encoding="utf-8")
    with warnings.catch_warnings():  # rdflib 7.6's own TriG/N-Quads serializers call its deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        return data.serialize(format=RDF_FORMATS[fmt], encoding="utf-8")


def _graph_ready(g: Projection) -> Projection:
    """A copy without ``None`` attributes, which GraphML and GEXF cannot hold."""
    out: Projection = nx.MultiDiGraph()
    for n, data in g.nodes(data=True):
        out.add_node(n, **{k: v for k, v in data.items() if v is not None})
    for s, o, key, data in g.edges(keys=True, data=True):
        out.add_edge(s, o, key=key, **{k: v for k, v in data.items() if v is not None})
    return out


def export_graph(g: Projection, fmt: str) -> bytes:
    """A networkx projection as GraphML or GEXF (for Gephi).

    Attributes that are None (``doc_id`` of vocabulary concepts) are left
    out, since neither format has a null. Edge keys (the predicate CURIEs)
    become edge ids in GraphML; GEXF needs graph-unique edge ids, so there
    edges are numbered and the CURIE is kept in the ``label`` and ``curie`` attributes.

    Raises:
        ExportError: unknown format.
    """
    ready = _graph_ready(g)
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(ready, buf, encoding="utf-8")
    elif fmt == "gexf":
        for n, data in ready.nodes(data=True):
            data.setdefault("label", n)
        flat: Projection = nx.MultiDiGraph()
        flat.add_nodes_from(ready.nodes(data=True))
        for number, (s, o, key, data) in enumerate(ready.edges(keys=True, data=True)):
            flat.add_edge(s, o, key=number, id=str(number), label=key, curie=key, **data)
        nx.write_gexf(flat, buf, encoding="utf-8")
    else:
        raise ExportError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")
    return buf.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def _link_row(link: TrailLink) -> dict[str, Any]:
    row: dict[str, Any] = {k: getattr(link, k) for k in ("iri", "relation", "status", "status_label", "confidence")}
    row.update(method=link.method, inferred=link.inferred)
    for end_name in ("earlier", "later"):
        end = getattr(link, end_name)
        for f in dataclasses.fields(end):
            row[f"{end_name}_{f.name}"] = getattr(end, f.name)
    return row


def _records(dataset: Dataset, table: str) -> tuple[list[str], Iterable[dict[str, Any]]]:
    if table == "statements":
        statements = [dataclasses.asdict(s) for s in lookup.statements(dataset)]
        return [f.name for f in dataclasses.fields(StatementRecord)], statements
    if table == "entities":
        return [f.name for f in dataclasses.fields(EntitySummary)], map(dataclasses.asdict, lookup.entities(dataset))
    if table == "mentions":
        return [f.name for f in dataclasses.fields(MentionRecord)], map(dataclasses.asdict, lookup.mentions(dataset))
    if table == "links":
        rows = [_link_row(link) for link in lookup.links(dataset)]
        columns = ["iri", "relation", "status", "status_label", "confidence", "method", "inferred"]
        for end_name in ("earlier", "later"):
            columns += [f"{end_name}_{f.name}" for f in dataclasses.fields(LinkEnd)]
        return columns, rows
    raise ExportError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")


def write_table(dataset: Dataset, table: str) -> str:
    """One table as CSV text (RFC 4180, header row; tuples joined by spaces, None empty)."""
    columns, rows = _records(dataset, table)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _cell(row.get(c)) for c in columns})
    return buf.getvalue()


def export_tables(dataset: Dataset, directory: Path, *, tables: Sequence[str] = TABLES) -> list[Path]:
    """Write ``<table>.csv`` for each table into ``directory`` (created if missing); returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        path = directory / f"{table}.csv"
        path.write_text(write_table(dataset, table), encoding="utf-8", newline="")
        written.append(path)
    return written
