"""A publication's title without page furniture, or a made one for a page that has none.

Saved web pages open with furniture: "Skip to content", cookie notices,
site-wide banners, "Read more about...", "Contents", "Print this document",
a document viewer's "Page 1:" lines, page numbers, and on a PEEL report's
web edition the first section heading ("Overall summary") where the title
should be. Those lines are skipped as lines of a known kind, never by one
page's wording; what is left opens with the title. A page whose opening is a
section heading has no title: it gets one made from its programme, force
and date, marked as made (``DocumentMetadata.title_made``).
"""

from __future__ import annotations

import re

#: Lines that are page furniture wherever they appear in the opening.
_FURNITURE = re.compile(
    r"^(?:skip to (?:main )?content|skip to navigation|menu|search|home|print this document|print|contents|"
    r"table of contents|share(?: this page)?|back to top|continue reading|download(?: the full report)?|upload|view|"
    r"others|embed size \(px\)|citation preview|read more(?: about [^\n]{1,60})?|contact hmicfrs|"
    r"publication types?:.*|police forces?:.*|agenda item|minutes:?|accept(?: all)? cookies|reject(?: all)? cookies|"
    r"necessary cookies|analytics cookies|google analytics|cookie settings|page created by .*|\d{1,4}|page \d+(?::.*)?|"
    r"get the report|notes|notes to editors|related (?:publications|content)|this site uses cookies|"
    r"404|404 page not found|page not found|sorry,? (?:we )?(?:could(?:n.t| not)|can(?:no|.)t) find.*|"
    r"sorry,? the page you.*|.{0,60}\bnot found\b.{0,20}|"
    r"isbn[: ].*|www\.\S+|crown copyright|© .*|first published \d{4})$",
    re.IGNORECASE,
)
#: A paragraph that is a site notice rather than content: cookies, consultations, newsletters.
_NOTICE = re.compile(
    r"\b(?:cookies?|for consultation|we would like your views|sign up to|subscribe|newsletter|"
    r"this article (?:was|is) (?:originally )?published (?:by|on)|republished|originally published|"
    r"views expressed|press release from|news release from|source:|distributed by)\b",
    re.IGNORECASE,
)
#: The opening sections of a report's web edition: a page that starts with one has lost its title.
_SECTION_OPENING = re.compile(
    r"^(?:overall summary|our judgments?|summary|foreword|introduction|executive summary|"
    r"hm inspector.s (?:summary|observations)|"
    r"key findings|main findings)$",
    re.IGNORECASE,
)
#: A title never needs more than this.
MAX_TITLE = 300
_DATE_LINE = re.compile(
    r"^(?:\d{1,2}\s*[-\u2013]\s*)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+(?:19|20)\d\d$",
    re.IGNORECASE,
)


def is_furniture(line: str) -> bool:
    """Whether one whitespace-normalised line is page furniture or a site notice (a paragraph never is)."""
    if len(line) > 300:
        return False
    return bool(
        _FURNITURE.fullmatch(line)
        or (len(line) > 60 and _NOTICE.search(line))
        or _NOTICE.match(line)
        or (_NOTICE.search(line) and len(line) < 120 and ":" in line[:40])
    )


def content_lines(text: str, limit: int = 40) -> list[str]:
    """The first non-empty lines of the opening, furniture and site notices left out."""
    out: list[str] = []
    for raw in text[:8000].splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if is_furniture(line):
            continue
        out.append(line)
        if len(out) >= limit:
            break
    return out


def title_lines(text: str) -> list[str]:
    """The lines that make up the title (and a title page's subtitle lines), or [] when the page has none."""
    lines = content_lines(text, 8)
    if not lines or _SECTION_OPENING.fullmatch(lines[0]) or _is_prose(lines[0]):
        return []
    title = [lines[0]]
    for line in lines[1:4]:
        if (
            len(" – ".join(title)) >= 40
            or line.endswith((".", ":", ";"))
            or _SECTION_OPENING.fullmatch(line)
            or _DATE_LINE.fullmatch(line)
            or line.endswith("?")
            or len(line) > 100
        ):
            break
        title.append(line)
    return title


def _is_prose(line: str) -> bool:
    """A line of running text (sentences), not a heading: the page has lost its title."""
    return len(line) > 150 or (len(line) > 60 and line.endswith(".") and ". " in line)


def clean_title(text: str) -> str | None:
    """The title as the page states it, without furniture; None when the page states none."""
    lines = title_lines(text)
    if not lines:
        return None
    first = lines[0]
    # A PDF viewer's text repeats the title page on one line; keep the title's own words.
    if len(first) > 120:
        cut = re.split(r"\s(?:©|ISBN|www\.)", first, maxsplit=1)[0]
        first = cut[:MAX_TITLE]
    joined = first if len(first) >= 40 or len(lines) == 1 else " – ".join(lines)
    return joined[:MAX_TITLE].strip(" –-|")


def made_title(programme_label: str | None, force: str | None, date: str | None, kind: str) -> str:
    """A descriptive title from what is known, in the inspectorate's own form for a report:
    "PEEL 2021/22 – An inspection of Cumbria Constabulary", "... (2022-03)" when dated."""
    if programme_label and force:
        what = f"{programme_label} – {'An inspection of ' if kind == 'report' else ''}{force}"
    else:
        what = programme_label or force or kind.capitalize()
    return f"{what} ({date})" if date else what


def with_pillar(title: str, pillar_label: str | None) -> str:
    """A PEEL pillar page's title names its pillar ("Durham PEEL 2016" -> "Durham PEEL 2016 – Efficiency")."""
    if not pillar_label or pillar_label.lower() in title.lower():
        return title
    return f"{title} – {pillar_label}"
