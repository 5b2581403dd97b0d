"""Recaps: sentences that recount an earlier inspection rather than judge anew.

A post-inspection review, a re-inspection or a press release first retells
what the earlier inspection found ("Our 2019 inspection found...", "In
2018 we recommended...", a section headed "The 2017 inspection") and then
gives its own verdict. The retold sentences restate that inspection; they
are marked with its year (``Statement.recap_of``) so they are never
counted as new findings of the later publication.
"""

from __future__ import annotations

import re

_YEAR_RE = re.compile(r"\b(?:19[89]\d|20[0-4]\d)\b")
#: A heading naming an earlier inspection: "The 2017 inspection", "Findings of our 2019 inspection".
_RECAP_HEADING_RE = re.compile(
    r"\b(?:19[89]\d|20[0-4]\d)\b[^\n]{0,30}\b(?:inspection|report|findings|recommendations)\b"
    r"|\b(?:previous|original|initial|earlier|last) inspection\b",
    re.I,
)
#: A sentence whose subject is an earlier inspection and whose verb reports what it found.
_RECAP_SENTENCE_RE = re.compile(
    r"\b(?:that|(?:our|the|its|HMIC\w*'?s?) (?:previous|earlier|last|original|initial|first|(?:\w+ )?(?:19[89]\d|20[0-"
    r"4]\d)))"
    r" (?:(?:\w+ )?(?:19[89]\d|20[0-4]\d) )?(?:PEEL |child protection |national child protection )?(?:inspection|repor"
    r"t|visit)"
    r"(?: (?:in|of) (?:\w+ )?(?:19[89]\d|20[0-4]\d))?,? (?:had |also )?(?:found|identified|concluded|highlighted|showe"
    r"d|judged"
    r"|raised|made|rated|assessed)\b"
    r"|\b(?:in|during|at the time of) (?:our |the |that )?(?:\w+ )?(?:(?:19[89]\d|20[0-4]\d)|(?:previous|original|earl"
    r"ier|last|initial) inspection)"
    r",? (?:we|HMIC\w*|inspectors|the inspectorate|it) (?:had )?(?:found|recommended|identified|concluded|judged|asses"
    r"sed|highlighted"
    r"|raised|reported|said|made|saw)\b"
    r"|\b(?:we|HMIC\w*|inspectors) (?:had )?(?:previously|originally|earlier) (?:found|identified|recommended|reported"
    r"|concluded|judged)\b"
    r"|^(?:As a result of|Following|After) (?:that|the previous|our previous|our last|the original|our original) inspe"
    r"ction,"
    r" (?:we|HMIC\w*|inspectors) (?:identified|found|recommended|made|issued|raised)\b"
    r"|\bIn (?:19[89]\d|20[0-4]\d),? (?:we|HMIC\w*) (?:assessed|judged|graded|found|rated)\b"
    r"|\b(?:published|issued) an? (?:initial |earlier |first )?(?:report|inspection)\b[^.]{0,60}\b(?:19[89]\d|20[0-4]"
    r"\d)\b"
    r"[^.]{0,40}\bwhich (?:found|concluded|identified|highlighted)\b"
    r"|\blast year,? (?:we|HMIC\w*|inspectors|the inspectorate) (?:raised|found|identified|recommended|highlighted)\b"
    r"|^At the time of (?:our|the|that) (?:previous |original |earlier |last )?inspection\b",
    re.I,
)
#: A lead-in that hands its list over to an earlier report: "This concluded:", "The report found:".
_RECAP_LEAD_RE = re.compile(r"\b(?:concluded|found|identified|recommended|highlighted)\b[^.]{0,60}:\s*$", re.I)


def heading_recap(title: str) -> str | None:
    """The earlier inspection a section's heading names, as its year, or None."""
    if not _RECAP_HEADING_RE.search(title):
        return None
    years: list[str] = _YEAR_RE.findall(title)
    return years[0] if years else "earlier"


def sentence_recap(sentence: str, context_before: str) -> str | None:
    """The earlier inspection a sentence recounts, as its year, or None.

    ``context_before`` is the text of the same section before the sentence:
    "That inspection found..." takes its year from there.
    """
    m = _RECAP_SENTENCE_RE.search(sentence)
    if not m:
        return _pronoun_recap(sentence, context_before)
    years: list[str] = _YEAR_RE.findall(sentence[: m.end() + 40])
    if years:
        return years[0]
    earlier: list[str] = _YEAR_RE.findall(context_before[-600:])
    return earlier[-1] if earlier else "earlier"


def lead_in_recap(lead_in: str, context_before: str) -> str | None:
    """The earlier inspection whose findings a list's lead-in hands over to the list."""
    if not _RECAP_LEAD_RE.search(lead_in):
        return None
    whole = context_before[-400:] + " " + lead_in
    if not re.search(r"\b(?:earlier|previous|original|initial|last|that|our \d{4}|the \d{4}|published)\b", whole, re.I):
        return None
    if re.search(
        r"\b(?:this|our current|the current|today's)\s+(?:review|re-inspection|inspection) (?:found|concluded)\b",
        lead_in,
        re.I,
    ):
        return None
    years: list[str] = _YEAR_RE.findall(whole)
    return years[-1] if years else "earlier"


_PRONOUN_RE = re.compile(r"^(?:This|That|It|The report) (?:also )?(?:found|concluded|identified|highlighted|showed)\b")
_EARLIER_REPORT_RE = re.compile(
    r"\b(?:published|initial|earlier|previous|original|first)\b[^.]{0,80}\b(?:report|inspection)\b"
    r"|\b(?:report|inspection)\b[^.]{0,80}\b(?:published|initial|earlier|previous|original)\b",
    re.I,
)


def _pronoun_recap(sentence: str, context_before: str) -> str | None:
    """A "This found..." sentence right after a sentence about an earlier, dated report restates that report."""
    if not _PRONOUN_RE.match(sentence):
        return None
    previous = re.split(r"(?<=[.!?:])\s+", context_before.strip())[-1] if context_before.strip() else ""
    years: list[str] = _YEAR_RE.findall(previous)
    if not years or not _EARLIER_REPORT_RE.search(previous):
        return None
    return years[-1]
