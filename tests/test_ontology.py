"""The ontology, shapes and vocabularies parse and agree with the code."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import HMI
from kg.resources import ontology_dir


def test_ontology_every_file_parses():
    for path in [
        ontology_dir() / "kg.ttl",
        ontology_dir() / "shapes.ttl",
        *sorted((ontology_dir() / "vocab").glob("*.ttl")),
    ]:
        Graph().parse(path, format="turtle")


def test_ontology_namespace_matches_kg_ttl():
    g = Graph().parse(ontology_dir() / "kg.ttl")
    ns = str(HMI._NS)
    defined = {str(s)[len(ns) :] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(ns)}
    assert defined == set(HMI.__annotations__)


def test_ontology_every_term_has_label_and_comment():
    g = Graph().parse(ontology_dir() / "kg.ttl")
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for term in g.subjects(RDF.type, kind):
            assert g.value(term, RDFS.label) is not None, term
            assert g.value(term, RDFS.comment) is not None, term


def test_ontology_every_vocab_concept_has_a_preflabel():
    for path in sorted((ontology_dir() / "vocab").glob("*.ttl")):
        g = Graph().parse(path)
        for concept in g.subjects(RDF.type, SKOS.Concept):
            assert g.value(concept, SKOS.prefLabel) is not None, (path.name, concept)
