"""Read an entry of the inspectorate's recommendations register.

An entry is a short page: the inspection the recommendation came from (its
title, often with the register's number in brackets), the recommendation's
text, then its history, one dated step after another. The published pages
write the history in the site's shortcode markup::

    [on]18th November 2014 [status]awaiting-review[/status][/on]
    [on]22nd May 2018 [comment] I am satisfied that ... [/comment][/on]

and the markup is often broken (a closing tag without its opening, a step
with no closing tag at all), so the reader keys on the opening ``[on]`` of
each step and its date only; a status is the text of a ``[status]`` tag,
and the comment the longest stretch of plain text in the step. A copy whose
markup was rendered away ("18 November 2014 Status: complete") is read the
same way, a step starting at each line that opens with a date.

Every part is a span of the document's text, so a register comment quoted
as evidence equals the source at its offsets.
"""

from __future__ import annotations

import re

from kg.records import RegisterChange, RegisterEntry, Span

_MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), start=1
    )
}
_DATE = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>" + "|".join(_MONTHS) + r")\s+(?P<year>(?:19|20)\d\d)\b"
    r"|\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b",
    re.I,
)
_TAG = re.compile(r"\[/?(?:on|status|comment)\]|&#91;/?(?:on|status|comment)&#93;", re.I)
_STEP_OPEN = re.compile(r"\[on\]|&#91;on&#93;", re.I)
_STATUS_TAG = re.compile(r"(?:\[status\]|&#91;status&#93;)(?P<value>[^\[&]*?)(?:\[/status\]|&#91;/status&#93;)", re.I)
_STATUS_WORDS = re.compile(r"\bstatus\s*:\s*(?P<value>[a-z][a-z -]{2,30}?)\s*(?:$|\n|\.)", re.I | re.M)
#: A line that opens with a date starts a step when the copy has no markup.
_DATED_LINE = re.compile(r"^[ \t]*(?=\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\s+(?:19|20)\d\d\b)", re.M)
_REGISTER_NUMBER = re.compile(r"\s*\(\d+\)\s*$")


class NotARegisterEntry(ValueError):
    """The text has no dated history step: it is not a register entry."""


def has_dated_history(text: str) -> bool:
    """Whether the text holds a step of a register history with its date: what ``parse_register_entry`` reads.

    A page can use the register's wording ("this recommendation is
    complete") without its history: a force's progress report quoting
    recommendations, or a register page copied without its dated steps.
    Only a page with a dated step can be read as an entry.
    """
    return any(_DATE.search(text, start, start + 200) for start in _step_starts(text))


def looks_like_register_entry(text: str) -> bool:
    """Does the text hold the register's history markup?"""
    return bool(_STEP_OPEN.search(text)) and bool(_DATE.search(text))


def iso_date(match: re.Match[str]) -> str:
    """The ISO form of a matched date ("4th September 2014" -> "2014-09-04")."""
    if match.group("iso"):
        return match.group("iso")
    month = _MONTHS[match.group("month").lower()]
    return f"{match.group('year')}-{month:02d}-{int(match.group('day')):02d}"


def _strip(text: str, start: int, end: int) -> Span | None:
    """The span between start and end without its surrounding white space; None when empty."""
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip())
    right = len(piece.rstrip())
    if right <= left:
        return None
    return Span(start=start + left, end=start + right, quote=piece[left:right])


def _paragraphs(text: str, start: int, end: int) -> list[Span]:
    out = []
    pos = start
    for m in re.finditer(r"\n\s*\n", text[start:end]):
        span = _strip(text, pos, start + m.start())
        if span:
            out.append(span)
        pos = start + m.end()
    span = _strip(text, pos, end)
    if span:
        out.append(span)
    return out


def _step_starts(text: str) -> list[int]:
    starts = [m.start() for m in _STEP_OPEN.finditer(text)]
    if starts:
        return starts
    return [m.start() for m in _DATED_LINE.finditer(text)]


def _longest_plain(text: str, start: int, end: int) -> Span | None:
    """The longest stretch of the step's text between tags: its comment."""
    best: Span | None = None
    pos = start
    cuts = [(m.start(), m.end()) for m in _TAG.finditer(text, start, end)] + [(end, end)]
    for cut_start, cut_end in cuts:
        span = _strip(text, pos, cut_start)
        if span and (best is None or len(span.quote) > len(best.quote)):
            best = span
        pos = cut_end
    return best


def parse_register_entry(text: str) -> RegisterEntry:
    """The recommendation, its source inspection and its dated history.

    Raises ``NotARegisterEntry`` when no step of the history has a date.
    """
    starts = _step_starts(text)
    if not starts:
        raise NotARegisterEntry("no dated step of a register history ([on] followed by a date)")
    bounds = list(zip(starts, starts[1:] + [len(text)], strict=True))
    changes: list[RegisterChange] = []
    for start, end in bounds:
        date = _DATE.search(text, start, end)
        if date is None:
            continue
        status_match = _STATUS_TAG.search(text, date.end(), end) or _STATUS_WORDS.search(text, date.end(), end)
        status_span = _strip(text, status_match.start("value"), status_match.end("value")) if status_match else None
        status = re.sub(r"[\s_]+", "-", status_span.quote.strip().lower()) if status_span else None
        comment_from = date.end()
        comment = _longest_plain(text, comment_from, end)
        if comment is not None and status_match is not None and status_match.start() <= comment.start:
            # Only words after the status tag are the comment ("[status]complete[/status] Filed.").
            comment = comment if comment.start >= status_match.end() else None
        if comment is not None and (status_span is not None and comment.quote == status_span.quote):
            comment = None
        changes.append(
            RegisterChange(
                date=iso_date(date),
                date_span=Span(start=date.start(), end=date.end(), quote=date.group()),
                status=status,
                status_span=status_span,
                comment=comment,
            )
        )
    if not changes:
        raise NotARegisterEntry("no dated step of a register history ([on] followed by a date)")
    head = _paragraphs(text, 0, starts[0] if starts else len(text))
    if not head:
        raise NotARegisterEntry("no recommendation text before the history")
    source = head[0] if len(head) > 1 else None
    body = head[1:] if len(head) > 1 else head
    recommendation = Span(start=body[0].start, end=body[-1].end, quote=text[body[0].start : body[-1].end])
    if source is not None:
        title_end = source.start + len(_REGISTER_NUMBER.sub("", source.quote))
        source = Span(start=source.start, end=title_end, quote=text[source.start : title_end])
    return RegisterEntry(recommendation=recommendation, source=source, changes=tuple(changes))
