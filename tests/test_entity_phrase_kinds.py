"""Kinds of phrase read by general rules (sector words in lists of agencies, unit kinds by head noun,
a force's place standing for the force), on sentences written for these tests."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.entities import build_nlp, find_mentions, load_vocabulary, model_available
from kg.entities.evaluate import segments_of
from kg.entities.plausible import ModelFilter


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp(model=None)


def _found(nlp: Language, text: str, own: str | None = None) -> set[tuple[str, str, str | None]]:
    text += "\n"
    return {
        (m.span.quote, m.label, m.concept.rsplit("/", 1)[-1] if m.concept else None)
        for m in find_mentions("t", text, segments_of(text), nlp, own_force=own)
    }


def _partners(nlp: Language, text: str) -> set[tuple[str, str | None]]:
    return {(q, c) for q, label, c in _found(nlp, text) if label == "PARTNER"}


# --- a bare sector word in a list of agencies ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Loamshire Police, health and education share what they know at the hub.",
            {("health", "health"), ("education", "schools")},
        ),
        (
            "The force works closely with health and social care partners.",
            {("health", "health"), ("social care partners", "childrens-social-care")},
        ),
        (
            "Referrals from children's services, education and health rose last year.",
            {("children's services", "childrens-social-care"), ("education", "schools"), ("health", "health")},
        ),
        (
            "Health, education and the police attend every strategy meeting.",
            {("Health", "health"), ("education", "schools")},
        ),
        (
            "The local authority, police, fire and ambulance services train together.",
            {
                ("local authority", "local-authority"),
                ("fire", "fire-and-rescue-service"),
                ("ambulance services", "ambulance-service"),
            },
        ),
        ("The force and education partners agreed a new protocol.", {("education partners", "schools")}),
        (
            "Staff from children's social care, police and health working side by side.",
            {("children's social care", "childrens-social-care"), ("health", "health")},
        ),
        (
            "Police, youth justice and probation services reviewed the case.",
            {("youth justice", "yot"), ("probation services", "probation-service")},
        ),
        # a bare word for the local authority in a list of agencies
        (
            "It works with the council and healthcare bodies every week.",
            {("council", "local-authority"), ("healthcare bodies", "health")},
        ),
        # a list whose items are set apart by semicolons
        (
            "Cases go to schools; probation; housing; and the fire service.",
            {
                ("schools", "schools"),
                ("probation", "probation-service"),
                ("housing", "housing"),
                ("fire service", "fire-and-rescue-service"),
            },
        ),
        # people who come from agencies
        (
            "Two nurses and staff from housing and education work in the hub.",
            {("housing", "housing"), ("education", "schools")},
        ),
    ],
)
def test_a_sector_word_in_a_list_of_agencies_is_its_partner_kind(
    nlp: Language, text: str, want: set[tuple[str, str | None]]
) -> None:
    assert _partners(nlp, text) == want


@pytest.mark.parametrize(
    "text",
    [
        "Officers were trained in mental health and in health and safety.",
        "The education programmes run by the force were praised.",
        "We spoke to health visitors about the case.",
        "Outcomes in health, education and housing vary across the county.",
        "Children's physical health and education suffered.",
        "The police, fire and crime commissioner set the budget.",
        "The council tax rose again, and council officers and police met.",
        "The youth justice system was reformed in 1998.",
    ],
)
def test_a_sector_word_outside_a_list_of_agencies_stays_a_topic(nlp: Language, text: str) -> None:
    assert _partners(nlp, text) == set()


def test_a_list_opened_by_a_word_for_agencies_is_a_list_of_agencies(nlp: Language) -> None:
    found = _partners(nlp, "It works with bodies such as probation and the youth service.")
    assert ("probation", "probation-service") in found


# --- unit kinds by function and head word ------------------------------------------------------------


def _units(nlp: Language, text: str) -> set[tuple[str, str | None]]:
    return {(q, c) for q, label, c in _found(nlp, text) if label == "UNIT"}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a function the vocabulary knows, with a head word it was not listed with
        ("Loamshire's vulnerability desk reviews every referral.", {("vulnerability desk", "vulnerability-unit")}),
        ("Calls for help reach the contact hub first.", {("contact hub", "contact-centre")}),
        ("A fraud desk now takes the reports.", {("fraud desk", "economic-crime-unit")}),
        # more words than the conventional name, all naming the function
        (
            "Its child sexual abuse investigation team is well staffed.",
            {("child sexual abuse investigation team", "caiu")},
        ),
        ("The central referral team screens cases.", {("central referral team", "referral-unit")}),
        ("A cyber investigation unit examines devices.", {("cyber investigation unit", "high-tech-crime-unit")}),
        # a capital where a line starts
        ("Child exploitation desk opens in May", {("Child exploitation desk", "child-exploitation-team")}),
        # a description of the unit ("new") is not part of its name
        ("The force set up a new intelligence desk last year.", {("intelligence desk", "intelligence-unit")}),
        # a longer name of another kind over a conventional name inside it
        (
            "The force's domestic abuse safeguarding hub works well.",
            {("domestic abuse safeguarding hub", "domestic-abuse-unit")},
        ),
        # two functions before a plural head are two kinds of unit; two words for one function are one unit
        (
            "Officers in the neighbourhood and response teams were briefed.",
            {("neighbourhood", "npt"), ("response teams", "response-team")},
        ),
        ("The economic crime and fraud team investigates.", {("economic crime and fraud team", "economic-crime-unit")}),
    ],
)
def test_a_lower_case_unit_named_by_its_function_is_that_kind_of_unit(
    nlp: Language, text: str, want: set[tuple[str, str | None]]
) -> None:
    assert _units(nlp, text) == want


def test_a_function_two_kinds_share_is_a_unit_to_review(nlp: Language) -> None:
    found = {(q, label, c) for q, label, c in _found(nlp, "Cases go to the public protection hub.")}
    assert found == {("public protection hub", "UNIT", None)}


@pytest.mark.parametrize(
    "text",
    [
        "A new team was set up, and some officers in the hub moved; the team is small.",
        "A quality control team checks the records.",
        "A rural crime team patrols the moors.",
        "The interview room was bare and the waiting room was full.",
        "The force runs an intelligence and response command.",
        "Staff spoke to the investigation team and the support unit.",
    ],
)
def test_a_head_word_without_a_function_or_inside_a_description_is_no_unit(nlp: Language, text: str) -> None:
    assert _units(nlp, text) == set()


def test_a_unit_head_before_a_post_word_names_the_post(nlp: Language) -> None:
    assert _units(nlp, "The vulnerability desk manager told us.") == set()


# --- a force's place name standing for the force ---------------------------------------------------


@pytest.fixture(scope="module")
def pipelines(nlp: Language) -> list[Language]:
    """The rule-only pipeline, and the one with the statistical model where it is installed."""
    return [nlp, build_nlp(model="auto")] if model_available() else [nlp]


def _force_at(nlp: Language, text: str, place: str) -> str | None:
    """The force the mention of ``place`` links to, or None where it is no force."""
    text += "\n"
    start = text.index(place)
    for m in find_mentions("t", text, segments_of(text), nlp, own_force=KENT):
        if m.label == "FORCE" and m.span.start == start and m.span.end == start + len(place):
            return m.concept.rsplit("/", 1)[-1] if m.concept else None
    return None


KENT = "https://w3id.org/hmi-kg/vocab/force/kent"


@pytest.mark.parametrize(
    ("text", "place", "force"),
    [
        ("Our assessment of Kent's performance is below.", "Kent", "kent"),
        ("We have graded Kent as good in every pillar.", "Kent", "kent"),
        ("Essex has restructured its public protection teams since 2019.", "Essex", "essex"),
        ("Essex's senior leaders understand the risks.", "Essex", "essex"),
        ("Essex records crimes accurately.", "Essex", "essex"),
        ("Essex should now publish its plan.", "Essex", "essex"),
        ("We read the PEEL report for Essex with care.", "Essex", "essex"),
        ("Essex did not record these crimes correctly.", "Essex", "essex"),
        ("Essex was one of three forces visited in May.", "Essex", "essex"),
        ("In our first assessment of Essex we weighed the demands on it.", "Essex", "essex"),
        ("Essex demonstrates real care for victims.", "Essex", "essex"),
        ("The report compares forces such as Essex and Suffolk.", "Suffolk", "suffolk"),
        ("PEEL 2016: Essex\nThe force is good.", "Essex", "essex"),
        ("The region's three forces (Kent, Essex and Suffolk) share a unit.", "Suffolk", "suffolk"),
    ],
)
def test_a_force_place_standing_for_the_organisation_is_the_force_with_and_without_the_model(
    pipelines: list[Language], text: str, place: str, force: str
) -> None:
    assert [_force_at(p, text, place) for p in pipelines] == [force] * len(pipelines)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Kent has many small coastal towns.", "Kent"),
        ("Suites in Ashford, Kent and Dover hold detainees.", "Kent"),
        ("Recorded crime in Essex has increased since 2019.", "Essex"),
        ("Kent and Medway have long shorelines.", "Kent"),
    ],
)
def test_a_force_place_meaning_the_area_is_no_force_with_or_without_the_model(
    pipelines: list[Language], text: str, place: str
) -> None:
    assert [_force_at(p, text, place) for p in pipelines] == [None] * len(pipelines)


# --- the model's organisations -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_filter() -> ModelFilter:
    return ModelFilter(load_vocabulary())


@pytest.mark.parametrize(
    ("name", "segment"),
    [
        ("Police Precept", "Members set the Police Precept in February after a vote."),
        ("Council Tax", "Residents pay the Council Tax in ten monthly instalments."),
    ],
)
def test_a_model_organisation_whose_kind_word_modifies_another_noun_is_dropped(
    model_filter: ModelFilter, name: str, segment: str
) -> None:
    assert model_filter.judge("ORG", name, segment).label is None


def test_a_model_organisation_clipped_at_a_joiner_is_dropped_and_two_names_joined_are_kept(
    model_filter: ModelFilter,
) -> None:
    segment = "It was discussed at the Harbour Planning and Resources Committee last week."
    assert (
        model_filter.judge(
            "ORG", "Resources Committee", segment, preceding="discussed at the Harbour Planning and "
        ).label
        is None
    )
    segment = "Staff from Barnardo's and the Loamshire Youth Trust attended the meeting."
    assert (
        model_filter.judge("ORG", "Loamshire Youth Trust", segment, preceding="Staff from Barnardo's and the ").label
        == "ORG"
    )
    segment = "Officers and the Loamshire Youth Trust attended the meeting."
    assert model_filter.judge("ORG", "Loamshire Youth Trust", segment, preceding="Officers and the ").label == "ORG"
    segment = "The Office for Loamshire Statistics and the Loamshire Youth Trust met."
    assert model_filter.judge("ORG", "Office for Loamshire Statistics", segment).label == "ORG"


def test_a_team_named_after_a_council_the_page_names_is_the_council_s(nlp: Language) -> None:
    found = _found(nlp, "The force works with the Loamshire County Council Tenancy Enforcement Team on nuisance.")
    assert ("Loamshire County Council", "PARTNER", None) in found
    assert not any(label == "UNIT" for _q, label, _c in found)


def test_a_section_written_with_the_letter_glued_to_its_number_is_a_section(nlp: Language) -> None:
    found = _found(nlp, "Detentions under s136 of the Mental Health Act fell.")
    assert ("s136", "LEGISLATION", "136") in found
    assert not any(label == "LEGISLATION" for _q, label, _c in _found(nlp, "Room s1 and bus stops were checked."))


def test_the_panel_on_a_commissioner_s_page_is_the_police_and_crime_panel(nlp: Language) -> None:
    text = "The Panel asked the Police and Crime Commissioner about the audit."
    assert ("Panel", "PARTNER", "police-and-crime-panel") in _found(nlp, text)
    # without a commissioner or a police and crime panel on the page, a panel may be any panel
    assert not any(
        label == "PARTNER" for _q, label, _c in _found(nlp, "The Panel reviewed ten cases of stop and search.")
    )
    # a longer name or a panel of something is not the bare title
    assert not any(
        q == "Panel" for q, _label, _c in _found(nlp, "The Panel of Experts met the PCC; the Panel Chair spoke.")
    )


def test_a_capitalised_unit_name_with_a_head_the_name_rules_do_not_read_is_its_kind(nlp: Language) -> None:
    assert _units(nlp, "Calls are triaged by the Loamshire Vulnerability Desk every day.") == {
        ("Vulnerability Desk", "vulnerability-unit")
    }
    assert _units(nlp, "Specialist Operations Command and the Harbour View Room were busy.") == set()


# --- a force's name opening a post's, a body's or a plan's title -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The Cumbria Police and Crime Commissioner wrote a response to the inspection.",
        "Members of the Essex police, fire and crime panel asked about waiting times.",
        "The Dorset Police and Crime Plan sets three priorities for the year.",
    ],
)
def test_a_force_name_opening_a_governance_title_is_not_the_force(nlp: Language, text: str) -> None:
    assert not {f for f in _found(nlp, text) if f[1] == "FORCE"}


def test_a_force_beside_its_commissioner_is_still_the_force(nlp: Language) -> None:
    found = _found(nlp, "Cumbria Police improved its call handling, the Police and Crime Commissioner said.")
    assert ("Cumbria Police", "FORCE", "cumbria") in found


def test_an_inspection_for_a_place_is_of_its_force_and_an_acronym_names_its_partner_kind(nlp: Language) -> None:
    found = _found(nlp, "The latest crime data inspection for Cumbria was published in the spring.")
    assert ("Cumbria", "FORCE", "cumbria") in found
    assert ("FRSs", "PARTNER", "fire-and-rescue-service") in _found(nlp, "Tell us how we inspect FRSs next year.")


def test_boards_teams_and_national_centres_by_their_conventional_names(nlp: Language) -> None:
    found = _found(nlp, "Its ethics board and resolution teams met officers from the NCLCC.")
    assert ("ethics board", "UNIT", "ethics-committee") in found
    assert ("resolution teams", "UNIT", "resolution-centre") in found
    assert ("NCLCC", "INSPECTORATE", "nclcc") in found


def test_a_body_that_sorts_forces_into_a_class_is_not_named_there(nlp: Language) -> None:
    """ "A Home Office force" is a kind of force; "the Home Office" in the same text is the department."""
    text = "Loamshire was the last Home Office force we inspected. The Home Office funds the scheme."
    assert [q for q, label, _c in _found(nlp, text) if label == "INSPECTORATE"] == ["Home Office"]
    assert not [q for q, label, _c in _found(nlp, "All 43 Home Office police forces took part.") if label]


def test_the_uk_s_other_forces_are_forces(nlp: Language) -> None:
    found = _found(nlp, "Police Scotland and the PSNI share the approach with the Civil Nuclear Constabulary.")
    assert {c for _q, label, c in found if label == "FORCE"} == {
        "police-scotland",
        "psni",
        "civil-nuclear-constabulary",
    }


@pytest.mark.parametrize(
    ("text", "quote", "label"),
    [
        (
            "Detainees were dealt with under the Police and Criminal Evidence Act (PACE) codes of practice.",
            "Police and Criminal Evidence Act (PACE) codes of practice",
            "GUIDANCE",
        ),
        ("The Serious Violence Strategy sets out the duty.", "Serious Violence Strategy", "GUIDANCE"),
        ("The Crime Survey for England and Wales shows a fall.", "Crime Survey for England and Wales", "INITIATIVE"),
    ],
)
def test_codes_strategies_and_national_surveys_by_their_titles(
    nlp: Language, text: str, quote: str, label: str
) -> None:
    assert {(q, lab) for q, lab, _c in _found(nlp, text)} == {(quote, label)}


def test_a_force_s_own_survey_under_a_descriptive_name_is_not_an_initiative(nlp: Language) -> None:
    assert not _found(nlp, "The force runs a victim satisfaction survey every quarter.")


def test_a_named_health_body_is_one_partner_not_its_kind_or_a_piece(nlp: Language) -> None:
    text = (
        "Loamshire Partnership NHS Foundation Trust and Wealdshire University Health Board took part; "
        "the Royal College of Psychiatrists advised. The NHS trust agreed."
    )
    partners = {(q, c) for q, label, c in _found(nlp, text) if label == "PARTNER"}
    assert ("Loamshire Partnership NHS Foundation Trust", None) in partners
    assert ("Wealdshire University Health Board", None) in partners
    assert ("Royal College of Psychiatrists", None) in partners
    assert ("NHS trust", "nhs-trust") in partners
    assert not {q for q, _c in partners if q in {"Loamshire Partnership", "Partnership NHS Foundation Trust"}}


def test_a_force_s_name_opening_its_police_authority_is_the_authority(nlp: Language) -> None:
    found = _found(nlp, "Cleveland Police Authority and the British Transport Police Authority met.")
    assert ("Cleveland Police Authority", "PARTNER", "police-authority") in found
    assert ("British Transport Police Authority", "PARTNER", "british-transport-police-authority") in found
    assert not [q for q, label, _c in found if label == "FORCE"]


def test_a_quoted_name_before_a_unit_word_is_a_unit(nlp: Language) -> None:
    found = _found(nlp, "The force set up the \u2018Harbour\u2019 team; staff called it 'good' team work.")
    assert [(q, label) for q, label, _c in found] == [("\u2018Harbour\u2019 team", "UNIT")]


def test_a_line_led_by_a_force_s_place_and_a_colon_is_the_force(nlp: Language) -> None:
    text = "Examples of practice:\nGwent: used volunteers to call victims back.\nDurham: The county is large.\n"
    assert {q for q, label, _c in _found(nlp, text) if label == "FORCE"} == {"Gwent"}


def test_older_scottish_forces_service_police_and_hmics(nlp: Language) -> None:
    text = "HMICS inspected Strathclyde Police; we inspected the Royal Navy Police and the RAF Police."
    found = _found(nlp, text)
    assert {c for _q, label, c in found if label == "FORCE"} == {
        "strathclyde-police",
        "royal-navy-police",
        "royal-air-force-police",
    }
    assert ("HMICS", "INSPECTORATE", "hmics") in found


# --- conventional names of unit kinds the vocabulary lacked ----------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the chief officer team under the names forces give it
        ("Loamshire's executive team agreed the plan.", {("executive team", "chief-officer-team")}),
        ("The executive leadership team meets weekly.", {("executive leadership team", "chief-officer-team")}),
        # the force's officers who work with schools, however the team is worded
        (
            "The safer schools partnership team visits every academy.",
            {("safer schools partnership team", "schools-team")},
        ),
        ("A schools liaison team covers the north.", {("schools liaison team", "schools-team")}),
        # a standing regional unit of several forces
        (
            "It works with the regional serious organised crime unit.",
            {("regional serious organised crime unit", "rocu")},
        ),
        # the multi-agency arrangements for children by another name
        (
            "It contributes to the multi-agency child protection arrangements.",
            {("multi-agency child protection arrangements", "multi-agency-safeguarding-arrangements")},
        ),
    ],
)
def test_conventional_names_of_unit_kinds(nlp: Language, text: str, want: set[tuple[str, str | None]]) -> None:
    assert _units(nlp, text) == want


def test_a_crime_bureau_and_resolution_teams_are_two_kinds_of_unit(nlp: Language) -> None:
    # recording crime and resolving it by telephone are two functions a force keeps apart
    found = _units(nlp, "It opened a crime bureau to record reports and resolution teams to investigate them.")
    assert found == {("crime bureau", "crime-management-unit"), ("resolution teams", "resolution-centre")}
    found = _units(nlp, "Its telephone investigation unit resolves minor crime.")
    assert found == {("telephone investigation unit", "resolution-centre")}


@pytest.mark.parametrize(
    "text",
    [
        # a topic, not the arrangements; a team of no function
        "The force has improved its child protection arrangements.",
        "The executive summary sets out the findings.",
        "A senior manager leads the team.",
    ],
)
def test_topics_and_summaries_are_no_units(nlp: Language, text: str) -> None:
    assert _units(nlp, text) == set()


# --- a short form the page spells out as something else -------------------------------------------


def test_a_short_form_the_page_defines_as_a_post_is_not_the_vocabulary_s_unit(nlp: Language) -> None:
    found = _found(nlp, "The force crime registrar (FCR) audits records. The FCR reports to the deputy.")
    assert not any(label == "UNIT" for _q, label, _c in found)


def test_a_short_form_the_page_defines_as_another_unit_names_that_unit(nlp: Language) -> None:
    # sharing only a head word ("unit") with the vocabulary's names is not the same unit
    found = _units(nlp, "Detainees go to the prisoner processing unit (PPU). The PPU was busy.")
    assert found == {("prisoner processing unit", None), ("PPU", None)}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the vocabulary's own long form
        ("The force control room (FCR) takes calls. The FCR is busy.", ("FCR", "control-room")),
        # a wording the vocabulary does not list that shares the name's words
        ("Its Professional Standards Directorate (PSD) is small. The PSD vets staff.", ("PSD", "psd")),
    ],
)
def test_a_short_form_the_page_spells_out_as_the_same_thing_keeps_its_concept(
    nlp: Language, text: str, want: tuple[str, str]
) -> None:
    assert want in _units(nlp, text)


# --- police custody as the function inspected -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Our joint inspections of police custody continue this year.", "police custody"),
        ("The chief raised two concerns around custody with the board.", "custody"),
        ("Inspectors judged the provision of custody in Loamshire.", "custody"),
    ],
)
def test_custody_as_the_function_inspected_is_the_custody_unit(nlp: Language, text: str, quote: str) -> None:
    assert _units(nlp, text) == {(quote, "custody")}


@pytest.mark.parametrize(
    "text",
    [
        "Two children were detained in police custody overnight.",
        "The management of custody officers was weak.",
        "He was taken into police custody and released on bail.",
    ],
)
def test_police_custody_as_detention_or_a_post_is_no_unit(nlp: Language, text: str) -> None:
    assert _units(nlp, text) == set()


# --- a force's own capitalised unit name ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a name whose words name no kind is the force's own unit, to review
        (
            "The introduction of a Recording Standards Bureau improved recording.",
            {("Recording Standards Bureau", None)},
        ),
        ("The Flying Squad arrested two men.", {("Flying Squad", None)}),
        ("The Serious Crime Directorate was formed in May.", {("Serious Crime Directorate", None)}),
        # a name whose words name a function is that kind of unit, whatever describes it
        ("The new Central Referral Desk opened.", {("Central Referral Desk", "referral-unit")}),
        (
            "Officers from the Online Child Abuse Unit attended.",
            {("Online Child Abuse Unit", "online-investigation-team")},
        ),
    ],
)
def test_a_capitalised_name_ending_in_a_unit_word_is_a_unit(
    nlp: Language, text: str, want: set[tuple[str, str | None]]
) -> None:
    assert _units(nlp, text) == want


@pytest.mark.parametrize(
    "text",
    [
        "The Recording Standards Bureau manager agreed.",  # a post
        "The Gold Command met twice.",  # a command structure, not a unit word the name rules read
        "The Home Office Data Bureau published figures.",  # a body outside the force
        "The IT Service Desk logs faults.",  # a desk for queries
        "Checks with the Criminal Records Bureau were slow.",  # a national body's earlier name
        "A new bureau opened, and the desk was busy.",  # no name at all
    ],
)
def test_posts_other_bodies_and_bare_head_words_are_no_capitalised_unit(nlp: Language, text: str) -> None:
    assert _units(nlp, text) == set()


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "branch" is a unit word like "department"
        ("The force's professional standards branch handles complaints.", {("professional standards branch", "psd")}),
        # "the force" before a unit's name is the force's own mention; the unit's name starts after it
        ("Calls are answered in the force communications room.", {("communications room", "control-room")}),
    ],
)
def test_more_unit_words_and_a_unit_named_after_the_force(
    nlp: Language, text: str, want: set[tuple[str, str | None]]
) -> None:
    assert _units(nlp, text) == want


def test_special_names_no_function_of_its_own(nlp: Language) -> None:
    # "Special Branch" is a kind by name; "special" alone does not make another unit that kind
    assert _units(nlp, "The Special Operations Unit and Special Branch met.") == {
        ("Special Operations Unit", None),
        ("Special Branch", "counter-terrorism-unit"),
    }


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Officers refer people to the Community Mental Health Team.",
            ("Community Mental Health Team", "mental-health-services"),
        ),
        ("Staff from the Liaison and Diversion Team attended.", ("Liaison and Diversion Team", "health")),
        ("The council's emergency duty team was called out.", ("emergency duty team", "childrens-social-care")),
    ],
)
def test_a_team_of_health_or_social_care_is_their_partner_kind_not_a_police_unit(
    nlp: Language, text: str, want: tuple[str, str]
) -> None:
    assert _partners(nlp, text) == {want}
    assert _units(nlp, text) == set()


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a plural capitalised name is the force's own kind of team
        ("The Rural Crime Teams patrol farms.", {("Rural Crime Teams", None)}),
        # public order units under their conventional names
        ("The Police Support Unit was deployed.", {("Police Support Unit", "public-order-unit")}),
        ("A tactical support group policed the protest.", {("tactical support group", "public-order-unit")}),
        # a capitalised name of words that say only where a team sits or how it is staffed names none
        ("Officers from the Specialist Team attended.", set()),
        ("The Police Units were busy, and the Central Team was small.", set()),
    ],
)
def test_capitalised_plural_names_public_order_units_and_names_of_no_function(
    nlp: Language, text: str, want: set[tuple[str, str | None]]
) -> None:
    assert _units(nlp, text) == want


def test_a_bureau_or_desk_the_page_names_with_an_acronym_is_a_unit_by_both_names(nlp: Language) -> None:
    found = _found(nlp, "The force set up a harm reduction desk (HRD). The HRD checks every case.")
    assert {(q, c) for q, label, c in found if label == "UNIT"} == {("harm reduction desk", None), ("HRD", None)}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a title-case heading: the unit's name starts after the heading's own words
        (
            "Reviewing Our Recording Standards Bureau\nThe bureau checks records.",
            {("Recording Standards Bureau", None)},
        ),
        ("Meet The Team\nWe are six officers.", set()),
    ],
)
def test_a_title_case_heading_round_a_unit_name_is_not_part_of_it(
    nlp: Language, text: str, want: set[tuple[str, str | None]]
) -> None:
    assert _units(nlp, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the page's short form for the function between the function's words and the head word
        (
            "Referrals go to the child sexual exploitation (CSE) team.",
            {("child sexual exploitation (CSE) team", "child-exploitation-team")},
        ),
        (
            "The serious and organised crime (SOC) unit investigates.",
            {("serious and organised crime (SOC) unit", "serious-organised-crime-unit")},
        ),
        # a short form after a topic, and a description with a short form, are no unit
        ("It tackles child sexual exploitation (CSE) through the team.", set()),
        ("The quality control (QC) team checks.", set()),
    ],
)
def test_a_short_form_inside_a_unit_s_name_is_part_of_it(
    nlp: Language, text: str, want: set[tuple[str, str | None]]
) -> None:
    assert _units(nlp, text) == want


@pytest.mark.parametrize(
    "text",
    [
        "The force's safeguarding governance board met.",
        "The force's Vulnerability and Safeguarding Board met.",
    ],
)
def test_a_governance_board_for_vulnerable_people_is_the_vulnerability_board(nlp: Language, text: str) -> None:
    assert {c for _q, c in _units(nlp, text)} == {"vulnerability-board"}
    assert len(_units(nlp, text)) == 1


@pytest.mark.parametrize(
    ("text", "old"),
    [
        (
            "Investigations now sit with the safeguarding hubs, previously called the criminal investigation "
            "department (CID). The hubs are busy.",
            "criminal investigation department",
        ),
        ("Last year its public protection team was renamed as the child protection team.", "public protection team"),
        ("The safeguarding hub (formerly the referral unit) is busy.", "referral unit"),
    ],
)
def test_a_unit_s_earlier_name_is_a_mention_of_the_unit_it_became(nlp: Language, text: str, old: str) -> None:
    units = _units(nlp, text)
    assert old in {q for q, _c in units}
    assert len({c for _q, c in units}) == 1


def test_a_unit_named_near_another_without_a_renaming_keeps_its_kind(nlp: Language) -> None:
    assert _units(nlp, "The CID investigates burglary, and the MASH shares information.") == {
        ("CID", "cid"),
        ("MASH", "mash"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "The commissioner's executive team reviewed the plan.",
        "The PCC's senior leadership team met.",
        "The Crown Prosecution Service's senior leadership team met.",
    ],
)
def test_the_leaders_of_a_body_outside_the_force_are_not_its_chief_officer_team(nlp: Language, text: str) -> None:
    assert _units(nlp, text) == set()


def test_the_force_s_own_leaders_are_its_chief_officer_team(nlp: Language) -> None:
    found = _units(nlp, "The chief constable and the executive team agreed with the PCC.")
    assert found == {("executive team", "chief-officer-team")}


def test_the_inspectorate_s_title_without_its_and_holds_no_fire_service(nlp: Language) -> None:
    text = "Her Majesty's Inspectorate of Constabulary Fire and Rescue Services published the report."
    assert [label for _q, label, _c in _found(nlp, text)] == ["INSPECTORATE"]


def test_a_named_consortium_is_a_partner(nlp: Language) -> None:
    found = _found(nlp, "The force joined the Loamshire Stalking Consortium last year.")
    assert ("Loamshire Stalking Consortium", "PARTNER", None) in found


def test_places_listed_with_a_force_s_full_name_are_forces(nlp: Language) -> None:
    found = _found(nlp, "Inspectors praised Merseyside Police, Durham and Dorset for it.")
    assert {q for q, label, _c in found if label == "FORCE"} == {"Merseyside Police", "Durham", "Dorset"}
    found = _found(nlp, "Officers from Kent Police spoke to Essex residents.")
    assert {q for q, label, _c in found if label == "FORCE"} == {"Kent Police"}
    found = _found(nlp, "Kent Police and Essex schools agreed.")
    assert {q for q, label, _c in found if label == "FORCE"} == {"Kent Police"}


def test_a_misspelt_name_followed_by_a_known_acronym_is_that_body(nlp: Language) -> None:
    found = _found(nlp, "The plan was agreed with the National Chief Constables Council (NPCC) last year.")
    assert ("National Chief Constables Council", "INSPECTORATE", "npcc") in found
    assert not [f for f in found if f[1] == "PARTNER"]


def test_the_force_s_leadership_team_is_its_chief_officer_team(nlp: Language) -> None:
    found = _found(
        nlp, "Its leadership team has since changed the culture.", own="https://w3id.org/hmi-kg/vocab/force/kent"
    )
    assert ("leadership team", "UNIT", "chief-officer-team") in found


def test_a_capitalised_name_ending_in_system_is_a_system_unless_a_sector(nlp: Language) -> None:
    text = "Permits go on the Loamshire Firearms Licensing System. The Criminal Justice System is slow."
    assert {(q, label) for q, label, _c in _found(nlp, text)} == {("Loamshire Firearms Licensing System", "SYSTEM")}


def test_a_named_agency_is_a_partner_and_multi_agency_is_no_agency(nlp: Language) -> None:
    found = _found(nlp, "The Loamshire Roads Agency joined the Multi-Agency Referral Group.")
    assert ("Loamshire Roads Agency", "PARTNER", None) in found
    assert not [q for q, _label, _c in found if "Multi" in q and q.endswith("Agency")]


def test_places_reports_are_published_for_or_that_head_a_report_title_are_forces(nlp: Language) -> None:
    text = (
        "Custody reports have been published for Gwent and Dorset.\n"
        "Kent and Essex \u2013 inspection of custody suites\n"
        "Children in Cumbria \u2013 and elsewhere \u2013 were safe.\n"
    )
    assert {q for q, label, _c in _found(nlp, text) if label == "FORCE"} == {"Gwent", "Dorset", "Kent", "Essex"}


def test_a_place_that_was_the_only_one_of_the_forces_is_a_force(nlp: Language) -> None:
    found = _found(nlp, "Kent was the only one of these forces judged outstanding.")
    assert ("Kent", "FORCE", "kent") in found


def test_a_partner_kind_as_a_post_s_remit_or_people_of_a_sector_is_no_partner(nlp: Language) -> None:
    text = "The Strategic Director for Social Care spoke. Mental health professionals were on call."
    assert not [q for q, label, _c in _found(nlp, text) if label == "PARTNER"]
    found = _found(nlp, "Police, health and education professionals met weekly.")
    assert {q for q, label, _c in found if label == "PARTNER"} == {"health", "education"}


def test_a_partner_kind_inside_a_post_or_a_level_is_no_partner(nlp: Language) -> None:
    text = (
        "Profiles are kept at local authority level. His Majesty's Chief Inspector of Fire & Rescue Services "
        "wrote to the local authority."
    )
    assert [q for q, label, _c in _found(nlp, text) if label == "PARTNER"] == ["local authority"]


def test_a_unit_phrase_before_a_post_word_is_the_post(nlp: Language) -> None:
    assert _found(nlp, "Calls are passed to the central referral desk within the hour.")
    assert not _found(nlp, "Calls are passed to the central referral desk agent within the hour.")


def test_childrens_safeguarding_boards_are_the_local_safeguarding_children_board(nlp: Language) -> None:
    assert ("Childrens Safeguarding Boards", "PARTNER", "lscb") in _found(
        nlp, "The force works with the Childrens Safeguarding Boards."
    )


def test_a_commissioner_s_office_named_with_its_place_is_the_office_not_the_force(nlp: Language) -> None:
    found = _found(nlp, "The Office of the Loamshire Police and Crime Commissioner and Durham Constabulary met.")
    assert ("Office of the Loamshire Police and Crime Commissioner", "PARTNER", "opcc") in found
    assert {q for q, label, _c in found if label == "FORCE"} == {"Durham Constabulary"}


def test_a_violence_reduction_unit_is_a_partner_and_an_order_is_legislation(nlp: Language) -> None:
    found = _found(nlp, "The violence reduction unit shares data under the Specified Information Order.")
    assert ("violence reduction unit", "PARTNER", "vru") in found
    assert ("Specified Information Order", "LEGISLATION", "uksi-2011-3050") in found


def test_more_partner_kinds_and_a_named_alliance(nlp: Language) -> None:
    text = "Academic institutions, substance misuse services and the Loamshire Justice Alliance took part."
    found = {(q, c) for q, label, c in _found(nlp, text) if label == "PARTNER"}
    assert found == {
        ("Academic institutions", "universities"),
        ("substance misuse services", "substance-misuse-services"),
        ("Loamshire Justice Alliance", None),
    }
