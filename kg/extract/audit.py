"""Case-file audit tallies: good / requires improvement / inadequate counts.

Figures are kept exactly as stated. Where the by-area figures do not add up
to the overall ones, or an overall tally does not add up to the stated
number of cases, a ``Discrepancy`` records both rather than correcting one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from kg.records import Block, CaseAuditCounts, Discrepancy, Span, Statement

_ITEM_RE = re.compile(
    r"^(\d[\d,]*)\s+(?:cases?\s+)?(?:were\s+|was\s+)?(?:assessed\s+as\s+)?"
    r"(good|requir(?:ing|es|ed)\s+improvement|inadequate)\b",
    re.I,
)
PROSE_RE = re.compile(
    r"good in (\d[\d,]*) cases?,?\s+requir(?:ing|es|ed) improvement in (\d[\d,]*) cases?,?\s+"
    r"and inadequate in (\d[\d,]*) cases?",
    re.I,
)
TOTAL_RE = re.compile(r"\b(?:examined|reviewed|assessed|audited)\s+(?:a total of\s+)?(\d[\d,]*)\s+cases\b", re.I)
_AREA_PREFIX_RE = re.compile(r"^(?:Cases\s+(?:assessed\s+)?(?:involving|relating to)\s+)", re.I)


def _int(value: str) -> int:
    return int(value.replace(",", ""))


def tally_of_list(block: Block) -> CaseAuditCounts | None:
    """Counts from a bullet list whose every item is "N good" and the like."""
    if block.kind != "bullet_list" or not 2 <= len(block.items) <= 4:
        return None
    found: dict[str, int] = {}
    for item in block.items:
        m = _ITEM_RE.match(item.quote)
        if not m:
            return None
        key = m.group(2).lower().split()[0][:5]  # good / requi / inade
        if key in found:
            return None
        found[key] = _int(m.group(1))
    return CaseAuditCounts(
        good=found.get("good"), requires_improvement=found.get("requi"), inadequate=found.get("inade")
    )


def area_label(lead_in: str) -> str:
    """The audited area a lead-in names ("Cases involving children in custody:")."""
    label = _AREA_PREFIX_RE.sub("", lead_in.strip().rstrip(":").strip())
    return label[:1].upper() + label[1:]


def stated_total(paragraphs: Sequence[str]) -> int | None:
    """The number of cases examined, as the nearest paragraph states it."""
    for text in reversed(paragraphs):
        m = TOTAL_RE.search(text)
        if m:
            return _int(m.group(1))
    return None


def audit_key(tally: Statement) -> str:
    """The case audit a tally belongs to: its top-level section (one case file analysis each)."""
    return tally.section_path[0] if tally.section_path else ""


def audit_of(overall: Statement, audits: Mapping[str, Sequence[Statement]]) -> Sequence[Statement]:
    """The by-area tallies an overall tally sums: those of its own section, or else of the nearest audit.

    A summary restates the overall figures before the analysis that breaks
    them down, so an overall tally outside every audit goes with the first
    audit after it (the last one before it when none follows). Comparing it
    with every by-area tally of the document instead made a report holding
    many audits cite each one in every other's discrepancy: quadratic in the
    number of audits.
    """
    own = audits.get(audit_key(overall))
    if own:
        return own
    runs = sorted(audits.values(), key=lambda run: run[0].span.start)
    after = [run for run in runs if run[0].span.start >= overall.span.start]
    return after[0] if after else (runs[-1] if runs else ())


def check_tallies(doc_id: str, tallies: Sequence[Statement]) -> list[Discrepancy]:
    """Flag overall tallies that disagree with their stated total or with the by-area sum of their audit."""
    out: list[Discrepancy] = []
    overall = [t for t in tallies if t.tally is not None and t.tally.overall]
    audits: dict[str, list[Statement]] = {}
    for t in tallies:
        if t.tally is not None and not t.tally.overall:
            audits.setdefault(audit_key(t), []).append(t)
    for t in overall:
        by_area = audit_of(t, audits)
        counts = t.tally
        assert counts is not None
        parts = [counts.good, counts.requires_improvement, counts.inadequate]
        if counts.total is not None and None not in parts:
            s = sum(p for p in parts if p is not None)
            if s != counts.total:
                out.append(
                    Discrepancy(
                        doc_id=doc_id,
                        kind="case_audit_total",
                        spans=(t.span,),
                        message=f"overall figures add up to {s} cases but the text states {counts.total}",
                    )
                )
        if not by_area:
            continue
        diffs = []
        for name, attr in (
            ("good", "good"),
            ("requires improvement", "requires_improvement"),
            ("inadequate", "inadequate"),
        ):
            stated = getattr(counts, attr)
            area_sum = sum(getattr(a.tally, attr) or 0 for a in by_area)
            if stated is not None and stated != area_sum:
                diffs.append(f"{name}: by-area figures sum to {area_sum}, overall states {stated}")
        if diffs:
            area_total = sum(
                (a.tally.good or 0) + (a.tally.requires_improvement or 0) + (a.tally.inadequate or 0)
                for a in by_area
                if a.tally is not None
            )
            overall_total = counts.total if counts.total is not None else sum(p or 0 for p in parts)
            out.append(
                Discrepancy(
                    doc_id=doc_id,
                    kind="case_audit_sum",
                    spans=(t.span,) + tuple(a.span for a in by_area),
                    message="; ".join(diffs) + f" (by-area total {area_total} cases, overall {overall_total})",
                )
            )
    return out


def prose_tally(span: Span, text: str) -> CaseAuditCounts | None:
    """Overall counts stated in a sentence ("good in 20 cases, requiring...")."""
    m = PROSE_RE.search(text)
    if not m:
        return None
    return CaseAuditCounts(
        good=_int(m.group(1)),
        requires_improvement=_int(m.group(2)),
        inadequate=_int(m.group(3)),
        total=stated_total([text]),
        overall=True,
    )


_CATEGORY = r"good|requir(?:ing|es|ed)\s+improvement|inadequate"
_COUNT_IN_SENTENCE_RE = re.compile(
    rf"(?P<n1>\d[\d,]*)\s+(?:(?:of\s+(?:these|them|those|the\s+cases)|cases?)\s+)?(?:(?:were|was)\s+)?"
    rf"(?:(?:assessed|graded|judged|rated|found)\s+)?(?:as\s+|to\s+be\s+)?(?P<c1>{_CATEGORY})\b"
    rf"|\b(?P<c2>{_CATEGORY})\s+(?:in|for)\s+(?P<n2>\d[\d,]*)\b",
    re.I,
)
_ANY_TOTAL_RE = re.compile(
    r"\b(?:examined|reviewed|assessed|audited|inspected|looked at|analysed)\s+(?:a total of\s+|a sample of\s+)?"
    r"(\d[\d,]*)\s+(?:[\w-]+\s+){0,3}?(?:cases|case files|files|records)\b"
    r"|\b[Oo]f the (\d[\d,]*)\s+(?:[\w-]+\s+){0,3}?(?:cases|case files|files|records)\b",
    re.I,
)
_CASES_RE = re.compile(r"\b(?:cases?|case files?|audit(?:ed)?|files)\b", re.I)


_OF_THESE_RE = re.compile(r"^(?:Of (?:these|them|those|the \d[\d,]*)|Among (?:these|them)|In (?:these|those))\b", re.I)


def sentence_tally(text: str, before: str = "") -> CaseAuditCounts | None:
    """Case-audit counts a sentence or list item states in any phrasing.

    "we audited 33 cases (11 were good, 8 required improvement and 14 were
    inadequate)", "good in 20 cases, requiring improvement in 15 ...": at
    least two of the three categories with their numbers, in a sentence that
    speaks of cases. The number of cases is kept when the sentence states it.
    ``before`` is the sentence before: "We examined 40 cases. Of these, 12 were
    good, ..." states its cases there.
    """
    carried = bool(before) and _OF_THESE_RE.match(text.strip()) is not None and _CASES_RE.search(before) is not None
    if not _CASES_RE.search(text) and not carried:
        return None
    found: dict[str, int] = {}
    for m in _COUNT_IN_SENTENCE_RE.finditer(text):
        category = (m.group("c1") or m.group("c2")).lower().split()[0][:5]
        value = _int(m.group("n1") or m.group("n2"))
        if category in found:
            return None  # two figures for one category: by-area figures in one sentence, not one tally
        found[category] = value
    if len(found) < 2:
        return None
    total = _ANY_TOTAL_RE.search(text) or (_ANY_TOTAL_RE.search(before) if carried else None)
    return CaseAuditCounts(
        good=found.get("good"),
        requires_improvement=found.get("requi"),
        inadequate=found.get("inade"),
        total=_int(total.group(1) or total.group(2)) if total else None,
        overall=True,
    )
