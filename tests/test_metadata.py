"""Publication metadata: dates in every form, programmes, kinds, forces, titles, place in time, one
publication per document. Fixtures are short texts written for these tests, reproducing only the
structure and phrasing patterns of real pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.errors import CorpusError
from kg.ingest import read_corpus
from kg.ingest.dates import best, find_dates
from kg.ingest.forces import detect_forces, resolve_force
from kg.ingest.kinds import detect_kind
from kg.ingest.manifest import load_manifest
from kg.ingest.metadata import build_metadata
from kg.ingest.programmes import detect_programme, resolve_programme
from kg.ingest.titles import clean_title, title_lines
from kg.link.linker import link_units
from kg.link.timeline import PlaceInTime, place_in_time
from kg.records import DocumentMetadata, PublicationDate

DATA = Path(__file__).parent / "data" / "metadata"


@pytest.mark.parametrize(
    ("text", "role", "value", "end"),
    [
        (
            "Gwent – National child protection inspection\n\nPublished on: 8 September 2022\n\nContents\n",
            "edition",
            "2022-09-08",
            None,
        ),
        (
            "Gwent PEEL 2018\n\nHow efficient is the force?\n\nLast updated 02/05/2019\n\nText.\n",
            "edition",
            "2019-05-02",
            None,
        ),
        ("Child protection in Gwent\n\nApril 2019\n\n© HMICFRS 2019\n", "first_published", "2019-04", None),
        (
            "Some findings.\n\nMore findings.\n\nNovember 2023 | © HMICFRS 2023\n\nsite address\n",
            "first_published",
            "2023-11",
            None,
        ),
        (
            "Dear Chief Constable,\n\nOur visit to the force took place on 27th August 2015.\n",
            "inspected",
            "2015-08-27",
            None,
        ),
        ("Summary\n\nThe force was inspected in May 2017. We found problems.\n", "inspected", "2017-05", None),
        ("Summary\n\nThe fieldwork took place in October 2019, across three sites.\n", "inspected", "2019-10", None),
        ("Summary\n\nThe inspectorate carried out its inspection in late 2019.\n", "inspected", "2019", None),
        (
            "Child protection inspection\nGwent Police\n12 April–23 April 2021\nForeword\n",
            "inspected",
            "2021-04-12",
            "2021-04-23",
        ),
        (
            "Post-inspection review\nGwent Police 8–19 October 2018\nMarch 2019\n",
            "inspected",
            "2018-10-08",
            "2018-10-19",
        ),
        (
            "Summary\n\nThe inspection was carried out in late February/early March 2015.\n",
            "inspected",
            "2015-02",
            "2015-03",
        ),
        (
            "Entry (1234)\n\nA recommendation.\n\n[on]4th May 2016 [status]open[/status][/on]"
            "[on]9th June 2018 [comment]\n",
            "edition",
            "2018-06-09",
            None,
        ),
    ],
)
def test_each_date_form_is_read_with_its_role(text: str, role: str, value: str, end: str | None) -> None:
    found = best(find_dates(text), role)  # type: ignore[arg-type]
    assert found is not None, find_dates(text)
    assert (found.value, found.end, found.provenance) == (value, end, "stated")


def test_dates_of_other_events_and_earlier_inspections_are_not_the_publications() -> None:
    text = (
        "Gwent – National child protection post-inspection review\n\nIntroduction\n\n"
        "In May 2017, the inspectorate inspected child protection in Gwent Police.\n\n"
        "In March 2018, we published the report of our findings.\n\n"
        "Between January and October 2019, 300 referrals were made.\n"
    )
    assert [d.role for d in find_dates(text, is_review=True)] == []


def test_a_late_year_keeps_its_qualifier_and_year_precision() -> None:
    d = best(find_dates("Summary\n\nThe inspectorate carried out the inspection in late 2019.\n"), "inspected")
    assert d is not None and d.qualifier == "late" and d.precision == "year"


def test_a_release_that_says_published_today_is_dated_by_its_report() -> None:
    meta = build_metadata((DATA / "release.txt").read_text(encoding="utf-8"), None)
    assert meta.kind == "press release" and meta.published_with_report
    assert meta.inspected is not None and meta.inspected.value == "2021-03"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("PEEL 2023–25", "peel-2023-25"),
        ("PEEL 2023-2025", "peel-2023-25"),
        ("peel-2021-22", "peel-2021-22"),
        ("PEEL 2021/22", "peel-2021-22"),
        ("National child protection post inspection review", "ncpi-post-inspection-review"),
        ("National child protection post\u2011inspection review", "ncpi-post-inspection-review"),
        ("National child protection re\u2011inspection", "ncpi-reinspection"),
        ("Crime data integrity", "crime-data-integrity"),
        ("Engage", "monitoring"),
    ],
)
def test_manifest_spellings_resolve_to_one_concept(name: str, slug: str) -> None:
    assert resolve_programme(name) == slug


@pytest.mark.parametrize(
    ("text", "slug", "pillar"),
    [
        ("Gwent PEEL 2014\n\nHow legitimate is the force?\n\nText.\n", "peel-2014", "legitimacy"),
        (
            "Skip to content\n\nGwent 2015\n\nThis is HMIC's second PEEL assessment of Gwent Police.\n",
            "peel-2015",
            None,
        ),
        ("Gwent 2016 – PEEL assessment\n\nText.\n", "peel-2016", None),
        ("Gwent PEEL 2017\n\nHow efficient is the force at keeping people safe?\n", "peel-2017", "efficiency"),
        ("Gwent 2018/19\n\nPEEL assessment of Gwent Police.\n", "peel-2018-19", None),
        (
            "Overall summary\nImportant changes to PEEL\nWe now use the PEEL Assessment Framework 2021/22.\n",
            "peel-2021-22",
            None,
        ),
        ("Overall summary\nPEEL 2023–2025\nText.\n", "peel-2023-25", None),
        ("PEEL 2025–27: an inspection of Gwent Police\n", "peel-2025", None),
        ("What is PEEL?\n\nPEEL assesses forces.\n", "peel", None),
        ("Gwent – National child protection inspection\n", "ncpi", None),
        ("Gwent – National child protection post inspection review\n", "ncpi-post-inspection-review", None),
        ("Gwent – National child protection re\u2011inspection\n", "ncpi-reinspection", None),
        ("Gwent – child protection: assessment of progress\n", "ncpi-assessment-of-progress", None),
        ("National Child Protection Inspections: 2020 thematic report\n", "ncpi-thematic", None),
        ("Crime data integrity: Gwent Police\n", "crime-data-integrity", None),
        ("Report on an unannounced inspection of police custody suites in Gwent\n", "custody", None),
        ("Gwent Police moved out of enhanced monitoring (Engage)\n", "monitoring", None),
        ("Gwent Police – HMIC Inspection Report: Major Crime\n", "hmic-inspection", None),
        ("An inspection into how police forces deal with stalking (thematic)\n", "thematic", None),
    ],
)
def test_programme_and_cycle_detected(text: str, slug: str, pillar: str | None) -> None:
    found = detect_programme(text, title_lines(text))
    assert found is not None and (found.programme, found.pillar) == (slug, pillar)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ((DATA / "release.txt").read_text(encoding="utf-8"), "press release"),
        ((DATA / "release-republished.txt").read_text(encoding="utf-8"), "press release"),
        (
            "Agenda item\n\nPanel minutes\n\nMinutes:\n\nThe panel considered a report.\nCouncillor A asked.\n",
            "article",
        ),
        ("Response from: Office of the Police and Crime Commissioner\n\nWe welcome the report.\n", "letter"),
        ("Dear Sir Andy,\n\nThank you for the report.\n\nYours sincerely\n", "letter"),
        (
            "Crime recording (1234)\n\nA recommendation.\n\n[on]4th May 2016 [status]complete[/status][/on]\n",
            "register entry",
        ),
        (
            # The register's closing words with no dated history: a progress note, not a readable entry.
            "Area for improvement\n\nThe force should review how it answers calls.\n\n"
            "The force has changed its call handling since our last visit.\n\nThis recommendation is complete\n",
            "report",
        ),
        (
            "Call handling (4321)\n\nThe force should review how it answers calls.\n\n"
            "12 June 2019 Status: complete\n\nThis recommendation is complete\n",
            "register entry",
        ),
        ("What is PEEL?\n\nPEEL stands for police effectiveness, efficiency and legitimacy.\n", "landing page"),
        (
            "Gwent – inspection\n\nPublished on: 1 May 2020\n\nRead the report online\n\nGet the press release\n",
            "landing page",
        ),
        ("Gwent – inspection\n\nSummary\n\nWe found that the force is good at answering calls.\n", "report"),
    ],
)
def test_kinds(text: str, kind: str) -> None:
    assert detect_kind(text, has_force=True) == kind


@pytest.mark.parametrize(
    ("text", "forces", "scope"),
    [
        ("Cambridgeshire – National child protection inspection\n\nText.\n", ("Cambridgeshire Constabulary",), "force"),
        ("Durham PEEL 2014\n\nText.\n", ("Durham Constabulary",), "force"),
        ("Durham 2015\n\nRead more about Durham\n", ("Durham Constabulary",), "force"),
        (
            "A report\n\nIn London the Met has improved, and the Met says so.\n",
            ("Metropolitan Police Service",),
            "force",
        ),
        (
            "A report\n\nAlthough Northumbria Police has improved, Northumbria Police must do more.\n",
            ("Northumbria Police",),
            "force",
        ),
        ("A report\n\nThe North Police Authority met.\n", (), "national"),
        (
            "A thematic report\n\nWe inspected Kent Police, Kent Police again, Essex Police and Essex Police.\n",
            ("Essex Police", "Kent Police"),
            "several",
        ),
        ("A thematic report on all forces in England and Wales\n\nText.\n", (), "national"),
    ],
)
def test_forces_only_from_the_vocabulary(text: str, forces: tuple[str, ...], scope: str) -> None:
    found, found_scope = detect_forces(text, title_lines(text))
    assert (tuple(sorted(found)), found_scope) == (tuple(sorted(forces)), scope)


def test_force_short_forms_resolve() -> None:
    assert resolve_force("the Met") == "Metropolitan Police Service"
    assert resolve_force("Dyfed Powys") == "Dyfed-Powys Police"
    assert resolve_force("North Police") is None


@pytest.mark.parametrize(
    "text",
    [
        "Skip to content\n\nGwent – National child protection inspection\n\nPublished on: 1 May 2020\n",
        "This site uses cookies\n\nWe use necessary cookies to make our site work and to keep improving it.\n\n"
        "Skip to main content\n\nGwent – National child protection inspection\n\nSummary\n",
        "Proposed inspection programme 2025–29: For consultation\n\nWe would like your views on it.\n\n"
        "Gwent – National child protection inspection\n",
    ],
)
def test_titles_without_furniture(text: str) -> None:
    assert clean_title(text) == "Gwent – National child protection inspection"


def test_a_titleless_page_gets_a_made_title_marked_as_made() -> None:
    text = "Overall summary\nOur judgments\nPEEL 2023–2025\nOur inspection assessed how good Gwent Police is.\n"
    meta = build_metadata(text, None)
    assert meta.title_made and meta.title == "PEEL 2023–25 – An inspection of Gwent Police"
    assert build_metadata("404 Page not found\n\nSorry, we could not find that page.\n", None).title_made


def test_manifest_dates_programme_and_errors(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text(
        '[[document]]\nfile = "a.txt"\nprogramme = "PEEL 2021\u201322"\ninspected = "2021-04-12/2021-04-23"\n'
        'first_published = "2022-03"\nedition = 2022-09-08\n',
        encoding="utf-8",
    )
    entry = load_manifest(tmp_path)["a.txt"]
    meta = build_metadata("Text.\n", entry)
    assert meta.programme == "peel-2021-22"
    assert meta.inspected == PublicationDate(value="2021-04-12", end="2021-04-23", provenance="manifest")
    assert meta.first_published is not None and meta.first_published.precision == "month"
    assert meta.edition is not None and meta.edition.value == "2022-09-08" and meta.published == "2022-09-08"
    (tmp_path / "manifest.toml").write_text('[[document]]\nfile = "a.txt"\nprogramme = "PEEL 2099"\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="'programme' is \"PEEL 2099\", which ontology/vocab/programmes.ttl"):
        load_manifest(tmp_path)
    (tmp_path / "manifest.toml").write_text('[[document]]\nfile = "a.txt"\ninspected = "Oct 2019"\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="'inspected'"):
        load_manifest(tmp_path)


def _meta(kind: str, *, inspected: str | None = None, first: str | None = None) -> DocumentMetadata:
    def date(v: str | None) -> PublicationDate | None:
        return PublicationDate(value=v, provenance="manifest") if v else None

    return DocumentMetadata(
        title=f"t-{inspected}-{first}",
        force="Gwent Police",
        programme="ncpi",
        kind=kind,  # type: ignore[arg-type]
        inspected=date(inspected),
        first_published=date(first),
    )


def test_place_in_time_rule_and_certainly_later() -> None:
    both = _meta("report", inspected="2019-10", first="2020-03")
    place = place_in_time(both)
    assert place is not None and (place.key, place.basis) == ("2019-10", "inspected")
    year = PlaceInTime(PublicationDate(value="2019", provenance="stated"), "inspected")
    month = PlaceInTime(PublicationDate(value="2019-10", provenance="stated"), "inspected")
    assert not year.is_later_than(month) and not month.is_later_than(year)
    assert PlaceInTime(PublicationDate(value="2020-01", provenance="stated"), "edition").is_later_than(month)


def test_no_trail_runs_backwards_with_an_undated_and_a_dated_review_between_inspections() -> None:
    docs = [
        ("inspection-2018", _meta("report", inspected="2018-05", first="2018-09")),
        ("review-undated", _meta("report")),
        ("review-2019", _meta("report", first="2019-02")),
        ("inspection-2021", _meta("report", inspected="2021-03", first="2022-09")),
    ]
    places = {d: place_in_time(m) for d, m in docs}
    _, units = link_units(docs)
    assert units, "the dated reports form trails"
    for unit in units:
        assert "review-undated" not in unit.documents
        start = places[unit.key]
        assert start is not None
        for later in unit.documents[1:]:
            p = places[later]
            assert p is not None and p.is_later_than(start), (unit.key, later)
    assert any(u.key == "inspection-2018" and "review-2019" in u.documents for u in units)


def test_same_release_from_two_sources_is_one_publication(tmp_path: Path) -> None:
    for name in ("release.txt", "release-republished.txt"):
        shutil.copy(DATA / name, tmp_path / name)
    items = list(read_corpus(tmp_path))
    docs = [i for i in items if hasattr(i, "metadata")]
    assert len(docs) == 1
    assert docs[0].metadata.other_sources == ("release.txt",)
    assert any("same publication as" in getattr(i, "reason", "") for i in items)


def _corpus_with_twin_releases(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("report.txt", "release.txt", "release-republished.txt", "manifest.toml"):
        shutil.copy(DATA / name, corpus / name)
    return corpus


def test_build_one_publication_per_release_dates_in_graph_and_tracker_without_duplicates(
    tmp_path: Path,
    rules_extractor,  # type: ignore[no-untyped-def]
) -> None:
    from rdflib import Literal, URIRef

    from kg.build.pipeline import build
    from kg.namespaces import HMI, HMID
    from kg.render.tracker import tracker_rows
    from kg.store.generations import open_dataset

    corpus = _corpus_with_twin_releases(tmp_path)
    report = build(corpus, tmp_path / "store", extractor=rules_extractor)
    assert report.validation.conforms
    data = open_dataset(tmp_path / "store")
    pubs = {str(s) for s in data.subjects(HMI.sourceFile, None)}
    assert pubs == {f"{HMID}publication/report", f"{HMID}publication/release-republished"}
    release = URIRef(f"{HMID}publication/release-republished")
    assert (release, HMI.otherSourceFile, Literal("release.txt")) in data
    # The report: inspected March 2021 (stated), first published July 2021 (manifest), edition May 2022.
    rep = URIRef(f"{HMID}publication/report")
    assert str(data.value(rep, HMI.timeKey)) == "2021-03"
    assert str(data.value(rep, HMI.timeBasis)) == "inspected"
    activity = data.value(rep, HMI.aboutInspection)
    assert activity is not None and str(data.value(activity, HMI.dateProvenance)) == "stated"
    # The release announces the report by a title with another dash: resolved, and dated by it.
    assert (release, HMI.announces, rep) in data
    assert str(data.value(release, URIRef("http://purl.org/dc/terms/issued"))) == "2021-07"
    rows = tracker_rows(data)
    assert rows and len({r.statement for r in rows}) == len(rows)
    assert {r.date for r in rows} == {"2021-03"} and {r.published for r in rows} == {"2021-07"}


def test_an_announced_report_not_in_the_corpus_is_a_node_of_its_own() -> None:
    from kg.graph.triples import announced_iri

    assert announced_iri("Gwent Police – National child protection post inspection review") == announced_iri(
        "Gwent – National child protection post-inspection review"
    )
    assert announced_iri("Gwent – National child protection inspection") != announced_iri(
        "Gwent – National child protection post-inspection review"
    )


def test_incremental_build_merges_a_republished_copy_added_later(
    tmp_path: Path,
    rules_extractor,  # type: ignore[no-untyped-def]
) -> None:
    from kg.build.pipeline import build
    from kg.namespaces import HMI
    from kg.store.generations import open_dataset

    corpus = _corpus_with_twin_releases(tmp_path)
    (corpus / "release-republished.txt").unlink()
    store = tmp_path / "store"
    build(corpus, store, extractor=rules_extractor)
    shutil.copy(DATA / "release-republished.txt", corpus / "zz-copy.txt")
    report = build(corpus, store, extractor=rules_extractor)
    assert report.validation.conforms
    data = open_dataset(store)
    files = sorted(str(o) for o in data.objects(None, HMI.sourceFile))
    assert files == ["release.txt", "report.txt"]
    assert [str(o) for o in data.objects(None, HMI.otherSourceFile)] == ["zz-copy.txt"]


def test_shipped_corpus_trails_and_tracker_run_forward_in_time(built_store: Path) -> None:
    from kg.link.timeline import first_day, last_day
    from kg.query.sparql import rows_as_text, run_named
    from kg.render.tracker import tracker_rows
    from kg.store.generations import open_dataset

    data = open_dataset(built_store)
    ncpi = [r for r in tracker_rows(data, force="Durham") if r.publication.startswith("Durham – National")]
    assert ncpi and {(r.date, r.date_basis, r.published) for r in ncpi} == {("2019-10", "inspected", "2020-03")}
    for words in ("go missing", "registered sex offenders", "custody"):
        for row in rows_as_text(run_named(data, "trail", {"statementText": words})):
            assert row["earlierDate"] and row["laterDate"], row
            # Never backwards: the later end does not end before the earlier one starts.
            assert last_day(row["laterDate"]) >= first_day(row["earlierDate"]), row


def test_a_force_the_vocabulary_does_not_know_is_a_candidate_only_when_the_title_names_its_place() -> None:
    from kg.ingest.forces import candidate_force

    text = "Fenland – National child protection inspection\n\nWe inspected Fenland Constabulary in May 2020.\n"
    assert candidate_force(text, title_lines(text)) == "Fenland Constabulary"
    prose = "A report\n\nAlthough Fenland Constabulary has improved, more is needed.\n"
    assert candidate_force(prose, title_lines(prose)) is None
    meta = build_metadata(text, None)
    assert (meta.force, meta.scope) == ("Fenland Constabulary", "force")


def test_the_evaluation_runs_on_any_gold_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from kg.ingest.evaluate_metadata import main

    (tmp_path / "p.txt").write_text((DATA / "release.txt").read_text(encoding="utf-8"), encoding="utf-8")
    gold = {
        "title": "Gwent Police must speed up its response to children who go missing, says inspectorate",
        "kind": "press-release",
        "forces": ["Gwent Police"],
        "scope": "force",
        "programme": "ncpi",
        "pillar": None,
        "dates": {"inspected": "2021-03", "first_published": None, "edition": None},
        "dates_stated": [{"text": "carried out in March 2021", "value": "2021-03", "role": "inspected"}],
    }
    (tmp_path / "p.json").write_text(json.dumps({"metadata": gold}), encoding="utf-8")
    assert main(["--pages", str(tmp_path), "--gold", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for measure in ("force", "programme", "kind", "title equal", "stated date found", "date inspected"):
        assert f"| {measure} | 1 | 1 | 100.0% |" in out, measure
    assert main(["--pages", str(tmp_path / "nowhere"), "--gold", str(tmp_path)]) == 2
