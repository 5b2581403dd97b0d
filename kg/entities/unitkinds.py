"""A lower-case unit named by its function and a head word, in wording the vocabulary lacks.

Forces word the units every force has in their own ways: "the force's
vulnerability desk", "a central fraud team", "its child sexual abuse
investigation team". The vocabulary lists the conventional names; this
module reads the rest by the shape of the phrase: modifiers that name a
policing function, then a unit head word (unit, team, hub, department,
centre, bureau, desk, suite, room, command). The functions are taken from
the vocabulary's own unit names (the words before their head), so a new
alias teaches the rule a new function with no code.

Precision comes from three checks (docs/entities-guideline.md, UNIT): every
modifier must be a function word or a word that does not change the kind
("force", "central", "new"); the word before the modifiers must end the
phrase (an article, a possessive, punctuation, a name), so "quality control
team" is not a control room; and a bare head ("the team", "a new hub")
names no function, so it is never a unit of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from kg.entities.vocab import Vocabulary

#: Head words of a unit's name, singular, with their family: a team-like part of the organisation, or a
#: place where people sit together. A function seen with one family is read with another only when it
#: takes two or more words to say ("public protection hub"), never from one word ("contact team").
_HEADS = {
    **dict.fromkeys("unit team department command directorate bureau desk squad branch".split(), "body"),
    **dict.fromkeys("hub centre suite room".split(), "place"),
}
_PLURALS = {"bureaux": "bureau", "centres": "centre", "branches": "branch"} | {h + "s": h for h in _HEADS}
_HEAD_RE = re.compile(r"\b(?P<head>" + "|".join(sorted({*_HEADS, *_PLURALS}, key=len, reverse=True)) + r")\b")
#: Capitalised head words: "the Vulnerability Desk", "a Fraud Bureau", "the Child Exploitation Unit". A
#: name the name rules took as a unit to review is given its kind where its function words name one.
_TITLE_HEAD_RE = re.compile(
    r"\b(?P<head>" + "|".join(sorted({w.capitalize() for w in [*_HEADS, *_PLURALS]}, key=len, reverse=True)) + r")\b"
)
#: Words that may stand in a unit's name without naming its function: where it sits, how it is
#: staffed, whether it is new, and generic words of policing ("crime", "investigation").
_NEUTRAL = frozenset(
    "force forces force-wide forcewide central centralised county countywide divisional area local joint main "
    "integrated single separate existing own new newly formed established dedicated specialist specialised "
    "small virtual combined multi-agency multi agency partnership police policing crime crimes investigation special "
    "investigations investigative management support operations command".split()
)
#: Neutral words that say only where a unit sits or how it is staffed: a capitalised name made of them
#: alone ("the Specialist Team", "Force Units") names no unit of its own.
_PLACE_OR_STAFF = frozenset(
    "force forces force-wide forcewide central centralised county countywide divisional area local joint main "
    "single separate existing own new newly formed established dedicated specialist specialised small virtual "
    "combined police".split()
)
#: Leading words dropped from a unit's span: they describe the unit, they are not part of its name.
_NOT_NAME = frozenset("new newly formed established dedicated specialist specialised small own existing".split())
_JOINERS = frozenset({"and", "&", "of", "or"})
#: A short form in brackets just before a head word ("... exploitation (CSE) team").
_SHORT_BEFORE = re.compile(r"[ \t]+\([ \t]*[A-Z][A-Za-z&]{0,9}[ \t]*\)[ \t]+$")
#: Words after a head word that make the phrase a post ("unit manager", "team leader").
_POST_AFTER = frozenset(
    "leader leaders manager managers member members lead leads head heads supervisor agent agents".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|&")
_AFTER_HEAD = re.compile(r"\s*(?P<word>[A-Za-z][A-Za-z'-]*)")


def names_no_function(name: str) -> bool:
    """Whether a unit's name says only where it sits or how it is staffed ("the Specialist Team", "Police
    Units"): like "a new unit", it names no kind of unit and no team of its own."""
    words = [w for w in _words(name) if w not in {"the", "a", "an"}]
    if len(words) < 2 or _PLURALS.get(words[-1], words[-1]) not in _HEADS:
        return False
    return all(w in _PLACE_OR_STAFF or w in _JOINERS for w in words[:-1])


def _words(phrase: str) -> list[str]:
    return phrase.lower().replace("-", " ").split()


@dataclass(frozen=True, slots=True)
class UnitPhrase:
    """A unit read by its function: the concept it is a kind of, or None with the name to review."""

    start: int
    end: int
    concept: str | None
    name: str
    #: The span of a unit the vocabulary named that this longer name replaces ("domestic abuse
    #: safeguarding hub" over "safeguarding hub"), if any.
    replaces: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class _Key:
    words: frozenset[str]
    concept: str
    heads: frozenset[str]


class UnitKinds:
    """The functions the vocabulary's unit names say, and which unit kind each is, computed once."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        seen: dict[tuple[frozenset[str], str], set[str]] = {}
        for concept in vocabulary.concepts:
            if concept.label != "UNIT":
                continue
            for name in concept.names:
                words = _words(name)
                head = _PLURALS.get(words[-1], words[-1]) if words else ""
                if len(words) < 2 or head not in _HEADS or any(w.isupper() for w in name.split()[:-1]):
                    continue
                key = frozenset(w for w in words[:-1] if w not in _JOINERS)
                seen.setdefault((key, concept.iri), set()).add(head)
        # A key made only of neutral words ("crime bureau", "command team") names no function of its own.
        self.keys = tuple(
            _Key(words, iri, frozenset(heads))
            for (words, iri), heads in sorted(seen.items(), key=str)
            if words - _NEUTRAL
        )
        self.function_words = frozenset(w for k in self.keys for w in k.words) - _NEUTRAL

    def singular(self, word: str) -> str:
        """A plural modifier as the function word it is the plural of ("neighbourhoods")."""
        if word.endswith("s") and word[:-1] in self.function_words:
            return word[:-1]
        return word

    def known(self, word: str) -> bool:
        """Whether a word may be a modifier in a unit's name (a function word, a neutral word or a joiner)."""
        parts = word.lower().replace("-", " ").split()
        return bool(parts) and all(
            self.singular(p) in self.function_words or p in _NEUTRAL or p in _JOINERS for p in parts
        )

    def resolve(self, modifiers: Sequence[str], head: str) -> tuple[str | None, frozenset[str]] | None:
        """The unit kind of "modifiers head", and the modifiers its key covers; None if no function is named.

        The key with the most words inside the modifiers wins; among equals, one seen with this head, then
        one seen with a head of its family. One function that two kinds share at the best level gives
        (None, key): a unit to review rather than a guess; two functions naming two kinds give None.
        """
        words = {self.singular(p) for w in modifiers for p in _words(w)} - _JOINERS
        matches = [k for k in self.keys if k.words <= words]
        if not matches:
            return None
        size = max(len(k.words) for k in matches)
        best = [k for k in matches if len(k.words) == size]
        family = _HEADS[head]
        for level in (
            [k for k in best if head in k.heads],
            [k for k in best if any(_HEADS[h] == family for h in k.heads)],
            [k for k in best if size >= 2],
        ):
            concepts = {k.concept for k in level}
            if len(concepts) == 1:
                return next(iter(concepts)), level[0].words
            if len({k.words for k in level}) == 1:
                return None, level[0].words  # one function, two kinds of unit: for review
            if concepts:
                return None  # two functions in one name: the force's own arrangement, not a kind
        return None


def _modifiers(
    text: str, seg_start: int, head_start: int, kinds: UnitKinds, *, title: bool = False
) -> list[re.Match[str]] | None:
    """The modifier words before a head word, or None where the word before them makes them part of
    a longer description ("quality control team"). With ``title``, the words of a capitalised name."""
    tokens = list(_WORD.finditer(text, max(seg_start, head_start - 120), head_start))
    mods: list[re.Match[str]] = []
    end = head_start
    for tok in reversed(tokens):
        gap = text[tok.end() : end]
        if gap.strip():
            break  # punctuation between: the phrase starts after it
        word = tok.group()
        if not kinds.known(word):
            break
        if title:
            if not (word.istitle() or word in {"and", "of", "&"}):
                break
            mods.insert(0, tok)
            end = tok.start()
            continue
        if not (word.islower() or word == "&"):
            # A capital only where a sentence or a line starts: "Child exploitation desk".
            opening = text[max(seg_start, tok.start() - 3) : tok.start()].rstrip(" \t")
            if word[1:] != word[1:].lower() or (opening and not opening.endswith((".", "\n", "!", "?", ":", "\u2022"))):
                break
            mods.insert(0, tok)
            break
        mods.insert(0, tok)
        end = tok.start()
    while mods and mods[0].group().lower() in _JOINERS:
        mods = mods[1:]
    if not mods:
        return None
    if title:
        return mods  # capitals make it a name whatever describes it ("a new Central Referral Desk")
    first = mods[0].start()
    before = text[max(seg_start, first - 40) : first].rstrip()
    if not before or before.endswith(("'s", "'", ",", ";", ":", "(", ".", "\u2022", "-")):
        return mods
    previous = _WORD.findall(before)
    word = previous[-1] if previous else ""
    if not word or word.lower() in STOP_WORDS or word[:1].isupper() or not word.isalpha():
        return mods
    return None  # a descriptive word before the function ("quality control"): not a unit's name


def unit_phrases(
    text: str,
    segments: Sequence[tuple[int, int]],
    kinds: UnitKinds,
    taken: Sequence[tuple[int, int]],
    named: Sequence[tuple[int, int, str | None]] = (),
) -> list[UnitPhrase]:
    """Lower-case unit names the vocabulary does not list, read by their function and head word.

    Args:
        text: The document's normalised text.
        segments: ``(start, end)`` ranges to read.
        kinds: The functions of the vocabulary's units (``UnitKinds``).
        taken: Spans already holding an entity: a head inside one is part of that name.
        named: Units the vocabulary already named (start, end, concept): function words before one
            make a longer name of another kind ("domestic abuse safeguarding hub"), or a unit of their
            own sharing its head ("public protection and vulnerability unit").

    Returns:
        One phrase per unit read, in text order; "neighbourhood and response teams" gives two.
    """
    out: list[UnitPhrase] = []
    ends = {e: (s, c) for s, e, c in named}
    for seg_start, seg_end in segments:
        heads = [(m, False) for m in _HEAD_RE.finditer(text, seg_start, seg_end)]
        heads += [(m, True) for m in _TITLE_HEAD_RE.finditer(text, seg_start, seg_end)]
        for m, title in sorted(heads, key=lambda h: h[0].start()):
            hs, he = m.span()
            lower = m.group("head").lower()
            head = _PLURALS.get(lower, lower)
            if he in ends:
                out += _before_named(
                    text, seg_start, ends[he], he, head, kinds, taken, plural=head != lower, title=title
                )
                continue
            if any(a < he and hs < b for a, b in taken):
                continue
            after = _AFTER_HEAD.match(text, he, seg_end)
            if after is not None and after.group("word").lower() in _POST_AFTER:
                continue
            # "the child sexual exploitation (CSE) team": the page's short form for the function sits
            # between the function's words and the head word.
            short = _SHORT_BEFORE.search(text, max(seg_start, hs - 16), hs)
            mods = _modifiers(text, seg_start, short.start() if short else hs, kinds, title=title)
            if mods is None:
                continue
            # "the force communications room": "the force" is the force's own mention, and the unit's name
            # starts after it; so does a describing word ("new", "dedicated").
            while mods and (
                mods[0].group().lower() in _NOT_NAME
                or (
                    mods[0].group().lower() in _NEUTRAL
                    and any(a < mods[0].end() and mods[0].start() < b for a, b in taken)
                )
            ):
                mods = mods[1:]
            out += _read(text, mods, head, he, kinds, taken, plural=head != lower)
    return out


def _before_named(
    text: str,
    seg_start: int,
    unit: tuple[int, str | None],
    end: int,
    head: str,
    kinds: UnitKinds,
    taken: Sequence[tuple[int, int]],
    *,
    plural: bool,
    title: bool = False,
) -> list[UnitPhrase]:
    """Function words before a unit the vocabulary named: a longer name, or a coordinated unit (in
    capitals with ``title``: "the Online Child Abuse Unit")."""
    start, concept = unit
    joined = re.search(r"(?:\s+(?:and|&)|\s*,)\s+$", text[max(seg_start, start - 8) : start])
    if joined is not None:
        # "public protection and vulnerability unit": "public protection" shares the head.
        mods = _modifiers(text, seg_start, start - len(joined.group()), kinds, title=title)
        if mods is None or mods[-1].end() != start - len(joined.group()):
            return []
        first = _read(text, mods, head, mods[-1].end(), kinds, taken, plural=plural)
        if len(first) == 1 and first[0].concept == concept:
            # "economic crime and fraud team": two words for one function, one unit.
            name = " ".join(text[first[0].start : end].split())
            return [UnitPhrase(first[0].start, end, concept, name, replaces=(start, end))]
        # Only a plural head is shared by two kinds of unit ("neighbourhood and response teams"); a
        # singular one names one unit with two functions ("an intelligence and response command").
        return first if plural else []
    mods = _modifiers(text, seg_start, start, kinds, title=title)
    if mods is None or mods[-1].end() + 1 != start:
        return []
    while mods and mods[0].group().lower() in _NOT_NAME:
        mods = mods[1:]
    own = _WORD.findall(text[start:end])[:-1]
    found = kinds.resolve([*(t.group() for t in mods), *own], head) if mods else None
    if found is None or found[0] is None or found[0] == concept:
        return []
    # Another kind only where the words before the name are part of what the longer key says.
    if not found[1] & {p for t in mods for p in _words(t.group())}:
        return []
    begin = mods[0].start()
    if any(a < start and begin < b for a, b in taken):
        return []
    return [UnitPhrase(begin, end, found[0], " ".join(text[begin:end].split()), replaces=(start, end))]


def _read(
    text: str,
    mods: list[re.Match[str]],
    head: str,
    head_end: int,
    kinds: UnitKinds,
    taken: Sequence[tuple[int, int]],
    *,
    plural: bool,
) -> list[UnitPhrase]:
    """The unit(s) a run of modifiers and its head word names.

    Coordinated functions before a plural head are two kinds of unit ("neighbourhood and response
    teams"); before a singular head they are one unit, read only where both name one kind ("economic
    crime and fraud team"), since a unit with two functions ("an intelligence and response
    command") is the force's own arrangement, not a kind.
    """
    if not mods:
        return []
    found = kinds.resolve([t.group() for t in mods], head)
    if found is None:
        return []
    concept, covered = found
    uncovered = {kinds.singular(p) for t in mods for p in _words(t.group())} - covered - _NEUTRAL - _JOINERS
    joiner = next((i for i, t in enumerate(mods) if t.group().lower() in {"and", "&"}), None)
    if uncovered and joiner is not None:
        # "neighbourhood and response teams", "public protection and vulnerability unit": two units
        # sharing one head word. The first is named by its modifiers alone; the rest keeps the head.
        parts = [
            *_read(text, mods[:joiner], head, mods[joiner - 1].end() if joiner else 0, kinds, taken, plural=plural),
            *_read(text, mods[joiner + 1 :], head, head_end, kinds, taken, plural=plural),
        ]
        if len(parts) == 2 and parts[0].concept is not None and parts[0].concept == parts[1].concept:
            # Two words for one function ("economic crime and fraud team"): one unit.
            return [
                UnitPhrase(
                    parts[0].start, head_end, parts[0].concept, " ".join(text[parts[0].start : head_end].split())
                )
            ]
        return parts if plural else []
    start = mods[0].start()
    if any(a < head_end and start < b for a, b in taken):
        return []
    return [UnitPhrase(start, head_end, concept, " ".join(text[start:head_end].split()))]
