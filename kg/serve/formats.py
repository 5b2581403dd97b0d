"""What ``kg serve`` writes: content negotiation, result and graph formats, truncation notes, service description.

SELECT and ASK answers are written in the SPARQL 1.1 results formats (JSON,
XML, CSV, TSV); CONSTRUCT and DESCRIBE answers in every RDF syntax rdflib
writes that clients ask for: Turtle, N3, N-Triples, RDF/XML and JSON-LD.
A client names the format by ``Accept`` or by a ``format``/``output``/
``results`` parameter, by short name or media type. SPARQLWrapper sends
both, and names some formats the parameters cannot (``format=n3`` with a
Turtle ``Accept``), so the first parameter value this server knows wins,
then ``Accept``; only when neither names a format it writes is the answer
406 with the list of what it offers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "choose_format",
    "mark_truncated",
    "serialise",
    "service_description",
]

#: Result formats: short name → media type. The first is the default.
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: Graph formats: short name (rdflib's serializer name) → media type. The first is the default.
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "json-ld": "application/ld+json",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
    "n3": "text/n3",
}
_RESULT_ALIASES = {
    "application/json": "json",
    "text/xml": "xml",
    "application/xml": "xml",
    "text/javascript": "json",
    "application/javascript": "json",
}
_GRAPH_ALIASES = {
    "jsonld": "json-ld",
    "json": "json-ld",
    "application/json": "json-ld",
    "application/x-json+ld": "json-ld",
    "ttl": "turtle",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "ntriples": "nt",
    "n-triples": "nt",
    "text/plain": "nt",
    "rdf": "xml",
    "rdfxml": "xml",
    "rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/rdf+n3": "n3",
    "application/n3": "n3",
}

#: W3C format IRIs (http://www.w3.org/ns/formats/) of what this server writes, for the service description.
_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "json-ld": "JSON-LD",
    "nt": "N-Triples",
    "rdfxml": "RDF_XML",
    "n3": "N3",
}


def _accepted(accept: str) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured, ties kept in order)."""
    items = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            items.append((-q, i, fields[0].lower()))
    return [t for _, _, t in sorted(items)]


def _named(name: str, kind: str) -> str | None:
    """The short name for a format name or media type, or None if this server does not write it."""
    table = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
    aliases = _GRAPH_ALIASES if kind == "graph" else _RESULT_ALIASES
    name = name.strip().lower()
    if name in table:
        return name
    for short, media in table.items():
        if media == name:
            return short
    return aliases.get(name)


def choose_format(kind: str, accept: str, fmt: str | Sequence[str] | None) -> str | None:
    """The short name of the format to write ``kind`` ("results" or "graph") in, or None if none fits."""
    table = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
    for name in [fmt] if isinstance(fmt, str) else list(fmt or []):
        found = _named(name, kind)
        if found is not None:
            return found
    if isinstance(fmt, str):  # one explicit format, not one this server writes
        return None
    wanted = _accepted(accept or "*/*")
    if not wanted:
        return next(iter(table))
    for media in wanted:
        if media in ("*/*", "application/*", "text/*"):
            return next(iter(table))
        found = _named(media, kind)
        if found is not None:
            return found
    return None


def offered(kind: str) -> str:
    """The media types this server writes ``kind`` in, for a 406 message."""
    return ", ".join((GRAPH_TYPES if kind == "graph" else RESULT_TYPES).values())


def _tsv_term(term: Any) -> str:
    """A term in SPARQL 1.1 TSV syntax (N-Triples-like, one line)."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"')
        text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    return str(term)


def serialise(result: Any, fmt: str) -> bytes:
    """Write an rdflib query result in a SPARQL 1.1 results format or an RDF syntax."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        data = result.graph.serialize(format=fmt)
        return data if isinstance(data, bytes) else data.encode("utf-8")
    if fmt == "tsv":
        if result.type == "ASK":
            return ("?_askResult\n" + ("true" if result.askAnswer else "false") + "\n").encode("utf-8")
        names = [str(v) for v in (result.vars or [])]
        lines = ["\t".join(f"?{n}" for n in names)]
        for row in result:
            lines.append("\t".join(_tsv_term(row[i]) for i in range(len(names))))
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "csv" and result.type == "ASK":
        return f"_askResult\r\n{str(bool(result.askAnswer)).lower()}\r\n".encode()
    out = result.serialize(format=fmt)
    return out if isinstance(out, bytes) else str(out).encode("utf-8")


def mark_truncated(body: bytes, kind: str, fmt: str, note: str) -> bytes:
    """``body`` with ``note`` written where each format allows a note its readers skip.

    JSON results and JSON-LD get a ``"truncated"`` member (SPARQL JSON and
    JSON-LD readers ignore members they do not know); XML results, RDF/XML,
    Turtle, N3 and N-Triples get a comment. CSV and TSV have no place for a
    note that a reader would not take for a row: there the header says it.
    """
    note = " ".join(note.split())
    if fmt == "json" or fmt == "json-ld":
        doc = json.loads(body)
        if isinstance(doc, list):
            doc = {"@graph": doc}
        doc["truncated"] = note
        return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt in ("turtle", "nt", "n3"):
        return f"# {note}\n".encode() + body
    if fmt == "xml":
        comment = f"<!-- {note.replace('--', '- -')} -->\n".encode()
        text = body.lstrip()
        if text.startswith(b"<?xml"):
            end = text.index(b"?>") + 2
            return text[:end] + b"\n" + comment + text[end:].lstrip(b"\r\n")
        return comment + text
    return body


def service_description(endpoint: str, *, max_rows: int, allow_service: Iterable[str] = ()) -> Any:
    """A SPARQL 1.1 Service Description of this endpoint, as an rdflib graph."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, RDFS

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    g = Graph()
    g.bind("sd", sd)
    g.bind("formats", formats)
    service = BNode("service")
    g.add((service, RDF.type, sd.Service))
    g.add((service, sd.endpoint, URIRef(endpoint)))
    g.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    for name in _FORMAT_IRIS.values():
        g.add((service, sd.resultFormat, formats[name]))
    g.add((service, sd.feature, sd.UnionDefaultGraph))
    if list(allow_service):
        g.add((service, sd.feature, sd.BasicFederatedQuery))
    dataset, graph = BNode("dataset"), BNode("default-graph")
    g.add((service, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    g.add((dataset, sd.defaultGraph, graph))
    g.add((graph, RDF.type, sd.Graph))
    g.add(
        (
            service,
            RDFS.comment,
            Literal(
                "Read-only: SPARQL Update is refused. The default graph is the union of every "
                f"document's named graph. Answers are cut at {max_rows} rows (or triples), and marked "
                "when cut. SERVICE is refused"
                + (" except for " + ", ".join(sorted(allow_service)) if list(allow_service) else "")
                + ".",
                lang="en",
            ),
        )
    )
    return g
