"""The fixed vocabulary of the report formats: section and part titles.

HMICFRS reports use a small set of fixed titles (PEEL's "Areas for
improvement", "Main findings", "Innovative practice"; the child protection
reports' numbered sections and "Recommendations"). The structure and
extract stages key on these format titles and on nothing else a particular
report says, so a report they have never seen is read by the same rules.
"""

from __future__ import annotations

import re

from kg.records import StatementKind

#: Titles that open a part inside a section, and the kind of statement each
#: heading under that part states.
PART_KINDS: dict[str, StatementKind | None] = {
    "areas for improvement": "area_for_improvement",
    "area for improvement": "area_for_improvement",
    "causes of concern": "cause_of_concern",
    "cause of concern": "cause_of_concern",
    "innovative practice": "innovative_practice",
    "main findings": "finding",
    "recommendations": "recommendation",
    "recommendation": "recommendation",
}

#: Top-level titles of the formats (front and back matter included).
TOP_LEVEL_TITLES = frozenset(
    {
        "contents",
        "foreword",
        "summary",
        "overall summary",
        "conclusion",
        "conclusions",
        "next steps",
        "introduction",
        "notes",
        "notes to editors",
        "background",
        "methodology",
        "about this report",
        "about the data",
    }
)

#: Sections whose headings are findings although the section is not numbered.
FINDING_SECTIONS = frozenset({"victim service assessment"})

#: Numbered child-protection sections that describe, rather than judge.
NON_FINDING_SECTIONS = frozenset(
    {"introduction", "context for the constabulary", "context for the force", "case file analysis"}
)

GRADES = ("Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate")
GRADE_BY_WORDS = {g.lower(): g for g in GRADES}

NUMBERED_TITLE_RE = re.compile(r"^(\d{1,2})\.\s+\S")
ANNEX_TITLE_RE = re.compile(r"^(Annex|Appendix)\s+[A-Z0-9]{1,3}\b")


def normalise_title(title: str) -> str:
    """Case-, space- and apostrophe-insensitive form of a title for lookups."""
    title = title.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(title.lower().split())


def title_key(title: str) -> str:
    """A report title as releases write it, for matching: "Northumbria Police – National child protection
    post inspection review" and "Northumbria – National child protection post-inspection review" are one.

    Dashes and hyphens of every kind, case, punctuation and the words that
    differ between a force's name and its bare place ("Police",
    "Constabulary", "Service") are ignored.
    """
    text = re.sub(r"[\u2010-\u2015\u2212\-]", " ", title.replace("\u2019", "'"))
    text = re.sub(r"\b(?:police(?: service| force)?|constabulary)\b", " ", text.lower())
    return " ".join(re.findall(r"[a-z0-9]+", text))


def bare_title(title: str) -> str:
    """A section title without its number ("5. Initial contact" -> "initial contact")."""
    return normalise_title(re.sub(r"^\d{1,2}\.\s+", "", title))


def grade_of(text: str) -> str | None:
    """The grade a line states on its own ("Requires\\nimprovement" included)."""
    return GRADE_BY_WORDS.get(normalise_title(text))
