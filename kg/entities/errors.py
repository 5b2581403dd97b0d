"""Errors raised by the entity stage."""

from __future__ import annotations

from kg.errors import OntologyError


class VocabularyError(OntologyError):
    """A vocabulary file is missing, unreadable or inconsistent.

    The message names the file, what is wrong and how to fix it.
    """
