"""The site's statuses, verdicts and trail columns, on a small model built by hand."""

from __future__ import annotations

from kg.render.model import LinkRec, PublicationRec, SiteModel, StatementRec
from kg.render.site import trail_levels
from kg.render.status import board_rows, explain, matter_verdict, status_counts, trail_verdict

F = "https://w3id.org/hmi-kg/vocab/force/testshire"
S = "https://w3id.org/hmi-kg/vocab/status/"
WORDS = {"still-area-for-improvement": "still an area for improvement"}


def pub(iri: str, kind: str, date: str, announces: str | None = None) -> PublicationRec:
    return PublicationRec(
        iri=iri, kind=kind, title=iri, issued=date, force=F, file="", programme="P", announces=announces
    )


def st(iri: str, kind: str, publication: str, order: int = 0, latest: str | None = None) -> StatementRec:
    return StatementRec(
        iri=iri,
        kind=kind,
        label=f"The force needs to improve {iri}",
        publication=publication,
        order=order,
        section=None,
        part=None,
        start=None,
        end=None,
        exact="",
        grade=None,
        timescale=None,
        themes=("theme-a",),
        mentions=(),
        latest_status=latest,
    )


def link(iri: str, earlier: str, later: str, status: str, relation: str = "follow-up", **kw: object) -> LinkRec:
    return LinkRec(
        iri=iri,
        earlier=earlier,
        later=later,
        relation=relation,
        status=WORDS.get(status, status.replace("-", " ")),
        confidence=0.5,
        method="m; text 0.1",
        earlier_quote="",
        later_quote="",
        status_iri=S + status,
        **kw,  # type: ignore[arg-type]
    )


def model() -> SiteModel:
    m = SiteModel()
    m.forces[F] = "Testshire Police"
    for p in (
        pub("r2019", "InspectionReport", "2019-10"),
        pub("pr2019", "PressRelease", "", announces="r2019"),
        pub("r2023", "InspectionReport", "2023-11"),
        pub("reg", "RegisterEntry", "2024-02"),
    ):
        m.publications[p.iri] = p
    for s in (
        st("rec", "Recommendation", "r2019"),
        st("rec-alone", "Recommendation", "r2019", 1),
        st("restated", "AreaForImprovement", "pr2019"),
        st("afi", "AreaForImprovement", "r2023"),
        st("fnd", "Finding", "r2023", 1),
        st("regrec", "Recommendation", "reg"),
    ):
        m.statements[s.iri] = s
    m.links += [
        link("l1", "rec", "restated", "restated", relation="restates"),
        link("l2", "rec", "afi", "still-area-for-improvement"),
        link("l3", "afi", "fnd", "progress-reported", explanation="Both speak of the same records."),
        link("l4", "rec", "regrec", "addressed", status_date="2024-03-01"),
    ]
    m.names[S + "addressed"] = "addressed"
    return m


def test_status_a_matter_has_its_latest_judgment_and_the_register_beside_it() -> None:
    m = model()
    v = matter_verdict(m, m.statements["rec"])
    assert v.status == "still an area for improvement" and v.judged_by == "r2023" and v.when == "2023-11"
    assert v.register is not None and v.register.status == "addressed" and v.register.when == "2024-03-01"
    alone = matter_verdict(m, m.statements["rec-alone"])
    assert alone.status == "no later evidence" and alone.judged_by is None and alone.tone == "none"


def test_status_the_board_leaves_restatements_out_and_counts_every_matter() -> None:
    m = model()
    rows = board_rows(m, F, {})
    iris = [r.statement.iri for r in rows]
    assert "restated" not in iris and {"rec", "rec-alone", "afi"} <= set(iris)
    counts = {status: n for status, _tone, n in status_counts(rows)}
    assert sum(counts.values()) == len(rows) and counts["no later evidence"] >= 1


def test_status_the_trail_verdict_is_its_latest_judgment_and_explanations_hide_scores() -> None:
    m = model()
    _members, links = m.trail("rec")
    v = trail_verdict(m, links)
    assert v.status == "progress reported" and v.judged_in == "fnd"
    assert explain(m, m.links[2]) == "Both speak of the same records."
    made = explain(m, m.links[1])
    assert "r2023 (2023-11)" in made and "still an area for improvement" in made
    assert "0.1" not in made and "0.5" not in made


def test_status_a_release_sorts_after_the_report_it_announces_and_trail_arrows_point_forward() -> None:
    m = model()
    members, links = m.trail("rec")
    order = [s.iri for s in members]
    assert order.index("rec") < order.index("restated") < order.index("afi")
    level = trail_levels(m, members, links)
    assert all(level[lk.earlier] < level[lk.later] for lk in links)
    assert level["afi"] < level["fnd"]  # same report, one judges the other: a column apart
