"""What kind of publication a page is, from the marks each kind carries.

- a press release links to its report ("Get the report"), has notes to
  editors or a press office, or announces a report "published today"; a
  republisher's copy keeps those marks under its own banner;
- a letter or statutory response is addressed ("Dear ..."), signed
  ("Yours sincerely"), or is a police and crime commissioner's response;
- a recommendations-register entry names a recommendation by number with
  its status, and has the register's dated history (a page quoting the
  register's wording without one is read as prose);
- a news article or minutes are a third party's account (a panel's
  minutes, a newspaper's report);
- a landing or programme page describes a programme or the inspectorate's
  work and states no findings of its own;
- anything else is a report.
"""

from __future__ import annotations

import re

from kg.ingest.register import has_dated_history
from kg.records import DocumentKind

HEAD_CHARS = 6000

_PRESS = re.compile(
    r"^\s*get the report\s*$|notes to editors|press office|media enquiries|"
    r"\b(?:has|have) today published\b|\bpublished today\b|\breleased today\b|according to a (?:new )?report|"
    r"^\s*(?:his|her) majesty.s (?:chief )?inspector[^\n]{0,80}\bsaid:|^\s*hm (?:chief )?inspector[^\n]{0,80}\bsaid:",
    re.I | re.M,
)
_LETTER = re.compile(
    r"^\s*dear\b|yours (?:sincerely|faithfully)|^\s*response from\s*:|"
    r"\bresponse (?:from|of) the (?:office of the )?police"
    r"(?:,)? (?:and|fire and) crime commissioner|\bresponse to (?:the )?hmic\w*|commissioner.s response|"
    r"section 55 of the police act|^\s*pcc.s response\s*$",
    re.I | re.M,
)
#: A register entry: the register's dated updates ("[on]date [status]...") or its labelled fields.
_REGISTER = re.compile(
    r"\[on\]|\[status\]|\brecommendation register\b|\bstatus\s*:\s*(?:open|closed|complete)|"
    r"^\s*(?:status|recommendation theme)\s*:|\bthis recommendation (?:is|be|has been) (?:therefore )?"
    r"(?:complete|filed|closed)",
    re.I | re.M,
)
#: A publication's landing page: links to the report's editions and its press release.
_PUBLICATION_PAGE = re.compile(
    r"^\s*(?:get the press release|read the report online|download the report|download the full report \(pdf\)|"
    r"get the original report)\s*$|\((?:pdf document|html)\)\s*$",
    re.I | re.M,
)
_ARTICLE = re.compile(
    r"^\s*minutes\s*:?\s*$|^\s*agenda item\s*$|\bthe panel considered\b|\bcouncillor\b|\bour reporter\b|"
    r"\bhmicfrs reports and responses\b",
    re.I | re.M,
)
_LANDING = re.compile(
    r"^\s*what is peel\??\s*$|\bour approach to monitoring\b|\bis an inspectorate, not a regulator\b|"
    r"^\s*(?:about us|what we do|our work)\s*$|\bprogramme (?:overview|page)\b|"
    r"\bpeel assessments? \d{4}\s*(?:/|[-\u2013])\s*\d{2,4}\s*$|\bpowers\b[^\n]{0,40}\binspectorate\b|"
    r"\bthis page sets out\b|\blinks to (?:all |the )?reports\b|\b(?:are|is) listed below\b|"
    r"^\s*(?:we|hmicfrs|hmic) (?:inspects?|is inspecting) the [\w ]{0,40}work of every police force",
    re.I | re.M,
)
#: Judgments about a particular force: a page with these is not a landing page.
_JUDGES = re.compile(
    r"\b(?:we found|inspectors found|we were (?:pleased|concerned)|the force (?:is|has|should|needs)|"
    r"the constabulary (?:is|has|should|needs)|is (?:outstanding|good|adequate|inadequate))\b",
    re.I,
)


def detect_kind(text: str, *, has_force: bool) -> DocumentKind:
    """The kind a page's opening shows (see the module docstring for the marks)."""
    head = text[:HEAD_CHARS]
    if _PRESS.search(head) and _PUBLICATION_PAGE.search(head):
        return "landing page"
    # The register's wording alone is not enough: an entry is read by its dated
    # history, so a page without one is read as prose (as whatever else it is).
    if _REGISTER.search(head) and re.search(r"\brecommendation\b", head, re.I) and has_dated_history(text):
        return "register entry"
    if _PUBLICATION_PAGE.search(head):
        return "landing page"
    if _LETTER.search(head):
        return "letter"
    if _PRESS.search(head):
        return "press release"
    if _ARTICLE.search(head):
        return "article"
    if _LANDING.search(head[:3000]) and not (has_force and _JUDGES.search(head)):
        return "landing page"
    return "report"
