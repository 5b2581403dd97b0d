"""Knowledge graph of police inspection findings.

Import is cheap: stages import their heavy dependencies (spaCy, pySHACL,
Oxigraph) only when used.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
