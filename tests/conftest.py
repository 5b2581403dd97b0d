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
def rules_extractor():  # type: ignore[no-untyped-def]
    """Extraction with rule-based entities only: fast, and what runs when no model is installed."""
    from kg.build.extractor import make_extractor

    return make_extractor(model=None)


@pytest.fixture(scope="session")
def corpus_build():  # type: ignore[no-untyped-def]
    """(graphs, extractions, failures) of the shipped corpus with the default extractor."""
    from kg.build.pipeline import build_graphs

    return build_graphs(CORPUS)


@pytest.fixture(scope="session")
def extractions(corpus_build) -> dict[str, Extraction]:  # type: ignore[no-untyped-def]
    """Every shipped document's extraction, keyed by file name."""
    return {Path(e.structured.document.path).name: e for e in corpus_build[1]}


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:  # type: ignore[type-arg]
    return {p.name.removesuffix(".json"): json.loads(p.read_text(encoding="utf-8")) for p in GOLD.glob("*.json")}


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory, rules_extractor) -> Path:  # type: ignore[no-untyped-def]
    """The shipped corpus built once into an embedded store."""
    from kg.build.pipeline import build

    store = tmp_path_factory.mktemp("store")
    report = build(CORPUS, store, extractor=rules_extractor)
    assert report.validation.conforms
    return store
