"""Sentences of a block, with offsets, by rule (no model needed).

The formal-statement detectors (grades, causes of concern, recommendations,
case-audit tallies) read one sentence or list item at a time. They must
work without the spaCy model, so sentences are cut here by punctuation:
a full stop, question or exclamation mark (with any closing quote or
bracket) followed by white space and a capital, a digit or an opening
quote. Common abbreviations ("e.g.", "i.e.", "No.", "Mr.") and initials do
not end a sentence. A semicolon does not end a sentence either: the clauses
of "...is judged to be good in X; Y is judged to be good" are read by the
grade rules themselves.
"""

from __future__ import annotations

import re

from kg.records import Span

_BOUNDARY_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9\u2022])")
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "no", "nos", "mr", "mrs", "ms", "dr", "st", "vs", "cf", "para", "ch"})


def _ends_with_abbreviation(text: str) -> bool:
    word = re.search(r"([A-Za-z.]+)\.$", text)
    if word is None:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or len(token) == 1


def sentence_spans(text: str, start: int, end: int) -> list[Span]:
    """The sentences of ``text[start:end]``, stripped of surrounding white space."""
    out: list[Span] = []
    pos = start
    for m in _BOUNDARY_RE.finditer(text, start, end):
        stop = m.start() + 1
        if _ends_with_abbreviation(text[pos : m.start() + 1]):
            continue
        close = re.match(r"[\"'\u201d\u2019)\]]*", text[stop:end])
        stop += close.end() if close else 0
        out.append(_strip(text, pos, stop))
        pos = m.end()
    if pos < end:
        out.append(_strip(text, pos, end))
    return [s for s in out if s.quote]


def _strip(text: str, start: int, end: int) -> Span:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    quote = piece.strip()
    return Span(start=start + lead, end=start + lead + len(quote), quote=quote)
