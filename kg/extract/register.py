"""A register entry's one statement: the recommendation it tracks, with its history.

A register entry is not prose to be read sentence by sentence: its parts
are fixed by the register's layout (``kg.ingest.register``). The
recommendation becomes the entry's only statement, so entities and themes
are found in it as in any other, and the linker can match it to the
recommendation of the inspection report it tracks; the dated history rides
along on the extraction.
"""

from __future__ import annotations

from kg.errors import CorpusError
from kg.ingest.register import NotARegisterEntry, parse_register_entry
from kg.records import Extraction, Statement, StructuredDocument


def extract_register_entry(structured: StructuredDocument) -> Extraction:
    """The recommendation statement and history of a register entry; a clear error if it has none."""
    doc = structured.document
    try:
        entry = parse_register_entry(doc.text)
    except NotARegisterEntry as exc:
        raise CorpusError(f"{doc.path}: declared a register entry, but {exc}") from exc
    section = entry.source.quote if entry.source else "Recommendations register"
    statement = Statement(
        doc_id=doc.doc_id,
        kind="recommendation",
        span=entry.recommendation,
        heading=entry.recommendation,
        section=section,
        part="Recommendations register",
        section_path=(section,),
        addressee=doc.metadata.force,
        addressees=(doc.metadata.force,) if doc.metadata.force else (),
        cue="register:recommendation",
    )
    return Extraction(structured=structured, statements=(statement,), register=entry)
