"""A document's size: what it holds grows with its text, never with the square of it."""

from __future__ import annotations

from kg.extract.audit import check_tallies
from kg.records import CaseAuditCounts, Span, Statement


def _tally(at: int, section: str, counts: tuple[int, int, int], *, overall: bool = False) -> Statement:
    span = Span(start=at, end=at + 10, quote="x" * 10)
    good, ri, inadequate = counts
    return Statement(
        doc_id="d",
        kind="case_audit_tally",
        span=span,
        heading=span,
        section=section,
        section_path=(section, "cases"),
        tally=CaseAuditCounts(good=good, requires_improvement=ri, inadequate=inadequate, overall=overall),
    )


def _audits(n: int) -> list[Statement]:
    """``n`` case file analyses, each an overall tally (one more good case than its areas add up to)
    and three areas, preceded by a summary restating the overall figures."""
    out: list[Statement] = []
    for k in range(n):
        base = k * 1000
        out.append(_tally(base, f"Summary {k}", (7, 6, 3), overall=True))
        out.append(_tally(base + 100, f"Case file analysis {k}", (7, 6, 3), overall=True))
        out += [_tally(base + 200 + 20 * i, f"Case file analysis {k}", (2, 2, 1)) for i in range(3)]
    return out


def test_each_overall_tally_is_checked_against_its_own_audit_only() -> None:
    one = check_tallies("d", _audits(1))
    many = check_tallies("d", _audits(30))
    assert [d.kind for d in one] == ["case_audit_sum", "case_audit_sum"]
    assert "by-area figures sum to 6, overall states 7" in one[0].message
    # Thirty audits: thirty times the discrepancies, each citing its overall tally and its own three areas.
    assert len(many) == 30 * len(one)
    assert all(len(d.spans) == 4 for d in many)
    for d in many:
        block = d.spans[0].start // 1000
        assert {s.start // 1000 for s in d.spans} == {block}
        assert "by-area figures sum to 6, overall states 7" in d.message
