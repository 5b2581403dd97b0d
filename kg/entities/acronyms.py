"""Learn acronyms a document introduces in brackets: "long form (SHORT)".

The long form is found with the Schwartz-Hearst rule (the short form's
letters appear in order in the words before the bracket, the first one at a
word start). A pair is kept when the vocabulary knows either form (the short
form becomes an alias for that document) or when the long form ends in a
word that says what it is ("team", "unit", "system", "scheme"...), which
makes it a candidate for review. Other pairs ("child sexual exploitation
(CSE)") are ignored: they name topics, not entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.entities.vocab import Vocabulary

_PAIR_RE = re.compile(r"\(\s*(?P<short>[A-Z][A-Za-z&]{1,9})\s*\)")
_WORD_RE = re.compile(r"[\w'&-]+")

_HEAD_LABELS: dict[str, str] = {
    "team": "UNIT",
    "unit": "UNIT",
    "department": "UNIT",
    "hub": "UNIT",
    "squad": "UNIT",
    "command": "UNIT",
    "network": "UNIT",
    "system": "SYSTEM",
    "database": "SYSTEM",
    "operation": "INITIATIVE",
    "scheme": "INITIATIVE",
    "protocol": "INITIATIVE",
    "initiative": "INITIATIVE",
    "programme": "INITIATIVE",
    "project": "INITIATIVE",
    "agency": "PARTNER",
    "foundation": "PARTNER",
    "charity": "PARTNER",
    "trust": "PARTNER",
    "council": "PARTNER",
}


@dataclass(frozen=True, slots=True)
class Acronym:
    """A short form learnt from one document.

    ``concept`` is the vocabulary IRI it is an alias of, or None for a
    candidate, whose review name is ``long_form``.
    """

    short: str
    long_form: str
    label: str
    concept: str | None
    long_start: int
    long_end: int


def _long_form(words: list[re.Match[str]], short: str) -> int | None:
    """Index of the first word of the long form of ``short`` (Schwartz-Hearst), or None."""
    letters = [c.lower() for c in short if c.isalpha()]
    if short.endswith("s") and len(letters) > 2 and short[:-1].isupper():
        letters = letters[:-1]
    text = " ".join(w.group().lower() for w in words)
    s_i, l_i = len(letters) - 1, len(text) - 1
    while s_i >= 0:
        c = letters[s_i]
        while l_i >= 0 and (text[l_i] != c or (s_i == 0 and l_i > 0 and text[l_i - 1].isalnum())):
            l_i -= 1
        if l_i < 0:
            return None
        s_i -= 1
        l_i -= 1
    start_char = text.rfind(" ", 0, l_i + 1) + 1
    first = text[:start_char].count(" ")
    n_words = len(words) - first
    if n_words > min(len(letters) + 5, len(letters) * 2):
        return None
    return first


def _singular(short: str) -> str:
    return short[:-1] if short.endswith("s") and short[:-1].isupper() and len(short) > 2 else short


def learn_acronyms(texts: Iterable[tuple[int, str]], vocabulary: Vocabulary) -> dict[str, Acronym]:
    """Return the acronyms defined in a document, keyed by short form (singular).

    Args:
        texts: ``(offset, normalised text)`` of each segment of the document.
        vocabulary: Concepts that a long or short form may name.

    Returns:
        One entry per short form; the first definition in the document wins.
    """
    found: dict[str, Acronym] = {}
    for offset, text in texts:
        for m in _PAIR_RE.finditer(text):
            short = _singular(m.group("short"))
            if short in found or not any(c.isupper() for c in short[1:] + short[:1]):
                continue
            before = text[max(0, m.start() - 200) : m.start()]
            words = list(_WORD_RE.finditer(before))[-(2 * len(short) + 2) :]
            if not words or not before[words[-1].end() :].strip() == "":
                continue
            first = _long_form(words, short)
            if first is None:
                continue
            base = m.start() - len(before)
            l_start, l_end = base + words[first].start(), base + words[-1].end()
            long_form = text[l_start:l_end]
            concept = vocabulary.lookup(long_form) or vocabulary.lookup(short)
            if concept is not None:
                label, iri = concept.label, concept.iri
            else:
                head = long_form.split()[-1].lower().rstrip("s")
                heads = [w.lower().rstrip("s") for w in long_form.split()]
                label_h = _HEAD_LABELS.get(head)
                if label_h is None and long_form[:1].isupper():
                    label_h = next((_HEAD_LABELS[h] for h in heads if h in _HEAD_LABELS), None)
                if label_h is None:
                    continue
                label, iri = label_h, None
            found[short] = Acronym(short, long_form, label, iri, offset + l_start, offset + l_end)
    return found
