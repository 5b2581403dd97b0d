"""Entity recognition and linking: names in report text to vocabulary IRIs.

One spaCy pipeline (``build_nlp``) tags forces, units, systems, legislation,
partner agencies, initiatives and risk tools from the SKOS vocabularies in
``ontology/vocab``, Act titles and sections by pattern, names the text itself
calls a team/system/operation, and (with an English model) organisations,
people, places and dates. ``find_mentions`` runs it over a document's
segments and returns ``EntityMention`` records with absolute offsets.
Anything no vocabulary entry knows is kept as a candidate (``candidates``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from kg.entities.errors import VocabularyError
from kg.entities.linking import find_mentions
from kg.entities.pipeline import DEFAULT_MODEL, build_nlp, model_available
from kg.entities.text import key
from kg.entities.vocab import Concept, Vocabulary, load_vocabulary
from kg.records import EntityMention, Span

__all__ = [
    "DEFAULT_MODEL",
    "Candidate",
    "Concept",
    "VocabularyError",
    "Vocabulary",
    "build_nlp",
    "candidates",
    "count_mentions",
    "find_mentions",
    "load_vocabulary",
    "model_available",
]

_PAIR_GAP = re.compile(r"\s*[\\]?\(\s*")


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A name no vocabulary entry knows, with how often and where it occurs.

    ``concept`` is set for pattern-derived nodes (an Act the vocabulary lacks)
    so a reviewer sees what IRI they were given.
    """

    name: str
    label: str
    count: int
    concept: str | None
    sources: tuple[str, ...]
    first: Span


def candidates(mentions: Iterable[EntityMention]) -> list[Candidate]:
    """Group the mentions that need review by name and label, most frequent first.

    Why: an unknown name is not dropped; a reviewer decides whether it
    becomes a vocabulary alias (one Turtle line) or a new concept.

    Args:
        mentions: Mentions from ``find_mentions`` (any number of documents).

    Returns:
        One Candidate per (name, label), sorted by count (descending), then name.
    """
    groups: dict[tuple[str, str], list[EntityMention]] = {}
    for m in mentions:
        if m.candidate_name is None:
            continue
        name = " ".join(m.candidate_name.replace("\u2019", "'").split())
        groups.setdefault((key(name), m.label), []).append(m)
    out = []
    for (_k, label), ms in groups.items():
        ms.sort(key=lambda m: (m.doc_id, m.span.start))
        out.append(
            Candidate(
                name=" ".join(ms[0].candidate_name.split()) if ms[0].candidate_name else "",
                label=label,
                count=len(ms),
                concept=ms[0].concept,
                sources=tuple(sorted({m.source for m in ms})),
                first=ms[0].span,
            )
        )
    out.sort(key=lambda c: (-c.count, c.name.lower(), c.label))
    return out


def count_mentions(mentions: Iterable[EntityMention], text: str) -> Counter[str]:
    """Count how many times the text names each concept.

    Why: a name and its bracketed alias ("public protection unit (PPU)",
    "Erase (Educate and raise ... )") are one act of naming, so the pair
    counts once (docs/decisions/0103-entities-counting.md). Candidates are
    counted under their name, prefixed ``candidate:``.

    Args:
        mentions: Mentions of one document, as returned by ``find_mentions``.
        text: That document's text.

    Returns:
        Counts per concept IRI.
    """
    counts: Counter[str] = Counter()
    previous: EntityMention | None = None
    for m in sorted(mentions, key=lambda m: (m.span.start, m.span.end)):
        ident = m.concept or f"candidate:{m.candidate_name}"
        if (
            previous is not None
            and (previous.concept or f"candidate:{previous.candidate_name}") == ident
            and _PAIR_GAP.fullmatch(text[previous.span.end : m.span.start])
        ):
            previous = None
            continue
        counts[ident] += 1
        previous = m
    return counts
