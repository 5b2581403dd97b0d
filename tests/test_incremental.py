"""Incremental builds: only changed documents are re-extracted, and the graph equals a full rebuild."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.extractor import Extractor, make_extractor
from kg.build.incremental import CACHE_DIR, EXTRACTIONS_DIR, dumps, loads
from kg.build.pipeline import build
from kg.store.generations import open_dataset


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """Rule-based entities only: the same extractor for every build here, and quick."""
    return make_extractor(model=None)


def _quads(store: Path) -> dict[str, set[tuple[object, object, object]]]:
    """Every named graph of a store, as plain sets of triples (the graphs have no blank nodes)."""
    ds = open_dataset(store)
    out: dict[str, set[tuple[object, object, object]]] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        out.setdefault(str(g), set()).add((s, p, o))
    return out


def _built_copy(corpus_dir: Path, tmp_path: Path, extractor: Extractor) -> tuple[Path, Path]:
    """A copy of the shipped corpus, built once into a store: what every update here starts from."""
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    shutil.copytree(corpus_dir, corpus)
    build(corpus, store, extractor=extractor)
    return corpus, store


def _append_line(path: Path) -> None:
    """Add a closing line to a document, as a late correction would."""
    path.write_text(path.read_text(encoding="utf-8") + "\nAn extra closing line.\n", encoding="utf-8")


def _edit_corpus(corpus: Path) -> None:
    """Change one document, delete one, add one."""
    peel = corpus / "durham-peel-2023-report.txt"
    text = peel.read_text(encoding="utf-8")
    peel.write_text(text.replace("Durham Constabulary", "Durham Constabulary", 1) + "\nAn extra closing line.\n")
    (corpus / "northumbria-ncpi-2019-review-press-release.txt").unlink()
    manifest = corpus / "manifest.toml"
    entries = manifest.read_text(encoding="utf-8").split("[[document]]")
    manifest.write_text(
        "[[document]]".join(e for e in entries if "northumbria-ncpi-2019-review-press-release.txt" not in e),
        encoding="utf-8",
    )
    (corpus / "new-note.txt").write_text(
        "Durham Constabulary – a short note\n\nThe force has improved its referrals to children's social care.\n",
        encoding="utf-8",
    )


def test_rebuild_reextracts_only_changes_and_equals_a_full_build(corpus_dir, tmp_path, extractor):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    store = tmp_path / "store"
    first = build(corpus, store, extractor=extractor)
    assert first.reused == ()

    again = build(corpus, store, extractor=extractor)
    assert set(again.reused) == set(first.documents)

    _edit_corpus(corpus)
    incremental = build(corpus, store, extractor=extractor)
    assert set(incremental.reused) == {"durham-ncpi-2019-report", "durham-ncpi-2019-press-release"}
    assert set(incremental.documents) - set(incremental.reused) == {"durham-peel-2023-report", "new-note"}

    full_store = tmp_path / "full"
    full = build(corpus, full_store, extractor=extractor, incremental=False)
    assert full.reused == ()
    assert full.documents == incremental.documents

    got, want = _quads(store), _quads(full_store)
    assert set(got) == set(want)
    assert not any("northumbria-ncpi-2019-review-press-release" in g for g in got)
    for name in want:
        assert got[name] == want[name], name

    cached = {p.name for p in (store / CACHE_DIR / EXTRACTIONS_DIR).iterdir()}
    assert cached == {f"{d}.json.gz" for d in incremental.documents}


def test_manifest_change_alone_reextracts_the_document(corpus_dir, tmp_path, extractor):
    corpus, store = _built_copy(corpus_dir, tmp_path, extractor)
    manifest = corpus / "manifest.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            'title = "Durham – National child protection inspection"', 'title = "Durham – NCPI (retitled)"'
        ),
        encoding="utf-8",
    )
    report = build(corpus, store, extractor=extractor)
    assert "durham-ncpi-2019-report" not in report.reused
    assert len(report.reused) == len(report.documents) - 1


def test_corrupt_or_foreign_cache_entries_are_misses(corpus_dir, tmp_path, extractor):
    corpus, store = _built_copy(corpus_dir, tmp_path, extractor)
    entries = store / CACHE_DIR / EXTRACTIONS_DIR
    (entries / "durham-ncpi-2019-report.json.gz").write_bytes(b"not a cache entry")
    release = entries / "durham-ncpi-2019-press-release.json.gz"
    release.write_bytes(release.read_bytes()[:100])  # truncated
    (entries / ".stray.tmp").write_bytes(b"left by a killed build")
    # A change to the PEEL report re-links the 2019 report's follow-ups to it, which reads the 2019
    # report's (corrupt) entry, and the release's unit, whose bullets carry the status those follow-ups
    # give (it reads the release's truncated entry): each corrupt entry is a miss, re-extracted.
    peel = corpus / "durham-peel-2023-report.txt"
    _append_line(peel)
    report = build(corpus, store, extractor=extractor)
    assert set(report.documents) - set(report.reused) == {
        "durham-peel-2023-report",
        "durham-ncpi-2019-report",
        "durham-ncpi-2019-press-release",
    }
    assert not (entries / ".stray.tmp").exists()


def test_a_change_relinks_only_its_own_force(corpus_dir, tmp_path, extractor, monkeypatch):
    import kg.ingest.corpus

    corpus, store = _built_copy(corpus_dir, tmp_path, extractor)
    before = _quads(store)
    release = corpus / "northumbria-ncpi-2019-review-press-release.txt"
    _append_line(release)
    # Durham's cache entries are not even read: make them unreadable to prove it.
    for entry in (store / CACHE_DIR / EXTRACTIONS_DIR).glob("durham-*.json.gz"):
        entry.write_bytes(b"unreadable")
    decoded: list[str] = []
    real_read_text = kg.ingest.corpus.read_text

    def recording_read_text(path, data):  # type: ignore[no-untyped-def]
        decoded.append(Path(path).name)
        return real_read_text(path, data)

    monkeypatch.setattr(kg.ingest.corpus, "read_text", recording_read_text)
    report = build(corpus, store, extractor=extractor)
    monkeypatch.undo()
    # Unchanged files of other forces are not even decoded.
    assert decoded == ["northumbria-ncpi-2019-review-press-release.txt"]
    assert set(report.documents) - set(report.reused) == {"northumbria-ncpi-2019-review-press-release"}
    after = _quads(store)
    for unit in ("durham-ncpi-2019-report", "durham-ncpi-2019-press-release"):
        durham_links = f"https://w3id.org/hmi-kg/id/graph/links/{unit}"
        assert after[durham_links] == before[durham_links]
    full = build(corpus, tmp_path / "full", extractor=extractor, incremental=False)
    assert full.documents == report.documents
    assert after == _quads(tmp_path / "full")


def test_a_different_extractor_does_not_reuse_entries(corpus_dir, tmp_path, extractor):
    corpus, store = _built_copy(corpus_dir, tmp_path, extractor)
    no_entities = make_extractor(model=None, entities=False)
    report = build(corpus, store, extractor=no_entities)
    assert report.reused == ()


def test_cache_codec_round_trips_every_corpus_extraction(extractions):
    for name, extraction in extractions.items():
        document = extraction.structured.document
        assert loads(dumps(extraction), document) == extraction, name


def test_cli_build_says_what_it_reused(corpus_dir, tmp_path):
    from kg.cli.main import cli

    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    args = ["build", str(corpus), "--store", str(tmp_path / "s"), "--quiet", "--model", "none"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert "re-extracted: 4, reused unchanged: 0" in first.output
    second = CliRunner().invoke(cli, args)
    assert "re-extracted: 0, reused unchanged: 4; link units re-linked: 0" in second.output
    full = CliRunner().invoke(cli, [*args, "--full"])
    assert "re-extracted: 4, reused unchanged: 0" in full.output


def test_an_edit_outside_every_statement_relinks_nothing(corpus_dir, tmp_path, extractor):
    from kg.ingest import read_corpus
    from kg.link.linker import link_inputs

    corpus, store = _built_copy(corpus_dir, tmp_path, extractor)
    report_file = corpus / "durham-ncpi-2019-report.txt"
    before_edit = next(d for d in read_corpus(corpus) if getattr(d, "doc_id", "") == "durham-ncpi-2019-report")
    _append_line(report_file)
    after_edit = next(d for d in read_corpus(corpus) if getattr(d, "doc_id", "") == "durham-ncpi-2019-report")
    # The premise: the closing line lands outside every statement, so nothing the linker reads changed.
    assert link_inputs(extractor(before_edit)) == link_inputs(extractor(after_edit))
    # Its units' other publications are not even read: make their cache entries unreadable to prove it.
    for entry in (store / CACHE_DIR / EXTRACTIONS_DIR).glob("*.json.gz"):
        if entry.name != "durham-ncpi-2019-report.json.gz":
            entry.write_bytes(b"unreadable")
    links_before = {g: q for g, q in _quads(store).items() if "/graph/links/" in g}
    report = build(corpus, store, extractor=extractor)
    assert set(report.documents) - set(report.reused) == {"durham-ncpi-2019-report"}
    after = _quads(store)
    assert {g: q for g, q in after.items() if "/graph/links/" in g} == links_before
    build(corpus, tmp_path / "full", extractor=extractor, incremental=False)
    assert after == _quads(tmp_path / "full")


def test_an_update_that_breaks_a_link_is_refused(corpus_dir, tmp_path, extractor, monkeypatch):
    """Only the links an update changes are validated again, and a broken one among them is caught."""
    from rdflib import Literal

    import kg.build.pipeline
    from kg.errors import ValidationFailed
    from kg.namespaces import HMI

    corpus, store = _built_copy(corpus_dir, tmp_path, extractor)
    before = _quads(store)
    real = kg.build.pipeline.build_links_graph

    def one_broken_link(*args, **kwargs):  # type: ignore[no-untyped-def]
        graph = real(*args, **kwargs)
        link = next(graph.subjects(HMI.confidence, None), None)
        if link is not None:
            graph.add((link, HMI.confidence, Literal("very sure")))  # a second, non-decimal confidence
        return graph

    monkeypatch.setattr(kg.build.pipeline, "build_links_graph", one_broken_link)
    peel = corpus / "durham-peel-2023-report.txt"
    _append_line(peel)
    with pytest.raises(ValidationFailed, match="confidence"):
        build(corpus, store, extractor=extractor)
    assert _quads(store) == before


def test_an_update_without_its_graph_copies_reads_the_store_instead(corpus_dir, tmp_path, extractor):
    from kg.build.incremental import GRAPHS_DIR

    corpus, store = _built_copy(corpus_dir, tmp_path, extractor)
    copies = store / CACHE_DIR / GRAPHS_DIR
    assert any(copies.iterdir())
    shutil.rmtree(copies)
    peel = corpus / "durham-peel-2023-report.txt"
    _append_line(peel)
    report = build(corpus, store, extractor=extractor)
    assert report.relinked  # the links graphs were diffed against the store's own copies
    build(corpus, tmp_path / "full", extractor=extractor, incremental=False)
    assert _quads(store) == _quads(tmp_path / "full")
    assert any(copies.iterdir())


def test_an_update_whose_graph_copies_are_damaged_reads_the_store_instead(corpus_dir, tmp_path, extractor):
    """A copy is streamed and checked only once read to its end; a damaged one must not leave a wrong delta."""
    import gzip

    from kg.build.incremental import GRAPHS_DIR

    corpus, store = _built_copy(corpus_dir, tmp_path, extractor)
    copies = list((store / CACHE_DIR / GRAPHS_DIR).iterdir())
    assert copies
    for n, copy in enumerate(copies):
        lines = gzip.decompress(copy.read_bytes()).splitlines(keepends=True)
        # Half the copies lose their last line (still sorted, the digest is what tells), half are cut short.
        damaged = gzip.compress(b"".join(lines[:-1])) if n % 2 else gzip.compress(b"".join(lines))[:-9]
        copy.write_bytes(damaged)
    peel = corpus / "durham-peel-2023-report.txt"
    _append_line(peel)
    report = build(corpus, store, extractor=extractor)
    assert report.relinked
    build(corpus, tmp_path / "full", extractor=extractor, incremental=False)
    assert _quads(store) == _quads(tmp_path / "full")


def test_the_corpus_manifest_is_read_from_its_cached_copy_until_it_changes(corpus_dir, tmp_path):
    from kg.ingest.manifest import load_manifest

    cache = tmp_path / "cache"
    parsed = load_manifest(corpus_dir)
    assert load_manifest(corpus_dir, cache) == parsed
    copies = list(cache.glob("manifest-*.json"))
    assert len(copies) == 1
    assert load_manifest(corpus_dir, cache) == parsed  # from the copy
    copies[0].write_text("{not json", encoding="utf-8")
    assert load_manifest(corpus_dir, cache) == parsed  # a damaged copy is a miss
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    manifest = corpus / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("Durham –", "Durham, retitled –", 1), "utf-8")
    edited = load_manifest(corpus, cache)
    assert edited != parsed and any("retitled" in (e.title or "") for e in edited.values())
    assert len(list(cache.glob("manifest-*.json"))) == 1  # the stale copy is gone


def test_unchanged_files_are_not_read_again_and_a_disguised_change_is_still_noticed(
    corpus_dir, tmp_path, extractor, monkeypatch
):
    import os
    import time

    import kg.build.pipeline
    import kg.ingest.corpus

    monkeypatch.setattr(kg.build.pipeline, "STAT_MARGIN_NS", 0)  # the copies below are younger than the usual margin
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    time.sleep(0.05)
    store = tmp_path / "store"
    build(corpus, store, extractor=extractor)
    read: list[str] = []
    real = kg.ingest.corpus._read_bytes

    def recording(path):  # type: ignore[no-untyped-def]
        read.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(kg.ingest.corpus, "_read_bytes", recording)
    again = build(corpus, store, extractor=extractor)
    assert read == [] and set(again.reused) == set(again.documents)

    # Same size, and the old modification time put back: the inode's change time still gives it away.
    release = corpus / "durham-ncpi-2019-press-release.txt"
    before = release.stat()
    text = release.read_text(encoding="utf-8")
    release.write_text(text.replace("the", "THE", 1), encoding="utf-8")
    os.utime(release, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert release.stat().st_size == before.st_size
    report = build(corpus, store, extractor=extractor)
    assert "durham-ncpi-2019-press-release.txt" in read
    assert "durham-ncpi-2019-press-release" not in report.reused


def test_the_summary_is_rewritten_only_when_the_entity_sums_change(corpus_dir, tmp_path, extractor, monkeypatch):
    import kg.build.pipeline
    from kg.graph.tally import SUMMARY_GRAPH

    corpus, store = _built_copy(corpus_dir, tmp_path, extractor)
    made: list[object] = []
    real = kg.build.pipeline.summary_graph

    def recording(sums):  # type: ignore[no-untyped-def]
        made.append(sums)
        return real(sums)

    monkeypatch.setattr(kg.build.pipeline, "summary_graph", recording)
    report_file = corpus / "durham-ncpi-2019-report.txt"
    _append_line(report_file)  # names no entity
    build(corpus, store, extractor=extractor)
    assert made == []
    report_file.write_text(report_file.read_text(encoding="utf-8") + "\nThe force now uses Visor daily.\n")
    build(corpus, store, extractor=extractor)
    assert len(made) == 1
    build(corpus, tmp_path / "full", extractor=extractor, incremental=False)
    assert _quads(store)[str(SUMMARY_GRAPH)] == _quads(tmp_path / "full")[str(SUMMARY_GRAPH)]
