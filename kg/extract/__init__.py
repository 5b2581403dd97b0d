"""Extract: read statements (findings, recommendations, grades...) from structure."""

from __future__ import annotations

from kg.extract.statements import extract_statements

__all__ = ["extract_statements"]
