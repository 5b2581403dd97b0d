"""Sentence boundaries inside one block of text, as character offsets.

Statements are read one sentence (or list item) at a time, so each needs
exact offsets into the document. Rules alone decide the boundaries: a
full stop, question or exclamation mark (with any closing quote or
bracket) followed by white space and a capital letter, digit or opening
quote ends a sentence, except after the abbreviations report prose uses
("e.g.", "Mr.", "No."). The same rules run whether or not a spaCy model is
installed, so a build gives the same statements on every machine (see
docs/decisions/0901).
"""

from __future__ import annotations

import re

from kg.records import Span

_BOUNDARY_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9\u00a3])")
_ABBREVIATIONS = frozenset(
    "e.g i.e etc mr mrs ms dr st no nos vs cf approx para paras fig figs ch sec inc ltd co dept gov".split()
)
#: Characters that end a sentence (or a lead-in or list item) properly.
_TERMINAL = ".!?:;"


def _previous_word(text: str, end: int) -> str:
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    return text[start:end].lower().rstrip(".")


def _title_breaks(text: str, start: int, end: int) -> list[int]:
    """Line ends inside a block after a title-like line (short, unpunctuated) before a capitalised line.

    Flattened web pages put headings and a press release's title on lines of
    their own with no blank line after them, so the layout stage joins them
    to the paragraph below; such a line is not the start of its sentence.
    """
    breaks: list[int] = []
    pos = start
    while True:
        nl = text.find("\n", pos, end)
        if nl < 0:
            return breaks
        line = text[pos:nl]
        nxt = text[nl + 1 : nl + 2]
        if (
            line.strip()
            and not line[:1].isspace()
            and not ends_properly(line)
            and not line.rstrip().endswith(",")
            and len(line.split()) <= 16
            and (nxt.isupper() or nxt.isdigit())
        ):
            breaks.append(nl + 1)
        pos = nl + 1


def split_sentences(text: str, start: int, end: int) -> list[Span]:
    """The sentences of ``text[start:end]``, each trimmed of surrounding white space."""
    out: list[Span] = []
    pieces = [start, *_title_breaks(text, start, end), end]
    for a, b in zip(pieces, pieces[1:], strict=False):
        out.extend(_sentences(text, a, b))
    return out


def _sentences(text: str, start: int, end: int) -> list[Span]:
    out: list[Span] = []
    pos = start
    for m in _BOUNDARY_RE.finditer(text, start, end):
        word = _previous_word(text, m.start())
        if text[m.start()] == "." and (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
            continue
        _add(text, pos, m.end(), out)
        pos = m.end()
    _add(text, pos, end, out)
    return out


def _add(text: str, start: int, end: int, out: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start=start, end=end, quote=text[start:end]))


def ends_properly(quote: str) -> bool:
    """Does this sentence or item end as written prose does (not cut off mid-way)?"""
    s = quote.rstrip().rstrip("\"'\u201d\u2019)]")
    return bool(s) and s[-1] in _TERMINAL
