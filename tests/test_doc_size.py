"""A document's size: what it holds grows with its text, never with the square of it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg.extract.audit import check_tallies
from kg.graph.tally import DocumentTally, document_tally
from kg.graph.triples import build_graph, graph_chunks
from kg.graph.validate import Violation, closed_chunks, validate
from kg.namespaces import HMI, OA
from kg.records import CaseAuditCounts, Extraction, Span, Statement
from kg.store.delta import canonical_nt, content_digest
from kg.store.spool import SortedTriples, Spool


def _tally(at: int, section: str, counts: tuple[int, int, int], *, overall: bool = False) -> Statement:
    span = Span(start=at, end=at + 10, quote="x" * 10)
    good, ri, inadequate = counts
    return Statement(
        doc_id="d",
        kind="case_audit_tally",
        span=span,
        heading=span,
        section=section,
        section_path=(section, "cases"),
        tally=CaseAuditCounts(good=good, requires_improvement=ri, inadequate=inadequate, overall=overall),
    )


def _audits(n: int) -> list[Statement]:
    """``n`` case file analyses, each an overall tally (one more good case than its areas add up to)
    and three areas, preceded by a summary restating the overall figures."""
    out: list[Statement] = []
    for k in range(n):
        base = k * 1000
        out.append(_tally(base, f"Summary {k}", (7, 6, 3), overall=True))
        out.append(_tally(base + 100, f"Case file analysis {k}", (7, 6, 3), overall=True))
        out += [_tally(base + 200 + 20 * i, f"Case file analysis {k}", (2, 2, 1)) for i in range(3)]
    return out


def test_each_overall_tally_is_checked_against_its_own_audit_only() -> None:
    one = check_tallies("d", _audits(1))
    many = check_tallies("d", _audits(30))
    assert [d.kind for d in one] == ["case_audit_sum", "case_audit_sum"]
    assert "by-area figures sum to 6, overall states 7" in one[0].message
    # Thirty audits: thirty times the discrepancies, each citing its overall tally and its own three areas.
    assert len(many) == 30 * len(one)
    assert all(len(d.spans) == 4 for d in many)
    for d in many:
        block = d.spans[0].start // 1000
        assert {s.start // 1000 for s in d.spans} == {block}
        assert "by-area figures sum to 6, overall states 7" in d.message


@pytest.fixture(scope="module")
def shipped(rules_extractor, corpus_dir: Path) -> list[Extraction]:  # type: ignore[no-untyped-def]
    from kg.ingest import read_corpus

    return [rules_extractor(d) for d in read_corpus(corpus_dir)]


@pytest.fixture(scope="module")
def vocab_types() -> Graph:
    from kg.build.pipeline import reference_graphs, type_triples

    return type_triples(reference_graphs()[1])


def _sorted(graphs: list[Graph], tmp_path: Path, run_lines: int = 1_000) -> SortedTriples:
    spool = Spool(tmp_path)
    return spool.sort_triples(graphs, run_lines=run_lines)


def test_a_graph_made_in_chunks_is_the_whole_graph_in_canonical_form(
    shipped: list[Extraction], rules_extractor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    for extraction in shipped:
        kwargs = {"resolve_force": rules_extractor.resolve_force, "known_concepts": rules_extractor.known_concepts}
        whole = build_graph(extraction, **kwargs)
        chunks = list(graph_chunks(extraction, size=300, **kwargs))
        assert len(chunks) > 3  # small chunks, so nodes shared by statements are in several
        streamed = _sorted(chunks, tmp_path)  # runs of 1,000 lines: the merge of many runs is exercised
        expected = canonical_nt(whole)
        assert streamed.path.read_bytes() == expected
        assert streamed.triples == len(whole)
        assert streamed.digest == content_digest(expected)


def _break(g: Graph) -> None:
    """Break one node of each kind of rule: counts, one parent, a path through a span, a class."""
    section = next(iter(g.subjects(RDF.type, HMI.Section)))
    g.add((section, DCTERMS.isPartOf, URIRef(f"{section}-elsewhere")))  # a second parent
    finding = next(iter(g.subjects(RDF.type, HMI.Finding)))
    g.remove((finding, RDFS.label, None))  # no label
    g.add((finding, HMI.polarity, URIRef(f"{finding}/not-a-polarity")))  # wrong class, and two polarities
    source = g.value(finding, HMI.source)
    for selector in list(g.objects(source, OA.hasSelector)):
        g.remove((selector, OA.exact, None))  # the span two steps away loses its quote
    tally = next(iter(g.subjects(RDF.type, HMI.CaseAuditTally)), None)
    if tally is not None:
        g.add((tally, HMI.goodCount, Literal(-1)))  # a second, negative count


def _found(report_violations: Iterable[Violation]) -> set[tuple[str, str, str]]:
    return {(v.focus, v.path, v.message) for v in report_violations}


def test_validating_closed_chunks_finds_exactly_what_validating_the_whole_finds(
    shipped: list[Extraction], rules_extractor, vocab_types: Graph, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    kwargs = {"resolve_force": rules_extractor.resolve_force, "known_concepts": rules_extractor.known_concepts}
    report = next(e for e in shipped if any(s.kind == "case_audit_tally" for s in e.statements))
    for broken in (False, True):
        whole = build_graph(report, **kwargs)
        if broken:
            _break(whole)
        streamed = _sorted([whole], tmp_path)
        found: set[tuple[str, str, str]] = set()
        parts = 0
        for part in closed_chunks(streamed.path, str(whole.identifier), size=200):
            part += vocab_types
            found |= _found(validate(part, disposable=True).violations)
            parts += 1
        assert parts > 10
        everything = Graph()
        everything += whole
        everything += vocab_types
        assert found == _found(validate(everything, disposable=True).violations)
        assert bool(found) == broken
        if broken:
            messages = {m for _, _, m in found}
            assert "A section is part of exactly one parent." in messages
            assert "A statement has exactly one plain-text label." in messages
            assert "A span has exactly one exact quote (oa:exact)." in " ".join(messages) or any(
                "exact" in m for m in messages
            )


def test_tallies_and_search_rows_read_from_closed_chunks_are_those_of_the_whole(
    shipped: list[Extraction], rules_extractor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from kg.store.search_index import SearchUpdate, rows_of_graph

    kwargs = {"resolve_force": rules_extractor.resolve_force, "known_concepts": rules_extractor.known_concepts}
    for extraction in shipped:
        whole = build_graph(extraction, **kwargs)
        streamed = _sorted([whole], tmp_path)
        counted = DocumentTally()
        search = SearchUpdate(full=True, entity_labels={})
        iri = str(whole.identifier)
        for part in closed_chunks(streamed.path, iri, size=150):
            counted.add(part)
            search.add_document_part(part)
        search.end_document(iri)
        assert counted.rows() == document_tally(whole)
        assert search.documents[iri] == rows_of_graph(whole, {})
        assert search.documents[iri]
