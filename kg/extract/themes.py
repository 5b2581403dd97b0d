"""Themes: give every statement at least one theme, and record why.

Themes come from ``ontology/vocab/themes.ttl``: the inspection frameworks'
own areas. A statement gets a theme when the section or area it sits in is
one of the theme's titles, when its own words use one of the theme's
terms, or when it names one of the theme's entities. A statement that
matches nothing gets the "General" theme, so none is left without one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from kg.extract.spans import statements_containing
from kg.formats import PART_KINDS, bare_title
from kg.namespaces import HMI
from kg.records import EntityMention, Statement, ThemeAssignment

GENERAL = "https://w3id.org/hmi-kg/vocab/theme/general"


@dataclass(frozen=True, slots=True, kw_only=True)
class Theme:
    """One theme: its IRI, labels, terms and related entities."""

    iri: str
    label: str
    titles: frozenset[str]
    keywords: tuple[str, ...]
    related: frozenset[str]


def load_themes(source: Graph | Path) -> tuple[Theme, ...]:
    """Read the themes scheme from a graph (or a Turtle file)."""
    g = source if isinstance(source, Graph) else Graph().parse(source)
    themes = []
    for iri in sorted(g.subjects(RDF.type, HMI.Theme), key=str):
        if not isinstance(iri, URIRef):
            continue
        labels = [str(x) for x in g.objects(iri, SKOS.prefLabel)] + [str(x) for x in g.objects(iri, SKOS.altLabel)]
        themes.append(
            Theme(
                iri=str(iri),
                label=str(g.value(iri, SKOS.prefLabel) or iri),
                titles=frozenset(bare_title(x) for x in labels),
                keywords=tuple(sorted(str(k).lower() for k in g.objects(iri, HMI.keyword))),
                related=frozenset(str(r) for r in g.objects(iri, HMI.relatedConcept)),
            )
        )
    return tuple(themes)


def _keyword_re(keyword: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + re.escape(keyword), re.I)


def assign_themes(
    statements: Sequence[Statement],
    mentions: Iterable[EntityMention],
    themes: Sequence[Theme],
) -> tuple[ThemeAssignment, ...]:
    """Themes for every statement, each with its reason, in a stable order."""
    patterns = {t.iri: [(k, _keyword_re(k)) for k in t.keywords] for t in themes}
    named = [m for m in sorted(mentions, key=lambda m: m.span.start) if m.concept]
    # One sweep finds the mentions inside each statement; testing every pair was statements × mentions.
    named_in: list[list[EntityMention]] = [[] for _ in statements]
    spans = [(st.span.start, st.span.end) for st in statements]
    for mention, holders in zip(
        named, statements_containing(spans, [(m.span.start, m.span.end) for m in named]), strict=True
    ):
        for index in holders:
            named_in[index].append(mention)
    out: list[ThemeAssignment] = []
    for index, st in enumerate(statements):
        found: dict[str, ThemeAssignment] = {}
        places = [st.section, st.area or ""]
        if st.part and st.part.lower() not in PART_KINDS:
            places.append(st.part)
        own_words = " ".join([st.heading.quote, *(a.span.quote for a in st.actions)])
        inside = named_in[index]
        for theme in themes:
            place = next((p for p in places if p and bare_title(p) in theme.titles), None)
            if place:
                found[theme.iri] = ThemeAssignment(
                    statement=index,
                    theme=theme.iri,
                    reason_kind="section",
                    reason=f"sits in '{' '.join(place.split())}'",
                )
                continue
            term = next((k for k, rx in patterns[theme.iri] if rx.search(own_words)), None)
            if term:
                found[theme.iri] = ThemeAssignment(
                    statement=index, theme=theme.iri, reason_kind="term", reason=f"uses the term '{term}'"
                )
                continue
            entity = next((m for m in inside if m.concept in theme.related), None)
            if entity:
                found[theme.iri] = ThemeAssignment(
                    statement=index, theme=theme.iri, reason_kind="entity", reason=f"names '{entity.span.quote}'"
                )
        if not found:
            found[GENERAL] = ThemeAssignment(
                statement=index, theme=GENERAL, reason_kind="fallback", reason="no section, term or entity matched"
            )
        out.extend(sorted(found.values(), key=lambda a: a.theme))
    return tuple(out)
