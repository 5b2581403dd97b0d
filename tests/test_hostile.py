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
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.cli.main import cli
from kg.extract import extract_statements
from kg.ingest import read_corpus
from kg.ingest.corpus import MAX_TEXT_CHARS, doc_id_for
from kg.ingest.decode import decode_text
from kg.ingest.manifest import FIELDS
from kg.records import IngestFailure, SourceDocument
from kg.structure.sections import MAX_BLOCK_CHARS, structure

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
        for statement in extraction.statements:
            assert text[statement.span.start : statement.span.end] == statement.span.quote, name


def test_the_50_mb_text_is_skipped_before_it_is_read(read, monkeypatch):
    item = read["big.txt"]
    assert isinstance(item, IngestFailure)
    assert "too large to extract" in item.reason and f"{MAX_TEXT_CHARS:,}" in item.reason


def test_a_text_over_the_limit_is_refused_without_reading_it(tmp_path, monkeypatch):
    """The size check comes before the bytes are read: no time or memory is spent on it."""
    monkeypatch.setattr("kg.ingest.corpus.MAX_TEXT_CHARS", 1000)
    (tmp_path / "long.txt").write_text("word " * 1000, encoding="utf-8")
    reads: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real(self))
    (item,) = list(read_corpus(tmp_path))
    assert isinstance(item, IngestFailure) and "too large to extract" in item.reason
    assert not [p for p in reads if p.name == "long.txt"]


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


def _count_documents(store: Path) -> int:
    from kg.query.sparql import run
    from kg.store.generations import open_dataset

    rows = run(
        open_dataset(store),
        "PREFIX hmi: <https://w3id.org/hmi-kg/ontology#> SELECT (COUNT(DISTINCT ?p) AS ?n) "
        "WHERE { ?p hmi:documentKind ?k }",
    )
    return int(next(iter(rows))[0])  # type: ignore[index]


def _build(corpus: Path, store: Path, *extra: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["build", str(corpus), "--store", str(store), "--quiet", "--model", "none", *extra])


def test_build_of_hostile_corpus_lists_every_skip_and_strict_publishes_nothing(tmp_path):
    """A whole build over the hostile corpus (smaller big files, rule-based entities for speed)."""
    from kg.ingest.corpus import shown
    from kg.store.generations import current_generation

    corpus = tmp_path / "hostile"
    cases = maker.make_hostile(corpus, big_bytes=256 * 1024, long_line_chars=200_000)
    store = tmp_path / "store"
    skipped = [c for c in cases if c.outcome == "skipped"]
    # --strict decides before publishing: exit 1, every skip listed, and no graph made current.
    strict = _build(corpus, store, "--strict")
    assert strict.exit_code == 1, strict.output
    assert f"Skipped {len(skipped)} file(s)" in strict.output and "nothing was published" in strict.output
    assert current_generation(store) is None
    result = _build(corpus, store)
    assert result.exit_code == 0, result.output
    summary = result.output
    assert f"Skipped {len(skipped)} file(s)" in summary
    for case in skipped:
        assert shown(case.name) in summary and case.expect_reason in summary, case.name
    # A newline in a file name is shown escaped: it cannot forge a line of the skip list.
    assert "forged\\n  fake.txt" in summary
    assert not any(line.startswith("  fake.txt") for line in summary.splitlines())
    ingested = [c for c in cases if c.outcome == "ingested"]
    assert _count_documents(store) == len(ingested)
    # --strict on a store that has a graph keeps it as it is.
    before = current_generation(store)
    (corpus / "report.txt").write_text("Rewritten into garbage \x00\x01\x02" * 50, encoding="latin-1")
    assert _build(corpus, store, "--strict").exit_code == 1
    assert current_generation(store) == before


def test_a_folder_that_cannot_be_listed_is_reported_not_dropped(tmp_path, monkeypatch):
    """Tests run as root, which chmod 000 does not stop: ``os.scandir`` is made to refuse the folder instead."""
    import os

    (tmp_path / "ok.txt").write_text("A short note about the force.\n", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden-report.txt").write_text("Never listed.\n", encoding="utf-8")
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr("kg.ingest.corpus.os.scandir", scandir)
    items = list(read_corpus(tmp_path))
    failures = [i for i in items if isinstance(i, IngestFailure)]
    assert [Path(f.path) for f in failures] == [locked]
    assert "cannot be listed" in failures[0].reason and "Permission denied" in failures[0].reason
    assert [Path(i.path).name for i in items if isinstance(i, SourceDocument)] == ["ok.txt"]


def test_a_link_loop_to_a_folder_is_not_walked(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "report.txt").write_text("The force was inspected.\n", encoding="utf-8")
    (tmp_path / "a" / "back").symlink_to(tmp_path, target_is_directory=True)
    assert [Path(i.path).name for i in read_corpus(tmp_path)] == ["report.txt"]


def test_one_document_whose_extraction_raises_is_skipped_and_the_rest_published(tmp_path, corpus_dir):
    """One document the extractor cannot handle is listed; the other documents are published."""
    import shutil

    from kg.build.extractor import make_extractor
    from kg.build.pipeline import build

    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    (corpus / "poison.txt").write_text("A document the extractor trips on.\n", encoding="utf-8")
    inner = make_extractor(model=None)

    class Tripping:
        def __init__(self) -> None:
            self.resolve_force = inner.resolve_force
            self.known_concepts = inner.known_concepts

        def __call__(self, document: SourceDocument):  # type: ignore[no-untyped-def]
            if document.doc_id == "poison":
                raise RecursionError("maximum recursion depth exceeded")
            return inner(document)

    report = build(corpus, tmp_path / "store", extractor=Tripping())  # type: ignore[arg-type]
    assert [Path(f.path).name for f in report.failures] == ["poison.txt"]
    assert "RecursionError" in report.failures[0].reason
    assert "poison" not in report.documents and len(report.documents) == len(list(corpus_dir.glob("*.txt")))


def _tiny_corpus(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.txt").write_text(
            f"{name.title()} Constabulary - inspection\n\nThe force should improve its {name} work.\n", encoding="utf-8"
        )


def test_a_build_that_would_remove_every_document_refuses_unless_allowed(tmp_path):
    from kg.store.generations import current_generation

    corpus, store = tmp_path / "corpus", tmp_path / "store"
    _tiny_corpus(corpus, ["alpha", "beta"])
    assert _build(corpus, store).exit_code == 0
    before = current_generation(store)
    for f in corpus.iterdir():
        f.unlink()
    refused = _build(corpus, store, "--strict")
    assert refused.exit_code == 2, refused.output
    assert "would remove all 2" in refused.output and "alpha, beta" in refused.output
    assert "--allow-empty" in refused.output and "Traceback" not in refused.output
    assert current_generation(store) == before and _count_documents(store) == 2
    assert _build(corpus, store, "--allow-empty").exit_code == 0
    assert _count_documents(store) == 0


def test_a_build_that_would_remove_most_documents_refuses_unless_allowed(tmp_path):
    from kg.store.generations import current_generation

    corpus, store = tmp_path / "corpus", tmp_path / "store"
    _tiny_corpus(corpus, ["alpha", "beta", "gamma", "delta"])
    assert _build(corpus, store).exit_code == 0
    (corpus / "beta.txt").unlink()  # one of four: allowed
    assert _build(corpus, store).exit_code == 0
    before = current_generation(store)
    (corpus / "gamma.txt").unlink()
    (corpus / "delta.txt").unlink()  # two of the three left: refused
    refused = _build(corpus, store)
    assert refused.exit_code == 2 and "would remove 2 of the current graph's 3 documents" in refused.output
    assert "delta, gamma" in refused.output or "gamma, delta" in refused.output
    assert current_generation(store) == before
    assert _build(corpus, store, "--allow-removal").exit_code == 0
    assert _count_documents(store) == 1


# --- The manifest's schema ---------------------------------------------------------------


def _manifest_problems(tmp_path: Path, toml: str, files: tuple[str, ...] = ("a.txt", "b.txt")) -> list[str]:
    """The problem lines ``load_manifest`` reports for ``toml`` (empty when it loads)."""
    from kg.errors import CorpusError
    from kg.ingest.manifest import load_manifest

    for name in files:
        (tmp_path / name).write_text("A note on the force.\n", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(toml, encoding="utf-8")
    try:
        load_manifest(tmp_path)
    except CorpusError as e:
        head, *lines = str(e).splitlines()
        assert f"{len(lines)} problem(s)" in head
        return [line.strip() for line in lines]
    return []


def test_manifest_values_of_the_wrong_type_are_each_reported_with_their_line(tmp_path):
    problems = _manifest_problems(
        tmp_path,
        '[[document]]\nfile = "a.txt"\ntitle = 5\nforce = ["Durham", "Cleveland"]\n\n'
        '[[document]]\nfile = "b.txt"\nid = 2023\nkind = "memo"\nsurprise = true\n',
    )
    where = str(tmp_path / "manifest.toml")
    kind = f"{where}:9: 'kind' is \"memo\"; expected one of 'report', 'press release'"
    assert problems[3].startswith(kind), problems[3]
    assert problems[:3] + problems[4:] == [
        f"{where}:3: 'title' is 5 (a number); expected a string in quotes",
        f"{where}:4: 'force' is a list; expected a string in quotes",
        f"{where}:8: 'id' is 2023 (a number); expected a string of lower-case letters, digits and hyphens",
        f"{where}:10: unknown key 'surprise' in [[document]] #2; allowed: {', '.join(f.key for f in FIELDS)}",
    ]


def test_a_manifest_document_key_that_is_not_a_table_list_is_reported(tmp_path):
    problems = _manifest_problems(tmp_path, "document = 5\n")
    assert problems == [f"{tmp_path / 'manifest.toml'}:1: 'document' must be written as [[document]] tables"]


@pytest.mark.parametrize("value", ['"2023-02-30"', '"2023-13-45"', '"2023-00"', '"23-11-02"', "2023-11-02T10:00:00"])
@pytest.mark.parametrize("key", ["published", "inspected", "first_published", "edition"])
def test_impossible_dates_are_refused(tmp_path, key, value):
    (problem,) = _manifest_problems(tmp_path, f'[[document]]\nfile = "a.txt"\n{key} = {value}\n')
    assert problem.startswith(f"{tmp_path / 'manifest.toml'}:3: '{key}' is ")


def test_real_dates_months_and_years_are_accepted_in_every_date_field(tmp_path):
    from kg.ingest.manifest import load_manifest

    toml = (
        '[[document]]\nfile = "a.txt"\npublished = 2024-02-29\ninspected = "2023-10"\n'
        'first_published = "2019"\nedition = "2024-03-01"\n'
    )
    assert _manifest_problems(tmp_path, toml) == []
    entry = load_manifest(tmp_path)["a.txt"]
    assert (entry.published, entry.inspected, entry.first_published, entry.edition) == (
        "2024-02-29",
        "2023-10",
        "2019",
        "2024-03-01",
    )


def test_duplicate_files_and_ids_and_unknown_announces_are_refused(tmp_path):
    problems = _manifest_problems(
        tmp_path,
        '[[document]]\nid = "one"\nfile = "a.txt"\n\n'
        '[[document]]\nid = "one"\nfile = "b.txt"\n\n'
        '[[document]]\nfile = "a.txt"\nkind = "press release"\nannounces = "no-such-report"\n\n'
        '[[document]]\nfile = "c.txt"\nannounces = "b"\n',
        files=("a.txt", "b.txt", "c.txt"),
    )
    where = tmp_path / "manifest.toml"
    assert problems == [
        f"{where}:5: id 'one' is already given at line 1; ids are unique",
        f"{where}:9: 'a.txt' already has an entry at line 1; one [[document]] per file",
        f"{where}:9: 'announces' is 'no-such-report', which is the id of no document in {tmp_path}",
        f"{where}:14: 'announces' is 'b', which is the id of no document in {tmp_path}",
    ]


def test_announces_may_name_a_file_the_manifest_does_not_list(tmp_path):
    toml = '[[document]]\nfile = "a.txt"\nkind = "press release"\nannounces = "b"\n'
    assert _manifest_problems(tmp_path, toml) == []


def test_wrong_manifest_types_end_the_build_with_one_message_and_exit_2(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _manifest_problems(corpus, '[[document]]\nfile = "a.txt"\ntitle = 5\nid = 2023\n')
    result = _build(corpus, tmp_path / "store")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.exception is not None
    assert f"{corpus / 'manifest.toml'}:3: 'title' is 5" in result.output
    assert f"{corpus / 'manifest.toml'}:4: 'id' is 2023" in result.output


def test_a_manifest_entry_naming_a_missing_file_is_a_warning_naming_both(tmp_path):
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    _tiny_corpus(corpus, ["alpha"])
    (corpus / "manifest.toml").write_text(
        '[[document]]\nid = "alpha-report"\nfile = "alpah.txt"\ntitle = "Alpha"\n', encoding="utf-8"
    )
    result = _build(corpus, store)
    assert result.exit_code == 0, result.output
    assert f"Warning: {corpus / 'manifest.toml'}: the [[document]] for file 'alpah.txt' (id 'alpha-report')" in (
        result.output
    )
    assert f"names no file in {corpus}" in result.output
    assert _build(corpus, tmp_path / "strict", "--strict").exit_code == 1


# --- Leftovers of killed builds, and error paths that end in one line ------------------------


def _kg_build_killed(corpus: Path, store: Path, fault: str) -> int:
    import os
    import subprocess

    from kg.store.generations import FAULT_ENV

    env = {**os.environ, FAULT_ENV: fault}
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store), "--quiet", "--model", "none"],
        cwd=HERE.parent,
        env=env,
        capture_output=True,
        check=False,
    )
    return proc.returncode


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(tmp_path):
    """Kills during extraction leave spools, kills during the store load leave orphan generations."""
    import signal

    from kg.store.generations import GENERATIONS_DIR, current_generation

    corpus, store = tmp_path / "corpus", tmp_path / "store"
    _tiny_corpus(corpus, ["alpha", "beta"])
    assert _build(corpus, store).exit_code == 0
    first = current_generation(store)
    for n, fault in enumerate(["extract", "extract", "store-load", "before-switch"]):
        (corpus / f"new-{n}.txt").write_text(f"Note {n} on the force.\n\nThe force should act.\n", encoding="utf-8")
        assert _kg_build_killed(corpus, store, fault) == -signal.SIGKILL
        # Each build removes what the builds killed before it left: at most the last one's is there.
        assert len(list(store.glob(".spool-*"))) == 1
        assert len(list((store / GENERATIONS_DIR).iterdir())) <= 2 + (fault in ("store-load", "before-switch"))
    assert current_generation(store) == first
    assert _build(corpus, store).exit_code == 0
    assert not list(store.glob(".spool-*")) and not list(store.glob(".current.*"))
    generations = list((store / GENERATIONS_DIR).iterdir())
    assert len(generations) == 2 and first is not None and first in [g.resolve() for g in generations]
    assert _count_documents(store) == 6


def test_a_running_builds_spool_is_left_alone(tmp_path):
    from kg.store.spool import Spool, remove_stale_spools

    with Spool(tmp_path) as live:
        assert remove_stale_spools(tmp_path) == []
        assert live.dir.exists()
    assert not live.dir.exists()


def test_a_store_folder_that_cannot_be_written_is_one_line_and_exit_2(tmp_path):
    corpus = tmp_path / "corpus"
    _tiny_corpus(corpus, ["alpha"])
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = _build(corpus, blocker / "store")
    assert result.exit_code == 2, result.output
    assert "cannot write the store folder" in result.output and "Traceback" not in result.output
    assert str(blocker) in result.output


def test_disk_full_while_spooling_is_one_line_and_exit_2(tmp_path, monkeypatch):
    import errno

    from kg.store.generations import current_generation

    corpus, store = tmp_path / "corpus", tmp_path / "store"
    _tiny_corpus(corpus, ["alpha"])
    assert _build(corpus, store).exit_code == 0
    before = current_generation(store)
    (corpus / "beta.txt").write_text("Beta Constabulary\n\nThe force should improve.\n", encoding="utf-8")
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:  # type: ignore[override]
        if self.parent.name.startswith(".spool-"):
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    real_open = Path.open

    def full_open(self: Path, mode: str = "r", *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if "w" in mode and self.parent.name.startswith(".spool-"):  # a document's graph sorted on disk
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_open(self, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_bytes", full)
    monkeypatch.setattr(Path, "open", full_open)
    result = _build(corpus, store)
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.output and "spool" in result.output
    assert "Traceback" not in result.output
    assert current_generation(store) == before and not list(store.glob(".spool-*"))


# --- Incremental equals full, for any sequence of edits, renames, deletions and additions -----

_FORCES = ("Durham Constabulary", "Cleveland Police")
_TOPICS = ("missing children", "referrals to social care", "crime recording", "call handling")


def _note(force: int, topic: int, n: int) -> str:
    return (
        f"{_FORCES[force]} – inspection note {n}\n\n1. Findings\n\n"
        f"The force does not always respond well to {_TOPICS[topic]}.\n\n"
        f"Recommendations\n\nWithin six months, {_FORCES[force]} should improve its {_TOPICS[topic]}.\n"
    )


_steps = st.lists(
    st.tuples(
        st.sampled_from(["edit", "rename-suffix", "rename-manifest", "delete", "add"]),
        st.integers(0, 9),
        st.integers(0, 1),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=3,
)


def _apply(corpus: Path, step: tuple[str, int, int, int], serial: int) -> None:
    """One edit of the corpus: the file it touches is picked by index among the files there."""
    op, pick, force, topic = step
    files = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".text"))
    manifest = corpus / "manifest.toml"
    if op == "add" or not files:
        (corpus / f"note-{serial}.txt").write_text(_note(force, topic, serial), encoding="utf-8")
        return
    target = files[pick % len(files)]
    if op == "edit":
        target.write_text(_note(force, topic, serial), encoding="utf-8")
    elif op == "rename-suffix":  # same stem, so the same id: only hmi:sourceFile changes
        target.rename(target.with_suffix(".text" if target.suffix == ".txt" else ".txt"))
    elif op == "rename-manifest":  # the manifest's id stays, its file = follows the new name
        new = target.with_name(f"renamed-{serial}{target.suffix}")
        target.rename(new)
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text(text.replace(f'"{target.name}"', f'"{new.name}"'), encoding="utf-8")
    elif op == "delete":
        target.unlink()


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_steps)
@example(steps=[("rename-suffix", 0, 0, 0)])
@example(steps=[("rename-manifest", 1, 0, 0), ("delete", 0, 0, 0), ("add", 0, 1, 3)])
def test_incremental_store_equals_a_full_build_quad_for_quad(steps, rules_extractor, tmp_path_factory):
    from kg.build.pipeline import PublishPolicy, build
    from kg.store.generations import open_dataset

    def quads(store: Path) -> set[tuple[str, str, str, str]]:
        return {(str(s), str(p), str(o), str(g)) for s, p, o, g in open_dataset(store).quads((None, None, None, None))}

    base = tmp_path_factory.mktemp("prop")
    corpus, store = base / "corpus", base / "store"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"note-{n}.txt").write_text(_note(n % 2, n, n), encoding="utf-8")
    (corpus / "manifest.toml").write_text(
        '[[document]]\nid = "kept-id"\nfile = "note-0.txt"\n\n[[document]]\nid = "other-id"\nfile = "note-1.txt"\n',
        encoding="utf-8",
    )
    policy = PublishPolicy(allow_empty=True, allow_removal=True)
    build(corpus, store, extractor=rules_extractor, policy=policy)
    for serial, step in enumerate(steps, start=10):
        _apply(corpus, step, serial)
        build(corpus, store, extractor=rules_extractor, policy=policy)
    full = base / "full"
    build(corpus, full, extractor=rules_extractor, policy=policy, incremental=False)
    assert quads(store) == quads(full)


def test_a_rename_that_keeps_the_id_rewrites_the_source_file(rules_extractor, tmp_path):
    """x.txt -> x.text keeps the id and the bytes: the graph must still name the new file."""
    from kg.build.pipeline import build
    from kg.query.sparql import run
    from kg.store.generations import open_dataset

    corpus, store = tmp_path / "corpus", tmp_path / "store"
    corpus.mkdir()
    (corpus / "x.txt").write_text(_note(0, 0, 1), encoding="utf-8")
    build(corpus, store, extractor=rules_extractor)
    (corpus / "x.txt").rename(corpus / "x.text")
    report = build(corpus, store, extractor=rules_extractor)
    assert report.documents == ("x",)
    query = "PREFIX hmi: <https://w3id.org/hmi-kg/ontology#> SELECT ?f { ?p hmi:sourceFile ?f }"
    rows = run(open_dataset(store), query)
    assert [str(r[0]) for r in rows] == ["x.text"]  # type: ignore[index]


# --- Long-lived readers follow the current generation ---------------------------------------


def _open_files_under(folder: Path) -> list[str]:
    """Files under ``folder`` this test process holds open."""
    import os

    return _open_in([os.getpid()], folder)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see open files")
def test_a_long_lived_reader_follows_new_generations_and_releases_old_ones(rules_extractor, tmp_path):
    import gc

    from kg.api import KnowledgeGraph
    from kg.build.pipeline import build
    from kg.store.generations import current_generation

    corpus, store = tmp_path / "corpus", tmp_path / "store"
    _tiny_corpus(corpus, ["alpha", "beta"])
    build(corpus, store, extractor=rules_extractor)
    first = current_generation(store)
    assert first is not None
    kg = KnowledgeGraph.open(store)
    assert len(kg.publications()) == 2
    assert len(kg.neighbours(kg.publications()[0].iri)) > 0  # the projection is made
    assert _open_files_under(first)
    _tiny_corpus(corpus, ["gamma"])
    build(corpus, store, extractor=rules_extractor)
    assert len(kg.publications()) == 3  # the same object answers from the new generation
    (gamma,) = [p for p in kg.publications() if "gamma" in p.iri]
    assert kg.neighbours(gamma.iri)  # the projection was made again: the stale one would not know it
    gc.collect()
    assert _open_files_under(first) == []  # the old generation is released
    _tiny_corpus(corpus, ["delta"])
    build(corpus, store, extractor=rules_extractor)  # prunes the first generation
    assert not first.exists() and len(kg.publications()) == 4


# --- The remote path: checked before extracting, progress visible on the server ---------------


@pytest.fixture
def oxigraph(tmp_path):  # type: ignore[no-untyped-def]
    from kg.store.remote import local_oxigraph_server, oxigraph_binary

    if oxigraph_binary() is None:
        pytest.skip("the Oxigraph server binary is not installed (pip install -e '.[test]' provides it)")
    with local_oxigraph_server(tmp_path / "oxigraph") as url:
        yield url


def test_an_unreachable_endpoint_is_found_before_any_extraction(tmp_path, monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def never(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("extraction ran although the endpoint cannot be reached")

    monkeypatch.setattr("kg.build.pipeline.extract_corpus", never)
    corpus = tmp_path / "corpus"
    _tiny_corpus(corpus, ["alpha"])
    result = _build(corpus, tmp_path / "unused", "--endpoint", f"http://127.0.0.1:{port}")
    assert result.exit_code == 2, result.output
    assert "cannot reach the SPARQL server" in result.output and "Traceback" not in result.output


def test_a_killed_remote_build_is_visible_and_validate_endpoint_reports_it(tmp_path, oxigraph):
    import os
    import signal
    import subprocess

    from kg.store.generations import FAULT_ENV
    from kg.store.remote import STATUS_GRAPH, remote_state

    corpus = tmp_path / "corpus"
    _tiny_corpus(corpus, ["alpha", "beta"])
    assert _build(corpus, tmp_path / "unused", "--endpoint", oxigraph).exit_code == 0
    state = remote_state(oxigraph)
    assert state.started and state.ended and state.missing == ()
    ok = CliRunner().invoke(cli, ["validate", "--endpoint", oxigraph])
    assert ok.exit_code == 0 and "conforms" in ok.output, ok.output
    # Killed after its first graph: the status graph says the build did not finish.
    _tiny_corpus(corpus, ["gamma"])
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(corpus), "--endpoint", oxigraph, "--quiet", "--model", "none"],
        cwd=HERE.parent,
        env={**os.environ, FAULT_ENV: "remote-load"},
        capture_output=True,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL
    state = remote_state(oxigraph)
    assert state.started and state.ended is None
    half = CliRunner().invoke(cli, ["validate", "--endpoint", oxigraph])
    assert half.exit_code == 1 and "did not finish" in half.output, half.output
    # The next build completes, and the status graph survives its pruning.
    assert _build(corpus, tmp_path / "unused", "--endpoint", oxigraph).exit_code == 0
    assert remote_state(oxigraph).ended is not None
    assert CliRunner().invoke(cli, ["validate", "--endpoint", oxigraph]).exit_code == 0
    from kg.store.remote import Endpoint, named_graphs

    assert str(STATUS_GRAPH) in named_graphs(Endpoint.from_url(oxigraph))


def test_an_update_whose_base_generation_was_pruned_says_so(tmp_path):
    import shutil

    from kg.errors import StoreError
    from kg.store.generations import publish_generation

    store = tmp_path / "store"
    gone = store / "generations" / "g1-1"
    gone.mkdir(parents=True)
    shutil.rmtree(gone)
    with pytest.raises(StoreError, match="removed by builds that finished while it ran"):
        publish_generation(store, [], base=gone)


_span = st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=200, deadline=None)
@given(statements=st.lists(_span, max_size=12), mentions=st.lists(_span, max_size=12))
def test_statements_containing_a_mention_are_those_a_full_scan_finds(statements, mentions):
    """The graph stage's sweep (no longer quadratic in the document's size) agrees with testing every pair."""
    from kg.extract.spans import statements_containing

    expected = [[i for i, (s, e) in enumerate(statements) if s <= ms and me <= e] for ms, me in mentions]
    assert statements_containing(statements, mentions) == expected


def test_a_document_whose_own_graph_breaks_the_shapes_is_skipped_and_the_rest_published(
    rules_extractor, corpus_dir, tmp_path, monkeypatch
):
    """One document's graph breaks a shape (its publication given two titles): it alone is skipped.

    A file holding one report twice over, which once named a section twice
    and broke "a section is part of exactly one parent", now builds.
    """
    from rdflib import Literal
    from rdflib.namespace import DCTERMS

    from kg.build.pipeline import build
    from kg.graph import triples

    corpus = tmp_path / "corpus"
    _tiny_corpus(corpus, ["alpha", "broken"])
    report = (corpus_dir / "durham-ncpi-2019-report.txt").read_text(encoding="utf-8")
    (corpus / "twice.txt").write_text(report + "\n\n" + report, encoding="utf-8")
    real = triples._Builder.publication

    def two_titles(self: triples._Builder) -> None:
        real(self)
        if self.doc.doc_id == "broken":
            self.add(self.pub, DCTERMS.title, Literal("A second title", lang="en"))

    monkeypatch.setattr(triples._Builder, "publication", two_titles)
    result = build(corpus, tmp_path / "store", extractor=rules_extractor)
    assert sorted(result.documents) == ["alpha", "twice"]
    assert [Path(f.path).name for f in result.failures] == ["broken.txt"]
    assert "SHACL" in result.failures[0].reason and "one title" in result.failures[0].reason
    assert result.validation.conforms
    assert _count_documents(tmp_path / "store") == 2


def test_a_remote_build_that_would_remove_the_endpoints_documents_refuses_unless_allowed(tmp_path, oxigraph):
    """The removal guard reads what the endpoint holds as the "before" (a remote build has no local manifest)."""
    from kg.store.remote import Endpoint, named_graphs, published_documents

    corpus, state = tmp_path / "corpus", tmp_path / "state"
    _tiny_corpus(corpus, ["alpha", "beta", "gamma", "delta"])
    assert _build(corpus, state, "--endpoint", oxigraph).exit_code == 0
    assert published_documents(oxigraph) == ["alpha", "beta", "delta", "gamma"]
    graphs = named_graphs(Endpoint.from_url(oxigraph))
    for name in ("gamma", "delta", "beta"):
        (corpus / f"{name}.txt").unlink()
    most = _build(corpus, state, "--endpoint", oxigraph)
    assert most.exit_code == 2 and "would remove 3 of the current graph's 4 documents" in most.output, most.output
    (corpus / "alpha.txt").unlink()
    every = _build(corpus, state, "--endpoint", oxigraph, "--strict")
    assert every.exit_code == 2 and "would remove all 4" in every.output, every.output
    assert "Traceback" not in most.output + every.output
    # Refused before anything was loaded: the endpoint holds what it held.
    assert named_graphs(Endpoint.from_url(oxigraph)) == graphs
    _tiny_corpus(corpus, ["alpha"])
    assert _build(corpus, state, "--endpoint", oxigraph, "--allow-removal").exit_code == 0
    assert published_documents(oxigraph) == ["alpha"]


def _files_open_by(pid: int, folder: Path) -> list[str]:
    """Files under ``folder`` that process ``pid`` or any of its children holds open."""

    pids = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            pids.append(int(stat.parent.name))
    return _open_in(pids, folder)


def _open_in(pids: list[int], folder: Path) -> list[str]:
    """Files under ``folder`` that any of the processes ``pids`` holds open (read from /proc)."""
    import os

    out = []
    for p in pids:
        try:
            fds = list(Path(f"/proc/{p}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith(str(folder)):
                out.append(target)
    return out


def test_a_running_server_answers_from_each_new_generation_and_releases_old_ones(tmp_path):
    import json
    import time
    import urllib.parse
    import urllib.request

    from test_serve import _start

    from kg.store.generations import current_generation

    corpus, store = tmp_path / "corpus", tmp_path / "store"
    _tiny_corpus(corpus, ["alpha", "beta"])
    assert _build(corpus, store).exit_code == 0
    first = current_generation(store)
    assert first is not None
    proc, url = _start(store, tmp_path / "site", tmp_path / "serve.log")
    query = (
        "PREFIX hmi: <https://w3id.org/hmi-kg/ontology#> "
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p hmi:documentKind ?k }"
    )

    def documents() -> int:
        request = urllib.request.Request(
            f"{url}/sparql?query={urllib.parse.quote(query)}", headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(json.loads(response.read())["results"]["bindings"][0]["n"]["value"])

    try:
        assert documents() == 2
        assert _files_open_by(proc.pid, first)  # the server reads the first generation
        _tiny_corpus(corpus, ["gamma"])
        assert _build(corpus, store).exit_code == 0
        assert documents() == 3  # the running server answers from the new generation
        # and lets the old one go: busy workers at their next query, idle ones within a second or so
        for _ in range(40):
            if not _files_open_by(proc.pid, first):
                break
            time.sleep(0.5)
        assert _files_open_by(proc.pid, first) == []
        _tiny_corpus(corpus, ["delta"])
        assert _build(corpus, store).exit_code == 0  # prunes the first generation
        assert not first.exists() and documents() == 4
    finally:
        proc.terminate()
        proc.wait(10)
