"""Shared fixtures: the shipped corpus, its extractions, the gold answers, a built store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.records import Extraction

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = Path(__file__).resolve().parent / "data" / "gold"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def extractions() -> dict[str, Extraction]:
    """Every shipped document's extraction, keyed by file name."""
    from kg.ingest import read_corpus
    from kg.pipeline import extract_document
    from kg.records import SourceDocument

    out = {}
    for doc in read_corpus(CORPUS):
        assert isinstance(doc, SourceDocument), doc
        out[Path(doc.path).name] = extract_document(doc)
    return out


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:  # type: ignore[type-arg]
    return {p.name.removesuffix(".json"): json.loads(p.read_text(encoding="utf-8")) for p in GOLD.glob("*.json")}


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus built once into an embedded store."""
    from kg.pipeline import build

    store = tmp_path_factory.mktemp("store")
    report = build(CORPUS, store)
    assert report.validation.conforms
    return store
