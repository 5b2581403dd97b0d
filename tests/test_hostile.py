"""The hostile corpus: every bad file gets the right outcome, and the build survives them all.

The files are generated into a temporary directory by
``tests/data/hostile/make_hostile.py`` (one of them is 50 MB), never committed.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.extract import extract_statements
from kg.ingest import read_corpus
from kg.ingest.corpus import doc_id_for
from kg.ingest.decode import decode_text
from kg.records import IngestFailure, SourceDocument
from kg.structure import MAX_BLOCK_CHARS, structure

HERE = Path(__file__).resolve().parent


def _load_maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_hostile", HERE / "data" / "hostile" / "make_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_hostile"] = module
    spec.loader.exec_module(module)
    return module


maker = _load_maker()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:  # type: ignore[type-arg]
    """The full hostile corpus, with the 50 MB text."""
    out = tmp_path_factory.mktemp("hostile")
    return out, maker.make_hostile(out)


@pytest.fixture(scope="module")
def read(hostile) -> dict[str, SourceDocument | IngestFailure]:
    out, _ = hostile
    return {Path(item.path).name: item for item in read_corpus(out)}


def test_every_hostile_file_gets_its_outcome(hostile, read):
    _, cases = hostile
    assert set(read) == {c.name for c in cases}
    for case in cases:
        item = read[case.name]
        if case.outcome == "skipped":
            assert isinstance(item, IngestFailure), f"{case.name} should be skipped"
            assert case.expect_reason in item.reason, (case.name, item.reason)
            assert item.path.endswith(case.name)
        else:
            assert isinstance(item, SourceDocument), f"{case.name}: {getattr(item, 'reason', '')}"
            for expected in case.expect_text:
                assert expected in item.text, (case.name, expected)


def test_skip_messages_name_the_file_and_read_as_sentences(read):
    for name, item in read.items():
        if isinstance(item, IngestFailure):
            assert name in item.path
            assert item.reason and item.reason[0].islower() and "Traceback" not in item.reason


def test_html_scripts_and_handlers_are_dropped(read):
    doc = read["scripts-and-nesting.html"]
    assert isinstance(doc, SourceDocument)
    for bad in ("alert", "injected", "steal", "color: red", "javascript"):
        assert bad not in doc.text
    assert "• item one" in doc.text


def test_decoded_text_has_no_controls_or_carriage_returns(read):
    for item in read.values():
        if isinstance(item, SourceDocument):
            assert "\r" not in item.text and "\x00" not in item.text and "\ufeff" not in item.text
            assert not any(ord(c) < 32 and c not in "\n\t" for c in item.text[:100_000])


def test_every_ingested_hostile_document_structures_and_extracts(read):
    """No crash, every block bounded, every statement's quote is its source slice."""
    for name, item in read.items():
        if not isinstance(item, SourceDocument):
            continue
        extraction = extract_statements(structure(item))
        text = item.text
        for section in extraction.structured.walk():
            for block in section.blocks:
                assert block.span.end - block.span.start <= MAX_BLOCK_CHARS, name
                assert text[block.span.start : block.span.end] == block.span.quote
                for piece in block.items + tuple(c for row in block.cells for c in row):
                    assert piece.end - piece.start <= MAX_BLOCK_CHARS, name
        for st in extraction.statements:
            assert text[st.span.start : st.span.end] == st.span.quote, name


def test_the_50_mb_text_is_read_whole(read):
    doc = read["big.txt"]
    assert isinstance(doc, SourceDocument)
    assert len(doc.text) > 49 * 2**20


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Caf\u00e9", "latin-1"),
        ("Caf\u00e9", "cp1252"),
        ("\u201cQuoted\u201d text", "cp1252"),
        ("Cost \u00a3250 \u2013 about \u00bd.", "cp1252"),
        ("The force\u2019s \u201cbest\u201d effort \u2014 said the inspector\u2026", "cp1252"),
        ("Na\u00efve co\u00f6perate r\u00e9sum\u00e9 \u00a3 \u00a9 2019", "latin-1"),
        ("\u2022 bullet one\n\u2022 bullet two\n", "cp1252"),
        (
            "\u041f\u0440\u0438\u0432\u0435\u0442, \u044d\u0442\u043e \u0442\u0435\u0441\u0442\u043e\u0432\u044b\u0439 "
            "\u0442\u0435\u043a\u0441\u0442 \u043d\u0430 \u0440\u0443\u0441\u0441\u043a\u043e\u043c \u044f\u0437\u044b"
            "\u043a\u0435.",
            "cp1251",
        ),
        ("Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144, \u017ceby sprawdzi\u0107 tekst.", "cp1250"),
    ],
)
def test_single_byte_encodings_decode_to_the_original(text, encoding):
    assert decode_text(Path("x.txt"), text.encode(encoding)) == text


def test_utf16_without_bom_is_refused_as_binary():
    from kg.errors import IngestError

    with pytest.raises(IngestError, match="binary"):
        decode_text(Path("x.txt"), "Plain words".encode("utf-16-le"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Rapport d\u2019inspection \u00e9t\u00e9 2024 \u2013 \u0141\u00f3d\u017a.txt",
            "rapport-dinspection-ete-2024-lodz",
        ),
        ("My Report (final).txt", "my-report-final"),
        ("Stra\u00dfe.txt", "strasse"),
    ],
)
def test_doc_ids_from_awkward_names(name, expected):
    assert doc_id_for(Path(name)) == expected


def test_doc_id_of_a_name_without_ascii_is_stable_and_distinct():
    a, b = doc_id_for(Path("\u8b66\u5bdf.txt")), doc_id_for(Path("\u8b66\u5bdf\u5c40.txt"))
    assert a.startswith("doc-") and b.startswith("doc-") and a != b
    assert a == doc_id_for(Path("\u8b66\u5bdf.txt"))


def test_build_of_hostile_corpus_lists_every_skip_and_strict_fails(tmp_path):
    """A whole build over the hostile corpus (smaller big files, rule-based entities for speed)."""
    corpus = tmp_path / "hostile"
    cases = maker.make_hostile(corpus, big_bytes=256 * 1024, long_line_chars=200_000)
    store = tmp_path / "store"
    result = CliRunner().invoke(
        cli, ["build", str(corpus), "--store", str(store), "--quiet", "--strict", "--model", "none"]
    )
    assert result.exit_code == 1, result.output
    summary = result.output
    skipped = [c for c in cases if c.outcome == "skipped"]
    assert f"Skipped {len(skipped)} file(s)" in summary
    for case in skipped:
        assert case.name in summary and case.expect_reason in summary, case.name
    # The graph is still built from everything that could be read.
    from kg.query import run
    from kg.store import open_dataset

    rows = run(
        open_dataset(store),
        "PREFIX hmi: <https://w3id.org/hmi-kg/ontology#> SELECT (COUNT(DISTINCT ?p) AS ?n) "
        "WHERE { ?p hmi:documentKind ?k }",
    )
    ingested = [c for c in cases if c.outcome == "ingested"]
    assert [int(r[0]) for r in rows] == [len(ingested)]  # type: ignore[index]
