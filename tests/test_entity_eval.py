"""Per-label precision and recall on the hand-annotated sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.entities import build_nlp, model_available
from kg.entities.evaluate import evaluate, load_annotations

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "entities" / "sentences.jsonl"
TARGET = ("FORCE", "UNIT", "SYSTEM", "LEGISLATION", "GUIDANCE", "PARTNER", "INSPECTORATE")
ALL_LABELS = {
    "FORCE",
    "UNIT",
    "SYSTEM",
    "LEGISLATION",
    "GUIDANCE",
    "PARTNER",
    "INSPECTORATE",
    "INITIATIVE",
    "RISK_TOOL",
    "ORG",
    "PERSON",
    "GPE",
    "DATE",
}


def test_entities_annotations_cover_every_label() -> None:
    annotations = load_annotations(DATA)
    assert len(annotations) >= 150
    assert {label for a in annotations for _s, _e, label in a.entities} == ALL_LABELS


def _check(model: str | None) -> None:
    scores = evaluate(load_annotations(DATA), ROOT / "corpus", build_nlp(model=model))
    for label in TARGET:
        s = scores[label]
        assert s.precision >= 0.95, f"{label} precision {s.precision:.3f} (tp {s.tp}, fp {s.fp})"
        assert s.recall >= 0.9, f"{label} recall {s.recall:.3f} (tp {s.tp}, fn {s.fn})"


def test_entities_eval_rule_only() -> None:
    _check(None)


@pytest.mark.model
@pytest.mark.skipif(not model_available(), reason="English model not installed")
def test_entities_eval_with_model() -> None:
    _check("auto")
