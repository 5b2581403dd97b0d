"""spaCy components of the entity pipeline, each declared with its contract.

``kg_legislation`` tags Act titles and section references by pattern;
``kg_candidates`` tags capitalised names that the text itself calls a team,
unit, hub, department, system, operation, programme or scheme, or council, which no vocabulary entry matched, so
they can be reviewed instead of lost. Both write ``doc.ents``: a vocabulary
match is never replaced; a statistical-model entity is replaced where a rule
overlaps it.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.entities.legislation import find_acts, find_sections, section_iri

#: Labels that rules and the vocabulary assign; other labels come from a model.
DOMAIN_LABELS = frozenset(
    {"FORCE", "UNIT", "SYSTEM", "LEGISLATION", "GUIDANCE", "PARTNER", "INSPECTORATE", "INITIATIVE", "RISK_TOOL"}
)

SOURCE_ATTR = "kg_source"
SECTION_ATTR = "kg_section"
CANDIDATE_ATTR = "kg_candidate"


def register_extensions() -> None:
    """Declare the Span attributes our components set (idempotent).

    ``kg_source`` says which rule made the entity; ``kg_section`` holds the
    number of a section whose Act is not named next to it; ``kg_candidate``
    the name to review for an entity no vocabulary entry knows.
    """
    for name in (SOURCE_ATTR, SECTION_ATTR, CANDIDATE_ATTR):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def merge_ents(doc: Doc, spans: Iterable[Span], *, replace_domain: bool = False) -> None:
    """Add ``spans`` to ``doc.ents``: a new span wins over overlapping model entities.

    Args:
        doc: The document.
        spans: New entities (non-overlapping among themselves).
        replace_domain: Also replace overlapping domain entities that the new
            span strictly contains (a longer Act title over a shorter name).
    """
    ents = list(doc.ents)
    for span in spans:
        overlapping = [e for e in ents if e.start < span.end and span.start < e.end]
        blocked = False
        for e in overlapping:
            if e.label_ in DOMAIN_LABELS:
                contains = span.start <= e.start and e.end <= span.end and len(span) > len(e)
                if not (replace_domain and contains):
                    blocked = True
                    break
        if blocked:
            continue
        ents = [e for e in ents if e not in overlapping]
        ents.append(span)
    doc.ents = sorted(ents, key=lambda e: e.start)


class LegislationTagger:
    """Tag Act titles and section references (see ``kg.entities.legislation``)."""

    def __init__(self, acts: dict[str, str]) -> None:
        self.acts = dict(acts)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        acts = find_acts(text, self.acts)
        new: list[Span] = []
        for act in acts:
            span = doc.char_span(act.start, act.end, label="LEGISLATION", span_id=act.iri)
            if span is None:
                continue
            span._.set(SOURCE_ATTR, "vocab" if act.known else "pattern")
            if not act.known:
                span._.set(CANDIDATE_ATTR, act.title)
            new.append(span)
        for sec in find_sections(text, acts):
            iri = section_iri(sec.act.iri, sec.number) if sec.act is not None else ""
            span = doc.char_span(sec.start, sec.end, label="LEGISLATION", span_id=iri)
            if span is None:
                continue
            span._.set(SOURCE_ATTR, "pattern")
            if sec.act is None:
                span._.set(SECTION_ATTR, sec.number)
            new.append(span)
        new.sort(key=lambda s: s.start)
        merge_ents(doc, new, replace_domain=True)
        return doc


@Language.factory(
    "kg_legislation",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type", "span._.kg_source"],
    requires=[],
    default_config={"acts": {}},
)
def make_legislation_tagger(nlp: Language, name: str, acts: dict[str, str]) -> LegislationTagger:
    """Create a LegislationTagger; ``acts`` maps Act names (lookup keys) to IRIs."""
    register_extensions()
    return LegislationTagger(acts)


# Words that, following a capitalised name, say what kind of thing it is.
_HEADS: dict[str, str] = {
    "team": "UNIT",
    "teams": "UNIT",
    "unit": "UNIT",
    "units": "UNIT",
    "department": "UNIT",
    "hub": "UNIT",
    "system": "SYSTEM",
    "database": "SYSTEM",
    "operation": "INITIATIVE",
}
_SYSTEM_MODIFIERS = frozenset({"computer", "it", "information", "records", "recording", "management"})
# Capitalised last words that make a name an organisation to review.
_ORG_HEADS: dict[str, str] = {
    "Council": "PARTNER",
    "University": "PARTNER",
    "Trust": "PARTNER",
    "Foundation": "PARTNER",
    "Charity": "PARTNER",
    "Partnership": "PARTNER",
    "Consortium": "PARTNER",
    "Alliance": "PARTNER",
    "Agency": "PARTNER",
    "Hospital": "PARTNER",
    "School": "PARTNER",
    "Academy": "PARTNER",
}
#: Last words of a longer organisation's name that an earlier head word can sit inside: "Loamshire
#: Partnership NHS Foundation Trust", "Loamshire University Health Board".
_ORG_TAIL_HEADS = frozenset(_ORG_HEADS) | {"Board"}


def _org_name_goes_on(doc: Doc, i: int) -> bool:
    """Whether the capitalised words after head word ``i`` end in another organisation head word.

    Then ``i`` is inside the longer name ("Partnership" in "... Partnership NHS
    Trust"), and the later head word takes the whole name.
    """
    j = i + 1
    while j < len(doc) and j - i <= 4 and _is_name_word(doc[j]):
        if doc[j].text in _ORG_TAIL_HEADS:
            return True
        j += 1
    return False


#: Labels of the bodies outside a force: a team named after one ("the HMICFRS Data Team") is theirs, not a police unit.
OTHER_BODY_LABELS = frozenset({"INSPECTORATE", "PARTNER"})
_OPERATION_WORDS = frozenset({"Operation", "Op", "Project"})
#: Capitalised words after "Project"/"Operation" that make a heading or a role, not a name ("Project Team").
_NOT_A_NAME_AFTER_OPERATION = frozenset(
    "team teams unit board group manager managers management lead leads officer officers plan plans "
    "update updates summary overview".split()
)
# Capitalised last words that make a capitalised name a scheme or programme
# ("Greater Manchester Complex Safeguarding Programme", "Cop a Bike Scheme").
#: A capitalised name ending in one of these is a force's own named unit ("the Recording Standards Bureau",
#: "the Flying Squad"); "Centre", "Command", "Suite" and "Room" are not here: capitalised, they as often
#: end a partner's or a place's name ("Referral Centre", "Gold Command"), and are read only by function.
_UNIT_HEADS = frozenset(
    {"Unit", "Team", "Hub", "Department", "Bureau", "Squad", "Desk", "Directorate"}
    | {"Units", "Teams", "Hubs", "Departments"}
)
_INITIATIVE_HEADS = frozenset({"Programme", "Program", "Scheme", "Project", "Initiative", "Protocol", "Campaign"})
#: Capitalised last words that make a capitalised name a system ("the Loamshire Firearms Licensing System").
_SYSTEM_HEADS = frozenset({"System", "Database"})
#: Words that make a "System" a sector of public life, not an IT system ("the Criminal Justice System").
_SECTOR_SYSTEM_WORDS = frozenset({"justice", "care", "health", "education", "benefits", "court", "courts", "legal"})
_CAPITALISED_HEADS: dict[str, str] = (
    {h: "UNIT" for h in _UNIT_HEADS}
    | {h: "INITIATIVE" for h in _INITIATIVE_HEADS}
    | {h: "SYSTEM" for h in _SYSTEM_HEADS}
)
# A programme named after inspections or assessments is the inspectorate's
# own programme of work ("National Child Protection Inspection Programme"),
# which the metadata records; it is not a scheme a force runs.
_INSPECTION_WORDS = frozenset({"inspection", "inspections", "peel", "inspectorate"})
_NAME_JOINERS = frozenset({"of", "and", "for", "the", "&"})


def _is_name_word(token: Token) -> bool:
    text = token.text
    return (
        bool(text) and text[0].isupper() and any(c.isalpha() for c in text) and not token.is_punct and text not in {"I"}
    )


def _trim_sentence_start(tokens: list[Token]) -> list[Token]:
    # A sentence's first word is capitalised anyway: it opens a name only if
    # it is in capitals ("DII team") or other capitalised words follow it and
    # it is not a function word ("Darlington Borough Council" but not "The").
    if tokens and tokens[0].is_sent_start and not tokens[0].text.isupper():
        if len(tokens) == 1 or tokens[0].is_stop:
            tokens = tokens[1:]
    return tokens


def _name_before(doc: Doc, end: int, taken: list[bool]) -> list[Token]:
    """Capitalised words ending just before token ``end`` (with joiners inside)."""
    words: list[Token] = []
    i = end - 1
    while i >= 0 and len(words) < 6 and not taken[i]:
        tok = doc[i]
        if _is_name_word(tok):
            words.insert(0, tok)
        elif tok.lower_ in _NAME_JOINERS and words and i > 0 and _is_name_word(doc[i - 1]) and not taken[i - 1]:
            words.insert(0, tok)
        else:
            break
        i -= 1
    while words and words[0].lower_ in _NAME_JOINERS:
        words = words[1:]
    words = _trim_sentence_start(words)
    # "In the Harbour Review Team": the sentence's first word goes, and then the joiner after it.
    while words and words[0].lower_ in _NAME_JOINERS:
        words = words[1:]
    return words


#: Capitalised words that open or join a title-case heading's phrase, never a word of a unit's own name
#: ("Meet The Team", "Reviewing Our Recording Standards Bureau").
_HEADING_WORDS = frozenset(
    "the a an our your their its his her my we you they how why what through with within about into from to "
    "in on at by meet".split()
)


def _after_heading_words(words: list[Token]) -> list[Token]:
    """The words of a unit's name after the last capitalised heading word among them (all, if none)."""
    cut = max((n + 1 for n, w in enumerate(words) if w.lower_ in _HEADING_WORDS and w.text[:1].isupper()), default=0)
    return words[cut:]


_QUOTES = frozenset({"'", '"'})


def _quoted_name_before(doc: Doc, end: int, taken: list[bool]) -> int | None:
    """Where a quoted capitalised name ending at token ``end`` opens (its opening quote), or None.

    "the 'Harbour' team": one to three words in quotes, the first capitalised,
    right before the head word; the head word makes the quoted name a team's.
    """
    if end < 3 or doc[end - 1].text not in _QUOTES:
        return None
    for start in range(end - 2, max(-1, end - 6), -1):
        if doc[start].text == doc[end - 1].text:
            inner = doc[start + 1 : end - 1]
            ok = 1 <= len(inner) <= 3 and _is_name_word(inner[0]) and not any(taken[start:end])
            return start if ok and all(not tok.is_punct or tok.text == "-" for tok in inner) else None
    return None


#: Words after a unit's head word that make the phrase a post ("Team leader", "Unit manager"), not the unit:
#: in a list of staff, the name before it is a person's ("Jo Bloggs Team leader").
_POST_AFTER_HEAD = frozenset("leader leaders manager managers member members lead leads head supervisor".split())


def _post_follows(doc: Doc, i: int) -> bool:
    """Whether the word after token ``i`` (a unit's head word) makes the phrase a post."""
    return i + 1 < len(doc) and doc[i + 1].lower_ in _POST_AFTER_HEAD


def _name_goes_on(doc: Doc, i: int) -> bool:
    """Whether the capitalised name goes on past token ``i`` ("Optional Protocol to the Convention ...").

    Then the head word is not the name's last word, and a candidate ending
    there would be a clipped piece of a longer name.
    """
    j = i + 1
    # Not across "and": "the Harbour Review Team and the Bridgeford Partnership" are two names.
    while j < len(doc) and doc[j].lower_ in (_NAME_JOINERS - {"and", "&"}) | {"to", "on", "against"}:
        j += 1
    return j > i + 1 and j < len(doc) and _is_name_word(doc[j])


class CandidateTagger:
    """Tag names the text calls a team, unit, system, operation or council."""

    def __call__(self, doc: Doc) -> Doc:
        new: list[Span] = []
        taken = [False] * len(doc)
        other_body = [False] * len(doc)
        for e in doc.ents:
            if e.label_ in DOMAIN_LABELS:
                for i in range(e.start, e.end):
                    taken[i] = True
                    other_body[i] = e.label_ in OTHER_BODY_LABELS

        def owned_by_other_body(words: list[Token]) -> bool:
            # "the Ofsted Social Care Team", "Home Office Analysis Unit": the team of a body outside the force.
            j = words[0].i - 1
            if j >= 0 and doc[j].text in {"'s", "\u2019s"}:
                j -= 1
            return j >= 0 and other_body[j]

        def add(start: int, end: int, label: str) -> None:
            if start >= end or any(taken[start:end]):
                return
            span = Span(doc, start, end, label=label)
            span._.set(SOURCE_ATTR, "cue")
            span._.set(CANDIDATE_ATTR, span.text)
            new.append(span)
            for i in range(start, end):
                taken[i] = True
                # A council or trust named here owns a team named after it ("... County Council Licensing Team").
                other_body[i] = label in OTHER_BODY_LABELS

        for i, tok in enumerate(doc):
            # "Operation Crystal", "Project Vigilant"
            if (
                tok.text in _OPERATION_WORDS
                and i + 1 < len(doc)
                and _is_name_word(doc[i + 1])
                and doc[i + 1].lower_ not in _NOT_A_NAME_AFTER_OPERATION
            ):
                j = i + 1
                while j < len(doc) and _is_name_word(doc[j]) and j - i <= 3:
                    j += 1
                add(i, j, "INITIATIVE")
                continue
            low = tok.lower_
            # "the Erase team", "the Red Sigma computer system"
            if low in _HEADS and tok.text.islower():
                end = i
                if _HEADS[low] == "SYSTEM":
                    while end > 0 and doc[end - 1].lower_ in _SYSTEM_MODIFIERS and end > i - 2:
                        end -= 1
                words = _name_before(doc, end, taken)
                # An acronym before "team"/"system" usually names a topic
                # ("CSE team", "SOC system", "IT system"), not the thing itself;
                # an "Inspection team" is the inspectorate's.
                acronym_only = all(w.text.isupper() for w in words)
                inspecting = any(w.lower_ in _INSPECTION_WORDS for w in words)
                post = _HEADS[low] == "UNIT" and (_post_follows(doc, i) or bool(words and owned_by_other_body(words)))
                if words and words[-1].i == end - 1 and not acronym_only and not inspecting and not post:
                    add(words[0].i, end, _HEADS[low])
                # "the 'Harbour' team": a name the page puts in quotes before the head word.
                elif not words and (quoted := _quoted_name_before(doc, end, taken)) is not None and not post:
                    add(quoted, i + 1, _HEADS[low])
                # "the police system (Sleuth)", "its operating system, Red Sigma,"
                if _HEADS[low] == "SYSTEM" and i + 2 < len(doc) and doc[i + 1].text in {"(", ","}:
                    j = i + 2
                    while j < len(doc) and _is_name_word(doc[j]) and j - i <= 5:
                        j += 1
                    if j > i + 2 and j < len(doc) and doc[j].text in {")", ",", "."}:
                        add(i + 2, j, "SYSTEM")
                continue
            # "the Risk Triage Unit" (UNIT), "the Greater Manchester Complex
            # Safeguarding Programme" (INITIATIVE): a capitalised name whose own
            # last word says what it is.
            if tok.text in _CAPITALISED_HEADS:
                words = _name_before(doc, i, taken)
                if _CAPITALISED_HEADS[tok.text] == "UNIT":
                    words = _after_heading_words(words)
                if (
                    not _name_goes_on(doc, i)
                    and not (_CAPITALISED_HEADS[tok.text] == "UNIT" and _post_follows(doc, i))
                    and words
                    and words[-1].i == i - 1
                    and not (_CAPITALISED_HEADS[tok.text] == "UNIT" and owned_by_other_body(words))
                    and not all(w.text.isupper() for w in words)
                    and not any(w.lower_ in _INSPECTION_WORDS for w in words)
                    and not (tok.text in _SYSTEM_HEADS and any(w.lower_ in _SECTOR_SYSTEM_WORDS for w in words))
                ):
                    add(words[0].i, i + 1, _CAPITALISED_HEADS[tok.text])
                continue
            # "Durham County Council", "Northumbria University", "Loamshire Partnership NHS Trust", and a
            # Welsh health board ("Loamshire University Health Board")
            is_health_board = tok.text == "Board" and i > 0 and doc[i - 1].text == "Health"
            hyphened = i > 0 and doc[i - 1].text == "-"  # "Multi-Agency ...": a modifier, not a body's name
            if (tok.text in _ORG_HEADS or is_health_board) and not hyphened and not _org_name_goes_on(doc, i):
                words = _name_before(doc, i, taken)
                if words and words[-1].i == i - 1 and not (is_health_board and len(words) < 2):
                    add(words[0].i, i + 1, "PARTNER")
                continue
            # "the Royal College of Psychiatrists": a professional body is a partner.
            if tok.text == "Royal" and doc[i + 1 : i + 3].text == "College of" and i + 3 < len(doc):
                j = i + 3
                while j < len(doc) and _is_name_word(doc[j]) and j - i <= 6:
                    j += 1
                if j > i + 3:
                    add(i, j, "PARTNER")
        merge_ents(doc, sorted(new, key=lambda s: s.start))
        merge_ents(doc, self._named_bodies_of_a_kind(doc), replace_domain=True)
        return doc

    @staticmethod
    def _named_bodies_of_a_kind(doc: Doc) -> list[Span]:
        """Named organisations whose last words are a partner kind: "Loamshire Partnership NHS Trust".

        The vocabulary knows "NHS trust" and "health board" as kinds; with a
        name before them they are one named body, a candidate for review, and
        not the bare kind.
        """
        taken = [False] * len(doc)
        for e in doc.ents:
            for i in range(e.start, e.end):
                taken[i] = True
        out: list[Span] = []
        for e in doc.ents:
            if e.label_ != "PARTNER" or e[-1].text not in _ORG_TAIL_HEADS or not _is_name_word(e[0]):
                continue
            words = _name_before(doc, e.start, taken)
            if words and words[-1].i == e.start - 1 and not all(w.text.isupper() for w in words):
                span = Span(doc, words[0].i, e.end, label="PARTNER")
                span._.set(SOURCE_ATTR, "cue")
                span._.set(CANDIDATE_ATTR, span.text)
                out.append(span)
        return out


@Language.factory(
    "kg_candidates",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type", "span._.kg_candidate"],
    requires=["token.is_sent_start"],
)
def make_candidate_tagger(nlp: Language, name: str) -> CandidateTagger:
    """Create a CandidateTagger (see class docstring)."""
    register_extensions()
    return CandidateTagger()
