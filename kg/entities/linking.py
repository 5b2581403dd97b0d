"""Turn pipeline output into EntityMention records linked to vocabulary IRIs."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as TokenSpan

from kg.entities.acronyms import SHORT_FORM_IN_BRACKETS, Acronym, learn_acronyms, redefined_acronyms, spells_out
from kg.entities.boilerplate import is_capitals_line, is_garbled, is_menu_line, is_notice, line_at
from kg.entities.components import (
    CANDIDATE_ATTR,
    DOMAIN_LABELS,
    OTHER_BODY_LABELS,
    SECTION_ATTR,
    SOURCE_ATTR,
    register_extensions,
)
from kg.entities.legislation import section_iri
from kg.entities.pipeline import model_filter_of, unit_kinds_of, vocabulary_of
from kg.entities.plausible import ModelFilter
from kg.entities.sectors import sector_mentions
from kg.entities.text import normalise
from kg.entities.unitkinds import UnitKinds, names_no_function, unit_phrases
from kg.entities.vocab import HMI, OWN_FORCE, Vocabulary
from kg.extract.spans import LabelledSpans
from kg.records import EntityMention, Span

#: Model labels kept; an unlinked ORG is a candidate, the others are plain mentions.
MODEL_LABELS = frozenset({"ORG", "PERSON", "GPE", "DATE"})
_ORG_TRIM = re.compile(r"^(?:the\s+)|(?:'s|')$", re.IGNORECASE)
_LEAD_TRIM = re.compile(r"^(?:(?:the|across|in)\s+)+", re.IGNORECASE)
_TAIL_TRIM = re.compile(r"(?:'s|'|[\s(\[\],.;:])+$")
#: A partner named as the modifier of "area" ("each local authority area")
#: names a place, not the body; as the modifier of "inspection(s)" ("fire &
#: rescue service inspections") it names a sector the inspectorate inspects.
#: Before a post ("a health services inspector", "a children's social care
#: manager") it names a person's job, not the body.
_NOT_THE_BODY_AFTER = re.compile(
    r"\s+(?:areas?|levels?|inspections?|inspectors?|managers?|directors?|lead\s+officers?|designated\s+officers?)\b",
    re.IGNORECASE,
)
#: "a council's Director of Social Care", "the Minister for Health": a partner kind after a post's
#: "of"/"for" is the post's remit, not the body.
_POST_BEFORE = re.compile(
    r"\b(?:[Dd]irector|[Hh]ead|[Mm]inister|[Ss]ecretary|[Cc]ommissioner|[Ll]ead)\s+(?:of|for)\s+$"
)
#: "... Inspector of Constabulary and Fire & Rescue Services" (or with the "and" left out): the partner
#: kind is the tail of a post's (or the inspectorate's) title, not a partner; so it is after "Chief
#: Inspector of" ("His Majesty's Chief Inspector of Fire & Rescue Services").
_TITLE_BEFORE = re.compile(r"\b(?:of\s+Constabulary(?:\s+and|\s*,|\s*&)?|Inspectors?\s+of)\s+$")
#: "Loamshire Police and Crime Commissioner", "Loamshire police, fire and crime panel", "the Loamshire Police
#: and Crime Plan": the force's name opens a post's, a body's or a plan's title; the force is not named.
_GOVERNANCE_AFTER_FORCE = re.compile(
    r"(?:\s+police)?(?:\s*,)?(?:\s+fire)?\s+(?:and|&)\s+crime\s+(?:commissioner|panel|plan)", re.IGNORECASE
)
#: "a Home Office force", "the 43 Home Office police forces": the body's name sorts forces into a class (the
#: forces it funds or oversees); the body itself is not the subject.
_CLASS_OF_FORCE_AFTER = re.compile(r"\)?(?:[ \t]+\([A-Za-z]{2,6}\))?[ \t]+(?:police[ \t]+)?forces?\b", re.IGNORECASE)
#: "Cleveland Police Authority", "the British Transport Police Authority": a force's name opening the
#: name of the body that oversees it.
_AUTHORITY_AFTER_FORCE = re.compile(r"[ \t]+Authority\b")


def _police_authorities(clean: str, raws: list[_Raw], vocabulary: Vocabulary) -> list[_Raw]:
    """``raws`` with each force name that opens a police authority's name made that authority.

    The authority is a partner (the body that oversaw a force before police
    and crime commissioners, and still oversees British Transport Police);
    the force inside its name is not a mention of the force.
    """
    authority = vocabulary.lookup("police authority")
    if authority is None:
        return raws
    out: list[_Raw] = []
    for r in raws:
        m = _AUTHORITY_AFTER_FORCE.match(clean, r.end) if r.label == "FORCE" and r.source != "model" else None
        out.append(_Raw(r.start, m.end(), "PARTNER", authority.iri, "pattern", None) if m else r)
    return out


#: "the Office of the Loamshire Police and Crime Commissioner": the commissioner's office with the place
#: (or the force's name) inside its title.
_PLACED_COMMISSIONER_OFFICE = re.compile(
    r"\bOffice\s+of\s+the\s+(?:[A-Z][\w'\u2019&-]*\s+){1,4}?(?:Police\s*,?\s+)?(?:Fire\s+)?(?:and|&)\s+Crime\s+"
    r"Commissioner\b"
)


def _commissioner_offices(
    clean: str, segments: Sequence[tuple[int, int]], raws: list[_Raw], vocabulary: Vocabulary
) -> list[_Raw]:
    """``raws`` with each commissioner's office named with its place made one partner mention of the office.

    The vocabulary knows "Office of the Police and Crime Commissioner"; a
    page writes the force's place into it, and the name then holds a force's
    name that is not a mention of the force.
    """
    office = vocabulary.lookup("Office of the Police and Crime Commissioner")
    if office is None:
        return raws
    found = [m.span() for s, e in segments for m in _PLACED_COMMISSIONER_OFFICE.finditer(clean, s, e)]
    if not found:
        return raws
    kept = [r for r in raws if not any(s <= r.start and r.end <= e for s, e in found)]
    return kept + [_Raw(s, e, "PARTNER", office.iri, "pattern", None) for s, e in found]


#: A known short form in brackets right after a name: "the National Chief Constables Council (NPCC)".
_BRACKETED_SHORT = re.compile(r"[ \t]*" + SHORT_FORM_IN_BRACKETS.pattern)


def _candidates_named_by_their_acronym(clean: str, raws: list[_Raw], vocabulary: Vocabulary) -> list[_Raw]:
    """``raws`` with each candidate name the page follows with a known acronym it spells out made that concept.

    "The National Chief Constables Council (NPCC)": the page misnames the
    council's name, but the acronym it gives and the words they share say
    which body it is, so it is that body, not a new partner to review.
    """
    out: list[_Raw] = []
    for r in raws:
        if r.concept is None and r.source == "cue" and (m := _BRACKETED_SHORT.match(clean, r.end)):
            concept = vocabulary.lookup(m.group("short"))
            if concept is not None and spells_out(clean[r.start : r.end], concept):
                r = _Raw(r.start, r.end, concept.label, concept.iri, "acronym", None)
        out.append(r)
    return out


#: "the Secretary of State for the Home Department": the department is the tail of a minister's title.
_MINISTER_BEFORE = re.compile(r"\bSecretary\s+of\s+State\s+for\s+(?:the\s+)?$")


def _trim_model_span(text: str, start: int, end: int, *, lead_words: bool) -> tuple[int, int]:
    """Drop a leading "the" (names only), a possessive, spaces and stray brackets."""
    chunk = text[start:end]
    if chunk.count("(") > chunk.count(")"):
        end = start + chunk.rindex("(")
        chunk = text[start:end]
    lead = _LEAD_TRIM.match(chunk) if lead_words else None
    if lead and lead.end() < len(chunk):
        start += lead.end()
        chunk = text[start:end]
    tail = _TAIL_TRIM.search(chunk)
    if tail and tail.start() > 0:
        end = start + tail.start()
    return start, end


@dataclass(frozen=True, slots=True)
class _Raw:
    start: int
    end: int
    label: str
    concept: str | None
    source: str
    candidate: str | None
    section: str | None = None


_NAME_TAIL = re.compile(r"(?:[ \t]+(?:(?:of|on|for|and|the|&)[ \t]+)*[A-Z][\w'-]*)+")


def _extend_name(text: str, end: int, limit: int) -> int:
    """End of an organisation name the model clipped: through "of/on/and (the)" and capitalised words on the line.

    The model often stops early in long official names ("Royal Commission"
    for "Royal Commission on the Police"). Each step of the pattern ends on
    a capitalised word, so the name never ends on a joiner; it never runs
    into the next entity (``limit``).
    """
    m = _NAME_TAIL.match(text, end, limit)
    return m.end() if m is not None else end


def _guess_in_furniture(ent: TokenSpan, *, garbled: bool) -> bool:
    """Whether an entity is a guess (the model's, or a name rule's) read from boilerplate or garbled text.

    A copyright or licence notice, an address or contact line, a line in
    capitals or a menu of links, and interleaved PDF columns are not what a page says about
    policing (``kg.entities.boilerplate``): a name the vocabulary knows is
    still a mention there, but a guess is dropped. A section number is kept
    (it is read by its own pattern, not from the words round it).
    """
    source = ent._.get(SOURCE_ATTR)
    if ent.label_ in DOMAIN_LABELS:
        # A name rule's guess carries the name to review; a section number does not.
        if source not in {"cue", "pattern"} or ent._.get(CANDIDATE_ATTR) is None:
            return False
    elif ent.label_ not in MODEL_LABELS or ent.label_ == "DATE":
        return False
    if garbled or is_notice(ent.sent.text):
        return True
    line = line_at(ent.doc.text, ent.start_char, ent.end_char)
    return ent.label_ in MODEL_LABELS and (is_capitals_line(line) or is_menu_line(line))


def _raw_from_doc(
    doc: Doc, offset: int, vocabulary: Vocabulary, model_filter: ModelFilter, lower_words: frozenset[str]
) -> list[_Raw]:
    out: list[_Raw] = []
    ents = list(doc.ents)
    garbled = is_garbled(doc.text)
    for n, ent in enumerate(ents):
        start, end = offset + ent.start_char, offset + ent.end_char
        source = ent._.get(SOURCE_ATTR)
        if _guess_in_furniture(ent, garbled=garbled):
            continue
        if ent.label_ in DOMAIN_LABELS:
            iri = ent.ent_id_ or None
            if ent.text.endswith(".") and ent[-1].text[-2:-1].isupper():
                end -= 1  # "Code C." at a sentence's end: the stop is not part of the name
            out.append(
                _Raw(start, end, ent.label_, iri, source or "vocab", ent._.get(CANDIDATE_ATTR), ent._.get(SECTION_ATTR))
            )
        elif ent.label_ in MODEL_LABELS:
            s, e = _trim_model_span(doc.text, ent.start_char, ent.end_char, lead_words=ent.label_ != "DATE")
            start, end = offset + s, offset + e
            name = _ORG_TRIM.sub("", doc.text[s:e]).strip() if ent.label_ == "ORG" else doc.text[s:e]
            if ent.label_ == "ORG":
                concept = vocabulary.lookup(name)
                if concept is not None and not concept.own_force_reference:
                    out.append(_Raw(start, end, concept.label, concept.iri, "model", None))
                    continue
            if ent.label_ == "ORG":
                e = _extend_name(doc.text, e, ents[n + 1].start_char if n + 1 < len(ents) else len(doc.text))
                end = offset + e
                name = _ORG_TRIM.sub("", doc.text[s:e]).strip()
            line_start = doc.text[:s].rstrip(" \t").endswith("\n") or not doc.text[:s].strip()
            previous = doc.text[:s].split()
            label = model_filter.judge(
                ent.label_,
                name,
                doc.text,
                line_start=line_start,
                before=previous[-1] if previous else "",
                lower_words=lower_words,
                after=next(iter(doc.text[e:].split()), "").strip(",.;:"),
                preceding=doc.text[max(0, s - 60) : s].rsplit("\n", 1)[-1],
            ).label
            if label is None:
                continue
            candidate = " ".join(name.split()) if label == "ORG" else None
            out.append(_Raw(start, end, label, None, "model", candidate))
    return out


def _acronym_mentions(
    text: str,
    segments: Sequence[tuple[int, int]],
    acronyms: dict[str, Acronym],
    taken: list[tuple[int, int, str]],
) -> tuple[list[_Raw], set[tuple[int, int]]]:
    """Mentions of learnt acronyms, and the vocabulary spans their long forms displace.

    A long form the document defines ("child exploitation response team
    (CERT)") names one specific team; a generic name of the same label
    inside it ("response team") is part of that name, not a mention of its
    own, so it gives way (returned in the second item).
    """
    if not acronyms:
        return [], set()
    out: list[_Raw] = []
    displaced: set[tuple[int, int]] = set()
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(acronyms, key=len, reverse=True)) + r")s?\b")
    spans = LabelledSpans(taken)

    def free(s: int, e: int, label: str | None = None) -> bool:
        for a, b, lab in spans.overlapping(s, e):
            if (a, b) not in displaced:
                if label is not None and lab == label and s <= a and b <= e and (a, b) != (s, e):
                    continue
                return False
        return True

    for seg_start, seg_end in segments:
        for m in pattern.finditer(text, seg_start, seg_end):
            acr = acronyms[m.group(1)]
            if not free(m.start(), m.end()):
                continue
            out.append(
                _Raw(m.start(), m.end(), acr.label, acr.concept, "acronym", None if acr.concept else acr.long_form)
            )
            spans.add(m.start(), m.end(), acr.label)
        for acr in acronyms.values():
            s, e = acr.long_start, acr.long_end
            if acr.concept is None and seg_start <= s < seg_end and free(s, e, acr.label):
                displaced.update(
                    (a, b) for a, b, lab in spans.overlapping(s, e) if s <= a and b <= e and lab == acr.label
                )
                out.append(_Raw(s, e, acr.label, None, "acronym", acr.long_form))
                spans.add(s, e, acr.label)
    return out, displaced


#: The words a force's full name ends in; what is left is its place name ("Durham").
_FORCE_SUFFIX = re.compile(r"\s+(?:constabulary|police(?:\s+(?:service|force))?|force)$", re.IGNORECASE)
#: What follows a force's place name at the head of a title line that names the force:
#: "Durham – National child protection inspection", "Durham PEEL 2015", "Northumbria 2014".
_TITLE_TAIL = r"(?=[ \t]*(?:[\u2010-\u2015\u2212:|-]|PEEL\b|(?:19|20)\d\d\b))"


def _own_places(own_force: str, vocabulary: Vocabulary) -> set[str]:
    """The own force's bare place names ("Durham" of "Durham Constabulary")."""
    concept = vocabulary.get(own_force)
    if concept is None:
        return set()
    places = {_FORCE_SUFFIX.sub("", n.strip()) for n in concept.names}
    return {p for p in places if p and not p.isupper() and _FORCE_SUFFIX.search(p) is None}


#: Words before a place name that make it the area ("policing in Durham", "the area of Durham").
_LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|across|throughout|around|within|near|at)|\b(?:areas?|county|city|mayor|people|residents)\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: A dash after the place makes it the head of a report's title ("the Kent – National child protection inspection").
_TITLE_DASH_AFTER = re.compile(r"[ \t]*[\u2010-\u2015\u2212-][ \t]")


def _places_as_force(text: str, raws: list[_Raw], own_force: str, vocabulary: Vocabulary) -> list[_Raw]:
    """The model's places that are the own force's place name heading a report's title.

    "in the Kent – National child protection inspection": a dash after the
    place makes it the head of a report's title, and so the force, whatever
    the words before it. Elsewhere the model's place stays a place unless the
    words round it make it the force as an organisation ("Northumbria's
    performance", "we graded Cleveland as inadequate"), which
    ``_listed_forces`` reads for every force, with or without the model; a
    place the model sees is not the force for that alone ("Kent has many
    coastal towns", "suites in Ashford, Kent and Dover").
    """
    places = {p.lower() for p in _own_places(own_force, vocabulary)}
    out: list[_Raw] = []
    for r in raws:
        if r.source == "model" and r.label == "GPE" and " ".join(text[r.start : r.end].split()).lower() in places:
            if _TITLE_DASH_AFTER.match(text, r.end):
                r = _Raw(r.start, r.end, "FORCE", own_force, "model", None)
        out.append(r)
    return out


def _title_force_mentions(
    text: str, segments: Sequence[tuple[int, int]], own_force: str, vocabulary: Vocabulary, raws: list[_Raw]
) -> list[_Raw]:
    """The own force's bare place name heading a title line, as a mention of the force.

    Publication pages title a force's report with the force's place alone
    ("Durham – National child protection inspection"); there the place names
    the force, which may be named nowhere else on the page. Elsewhere a bare
    place name stays a place ("children in Durham"). Only the report's own
    force is taken, so a title line naming a county that is not the force is
    never read as some force.
    """
    places = _own_places(own_force, vocabulary)
    if not places:
        return []
    names = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
    head = re.compile(rf"(?m)^[ \t]*(?P<place>{names}){_TITLE_TAIL}")
    out: list[_Raw] = []
    for seg_start, seg_end in segments:
        for m in head.finditer(text, seg_start, seg_end):
            s, e = m.span("place")
            if not any(r.start < e and s < r.end for r in raws):
                out.append(_Raw(s, e, "FORCE", own_force, "pattern", None))
    return out


#: What a list of force places ends in: "Dorset, Suffolk, and Avon and Somerset police forces",
#: "Durham and Cleveland police".
_FORCES_AFTER = r"\s+(?:(?:police\s+)?(?:forces|constabularies)|police(?!\s*,?\s+(?:and|fire|&)\b))\b"
#: Nouns after a place name that make it the area, not a force ("Essex residents", "Kent schools").
_AREA_NOUNS = (
    r"(?:residents|people|public|communities|community|area|areas|county|roads|schools|children|families|"
    r"businesses|towns|villages)\b"
)
#: A force's full name ends in its organisation word ("Greater Manchester Police", "Kent Police Service").
_FULL_FORCE_NAME = re.compile(r"\b(?:police|constabulary|police\s+service|police\s+force)$", re.IGNORECASE)
#: What a list of force places follows: "the forces inspected were Cumbria, Durham and Northumbria",
#: "forces such as Kent and Essex", "the three forces (Kent, Essex and Suffolk)".
_FORCES_BEFORE = (
    r"\b(?:forces|constabularies)(?:\s+[a-z]+){0,3}?\s*,?\s*"
    r"(?:(?:were|are|:|include|included|including|namely|in|such\s+as|like|of)\s+|\(\s*)"
)
#: Words after a force's place name that make it the force as an organisation: a grade or a judgment
#: ("Cumbria is good at", "Avon and Somerset was graded", "Cumbria was given a good rating"), what a
#: force must, did or does do ("Cumbria needs to improve", "Cumbria has improved", "Cumbria understands"),
#: or what it has as an organisation ("Cumbria's performance", "Cumbria's senior leaders"). An area grows,
#: covers and has a population; it does not record crimes, train staff or get graded.
_AS_ORGANISATION_AFTER = re.compile(
    r"(?:['\u2019]s\s+(?:performance|approach|approaches|response|leadership|officers|staff|workforce|"
    r"chief\s+constable|chief\s+officers?|senior\s+(?:leaders|leadership|team|officers|managers)|crime[- ]recording|"
    r"grades?|grading|effectiveness|efficiency|legitimacy|control\s+room|custody|call\s+handlers|investigations?|"
    r"use\s+of|plans?|planning|processes|systems?|training|culture|vetting|professional\s+standards|"
    r"understanding|supervisors?|supervision|governance|command\s+team|commitment|progress|capability|capacity|"
    r"neighbourhood\s+(?:teams|policing|officers)|response\s+(?:teams|officers)|child\s+protection\s+work|"
    r"safeguarding\s+(?:arrangements|teams?)|public\s+protection\s+(?:unit|department|teams?)|own)\b"
    r"|\s+(?:is|was|were|are|has\s+been|have\s+been|remains|remained)\s+"
    r"(?:(?:now|still|also|therefore|both|all|again|clearly)\s+)?"
    r"(?:outstanding|good|adequate|inadequate|graded|judged|assessed|rated|inspected|requires?\s+improvement|"
    r"required\s+improvement|effective|ineffective|efficient|inefficient|committed|investing|improving|"
    r"developing|(?:given|awarded|handed)\s+(?:an?|the)\s+[^.\n]{0,40}?\b(?:rating|grade|grading|judgment))\b"
    r"|\s+(?:needs?\s+to|should|must)\s+(?:(?:now|also|urgently|further|continue\s+to)\s+)?[a-z]{3,}\b"
    r"|\s+(?:has|had|have)\s+(?:now\s+|also\s+|recently\s+|since\s+)?(?:improved|made|responded|developed|"
    r"introduced|achieved|taken|put|set\s+up|reduced|increased|invested|recruited|accepted|agreed|completed|"
    r"started|begun|adopted|established|created|implemented|reviewed|restructured|launched|trained|appointed|"
    r"changed|worked|continued|failed|demonstrated|shown|identified|recognised|embedded|ensured|prioritised|"
    r"allocated|addressed|strengthened|maintained|sustained|acted)\b"
    r"|\s+(?:understands|recognises|records|investigates|responds|prioritises|deploys|supervises|trains|"
    r"complies|collaborates|publishes|allocates|demonstrates|tackles|safeguards|monitors|engages)\b"
    r"|\s+(?:is|was|are|were)\s+(?:the\s+only\s+)?(?:one\s+of|among)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:forces|constabularies)\b"
    r"|\s+(?:does\s+not|did\s+not|doesn't|didn't)\s+(?:yet\s+|always\s+|fully\s+|consistently\s+|effectively\s+)?"
    r"(?:have|understand|record|use|know|meet|ensure|provide|comply|make|take|identify|assess|manage|investigate)\b)"
)
#: Words before a place name that make it the force: "we graded Cumbria as", "found that Cumbria", "the
#: report for Cumbria", "the inspection for Cumbria", "our assessment of Cumbria" (a report, an
#: inspection for a place or an assessment is of a force; an area inspection "of Durham" may be of the area).
_AS_ORGANISATION_BEFORE = re.compile(
    r"\b(?:graded|judged|assessed|rated|inspected|found\s+that|concluded\s+that|compared\s+with|"
    r"recommend\s+that|recommended\s+that|expect|expects|congratulate|commend|told|asked|wrote\s+to|"
    r"(?:report|reports|inspection\s+report|inspections?)\s+(?:for|on)|(?:assessment|assessments)\s+(?:for|on|of)|"
    r"published\s+for)\s+$",
    re.IGNORECASE,
)
#: A title line naming a force by its place after the inspection's name: "PEEL 2016: Cumbria".
_PEEL_TITLE_BEFORE = r"(?m)^[ \t]*PEEL\b[^\n:]{0,40}:[ \t]*"


def _force_places(vocabulary: Vocabulary) -> dict[str, str]:
    """Each force's bare place name (lower case) mapped to the force ("durham" -> Durham Constabulary)."""
    by_place: dict[str, str] = {}
    for concept in vocabulary.concepts:
        if concept.label == "FORCE" and not concept.own_force_reference:
            for name in concept.names:
                place = _FORCE_SUFFIX.sub("", name.strip())
                if place != name.strip() and place and not place.isupper():
                    by_place.setdefault(place.lower(), concept.iri)
    return by_place


def _listed_forces(
    text: str, segments: Sequence[tuple[int, int]], vocabulary: Vocabulary, raws: list[_Raw]
) -> list[_Raw]:
    """Force place names the text itself calls police forces, and place names standing for a force.

    A place alone is a place, but in a list the text calls police forces
    ("Bedfordshire and Cheshire police forces", "the forces inspected were
    Cumbria and Durham") each place is a force, whichever force the page is
    about; so is a place name graded, judged or told what to do ("we
    graded Cumbria as good", "Cumbria needs to improve"), which only an
    organisation can be.
    """
    by_place = _force_places(vocabulary)
    if not by_place:
        return []
    one = "(?:" + "|".join(re.escape(p) for p in sorted(by_place, key=len, reverse=True)) + ")"
    items = rf"{one}(?:(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){one})*"
    listing = re.compile(rf"\b{items}(?={_FORCES_AFTER})", re.IGNORECASE)
    listed_after = re.compile(rf"{_FORCES_BEFORE}(?P<items>{items})\b", re.IGNORECASE)
    titled = re.compile(rf"{_PEEL_TITLE_BEFORE}(?P<items>{items})\b", re.IGNORECASE)
    # "Kent and Essex – inspection of custody suites": places heading a title
    # line, a dash, then the inspection or report it names.
    dashed = re.compile(
        rf"(?m)^[ \t]*(?P<items>{items})[ \t]*[\u2013\u2014:-][ \t]*[^\n]{{0,40}}?\b(?:inspection|PEEL|report)",
        re.IGNORECASE,
    )
    # "Gwent: used hate crime champions", a list of forces and what each did: a line led by a place and a
    # colon, then a verb or phrase in lower case (an area's description would open with a figure or capital).
    labelled = re.compile(
        rf"(?m)^[ \t]*(?:[-\u2022*\u00b7][ \t]*)?(?P<items>{items}):[ \t]+(?=(?-i:[a-z]))", re.IGNORECASE
    )
    single = re.compile(rf"\b{one}\b", re.IGNORECASE)
    coordinated = re.compile(rf"\b{items}\b", re.IGNORECASE)
    joiner = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)"
    after_force = re.compile(rf"{joiner}(?P<items>{items})\b(?![ \t]+(?:(?-i:[A-Z])|{_AREA_NOUNS}))", re.IGNORECASE)
    before_force = re.compile(rf"(?<![\w ])[ \t]*\b(?P<items>{items}){joiner}$", re.IGNORECASE)
    out: list[_Raw] = []

    def add(s: int, e: int) -> None:
        iri = by_place.get(text[s:e].lower())
        if iri and text[s : s + 1].isupper() and not any(r.start < e and s < r.end for r in raws + out):
            out.append(_Raw(s, e, "FORCE", iri, "pattern", None))

    for seg_start, seg_end in segments:
        for m in listing.finditer(text, seg_start, seg_end):
            for p in single.finditer(text, m.start(), m.end()):
                add(*p.span())
        for m in listed_after.finditer(text, seg_start, seg_end):
            for p in single.finditer(text, m.start("items"), m.end("items")):
                add(*p.span())
        for pattern in (titled, labelled, dashed):
            for m in pattern.finditer(text, seg_start, seg_end):
                for p in single.finditer(text, m.start("items"), m.end("items")):
                    add(*p.span())
        # A place, or a list of places ("Durham and Cleveland were graded"), standing for forces; not
        # the area ("crime in Durham has reduced").
        for m in coordinated.finditer(text, seg_start, seg_end):
            s, e = m.span()
            if _AS_ORGANISATION_BEFORE.search(text, max(0, s - 40), s) or (
                _AS_ORGANISATION_AFTER.match(text, e) and not _LOCATIVE_BEFORE.search(text, max(0, s - 30), s)
            ):
                for p in single.finditer(text, s, e):
                    add(*p.span())
    # Places in one list with a force's full name ("Merseyside Police, Durham and Dorset") are forces like
    # it; the list stays inside the name's segment.
    ordered = sorted(segments)
    starts = [s for s, _e in ordered]
    for r in raws:
        if r.label != "FORCE" or not _FULL_FORCE_NAME.search(text, max(0, r.end - 20), r.end):
            continue
        i = bisect_right(starts, r.start) - 1
        if i < 0 or r.start >= ordered[i][1]:
            continue
        seg_start, seg_end = ordered[i]
        for listed in (
            after_force.match(text, r.end, seg_end),
            before_force.search(text, max(seg_start, r.start - 120), r.start),
        ):
            if listed is not None:
                for p in single.finditer(text, listed.start("items"), listed.end("items")):
                    add(*p.span())
    return out


#: "the Council", "the County Council": a page's bare title for a local authority it has in mind.
#: Not "the Council of Europe", "the council tax", nor a longer capitalised name ("the Sentencing Council").
_BARE_COUNCIL = re.compile(
    r"\b[Tt]he\s+(?P<name>(?:(?:County|City|Borough|District|Unitary|Town|Metropolitan\s+Borough)\s+)?Council)\b"
    r"(?!\s+(?:of|for|tax)\b)(?![ \t]+[A-Z])"
)


def _bare_councils(
    text: str, segments: Sequence[tuple[int, int]], vocabulary: Vocabulary, raws: list[_Raw]
) -> tuple[list[_Raw], list[_Raw]]:
    """A capitalised "the Council" as a mention of the local authority kind, and the candidates it replaces.

    Scrutiny papers and joint protocols say "the Council" for the local
    authority they are written for; the name rules either miss it or make
    a candidate of "County Council", which is a kind, not a name. Returns
    (new mentions, raws to drop).
    """
    concept = vocabulary.lookup("local authority")
    if concept is None:
        return [], []
    out: list[_Raw] = []
    drop: list[_Raw] = []
    for seg_start, seg_end in segments:
        for m in _BARE_COUNCIL.finditer(text, seg_start, seg_end):
            s, e = m.span("name")
            over = [r for r in raws if r.start < e and s < r.end]
            if any(r.concept is not None or r.start < s or r.end > e for r in over):
                continue
            drop += over
            out.append(_Raw(s, e, "PARTNER", concept.iri, "pattern", None))
    return out, drop


#: "the Panel": a police and crime panel's minutes name the panel so. Not "the Panel of ...", nor a longer
#: capitalised name ("the Panel Chair").
_BARE_PANEL = re.compile(r"\b[Tt]he\s+(?P<name>Panel)\b(?!\s+(?:of|for|on)\b)(?![ \t]+[A-Z])")
#: What makes a page one about policing governance, where "the Panel" is the police and crime panel.
_GOVERNANCE = re.compile(r"\b(?:Police(?:,\s+Fire)?\s+and\s+Crime\s+(?:Commissioner|Panel)|PCC|PFCC)\b")


def _bare_panels(
    text: str, segments: Sequence[tuple[int, int]], vocabulary: Vocabulary, raws: list[_Raw]
) -> list[_Raw]:
    """A capitalised "the Panel" on a page about a commissioner or a panel, as the police and crime panel.

    A panel's minutes say "The Panel asked the Police and Crime Commissioner about ...": the
    panel is the body that scrutinises the commissioner (guideline, PARTNER). Elsewhere a bare "the
    Panel" may be any panel, so the page must name a commissioner or a police and crime panel.
    """
    concept = vocabulary.lookup("police and crime panel")
    if concept is None or not _GOVERNANCE.search(text):
        return []
    return _free_matches(text, segments, _BARE_PANEL, "name", raws, "PARTNER", concept.iri)


def _free_matches(
    text: str,
    segments: Sequence[tuple[int, int]],
    pattern: re.Pattern[str],
    group: str,
    raws: list[_Raw],
    label: str,
    iri: str,
) -> list[_Raw]:
    """Mentions of one concept where ``pattern``'s ``group`` matches in a segment and no other mention is."""
    out: list[_Raw] = []
    for seg_start, seg_end in segments:
        for m in pattern.finditer(text, seg_start, seg_end):
            s, e = m.span(group)
            if not any(r.start < e and s < r.end for r in raws):
                out.append(_Raw(s, e, label, iri, "pattern", None))
    return out


#: "the 1856 Act": an Act named by its year alone, after the page has given its full title.
_ACT_BY_YEAR = re.compile(r"\b[Tt]he\s+(?P<name>(?P<year>1[89]\d\d|20\d\d)\s+Act)\b")


def _acts_by_year(text: str, segments: Sequence[tuple[int, int]], raws: list[_Raw]) -> list[_Raw]:
    """ "The 1856 Act" as a mention of the one Act of that year the page names in full.

    Reports give an Act's title once and then shorten it to its year. With
    no Act of that year named, or two, the short form is left alone rather
    than guessed.
    """
    by_year: dict[str, set[str]] = {}
    for r in raws:
        if r.label == "LEGISLATION" and r.concept and "/section/" not in r.concept:
            year = re.search(r"\b(1[89]\d\d|20\d\d)\s*$", text[r.start : r.end])
            if year:
                by_year.setdefault(year.group(1), set()).add(r.concept)
    out: list[_Raw] = []
    for seg_start, seg_end in segments:
        for m in _ACT_BY_YEAR.finditer(text, seg_start, seg_end):
            acts = by_year.get(m.group("year"), set())
            s, e = m.span("name")
            if len(acts) == 1 and not any(r.start < e and s < r.end for r in raws):
                out.append(_Raw(s, e, "LEGISLATION", next(iter(acts)), "pattern", None))
    return out


#: "custody" naming the function a force runs (a unit), not the state of being detained:
#: "within custody", "the management of custody", "inspections of police custody", "concerns around
#: custody". ("Custody officers" and "custody sergeants" are posts; "in police custody" is detention.)
_CUSTODY_FUNCTION = re.compile(
    r"\b(?i:within|around|(?:management|oversight|governance|leadership|running|inspections?|provision)\s+of)"
    r"\s+(?P<a>(?i:police\s+)?custody)\b(?!\s+(?i:officers?|sergeants?|staff|records?)\b)"
)


def _custody_function(
    text: str, segments: Sequence[tuple[int, int]], vocabulary: Vocabulary, raws: list[_Raw]
) -> list[_Raw]:
    """Bare "custody" where it names the force's custody function, as a mention of the custody unit kind.

    The vocabulary names the suite and the service; a bare "custody" is most
    often the state of being detained ("children in custody", "released
    from custody"), so it is a unit only where the words round it make it
    something managed or staffed.
    """
    concept = vocabulary.lookup("custody suite")
    if concept is None:
        return []
    return _free_matches(text, segments, _CUSTODY_FUNCTION, "a", raws, "UNIT", concept.iri)


#: A name the page gives in quotes to something it runs: "a 'diary car'", "its 'call-back desk'".
_QUOTED_NAME = re.compile(
    r"\b(?:a|an|the|its|their|our|his|her)\s+['\u2018\"\u201c](?P<name>[A-Za-z][\w-]*(?:\s+[\w-]+){0,3})['\u2019\"\u201d]"
)
#: Last words that make a quoted name a scheme or a standing team: what a force runs, not an idiom or a grade.
_QUOTED_HEADS = {
    **dict.fromkeys("team unit hub cell squad".split(), "UNIT"),
    **dict.fromkeys(
        "car van bus desk scheme programme project initiative service line clinic panel app surgery "
        "card pack kit board cafe room day week campaign model".split(),
        "INITIATIVE",
    ),
}


def _quoted_names(text: str, segments: Sequence[tuple[int, int]], raws: list[_Raw]) -> list[_Raw]:
    """A short quoted name a force gives a scheme or a team, as a candidate to review.

    The guideline counts a quoted name ("a 'call-back desk'") as a name. Quotes
    also mark grades, idioms and words used loosely ("a 'good' service"), so
    only a name whose last word says what kind of thing it is (a car, a desk,
    a team...) is taken.
    """
    out: list[_Raw] = []
    for seg_start, seg_end in segments:
        for m in _QUOTED_NAME.finditer(text, seg_start, seg_end):
            words = m.group("name").split()
            label = _QUOTED_HEADS.get(words[-1].lower())
            s, e = m.span("name")
            # A lone quoted head word ("a 'team' approach") names nothing.
            if label is not None and len(words) >= 2 and not any(r.start < e and s < r.end for r in raws):
                out.append(_Raw(s, e, label, None, "cue", m.group("name")))
    return out


#: Labels of the organisations that make a list a list of agencies ("police, health and education").
_AGENCY_LABELS = frozenset({"PARTNER", "FORCE", "INSPECTORATE", "ORG"})


def _sector_words(
    text: str, segments: Sequence[tuple[int, int]], vocabulary: Vocabulary, raws: list[_Raw]
) -> list[_Raw]:
    """Bare sector words standing for their agencies in a list of agencies, as mentions of the partner kind."""
    found = sector_mentions(
        text,
        segments,
        vocabulary.sector_words(),
        [(r.start, r.end) for r in raws if r.label in _AGENCY_LABELS],
        [(r.start, r.end) for r in raws],
    )
    return [_Raw(m.start, m.end, "PARTNER", m.concept, "pattern", None) for m in found]


def _unit_phrases(
    text: str, segments: Sequence[tuple[int, int]], kinds: UnitKinds, raws: list[_Raw]
) -> tuple[list[_Raw], list[_Raw]]:
    """Lower-case units named by function and head word ("the force's vulnerability desk"), as the unit kind
    they are, or as a unit to review where two kinds fit. Returns (new mentions, raws they replace)."""
    rules = [r for r in raws if r.source != "model"]
    named = [(r.start, r.end, r.concept) for r in rules if r.label == "UNIT" and r.concept is not None]
    # A capitalised name the name rules took as a unit to review ("the Loamshire Vulnerability Desk")
    # is read here too: where its last words name a function, the unit kind replaces the bare name.
    to_review = [r for r in rules if r.label == "UNIT" and r.concept is None and r.source == "cue"]
    taken = [(r.start, r.end) for r in rules if r not in to_review]
    out: list[_Raw] = []
    replaced: list[_Raw] = []
    for p in unit_phrases(text, segments, kinds, taken, named):
        under = [r for r in to_review if r.start < p.end and p.start < r.end]
        if under:
            if p.concept is None or any(r.end != p.end for r in under):
                continue  # the name stays a unit to review
            replaced += under
        if p.replaces is not None:
            replaced += [r for r in rules if (r.start, r.end) == p.replaces and r.label == "UNIT"]
        out.append(
            _Raw(p.start, p.end, "UNIT", p.concept, "pattern" if p.concept else "cue", None if p.concept else p.name)
        )
    # A capitalised name of neutral words only ("the Specialist Team") names no unit.
    replaced += [r for r in to_review if r.candidate is not None and names_no_function(r.candidate)]
    # The model's guesses give way to a unit read here.
    replaced += [r for r in raws if r.source == "model" and any(u.start < r.end and r.start < u.end for u in out)]
    return out, replaced


def _singular_short(name: str) -> str:
    """A short form without its plural "s" ("FCRs"), as the acronyms are keyed."""
    return name[:-1] if len(name) > 2 and name.endswith("s") and name[:-1].isupper() else name


#: Words between a unit and its earlier name: "the vulnerability hubs, formerly known as the CID".
_FORMERLY = re.compile(
    r"\s*,?\s*(?:\(\s*)?(?:(?:that|which)\s+)?(?:(?:was|were|had\s+been|has\s+been|have\s+been)\s+)?"
    r"(?:formerly|formally|previously)\s+(?:known\s+as|called|named)?\s*(?:the\s+)?",
    re.IGNORECASE,
)
#: Words between a unit's earlier name and its new one: "its public protection team was renamed as the ...".
_RENAMED = re.compile(
    r"\s*(?:was|were|has\s+been|have\s+been|had\s+been)\s+renamed\s+(?:as\s+|to\s+)?(?:the\s+)?",
    re.IGNORECASE,
)


def _earlier_unit_names(text: str, raws: list[_Raw]) -> list[_Raw]:
    """A unit's earlier name, as the page gives it, is a mention of the unit it became.

    The guideline makes a body's earlier name one entry with its present one;
    "the vulnerability hubs, formerly known as the CID" does not say anything
    about the CID the force no longer has. The earlier name (and its short
    form in brackets just after it) takes the present unit's kind or name.
    """
    units = [r for r in raws if r.label == "UNIT"]
    renamed: dict[_Raw, _Raw] = {}
    for a, b in zip(units, units[1:], strict=False):
        between = text[a.end : b.start]
        if _FORMERLY.fullmatch(between):
            old, new = b, a
        elif _RENAMED.fullmatch(between):
            old, new = a, b
        else:
            continue
        new = renamed.get(new, new)
        renamed[old] = new
        short = next(
            (u for u in units if u.start > old.end and re.fullmatch(r"\s*\(\s*", text[old.end : u.start])), None
        )
        if short is not None:
            renamed[short] = new
    return [
        _Raw(r.start, r.end, r.label, renamed[r].concept, r.source, renamed[r].candidate) if r in renamed else r
        for r in raws
    ]


#: Owners of a leadership team that is not the force's: "the commissioner's executive team".
_OTHER_OWNER_BEFORE = re.compile(
    r"\b(?:commissioner|commissioners|pcc|opcc|mayor|council|panel)['\u2019]s?\s+(?:own\s+)?$", re.IGNORECASE
)
_LEADERS = "/chief-officer-team"


def _leaders_of_another_body(text: str, raw: _Raw, raws: list[_Raw]) -> bool:
    """Whether a chief officer team's name ("executive team", "senior leadership team") belongs to a body
    outside the force: its commissioner's, a council's or a partner's leaders are not the force's."""
    if raw.label != "UNIT" or not (raw.concept or "").endswith(_LEADERS):
        return False
    before = text[max(0, raw.start - 40) : raw.start]
    if _OTHER_OWNER_BEFORE.search(before):
        return True
    owner = re.search(r"['\u2019]s?\s+$", before)
    return owner is not None and any(
        r.label in {"PARTNER", "INSPECTORATE"} and r.end == raw.start - len(owner.group()) for r in raws
    )


def _infer_own_force(raws: list[_Raw]) -> str | None:
    named = Counter(r.concept for r in raws if r.label == "FORCE" and r.concept and r.concept != OWN_FORCE)
    if not named:
        return None
    first = {c: i for i, c in reversed(list(enumerate(r.concept for r in raws)))}
    return sorted(named, key=lambda c: (-named[c], first.get(c, 0)))[0]


def _force_by_place(text: str, vocabulary: Vocabulary) -> str | None:
    """The one force whose place name the page uses, for a page that says "the Force" but names none.

    A commissioner's or council's page writes "In Loamshire the Force has
    ..." without the force's full name. Where exactly one force's place
    name occurs, "the force" is that force; with none or several it stays
    unresolved (and is not reported), as before.
    """
    found: set[str] = set()
    for concept in vocabulary.concepts:
        if concept.label != "FORCE" or concept.own_force_reference:
            continue
        for name in concept.names:
            place = _FORCE_SUFFIX.sub("", name.strip())
            if place != name.strip() and place and not place.isupper() and re.search(rf"\b{re.escape(place)}\b", text):
                found.add(concept.iri)
                break
    return found.pop() if len(found) == 1 else None


def find_mentions(
    doc_id: str,
    text: str,
    segments: Sequence[tuple[int, int]],
    nlp: Language,
    *,
    own_force: str | None = None,
) -> list[EntityMention]:
    """Find and link the entity mentions of one document.

    Why: extraction works on passages (segments) but a mention must point
    into the whole document, and some decisions need the whole document: an
    acronym defined once in brackets names the same thing everywhere after,
    a bare "section 47" belongs to the Act last named, and "the force" is the
    report's own force.

    Args:
        doc_id: Document id recorded on each mention.
        text: The document's full text.
        segments: ``(start, end)`` character ranges of ``text`` to read.
        nlp: A pipeline from ``build_nlp``.
        own_force: IRI of the report's own force, for "the force" and "the
            constabulary". If None, the force the document names most often is
            used; if it names none, those generic phrases are not reported.

    Returns:
        Mentions sorted by start offset (then end, label); spans slice ``text``.
    """
    register_extensions()
    vocabulary = vocabulary_of(nlp)
    model_filter = model_filter_of(nlp)
    for start, end in segments:
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"{doc_id}: segment {start}..{end} is outside the text (length {len(text)})")
    clean = normalise(text)
    acronyms = learn_acronyms(((s, clean[s:e]) for s, e in segments), vocabulary)
    redefined = redefined_acronyms(((s, clean[s:e]) for s, e in segments), vocabulary)
    raws: list[_Raw] = []
    # Words the document writes in lower case: a capitalised phrase made only of them is a description.
    lower_words = frozenset(re.findall(r"\b[a-z][a-z'-]+\b", clean))
    for doc, (start, _end) in nlp.pipe(((clean[s:e], (s, e)) for s, e in segments), as_tuples=True):
        raws.extend(_raw_from_doc(doc, start, vocabulary, model_filter, lower_words))
    # A short form the page spells out as something else is not the vocabulary's concept here.
    raws = [r for r in raws if not (r.source == "vocab" and _singular_short(clean[r.start : r.end]) in redefined)]
    acronym_raws, displaced = _acronym_mentions(
        clean, segments, acronyms, [(r.start, r.end, r.label) for r in raws if r.source != "model"]
    )
    # A learnt acronym is better evidence than the statistical model's guess.
    raws = [
        r
        for r in raws
        if (r.start, r.end) not in displaced
        and (r.source != "model" or not any(a.start < r.end and r.start < a.end for a in acronym_raws))
    ]
    raws.extend(acronym_raws)
    raws = _police_authorities(clean, raws, vocabulary)
    raws = _candidates_named_by_their_acronym(clean, raws, vocabulary)
    raws = _commissioner_offices(clean, segments, raws, vocabulary)
    raws = [
        r
        for r in raws
        if not (
            r.label == "PARTNER"
            and (
                _NOT_THE_BODY_AFTER.match(clean, r.end)
                or _TITLE_BEFORE.search(clean, max(0, r.start - 40), r.start)
                or _POST_BEFORE.search(clean, max(0, r.start - 40), r.start)
            )
        )
        and not (r.label == "INSPECTORATE" and _MINISTER_BEFORE.search(clean, max(0, r.start - 40), r.start))
        and not (r.label in OTHER_BODY_LABELS and _CLASS_OF_FORCE_AFTER.match(clean, r.end))
        and not (r.label == "FORCE" and _GOVERNANCE_AFTER_FORCE.match(clean, r.end))
        # A candidate holding a name reviewed and rejected ("Integrated PEEL Assessment programme") is dropped.
        and not (r.concept is None and r.candidate is not None and model_filter.rejects(r.candidate))
    ]
    # Drop the model's places that a listed force covers, then add the forces.
    listed = _listed_forces(clean, segments, vocabulary, [r for r in raws if r.source != "model"])
    raws = [r for r in raws if not (r.source == "model" and any(f.start < r.end and r.start < f.end for f in listed))]
    raws.extend(listed)
    councils, replaced = _bare_councils(clean, segments, vocabulary, raws)
    raws = [r for r in raws if r not in replaced] + councils
    raws.extend(_bare_panels(clean, segments, vocabulary, raws))
    raws.extend(_acts_by_year(clean, segments, raws))
    raws.extend(_custody_function(clean, segments, vocabulary, raws))
    raws.extend(_quoted_names(clean, segments, raws))
    raws.extend(_sector_words(clean, segments, vocabulary, raws))
    units, replaced = _unit_phrases(clean, segments, unit_kinds_of(nlp), raws)
    raws = [r for r in raws if r not in replaced] + units
    raws.sort(key=lambda r: (r.start, r.end, r.label))
    raws = _earlier_unit_names(clean, raws)
    raws = [r for r in raws if not _leaders_of_another_body(clean, r, raws)]

    if own_force is None:
        own_force = _infer_own_force(raws)
    if own_force is None and any(r.concept == OWN_FORCE for r in raws):
        own_force = _force_by_place(clean, vocabulary)
    if own_force is not None:
        raws = _places_as_force(clean, raws, own_force, vocabulary)
        raws.extend(_title_force_mentions(clean, segments, own_force, vocabulary, raws))
        raws.sort(key=lambda r: (r.start, r.end, r.label))
    mentions: list[EntityMention] = []
    last_act: str | None = None
    for raw in raws:
        concept, source, candidate = raw.concept, raw.source, raw.candidate
        if concept == OWN_FORCE:
            if own_force is None:
                continue
            concept = own_force
        if raw.label == "LEGISLATION" and concept and "/section/" not in concept:
            last_act = concept
        if raw.section is not None:
            if last_act is None:
                concept, candidate = None, clean[raw.start : raw.end]
            else:
                concept = section_iri(last_act, raw.section)
        if raw.label == "LEGISLATION" and concept and "/section/" in concept:
            known = vocabulary.get(concept)
            source = "vocab" if known is not None and known.cls == HMI + "LegislationSection" else "pattern"
        mentions.append(
            EntityMention(
                doc_id=doc_id,
                span=Span(start=raw.start, end=raw.end, quote=text[raw.start : raw.end]),
                label=raw.label,
                concept=concept,
                candidate_name=candidate,
                source=source,  # type: ignore[arg-type]
            )
        )
    return mentions
