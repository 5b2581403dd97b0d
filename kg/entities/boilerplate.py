"""Recognise the parts of a page a careful reader would not tag: publishing boilerplate and garbled column text.

Inspection reports saved as PDF text dumps carry a copyright and licence
notice, the publisher's postal address, telephone and e-mail, and, where a
page had two or three columns, runs of text whose lines from different
columns are interleaved ("... the yearly review of borough The new
board agreed that the members of five and ..."). The
statistical model reads organisations and places there ("The National
Archives", "London", "Statutory County"), and the name rules read names
made of words from two columns; none of it is what the page says about
policing. Named bodies the vocabulary knows are still tagged there (a
page's furniture naming the inspectorate counts), but guesses are not.
"""

from __future__ import annotations

import re

#: Marks of a publishing notice, an address or a contact line.
_NOTICE = re.compile(
    r"\u00a9|\bcopyright\b|\blicen[cs]ed?\s+under\b|\bopen government licen[cs]e\b|\bisbn\b|"
    r"\bprinted\s+(?:and\s+published\s+)?(?:by|in)\b|\bpublished\s+by\b|"
    r"\[email\s+protected\]|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|\be-?mail\s*:|"
    r"\bwww\.|https?://|\b[\w-]+\.(?:gov|org|co|ac|police|nhs)\.uk\b|"
    r"\b(?:tel(?:ephone)?|phone|fax)\b\.?\s*:?\s*\+?\d|\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b|"
    # A UK postcode ("SW1H 9EX", "TW9 4DU")
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")
#: A full stop followed by a common word in lower case: one column's sentence running into another's.
_STOP_THEN_LOWER = re.compile(
    r"(?P<before>\S+)\.\s+(?:and|of|the|to|in|for|a|or|was|were|is|are|with|by|on|that|which|who)\b"
)
#: Abbreviations a full stop ends inside a sentence.
_ABBREVIATIONS = frozenset("e.g i.e etc no nos vs cf pp para paras ch s ss c approx".split())
#: A lower-case word followed by a capitalised word that opens sentences ("borough The"): a column break.
_LOWER_THEN_OPENER = re.compile(
    r"\b[a-z][a-z,]*\s+(?:The|This|These|There|It|Its|Most|Both|We|They|Our|However)\b(?!\s+[A-Z])"
)
#: Garble marks per word above which a passage is read as interleaved columns.
GARBLE_RATE = 1 / 40
#: A passage needs this many marks at least (one slip is a typing error, not columns).
GARBLE_MIN = 2


def is_notice(sentence: str) -> bool:
    """Whether a sentence is a copyright or licence notice, a postal address or a contact line."""
    return _NOTICE.search(sentence) is not None or _POSTCODE.search(sentence) is not None


def garble_marks(passage: str) -> int:
    """How many places in a passage read as one column's text running into another's."""
    stops = sum(
        1
        for m in _STOP_THEN_LOWER.finditer(passage)
        if m.group("before").lower().strip("(") not in _ABBREVIATIONS and not m.group("before")[-1:].isupper()
    )
    return stops + len(_LOWER_THEN_OPENER.findall(passage))


def is_garbled(passage: str) -> bool:
    """Whether a passage reads as interleaved columns of a PDF dump (see the module docstring)."""
    marks = garble_marks(passage)
    return marks >= GARBLE_MIN and marks >= GARBLE_RATE * len(passage.split())


def is_capitals_line(line: str) -> bool:
    """Whether a line is set in capitals (a running header or a heading): three letters or more, none lower case."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and not any(c.islower() for c in letters)


_MENU_SEPARATOR = re.compile(r"[ \t][|\u00b7\u2022][ \t]")


def is_menu_line(line: str) -> bool:
    """Whether a line is a menu or a footer's row of links ("Home | About us | News | Contact")."""
    return len(_MENU_SEPARATOR.findall(line)) >= 2


def line_at(text: str, start: int, end: int) -> str:
    """The line of ``text`` holding the characters ``start`` to ``end``."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return text[left : right if right != -1 else len(text)]
