"""What a careful reader does not tag on PDF-dump pages: notices, addresses, capitals headings, garbled columns.

Every sentence here is written for these tests; the places, people and
streets are invented.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.entities import build_nlp, find_mentions, load_vocabulary, model_available
from kg.entities.boilerplate import is_capitals_line, is_garbled, is_menu_line, is_notice
from kg.entities.evaluate import segments_of
from kg.entities.plausible import ModelFilter
from kg.extract.themes import load_themes
from kg.resources import ontology_dir


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp(model=None)


@pytest.fixture(scope="module")
def model_filter() -> ModelFilter:
    return ModelFilter(load_vocabulary())


def _found(nlp: Language, text: str) -> set[tuple[str, str, str | None]]:
    return {
        (m.span.quote, m.label, m.concept.rsplit("/", 1)[-1] if m.concept else None)
        for m in find_mentions("t", text, segments_of(text), nlp)
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "\u00a9 Crown copyright 2019 and the text may be reused under licence.",
        "This report is licensed under the terms of the Open Government Licence.",
        "Send any questions to the Records Office, 4 Quay Street, Millbridge MB1 4QZ.",
        "Contact us by email: questions@example.org.uk or by post.",
        "Telephone 0113 496 0000 between nine and five.",
        "Further copies can be found at www.example.gov.uk/reports.",
        "ISBN 978-0-00-000000-0",
    ],
)
def test_notices_addresses_and_contact_lines_are_recognised(sentence: str) -> None:
    assert is_notice(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The force has improved how it records crime since 2019.",
        "Inspectors spoke to 42 officers and staff in the control room.",
        "The force works closely with the local authority on missing children.",
    ],
)
def test_running_text_is_not_a_notice(sentence: str) -> None:
    assert not is_notice(sentence)


GARBLED = (
    "The unit was formed in Audit of cases showed 2014 to deal with the and the Government. of the "
    "referrals received rising demand The panel found that most every week. and the board met "
    "quarterly Its members included the for each area while new staff were trained in a range of"
)
PLAIN = (
    "The unit was formed in 2014 to deal with rising demand. An audit of cases showed that most "
    "referrals were dealt with promptly, and the board met every quarter. Its members included "
    "senior officers from each area."
)


def test_interleaved_columns_read_as_garbled_and_running_text_does_not() -> None:
    assert is_garbled(GARBLED)
    assert not is_garbled(PLAIN)
    # Abbreviations that end in a full stop are not column breaks.
    assert not is_garbled("Some tools (e.g. the risk form) and checks (i.e. audits) were used. The force agreed.")


def test_capitals_lines() -> None:
    assert is_capitals_line("SECTION TWO: FINDINGS")
    assert not is_capitals_line("Section two: findings")
    assert not is_capitals_line("42")


def test_a_name_rule_guess_in_an_address_is_dropped_a_vocabulary_name_kept(nlp: Language) -> None:
    text = (
        "Write to the Records Access Team at the HM Inspectorate of Prisons, 4 Quay Street, Millbridge MB1 4QZ.\n\n"
        "The Harbour Review Team met the force every month.\n"
    )
    found = _found(nlp, text)
    assert ("HM Inspectorate of Prisons", "INSPECTORATE", "hmi-prisons") in found
    assert not any(q == "Records Access Team" for q, _label, _c in found)
    assert ("Harbour Review Team", "UNIT", None) in found


def test_a_name_rule_guess_in_garbled_columns_is_dropped(nlp: Language) -> None:
    text = GARBLED.replace("The panel found", "The Quayside Liaison Unit found") + "\n"
    assert not any(q.endswith("Unit") for q, _label, _c in _found(nlp, text))


def test_a_team_name_before_leader_is_a_post_in_a_list_of_staff(nlp: Language) -> None:
    text = (
        "Inspection staff\n\nMaria Okonjo Team leader\n\nPeter Lind Unit manager\n\n"
        "The Harbour Review Team met weekly.\n"
    )
    found = {q for q, label, _c in _found(nlp, text) if label == "UNIT"}
    assert found == {"Harbour Review Team"}


def test_a_partner_kind_before_a_post_names_the_post(nlp: Language) -> None:
    found = _found(nlp, "A health services inspector and a children's social care manager joined the visit.")
    assert not any(label == "PARTNER" for _q, label, _c in found)
    assert ("health services", "PARTNER", "health") in _found(nlp, "The force shares records with health services.")


@pytest.mark.parametrize(
    ("label", "text", "segment"),
    [
        ("ORG", "Quay House", "The suite at Quay House was clean and well run by the staff there."),
        ("ORG", "Albion Chambers", "Questions go to the team at Albion Chambers, which replies within a week."),
        ("GPE", "Mill Road", "Detainees at Mill Road were seen by a nurse within the hour of arrival."),
        ("ORG", "SUMMARY OF FINDINGS", "The SUMMARY OF FINDINGS sets out what the inspectors saw in the force."),
    ],
)
def test_buildings_streets_and_capitals_are_not_organisations(
    model_filter: ModelFilter, label: str, text: str, segment: str
) -> None:
    assert model_filter.judge(label, text, segment).label is None


def test_the_gifts_and_hospitality_register_is_no_system_but_a_vetting_and_corruption_topic(nlp: Language) -> None:
    found = _found(nlp, "The force keeps a gifts and hospitality register, but few officers use it.")
    assert not any(label == "SYSTEM" for _q, label, _c in found)
    themes = load_themes(ontology_dir() / "vocab" / "themes.ttl")
    theme = next(t for t in themes if t.iri.endswith("/vetting-and-corruption"))
    assert any("gifts and hospitality" in k for k in theme.keywords)


PDF_DUMP = (
    "\u00a9 Crown copyright 2016. You may reuse this text under the Open Government Licence. Write to the "
    "Archive Office, Kew Gardens, Richmond TW9 4DU, or email: info@example.gov.uk.\n\n"
    "Any questions should go to Stephen Hale at Riverside Chambers, 12 Canal Street, Millbridge MB2 7QT.\n\n"
    "SUMMARY OF FINDINGS AT MILLBRIDGE\n\n"
    "The force worked well with the Harbour Family Trust, and Millbridge Council funded two new posts. "
    "Jane Marlowe, who led the visit, met the chief constable in Millbridge.\n"
)


@pytest.mark.model
@pytest.mark.skipif(not model_available(), reason="English model not installed")
def test_the_model_adds_nothing_from_notices_addresses_or_capitals_headings() -> None:
    model_nlp = build_nlp(model="auto")
    text = PDF_DUMP
    notices_end = text.index("SUMMARY OF FINDINGS") + len("SUMMARY OF FINDINGS AT MILLBRIDGE")
    added = [m for m in find_mentions("t", text, segments_of(text), model_nlp) if m.source == "model"]
    assert [m.span.quote for m in added if m.span.start < notices_end and m.label != "DATE"] == []


def test_menu_lines() -> None:
    assert is_menu_line("Home | About us | News | Contact")
    assert is_menu_line("Privacy \u00b7 Accessibility \u00b7 Sitemap")
    assert not is_menu_line("The force (see page 4 | table 2) improved.")


@pytest.mark.parametrize(
    ("label", "text", "segment", "before", "after"),
    [
        # a street after "the", or ending in a street word, is no person
        ("PERSON", "Quarry Lane", "He said the Quarry Lane station now has a new cell block.", "the", "station"),
        ("PERSON", "Mill Road", "Officers from Mill Road attended the scene within the hour.", "from", "attended"),
        # a name followed by a post word is part of a job title
        ("ORG", "Maria Okonjo Team", "Maria Okonjo Team leader and three inspectors visited the force.", "", "leader"),
        # documents and duties are not organisations
        ("ORG", "Public Protection Strategy", "The force rewrote its Public Protection Strategy in May.", "", ""),
        ("ORG", "Serious Violence Duty", "Partners met the Serious Violence Duty with a joint plan.", "", ""),
    ],
)
def test_streets_posts_and_documents_are_not_people_or_organisations(
    model_filter: ModelFilter, label: str, text: str, segment: str, before: str, after: str
) -> None:
    assert model_filter.judge(label, text, segment, before=before, after=after).label is None


def test_a_capitalised_description_is_not_an_organisation_but_a_name_is(model_filter: ModelFilter) -> None:
    segment = "The force set up its Violence Against Women and Girls board with the Harbour Family Trust."
    lower = frozenset("the force has a plan to reduce violence against women and girls in the area".split())
    assert model_filter.judge("ORG", "Violence Against Women and Girls", segment, lower_words=lower).label is None
    # an organisation word keeps it a name, and so does a word the page never writes in lower case
    assert model_filter.judge("ORG", "Harbour Family Trust", segment, lower_words=lower).label == "ORG"
    assert model_filter.judge("ORG", "Cordwain Hale Association", segment, lower_words=lower).label == "ORG"


def test_an_organisation_of_unknown_kind_is_not_worth_review(model_filter: ModelFilter) -> None:
    segment = "The evaluation was written by Cordwain Hale and reported in the Loamshire Gazette last year."
    assert model_filter.judge("ORG", "Cordwain Hale", segment).label is None
    assert model_filter.judge("ORG", "Loamshire Gazette", segment).label is None
    assert model_filter.judge("ORG", "Loamshire Safeguarding Board", segment).label == "ORG"


def test_a_run_of_capitalised_headings_and_a_common_word_are_no_names(model_filter: ModelFilter) -> None:
    segment = "Recorded crime Victim-based crime Gold Silver Bronze Red Amber Green figures for the year."
    assert model_filter.judge("ORG", "Gold Silver Bronze Red Amber Green", segment).label is None
    lower = frozenset("please contact us if you have a question about the report".split())
    menu = "Read the report and Contact us today."
    assert model_filter.judge("GPE", "Contact", menu, lower_words=lower).label is None
    assert model_filter.judge("GPE", "Cumbria", "Roads in Cumbria are long.", lower_words=lower).label == "GPE"
