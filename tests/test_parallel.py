"""Parallel extraction gives the same extractions and graphs as one process, in corpus order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from kg.build.parallel import can_fork, map_documents, resolve_jobs
from kg.records import IngestFailure, SourceDocument

pytestmark = pytest.mark.skipif(not can_fork(), reason="parallel extraction needs fork(); it runs serially here")


def _doc(n: int) -> SourceDocument:
    from kg.records import DocumentMetadata

    meta = DocumentMetadata(
        title=f"d{n}", force=None, programme=None, kind="report", published=None, source=None, licence=None
    )
    return SourceDocument(
        doc_id=f"d{n}", path=f"d{n}.txt", text="x" * n, sha256="0", media_type="text/plain", metadata=meta
    )


def _slow_length(document: SourceDocument) -> tuple[int, int]:
    # Earlier documents take longer, so workers finish out of order.
    import time

    time.sleep(0.002 * (40 - len(document.text)))
    return len(document.text), os.getpid()


def _explode(document: SourceDocument) -> int:
    raise ValueError(f"cannot read {document.doc_id}")


def test_parallel_results_keep_input_order_and_pass_failures_through():
    items: list[SourceDocument | IngestFailure] = [_doc(n) for n in range(30)]
    items.insert(7, IngestFailure(path="bad.pdf", reason="encrypted"))
    out = list(map_documents(_slow_length, items, jobs=2))
    assert out[7] == IngestFailure(path="bad.pdf", reason="encrypted")
    lengths = [r[0] for r in out if isinstance(r, tuple)]
    assert lengths == list(range(30))
    assert len({r[1] for r in out if isinstance(r, tuple)} - {os.getpid()}) >= 1  # really ran in workers


def test_parallel_worker_errors_are_raised_in_the_caller():
    with pytest.raises(ValueError, match="cannot read d3"):
        list(map_documents(_explode, [_doc(3)], jobs=2))


def test_parallel_jobs_zero_means_every_cpu():
    assert resolve_jobs(0) >= 1
    assert resolve_jobs(None) == resolve_jobs(0)
    assert resolve_jobs(3) == 3


def test_parallel_build_graphs_identical_to_one_process(corpus_dir: Path, rules_extractor):  # type: ignore[no-untyped-def]
    from kg.build.pipeline import build_graphs

    one_graphs, one_extractions, one_failures = build_graphs(corpus_dir, extractor=rules_extractor, jobs=1)
    seen: list[str] = []
    two_graphs, two_extractions, two_failures = build_graphs(
        corpus_dir, extractor=rules_extractor, jobs=2, progress=seen.append
    )
    assert two_extractions == one_extractions
    assert two_failures == one_failures
    assert [g.identifier for g in two_graphs] == [g.identifier for g in one_graphs]
    for a, b in zip(one_graphs, two_graphs, strict=True):
        assert isomorphic(a, b), a.identifier
    assert [Path(p).name for p in seen] == sorted(Path(p).name for p in seen)  # progress in corpus order


def test_parallel_cli_build_jobs(corpus_dir: Path, tmp_path: Path):
    from click.testing import CliRunner

    from kg.cli.main import cli

    result = CliRunner().invoke(
        cli, ["build", str(corpus_dir), "--store", str(tmp_path / "s"), "--jobs", "2", "--model", "none", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
