"""Link: connect statements of different publications about the same matter.

Two kinds of link, both inferred and kept apart from what the text states:

- *restates*: a press release or article that announces a report restates
  some of its statements (its bullet lists of good practice and concerns);
  each of its statements is linked to the report statement it is closest to.
- *follow-up*: a later report on the same force speaks to a matter an
  earlier one raised (a recommendation, an area for improvement, a finding).
  Candidates are the same force's statements in a later publication; they
  are scored on text similarity (TF-IDF over the statement and its evidence,
  with each publication's own abbreviations written out; a part of a long
  statement against the closest sentence of the other), shared themes and
  shared entities, and kept when the score clears a threshold. Cues in the
  later text ("needs to", "doesn't", "has made progress", "replaces") and
  the later statement's kind decide the status.

Every link records its method, a confidence and the evidence span on both
ends. Nothing here keys on a particular report, force or wording beyond
the cue lists below.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph
from rdflib.namespace import RDF

from kg.formats import normalise_title, title_key
from kg.link.register_status import register_status
from kg.link.timeline import PlaceInTime, places_in_time
from kg.namespaces import HMI
from kg.records import (
    DocumentMetadata,
    Extraction,
    FollowUpLink,
    RegisterEntry,
    Span,
    Statement,
    StatementRef,
)

METHOD = "kg.link/1 (tf-idf cosine + shared themes + shared entities; status from kind and cues)"

#: Statements that raise a matter a later publication can answer (a strength too: it may hold or decline).
EARLIER_KINDS = frozenset({"recommendation", "area_for_improvement", "cause_of_concern", "finding", "good_practice"})
#: Statements that can answer it.
#: Statements that judge a matter later (innovative and good practice commend something new instead).
LATER_KINDS = frozenset({"area_for_improvement", "cause_of_concern", "finding", "recommendation"})
#: Statements a press release restates.
RESTATED_KINDS = frozenset(
    {"finding", "area_for_improvement", "cause_of_concern", "good_practice", "recommendation", "innovative_practice"}
)

#: The default threshold: a link scoring at least this is kept, one below it (down to the
#: candidate floors) is kept for a reader's review and marked so. Set where a reader accepts
#: at least 9 in 10 kept links of the hand-made lists (docs/decisions/1021).
ACCEPT = 0.30
#: Least score of a follow-up candidate.
FOLLOW_UP_THRESHOLD = 0.16 * 1.05
#: Candidates scoring between this and the threshold are kept for a reader's review, marked so.
REVIEW_THRESHOLD = 0.12
#: Least score at which a strength is followed (praise shares words with much of a report).
STRENGTH_THRESHOLD = 0.36
#: Least score at which a register entry's recommendation is taken to track a report's.
REGISTER_THRESHOLD = 0.35
FOLLOW_UP_RATIO = 0.6
RESTATE_THRESHOLD = 0.20
RESTATE_RATIO = 0.85
MAX_FOLLOW_UPS = 2
#: How many later reports of the same force an earlier report is compared with.
FOLLOW_UP_HORIZON = 3
#: Least number of content words of a sentence compared on its own (shorter ones match by chance).
MIN_SENTENCE_WORDS = 3
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|\n+")
W_TEXT, W_FORWARD, W_BACKWARD, W_THEMES, W_TOPICS, W_ENTITIES = 0.3, 0.3, 0.1, 0.2, 0.1, 0.05

_STOP = frozenset(
    """a about above after again against all also although an and any are as at be because been before being
    below between both but by can could did do does doing during each few for from further had has have having
    he her here hers him his how i if in into is it its itself just more most no nor not now of off on once only
    or other our out over own same she should so some such than that the their them then there these they this
    those through to too under until up very was we were what when where which while who whom why will with would
    you your constabulary force forces police officers staff inspection report make makes made sure
    including include includes well good time work making taking""".split()
)
_NEGATIVE = re.compile(
    r"\b(needs? to|should|doesn['’]t|does not|don['’]t|isn['’]t|is not|aren['’]t|hasn['’]t|has not|not always|"
    r"not consistently|lack|lacks|poor|inconsistent|requires? improvement|still|concern|concerned|"
    r"fail(?:s|ing|ure)?|limited|delays in|not (?:being )?properly|"
    r"(?:are|is|were|was) being (?:lost|missed)|missed opportunit(?:y|ies))\b",
    re.I,
)
_PROGRESS_CUE = re.compile(
    r"\b(?:since (?:our|the) (?:\d{4}|last|previous) (?:[a-z ]+ )?inspection|has made (?:good |some )?progress|"
    r"(?:has|have) improved|responded quickly|improvements? (?:has|have) been made)\b",
    re.I,
)
_STILL_CUE = re.compile(r"\b(?:still (?:needs?|requires?|has)|continues? to (?:need|require)|remains? (?:an? )?)", re.I)
_ADDRESSED_CUE = re.compile(
    r"\b(?:(?:has|have) (?:fully |now )?(?:addressed|resolved|implemented|made sure)|"
    r"(?:fully|has been|have been) (?:addressed|resolved|implemented|met)|"
    r"no longer (?:an? )?(?:concern|issue|problem|area for improvement))\b",
    re.I,
)
_DETERIORATED_CUE = re.compile(
    r"\b(?:(?:has|have) (?:deteriorated|declined|worsened|got worse)|(?:is|are) (?:now )?worse|no longer (?:as )?"
    r"(?:good|effective|strong))\b",
    re.I,
)


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A crude suffix-stripping stem: "engage", "engaging" and "engagement" all give "engag".

    Cached: a corpus's vocabulary is small and every statement is tokenised
    each time a link unit holding it is re-linked.
    """
    for suffix in ("ations", "ation", "ements", "ement", "ments", "ment", "ings", "ing", "ies", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def _tokens(text: str) -> list[str]:
    """The stemmed content words of a text.

    A hyphenated compound is also read as one word, so "well-being" meets
    "wellbeing" (its parts alone may be stop words and say nothing).
    """
    out = []
    for compound in re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower().replace("\u2019", "'")):
        parts = compound.split("-")
        if len(parts) > 1:
            out.append("".join(parts))
        out += parts
    return [_stem(w) for w in out if len(w) > 2 and w not in _STOP]


#: "(ABC)" or "(ABCs)" (brackets escaped in some copies): where a document may define an abbreviation.
_DEFINED = re.compile(r"\\?\(([A-Z]{2,8})s?\\?\)")
_MINOR_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "to", "a", "an", "with", "at", "by"})


def acronyms(text: str) -> tuple[tuple[str, str], ...]:
    """The abbreviations a document defines, each with its long form: (("CSE", "child sexual exploitation"), ...).

    Reports write a matter out once ("registered sex offenders (RSOs)") and
    abbreviate it after, while a press release or a later report writes it
    out: without the long form the two share no word. The long form is the
    shortest run of words just before the brackets whose initials spell the
    abbreviation (minor words such as "of" may be skipped).
    """
    found: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        short = m.group(1)
        if short in found:
            continue
        before = re.split(r"[.;:()\[\]\n]", text[max(0, m.start() - 120) : m.start()])[-1]
        words = re.findall(r"[A-Za-z][\w'\u2019]*", before)[-10:]
        letters = short.lower()
        for k in range(1, len(words) + 1):
            run = words[-k:]
            if run[0].lower() in _MINOR_WORDS:
                continue
            initials = "".join(w[0].lower() for w in run)
            major = "".join(w[0].lower() for w in run if w.lower() not in _MINOR_WORDS)
            if letters in (initials, major):
                found[short] = " ".join(run)
                break
    return tuple(sorted(found.items()))


@lru_cache(maxsize=256)
def _expander(defined: tuple[tuple[str, str], ...]) -> Callable[[str], str]:
    """A function writing out each abbreviation of ``defined`` in a text (a definition's own brackets dropped)."""
    if not defined:
        return lambda text: text
    long = dict(defined)
    names = "|".join(sorted(long, key=lambda a: (-len(a), a)))
    pattern = re.compile(rf"\\?\(\s*(?:{names})s?\s*\\?\)|\b({names})s?\b")

    def expand(text: str) -> str:
        return pattern.sub(lambda m: long[m.group(1)] if m.group(1) else " ", text)

    return expand


@dataclass(frozen=True, slots=True)
class _Item:
    ref: StatementRef
    statement: Statement
    vector: dict[str, float]
    own_terms: dict[str, float]
    all_terms: frozenset[str]
    themes: frozenset[str]
    own_themes: frozenset[str]
    topics: frozenset[str]
    own_topics: frozenset[str]
    entities: frozenset[str]
    date: str | None
    force: str | None
    kind: str
    #: The abbreviations its publication defines, with their long forms (``acronyms``).
    defined: tuple[tuple[str, str], ...] = ()
    #: The TF-IDF vectors of the statement's sentences (its heading and each sentence of its evidence).
    sentences: tuple[dict[str, float], ...] = ()
    #: For an item standing for one matter of a statement (an action, a clause,
    #: a critical sentence of a finding's evidence): that part's span.
    part: Span | None = None


def _tfidf(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vec = {t: (1 + math.log(c)) * idf.get(t, 0.0) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    # Terms missing from b add exactly 0.0, so skipping them leaves the sum bit for bit the same.
    return sum(v * b[t] for t, v in a.items() if t in b)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


_BROAD_THEMES = frozenset(
    {
        "https://w3id.org/hmi-kg/vocab/theme/general",
        "https://w3id.org/hmi-kg/vocab/theme/leadership-and-governance",
        "https://w3id.org/hmi-kg/vocab/theme/record-keeping",
        "https://w3id.org/hmi-kg/vocab/theme/vulnerability",
        "https://w3id.org/hmi-kg/vocab/theme/workforce",
    }
)


class ItemMemo:
    """The per-publication part of the linker's statement items, kept for the next few units.

    A publication belongs to up to ``FOLLOW_UP_HORIZON + 1`` link units
    (its own and its earlier reports'), and tokenising its statements and
    matching the topic patterns is most of what linking a unit costs. The
    units of one force come one after another, so a short memory suffices
    and memory stays flat. Only word rarity (IDF), which depends on the
    unit, is computed per unit. Keyed by document id: use one memo per build.
    """

    def __init__(self, size: int = 4 * (FOLLOW_UP_HORIZON + 1)) -> None:
        self.size = size
        self.items: OrderedDict[str, list[_DocumentItem]] = OrderedDict()

    def get(self, extraction: Extraction, topics: Sequence[Topic]) -> list[_DocumentItem]:
        doc_id = extraction.structured.document.doc_id
        got = self.items.get(doc_id)
        if got is None:
            got = self.items[doc_id] = _document_items(extraction, topics)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        else:
            self.items.move_to_end(doc_id)
        return got


@dataclass(frozen=True, slots=True)
class _DocumentItem:
    """What a statement's item holds before word rarity is known."""

    ref: StatementRef
    statement: Statement
    body: Counter[str]
    heading: Counter[str]
    themes: frozenset[str]
    own_themes: frozenset[str]
    entities: frozenset[str]
    force: str | None
    topics: frozenset[str]
    own_topics: frozenset[str]
    defined: tuple[tuple[str, str], ...]
    sentences: tuple[Counter[str], ...]


def _document_items(ex: Extraction, topics: Sequence[Topic]) -> list[_DocumentItem]:
    doc = ex.structured.document
    themes: dict[int, set[str]] = {}
    own_themes: dict[int, set[str]] = {}
    for a in ex.themes:
        themes.setdefault(a.statement, set()).add(a.theme)
        if a.reason_kind in ("term", "entity"):
            own_themes.setdefault(a.statement, set()).add(a.theme)
    out: list[_DocumentItem] = []
    # The force's own name says nothing about the matter: every statement of its reports names it.
    own_name = frozenset(_tokens(doc.metadata.force or ""))
    defined = acronyms(doc.text)
    expand = _expander(defined)
    # A release or article restates sentence by sentence: all its statements stay.
    laid_out = doc.metadata.kind == "report" and _has_headed_findings(ex.statements)
    for index, st in enumerate(ex.statements):
        if st.kind in ("graded_judgment", "case_audit_tally"):
            continue
        if laid_out and _is_prose_finding(st):
            continue
        actions = " ".join(a.span.quote for a in st.actions)
        out.append(
            _DocumentItem(
                ref=StatementRef(doc_id=doc.doc_id, index=index),
                statement=st,
                body=Counter(t for t in _tokens(expand(st.span.quote + " " + actions)) if t not in own_name),
                heading=Counter(t for t in _tokens(expand(st.heading.quote + " " + actions)) if t not in own_name),
                themes=frozenset(themes.get(index, set()) - _BROAD_THEMES),
                own_themes=frozenset(own_themes.get(index, set()) - _BROAD_THEMES),
                entities=frozenset(
                    m.concept
                    for m in ex.mentions
                    if m.concept
                    and m.label not in ("FORCE",)
                    and st.span.start <= m.span.start
                    and m.span.end <= st.span.end
                ),
                force=doc.metadata.force,
                topics=frozenset(t.iri for t in topics if t.named_in(st.span.quote)),
                own_topics=frozenset(t.iri for t in topics if t.named_in(st.heading.quote)),
                defined=defined,
                sentences=tuple(
                    counts
                    for sentence in _SENTENCE_END.split(st.span.quote)
                    if len(counts := Counter(t for t in _tokens(expand(sentence)) if t not in own_name))
                    >= MIN_SENTENCE_WORDS
                ),
            )
        )
    return out


_LAYOUT_CUES = ("heading:", "summary-list:", "detector:", "register:")


def _is_prose_finding(st: Statement) -> bool:
    """A finding or strength read from a sentence of prose rather than from the layout (a heading, a summary list)."""
    return st.kind in ("finding", "good_practice", "innovative_practice") and not st.cue.startswith(_LAYOUT_CUES)


def _has_headed_findings(statements: Sequence[Statement]) -> bool:
    """Does the publication state its findings under headings or in summary lists?

    Then its prose findings (the summary, the foreword, the conclusion, the
    sentences of a finding's evidence) retell those headed findings and are
    not matters of their own: following them too would link one matter
    several times over. A publication written as prose alone (a review, a
    press release, an early PEEL page) has only prose findings, and they
    are its statements.
    """
    headed = ("heading:", "summary-list:")
    return any(st.kind in ("finding", "good_practice") and st.cue.startswith(headed) for st in statements)


def _items(
    extractions: Sequence[Extraction],
    dates: Mapping[str, PlaceInTime | None],
    topics: Sequence[Topic] = (),
    memo: ItemMemo | None = None,
) -> list[_Item]:
    memo = memo or ItemMemo()
    docs = [item for ex in extractions for item in memo.get(ex, topics)]
    df: Counter[str] = Counter()
    for item in docs:
        df.update(item.body.keys())
    n = max(1, len(docs))
    idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}
    return [
        _Item(
            ref=d.ref,
            statement=d.statement,
            vector=_tfidf(d.body, idf),
            own_terms={t: idf.get(t, 0.0) for t in d.heading},
            all_terms=frozenset(d.body),
            themes=d.themes,
            own_themes=d.own_themes,
            topics=d.topics,
            own_topics=d.own_topics,
            entities=d.entities,
            date=(place.key if (place := dates.get(d.ref.doc_id)) else None),
            force=normalise_title(d.force) if d.force else None,
            kind=d.statement.kind,
            defined=d.defined,
            sentences=tuple(_tfidf(c, idf) for c in d.sentences),
        )
        for d in docs
    ]


def _coverage(own: dict[str, float], other: frozenset[str]) -> float:
    """Share of one statement's own words (weighted by rarity) found anywhere in the other."""
    total = sum(own.values())
    return sum(w for t, w in own.items() if t in other) / total if total else 0.0


#: The parts of a score: text, own words found (forward, backward), themes, topics, entities.
_Signals = tuple[float, float, float, float, float, float]


def _score(a: _Item, b: _Item) -> tuple[float, _Signals]:
    """The weighted score of a pair, and its parts (formatted by ``_signals`` only for the links kept)."""
    text = _cosine(a.vector, b.vector)
    if a.part is not None and b.sentences:
        # One action or sentence of a long recommendation is answered by one sentence of a long
        # later statement: the whole texts dilute each other, the closest sentence does not.
        text = max(text, max(_cosine(a.vector, v) for v in b.sentences))
    forward = _coverage(a.own_terms, b.all_terms)
    backward = _coverage(b.own_terms, a.all_terms)
    themes = _jaccard(a.themes, b.themes)
    topics = _jaccard(a.topics, b.topics)
    entities = _jaccard(a.entities, b.entities)
    score = (
        W_TEXT * text
        + W_FORWARD * forward
        + W_BACKWARD * backward
        + W_THEMES * themes
        + W_TOPICS * topics
        + W_ENTITIES * entities
    )
    return score, (text, forward, backward, themes, topics, entities)


def _signals(parts: _Signals) -> str:
    """What a link's method records of its score."""
    text, forward, backward, themes, topics, entities = parts
    return (
        f"text {text:.2f}, own words found {forward:.2f}/{backward:.2f}, themes {themes:.2f}, "
        f"topics {topics:.2f}, entities {entities:.2f}"
    )


def _sentence_at(text: str, match: re.Match[str], base: int) -> Span:
    """The sentence around a cue, as a span of the document."""
    left = max(text.rfind(". ", 0, match.start()), text.rfind("\n", 0, match.start()))
    right_candidates = [i for i in (text.find(". ", match.end()), text.find("\n", match.end())) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    s = base + (left + 2 if left != -1 else 0)
    e = base + min(right, len(text))
    return Span(start=s, end=e, quote=text[s - base : e - base])


def _is_strength(item: _Item) -> bool:
    """Does the item stand for a strength (good practice, or a finding that praises)?"""
    if item.kind in ("good_practice", "innovative_practice"):
        return True
    # The statement's own words decide, not the extraction's polarity: a strength stated with a
    # negated negative ("no delays", "no backlog") is praise, and "requires further development" is not.
    return item.kind == "finding" and item.part is None and not is_critical(item.statement.heading.quote)


#: Statements that ask for something; a later recommendation on the same matter can replace them.
_RAISED_KINDS = frozenset({"recommendation", "area_for_improvement", "cause_of_concern"})
#: A later recommendation that says it takes the place of an earlier one.
_SUPERSEDED_CUE = re.compile(r"\b(?:replaces?|supersedes?|takes? the place of|in place of)\b", re.I)
#: Least score at which a later recommendation, without saying so, replaces an earlier one: the
#: same request made again in close to the same words (the scores of plain follow-ups sit lower).
SUPERSEDE_SCORE = 0.6

_KIND_WORDS = {
    "cause_of_concern": "the later statement is a cause of concern",
    "area_for_improvement": "the later statement is an area for improvement",
    "recommendation": "the later statement is a recommendation",
}


def _status(earlier: _Item, later: _Item, score: float = 0.0) -> tuple[str, Span, str]:
    """Status concept, the later span that supports it, and in words what gave it.

    A later area for improvement or cause of concern is itself the verdict
    (on a strength: it has deteriorated); a later recommendation that
    replaces an earlier recommendation or area for improvement (it says so,
    or it asks for the same thing again in close to the same words)
    supersedes it; for a later finding, an explicit cue ("has addressed",
    "has made progress", "still needs") decides, else whether the finding's
    own words are critical.
    """
    st = later.statement
    strength = _is_strength(earlier)
    if later.kind == "recommendation" and earlier.kind in _RAISED_KINDS:
        m = _SUPERSEDED_CUE.search(st.span.quote)
        if m:
            return "superseded", _sentence_at(st.span.quote, m, st.span.start), f"the later text says “{m.group()}”"
        if score >= SUPERSEDE_SCORE:
            return "superseded", st.heading, "the later publication makes a new recommendation on the same matter"
    if later.kind in _KIND_WORDS:
        status = "cause-of-concern" if later.kind == "cause_of_concern" else "still-area-for-improvement"
        return ("deteriorated" if strength else status), st.heading, _KIND_WORDS[later.kind]
    body = st.span.quote
    cues = (
        (_DETERIORATED_CUE, "deteriorated"),
        (_STILL_CUE, "deteriorated" if strength else "still-area-for-improvement"),
        (_ADDRESSED_CUE, "sustained-strength" if strength else "addressed"),
        (_PROGRESS_CUE, "sustained-strength" if strength else "progress-reported"),
    )
    for cue, status in cues:
        m = cue.search(body)
        if m:
            return status, _sentence_at(body, m, st.span.start), f"the later text says “{m.group()}”"
    if is_critical(st.heading.quote):
        words = "the later statement's own words are critical"
        return ("deteriorated" if strength else "still-area-for-improvement"), st.heading, words
    if strength:
        return "sustained-strength", st.heading, "both statements praise the practice"
    return "progress-reported", st.heading, "the later statement's own words are not critical"


_NEGATED_NEGATIVE = re.compile(r"\b(?:no|not any|without)\s+(?:\w+\s+)?(?:delays?|backlogs?|concerns?|lack)\b", re.I)


def is_critical(text: str) -> bool:
    """Do a statement's own words criticise ("not always", "lack", "concerned")?

    "No delays" and the like are not criticism.
    """
    return bool(_NEGATIVE.search(_NEGATED_NEGATIVE.sub(" ", text)))


#: Least text similarity that, without a shared topic or entity, makes two statements of one area one matter.
SPECIFIC_TEXT = 0.15


def _same_matter(a: _Item, b: _Item) -> bool:
    """Two statements are about one matter: the same area and something specific in common.

    The area is a theme or a topic (a specific matter named by its terms)
    that at least one of them states in its own words; two statements
    that merely sit in sections of the same area are not thereby about the
    same matter. Being in one area is not enough either ("domestic abuse"
    covers risk assessment, disclosure schemes and training): they must also
    share a topic or an entity, or enough words.
    """
    area = (a.own_themes & b.themes) | (a.themes & b.own_themes) | (a.own_topics & b.topics) | (a.topics & b.own_topics)
    specific = (a.topics & b.topics) or (a.entities & b.entities) or _cosine(a.vector, b.vector) >= SPECIFIC_TEXT
    return bool(area) and bool(specific)


_CLAUSE_RE = re.compile(r",\s+(?:and|with)\s+(?=[a-z])")


def _part(item: _Item, text: str, span: Span | None, topics: Sequence[Topic]) -> _Item:
    """An item standing for one part of a statement (a clause, an action, a sentence)."""
    counts = Counter(_tokens(_expander(item.defined)(text)))
    own = {t: item.own_terms.get(t, 0.0) for t in counts}
    norm = math.sqrt(sum(v * v for v in own.values())) or 1.0
    part_topics = frozenset(t.iri for t in topics if t.named_in(text)) if topics else item.own_topics
    return _Item(
        ref=item.ref,
        statement=item.statement,
        vector={t: w / norm for t, w in own.items()},
        own_terms=own,
        all_terms=frozenset(counts),
        themes=item.themes,
        own_themes=item.own_themes,
        topics=part_topics,
        own_topics=part_topics,
        entities=item.entities,
        date=item.date,
        force=item.force,
        kind=item.kind,
        defined=item.defined,
        part=span,
    )


def _clauses(item: _Item) -> list[_Item]:
    """The item itself, and one item per clause when its text lists two matters."""
    parts = _CLAUSE_RE.split(item.statement.heading.quote)
    if len(parts) < 2:
        return [item]
    return [item] + [_part(item, part, None, ()) for part in parts]


def _critical_sentences(statement: Statement) -> list[Span]:
    """The sentences of a statement's evidence (after its heading) whose own words criticise."""
    text, base = statement.span.quote, statement.span.start
    start = max(0, statement.heading.end - base)
    out = []
    for m in re.finditer(r"[^.;!?\n]+[.;!?]?", text[start:]):
        sentence = m.group().strip()
        if len(sentence) > 20 and is_critical(sentence):
            s = base + start + m.start() + (len(m.group()) - len(m.group().lstrip()))
            out.append(Span(start=s, end=s + len(sentence), quote=sentence))
    return out


def _second_restated(first: tuple[float, _Signals, _Item, int], second: tuple[float, _Signals, _Item, int]) -> bool:
    """May a bullet restate a second report statement besides its best one?

    Yes when a different clause of the bullet chose it (the bullet lists two
    matters), or when it is about the same matter as the first (a report
    often states one matter twice: in its summary and in its section).
    """
    return first[3] != second[3] or _same_matter(first[2], second[2])


def _is_evidence_criticism(item: _Item) -> bool:
    """Is this a critical sentence from the evidence of a finding whose heading is a strength?"""
    return item.kind == "finding" and item.part is not None


def _names_same_topic(a: _Item, b: _Item) -> bool:
    """Both name one specific topic in their own words, and share wording.

    Asked of a matter raised only in a finding's evidence: a weaker sign of
    a matter than a heading, so the answer must be unmistakably about it.
    """
    return bool(a.own_topics & b.own_topics) and _cosine(a.vector, b.vector) >= SPECIFIC_TEXT


def _matters(item: _Item, topics: Sequence[Topic]) -> list[_Item]:
    """The matters a statement raises, each as an item to follow up.

    A recommendation, area for improvement or cause of concern raises its
    own matter, plus one per action it lists and per clause of a "..., and
    ..." list. A finding whose heading criticises raises its matter; one
    whose heading does not (a strength) may still criticise something in
    its evidence ("opportunities to protect children ... are limited"), and
    each such sentence is a matter of its own.
    """
    if item.kind in ("recommendation", "area_for_improvement", "cause_of_concern"):
        parts = _clauses(item)
        parts += [_part(item, a.span.quote, a.span, topics) for a in item.statement.actions]
        return parts
    if item.kind == "good_practice":
        return [item]
    if item.kind != "finding":
        return []
    if is_critical(item.statement.heading.quote):
        return [item]
    # A strength is a matter too: a later report may find it holds or has declined.
    return [item] + [_part(item, span.quote, span, topics) for span in _critical_sentences(item.statement)]


def resolve_announced(extractions: Sequence[Extraction]) -> dict[str, str]:
    """Press release / article id -> the id of the report it announces, by id or title."""
    return resolve_announced_metadata(
        [(e.structured.document.doc_id, e.structured.document.metadata) for e in extractions]
    )


def resolve_announced_metadata(documents: Sequence[tuple[str, DocumentMetadata]]) -> dict[str, str]:
    """``resolve_announced`` from the documents' metadata alone (no extraction needed)."""
    ids = {doc_id for doc_id, _ in documents}
    by_title = {title_key(meta.title): doc_id for doc_id, meta in documents if meta.kind == "report"}
    out: dict[str, str] = {}
    for doc_id, meta in documents:
        if meta.kind == "report" or not meta.announces:
            continue
        target = meta.announces if meta.announces in ids else by_title.get(title_key(meta.announces))
        if target and target != doc_id:
            out[doc_id] = target
    return out


#: The link group of documents whose force is unknown.
UNATTRIBUTED = "unattributed"


def force_group(force: str | None, resolve_force: Callable[[str], str | None] | None = None) -> str:
    """The link group of a force: its vocabulary concept's name when known (a force's short
    name and its full name are one force), else a slug of the name as written."""
    if not force:
        return UNATTRIBUTED
    concept = resolve_force(force) if resolve_force else None
    name = str(concept).rstrip("/").rsplit("/", 1)[-1] if concept else normalise_title(force)
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or UNATTRIBUTED


def link_groups(
    documents: Sequence[tuple[str, DocumentMetadata]], resolve_force: Callable[[str], str | None] | None = None
) -> dict[str, str]:
    """Each document's link group: its force's, or that of the report it announces.

    Every link joins two publications of one group (follow-ups stay within a
    force; a release restates the report it announces); ``link_units`` cuts
    each group's reports into the units links are computed and stored in.
    """
    announced = resolve_announced_metadata(documents)
    own = {doc_id: force_group(meta.force, resolve_force) for doc_id, meta in documents}
    return {doc_id: own[announced[doc_id]] if doc_id in announced else own[doc_id] for doc_id, _ in documents}


def publication_dates(extractions: Sequence[Extraction], announced: dict[str, str]) -> dict[str, PlaceInTime | None]:
    """Each publication's place in time (``kg.link.timeline``); a release takes its report's."""
    return places_in_time(
        {e.structured.document.doc_id: e.structured.document.metadata for e in extractions}, announced
    )


def _order(place: PlaceInTime | None) -> tuple[str, str]:
    return place.sort_key() if place is not None else ("", "")


def _later(a: PlaceInTime | None, b: PlaceInTime | None) -> bool:
    """Whether ``b`` is certainly later than ``a`` (both dated)."""
    return a is not None and b is not None and b.is_later_than(a)


@dataclass(frozen=True, slots=True)
class Topic:
    """A specific matter (``hmi:Topic``) and the pattern of its terms.

    One alternation per topic: "does the text name this topic" is asked of
    every statement of every publication in a link unit, and one search per
    topic takes a third of the time of one per term.
    """

    iri: str
    pattern: re.Pattern[str]

    def named_in(self, text: str) -> bool:
        return self.pattern.search(text) is not None


def load_topics(vocab: Graph) -> tuple[Topic, ...]:
    """The topics of the themes vocabulary."""
    topics = []
    for iri in sorted(vocab.subjects(RDF.type, HMI.Topic), key=str):
        words = sorted((str(k) for k in vocab.objects(iri, HMI.keyword)), key=lambda w: (-len(w), w))
        terms = "|".join(re.escape(w) for w in words) or "(?!)"  # a topic without terms matches nothing
        topics.append(Topic(str(iri), re.compile(rf"(?<![a-z])(?:{terms})", re.I)))
    return tuple(topics)


def link_statements(
    extractions: Sequence[Extraction],
    topics: Sequence[Topic] = (),
    forces: Mapping[str, str] | None = None,
    earlier: str | None = None,
    memo: ItemMemo | None = None,
) -> list[FollowUpLink]:
    """Every restates and follow-up link among the given publications, in a stable order.

    The build calls this once per link unit (``link_units``), so word rarity
    (IDF) is measured among the unit's own publications and its links depend
    on nothing outside it. ``forces`` (document id -> force key, e.g. the
    link group) says which reports are of one force; by default, the force
    names as written. With ``earlier``, only follow-ups from that
    publication are made.
    """
    announced = resolve_announced(extractions)
    dates = publication_dates(extractions, announced)
    items = _items(extractions, dates, topics, memo)
    kinds = {e.structured.document.doc_id: e.structured.document.metadata.kind for e in extractions}
    registers = {e.structured.document.doc_id: e.register for e in extractions if e.register is not None}
    links: list[FollowUpLink] = []

    by_doc: dict[str, list[_Item]] = {}
    for item in items:
        by_doc.setdefault(item.ref.doc_id, []).append(item)

    for release, report in sorted(announced.items()):
        sources = [r for r in by_doc.get(report, []) if r.kind in RESTATED_KINDS and not r.statement.recap_of]
        for said in by_doc.get(release, []):
            links += _restatements(said, sources)

    # Follow-ups: each earlier report against the next few later reports of the
    # same force (a trail chains through them), best matches overall, so the
    # number of links grows with the number of matters, not with pairs of reports.
    by_force: dict[str, list[str]] = {}
    for doc_id, kind in kinds.items():
        items_of_doc = by_doc.get(doc_id, [])
        force = (forces or {}).get(doc_id) if forces is not None else (items_of_doc[0].force if items_of_doc else None)
        if kind == "report" and dates.get(doc_id) and items_of_doc and force and force != UNATTRIBUTED:
            by_force.setdefault(force, []).append(doc_id)
    for docs in by_force.values():
        docs.sort(key=lambda d: (_order(dates.get(d)), d))
        for i, a_doc in enumerate(docs):
            if earlier is not None and a_doc != earlier:
                continue
            da = dates.get(a_doc)
            later_docs = [b for b in docs[i + 1 :] if _later(da, dates.get(b))][:FOLLOW_UP_HORIZON]
            sources = [r for r in by_doc.get(a_doc, []) if r.kind in RESTATED_KINDS and not r.statement.recap_of]
            # A later inspection's recap of this one restates it: linked as a restatement, never as a verdict.
            for b in later_docs:
                for said in by_doc.get(b, []):
                    if said.statement.recap_of:
                        links += _restatements(said, sources)
            later_items = [
                x for b in later_docs for x in by_doc.get(b, []) if x.kind in LATER_KINDS and not x.statement.recap_of
            ]
            if later_items:
                links += _follow_ups(by_doc.get(a_doc, []), later_items, topics)
    # A national report's recommendations to all forces: followed in each force's next few reports.
    for n_doc, kind in sorted(kinds.items()):
        if kind != "report" or (earlier is not None and n_doc != earlier) or not dates.get(n_doc):
            continue
        items_of_doc = by_doc.get(n_doc, [])
        own_force = forces.get(n_doc) if forces is not None else (items_of_doc[0].force if items_of_doc else None)
        if own_force not in (None, UNATTRIBUTED):
            continue
        to_all = [x for x in by_doc.get(n_doc, []) if _to_all_forces(x.statement)]
        if not to_all:
            continue
        for docs in by_force.values():
            later_docs = [b for b in docs if _later(dates.get(n_doc), dates.get(b))][:FOLLOW_UP_HORIZON]
            later_items = [
                x for b in later_docs for x in by_doc.get(b, []) if x.kind in LATER_KINDS and not x.statement.recap_of
            ]
            if later_items:
                links += _follow_ups(to_all, later_items, topics)
    # Register entries: each tracks one recommendation of an earlier report of its force.
    for reg_doc, entry in sorted(registers.items()):
        if earlier is not None and reg_doc != earlier:
            continue
        force = (forces or {}).get(reg_doc)
        candidates = [
            x
            for doc_id, kind in kinds.items()
            if kind == "report" and (forces is None or (forces.get(doc_id) == force and force != UNATTRIBUTED))
            for x in by_doc.get(doc_id, [])
            if x.kind in ("recommendation", "area_for_improvement", "cause_of_concern") and not x.statement.recap_of
        ]
        for said in by_doc.get(reg_doc, []):
            link = _register_link(said, entry, candidates)
            if link is not None:
                links.append(link)
    links.sort(key=lambda k: (k.relation, k.earlier.doc_id, k.earlier.index, k.later.doc_id, k.later.index))
    return links


_ALL_FORCES = re.compile(r"\b(?:all|every|each) (?:police )?forces?\b|\bforces\b", re.I)


def _to_all_forces(st: Statement) -> bool:
    """Is this a recommendation to every force (or to forces in general), which each force's later reports answer?"""
    if st.kind != "recommendation":
        return False
    return any(_ALL_FORCES.search(a) for a in st.addressees or ((st.addressee,) if st.addressee else ()))


def _restate_score(said: _Item, source: _Item) -> tuple[float, _Signals]:
    """How well a sentence restates a statement: the pair's score, held down by the weaker direction of shared words.

    A restatement shares words both ways: the restating sentence's own words
    are found in the statement, and the statement's own (heading) words in
    the sentence. A long finding whose evidence happens to hold every word of
    a short sentence shares only one way, and is not what it restates.
    """
    score, parts = _score(said, source)
    forward, backward = parts[1], parts[2]
    return (score + min(forward, backward)) / 2, parts


def _restatements(said: _Item, sources: Sequence[_Item]) -> list[FollowUpLink]:
    """The statements a restating statement (a release's bullet, a review's recap) restates: its best one or two."""
    restated: dict[StatementRef, tuple[float, _Signals, _Item, int]] = {}
    best: dict[StatementRef, tuple[float, _Signals]] = {}
    # A bullet that lists two matters ("..., and ...", "..., with ...") can restate two statements.
    for n, clause in enumerate(_clauses(said)):
        scored = sorted(((_restate_score(clause, r), r) for r in sources), key=lambda x: -x[0][0])
        if not scored:
            continue
        for (score, signals), r in scored:
            if r.ref not in best or best[r.ref][0] < score:
                best[r.ref] = (score, signals)
        top = scored[0][0][0]
        for (score, signals), r in scored[:2]:
            if score >= RESTATE_THRESHOLD and score >= RESTATE_RATIO * top and r.ref not in restated:
                restated[r.ref] = (score, signals, r, n)
    # A statement one clause chose is restated as closely as the closest clause (or the whole) restates it.
    restated = {ref: (*best[ref], r, n) for ref, (_, _, r, n) in restated.items()}
    ranked = sorted(restated.values(), key=lambda x: -x[0])[:2]
    if len(ranked) == 2 and not _second_restated(ranked[0], ranked[1]):
        ranked = ranked[:1]
    recap = f" (a recap of the {said.statement.recap_of} inspection)" if said.statement.recap_of else ""
    return [
        FollowUpLink(
            earlier=r.ref,
            later=said.ref,
            relation="restates",
            status="restated",
            confidence=round(min(1.0, score), 3),
            method=METHOD,
            signals=_signals(signals),
            earlier_evidence=r.statement.heading,
            later_evidence=said.statement.heading,
            explanation=_explain(
                r, said, f"the later statement restates the earlier one{recap}; it gives no new verdict"
            ),
            review=score < ACCEPT,
        )
        for score, signals, r, _ in ranked
    ]


def _follow_ups(
    earlier_items: Sequence[_Item], later_items: Sequence[_Item], topics: Sequence[Topic]
) -> list[FollowUpLink]:
    """Each earlier statement's matters against the later statements of its force: kept links and review candidates."""
    links: list[FollowUpLink] = []
    by_area: dict[str, list[_Item]] = {}
    by_entity: dict[str, list[_Item]] = {}
    for later in later_items:
        for area in later.themes | later.own_topics:
            by_area.setdefault(area, []).append(later)
        for entity in later.entities:
            by_entity.setdefault(entity, []).append(later)
    for e in earlier_items:
        matters = _matters(e, topics)
        # Each matter keeps its best few answers; a statement answered by
        # several of a statement's matters keeps its best score.
        chosen: dict[StatementRef, tuple[float, _Signals, _Item, _Item]] = {}
        candidates: dict[StatementRef, tuple[float, _Signals, _Item, _Item]] = {}
        for matter in matters:
            pool = {id(x): x for a in matter.themes | matter.own_topics for x in by_area.get(a, [])}
            strength = _is_strength(matter)
            if strength:
                # Praise is spread over many matters and shares words with much of a later report:
                # a strength is followed only where both name the same thing (a unit, a system, a
                # tool), by its one closest later statement, and only when that is clearly close.
                same_matter = list({id(x): x for en in matter.entities for x in by_entity.get(en, [])}.values())
            else:
                same_matter = [later for later in pool.values() if _same_matter(matter, later)]
            if _is_evidence_criticism(matter):
                # A sentence of evidence is a weaker sign of a matter than a recommendation:
                # the answer must name the same specific topic and share wording.
                same_matter = [later for later in same_matter if _names_same_topic(matter, later)]
            scored = sorted(
                ((_score(matter, later), later) for later in same_matter),
                key=lambda x: (-x[0][0], x[1].ref.doc_id, x[1].ref.index),
            )
            if strength:
                scored = scored[:1]
            best = scored[0][0][0] if scored else 0.0
            threshold = STRENGTH_THRESHOLD if strength else FOLLOW_UP_THRESHOLD
            for rank, ((score, signals), later) in enumerate(scored[:MAX_FOLLOW_UPS]):
                kept = score >= max(threshold, ACCEPT) and score >= FOLLOW_UP_RATIO * best
                target = chosen if kept else candidates
                if not kept and (rank > 0 or score < REVIEW_THRESHOLD or score < FOLLOW_UP_RATIO * best):
                    break
                if later.ref not in target or target[later.ref][0] < score:
                    target[later.ref] = (score, signals, later, matter)
        answers = sorted(chosen.values(), key=lambda x: (-x[0], x[2].ref.doc_id, x[2].ref.index))
        accepted = answers[: max(MAX_FOLLOW_UPS, len(matters) - 1)]
        kept_refs = {x[2].ref for x in accepted}
        review = sorted(
            (c for ref, c in candidates.items() if ref not in kept_refs),
            key=lambda x: (-x[0], x[2].ref.doc_id, x[2].ref.index),
        )[:1]
        for (score, signals, later, matter), for_review in [(x, False) for x in accepted] + [(x, True) for x in review]:
            status, evidence, cue = _status(matter, later, score)
            links.append(
                FollowUpLink(
                    earlier=e.ref,
                    later=later.ref,
                    relation="follow-up",
                    status=status,
                    confidence=round(min(1.0, score), 3),
                    method=METHOD,
                    signals=_signals(signals),
                    earlier_evidence=matter.part or e.statement.heading,
                    later_evidence=evidence,
                    explanation=_explain(matter, later, f"{cue}, so {STATUS_WORDS.get(status, status)}"),
                    review=for_review,
                )
            )
    return links


#: The status concepts' labels as the explanations write them (``ontology/vocab/statuses.ttl`` has them too).
STATUS_WORDS = {
    "addressed": "addressed",
    "progress-reported": "progress reported",
    "still-area-for-improvement": "still an area for improvement",
    "cause-of-concern": "a cause of concern",
    "deteriorated": "deteriorated",
    "sustained-strength": "a sustained strength",
    "superseded": "superseded",
    "no-later-evidence": "no later evidence",
}


def _name(iri: str) -> str:
    """A vocabulary concept's name from its IRI's last part ("missing-children" -> "missing children")."""
    return iri.rstrip("/").rsplit("/", 1)[-1].removeprefix("topic-").replace("-", " ")


def _surface(stem: str, text: str) -> str:
    """The word as the text writes it ("miss" -> "missing"), for an explanation a reader can follow."""
    words: list[str] = re.findall(r"[a-z]+", text.lower())
    return next((word for word in words if _stem(word) == stem), stem)


def _explain(a: _Item, b: _Item, verdict: str) -> str:
    """One plain sentence: what the two statements share, and what gave the status."""
    weights = {t: w for t, w in a.own_terms.items() if t in b.all_terms}
    stems = [t for t, _ in sorted(weights.items(), key=lambda x: (-x[1], x[0]))[:4]]
    words = [
        _surface(t, (a.part.quote if a.part else a.statement.heading.quote) + " " + a.statement.span.quote)
        for t in stems
    ]
    shared = []
    if words:
        shared.append("the words " + ", ".join(f"“{w}”" for w in words))
    named = sorted({_name(t) for t in a.topics & b.topics} | {_name(e) for e in a.entities & b.entities})
    if named:
        shared.append("the subject " + ", ".join(named[:3]))
    if not shared:
        themes = sorted(_name(t) for t in a.themes & b.themes)
        shared.append("the theme " + ", ".join(themes[:2]) if themes else "little wording")
    return f"Both speak of {' and '.join(shared)}; {verdict}."


def _register_link(said: _Item, entry: RegisterEntry, candidates: Sequence[_Item]) -> FollowUpLink | None:
    """The recommendation a register entry tracks: the same force's most similar one, if similar enough.

    The register's latest status is authoritative; its date is the status
    change's, its evidence the inspector's latest comment (or the status
    word itself when no comment was made).
    """
    scored = sorted(
        ((_score(said, c), c) for c in candidates), key=lambda x: (-x[0][0], x[1].ref.doc_id, x[1].ref.index)
    )
    if not scored or scored[0][0][0] < REGISTER_THRESHOLD:
        return None
    (score, signals), target = scored[0]
    status_step = entry.latest_status()
    comment_step = entry.latest_comment()
    status = register_status(status_step.status) if status_step and status_step.status else "no-later-evidence"
    evidence = (
        comment_step.comment
        if comment_step is not None and comment_step.comment is not None
        else (status_step.status_span if status_step and status_step.status_span else said.statement.heading)
    )
    date = max((c.date for c in (status_step, comment_step) if c is not None), default=None)
    written = f"“{status_step.status}”" if status_step and status_step.status else "no status yet"
    return FollowUpLink(
        earlier=target.ref,
        later=said.ref,
        relation="register",
        status=status,
        confidence=round(min(1.0, score), 3),
        method=METHOD,
        signals=_signals(signals),
        earlier_evidence=target.statement.heading,
        later_evidence=evidence,
        explanation=_explain(
            said, target, f"the register entry tracks this recommendation and its latest status is {written}"
        ),
        date=date,
    )


@dataclass(frozen=True, slots=True)
class LinkUnit:
    """One publication and the publications its links may reach.

    A report's unit holds it and the next few later reports of its force
    (``FOLLOW_UP_HORIZON``): its follow-ups. A press release's unit holds it
    and the report it announces: its restatements; and then the report's
    later reports, whose follow-ups of the report give the status each
    restating statement carries (``restated_follow_ups``). Links are
    computed, stored (one named graph per unit) and rebuilt unit by unit, so
    a changed report costs the few units it is part of, however many
    reports its force or the corpus has.
    """

    key: str
    documents: tuple[str, ...]
    #: How many of ``documents`` (from the first) are linked; the rest only give statuses.
    linked: int = 0

    @property
    def linked_documents(self) -> tuple[str, ...]:
        """The publications whose links the unit holds."""
        return self.documents[: self.linked] if self.linked else self.documents


def link_units(
    documents: Sequence[tuple[str, DocumentMetadata]], resolve_force: Callable[[str], str | None] | None = None
) -> tuple[dict[str, str], list[LinkUnit]]:
    """Each document's link group (its force) and every link unit of the corpus, sorted by key."""
    groups = link_groups(documents, resolve_force)
    announced = resolve_announced_metadata(documents)
    dates = places_in_time(dict(documents), announced)
    units: list[LinkUnit] = []
    reports: dict[str, list[str]] = {}
    for doc_id, meta in documents:
        if meta.kind == "report" and dates.get(doc_id) and groups[doc_id] != UNATTRIBUTED:
            reports.setdefault(groups[doc_id], []).append(doc_id)
    for docs in reports.values():
        docs.sort(key=lambda d: (_order(dates.get(d)), d))
        for i, a_doc in enumerate(docs):
            da = dates.get(a_doc)
            later = [b for b in docs[i + 1 :] if _later(da, dates.get(b))][:FOLLOW_UP_HORIZON]
            if later:
                units.append(LinkUnit(a_doc, (a_doc, *later)))
    # A release's unit: it and its report, then the report's own unit (the follow-ups whose status it carries).
    followed = {u.key: u.documents for u in units}
    for release, report in announced.items():
        units.append(LinkUnit(release, (release, *followed.get(report, (report,))), linked=2))
    # A national report's unit: it and the next few reports of every force (its recommendations to all forces).
    for doc_id, meta in documents:
        if meta.kind == "report" and groups[doc_id] == UNATTRIBUTED and dates.get(doc_id):
            later = [
                b
                for docs in reports.values()
                for b in [b for b in docs if _later(dates.get(doc_id), dates.get(b))][:FOLLOW_UP_HORIZON]
            ]
            if later:
                units.append(LinkUnit(doc_id, (doc_id, *later)))
    # A register entry's unit: it and every report of its force (the one it tracks may be of any year).
    all_reports: dict[str, list[str]] = {}
    for doc_id, meta in documents:
        if meta.kind == "report" and groups[doc_id] != UNATTRIBUTED:
            all_reports.setdefault(groups[doc_id], []).append(doc_id)
    for doc_id, meta in documents:
        if meta.kind == "register entry" and all_reports.get(groups[doc_id]):
            units.append(LinkUnit(doc_id, (doc_id, *sorted(all_reports[groups[doc_id]]))))
    return groups, sorted(units, key=lambda u: u.key)


def link_inputs(extraction: Extraction) -> str:
    """A digest of everything of a publication that its links depend on.

    The linker reads a publication's id, metadata (date, force, kind, what
    it announces), statements (their words, spans and the parts their IRIs
    are made of), entity mentions and theme assignments; nothing else. When
    the digest is unchanged, so is every link unit holding the publication,
    and an incremental build need not re-link them.
    """
    doc = extraction.structured.document
    data = repr((doc.doc_id, doc.metadata, extraction.statements, extraction.mentions, extraction.themes))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def link_unit(
    unit: LinkUnit,
    extractions: Mapping[str, Extraction],
    groups: Mapping[str, str],
    topics: Sequence[Topic] = (),
    memo: ItemMemo | None = None,
) -> list[FollowUpLink]:
    """The links of one unit (``extractions`` holds at least the unit's documents)."""
    docs = unit.linked_documents
    members = [extractions[d] for d in docs if d in extractions]
    return link_statements(members, topics, {d: groups[d] for d in docs}, earlier=unit.key, memo=memo)


def restated_follow_ups(
    unit: LinkUnit,
    extractions: Mapping[str, Extraction],
    groups: Mapping[str, str],
    topics: Sequence[Topic] = (),
    memo: ItemMemo | None = None,
) -> list[FollowUpLink]:
    """For a release's unit: the follow-ups of the report it announces, exactly as the report's own unit makes them.

    They are not the release's links (the report's unit holds them); they
    give the status each of the release's restating statements carries.
    """
    if not unit.linked or len(unit.documents) <= unit.linked:
        return []
    report = unit.documents[1]
    return link_unit(LinkUnit(report, unit.documents[1:]), extractions, groups, topics, memo)


def latest_statuses(
    links: Sequence[FollowUpLink], dates: Mapping[str, PlaceInTime | None]
) -> dict[StatementRef, FollowUpLink]:
    """Each followed-up statement's latest word: the kept follow-up from the newest later publication.

    The most confident one wins a tie. Candidates kept for review are no one's latest word.
    """
    order = {d: p.sort_key() if p is not None else ("", "") for d, p in dates.items()}
    latest: dict[StatementRef, tuple[tuple[str, str], float, FollowUpLink]] = {}
    for link in links:
        if link.relation == "follow-up" and not link.review:
            candidate = (order.get(link.later.doc_id, ("", "")), link.confidence, link)
            held = latest.get(link.earlier)
            if held is None or (held[0], held[1]) < (candidate[0], candidate[1]):
                latest[link.earlier] = candidate
    return {ref: link for ref, (_, _, link) in latest.items()}


def carried_statuses(
    restatements: Sequence[FollowUpLink], latest: Mapping[StatementRef, FollowUpLink]
) -> dict[StatementRef, FollowUpLink]:
    """Each restating statement (a release's bullet, a review's recap) with the latest word on what it restates.

    A statement restating two carries the status of the one it restates most
    closely (as the tracker joins it to that one's matter); one whose
    statement has no later word carries none.
    """
    closest: dict[StatementRef, FollowUpLink] = {}
    for link in restatements:
        if link.relation != "restates" or link.review:
            continue
        held = closest.get(link.later)
        if held is None or (link.confidence, -link.earlier.index) > (held.confidence, -held.earlier.index):
            closest[link.later] = link
    return {said: latest[link.earlier] for said, link in closest.items() if link.earlier in latest}


def link_corpus(
    extractions: Sequence[Extraction],
    topics: Sequence[Topic] = (),
    resolve_force: Callable[[str], str | None] | None = None,
) -> list[FollowUpLink]:
    """Every link of a corpus, computed unit by unit exactly as the build does."""
    by_id = {e.structured.document.doc_id: e for e in extractions}
    groups, units = link_units([(d, e.structured.document.metadata) for d, e in by_id.items()], resolve_force)
    links: list[FollowUpLink] = []
    memo = ItemMemo()
    for unit in units:
        links += link_unit(unit, by_id, groups, topics, memo)
    return links
