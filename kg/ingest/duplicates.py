"""One publication from two sources: the same text under two file names.

A republisher's copy of a press release carries the release's words under
its own banner ("This press release was originally published by..."), with
other quotes and dashes. Its *body digest* leaves out page furniture and
site notices (``kg.ingest.titles``) and reads every dash, quote and space
alike, so the two copies have one digest and are one publication.
"""

from __future__ import annotations

import hashlib
import re

from kg.ingest.titles import is_furniture

_FOLD = str.maketrans(
    {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
    | {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}
)


def body_digest(text: str) -> str:
    """A digest of the text's words, furniture and notices left out, dashes and quotes folded."""
    lines = []
    for raw in text.splitlines():
        line = " ".join(raw.translate(_FOLD).split())
        if line and not is_furniture(line):
            lines.append(re.sub(r"[^\w'\"-]+", " ", line.lower()).strip())
    return hashlib.sha256("\n".join(line for line in lines if line).encode("utf-8")).hexdigest()
