"""Print per-label precision/recall/F1 of the entity pipeline, rule-only and with the model.

Usage: python scripts/evaluate_entities.py [--errors]
"""

from __future__ import annotations

import sys
from pathlib import Path

from kg.entities import build_nlp, model_available
from kg.entities.evaluate import errors, evaluate, load_annotations

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "entities" / "sentences.jsonl"
CORPUS = ROOT / "corpus"


def main() -> None:
    """Score both pipelines and print one table each."""
    annotations = load_annotations(DATA)
    configs: list[tuple[str, str | None]] = [("rule-only", None)]
    if model_available():
        configs.append(("model", "auto"))
    else:
        print("(model not installed: model pipeline skipped)")
    for name, model in configs:
        nlp = build_nlp(model=model)
        scores = evaluate(annotations, CORPUS, nlp)
        print(f"\n{name} pipeline ({len(annotations)} sentences)")
        print(f"{'label':<12}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}")
        for label, s in scores.items():
            print(f"{label:<12}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.tp:5d}{s.fp:5d}{s.fn:5d}")
        if "--errors" in sys.argv:
            for sid, kind, label, text in errors(annotations, CORPUS, nlp):
                print(f"  {sid} {kind} {label:<12} {text}")


if __name__ == "__main__":
    main()
