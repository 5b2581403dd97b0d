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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.entities.vocab import Concept, Vocabulary

#: A short form in brackets, as a page defines one after its long form: "(MASH)".
SHORT_FORM_IN_BRACKETS = re.compile(r"\(\s*(?P<short>[A-Z][A-Za-z&]{1,9})\s*\)")
_WORD_RE = re.compile(r"[\w'&-]+")
#: Words too general to tie a page's long form to a vocabulary name ("force", "police", "crime", a unit's
#: head word): sharing only these, "force crime registrar" is not a wording of "force control room", nor
#: "prisoner processing unit" of "public protection unit".
_GENERAL = frozenset(
    "the of and for in on a an force forces police policing crime national service "
    "unit team department hub centre command bureau desk room suite squad directorate branch".split()
)

_HEAD_LABELS: dict[str, str] = {
    "team": "UNIT",
    "unit": "UNIT",
    "department": "UNIT",
    "hub": "UNIT",
    "squad": "UNIT",
    "bureau": "UNIT",
    "desk": "UNIT",
    "directorate": "UNIT",
    "branch": "UNIT",
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


@dataclass(frozen=True, slots=True)
class _Definition:
    short: str
    long_form: str
    #: Offsets of the long form in the document.
    start: int
    end: int


def _definitions(texts: Iterable[tuple[int, str]]) -> Iterator[_Definition]:
    """Every "long form (SHORT)" pair of a document, in text order."""
    for offset, text in texts:
        for m in SHORT_FORM_IN_BRACKETS.finditer(text):
            short = _singular(m.group("short"))
            if not any(c.isupper() for c in short[1:] + short[:1]):
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
            yield _Definition(short, text[l_start:l_end], offset + l_start, offset + l_end)


def _content(name: str) -> set[str]:
    words = re.findall(r"[a-z]+", name.lower().replace("'s", ""))
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words} - _GENERAL


def spells_out(long_form: str, concept: Concept) -> bool:
    """Whether a long form the vocabulary does not list is still a wording of the concept's names."""
    return bool(_content(long_form) & {w for name in concept.names for w in _content(name)})


def learn_acronyms(texts: Iterable[tuple[int, str]], vocabulary: Vocabulary) -> dict[str, Acronym]:
    """Return the acronyms defined in a document, keyed by short form (singular).

    Args:
        texts: ``(offset, normalised text)`` of each segment of the document.
        vocabulary: Concepts that a long or short form may name.

    Returns:
        One entry per short form; the first definition in the document wins.
    """
    found: dict[str, Acronym] = {}
    for d in _definitions(texts):
        if d.short in found:
            continue
        concept = vocabulary.lookup(d.long_form)
        if concept is None:
            by_short = vocabulary.lookup(d.short)
            # "force crime registrar (FCR)": the page spells the short form out as something else.
            concept = by_short if by_short is not None and spells_out(d.long_form, by_short) else None
        if concept is not None:
            label, iri = concept.label, concept.iri
        else:
            head = d.long_form.split()[-1].lower().rstrip("s")
            heads = [w.lower().rstrip("s") for w in d.long_form.split()]
            label_h = _HEAD_LABELS.get(head)
            if label_h is None and d.long_form[:1].isupper():
                label_h = next((_HEAD_LABELS[h] for h in heads if h in _HEAD_LABELS), None)
            if label_h is None:
                continue
            label, iri = label_h, None
        found[d.short] = Acronym(d.short, d.long_form, label, iri, d.start, d.end)
    return found


def redefined_acronyms(texts: Iterable[tuple[int, str]], vocabulary: Vocabulary) -> frozenset[str]:
    """Short forms of the vocabulary that a document first spells out as something else.

    A short form is a name only inside the field that coined it: "FCR" is the
    force control room in one report and the force crime registrar (a post)
    in another. Where the page's own first definition shares no word of
    substance with the vocabulary's names for it, the vocabulary's reading
    is wrong on that page, and its mentions of the short form are not that
    concept (``find_mentions`` drops them).
    """
    seen: set[str] = set()
    out: set[str] = set()
    for d in _definitions(texts):
        if d.short in seen:
            continue
        seen.add(d.short)
        by_short = vocabulary.lookup(d.short)
        if by_short is not None and vocabulary.lookup(d.long_form) is None and not spells_out(d.long_form, by_short):
            out.add(d.short)
    return frozenset(out)
