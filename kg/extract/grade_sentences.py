"""Grades stated in running text, in every phrasing the inspectorate has used.

PEEL pages of 2014-2019 give a pillar's grade in a sentence ("The extent to
which the force is effective at ... is good"; "X is judged to be good in
the efficiency with which ..."; "its use of resources ... is judged to be
good"; "Overall, X remains outstanding in its effectiveness ..."); press
releases name a grade with its area ("'inadequate' in one area - responding
to the public") or only count grades ("good in four areas, adequate in
three"). Each rule below reads one sentence and returns what it states:
a grade with the area as the sentence names it, or a count of grades with
no area, never an area the sentence does not name. The rule's name is
kept as the statement's cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.formats import GRADE_BY_WORDS
from kg.records import Span

_Q_OPEN = "[\"'\u2018\u201c]?"
_Q_CLOSE = "[\"'\u2019\u201d]?"
_GRADE = r"(?:outstanding|good|adequate|inadequate|requires? improvement|requiring improvement)"
_G = rf"{_Q_OPEN}(?P<g>{_GRADE}){_Q_CLOSE}"
_FORCE = (
    r"(?:the (?:force|constabulary|service)|it"
    r"|(?:the )?(?:[A-Z][\w'\u2019&-]*(?:,? and |\s)){0,4}?(?:Constabulary|Police(?: Service)?|Police Force)"
    r"|[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)"
)
_JUDGED = r"(?:judged|assessed|graded|rated|found|considered)"
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "no one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()
    )
}
_NUM = r"(?:\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"

#: "The extent to which <force> <does something> is[:] good."
_EXTENT_RE = re.compile(
    rf"\bthe extent to which (?P<area>.+?)\s+(?:is:?\s+{_G}|(?P<g2>requires improvement)){_Q_CLOSE}\s*[.;]?\s*$", re.I
)
#: "<force> is judged to be good in its understanding of demand" / "has been assessed as good in respect of ..."
_JUDGED_IN_RE = re.compile(
    rf"(?:^|[;,]\s*|\b(?:and|also)\s+)(?:(?:overall|again),?\s+)?(?P<subj>{_FORCE})(?:[\u2019']s\s+(?:overall\s+)?performance)?\s+"
    rf"(?:is|are|was|were|has been|have been|remains|continues to be)\s+(?:also\s+|now\s+|again\s+)?"
    rf"{_JUDGED}\s+(?:to be\s+|as\s+|to\s+(?=require))?{_G}\s+(?P<prep>in|at|for|on)\s+(?P<area>[^;.]+)",
    re.I,
)
#: "We have graded <force> as inadequate in <area>" / "we judged the constabulary as outstanding at <area>"
_WE_GRADED_RE = re.compile(
    rf"\b(?:we|HMIC(?:FRS)?|inspectors|the inspectorate)\s+(?:have\s+|has\s+)?(?:also\s+)?{_JUDGED}\s+"
    rf"(?P<subj>{_FORCE})\s+"
    rf"(?:to be\s+|as\s+|to\s+(?=require))?{_G}\s+(?P<prep>in|at|for|on)\s+(?P<area>[^;.]+)",
    re.I,
)
#: "its use of resources to manage demand is judged to be good" (the area is the clause's subject)
_AREA_JUDGED_RE = re.compile(
    rf"(?:^|;\s*|,\s*|\band\s+)(?P<area>(?:its|(?:{_FORCE})[\u2019']s|the)\s[^;,]+?)\s+"
    rf"(?:is|was|has been)\s+(?:also\s+)?{_JUDGED}\s+(?:to be\s+|as\s+|to\s+(?=require))?{_G}\s*(?=[;.,]|$)",
    re.I,
)
#: "Durham Constabulary is outstanding at preventing crime", "Overall, X remains outstanding in its effectiveness"
_IS_GRADE_AT_RE = re.compile(
    rf"(?:^|;\s*|,\s+(?:and\s+)?|\band\s+)(?:overall,?\s+|in general,?\s+)?(?:(?P<subj>{_FORCE})\s+|(?<=and\s))"
    rf"(?:is|was|remains|continues to be)\s+(?:also\s+|now\s+|still\s+)?{_G}\s+(?P<prep>at|in)\s+(?P<area>[^;]+?)"
    rf"(?=\s*(?:[;.]|,\s+(?:and\s+)?(?:it\s+)?(?:is|was|remains|requires)\b|\band (?:it )?is\b|$))",
    re.I,
)
#: "<force> requires improvement in the way it ..." (the grade as a verb phrase)
_REQUIRES_RE = re.compile(
    rf"(?:^|;\s*|,\s*(?:and\s+)?)(?:overall,?\s+)?(?P<subj>{_FORCE})\s+(?:still\s+)?(?P<g>requires improvement)\s+"
    rf"(?P<prep>in|at)\s+(?P<area>[^;.]+?)"
    rf"(?=\s*(?:[;.]|,\s+(?:and\s+)?(?:it\s+)?(?:is|was|remains)\b|\band (?:it )?is\b|$))",
    re.I,
)
#: "the efficiency with which the force carries out its responsibilities is good" (2014 summary lines)
_AREA_IS_GRADE_RE = re.compile(
    rf"(?:^|;\s*)(?P<area>the (?:efficiency|effectiveness|legitimacy) (?:with which|of)\s[^;]+?)"
    rf"\s+is\s+{_G}\s*(?=[;.]|$)",
    re.I,
)
#: "graded as inadequate in one area - responding to the public"; "good in four areas, adequate in three"
_COUNT_RE = re.compile(
    rf"{_G}\s+(?:in|for|across)\s+(?:all\s+|each of\s+(?:the\s+|its\s+)?)?(?P<n>{_NUM})"
    rf"(?:\s+(?:of (?:the|its|our)\s+)?(?:\w+\s+)?(?:areas?|pillars?|questions?))?",
    re.I,
)
_COUNT_CONTEXT_RE = re.compile(r"\b(?:areas?|pillars?|questions?)\b", re.I)
_COUNT_FIRST_RE = re.compile(
    rf"(?P<n>{_NUM})\s+(?:of (?:the|its)\s+\w+\s+)?(?:areas?|pillars?|questions?)\s+(?:were\s+|was\s+)?"
    rf"(?:{_JUDGED}\s+)?(?:as\s+)?{_G}",
    re.I,
)
_NAMED_AFTER_DASH_RE = re.compile(
    r"^\s*(?:area|pillar|question)?s?\s*[\u2013\u2014:-]+\s*(?P<names>[^.;()\u2013\u2014]+?)\s*(?:[.;()\u2013\u2014]|\s-\s|$)"
)
_COUNTED_AREA_RE = re.compile(
    rf"^(?:all\s+|each of\s+(?:the\s+|its\s+)?)?{_NUM}\s+"
    rf"(?:of (?:the|its)\s+)?(?:\w+\s+)?(?:areas?|pillars?|questions?)\b",
    re.I,
)
_EACH_RE = re.compile(
    rf"^(?:each|all)(?: of)?(?: (?:the|its))?\s+(?P<n>{_NUM})\s+(?:\w+\s+)?(?:areas|pillars|questions)", re.I
)
_FORMAL_OPENING_RE = re.compile(r"^(?:overall\b|in terms of (?:its|the force[\u2019']s) \w+)", re.I)
_AWARDED_NONE_RE = re.compile(
    rf"\bawarded no (?P<grades>{_Q_OPEN}{_GRADE}{_Q_CLOSE}(?:(?:,\s*|\s+or\s+){_Q_OPEN}{_GRADE}{_Q_CLOSE})*) grades\b",
    re.I,
)
_PAST_RE = re.compile(r"^(?:in (?:our )?(?P<y1>(?:19|20)\d\d)\b|our (?P<y2>(?:19|20)\d\d)\b)", re.I)
_ANY_GRADE_RE = re.compile(_GRADE, re.I)
_NOT_GRADED_RE = re.compile(r"\bnot (?:yet )?graded\b|\bungraded\b|\bdon[\u2019']?t make a graded\b", re.I)


@dataclass(frozen=True, slots=True)
class GradeClaim:
    """A grade (or a count of grades) one sentence states.

    ``area`` is the inspected area in the sentence's own words, None for a
    bare count; ``count`` is set for a count of grades ("good in four
    areas"); ``recap_of`` names the earlier inspection a recounted grade
    belongs to ("In 2016, we judged ...").
    """

    span: Span
    grade: str
    area: str | None
    cue: str
    count: int | None = None
    recap_of: str | None = None


def grade_word(text: str) -> str:
    """The scale's label for a grade word ("requiring improvement" -> "Requires improvement")."""
    key = " ".join(text.lower().split())
    if key.startswith("requir"):
        return "Requires improvement"
    return GRADE_BY_WORDS[key]


def number(text: str) -> int:
    """A count written in figures or words."""
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


_LEADING_RE = re.compile(
    r"^(?:respect of|terms of|relation to|the way (?:it|that it|in which it)|how (?:it|well it)|its|their|the)\s+", re.I
)


_FORCE_POSSESSIVE_RE = re.compile(rf"^(?:{_FORCE})[\u2019']s\s+")


def clean_area(text: str) -> str:
    """An area phrase without leading possessives and trailing connectives."""
    area = _FORCE_POSSESSIVE_RE.sub("", " ".join(text.split()).strip(" ,:;\u2013\u2014-"))
    for _ in range(2):
        area = _LEADING_RE.sub("", area)
    area = re.sub(r"\s*(?:,|\band\b|\bbut\b|\bwhich\b|\bwhile\b)\s*$", "", area)
    area = re.split(r",\s+(?:but|although|though|while|which|as)\b|\s+but\s+", area)[0]
    return area.strip(" ,")


#: Word stems that name a pillar; 2018/19 named legitimacy as how the force "treats the public and its workforce".
_PILLARS = (
    ("effect", "Effectiveness"),
    ("efficien", "Efficiency"),
    ("legitima", "Legitimacy"),
    ("treat", "Legitimacy"),
)
#: Words that only restate a PEEL pillar's full question ("... at keeping people safe and reducing crime").
_PILLAR_FILLER = frozenset(
    "at in the of with which it its is does how force constabulary keeping keep keeps people safe and reducing reduce "
    "reduces crime operates operate operating sustainably sustainable public workforce carries carry out duties "
    "providing provides responsibilities respect services service to effectively efficiently".split()
)


def pillar_of(area: str) -> str | None:
    """The PEEL pillar an area phrase names as a whole ("efficient at keeping people safe..." -> "Efficiency").

    None when the phrase names something narrower ("effective at investigating crime").
    """
    words = re.findall(r"[a-z]+", area.lower())
    pillars = {name for w in words for stem, name in _PILLARS if w.startswith(stem)}
    if len(pillars) != 1:
        return None
    rest = [w for w in words if w not in _PILLAR_FILLER and not any(w.startswith(stem) for stem, _ in _PILLARS)]
    return pillars.pop() if not rest else None


def _area_of_extent(clause: str) -> str:
    """The area of "the extent to which <force> <does something>": the part after the force."""
    m = re.match(rf"^(?:{_FORCE})\s+(?:is\s+)?(?P<rest>.+)$", clause.strip(), re.I)
    return clean_area(m.group("rest") if m else clause)


_PILLAR_LIST_RE = re.compile(
    r"^(?:(?:its\s+)?(?:effectiveness|efficiency|legitimacy|leadership)(?:,\s*|\s+and\s+|,\s+and\s+)?)+$", re.I
)


def pillar_list(area: str) -> list[str]:
    """The pillars of "effectiveness, efficiency and legitimacy" in order; [] for any other area."""
    if not _PILLAR_LIST_RE.match(area.strip()):
        return []
    return [w.capitalize() for w in re.findall(r"effectiveness|efficiency|legitimacy|leadership", area, re.I)]


def _named(area: str | None) -> str | None:
    """A pillar's name for a phrase that names a whole pillar; the phrase itself otherwise."""
    if area is None:
        return None
    return pillar_of(area) or area


def recap_year(text: str) -> str | None:
    """The year of the earlier inspection a sentence opens by naming ("In 2016, ...", "In our 2022 inspection, ...")."""
    m = _PAST_RE.match(text.strip())
    return (m.group("y1") or m.group("y2")) if m else None


def grade_claims(span: Span) -> list[GradeClaim]:
    """Every grade and count of grades the sentence (or list item) ``span`` states."""
    text = span.quote
    if len(text) > 600 or not _ANY_GRADE_RE.search(text):
        return []  # most sentences name no grade: one cheap search before the rules
    recap = recap_year(text)
    if re.match(r"^(?:is|remains)\s", text):
        # An item after "Inspectors found that X Police:" ("is 'good' at ..."): the force is its subject.
        text = "it " + text
    claims: list[GradeClaim] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], area: str | None, cue: str, count: int | None = None) -> None:
        if any(s < m.end() and m.start() < e for s, e in taken):
            return
        taken.append((m.start(), m.end()))
        names: list[str | None] = list(pillar_list(area or "")) or [area]
        grade = grade_word(m.group("g") or m.groupdict().get("g2") or "")
        for one in names:
            claims.append(GradeClaim(span, grade, _named(one), cue, count, recap))

    def add_area(m: re.Match[str], area: str, cue: str) -> None:
        if (m.start(), m.end()) not in taken and any(s < m.end() and m.start() < e for s, e in taken):
            return
        taken.append((m.start(), m.end()))
        claims.append(GradeClaim(span, grade_word(m.group("g")), _named(area), cue, None, recap))

    m = _EXTENT_RE.search(text)
    if m and not _NOT_GRADED_RE.search(m.group("area")):
        add(m, _area_of_extent(m.group("area")), "grade:extent-to-which")
    for rx, cue in ((_JUDGED_IN_RE, "grade:judged-to-be"), (_WE_GRADED_RE, "grade:we-graded")):
        for m in rx.finditer(text):
            each = _EACH_RE.match(m.group("area").strip())
            if _COUNTED_AREA_RE.match(m.group("area").strip()):
                continue  # "graded good in four areas": a count, read by _counts
            if each:
                add(m, None, cue + "-each", number(each.group("n")))
            else:
                add(m, clean_area(m.group("area")), cue)
    for m in _AREA_JUDGED_RE.finditer(text):
        add(m, clean_area(m.group("area")), "grade:area-is-judged")
    formal = bool(_FORMAL_OPENING_RE.match(text))
    for m in _IS_GRADE_AT_RE.finditer(text):
        if _COUNTED_AREA_RE.match(m.group("area").strip()):
            continue
        # "X is good at Y" is how findings are worded too; it states a grade only for a whole pillar or
        # in a formal summary ("Overall, ...", "in terms of its effectiveness, ...").
        if not formal and pillar_of(clean_area(m.group("area"))) is None:
            continue
        # "outstanding at preventing crime and at tackling serious and organised crime": two areas, one grade.
        for area in re.split(r"\s+and\s+(?:at|in)\s+", m.group("area")):
            add_area(m, clean_area(area), "grade:is-grade-at")
    for m in _REQUIRES_RE.finditer(text):
        add(m, clean_area(m.group("area")), "grade:requires-improvement-in")
    for m in _AREA_IS_GRADE_RE.finditer(text):
        add(m, clean_area(m.group("area")), "grade:area-is-grade")
    claims.extend(_counts(span, text, taken, recap))
    return claims


def _counts(span: Span, text: str, taken: list[tuple[int, int]], recap: str | None) -> list[GradeClaim]:
    """Grades counted over areas ("good in four areas, adequate in three"), with the areas when named."""
    out: list[GradeClaim] = []
    for m in _AWARDED_NONE_RE.finditer(text):
        for g in re.findall(_GRADE, m.group("grades"), re.I):
            out.append(GradeClaim(span, grade_word(g), None, "grade:awarded-none", 0, recap))
    if not _COUNT_CONTEXT_RE.search(text):
        return out
    found = [m for m in _COUNT_RE.finditer(text) if not any(s < m.end() and m.start() < e for s, e in taken)]
    found += [m for m in _COUNT_FIRST_RE.finditer(text) if not any(s < m.end() and m.start() < e for s, e in taken)]
    for m in found:
        tail = text[m.end() : m.end() + 30]
        if re.match(rf"^\s+or\s+{_Q_OPEN}{_GRADE}", tail, re.I) or re.search(r"\bout of\s*$", text[: m.start()][-12:]):
            continue  # "good or outstanding", "11 out of 12 areas": no count of one grade
        n = number(m.group("n"))
        grade = grade_word(m.group("g"))
        named = _NAMED_AFTER_DASH_RE.match(text[m.end() :])
        if named:
            parts = [named.group("names")] if n == 1 else re.split(r",\s*(?:and\s+)?|\s+and\s+", named.group("names"))
            names = [clean_area(a) for a in parts if a.strip()]
            if len(names) == n:
                out.extend(GradeClaim(span, grade, name, "grade:named-in-count", None, recap) for name in names)
                continue
        out.append(GradeClaim(span, grade, None, "grade:count", n, recap))
    return out


#: "Overall judgment: Good", "Effectiveness \u2013 Requires improvement": a label and a grade on one line.
LABELLED_GRADE_RE = re.compile(
    rf"^(?P<area>[A-Z][^:\t\u2013\u2014]{{2,80}}?)\s*(?::|\s[\u2013\u2014-])\s*{_G}\.?$", re.I
)
#: Labels that say only "this is a grade": the area is the heading above.
GENERIC_LABELS = frozenset({"grade", "graded judgment", "judgment", "our judgment", "rating", "overall grade"})
