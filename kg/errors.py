"""Errors kg raises on purpose; each message says what, where and how to fix it."""

from __future__ import annotations


class KGError(Exception):
    """Base class for every error kg raises on purpose."""


class CorpusError(KGError):
    """The corpus directory or its manifest cannot be used."""


class IngestError(KGError):
    """One document cannot be read; the build carries on without it."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class OntologyError(KGError):
    """An ontology, shapes or vocabulary file is missing or does not parse."""


class StoreError(KGError):
    """The store cannot be opened, written or switched over."""


class QueryError(KGError):
    """A query is unknown, malformed or given a parameter it does not take."""


class ValidationFailed(KGError):
    """The built graph does not conform to the SHACL shapes."""


class BuildRefused(KGError):
    """A build that ran but would publish something it was told not to; nothing was published.

    ``exit_code`` is 1 when the build found problems it was asked to be
    strict about (skipped files under ``--strict``), 2 when publishing
    would remove documents the user did not say could go.
    """

    def __init__(self, message: str, *, exit_code: int = 2, failures: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.failures = failures


class NodeNotFound(KGError, KeyError):
    """A node asked for is not in the graph (or its networkx projection)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
