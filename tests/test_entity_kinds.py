"""General kinds that fresh pages showed the rules missing, on sentences written for these tests."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.entities import build_nlp, find_mentions
from kg.entities.evaluate import segments_of


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp(model=None)


def _found(nlp: Language, text: str, own: str | None = None) -> set[tuple[str, str, str | None]]:
    text += "\n"
    return {
        (m.span.quote, m.label, m.concept.rsplit("/", 1)[-1] if m.concept else None)
        for m in find_mentions("t", text, segments_of(text), nlp, own_force=own)
    }


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Crime figures from the Office for National Statistics (ONS) were checked by the National Audit Office.",
            {
                ("Office for National Statistics", "INSPECTORATE", "ons"),
                ("ONS", "INSPECTORATE", "ons"),
                ("National Audit Office", "INSPECTORATE", "national-audit-office"),
            },
        ),
        ("Case notes were kept on SharePoint, not on the records system.", {("SharePoint", "SYSTEM", "sharepoint")}),
        (
            "Officers work with housing providers, probation services and the police and crime panel.",
            {
                ("housing providers", "PARTNER", "housing"),
                ("probation services", "PARTNER", "probation-service"),
                ("police and crime panel", "PARTNER", "police-and-crime-panel"),
            },
        ),
        (
            "The force plays a full part in the multi-agency safeguarding arrangements and in MAPPA.",
            {
                ("multi-agency safeguarding arrangements", "UNIT", "multi-agency-safeguarding-arrangements"),
                ("MAPPA", "UNIT", "mappa"),
            },
        ),
        (
            "Counter Terrorism Policing, the Prevent programme and the Serious Fraud Office shared cases on PentiP.",
            {
                ("Counter Terrorism Policing", "UNIT", "counter-terrorism-unit"),
                ("Prevent programme", "INITIATIVE", "prevent"),
                ("Serious Fraud Office", "PARTNER", "serious-fraud-office"),
                ("PentiP", "SYSTEM", "pentip"),
            },
        ),
        (
            "Victims are told of the Victims' Right to Review scheme; the independent advisory group checks it.",
            {
                ("Victims' Right to Review scheme", "INITIATIVE", "victims-right-to-review"),
                ("independent advisory group", "PARTNER", "independent-advisory-group"),
            },
        ),
        (
            "NHS England, the UK Health Security Agency and GP surgeries share data.",
            {
                ("NHS England", "PARTNER", "nhs-england"),
                ("UK Health Security Agency", "PARTNER", "public-health-bodies"),
                ("GP surgeries", "PARTNER", "health"),
            },
        ),
        (
            "Records follow the Counting Rules and MoPI; the Information Commissioner's Office checked them.",
            {
                ("Counting Rules", "GUIDANCE", "hocr"),
                ("MoPI", "GUIDANCE", "mopi"),
                ("Information Commissioner's Office", "INSPECTORATE", "ico"),
            },
        ),
        (
            "Staff are assessed against the Competency and Values Framework and the National Intelligence Model.",
            {
                ("Competency and Values Framework", "GUIDANCE", "competency-and-values-framework"),
                ("National Intelligence Model", "GUIDANCE", "national-intelligence-model"),
            },
        ),
        (
            "Files from the criminal justice unit reach the roads policing unit and the vetting unit late.",
            {
                ("criminal justice unit", "UNIT", "criminal-justice-unit"),
                ("roads policing unit", "UNIT", "roads-policing-unit"),
                ("vetting unit", "UNIT", "vetting-unit"),
            },
        ),
    ],
)
def test_national_bodies_systems_partners_and_units_added_to_the_vocabulary(
    nlp: Language, text: str, want: set[tuple[str, str, str | None]]
) -> None:
    assert _found(nlp, text) >= want


def test_a_bare_capitalised_council_is_the_local_authority(nlp: Language) -> None:
    found = _found(nlp, "The paper went to the Council in May, and the County Council agreed the plan.")
    assert found == {("Council", "PARTNER", "local-authority"), ("County Council", "PARTNER", "local-authority")}


@pytest.mark.parametrize(
    "text",
    [
        "The Council of Europe published a convention.",
        "Residents pay the council tax every month.",
        "The guidance came from the Sentencing Council last year.",
    ],
)
def test_a_council_that_is_not_a_local_authority_is_not_one(nlp: Language, text: str) -> None:
    assert ("Council", "PARTNER", "local-authority") not in _found(nlp, text)


def test_the_force_on_a_page_naming_no_force_is_the_one_force_whose_place_it_names(nlp: Language) -> None:
    found = _found(nlp, "In Cumbria the commissioner says the Force has kept its records well for years.")
    assert ("the Force", "FORCE", "cumbria") in found
    # two forces' places: which force is meant is not known, so nothing is said
    found = _found(nlp, "In Cumbria and in Kent the commissioner says the Force has kept its records well.")
    assert not any(label == "FORCE" for _q, label, _c in found)


def test_an_act_by_its_year_alone_is_the_act_of_that_year_the_page_names(nlp: Language) -> None:
    found = _found(nlp, "The Police Act 1996 sets out the duty. Under the 1996 Act forces must cooperate.")
    assert ("1996 Act", "LEGISLATION", "ukpga-1996-16") in found
    # no Act of that year named: left alone
    assert not any(q == "1964 Act" for q, _label, _c in _found(nlp, "Under the 1964 Act forces changed."))


def test_custody_as_the_function_a_force_runs_is_the_custody_unit(nlp: Language) -> None:
    text = "The management of custody was sound, and records within custody were kept well.\n"
    units = [m for m in find_mentions("t", text, segments_of(text), nlp) if m.label == "UNIT"]
    assert [(m.span.quote, m.span.start) for m in units] == [("custody", 18), ("custody", 56)]
    assert all(m.concept is not None and m.concept.endswith("/custody") for m in units)
    detained = _found(nlp, "Children were held in custody overnight; custody officers then released them from custody.")
    assert not any(label == "UNIT" for _q, label, _c in detained)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("We graded Cumbria as good at protecting vulnerable people.", "Cumbria"),
        ("Cumbria's performance in keeping people safe has improved.", "Cumbria"),
        ("Cumbria has improved its crime recording since 2014.", "Cumbria"),
        ("Avon and Somerset was graded as requires improvement.", "Avon and Somerset"),
        ("Inspectors found that Kent needs to improve its response to missing children.", "Kent"),
        ("In that round Dorset and Kent were both awarded an adequate grade.", "Dorset"),
    ],
)
def test_a_force_place_graded_judged_or_told_what_to_do_is_the_force(nlp: Language, text: str, place: str) -> None:
    assert any(q == place and label == "FORCE" for q, label, _c in _found(nlp, text))


@pytest.mark.parametrize(
    "text",
    [
        "In Cumbria, officers patrol rural roads.",
        "Cumbria is a large rural county.",
        "Children in Kent were safe.",
        "Cumbria was given a grant by the council.",
    ],
)
def test_a_force_place_meaning_the_area_stays_a_place(nlp: Language, text: str) -> None:
    assert not any(label == "FORCE" for _q, label, _c in _found(nlp, text))


def test_places_listed_after_forces_or_before_police_are_forces(nlp: Language) -> None:
    found = _found(nlp, "The forces inspected were Cumbria, Durham and Northumbria.")
    assert {q for q, label, _c in found if label == "FORCE"} == {"Cumbria", "Durham", "Northumbria"}
    found = _found(nlp, "Durham and Cleveland were both graded good at keeping people safe.")
    assert {c for _q, label, c in found if label == "FORCE"} == {"durham", "cleveland"}
    found = _found(nlp, "Durham and Cleveland police share a firearms unit.")
    assert {c for _q, label, c in found if label == "FORCE"} == {"durham", "cleveland"}


def test_an_act_without_its_year_is_the_one_act_of_that_title(nlp: Language) -> None:
    found = _found(nlp, "The Human Rights Act applies, and so does the Investigatory Powers Act.")
    assert ("Human Rights Act", "LEGISLATION", "ukpga-1998-42") in found
    assert ("Investigatory Powers Act", "LEGISLATION", "ukpga-2016-25") in found
    # two Children Acts (1989, 2004): without a year, which one is not known
    assert not any(q == "Children Act" for q, _label, _c in _found(nlp, "The Children Act sets duties."))


def test_a_code_letter_ending_a_sentence_is_still_the_code(nlp: Language) -> None:
    found = _found(nlp, "Detainees were not always told their rights under PACE Code C.")
    assert ("PACE Code C", "GUIDANCE", "pace-code-c") in found


def test_more_names_of_units_every_force_has(nlp: Language) -> None:
    found = _found(
        nlp,
        "The crime investigation department, the protecting vulnerable people teams, the public service "
        "centre and the resolver unit were all busy.",
    )
    assert {c for _q, label, c in found if label == "UNIT"} == {
        "cid",
        "vulnerability-unit",
        "contact-centre",
        "resolution-centre",
    }
    # a post named after the partner is not the partner
    found = _found(nlp, "The local authority designated officer was told.")
    assert not any(label == "PARTNER" for _q, label, _c in found)


def test_a_quoted_name_for_a_scheme_or_team_is_a_candidate_and_a_quoted_grade_is_not(nlp: Language) -> None:
    found = _found(nlp, "The force runs a 'diary car' for appointments and a 'call-back desk' for victims.")
    assert {("diary car", "INITIATIVE", None), ("call-back desk", "INITIATIVE", None)} <= found
    found = _found(nlp, "It gave a 'good' service, a 'gold standard' response and a 'team' approach.")
    assert not any(label in {"INITIATIVE", "UNIT"} for _q, label, _c in found)


def test_a_case_sensitive_name_opening_with_the_matches_at_a_sentence_start(nlp: Language) -> None:
    assert ("The Met", "FORCE", "metropolitan") in _found(nlp, "The Met was praised for its control room.")
    # the name's own words keep their case: "met" the verb is not the force
    assert not any(label == "FORCE" for _q, label, _c in _found(nlp, "Then the officers met the victims."))


def test_a_team_of_a_body_outside_the_force_is_not_a_police_unit(nlp: Language) -> None:
    found = _found(nlp, "The HMICFRS Data Team and the Home Office Analysis Unit supplied the figures.")
    assert not any(label == "UNIT" for _q, label, _c in found)
    assert ("Harbour Review Team", "UNIT", None) in _found(nlp, "The force's Harbour Review Team supplied the figures.")


def test_named_partnerships_hospitals_and_schools_are_partner_candidates(nlp: Language) -> None:
    found = _found(nlp, "The Harbour Review Team and the Bridgeford Partnership met at Stonebridge Hospital.")
    assert {
        ("Harbour Review Team", "UNIT", None),
        ("Bridgeford Partnership", "PARTNER", None),
        ("Stonebridge Hospital", "PARTNER", None),
    } <= found
    assert ("Northgate Academy", "PARTNER", None) in _found(nlp, "Officers visit Northgate Academy each week.")


def test_prevent_the_verb_opening_a_sentence_is_no_programme(nlp: Language) -> None:
    assert not any(label == "INITIATIVE" for _q, label, _c in _found(nlp, "Prevent crime by patrolling hotspots."))


def test_a_senior_leadership_team_is_the_chief_officer_team_and_a_project_team_is_no_operation(
    nlp: Language,
) -> None:
    found = _found(nlp, "The senior leadership team asked the Project Team to report in May.")
    assert ("senior leadership team", "UNIT", "chief-officer-team") in found
    assert not any(label == "INITIATIVE" for _q, label, _c in found)
    assert ("Project Vigilant", "INITIATIVE", None) in _found(nlp, "Project Vigilant ran again in May.")


def test_statutory_instruments_with_their_year_are_legislation(nlp: Language) -> None:
    found = _found(
        nlp, "Misconduct is heard under the Police (Conduct) Regulations 2020, as the Order of the day says."
    )
    assert ("Police (Conduct) Regulations 2020", "LEGISLATION", "police-conduct-regulations-2020") in found
    assert not any("Order" in q for q, _label, _c in found)


def test_each_section_of_a_list_is_a_section_of_the_act_after_it(nlp: Language) -> None:
    text = "Enquiries under sections 46 and 47 of the Children Act 1989 rose by 12 per cent.\n"
    sections = [m for m in find_mentions("t", text, segments_of(text), nlp) if m.concept and "/section/" in m.concept]
    assert [(m.span.quote, m.concept.rsplit("/", 3)[-3]) for m in sections if m.concept] == [
        ("sections 46", "ukpga-1989-41"),
        ("47", "ukpga-1989-41"),
    ]


def test_a_candidate_after_a_sentence_opening_preposition_does_not_keep_the_article(nlp: Language) -> None:
    assert ("Harbour Review Team", "UNIT", None) in _found(nlp, "In the Harbour Review Team, staff were busy.")


def test_fresh_page_kinds_a_forces_list_after_in_an_inspectorate_name_with_a_comma_and_a_capitals_word(
    nlp: Language,
) -> None:
    found = _found(nlp, "Officers joined from constabularies based in Dorset, Cumbria and Suffolk.")
    assert {c for _q, label, c in found if label == "FORCE"} == {"dorset", "cumbria", "suffolk"}
    found = _found(nlp, "A report from His Majesty's Inspectorate of Constabulary, Fire and Rescue Service was read.")
    assert not any(label == "PARTNER" for _q, label, _c in found)
    assert ("CoLP", "FORCE", "city-of-london") in _found(nlp, "The CoLP audit team checked the records.")


def test_a_single_word_in_capitals_is_no_place_or_person() -> None:
    from kg.entities import load_vocabulary
    from kg.entities.plausible import ModelFilter

    model_filter = ModelFilter(load_vocabulary())
    assert (
        model_filter.judge("GPE", "EMBARGOED", "NOT FOR RELEASE - EMBARGOED until the day the report comes out").label
        is None
    )
    assert model_filter.judge("GPE", "UK", "Forces across the UK were compared by the inspectors.").label == "GPE"
    menu = "Pick a size: Smaller Text Size or Bigger Text Size"
    assert model_filter.judge("PERSON", "Bigger Text Size", menu).label is None
    joined = "Settling this is a task for Police and Crime Commissioners and Chief Constables together."
    assert model_filter.judge("ORG", "Police and Crime Commissioners and Chief Constables", joined).label is None
