"""Whole builds: deterministic, valid, and robust to bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Dataset
from rdflib.compare import isomorphic

from kg.build.pipeline import build, build_graphs, union
from kg.graph.validate import validate
from kg.ingest import read_corpus
from kg.records import IngestFailure
from kg.store.generations import current_generation, open_dataset


def test_build_twice_gives_isomorphic_graphs(corpus_dir, corpus_build):
    first, _, _ = corpus_build
    second, _, _ = build_graphs(corpus_dir)
    assert [g.identifier for g in first] == [g.identifier for g in second]
    for a, b in zip(first, second, strict=True):
        assert isomorphic(a, b), a.identifier


def test_build_has_no_blank_nodes(corpus_build):
    graphs, _, _ = corpus_build
    from rdflib import BNode

    doc_graphs = graphs[2:]
    assert not any(isinstance(t, BNode) for g in doc_graphs for triple in g for t in triple)


def test_build_conforms_to_shapes(corpus_build):
    graphs, _, _ = corpus_build
    report = validate(union(graphs))
    assert report.conforms, report.violations[:3]


def test_build_shapes_catch_a_broken_statement(corpus_build):
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    graphs, _, _ = corpus_build
    data = union(graphs)
    finding = next(data.subjects(predicate=None, object=URIRef("https://w3id.org/hmi-kg/ontology#Finding")))
    data.remove((finding, RDFS.label, None))
    report = validate(data)
    assert not report.conforms
    assert any("label" in v.message for v in report.violations)


def test_build_one_named_graph_per_document(built_store):
    ds = open_dataset(built_store)
    names = {str(g.identifier) for g in ds.graphs()}
    for doc in (
        "durham-ncpi-2019-report",
        "durham-peel-2023-report",
        "durham-ncpi-2019-press-release",
        "northumbria-ncpi-2019-review-press-release",
    ):
        assert f"https://w3id.org/hmi-kg/id/graph/{doc}" in names


def test_build_bad_files_are_named_and_the_rest_still_builds(corpus_dir, tmp_path, rules_extractor):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntrunc")
    (corpus / "copy of report.txt").write_bytes((corpus / "durham-ncpi-2019-report.txt").read_bytes())
    report = build(corpus, tmp_path / "store", extractor=rules_extractor)
    reasons = {Path(f.path).name: f.reason for f in report.failures}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "PDF" in reasons["broken.pdf"]
    duplicates = [name for name, reason in reasons.items() if "duplicate" in reason]
    assert len(duplicates) == 1 and duplicates[0] in {"copy of report.txt", "durham-ncpi-2019-report.txt"}
    assert len(report.documents) == 4
    assert report.validation.conforms


def test_build_keeps_previous_graph_when_new_build_fails(corpus_dir, tmp_path, monkeypatch, rules_extractor):
    import pytest

    from kg.build import pipeline
    from kg.errors import BuildRefused, ValidationFailed
    from kg.graph.validate import ValidationReport, Violation

    store = tmp_path / "store"
    build(corpus_dir, store, extractor=rules_extractor)
    before = current_generation(store)
    monkeypatch.setattr(
        pipeline,
        "validate",
        lambda g, **_: ValidationReport(
            conforms=False, violations=(Violation(focus="x", path="p", severity="Violation", message="m"),)
        ),
    )
    # Every document now fails its own check, so each is skipped and the build, left with none,
    # refuses to replace the graph rather than publish an empty one.
    with pytest.raises((ValidationFailed, BuildRefused)):
        build(corpus_dir, store, extractor=rules_extractor, incremental=False)
    assert current_generation(store) == before
    ds = open_dataset(store)
    assert isinstance(ds, Dataset)
    assert len(list(ds.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1"))) == 1


def test_build_html_document_goes_in(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "page.html").write_text(
        "<html><body><h1>Testshire Constabulary – PEEL 2025</h1><script>alert(1)</script>"
        "<h2>Areas for improvement</h2><p>The force needs to improve call answering</p>"
        "<p>Calls are <b>slow</b>.</p></body></html>",
        encoding="utf-8",
    )
    docs = list(read_corpus(corpus))
    assert not any(isinstance(d, IngestFailure) for d in docs)
    assert "alert" not in docs[0].text  # type: ignore[union-attr]
    assert "Calls are slow." in docs[0].text  # type: ignore[union-attr]
