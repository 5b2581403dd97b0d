"""Every stored quote equals the source text at its stored offsets."""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace

from kg.records import Span

OA = Namespace("http://www.w3.org/ns/oa#")


def spans_of(ex):
    for s in ex.statements:
        yield s.span
        yield s.heading
        yield from (a.span for a in s.actions)
        yield from s.grade_evidence
    for d in ex.discrepancies:
        yield from d.spans


def test_offsets_every_extracted_span_matches_source(extractions):
    checked = 0
    for ex in extractions.values():
        text = ex.structured.document.text
        for span in spans_of(ex):
            assert isinstance(span, Span)
            assert text[span.start : span.end] == span.quote
            checked += 1
    assert checked > 300


def test_offsets_every_stored_selector_matches_source(built_store, corpus_dir):
    from kg.ingest import read_document
    from kg.query.sparql import run
    from kg.store.generations import open_dataset

    texts = {Path(p).name: read_document(p).text for p in corpus_dir.glob("*.txt")}
    rows = list(
        run(
            open_dataset(built_store),
            """
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX hmi: <https://w3id.org/hmi-kg/ontology#>
        SELECT ?file ?exact ?start ?end WHERE {
          ?r oa:hasSource ?pub ; oa:hasSelector ?q, ?p .
          ?pub hmi:sourceFile ?file .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
        }""",
        )
    )
    assert len(rows) > 400
    for file, exact, start, end in rows:  # type: ignore[misc]
        assert texts[str(file)][int(start) : int(end)] == str(exact)
