"""Load the SKOS vocabularies in ``ontology/vocab`` into a frozen record."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from kg import resources
from kg.entities.errors import VocabularyError
from kg.entities.text import key

HMI = "https://w3id.org/hmi-kg/ontology#"
VOCAB = "https://w3id.org/hmi-kg/vocab/"

#: Entity label for each ontology class a concept can have.
CLASS_LABELS: dict[str, str] = {
    HMI + "PoliceForce": "FORCE",
    HMI + "UnitType": "UNIT",
    HMI + "InformationSystem": "SYSTEM",
    HMI + "Legislation": "LEGISLATION",
    HMI + "LegislationSection": "LEGISLATION",
    HMI + "PartnerAgency": "PARTNER",
    HMI + "Inspectorate": "INSPECTORATE",
    HMI + "Guidance": "GUIDANCE",
    HMI + "Initiative": "INITIATIVE",
    HMI + "RiskAssessmentTool": "RISK_TOOL",
}
#: Entity label for concepts that have no entity class but sit in a known scheme.
SCHEME_LABELS: dict[str, str] = {
    VOCAB + "force": "FORCE",
    VOCAB + "unit": "UNIT",
    VOCAB + "system": "SYSTEM",
    VOCAB + "legislation": "LEGISLATION",
    VOCAB + "partner": "PARTNER",
    VOCAB + "inspectorate": "INSPECTORATE",
    VOCAB + "guidance": "GUIDANCE",
    VOCAB + "initiative": "INITIATIVE",
    VOCAB + "risk-tool": "RISK_TOOL",
}
OWN_FORCE = VOCAB + "force/own-force"
_CASE_SENSITIVE = URIRef(HMI + "caseSensitive")
_OWN_FORCE_REF = URIRef(HMI + "ownForceReference")
_EXACT_LABEL = URIRef(HMI + "exactLabel")
_SECTOR_WORD = URIRef(HMI + "sectorWord")
#: Class of names reviewed and rejected: never entities, whatever proposes them.
NOT_AN_ENTITY = URIRef(HMI + "NotAnEntity")


@dataclass(frozen=True, slots=True, kw_only=True)
class Concept:
    """One vocabulary concept and the names it is written as.

    ``cls`` is the ontology class IRI (empty for helper concepts such as the
    own-force reference); ``part_of`` is the Act of a section.
    """

    iri: str
    label: str
    cls: str
    pref_label: str
    alt_labels: tuple[str, ...]
    case_sensitive: bool = False
    #: Names matched only as written, in a concept matched in any case otherwise
    #: ("Working Together" the guidance, not "working together" the phrase).
    exact_labels: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()
    part_of: str | None = None
    own_force_reference: bool = False
    #: Bare words for the concept's sector ("health", "education") that name it only in a list of
    #: agencies ("police, health and education"); never matched alone (``kg.entities.sectors``).
    sector_words: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """prefLabel, altLabels, then exact labels."""
        return (self.pref_label, *self.alt_labels, *self.exact_labels)

    @property
    def is_section(self) -> bool:
        """Whether the concept is a section of an Act (matched by pattern, not name)."""
        return self.cls == HMI + "LegislationSection"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """All concepts, with a name index; ``digest`` identifies the source files."""

    concepts: tuple[Concept, ...]
    digest: str = ""
    #: Lookup keys of names reviewed and rejected (``hmi:NotAnEntity`` labels).
    rejected: frozenset[str] = frozenset()
    _by_iri: dict[str, Concept] = field(default_factory=dict, init=False, repr=False, compare=False)
    _by_name: dict[str, Concept] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for concept in self.concepts:
            self._by_iri[concept.iri] = concept
            for name in concept.names:
                self._by_name.setdefault(key(name), concept)

    def get(self, iri: str) -> Concept | None:
        """Return the concept with this IRI, or None."""
        return self._by_iri.get(iri)

    def lookup(self, name: str) -> Concept | None:
        """Return the concept one of whose labels is ``name``.

        Case-insensitive, except that a case-sensitive concept (or an
        all-capitals label) only answers to its exact spelling.
        """
        concept = self._by_name.get(key(name))
        if concept is None:
            return None
        norm = " ".join(name.replace("\u2019", "'").split())
        exact = {" ".join(n.replace("\u2019", "'").split()) for n in concept.exact_labels}
        if concept.case_sensitive or norm.isupper() or key(name) in {key(n) for n in exact}:
            if norm not in {" ".join(n.replace("\u2019", "'").split()) for n in concept.names}:
                return None
        return concept

    def sector_words(self) -> dict[str, str]:
        """Map each bare sector word (lower case) to its partner kind's IRI ("health" -> health services)."""
        return {w.lower(): c.iri for c in self.concepts for w in c.sector_words}

    def acts(self) -> dict[str, str]:
        """Map each Act name (lookup key) to the Act's IRI, for the title pattern.

        A title without its year ("the Human Rights Act") names the Act too,
        where only one Act in the vocabulary has that title; "the Children
        Act" (1989 or 2004) is left to the year the page gives.
        """
        out: dict[str, str] = {}
        bare: dict[str, set[str]] = {}
        for concept in self.concepts:
            if concept.cls == HMI + "Legislation":
                for name in concept.names:
                    out[key(name)] = concept.iri
                    title = re.sub(r"\s+(?:1[6-9]\d\d|20\d\d)$", "", name.strip())
                    if title != name.strip() and title.endswith(" Act"):
                        bare.setdefault(key(title), set()).add(concept.iri)
        for title, iris in bare.items():
            if len(iris) == 1:
                out.setdefault(title, next(iter(iris)))
        return out


def _label_of(graph: Graph, subject: URIRef) -> tuple[str, str] | None:
    for cls in graph.objects(subject, RDF.type):
        if str(cls) in CLASS_LABELS:
            return CLASS_LABELS[str(cls)], str(cls)
    for scheme in graph.objects(subject, SKOS.inScheme):
        if str(scheme) in SCHEME_LABELS:
            return SCHEME_LABELS[str(scheme)], ""
    return None


def _text(value: object) -> str:
    return str(value) if isinstance(value, Literal) else ""


def load_vocabulary(vocab_dir: Path | None = None) -> Vocabulary:
    """Read every ``*.ttl`` concept scheme in ``vocab_dir`` into a Vocabulary.

    Why: the spaCy patterns and the linker both come from these SKOS labels,
    so that adding an alias is one line of Turtle, never code. Concepts that
    belong to no entity class or scheme (themes, grades) are ignored.

    Args:
        vocab_dir: Folder of Turtle files; defaults to the project's ``ontology/vocab``.

    Returns:
        The concepts, sorted by IRI so that patterns are built deterministically.

    Raises:
        VocabularyError: if the folder is missing, a file does not parse, or a
            concept has no prefLabel.
    """
    if vocab_dir is None:
        vocab_dir = resources.vocab_dir()
    if not vocab_dir.is_dir():
        raise VocabularyError(
            f"{vocab_dir}: vocabulary folder not found; expected ontology/vocab/*.ttl "
            "(set KG_ONTOLOGY_DIR or pass vocab_dir)"
        )
    files = sorted(vocab_dir.glob("*.ttl"))
    if not files:
        raise VocabularyError(f"{vocab_dir}: no *.ttl files; expected SKOS concept schemes")
    digest = hashlib.sha256()
    concepts: list[Concept] = []
    rejected: set[str] = set()
    for path in files:
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        graph = Graph()
        try:
            graph.parse(data=data.decode("utf-8"), format="turtle")
        except Exception as err:  # rdflib raises many types (BadSyntax, IndexError...)
            raise VocabularyError(f"{path}: not valid Turtle ({err}); fix the file syntax") from err
        for subject in graph.subjects(RDF.type, NOT_AN_ENTITY):
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                rejected.update(key(_text(v)) for v in graph.objects(subject, prop) if _text(v))
        for subject in sorted(set(graph.subjects(RDF.type, SKOS.Concept)), key=str):
            if not isinstance(subject, URIRef):
                continue
            found = _label_of(graph, subject)
            if found is None:
                continue
            label, cls = found
            prefs = [_text(v) for v in graph.objects(subject, SKOS.prefLabel)]
            if not prefs or not prefs[0]:
                raise VocabularyError(f'{path}: concept <{subject}> has no skos:prefLabel; add one ("..."@en)')
            alts = tuple(sorted(_text(v) for v in graph.objects(subject, SKOS.altLabel)))
            part_of = graph.value(subject, DCTERMS.isPartOf)
            concepts.append(
                Concept(
                    iri=str(subject),
                    label=label,
                    cls=cls,
                    pref_label=sorted(prefs)[0],
                    alt_labels=alts,
                    case_sensitive=bool(graph.value(subject, _CASE_SENSITIVE)),
                    exact_labels=tuple(sorted(_text(v) for v in graph.objects(subject, _EXACT_LABEL))),
                    same_as=tuple(sorted(str(o) for o in graph.objects(subject, OWL.sameAs))),
                    part_of=str(part_of) if part_of is not None else None,
                    own_force_reference=bool(graph.value(subject, _OWN_FORCE_REF)),
                    sector_words=tuple(sorted(_text(v) for v in graph.objects(subject, _SECTOR_WORD))),
                )
            )
    concepts.sort(key=lambda c: c.iri)
    return Vocabulary(tuple(concepts), digest.hexdigest(), frozenset(rejected))
