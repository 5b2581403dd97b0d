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
    rf"|no later than {_NUMBER} (?:days?|weeks?|months?) after [^,.;]+)",
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
    return block.kind in ("paragraph", "case_study") and bool(_OPENING_RE.match(block.span.quote))


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
