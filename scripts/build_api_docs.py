"""Build the HTML API reference of the Python API from its docstrings (pdoc).

Usage::

    python scripts/build_api_docs.py            # writes docs/api/
    python scripts/build_api_docs.py -o /tmp/api

The HTML is generated, not committed (docs/api/.gitignore): it would go
stale with every docstring edit. pdoc is pinned in the ``docs`` and
``test`` extras; tests/test_api_docs.py builds it so a broken docstring fails CI.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

#: The public Python API: the class, its records, and the modules of free functions behind it.
MODULES = ["kg.api", "kg.query.records_api", "kg.query.lookup", "kg.query.traverse", "kg.render.export"]
ROOT = Path(__file__).resolve().parent.parent


def build(output: Path) -> list[Path]:
    """Render the modules into ``output``; returns the HTML files written."""
    import pdoc
    import pdoc.render

    pdoc.render.configure(docformat="google", show_source=False, search=False)
    output.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # The projection's type alias (nx.MultiDiGraph[str]) exists only for mypy; networkx
        # classes are not subscriptable at run time, so pdoc shows the annotation as written.
        warnings.filterwarnings("ignore", message="Failed to run TYPE_CHECKING code", category=UserWarning)
        pdoc.pdoc(*MODULES, output_directory=output)
    return sorted(output.rglob("*.html"))


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "api", help="output directory")
    args = parser.parse_args()
    written = build(args.output)
    print(f"wrote {len(written)} pages to {args.output}")


if __name__ == "__main__":
    main()
