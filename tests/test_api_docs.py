"""The API reference builds from the docstrings (scripts/build_api_docs.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_api_docs.py"


def test_api_docs_build(tmp_path: Path):
    spec = importlib.util.spec_from_file_location("build_api_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_api_docs"] = module
    spec.loader.exec_module(module)
    pages = module.build(tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in pages}
    assert {"kg/api.html", "kg/query/traverse.html", "kg/query/records_api.html"} <= names
    api = (tmp_path / "kg" / "api.html").read_text(encoding="utf-8")
    assert "KnowledgeGraph" in api and "shortest_path" in api and "neighbours" in api
