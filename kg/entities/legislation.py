"""Find Act titles and section references by pattern.

Act titles follow one shape: capitalised words (with "and", "of", "the",
commas) ending in "Act" and a year. A title the vocabulary does not know gets
a pattern-derived concept IRI so it is still linked, and it is listed for
review. Section references ("section 47 of the Children Act 1989", "s.46",
"section 47 enquiries") are their own nodes under the Act's IRI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.entities.text import key

LEGISLATION_BASE = "https://w3id.org/hmi-kg/vocab/legislation/"

_TITLE_WORD = r"(?:[A-Z][\w'-]*|\([A-Z][\w ,.&'-]*\))"
_JOIN = r"(?:,?\s+(?:(?:and|of|the|for|on|in|to|from)\s+)*)"
#: An Act ("... Act 2004", "... Act" where the vocabulary knows it) or a statutory instrument with its
#: year ("the Police (Conduct) Regulations 2020", "... Order 2019").
ACT_RE = re.compile(
    rf"\b{_TITLE_WORD}(?:{_JOIN}{_TITLE_WORD})*?\s+(?P<kind>Act|Regulations|Order)"
    r"(?:\s+(?P<year>1[6-9]\d\d|20\d\d))?\b"
)
#: "section 47", "s.47", "ss. 46", and "s136" (the letter glued to a number of two or three digits).
SECTION_RE = re.compile(
    r"\b(?:[Ss]ections?|s\.|ss\.|s(?=\d{2,3}[A-Z]{0,2}\b))\s?(?P<num>\d+[A-Z]{0,2})(?:\((?P<sub>\d+[A-Z]{0,3})\))?"
)
#: More section numbers after the first: "sections 46 and 47", "sections 5, 6 or 7".
_MORE_SECTIONS = re.compile(r"(?:\s*,\s*|\s+(?:and|or|to)\s+)(?P<num>\d+[A-Z]{0,2})\b(?!\s*(?:per\s*cent|%))")
SECTION_LINK_RE = re.compile(r"\s+(?:of\s+|under\s+)?(?:the\s+)?$")

# Capitalised words that open sentences or clauses but never open an Act title.
_LEADING = frozenset(
    """a an and as at by during for from in into of on or the this that these those
    under until upon using via when where whereas which while with within without
    following after before since although because both either neither under
    section sections s part schedule""".split()
)


@dataclass(frozen=True, slots=True)
class ActMatch:
    """An Act title found in text; ``iri`` is the vocab IRI or a derived one."""

    start: int
    end: int
    title: str
    iri: str
    known: bool


def slug(title: str) -> str:
    """Return the IRI slug of an Act title: lower case words joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", title.lower().replace("'", "")))


def find_acts(text: str, acts: dict[str, str]) -> list[ActMatch]:
    """Return the Act titles in ``text`` (needs a year unless the vocabulary knows the title).

    Args:
        text: Normalised text.
        acts: Lookup key of each known Act name mapped to its IRI.

    Returns:
        Matches in text order, leading sentence words trimmed off.
    """
    out: list[ActMatch] = []
    for m in ACT_RE.finditer(text):
        start, end = m.start(), m.end()
        words = list(re.finditer(r"\S+", text[start:end]))
        # Trim leading words that cannot start a title ("Under the Children Act").
        i = 0
        while i < len(words) - 1 and words[i].group().strip(",").lower() in _LEADING:
            i += 1
        start += words[i].start()
        # Prefer the longest known title that ends this match.
        chosen: ActMatch | None = None
        for w in words[i:-1]:
            s = m.start() + w.start()
            title = text[s:end]
            iri = acts.get(key(title))
            if iri is not None and text[s].isupper():
                chosen = ActMatch(s, end, title, iri, True)
                break
        if chosen is None:
            title = text[start:end]
            if m.group("year") is None or not title[0].isupper():
                continue
            if title.split()[0] in {"Act", "Regulations", "Order"}:
                continue
            chosen = ActMatch(start, end, title, LEGISLATION_BASE + slug(title), False)
        out.append(chosen)
    return out


@dataclass(frozen=True, slots=True)
class SectionMatch:
    """A section reference; ``act`` is the Act that directly follows it, if any."""

    start: int
    end: int
    number: str
    act: ActMatch | None


#: What opens a line of a contents list or a heading: a line start, a bullet, or a page number.
_HEADING_BEFORE = re.compile(r"(?:^|[\u00b7\u2022:]|\d)[ \t]*\Z", re.MULTILINE)
_HEADING_AFTER = re.compile(r"\.[ \t]+[A-Za-z]|\.{3}|\u2026")
#: What follows a section number of the document itself: "section 4 of this report", "section 3 below".
_OWN_SECTION_AFTER = re.compile(
    r"[ \t]+(?:of[ \t]+(?:this|the)[ \t]+(?:report|document|publication|inspection report|chapter)\b"
    r"|(?:below|above)(?=[ \t]*(?:[.,;:)]|$)))",
    re.IGNORECASE,
)


def _is_own_section_number(text: str, start: int, end: int) -> bool:
    """Whether "Section 2. Background" is a document's own numbered section (a heading), not the law's.

    It opens a line or follows a bullet or a page number, and a full stop and
    the heading's words (or the dots of a cut contents line) follow its
    number; or the text says the section is its own ("listed in section 4
    of this report", "see section 3 below").
    """
    if _OWN_SECTION_AFTER.match(text, end):
        return True
    return bool(_HEADING_AFTER.match(text, end) and _HEADING_BEFORE.search(text, max(0, start - 20), start))


def find_sections(text: str, acts: list[ActMatch]) -> list[SectionMatch]:
    """Return section references, tied to an Act title that follows within a few words."""
    by_start = {a.start: a for a in acts}
    out: list[SectionMatch] = []
    for m in SECTION_RE.finditer(text):
        # "sections 46 and 47 of the Children Act": every number is a section of the Act after the list.
        numbers = [(m.start(), m.end(), m.group("num"))]
        end = m.end()
        if m.group(0)[:1] in "Ss" and m.group(0).lower().startswith(("sections", "ss.")):
            while more := _MORE_SECTIONS.match(text, end):
                numbers.append((more.start("num"), more.end("num"), more.group("num")))
                end = more.end()
        act: ActMatch | None = None
        for a_start, a in by_start.items():
            if a_start >= end and SECTION_LINK_RE.fullmatch(" " + text[end:a_start]):
                act = a
                break
        if act is None and _is_own_section_number(text, m.start(), m.end()):
            continue
        out.append(SectionMatch(m.start(), m.end(), m.group("num"), act))
        out += [SectionMatch(s, e, num, act) for s, e, num in numbers[1:]]
    return out


def section_iri(act_iri: str, number: str) -> str:
    """Return the IRI of section ``number`` of the Act ``act_iri``."""
    return f"{act_iri}/section/{number}"
