"""Recommendations: who must act, by when, and the actions they list.

A recommendation opens with "We recommend..." (or "By <date>, the force
should..."); the bullet lists straight after it are its actions, and a
later lead-in such as "Guidance to staff should include:" with its bullets
is guidance that still belongs to the same recommendation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.records import Action, Block, Span

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four)"
TIMESCALE_RE = re.compile(
    rf"\b(immediately|within {_NUMBER} (?:working )?(?:days?|weeks?|months?|years?)"
    rf"|by (?:the end of )?(?:\d{{1,2}} )?(?:{_MONTHS}) \d{{4}}"
    rf"|no later than {_NUMBER} (?:days?|weeks?|months?) after [^,.;]+"
    rf"|(?:no|not) later than (?:the end of )?(?:\d{{1,2}}(?:st|nd|rd|th)? )?(?:{_MONTHS}) \d{{4}})",
    re.I,
)
_OPENING_RE = re.compile(
    rf"^(?:We recommend\b|By (?:the end of )?(?:\d{{1,2}} )?(?:{_MONTHS}) \d{{4}}\b|By \d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b)"
)
FORCE_NAME_RE = re.compile(
    r"\b((?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?: and | & | )?){1,4}?)(Constabulary|Police(?: Service)?|Police Force)\b"
)
_OWN_FORCE_RE = re.compile(r"\b(?:the (?:force|constabulary)|all forces|chief constables)\b", re.I)


def opens_recommendation(block: Block) -> bool:
    """Does this paragraph start a new recommendation?"""
    if block.kind not in ("paragraph", "case_study"):
        return False
    return bool(_OPENING_RE.match(block.span.quote)) or recommendation_cue(block.span.quote) is not None


def timescale_of(text: str) -> str | None:
    """The timescale a recommendation states, in lower case ("within three months")."""
    m = TIMESCALE_RE.search(text)
    return " ".join(m.group(1).lower().split()) if m else None


def addressee_of(text: str, own_force: str | None) -> str | None:
    """The force the recommendation is addressed to, as named in its opening."""
    m = FORCE_NAME_RE.search(text)
    if m:
        return (m.group(1).strip() + " " + m.group(2)).strip()
    m2 = _OWN_FORCE_RE.search(text)
    if m2 and m2.group(0).lower() in {"the force", "the constabulary"}:
        return own_force
    return m2.group(0) if m2 else None


def group_recommendations(blocks: Sequence[Block]) -> list[tuple[Block, list[Block], list[Action]]]:
    """Group a Recommendations part's blocks: (opening, all blocks, actions)."""
    groups: list[tuple[Block, list[Block], list[Action]]] = []
    guidance = False
    for block in blocks:
        if opens_recommendation(block):
            groups.append((block, [block], []))
            guidance = False
            continue
        if not groups:
            continue
        opening, members, actions = groups[-1]
        members.append(block)
        if block.kind == "bullet_list":
            actions.extend(Action(span=item, guidance=guidance) for item in block.items)
        elif block.kind in ("paragraph", "case_study") and block.span.quote.rstrip().endswith(":"):
            guidance = True
    return groups


def span_over(blocks: Sequence[Block]) -> tuple[int, int]:
    """Start of the first block to end of the last."""
    return blocks[0].span.start, blocks[-1].span.end


def sub_span(text: str, start: int, end: int) -> Span:
    """A span over ``text[start:end]``."""
    return Span(start=start, end=end, quote=text[start:end])


# --- Recommendations and causes of concern stated in sentences -------------------------------------------

_TIMESCALE_LEAD = (
    rf"(?:within {_NUMBER} (?:working )?(?:days?|weeks?|months?|years?)(?: of [^,]+)?"
    rf"|(?:by|no later than|not later than) (?:the end of )?(?:\d{{1,2}}(?:st|nd|rd|th)? )?(?:{_MONTHS})(?: \d{{4}})?"
    r"|immediately|with immediate effect)"
)
#: Who a recommendation can be addressed to, besides a force named in full.
_BODIES = (
    r"all (?:police )?forces(?: in England and Wales)?|(?:all )?chief constables(?: of all forces)?"
    r"|(?:all )?police and crime commissioners|PCCs|the National Police Chiefs[\u2019']? Council(?: \(NPCC\))?"
    r"|the NPCC|the College of Policing|the Home Office|the Home Secretary|the National Crime Agency"
    r"|the (?:force|constabulary|service)|forces|local authorities|(?:local )?safeguarding partners"
    r"|those forces [^,]+(?:, [^,]+,)?"
)
_ADDRESSEE_RE = re.compile(rf"^(?:{_BODIES}|{FORCE_NAME_RE.pattern})", re.I)
_NATIONAL_SHOULD_RE = re.compile(
    r"^(?:all (?:police )?forces|(?:all )?chief constables|(?:all )?police and crime commissioners"
    r"|the National Police Chiefs[\u2019']? Council|the NPCC|the College of Policing|the Home Office)\b[^.]{0,80}?"
    r"\b(?:should|must)\b",
    re.I,
)
_WE_RECOMMEND_RE = re.compile(
    r"\b(?:we|I|HMICFRS|HMIC|the inspectorate)\s+(?:therefore\s+|also\s+|now\s+)?recommends?"
    rf"(?:\s+that\b|,?\s+{_TIMESCALE_LEAD}\b|\s+(?:{_BODIES})\s+(?:should|must)\b)",
    re.I,
)
_TIMESCALE_SHOULD_RE = re.compile(
    rf"^{_TIMESCALE_LEAD},?\s+(?P<who>[^.;:]{{2,160}}?)\s+(?:should|must|is to|are to)\b", re.I
)
_TO_ADDRESS_RE = re.compile(
    r"^(?:In order )?[Tt]o address (?:this|these|the|each)(?: \w+)? causes? (?:of|for) concern\b"
    r"[^.]*?\b(?:should|must|recommend)",
)
_SHOULD_TIMESCALE_RE = re.compile(
    rf"^(?P<who>(?:{_BODIES})|{FORCE_NAME_RE.pattern})\s+should\s+{_TIMESCALE_LEAD}\b", re.I
)
_CAUSE_RES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^causes? (?:of|for) concern\s*[:\u2013\u2014-]\s*\S", re.I), "cause:label"),
    (
        re.compile(
            r"\b(?:identified|found|raised|have|has|is|there is|there are|remains?|gave us)\s+(?:also\s+|still\s+)?"
            r"(?:a|an|one|two|three|four|five|six|several|serious|significant|\d+)\s+(?:\w+\s+)?"
            r"causes? (?:of|for) concern\b",
            re.I,
        ),
        "cause:stated",
    ),
    (
        re.compile(
            r"\b(?:is|are|remains?|was|were) (?:also |still )?(?:a|an) (?:\w+ )?causes? (?:of|for) concern\b", re.I
        ),
        "cause:is-a-cause",
    ),
)
_CAUSE_COUNT_ONLY_RE = re.compile(
    r"^(?:in (?:this|our) \w+,?\s+)?(?:I|we|HMICFRS|HMIC|inspectors|the inspectorate)\s+(?:have\s+|has\s+)?(?:also\s+)?"
    r"(?:identified|found|raised|made)\s+(?:\w+\s+){0,2}causes? (?:of|for) concern"
    r"\s*(?:[.:]|,?\s+(?:and|which)\b[^.]*\.?)?\s*$",
    re.I,
)


#: A recommendation an earlier report made, retold: "In 2018 we recommended that ...", "Our report recommended that".
_RECOMMENDED_RE = re.compile(
    r"\b(?:we|I|HMICFRS|HMIC|the inspectorate|(?:our|the|that|its) (?:[\w-]+ ){0,3}(?:report|inspection|review))"
    r"\s+(?:had\s+|also\s+)?recommended(?:\s+that\b|,?\s+(?:within|by|immediately)\b)",
    re.I,
)


_MAYBE_RECOMMENDATION_RE = re.compile(r"recommend|should|must|\b(?:is|are) to\b", re.I)


def recommendation_cue(sentence: str) -> str | None:
    """The rule by which a sentence makes a recommendation, or None if it makes none."""
    text = sentence.strip()
    if not _MAYBE_RECOMMENDATION_RE.search(text):
        return None
    if _RECOMMENDED_RE.search(text):
        return "recommendation:recap-recommended"
    if _TO_ADDRESS_RE.match(text):
        return "recommendation:to-address-cause-of-concern"
    if _WE_RECOMMEND_RE.search(text):
        return "recommendation:we-recommend"
    if _TIMESCALE_SHOULD_RE.match(text):
        return "recommendation:timescale-should"
    if _SHOULD_TIMESCALE_RE.match(text):
        return "recommendation:should-timescale"
    if _NATIONAL_SHOULD_RE.match(text):
        return "recommendation:national-addressee-should"
    return None


def cause_cue(sentence: str) -> str | None:
    """The rule by which a sentence states a cause of concern, or None."""
    text = sentence.strip()
    if "concern" not in text.lower():
        return None
    for rx, cue in _CAUSE_RES:
        if rx.search(text):
            return cue
    return None


def counts_causes_only(sentence: str) -> bool:
    """Does the sentence only count causes of concern ("We identified two causes of concern.")?"""
    return bool(_CAUSE_COUNT_ONLY_RE.search(sentence.strip()))


_LEAD_STRIP_RE = re.compile(
    rf"^(?:(?:In order )?to address [^,]+,\s*|{_TIMESCALE_LEAD},?\s*|(?:we|I|HMICFRS|HMIC|the inspectorate)\s+"
    r"(?:therefore\s+|also\s+|now\s+)?recommends?\s*(?:that\s*)?,?\s*)+",
    re.I,
)


def addressees_of(sentence: str, own_force: str | None) -> tuple[str, ...]:
    """Everyone a recommendation is addressed to, as the sentence names them, in order.

    "The force" and "the constabulary" stand for the report's own force
    when it is known.
    """
    rest = _LEAD_STRIP_RE.sub("", sentence.strip())
    out: list[str] = []
    while True:
        m = _ADDRESSEE_RE.match(rest)
        if m is None:
            break
        name = " ".join(m.group(0).split()).strip(" ,")
        if own_force and re.fullmatch(r"the (?:force|constabulary|service)", name, re.I):
            name = own_force
        out.append(name)
        rest = rest[m.end() :]
        sep = re.match(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)", rest)
        if sep is None:
            break
        rest = rest[sep.end() :]
    if not out:
        found = FORCE_NAME_RE.search(sentence)
        if found:
            out.append((found.group(1).strip() + " " + found.group(2)).strip())
    return tuple(out)
