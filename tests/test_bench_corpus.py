"""The benchmarks' synthetic corpus must be a corpus the build accepts, or every benchmark stops before it starts."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import write_corpus
from kg.ingest.manifest import load_manifest


def test_generated_manifest_passes_the_manifest_checks(tmp_path: Path) -> None:
    corpus = write_corpus(60, tmp_path)
    entries = load_manifest(corpus)
    assert len(entries) == len(list(corpus.glob("*.txt")))
    programmes = {entry.programme for entry in entries.values()}
    # PEEL reports carry their cycle, not the bare programme, so cycle-to-cycle follow-ups are dated.
    assert any(p and p.startswith("peel-20") for p in programmes)
