"""A bare sector word standing for its agencies in a list of agencies.

Reports write "police, health and education worked together" or "health
and social care partners": "health" there is the health services, the
partner kind a user asks about across forces (docs/entities-guideline.md,
PARTNER). The same word outside such a list is a topic ("mental health",
"health and safety", "education programmes"), so the word alone is never
matched: it must be an item of a list at least one of whose items is an
agency (a partner, a force or national body the rules found, or the
police), or be followed by a word that makes it a body ("education
partners").

The words and their kinds are vocabulary data (``hmi:sectorWord``); this
module only reads lists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

#: Words after a sector word that make it the sector's bodies on their own ("education partners"). People
#: of a sector ("mental health professionals", "health colleagues") are not its bodies; in a list of
#: agencies they only close the list (below).
AGENCY_HEADS = frozenset(
    "partner partners agency agencies service services provider providers body bodies organisation "
    "organisations sector sectors".split()
)
#: Words that may close a list of agencies: what its members are or do ("police, health and education
#: staff", "... work together", "... rose"). Function words (spaCy's stop words) and past tenses in "-ed"
#: close it too; any other word after a sector word is a noun it modifies ("health visitors").
_CLOSERS = AGENCY_HEADS | frozenset(
    "staff practitioners professionals colleagues representatives leaders "
    "work works share shares meet meets met attend attends agree "
    "agrees jointly collectively commission commissions contribute contributes provide provides "
    "receive receives refer refers hold holds held take takes took give gives gave make "
    "makes made keep keeps kept lead leads led rose fell said told saw found sent began came "
    "working sitting meeting attending sharing providing joining contributing agreeing coming".split()
)
#: Separators between the items of a list.
_SEPARATOR = re.compile(r"\s*(?:[,;]\s*(?:and\s+|or\s+)?|\s(?:and|or|as\s+well\s+as)\s+|\s*[&/]\s*)", re.IGNORECASE)
#: Words an item may open with before its agency ("the police", "local housing providers").
_ITEM_LEAD = re.compile(r"(?:(?:the|local|other|our|their|its|partner|key|statutory)\s+)*", re.IGNORECASE)
#: The police as an item of a list, however it is written ("police", "the police service", "police forces").
_POLICE_WORDS = r"police(?:\s+(?:service|services|forces?|officers|staff|colleagues))?"
_POLICE = re.compile(_POLICE_WORDS + r"\b", re.IGNORECASE)
_POLICE_END = re.compile(r"\b" + _POLICE_WORDS + "$", re.IGNORECASE)
#: Words that open a list by saying its items are agencies ("agencies including", "partners such as",
#: "staff from").
_LIST_OPENER = re.compile(
    r"\b(?:(?:agencies|partners|organisations|bodies|services|sectors)\s*,?\s*"
    r"(?:including|such\s+as|like|e\.g\.|namely|from|:)"
    # people who come from agencies: "two nurses and staff from health and housing"
    r"|(?:staff|professionals|representatives|leads|practitioners|colleagues|workers|managers)\s+from)"
    r"\s*(?:the\s+)?$",
    re.IGNORECASE,
)
#: The rest of a post's title after a sector word: "(police,) fire and crime commissioner".
_POST_TITLE_AFTER = re.compile(
    r"(?:\s*(?:,|and|&)\s*[a-z]+){0,2}\s+(?:commissioners?|commissioner's|panels?)\b", re.IGNORECASE
)
_WORD = re.compile(r"[A-Za-z][\w'-]*")


@dataclass(frozen=True, slots=True)
class SectorMention:
    """A sector word read as its partner kind: the span (the word, and a body word after it) and the IRI."""

    start: int
    end: int
    concept: str


@dataclass(slots=True)
class _Occurrence:
    start: int
    end: int  # through a body word after it ("education partners")
    concept: str
    qualified: bool = False


#: A separator ending the text before an item (the item before it ends where the separator starts).
_SEPARATOR_BEFORE = re.compile(
    r"(?:[,;]\s*(?:and\s+|or\s+)?|\s(?:and|or|as\s+well\s+as)\s+|\s*[&/]\s*)$", re.IGNORECASE
)


_FOLLOWING = re.compile(r"\s+(?P<next>[A-Za-z][\w'-]*)")
_NEXT_WORD = re.compile(r"\s*(?P<word>[A-Za-z][\w'-]*)?")


def _closes(text: str, end: int, seg_end: int) -> bool:
    """Whether an item of a list may end at ``end``: a separator, punctuation or a closing word follows."""
    if _SEPARATOR.match(text, end, seg_end) is not None:
        return True
    nxt = _NEXT_WORD.match(text, end, seg_end)
    word = (nxt.group("word") or "").lower() if nxt else ""
    if not word:
        return True  # punctuation or the passage's end
    return word in _CLOSERS or word in STOP_WORDS or (len(word) > 4 and word.endswith("ed"))


def _occurrences(
    text: str,
    seg_start: int,
    seg_end: int,
    pattern: re.Pattern[str],
    words: dict[str, str],
    taken: Sequence[tuple[int, int]],
) -> list[_Occurrence]:
    """Sector words that can be an item of a list: nothing modifies them and nothing they modify follows."""
    found: list[_Occurrence] = []
    for m in pattern.finditer(text, seg_start, seg_end):
        s, e = m.span()
        if m.group().isupper() or any(a < e and s < b for a, b in taken):
            continue
        before = text[max(seg_start, s - 40) : s].rstrip()
        if m.group()[0].isupper() and before and not before.endswith((".", ":", "!", "?", "\u2022", "-", "*")):
            continue  # capitalised inside a sentence: a word of a name ("Inspectorate of Constabulary, Fire and ...")
        # A modifier before the word makes it another thing ("mental health", "public health"):
        # only a separator, a function word or the passage's start may come before it.
        if before and not before.endswith((",", ";", "(", ":", "&", "/")):
            previous = _WORD.findall(text[max(seg_start, s - 40) : s])
            opened = _LIST_OPENER.search(text, max(seg_start, s - 60), s) is not None
            if previous and previous[-1].lower() not in STOP_WORDS and not opened:
                continue
        if _POST_TITLE_AFTER.match(text, e, seg_end):
            continue  # "police, fire and crime commissioner": a post's title, not a list of agencies
        end = e
        after = _FOLLOWING.match(text, e, seg_end)
        body = after is not None and after.group("next").lower() in AGENCY_HEADS
        if after is not None and body:
            end = after.end()  # "education partners": the body word is part of the name
        if not _closes(text, end, seg_end):
            continue  # "health visitors", "a health services inspector": the words modify another noun
        found.append(_Occurrence(s, end, words[m.group("word").lower()], qualified=body))
    return found


def sector_mentions(
    text: str,
    segments: Sequence[tuple[int, int]],
    words: dict[str, str],
    agencies: Sequence[tuple[int, int]],
    taken: Sequence[tuple[int, int]],
) -> list[SectorMention]:
    """The sector words of ``text`` that stand for their agencies.

    Args:
        text: The document's normalised text.
        segments: ``(start, end)`` ranges to read (a list never crosses one).
        words: Sector word (lower case) to partner kind IRI (``Vocabulary.sector_words``).
        agencies: Spans of the organisations already found (partners, forces, national bodies).
        taken: Spans already holding an entity: a sector word inside one is part of that name.

    Returns:
        One mention per sector word that is an item of a list one of whose items is an
        agency, or that is followed by a body word, in text order.
    """
    if not words:
        return []
    pattern = re.compile(
        r"\b(?P<word>" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )
    agency_starts = {s for s, _e in agencies}
    agency_ends = {e for _s, e in agencies}
    out: list[SectorMention] = []
    for seg_start, seg_end in segments:
        found = _occurrences(text, seg_start, seg_end, pattern, words, taken)
        by_end = {o.end: o for o in found}
        by_start = {o.start: o for o in found}

        def agency_before(o: _Occurrence, by_end: dict[int, _Occurrence] = by_end, seg_start: int = seg_start) -> bool:
            if _LIST_OPENER.search(text, max(seg_start, o.start - 60), o.start):
                return True  # "bodies such as probation and ...": the list is of agencies
            sep = _SEPARATOR_BEFORE.search(text, max(seg_start, o.start - 20), o.start)
            if sep is None:
                return False
            other = by_end.get(sep.start())
            if other is not None:
                return other.qualified
            police = _POLICE_END.search(text, max(seg_start, sep.start() - 40), sep.start())
            return sep.start() in agency_ends or police is not None

        def agency_after(o: _Occurrence, by_start: dict[int, _Occurrence] = by_start, seg_end: int = seg_end) -> bool:
            sep = _SEPARATOR.match(text, o.end, seg_end)
            if sep is None:
                return False
            lead = _ITEM_LEAD.match(text, sep.end(), seg_end)
            start = lead.end() if lead else sep.end()
            other = by_start.get(start) or by_start.get(sep.end())
            if other is not None:
                return other.qualified
            return bool({start, sep.end()} & agency_starts) or _POLICE.match(text, start, seg_end) is not None

        changed = True
        while changed:
            changed = False
            for o in found:
                if not o.qualified and (agency_before(o) or agency_after(o)):
                    o.qualified = changed = True
        out += [SectorMention(o.start, o.end, o.concept) for o in found if o.qualified]
    return out
