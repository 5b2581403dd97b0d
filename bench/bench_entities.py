"""Print entity-pipeline throughput (words per second) on the shipped corpus.

Usage: python bench/bench_entities.py [repeats]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kg.entities import build_nlp, find_mentions, model_available
from kg.entities.evaluate import segments_of

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def main() -> None:
    """Time find_mentions over every corpus document, best of N runs, per pipeline."""
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}
    words = sum(len(t.split()) for t in texts.values())
    configs: list[tuple[str, str | None]] = [("rule-only", None)]
    if model_available():
        configs.append(("model", "auto"))
    for name, model in configs:
        nlp = build_nlp(model=model)
        find_mentions("warm-up", "Durham Constabulary uses Sleuth.", [(0, 31)], nlp)
        best = float("inf")
        mentions = 0
        for _ in range(repeats):
            start = time.perf_counter()
            mentions = sum(len(find_mentions(d, t, segments_of(t), nlp)) for d, t in texts.items())
            best = min(best, time.perf_counter() - start)
        print(f"{name:<10} {words} words in {best:.2f} s = {words / best:,.0f} words/s ({mentions} mentions)")


if __name__ == "__main__":
    main()
