"""Turn vocabulary labels into spaCy ``entity_ruler`` token patterns.

Policy (docs/decisions/0101-entities-case-sensitivity.md): a label token
written in capitals ("MASH", "ARMS", "PACE") and every token of a concept
marked ``hmi:caseSensitive`` ("Erase", "Visor", "Sleuth") must match exactly
(ORTH); other tokens match in any case (LOWER). Whole words only, because the
ruler matches tokens, so "Visor" never fires inside "supervisor". Unit and
system names also match their plural ("MASHs", "hubs", "authorities").
"""

from __future__ import annotations

from typing import Any

from spacy.tokenizer import Tokenizer

from kg.entities.text import normalise
from kg.entities.vocab import Concept, Vocabulary

Pattern = dict[str, Any]

_PLURAL_LABELS = frozenset({"UNIT", "SYSTEM", "PARTNER"})


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _token_pattern(word: str, *, exact: bool, plural: bool) -> dict[str, Any]:
    if word in {"'s", "'"}:
        return {"LOWER": {"IN": [word, word.replace("'", "\u2019")]}}
    if exact:
        forms = [word, word + "s"] if plural else [word]
        return {"ORTH": {"IN": forms}} if plural else {"ORTH": word}
    low = word.lower()
    if plural and low[-1:].isalpha():
        forms = [low, low + "s"] if low.endswith("s") else [low, low + "s", low + "es"]
        if len(low) > 2 and low.endswith("y") and low[-2] not in "aeiou":
            forms.append(low[:-1] + "ies")  # "authority" -> "authorities"
        return {"LOWER": {"IN": forms}}
    return {"LOWER": low}


def concept_patterns(concept: Concept, tokenizer: Tokenizer) -> list[Pattern]:
    """Return one entity-ruler pattern per name of ``concept`` (none for sections).

    Args:
        concept: The vocabulary concept.
        tokenizer: The pipeline's tokenizer, so labels split like the text does.

    Returns:
        Patterns ``{"label", "pattern", "id"}`` with ``id`` the concept IRI.
    """
    if concept.is_section:
        return []
    patterns: list[Pattern] = []
    seen: set[str] = set()
    for name in concept.names:
        words = [t.text for t in tokenizer(normalise(name)) if not t.is_space]
        if not words:
            continue
        plural = concept.label in _PLURAL_LABELS and words[-1].isalpha()
        tokens = [
            _token_pattern(
                w,
                exact=concept.case_sensitive or name in concept.exact_labels or _is_acronym(w),
                plural=plural and i == len(words) - 1,
            )
            for i, w in enumerate(words)
        ]
        if words[0] in {"the", "The"}:
            tokens[0] = {"LOWER": "the"}  # "the Met" opens sentences as "The Met", whatever the case rule
        variants = [tokens]
        if words[-1][-1:].isupper() and not _is_acronym(words[-1]):
            # The tokenizer keeps a word ending in a capital and a full stop as one token ("Code C.",
            # "PentiP." ending a sentence); the linker trims the stop off the span.
            variants.append([*tokens[:-1], {"ORTH": words[-1] + "."}])
        for variant in variants:
            sig = repr(variant)
            if sig in seen:
                continue
            seen.add(sig)
            patterns.append({"label": concept.label, "pattern": variant, "id": concept.iri})
    return patterns


def vocabulary_patterns(vocabulary: Vocabulary, tokenizer: Tokenizer) -> list[Pattern]:
    """Return the patterns of every concept, in IRI order (deterministic)."""
    out: list[Pattern] = []
    for concept in vocabulary.concepts:
        out.extend(concept_patterns(concept, tokenizer))
    return out
