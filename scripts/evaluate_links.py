"""Print the linker's precision and recall against the reader's lists.

Usage: ``python scripts/evaluate_links.py``: the shipped corpus against
tests/data/followups.toml and the trail fixtures against
tests/data/trails/followups.toml, each with the links missed and invented
(``kg.evaluate.links``; the test suite runs the same measurement).
"""

from __future__ import annotations

from pathlib import Path

from kg.evaluate.links import main

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    raise SystemExit(
        main(
            [
                str(ROOT / "corpus"),
                str(ROOT / "tests" / "data" / "followups.toml"),
                str(ROOT / "tests" / "data" / "trails"),
                str(ROOT / "tests" / "data" / "trails" / "followups.toml"),
            ]
        )
    )
