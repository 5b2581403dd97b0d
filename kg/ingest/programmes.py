"""Which inspection programme and cycle a publication belongs to, as a concept of the programme vocabulary.

Two steps. First the programme family, from the earliest line of the
opening that names one (a PEEL page names PEEL before crime data integrity,
which its text also mentions); a line naming two (a child protection
post-inspection review) gives the more specific. Then, for PEEL, the cycle:
a year beside "PEEL" ("PEEL 2021/22", "PEEL Assessment Framework
2023–2025", "Durham PEEL 2014", "Northumbria 2016 – PEEL"), a title line of
a force name and a year, or the ordinal of the assessment ("HMIC's second
assessment"); and the pillar a page covers ("How efficient is the force").
The result is a concept's local name ("peel-2021-22"), the same the
manifest resolves to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.ingest.vocabularies import label_key, pillars, programmes

HEAD_CHARS = 6000

#: Family patterns, most specific first (a line matching two takes the first), on dash-normalised text.
_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ncpi-post-inspection-review", re.compile(r"post-? ?inspection (?:review|follow-? ?up)", re.I)),
    (
        "ncpi-reinspection",
        re.compile(r"\bchild protection re-?inspection|\bre-?inspection\b(?=[^\n]{0,80}child)", re.I),
    ),
    (
        "ncpi-assessment-of-progress",
        re.compile(
            r"child protection[^\n]{0,60}(?:assessment of progress|progress update)|assessment of progress", re.I
        ),
    ),
    (
        "ncpi-thematic",
        re.compile(
            r"child protection inspections?:? (?:\d{4} )?thematic|thematic report[^\n]{0,40}child protection|"
            r"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+) national child protection inspections|"
            r"national child protection inspections:? (?:19|20)\d\d\b",
            re.I,
        ),
    ),
    (
        "ncpi",
        re.compile(
            r"national child protection|child protection inspection|child protection work",
            re.I,
        ),
    ),
    ("peel", re.compile(r"\bPEEL\b|police effectiveness, efficiency and legitimacy", re.I)),
    ("crime-data-integrity", re.compile(r"crime data integrity|crime recording", re.I)),
    ("custody", re.compile(r"police custody|custody suites?\b[^\n]{0,80}inspect|inspections? of police custody", re.I)),
    (
        "monitoring",
        re.compile(
            r"\bEngage\b|enhanced (?:level of )?monitoring|monitoring (?:of )?forces|monitor the performance of all",
            re.I,
        ),
    ),
    (
        "hmic-inspection",
        re.compile(r"HMIC Inspection Report|baseline assessment|\bmajor crime\b", re.I),
    ),
    (
        "thematic",
        re.compile(
            r"\bthematic\b|\bterms of reference\b|integrated vulnerability|\ban inspection into\b|"
            r"child (?:criminal and )?(?:sexual )?exploitation",
            re.I,
        ),
    ),
)
_TO_HYPHEN = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
_RANK = {slug: n for n, (slug, _) in enumerate(_FAMILIES)}

_DASH = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_CYCLE_AFTER = re.compile(
    rf"\bPEEL\b[^\n.]{{0,45}}?\b(?P<y>20[12]\d)(?:\s*(?:/|[{_DASH}]|to)\s*(?:20)?(?P<y2>\d\d))?", re.I
)
_CYCLE_BEFORE = re.compile(rf"\b(?P<y>20[12]\d)(?:\s*/\s*(?P<y2>\d\d))?\s*(?:[{_DASH}:]\s*)?PEEL\b", re.I)
_ORDINAL = re.compile(r"\b(first|second|third|fourth|fifth)\s+(?:PEEL\b[^\n.]{0,60}?)?assessment", re.I)
_ORDINALS = {
    "first": "peel-2014",
    "second": "peel-2015",
    "third": "peel-2016",
    "fourth": "peel-2017",
    "fifth": "peel-2018-19",
}
_TITLE_YEAR = re.compile(rf"^[A-Z][\w&'{_DASH} ]{{2,40}}?\s+(?P<y>20[12]\d)(?:\s*/\s*(?P<y2>\d\d))?$")
#: A pillar page asks the pillar's question, or heads a line with the pillar's name ("Durham PEEL 2018 –
#: Effectiveness", "Questions for Leadership"); an assessment page naming all three pillars covers none.
_PILLAR_WORDS = {
    "effectiveness": r"effective(?:ly)?|effectiveness",
    "efficiency": r"efficient(?:ly)?|efficiency",
    "legitimacy": r"legitimate(?:ly)?|legitimacy",
    "leadership": r"well[- ]led|leadership",
}
_PILLARS = tuple(
    (
        slug,
        re.compile(
            rf"^\s*how (?:well )?(?:{words}) (?:is|does|are) the (?:force|constabulary)|"
            rf"^\s*(?:questions for )?(?:{words})\s*$|"
            rf"\bPEEL (?:20\d\d(?:/\d\d)? )?[{_DASH}:] ?(?:{words})\s*(?:[{_DASH}]|$)|"
            rf"\bassessed how (?:well )?(?:{words})",
            re.I | re.M,
        ),
    )
    for slug, words in _PILLAR_WORDS.items()
)


@dataclass(frozen=True, slots=True)
class ProgrammeFinding:
    """A programme concept's local name, the PEEL pillar (if one), and the words that gave the programme."""

    programme: str
    pillar: str | None
    evidence: str


def cycle_of_year(year: int, second: int | None = None) -> str:
    """The PEEL cycle concept a year names (2018/19 and 2019 are one cycle, as are 2023 to 2025)."""
    if year <= 2014:
        return "peel-2014"
    if year <= 2017:
        return f"peel-{year}"
    if year <= 2020:
        return "peel-2018-19"
    if year <= 2022:
        return "peel-2021-22"
    if year <= 2024 or (year == 2025 and second is not None and second <= 25 and second != year % 100):
        return "peel-2023-25"
    return "peel-2025"


def _cycle(m: re.Match[str]) -> str:
    y2 = m.group("y2")
    return cycle_of_year(int(m.group("y")), int(y2) if y2 else None)


def detect_peel_cycle(text: str, title: list[str]) -> str:
    """The PEEL cycle a PEEL page states, or plain "peel"."""
    head = text[:HEAD_CHARS]
    for line in title:
        for regex in (_CYCLE_AFTER, _CYCLE_BEFORE):
            m = regex.search(line)
            if m:
                return _cycle(m)
        m = _TITLE_YEAR.match(line)
        if m:
            return _cycle(m)
    found = [(m.start(), _cycle(m)) for regex in (_CYCLE_AFTER, _CYCLE_BEFORE) for m in regex.finditer(head)]
    if found:
        return min(found)[1]
    # The 2021/22 cycle brought five-tier grades, and its reports say so in their standard opening.
    if re.search(r"four-tier system of judgments to five tiers", head, re.I):
        return "peel-2021-22"
    m = _ORDINAL.search(head)
    if m and re.search(r"\bPEEL\b", head, re.I):
        return _ORDINALS[m.group(1).lower()]
    return "peel"


def detect_pillar(text: str, title: list[str]) -> str | None:
    """The PEEL pillar or question a page covers, when it covers one."""
    head = "\n".join(title) + "\n" + text[:3000]
    hits = [(m.start(), slug) for slug, regex in _PILLARS for m in [regex.search(head)] if m]
    if not hits:
        return None
    # An assessment page sums up every pillar ("the extent to which the force is effective ... efficient"):
    # it covers none of them alone.
    summed = {w for w in re.findall(r"extent to which the force (?:is|operates|treats)\W+(\w+)", head, re.I)}
    if len(summed) > 1:
        return None
    return min(hits)[1]


def detect_programme(text: str, title: list[str]) -> ProgrammeFinding | None:
    """The programme (and cycle, and pillar) a page's opening names, or None."""
    zone = [*title, *text[:HEAD_CHARS].splitlines()]
    best: tuple[int, int, str, str] | None = None
    for n, raw in enumerate(zone):
        line = raw.translate(_TO_HYPHEN)
        if not line.strip():
            continue
        for slug, regex in _FAMILIES:
            m = regex.search(line)
            if m and (best is None or (n, _RANK[slug]) < (best[0], best[1])):
                best = (n, _RANK[slug], slug, " ".join(raw.split())[:200])
        if best is not None and best[0] == n:
            break
    if best is None:
        return None
    slug = best[2]
    pillar = None
    if slug == "peel":
        slug = detect_peel_cycle(text, title)
        pillar = detect_pillar(text, title)
    return ProgrammeFinding(slug, pillar, best[3])


def resolve_programme(name: str) -> str | None:
    """The programme concept's local name for a manifest value (slug, prefLabel or altLabel)."""
    concept = programmes().lookup(name)
    return concept.slug if concept else None


def resolve_pillar(name: str) -> str | None:
    """The pillar concept's local name for a manifest value."""
    concept = pillars().lookup(name)
    return concept.slug if concept else None


def programme_label(slug: str | None) -> str | None:
    """A programme concept's prefLabel, for made titles and display."""
    if slug is None:
        return None
    concept = programmes().by_slug().get(slug)
    return concept.pref_label if concept else None


def pillar_label(slug: str | None) -> str | None:
    """A pillar concept's prefLabel."""
    concept = pillars().by_slug().get(slug) if slug else None
    return concept.pref_label if concept else None


def known_programmes() -> list[str]:
    """Every programme's local name, for error messages."""
    return sorted(c.slug for c in programmes().concepts)


__all__ = [
    "ProgrammeFinding",
    "cycle_of_year",
    "detect_peel_cycle",
    "detect_pillar",
    "detect_programme",
    "known_programmes",
    "label_key",
    "programme_label",
    "resolve_pillar",
    "resolve_programme",
]
