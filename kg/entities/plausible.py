"""Decide whether an entity the statistical model proposes is worth keeping.

The general English model was trained on news, not on inspection pages: on
the development set most of its organisations were page furniture, headings,
programme names and job titles ("Foreword", "PEEL", "Inspector of
Constabulary"), and some of its people were dates or forces ("01/05/2019",
"Durham"). A model entity is kept only where no rule or vocabulary entry
already covers the span (the linker sees to that) and the span is plausible
for its label by the general rules below, so the model adds names and never
noise. Names reviewed and rejected are listed in ``ontology/vocab`` as
``hmi:NotAnEntity`` (one Turtle line each), like any other review outcome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.entities.text import key
from kg.entities.vocab import Vocabulary

_MONTHS = (
    "january february march april may june july august september october november december "
    "spring summer autumn winter monday tuesday wednesday thursday friday saturday sunday"
).split()
_DATE_WORD = re.compile(r"\b(?:\d{4}|\d{1,2}|" + "|".join(_MONTHS) + r")\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;]['\")\]]*\s*$")
_NAME_WORD = re.compile(r"^(?:[A-Z][a-z\u00e0-\u00ff'\u2019-]+|[A-Z]\.?|Mc[A-Z][a-z]+|O'[A-Z][a-z]+)$")
_FORCE_TAIL = re.compile(r"\s+(?:constabulary|police(?:\s+(?:service|force))?|force)$", re.IGNORECASE)
#: Words that open a job title, a rank or a form of address, not a name ("Inspector of Constabulary", "DCI Jones").
_TITLES = frozenset(
    "inspector inspectors inspectorate councillor councillors chief constable commissioner commissioners "
    "officer officers superintendent sergeant minister secretary mayor director head deputy assistant "
    "mr mrs ms dr sir dame lord lady pcc constabulary hmi "
    # police ranks as written before a name ("DCI Jones", "Supt Patel")
    "dci di ds dc pc sgt insp supt acc dcc det detective".split()
)
#: Words of the Crown's honorific before a post ("HM Inspector of Constabulary", "Her Majesty's Chief Inspector").
_HONORIFIC = frozenset({"hm", "her", "his", "majesty's", "majesty\u2019s", "majestys"})


def _post_after_honorific(words: list[str]) -> bool:
    """Whether the name is a post after the Crown's honorific: "HM Inspector of Constabulary".

    "HM Inspectorate of ..." is the body, not a post, so only an inspector or a chief follows.
    """
    i = 0
    while i < len(words) - 1 and words[i].lower().strip(".") in _HONORIFIC:
        i += 1
    return i > 0 and words[i].lower() in {"inspector", "inspectors", "chief"}


#: Words that make a name a publication, an inspection or a programme, not an organisation.
_PUBLICATION_WORDS = frozenset(
    "inspection inspections review reviews report reports assessment assessments framework "
    "findings overview foreword contents summary introduction conclusion annex appendix page cookies "
    "transcript survey "
    # documents, standards and duties: what an organisation writes or must do, not the organisation
    "strategy strategies policy policies statement statements model guidance standard standards code codes "
    "duty charter toolkit manual handbook procedure procedures principles regulations".split()
)
#: Words that make a capitalised phrase an organisation's name ("Harbour View Consulting", "Gold Group").
_ORG_HEADS = frozenset(
    "office department ministry association council college agency service services board commission authority "
    "committee group unit team division command trust foundation charity society partnership university school "
    "academy company ltd limited llp plc consulting consultancy institute institution centre center bureau court "
    "courts network alliance federation union club church hospital clinic police constabulary force inspectorate "
    "panel forum directorate executive tribunal".split()
)
#: Lower-case words after a name that make it part of a post ("Jo Bloggs Team leader", "Harbour Unit manager").
_POST_AFTER = frozenset("leader leaders manager managers lead member members director chair officer".split())
#: Words that say a name is the kind of organisation the graph is about (a partner, a national body, a
#: part of a force). The model's ORG without one (a consultancy, a newspaper, a plan's title) is a name
#: of unknown kind, not worth a reviewer's time.
_KIND_WORDS = frozenset(
    "office department ministry association council college agency service services board commission authority "
    "committee trust foundation charity society partnership university school academy company ltd limited plc "
    "institute centre bureau court hospital police constabulary inspectorate panel directorate executive "
    "tribunal unit team hub division government".split()
)
#: Last words of a street: a "person" ending in one is an address ("Quarry Lane").
_STREET_HEADS = frozenset(
    "road street lane avenue embankment drive close gardens terrace crescent chambers square".split()
)
_JOINERS = frozenset("of and for the & on in to against".split())
#: Last words that make a name a post, unless an organisation word is in it too.
_ROLE_HEADS = frozenset(
    "secretary commissioner commissioners constable constables inspector inspectors minister ministers officer "
    "officers mayor mayors director directors chair chairs".split()
)
#: Words of a web page's controls: a "person" or "place" holding one is page furniture ("Large Text Size").
_FURNITURE_WORDS = frozenset(
    "text size font icon menu search button print share cookie cookies settings accessibility contrast default "
    "login subscribe newsletter".split()
)
_ORG_WORDS = frozenset(
    "office department ministry association council college agency service board commission authority".split()
)
#: Last words of a building or a street: a name ending in one is an address ("Clive House", "Sapphire Road").
_ADDRESS_HEADS = frozenset(
    "house hall road street lane avenue way park place square chambers building buildings embankment "
    "drive close gardens terrace crescent".split()
)
#: A capitalised word and a joiner just before an organisation: the model cut a longer name in two
#: ("Harbour Planning and | Resources Committee").
_CLIPPED_BEFORE = re.compile(r"\b[A-Z][\w'-]*\s+(?:and|&)\s+(?:the\s+)?$")
#: ... unless the words before the joiner are a name of their own ("Barnardo's and", "Loamshire Council and").
_NAME_ENDS_BEFORE = re.compile(
    r"(?:\b[A-Z]{2,}s?|'s|\b(?:"
    + "|".join(w.capitalize() for w in sorted(_ORG_HEADS))
    + r"))\s+(?:and|&)\s+(?:the\s+)?$"
)


def _clipped(preceding: str) -> bool:
    """Whether the text before an organisation ends in a piece of the same name ("Harbour Planning and").

    Not where that piece is a name of its own ("Barnardo's and", "Loamshire Council and"), nor where its
    capitalised word only opens a sentence ("Partners and the ...").
    """
    m = _CLIPPED_BEFORE.search(preceding)
    if m is None or _NAME_ENDS_BEFORE.search(preceding):
        return False
    opening = preceding[: m.start()].rstrip()
    return bool(opening) and not opening.endswith((".", "!", "?", ":", ";", "\u2022", "-"))


def _headed(plain: list[str]) -> bool:
    """Whether an organisation word heads the name: it is the last word, or a joiner follows it.

    "Loamshire Safeguarding Board", "Office for National Statistics" are headed; in "Police Precept"
    or "Council Tax" the organisation word only modifies the thing the name is of.
    """
    heads = _KIND_WORDS | _ORG_HEADS
    words = [w.lower().removesuffix("'s") for w in plain]
    return words[-1] in heads or any(
        w in heads and i + 1 < len(words) and words[i + 1] in _JOINERS for i, w in enumerate(words)
    )


_POSSESSIVES = frozenset("our its their his her my your".split())
#: A segment this short with no closing punctuation is a heading, a menu item or a cover line.
HEADING_WORDS = 12


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to do with one model entity: keep it (with this label) or why not."""

    label: str | None
    reason: str


def is_heading_like(segment: str) -> bool:
    """Whether a segment reads as a heading or page furniture rather than running text."""
    words = segment.split()
    return len(words) <= HEADING_WORDS and not _SENTENCE_END.search(segment)


def _place_keys(vocabulary: Vocabulary) -> frozenset[str]:
    places: set[str] = set()
    for concept in vocabulary.concepts:
        if concept.label == "FORCE" and not concept.own_force_reference:
            for name in concept.names:
                bare = _FORCE_TAIL.sub("", name.strip())
                if bare and bare != name.strip():
                    places.add(key(bare))
    return frozenset(places)


class ModelFilter:
    """The plausibility rules, with what they need from the vocabulary computed once."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.places = _place_keys(vocabulary)

    def rejects(self, text: str) -> bool:
        """Whether the name holds a rejected name, or is a piece (two words or more) of one."""
        words = key(text)
        if any(f" {r} " in f" {words} " for r in self.vocabulary.rejected):
            return True
        return len(words.split()) >= 2 and any(f" {words} " in f" {r} " for r in self.vocabulary.rejected)

    def _fragment(self, text: str) -> bool:
        """Whether the name is a piece of a longer name the vocabulary knows (a clipped span)."""
        words = f" {key(text)} "
        return any(
            words in f" {key(n)} " and key(n) != words.strip() for c in self.vocabulary.concepts for n in c.names
        )

    def judge(
        self,
        label: str,
        text: str,
        segment: str,
        *,
        line_start: bool = False,
        before: str = "",
        lower_words: frozenset[str] = frozenset(),
        after: str = "",
        preceding: str = "",
    ) -> Verdict:
        """Keep, relabel or drop one model entity.

        Args:
            label: The model's label (ORG, PERSON, GPE, DATE).
            text: The entity's text, already trimmed of "the" and possessives.
            segment: The whole passage it was read from (a heading, a paragraph...).
            line_start: Whether the entity opens a line, where every word is capitalised.
            before: The word just before the entity ("our" in "our Tackling ... findings").
            after: The word just after the entity ("leader" in "Jo Bloggs Team leader").
            lower_words: Words the whole document writes in lower case somewhere: a
                capitalised phrase made only of them, with no organisation word, is a
                description set in capitals ("Violence Against Women and Girls"), not a name.
            preceding: The text just before the entity on its line, to see a name the model
                clipped at a joiner ("Harbour Planning and" before "Resources Committee").

        Returns:
            A Verdict whose ``label`` is None when the entity is dropped.
        """
        flat = " ".join(text.split())
        if "\n" in text.strip() or not any(c.isalpha() for c in flat):
            return Verdict(None, "spans a line break or has no letters")
        if label == "DATE":
            if _DATE_WORD.search(flat) is None:
                return Verdict(None, "a duration or vague time, not a date")
            return Verdict(label, "date")
        if is_heading_like(segment):
            return Verdict(None, "read from a heading or page furniture")
        if self.rejects(flat):
            return Verdict(None, "a name reviewed and rejected (hmi:NotAnEntity)")
        words = flat.split()
        plain = [re.sub(r"[^\w'-]", "", w) for w in words]
        if label in {"PERSON", "ORG"} and key(flat) in self.places:
            return Verdict("GPE", "a force's place name")
        if len(words) == 1 and line_start:
            return Verdict(None, "a lone capitalised word opening a line")
        if label in {"GPE", "PERSON"} and before.lower() in _POSSESSIVES:
            return Verdict(None, "follows a possessive (our, its...): a title, not a name")
        if label == "PERSON" and before.strip(",").isdigit():
            return Verdict(None, "follows a number: a street in an address (70 Petty France), not a person")
        if (len(words) >= 2 or len(flat) >= 4) and flat.isupper():
            return Verdict(None, "set in capitals: a heading or a running header, not a name")
        if label in {"ORG", "GPE"} and len(words) >= 2 and plain[-1].lower() in _ADDRESS_HEADS:
            return Verdict(None, "ends in a building or street word: an address, not an organisation or a place")
        if any(c.isdigit() for c in flat):
            return Verdict(None, "holds a number: a date or a reference, not a name")
        if words[0].lower().strip(".") in _TITLES or _post_after_honorific(words):
            return Verdict(None, "a job title or form of address")
        if label in {"ORG", "PERSON"} and after in _POST_AFTER:
            return Verdict(None, "followed by a post word (Team leader): part of a job title")
        if label in {"PERSON", "GPE"} and any(w.lower() in _FURNITURE_WORDS for w in plain):
            return Verdict(None, "holds a word of a web page's controls (Text Size, Menu): page furniture")
        if label in {"PERSON", "GPE"} and lower_words and all(w.lower() in lower_words for w in plain):
            return Verdict(None, "its words are written in lower case elsewhere: a common phrase, not a name")
        if label == "PERSON":
            if before.lower() == "the" or plain[-1].lower() in _STREET_HEADS:
                return Verdict(None, "after 'the' or ending in a street word: a place or a thing, not a person")
            if len(words) < 2 or not all(_NAME_WORD.match(w) for w in words):
                return Verdict(None, "not a personal name (two or more capitalised words)")
            return Verdict(label, "person")
        if label == "GPE":
            if not all(w[:1].isupper() or w.lower() in {"of", "and", "upon", "on"} for w in words):
                return Verdict(None, "not a place name")
            return Verdict(label, "place")
        # ORG
        if len(words) < 2:
            return Verdict(None, "a single word: a heading word, an acronym or a common noun")
        # The force vocabulary lists every UK force, so a model organisation ending like a force's name
        # ("Regional Police Force", "Local Constabulary") is a generic phrase, not a force to review.
        if _FORCE_TAIL.search(flat):
            return Verdict(None, "a force's kind of name the vocabulary does not know: every force is in it")
        if any(w.lower() in _PUBLICATION_WORDS for w in plain):
            return Verdict(None, "names a publication or programme, not an organisation")
        content = [w.lower() for w in plain if w.lower() not in _JOINERS]
        if len(words) >= 4 and len(content) == len(words) and not any(w in _ORG_HEADS for w in content):
            return Verdict(None, "a run of capitalised words with no joiner: table headings or a list, not a name")
        if lower_words and not any(w in _ORG_HEADS for w in content) and all(w in lower_words for w in content):
            return Verdict(None, "a description set in capitals (its words are written in lower case elsewhere)")
        if self._fragment(flat):
            return Verdict(None, "a clipped piece of a name the vocabulary knows")
        if not words[-1][:1].isupper():
            return Verdict(None, "does not end in a capitalised word")
        if plain[-1].lower().removesuffix("'s") in _ROLE_HEADS and not any(w.lower() in _ORG_WORDS for w in plain):
            return Verdict(None, "names a post (Home Secretary), not an organisation")
        if not any(w.removesuffix("'s") in _KIND_WORDS for w in content):
            return Verdict(None, "no word says what kind of organisation it is (a firm, a title): not worth review")
        if not _headed(plain):
            return Verdict(
                None, "its kind word modifies another noun (Police Precept, Council Tax): a thing, not a body"
            )
        if _clipped(preceding):
            return Verdict(None, "the name goes on before it (Planning and | Resources Committee): a clipped piece")
        return Verdict(label, "organisation")
