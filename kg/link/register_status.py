"""The register's own status words, read as follow-up statuses.

The mapping lives in ``ontology/vocab/statuses.ttl`` (each register status
concept has ``skos:notation`` as the register writes it and a
``skos:exactMatch`` or ``skos:closeMatch`` follow-up status), so a status
word the register starts using is one line of Turtle, never code.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.graph.validate import load_turtle
from kg.resources import ontology_dir

_STATUS_NS = "https://w3id.org/hmi-kg/vocab/status/"


@lru_cache(maxsize=1)
def register_statuses() -> dict[str, str]:
    """Register status word (hyphenated, lower case) -> follow-up status local name."""
    vocab: Graph = load_turtle(ontology_dir() / "vocab" / "statuses.ttl")
    out: dict[str, str] = {}
    for prop in (SKOS.closeMatch, SKOS.exactMatch):  # an exact match wins over a close one
        for concept, target in vocab.subject_objects(prop):
            if not isinstance(target, URIRef) or not str(target).startswith(_STATUS_NS):
                continue
            for notation in vocab.objects(concept, SKOS.notation):
                out[normalise(str(notation))] = str(target)[len(_STATUS_NS) :]
    return out


def normalise(word: str) -> str:
    """ "Awaiting review", "awaiting_review" and "awaiting-review" are one status word."""
    return re.sub(r"[\s_-]+", "-", word.strip().lower())


def register_status(word: str) -> str:
    """The follow-up status a register status word maps onto; "no-later-evidence" for a word the vocabulary lacks."""
    return register_statuses().get(normalise(word), "no-later-evidence")
