"""Read the dates a publication states about itself: its inspection, first publication and edition.

A page states its dates in many forms ("Published on: 8 September 2022",
"Last updated 02/05/2019", a PDF title page's "April 2019", a footer
"November 2023 | © HMICFRS 2023", a letter's "27th August 2015", "inspected
in May 2017", "fieldwork took place in October 2019", "in late 2019", a
title page's "12 April–23 April 2021"). Each form is a date pattern plus a
cue that gives its role; a date with no cue is a date of something the
report describes, and is left alone.

Only the opening of a text (and its last lines, for a footer) is read: the
dates a publication states about itself sit there, and dates further on are
mostly of events the report describes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kg.records import PublicationDate

DateRole = Literal["inspected", "first_published", "edition"]

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_WORD = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DASH = "[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"

#: A day, month or year in words, or a UK numeric date; a period of days in one month or two.
_DATE = (
    rf"(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH_WORD}))?(?:\s+(?P<y1>{_YEAR}))?\s*(?:{_DASH}|\bto\b)\s*"
    rf"(?P<d2>{_DAY})\s+(?P<m2>{_MONTH_WORD})\s+(?P<y2>{_YEAR})"
    rf"|(?P<day>{_DAY})\s+(?:of\s+)?(?P<month>{_MONTH_WORD}),?\s+(?P<year>{_YEAR})"
    rf"|(?P<nd>[0-3]\d)/(?P<nm>[01]\d)/(?P<ny>{_YEAR})"
    rf"|(?P<qual>early|mid|late|the (?:start|end|beginning|middle) of|spring|summer|autumn|winter)"
    rf"[\s-]+(?:of\s+)?(?P<qy>{_YEAR})"
    rf"|(?P<mr1>{_MONTH_WORD})\s*(?:/|{_DASH}|\bto\b|\band\b)\s*(?:(?:early|mid|late)[\s-]+)?(?P<mr2>{_MONTH_WORD})\s+(?P<yr>{_YEAR})"
    rf"|(?P<month2>{_MONTH_WORD})\s+(?P<year2>{_YEAR})"
    rf"|(?P<year3>{_YEAR})"
)
_DATE_RE = re.compile(_DATE, re.IGNORECASE)

#: How much of the opening and of the end of a text is read.
HEAD_CHARS = 6000
TAIL_CHARS = 600


@dataclass(frozen=True, slots=True)
class StatedDate:
    """A date the text states about the publication, the words it was read from, and its role."""

    role: DateRole
    date: PublicationDate
    start: int


def _month(word: str) -> int:
    w = word.lower()[:3]
    return next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(w))


def _iso(year: str, month: str | None = None, day: str | None = None) -> str | None:
    y = int(year)
    if month is None:
        return f"{y:04d}"
    m = _month(month) if not month.isdigit() else int(month)
    if not 1 <= m <= 12:
        return None
    if day is None:
        return f"{y:04d}-{m:02d}"
    d = int(re.sub(r"\D", "", day))
    if not 1 <= d <= 31:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse_date(match: re.Match[str]) -> tuple[str, str | None, str | None] | None:
    """(start, end, qualifier) of a ``_DATE_RE`` match, or None if it is no real date."""
    g = match.groupdict()
    if g["d2"]:
        end = _iso(g["y2"], g["m2"], g["d2"])
        start = _iso(g["y1"] or g["y2"], g["m1"] or g["m2"], g["d1"])
        if start is None or end is None or start > end:
            return None
        return start, end, None
    if g["day"]:
        value = _iso(g["year"], g["month"], g["day"])
        return (value, None, None) if value else None
    if g["nd"]:
        value = _iso(g["ny"], g["nm"], g["nd"])
        return (value, None, None) if value else None
    if g["qual"]:
        return _iso(g["qy"]) or "", None, " ".join(g["qual"].lower().split())
    if g["mr1"]:
        start, end = _iso(g["yr"], g["mr1"]), _iso(g["yr"], g["mr2"])
        return (start, end, None) if start and end and start <= end else None
    value = _iso(g["year2"], g["month2"]) if g["month2"] else _iso(g["year3"])
    return (value, None, None) if value else None


# ---------------------------------------------------------------- cues

#: A cue, the role it gives, and whether the date must follow it closely (chars allowed between).
_EDITION_CUE = re.compile(
    r"\b(?:published on|last updated|updated on|page updated|date published|publication date|"
    r"first published on)\s*:?\s*$",
    re.IGNORECASE,
)
_FIRST_PUBLISHED_CUE = re.compile(r"\bfirst published(?: on)?\s*:?\s*$", re.IGNORECASE)
#: An inspection verb in the same sentence as the date, when the sentence is about this inspection.
_INSPECTED_CUE = re.compile(
    r"\b(?:inspect(?:ed|ion|ions|ing)?|re-?inspect\w*|fieldwork|visit(?:ed)?|took place|carried out|conducted|"
    r"assessed|review(?:ed)?|on[- ]site)\b",
    re.IGNORECASE,
)
#: A sentence about an earlier inspection or report than this one.
_EARLIER_CUE = re.compile(
    r"\b(?:previous(?:ly)?|initial|earlier|original(?:ly)?|last inspect\w*|our last|prior|"
    r"the \d{4} inspection|our \d{4} inspection|that inspection|since)\b",
    re.IGNORECASE,
)
#: Words that show a date is of something other than the inspection or publication.
_NOT_OURS = re.compile(
    r"\b(?:between|until|since|from|to the end of|in the \d+ months|commissioned|plan|act|"
    r"will|intend|before|after|by)\b",
    re.IGNORECASE,
)
#: Dates of this review's own work, even in a sentence that names the earlier inspection.
_REVIEW_CUE = re.compile(
    r"\b(?:post[- ]inspection review|follow[- ]up|revisit\w*|re-?inspect\w*|this review|our review)\b", re.IGNORECASE
)
_TODAY = re.compile(
    r"\b(?:published today|today published|released today|today released|today'?s report|today’s report|"
    r"has today published|report published today|out today)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘'])|\n\s*\n")


def _sentence(text: str, start: int, end: int) -> tuple[int, str]:
    """The sentence (or line block) around a stretch of text: its start and words."""
    left = max(text.rfind("\n\n", 0, start), max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)))
    s = left + 1 if left >= 0 else 0
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    e = min(right_candidates) if right_candidates else len(text)
    return s, text[s:e]


def _title_zone_end(text: str) -> int:
    """Where a title page ends: the first 12 non-empty lines, at most 800 characters."""
    count = 0
    for m in re.finditer(r"[^\n]*\S[^\n]*", text[:800]):
        count += 1
        if count == 12:
            return m.end()
    return min(len(text), 800)


def find_dates(text: str, *, is_review: bool = False) -> list[StatedDate]:
    """Every date the opening (and the end) of ``text`` states about the publication, in text order.

    ``is_review``: the publication is a review of an earlier inspection, so a
    sentence that names the inspection without saying it is this review's
    (a recap: "In May 2017 we inspected...") is not taken as its date.
    """
    found: list[StatedDate] = []
    head = text[:HEAD_CHARS]
    title_end = _title_zone_end(head)
    tail_start = max(len(head), len(text) - TAIL_CHARS)
    for base, chunk in ((0, head), (tail_start, text[tail_start:])):
        for m in _date_matches(chunk):
            parsed = parse_date(m)
            if parsed is None or not parsed[0]:
                continue
            start = base + m.start()
            role = _role(text, start, base + m.end(), m, title_end, is_review)
            if role is None:
                continue
            value, end, qualifier = parsed
            evidence = _evidence(text, start, base + m.end())
            found.append(
                StatedDate(
                    role,
                    PublicationDate(value=value, end=end, qualifier=qualifier, provenance="stated", evidence=evidence),
                    start,
                )
            )
    return found


_YEAR_RE = re.compile(_YEAR)
#: How far before its year a date can start ("late February/early March 2015", "12 April–23 April 2021").
_DATE_REACH = 48


def _date_matches(chunk: str) -> list[re.Match[str]]:
    """``_DATE_RE``'s matches in ``chunk``, found from the years in it.

    Every date ends in a year, so the full pattern is tried only in a short
    window before each year, ending there: scanning the whole opening with
    it took ten times as long, for the same matches. Where two matches
    overlap, the one starting first (the longer) is kept.
    """
    found: list[re.Match[str]] = []
    last_end = -1
    for y in _YEAR_RE.finditer(chunk):
        if y.end() <= last_end:
            continue
        window_start = max(0, y.start() - _DATE_REACH)
        best: re.Match[str] | None = None
        for start in range(window_start, y.start() + 1):
            if start > window_start and chunk[start - 1].isalnum() and chunk[start].isalnum():
                continue  # a date starts at a word's start
            m = _DATE_RE.match(chunk, start, y.end())
            if m is not None and m.end() == y.end() and m.start() >= last_end:
                best = m
                break
        if best is not None:
            found.append(best)
            last_end = best.end()
    return found


def _evidence(text: str, start: int, end: int) -> str:
    """The date with a few words of its cue, as a reader would quote it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    s = max(line_start, start - 60)
    e = min(line_end, end + 30)
    return " ".join(text[s:e].split())


_CUE_WINDOW_BEFORE = 45
_CUE_WINDOW_AFTER = 30
_PUBLISH_WINDOW = 70
#: Words that make a date something other than this publication's inspection or publication.
_OTHER_CUE = re.compile(
    r"\b(?:commissioned|began|begun|started|launched|introduced|renamed|took on responsibility|suspended|resumed|"
    r"paused|between|until|from|to the end of|intend|will|before|after|by|since)\b",
    re.I,
)
_PUBLISH_CUE = re.compile(r"\b(?:published|publish|publication|released|issued)\b", re.I)
#: Verbs that govern the date they stand beside ("carried out in July 2016", "took place in October 2019").
_STRONG_INSPECTED_CUE = re.compile(
    r"\b(?:took place|carried out|conducted|fieldwork|inspected|visited|revisited|returned to(?: the force)?|"
    r"went back|we carried out|on[- ]site)\b",
    re.I,
)


def _near(regex: re.Pattern[str], sentence: str, at: int, length: int, before: int, after: int) -> int | None:
    """Distance from the date to the nearest match of ``regex`` in its sentence within the windows, or None."""
    best: int | None = None
    for m in regex.finditer(sentence):
        if m.end() <= at:
            distance = at - m.end()
            if distance > before:
                continue
        elif m.start() >= at + length:
            distance = m.start() - (at + length) + 5  # a cue before the date is the likelier one
            if distance > after:
                continue
        else:
            continue
        best = distance if best is None else min(best, distance)
    return best


def _nearest_cue(sentence: str, at: int, length: int) -> DateRole | None | bool:
    """The role the cues beside a date give it: a verb governing it, then a publication, then an
    inspection named near it; None when it is of something else; False when no cue is near."""
    other = _near(_OTHER_CUE, sentence, at, length, 25, 20)
    strong = _near(_STRONG_INSPECTED_CUE, sentence, at, length, _CUE_WINDOW_BEFORE, _CUE_WINDOW_AFTER)
    if strong is not None and (other is None or strong < other):
        return "inspected"
    if other is not None:
        return None
    if _near(_PUBLISH_CUE, sentence, at, length, _PUBLISH_WINDOW, _CUE_WINDOW_AFTER) is not None:
        return "first_published"
    if _near(_INSPECTED_CUE, sentence, at, length, _CUE_WINDOW_BEFORE, _CUE_WINDOW_AFTER) is not None:
        return "inspected"
    return False


def _role(text: str, start: int, end: int, m: re.Match[str], title_end: int, is_review: bool) -> DateRole | None:
    g = m.groupdict()
    before = text[max(0, start - 40) : start]
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    if re.search(r"\[on\]\s*$", before):
        return "edition"  # a register entry's dated update: the page is as of its last one
    if _EDITION_CUE.search(before):
        if _FIRST_PUBLISHED_CUE.search(before):
            return "first_published"
        # The inspectorate's record of a publication (with its "Publication types") dates the publication
        # itself; a web edition's "Published on" dates the edition.
        if re.match(r"[^\n]*\n(?:\s*\n)*\s*Publication types?\s*:", text[end : end + 200], re.I):
            return "first_published"
        return "edition"
    if _FIRST_PUBLISHED_CUE.search(before):
        return "first_published"
    # A footer or title-page copyright line: "November 2023 | © HMICFRS 2023", "March 2019 © HMICFRS 2019".
    after = text[end : min(len(text), end + 12)]
    if (g["month2"] or g["year3"]) and re.match(r"\s*(?:\||\n)?\s*©", after):
        return "first_published"
    if g["year3"] and re.search(r"©\s*(?:HMIC\w*|Crown copyright)?\s*$", before, re.I):
        return None  # the copyright year repeats the date beside it
    # A title page: a period of days ends a title line (the fieldwork); a month and year ends or is one (publication).
    stripped = line.rstrip(" \t|,")
    if (
        start < title_end
        and len(stripped) < 120
        and stripped.endswith(m.group(0).strip())
        and not _OTHER_CUE.search(line)
    ):
        if g["d2"]:
            return "inspected"
        if g["month2"] or g["day"]:
            return "first_published"
    # A release's link to its report, whose title ends in a year: that report, published today, is of that year.
    if (
        g["year3"]
        and stripped.endswith(m.group(0))
        and re.search(r"get the report\s*\n\s*(?:\n\s*)*$", text[max(0, line_start - 40) : line_start], re.I)
    ):
        return "first_published"
    sent_start, sentence = _sentence(text, start, end)
    at = start - sent_start
    if g["year3"]:
        # "the 2022 post-inspection review": a bare year names this publication's own inspection.
        own = r"(?:post-? ?inspection review|review|revisit|re-?inspection)" if is_review else r"inspection"
        follows = sentence[at + len(m.group(0)) :]
        ranged = re.search(rf"\d\s*(?:{_DASH}|/|to)\s*$", sentence[:at])
        if ranged:
            return None
        if re.match(rf"\s+{own}\b(?! cycle| programme| framework)", follows, re.I):
            return None if _EARLIER_CUE.search(sentence[:at]) else "inspected"
        # "In 2021/22, we carried out a PEEL inspection": a year governed by an inspection verb.
        if not re.match(r"[/\d\s]*,?\s*we (?:carried out|inspected|conducted)\b", follows, re.I):
            return None
    role = _nearest_cue(sentence, at, len(m.group(0)))
    if role is False or role is None:
        return None
    if role == "inspected":
        if _EARLIER_CUE.search(sentence) and not _REVIEW_CUE.search(sentence):
            return None
        if is_review and not (_REVIEW_CUE.search(sentence) or re.search(r"returned|revisit|went back", sentence, re.I)):
            return None
        return "inspected"
    return None  # a publication date in running text is of an earlier report, or of an event


def says_published_today(text: str) -> bool:
    """Whether a release says the report it announces is published today (so it shares that date)."""
    return _TODAY.search(text[:HEAD_CHARS]) is not None


def best(found: list[StatedDate], role: DateRole) -> PublicationDate | None:
    """The date for a role: the first stated, but a more precise later one of the same period wins."""
    dates = [f.date for f in found if f.role == role]
    if not dates:
        return None
    if role == "edition":
        return max(dates, key=lambda d: d.value)  # the latest date a page carries is its edition's
    first = dates[0]
    for d in dates[1:]:
        if d.value.startswith(first.value) and len(d.value) > len(first.value) and d.end is None:
            first = d
    return first
