"""Trails through every kind of follow-up, on fixtures written in our own words (tests/data/trails).

A post-inspection review (its recap restates, its verdicts judge), a
re-inspection, a strength that declined, PEEL to PEEL, and an entry of the
inspectorate's recommendations register whose history ends "complete".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib.namespace import SKOS

from kg.build.extractor import force_resolver, load_vocab_graph
from kg.evaluate.links import evaluate, report
from kg.ingest.register import NotARegisterEntry, parse_register_entry
from kg.link.linker import link_corpus, load_topics
from kg.link.register_status import register_status
from kg.query.sparql import run_named
from kg.records import Extraction, FollowUpLink
from kg.render.tracker import tracker_rows
from kg.store.generations import open_dataset

TRAILS = Path(__file__).resolve().parent / "data" / "trails"
MIN_PRECISION = 0.9
MIN_RECALL = 0.9


@pytest.fixture(scope="module")
def trail_build() -> tuple[list[Extraction], list[FollowUpLink]]:
    from kg.build.extractor import make_extractor
    from kg.build.pipeline import build_graphs

    vocab = load_vocab_graph()
    _, extractions, failures = build_graphs(TRAILS, extractor=make_extractor(model=None, vocab=vocab))
    assert not failures
    return extractions, link_corpus(extractions, load_topics(vocab), force_resolver(vocab))


@pytest.fixture(scope="module")
def trail_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.build.extractor import make_extractor
    from kg.build.pipeline import build

    store = tmp_path_factory.mktemp("trail-store")
    result = build(TRAILS, store, extractor=make_extractor(model=None))
    assert result.validation.conforms
    return store


def _heading(extractions: list[Extraction], doc: str, index: int) -> str:
    by_id = {e.structured.document.doc_id: e for e in extractions}
    return by_id[doc].statements[index].heading.quote


def test_trails_precision_and_recall_against_the_readers_list(trail_build):
    extractions, links = trail_build
    ev = evaluate(extractions, links, TRAILS / "followups.toml")
    print(report("trail fixtures", ev, extractions))
    assert ev.precision >= MIN_PRECISION, report("trail fixtures", ev, extractions)
    assert ev.recall >= MIN_RECALL, report("trail fixtures", ev, extractions)
    assert len(ev.status_agrees) == len(ev.found)


def test_trails_recap_restates_and_is_never_a_verdict(trail_build):
    extractions, links = trail_build
    by_id = {e.structured.document.doc_id: e for e in extractions}
    recaps = {(e.structured.document.doc_id, i) for e in extractions for i, s in enumerate(e.statements) if s.recap_of}
    assert recaps, "the review's recap sentences are marked as recaps by extraction"
    for k in links:
        if (k.later.doc_id, k.later.index) in recaps:
            assert k.relation == "restates" and k.status == "restated", k
        if (k.earlier.doc_id, k.earlier.index) in recaps:
            pytest.fail(f"a recap was followed up as if it raised a matter: {k}")
    restated = [k for k in links if k.relation == "restates" and (k.later.doc_id, k.later.index) in recaps]
    assert {by_id[k.earlier.doc_id].statements[k.earlier.index].kind for k in restated} == {"recommendation"}


def test_trails_a_strength_that_declined_and_one_that_held(trail_build):
    extractions, links = trail_build
    statuses = {(_heading(extractions, k.earlier.doc_id, k.earlier.index)[:40], k.status) for k in links}
    assert ("The multi-agency safeguarding hub shares", "deteriorated") in statuses
    assert ("The digital forensics unit examines seiz", "sustained-strength") in statuses


def test_trails_a_recommendation_replaced_by_a_later_one_is_superseded(trail_build, trail_store):
    extractions, links = trail_build
    replaced = [
        k
        for k in links
        if not k.review
        and _heading(extractions, k.earlier.doc_id, k.earlier.index).startswith(
            "We recommend that, within three months, Brackwater"
        )
    ]
    assert [(k.later.doc_id, k.status) for k in replaced] == [("brackwater-cp-2020-reinspection", "superseded")]
    assert "replaces" in replaced[0].explanation
    # Only the replacement supersedes: the re-inspection's finding on the other recommendation addresses it.
    addressed = {k.status for k in links if k.earlier.doc_id == "brackwater-cp-2018-report" and k not in replaced}
    assert "superseded" not in addressed and "addressed" in addressed
    rows = tracker_rows(open_dataset(trail_store), force="Brackwater")
    custody = next(r for r in rows if r.text.startswith("We recommend that, within three months, Brackwater"))
    assert custody.latest_status == "superseded"
    # The superseded matter is not open; the new recommendation that replaced it is.
    open_texts = [str(r.text) for r in run_named(open_dataset(trail_store), "open-matters", {"force": "Brackwater"})]  # type: ignore[union-attr]
    assert any("makes sure that children's social care is told" in t for t in open_texts), open_texts
    assert not any("reviews how it tells children's social care" in t for t in open_texts), open_texts


def test_trails_every_link_explained_in_plain_words(trail_build):
    extractions, links = trail_build
    assert links
    for k in links:
        assert k.explanation.startswith("Both speak of") and k.explanation.endswith("."), k.explanation
        assert not re.search(r"\d\.\d", k.explanation), k.explanation  # no internal scores
        assert "\n" not in k.explanation


def test_trails_quotes_equal_the_source_at_their_offsets(trail_build):
    extractions, links = trail_build
    texts = {e.structured.document.doc_id: e.structured.document.text for e in extractions}
    for k in links:
        for ref, span in ((k.earlier, k.earlier_evidence), (k.later, k.later_evidence)):
            assert texts[ref.doc_id][span.start : span.end] == span.quote


def test_register_complete_makes_the_recommendation_complete_dated_with_the_comment(trail_store):
    rows = tracker_rows(open_dataset(trail_store))
    visits = next(r for r in rows if "home visits to registered sex offenders" in r.text)
    assert visits.latest_status == "addressed"
    assert visits.status_date == "2022-04-09"
    assert visits.register_status == "addressed" and visits.register_date == "2022-04-09"
    assert visits.evidence_quote.startswith("The force has shown us that every overdue visit")
    # The review said otherwise in 2020: both are kept, and the disagreement is stated.
    assert visits.inferred_status == "still an area for improvement"
    assert "register says addressed" in visits.disagreement
    # The register's copy of the recommendation is the same matter, not a row of its own.
    assert sum("home visits to registered sex offenders" in r.text.lower() for r in rows) == 1
    assert "register" in visits.evidence_chain


def test_register_disagreement_is_a_named_question(trail_store):
    rows = list(run_named(open_dataset(trail_store), "register-disagreements", {}))
    assert len(rows) == 1
    row = rows[0]
    assert str(row.registerStatus) == "addressed"  # type: ignore[union-attr]
    assert str(row.inferredStatus) == "still an area for improvement"  # type: ignore[union-attr]
    assert "home visits" in str(row.text)  # type: ignore[union-attr]


def test_open_matters_leave_out_what_the_register_files_as_complete(trail_store):
    rows = list(run_named(open_dataset(trail_store), "open-matters", {}))
    # The later reports alone would leave it open (their latest word: still an area for improvement).
    visits = next(r for r in tracker_rows(open_dataset(trail_store)) if "home visits" in r.text)
    assert visits.inferred_status == "still an area for improvement"
    assert not any("home visits to registered sex offenders" in str(r.text) for r in rows)  # type: ignore[union-attr]


def test_trail_follows_a_matter_through_its_restatements(trail_store):
    rows = list(run_named(open_dataset(trail_store), "trail", {"statementText": "home visits to registered sex"}))
    relations = {str(r.relation) for r in rows}  # type: ignore[union-attr]
    assert {"follow-up", "restates", "register"} <= relations
    assert all(str(r.explanation) for r in rows)  # type: ignore[union-attr]


# --- the register entry's own format ------------------------------------------------

_ENTRY = (
    "Some inspection of Anyshire (1234)\n\nThe force should check its custody records every week.\n\n"
    "[on]2nd March 2020 [status]awaiting-review[/status][/on][on]5th May 2021 [comment]\n\n"
    "Checks have started but are not yet weekly.\n\n[/comment][/on][on]1st June 2022 [status]complete[/status][/on]"
)


def test_register_parser_reads_recommendation_source_and_dated_history():
    entry = parse_register_entry(_ENTRY)
    assert entry.source is not None and entry.source.quote == "Some inspection of Anyshire"
    assert entry.recommendation.quote == "The force should check its custody records every week."
    assert [(c.date, c.status) for c in entry.changes] == [
        ("2020-03-02", "awaiting-review"),
        ("2021-05-05", None),
        ("2022-06-01", "complete"),
    ]
    comment = entry.changes[1].comment
    assert comment is not None and comment.quote == "Checks have started but are not yet weekly."
    for span in [entry.recommendation, entry.source, comment, *(c.date_span for c in entry.changes)]:
        assert span is not None and _ENTRY[span.start : span.end] == span.quote
    latest = entry.latest_status()
    assert latest is not None and latest.status == "complete"


def test_register_parser_is_robust_to_broken_and_missing_markup():
    broken = (
        "The force should review its policy.\n\n[on]4th July 2016\n\nUnder review.\n\n"
        "[/comment][/on][on]9th May 2019\n\nFiled."
    )
    entry = parse_register_entry(broken)
    assert entry.source is None and entry.recommendation.quote == "The force should review its policy."
    assert [(c.date, c.comment.quote if c.comment else None) for c in entry.changes] == [
        ("2016-07-04", "Under review."),
        ("2019-05-09", "Filed."),
    ]
    rendered = "Title\n\nThe force should act.\n\n12 July 2019 Status: awaiting review\n3 March 2021 Status: complete\n"
    assert [(c.date, c.status) for c in parse_register_entry(rendered).changes] == [
        ("2019-07-12", "awaiting-review"),
        ("2021-03-03", "complete"),
    ]
    escaped = "The force should act.\n\n&#91;on&#93;1st May 2020 &#91;status&#93;complete&#91;/status&#93;&#91;/on&#93;"
    assert [(c.date, c.status) for c in parse_register_entry(escaped).changes] == [("2020-05-01", "complete")]
    with pytest.raises(NotARegisterEntry):
        parse_register_entry("A page with no dated history at all.")


def test_register_statuses_map_onto_the_follow_up_scheme():
    assert register_status("complete") == "addressed"
    assert register_status("Awaiting review") == "no-later-evidence"
    assert register_status("a word the vocabulary lacks") == "no-later-evidence"
    vocab = load_vocab_graph()
    statuses = {str(c).rsplit("/", 1)[-1] for c in vocab.subjects(SKOS.inScheme, None) if "/vocab/status/" in str(c)}
    assert {"addressed", "progress-reported", "still-area-for-improvement", "deteriorated", "sustained-strength"} <= (
        statuses
    )
    assert {"superseded", "no-later-evidence"} <= statuses
    for concept in vocab.subjects(SKOS.inScheme, None):
        if "/vocab/status/" in str(concept) or "/vocab/register-status/" in str(concept):
            assert vocab.value(concept, SKOS.definition) is not None, concept


def test_linker_names_no_force():
    """The linker's own source names no force: a stop word or cue keyed on one force is a special case."""
    source = (Path(__file__).resolve().parent.parent / "kg" / "link" / "linker.py").read_text(encoding="utf-8").lower()
    vocab = load_vocab_graph()
    from rdflib.namespace import RDF

    from kg.namespaces import HMI

    names = set()
    for force in vocab.subjects(RDF.type, HMI.PoliceForce):
        for label in vocab.objects(force, SKOS.prefLabel):
            first = str(label).split()[0].lower()
            if first not in {"the", "city", "police", "british"}:
                names.add(first)
    assert names
    found = sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", source))
    assert not found, found


def test_tracker_follows_a_recommendation_to_all_forces_per_force(trail_store):
    ds = open_dataset(trail_store)
    rows = [r for r in tracker_rows(ds) if r.text.startswith("By March 2021, all forces")]
    assert {(r.force, r.latest_status) for r in rows} == {
        ("Avonmoor Police", "addressed"),
        ("Fenmoor Constabulary", "still an area for improvement"),
    }
    only = [r for r in tracker_rows(ds, force="Fenmoor") if r.text.startswith("By March 2021, all forces")]
    assert [r.force for r in only] == ["Fenmoor Constabulary"]


@pytest.mark.parametrize("words", ["sex offender", "children", "missing"])
def test_trail_pages_are_cut_in_the_index_and_join_up_to_the_whole_trail(trail_store: Path, words: str) -> None:
    """The index lists a trail's links (restatements and register entries followed both ways) in the trail's order."""

    from kg.query.paging import run_named_page
    from kg.query.sparql import load_named, prepare_page, rows_as_text, run_named
    from kg.store.generations import open_dataset

    dataset = open_dataset(trail_store)
    question = load_named("trail")
    params = {"statementText": words}
    whole = rows_as_text(run_named(dataset, "trail", params))  # run whole: the store's own answer
    assert whole, words
    prepared = prepare_page(dataset, question.text, params, keys=question.keys, limit=2, offset=0)
    assert prepared.found == len(whole)
    # A keyed page reads its links' details through sub-queries the keys narrow, and never walks the trail;
    # the question run whole walks it and reads the details row by row.
    assert "SELECT DISTINCT ?link ?statusDate" in prepared.text and "?member" not in prepared.text
    unkeyed = prepare_page(dataset, question.text, params, keys=question.keys, limit=None)
    assert "SELECT DISTINCT ?link ?statusDate" not in unkeyed.text and "?member" in unkeyed.text
    rows: list[dict[str, str]] = []
    offset = 0
    while offset < len(whole):
        page = run_named_page(dataset, "trail", params, limit=2, offset=offset)
        assert page.total == len(whole)
        rows += rows_as_text(page.result)
        offset += 2
    assert rows == whole
