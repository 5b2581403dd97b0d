"""Ingest: read the corpus directory into decoded ``SourceDocument`` records.

A file that cannot be read becomes an ``IngestFailure`` naming the file and
the reason; it never stops the rest of the corpus from going in.
"""

from __future__ import annotations

from kg.ingest.corpus import SUPPORTED_SUFFIXES, read_corpus, read_document
from kg.ingest.manifest import ManifestEntry, load_manifest

__all__ = ["SUPPORTED_SUFFIXES", "ManifestEntry", "load_manifest", "read_corpus", "read_document"]
