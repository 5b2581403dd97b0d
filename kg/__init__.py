"""Knowledge graph of police inspection findings.

Import is cheap: stages import their heavy dependencies (spaCy, pySHACL,
Oxigraph, networkx) only when used. ``KnowledgeGraph`` is loaded on first
access, so ``import kg`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["KnowledgeGraph", "__version__"]

if TYPE_CHECKING:
    from kg.api import KnowledgeGraph


def __getattr__(name: str) -> Any:
    """Load ``KnowledgeGraph`` lazily (PEP 562)."""
    if name == "KnowledgeGraph":
        from kg.api import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
