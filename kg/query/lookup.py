"""Look-ups over the graph by SPARQL, returning typed records.

Each function takes the dataset first and keyword filters after it, runs
one query from ``kg/queries/api/`` and turns the rows into the frozen
records of :mod:`kg.query.records_api`. They work on any store ``kg.store.generations``
opens (memory, embedded Oxigraph, a remote SPARQL endpoint) because they
use nothing but SPARQL 1.1 over the union default graph.

User values reach SPARQL only as bindings (``kg.query.sparql.run``, an inline
``VALUES`` block; see docs/decisions/0003): a quote, a brace or
``} ; DROP ALL`` in a filter is a string to compare with, never query text.
A value is checked in Python first only where SPARQL would misread it:
a string that is not an IRI is never handed to ``IRI()``.

``None`` always means "not given". Results are sorted in Python so every
store gives the same order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

from rdflib import Dataset, Literal
from rdflib.query import Result, ResultRow
from rdflib.term import Node

from kg.errors import QueryError
from kg.namespaces import HMID
from kg.query.records_api import (
    EntityRecord,
    EntitySummary,
    ForceRecord,
    LinkEnd,
    MentionRecord,
    PublicationRecord,
    StatementRecord,
    Trail,
    TrailLink,
)
from kg.query.sparql import run
from kg.resources import queries_dir

__all__ = [
    "PUBLICATION_KINDS",
    "STATEMENT_KINDS",
    "entities",
    "entity",
    "forces",
    "is_iri",
    "kind_of",
    "links",
    "mentions",
    "publications",
    "statement",
    "statements",
    "trail",
]

#: Class local names of the statement kinds, as ``StatementRecord.kind`` gives them.
STATEMENT_KINDS: tuple[str, ...] = (
    "Finding",
    "AreaForImprovement",
    "CauseOfConcern",
    "Recommendation",
    "InnovativePractice",
    "GoodPractice",
    "GradedJudgment",
    "CaseAuditTally",
)
#: Class local names of the publication kinds.
PUBLICATION_KINDS: tuple[str, ...] = ("InspectionReport", "PressRelease", "Article")

_HMI = "https://w3id.org/hmi-kg/ontology#"
_PUBLICATION_PREFIX = str(HMID["publication/"])
# An absolute IRI without the characters IRIs may not contain: safe to give to SPARQL's IRI().
_IRI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+")


def is_iri(value: str) -> bool:
    """Whether ``value`` is an absolute IRI, so it can be looked up as a node rather than a name.

    >>> is_iri("https://w3id.org/hmi-kg/vocab/system/sleuth"), is_iri("Sleuth"), is_iri("a:} ; DROP")
    (True, False, False)
    """
    return _IRI_RE.fullmatch(value) is not None


@cache
def api_query(*names: str) -> str:
    """The text of ``kg/queries/api/<name>.rq`` files joined, after the shared prefixes."""
    folder = queries_dir() / "api"
    parts = [(folder / f"{n}.rq").read_text(encoding="utf-8") for n in ("prefixes", *names)]
    return "\n".join(parts)


def _run(dataset: Dataset, names: tuple[str, ...], args: Mapping[str, str | None]) -> Result:
    bindings = {f"arg_{k}": v for k, v in args.items() if v is not None}
    return run(dataset, api_query(*names), bindings)


def select_rows(result: Result) -> list[ResultRow]:
    """The rows of a SELECT answer (an ASK or CONSTRUCT answer has none)."""
    return [row for row in result if isinstance(row, ResultRow)]


def _str(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _int(node: Node | None, default: int = 0) -> int:
    if node is None:
        return default
    value = node.toPython() if isinstance(node, Literal) else node
    return int(str(value))


def _float(node: Node | None, default: float = 0.0) -> float:
    return default if node is None else float(str(node))


def _bool(node: Node | None) -> bool:
    return node is not None and str(node).lower() in ("true", "1")


def _words(node: Node | None) -> tuple[str, ...]:
    return tuple(sorted(set(str(node).split()))) if node is not None else ()


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def kind_of(types: Iterable[str]) -> str:
    """The class local name that best names a node: a project class first, then any other.

    >>> kind_of(["http://www.w3.org/2004/02/skos/core#Concept", "https://w3id.org/hmi-kg/ontology#InformationSystem"])
    'InformationSystem'
    >>> kind_of([])
    'Resource'
    """
    ordered = sorted(set(types))
    own = [t for t in ordered if t.startswith(_HMI)]
    generic = {"Concept", "Organization", "SpecificResource", "Entity"}
    for group in (own, [t for t in ordered if _local(t) not in generic], ordered):
        if group:
            return _local(group[0])
    return "Resource"


def doc_id_of(publication: str) -> str:
    """The document id of a publication IRI (its last path segment)."""
    if publication.startswith(_PUBLICATION_PREFIX):
        return publication[len(_PUBLICATION_PREFIX) :]
    return _local(publication)


def _squash(name: str | None) -> str | None:
    """Lower-case letters and digits only: "area_for_improvement" == "AreaForImprovement"."""
    return None if name is None else re.sub(r"[^a-z0-9]", "", name.lower())


def _checked_kind(kind: str | None, known: tuple[str, ...], what: str) -> str | None:
    squashed = _squash(kind)
    if squashed is None:
        return None
    if squashed not in {_squash(k) for k in known}:
        raise QueryError(f"no {what} kind {kind!r}; known: {', '.join(known)}")
    return squashed


def _date_key(issued: str | None) -> str:
    return issued if issued else "\uffff"  # undated sorts last


# ---------------------------------------------------------------- forces and publications


def forces(dataset: Dataset) -> list[ForceRecord]:
    """Every force at least one publication is about, sorted by name.

    Why only these: the forces vocabulary lists every force of England and
    Wales and the UK's other forces, past and present; a reader asking "which
    forces" wants the ones the graph can say something about.
    """
    out = [
        ForceRecord(
            iri=str(r.force),
            label=_str(r.label) or _local(str(r.force)),
            publications=_int(r.publications),
            statements=_int(r.statements),
        )
        for r in select_rows(_run(dataset, ("forces",), {}))
    ]
    return sorted(out, key=lambda f: (f.label.lower(), f.iri))


def publications(
    dataset: Dataset, *, force: str | None = None, kind: str | None = None, publication: str | None = None
) -> list[PublicationRecord]:
    """Publications, oldest first (undated last, then by IRI).

    Args:
        dataset: The graph.
        force: A force IRI, or part of any of its names in any case ("Durham").
        kind: ``InspectionReport``, ``PressRelease`` or ``Article`` (any case, ``_`` and spaces ignored).
        publication: A document id or publication IRI.

    Raises:
        QueryError: ``kind`` names no publication kind.
    """
    args = {"force": force, "kind": _checked_kind(kind, PUBLICATION_KINDS, "publication"), "publication": publication}
    out = []
    for r in select_rows(_run(dataset, ("publications",), args)):
        iri = str(r.pub)
        out.append(
            PublicationRecord(
                iri=iri,
                doc_id=doc_id_of(iri),
                title=str(r.title),
                kind=_local(str(r["class"])),
                issued=_str(r.issued),
                force=_str(r.force),
                force_label=_str(r.forceLabel),
                programme=_str(r.programme),
                source_file=_str(r.sourceFile),
                announces=_str(r.announces),
                statements=_int(r.statements),
            )
        )
    return sorted(out, key=lambda p: (_date_key(p.issued), p.iri))


# ---------------------------------------------------------------- statements


def statements(
    dataset: Dataset,
    *,
    kind: str | None = None,
    force: str | None = None,
    theme: str | None = None,
    mentions: str | None = None,
    publication: str | None = None,
    section: str | None = None,
) -> list[StatementRecord]:
    """Statements matching every filter given, in publication date then document order.

    Args:
        dataset: The graph.
        kind: A statement kind: ``Finding``, ``AreaForImprovement``, ``CauseOfConcern``,
            ``Recommendation``, ``InnovativePractice``, ``GoodPractice``, ``GradedJudgment``,
            ``CaseAuditTally`` (any case; ``area_for_improvement`` works too).
        force: A force IRI, or part of any of its names in any case.
        theme: A theme IRI, or part of its name in any case ("missing").
        mentions: An entity IRI, or one of its names, whole, in any case ("Sleuth", "MASH").
        publication: A document id or publication IRI.
        section: Part of the top-level section's title, any case ("Assessment and help").

    Raises:
        QueryError: ``kind`` names no statement kind (the message lists them).
    """
    args = {
        "kind": _checked_kind(kind, STATEMENT_KINDS, "statement"),
        "force": force,
        "theme": theme,
        "mentions": mentions,
        "publication": publication,
        "section": section,
    }
    return _statements(dataset, args)


def statement(dataset: Dataset, iri: str) -> StatementRecord | None:
    """One statement by IRI, or None if the graph has no such statement."""
    if not is_iri(iri):
        return None
    found = _statements(dataset, {"statement": iri})
    return found[0] if found else None


def _statements(dataset: Dataset, args: Mapping[str, str | None]) -> list[StatementRecord]:
    concepts: dict[tuple[str, str], set[str]] = {}
    for r in select_rows(_run(dataset, ("statement-concepts",), {"statement": args.get("statement")})):
        concepts.setdefault((str(r.statement), _local(str(r.p))), set()).add(str(r.concept))
    out: dict[str, StatementRecord] = {}
    for r in select_rows(_run(dataset, ("statements",), args)):
        iri, pub = str(r.statement), str(r.pub)
        if iri in out:  # a second label of its force or section: keep the first row
            continue
        out[iri] = StatementRecord(
            iri=iri,
            kind=_local(str(r["class"])),
            label=str(r.label),
            publication=pub,
            doc_id=doc_id_of(pub),
            publication_title=str(r.pubTitle),
            issued=_str(r.issued),
            force=_str(r.force),
            force_label=_str(r.forceLabel),
            section=_str(r.section),
            part=_str(r.part),
            order=_int(r.order),
            quote=str(r.exact),
            start=_int(r.start),
            end=_int(r.end),
            themes=tuple(sorted(concepts.get((iri, "theme"), ()))),
            mentions=tuple(sorted(concepts.get((iri, "mentions"), ()))),
        )
    return sorted(out.values(), key=lambda s: (_date_key(s.issued), s.publication, s.order, s.iri))


# ---------------------------------------------------------------- entities and mentions


def entities(dataset: Dataset, *, entity_label: str | None = None) -> list[EntitySummary]:
    """Every entity the text names, most mentioned first (then by name).

    Args:
        dataset: The graph.
        entity_label: Only entities recognised with this label (FORCE, UNIT, SYSTEM,
            LEGISLATION, PARTNER, INITIATIVE, RISK_TOOL, ORG...), any case.
    """
    out = []
    for r in select_rows(_run(dataset, ("entities",), {"label": entity_label})):
        iri = str(r.entity)
        out.append(
            EntitySummary(
                iri=iri,
                label=_str(r.prefLabel) or _str(r.plainLabel) or _local(iri),
                kind=kind_of(_words(r.types)),
                entity_label=str(r.entityLabel),
                mentions=_int(r.mentions),
                statements=_int(r.statements),
            )
        )
    return sorted(out, key=lambda e: (-e.mentions, e.label.lower(), e.iri))


def mentions(dataset: Dataset, *, entity: str | None = None) -> list[MentionRecord]:
    """Mentions, in publication then offset order; of one entity (by IRI) if given."""
    if entity is not None and not is_iri(entity):
        return []
    out = []
    for r in select_rows(_run(dataset, ("mentions",), {"entity": entity})):
        pub = str(r.pub)
        out.append(
            MentionRecord(
                iri=str(r.mention),
                entity=str(r.entity),
                entity_label=_str(r.entityLabel) or "",
                quote=str(r.exact),
                start=_int(r.start),
                end=_int(r.end),
                publication=pub,
                doc_id=doc_id_of(pub),
                statements=_words(r.statements),
            )
        )
    return sorted(out, key=lambda m: (m.publication, m.start, m.end, m.iri))


def entity(dataset: Dataset, label_or_iri: str) -> EntityRecord | None:
    """An entity by IRI or by name, with every mention of it; None if nothing matches.

    A name matches a ``skos:prefLabel``, ``skos:altLabel`` or ``rdfs:label``
    whole, in any case. Where two concepts share a name, the one whose
    preferred name it is wins, then the one mentioned most, then the first
    IRI: a name is a way in, not an identity (use the IRI to be exact).
    """
    iri = _resolve_entity(dataset, label_or_iri)
    if iri is None:
        return None
    facts: dict[str, list[str]] = {}
    for r in select_rows(_run(dataset, ("entity",), {"iri": iri})):
        facts.setdefault(str(r.p), []).append(str(r.v))
    found = mentions(dataset, entity=iri)
    if not facts and not found:
        return None

    def values(prop: str) -> list[str]:
        return sorted(set(facts.get(prop, [])))

    skos = "http://www.w3.org/2004/02/skos/core#"
    pref = values(skos + "prefLabel") or values("http://www.w3.org/2000/01/rdf-schema#label") or [_local(iri)]
    return EntityRecord(
        iri=iri,
        label=pref[0],
        alt_labels=tuple(a for a in values(skos + "altLabel") if a not in pref[:1]),
        kind=kind_of(values("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")),
        same_as=tuple(values("http://www.w3.org/2002/07/owl#sameAs")),
        needs_review=any(v.lower() == "true" for v in values(_HMI + "needsReview")),
        mentions=tuple(found),
    )


def _resolve_entity(dataset: Dataset, label_or_iri: str) -> str | None:
    if is_iri(label_or_iri):
        return label_or_iri
    rows = select_rows(_run(dataset, ("entity-by-label",), {"label": label_or_iri}))
    if not rows:
        return None
    best = min(rows, key=lambda r: (-_int(r.pref), -_int(r.mentions), str(r.entity)))
    return str(best.entity)


# ---------------------------------------------------------------- follow-up links


def _end(r: ResultRow, p: str, statement: str) -> LinkEnd:
    pub = str(r[f"{p}Pub"])
    return LinkEnd(
        statement=statement,
        kind=_local(str(r[f"{p}Class"])),
        label=str(r[f"{p}Label"]),
        publication=pub,
        publication_title=str(r[f"{p}PubTitle"]),
        issued=_str(r[f"{p}Issued"]),
        quote=str(r[f"{p}Exact"]),
        start=_int(r[f"{p}Start"]),
        end=_int(r[f"{p}End"]),
    )


def _links(result: Result) -> list[TrailLink]:
    seen: dict[str, TrailLink] = {}
    for r in select_rows(result):
        iri = str(r.link)
        if iri in seen:  # a link with two labels on one end would repeat; keep the first
            continue
        seen[iri] = TrailLink(
            iri=iri,
            relation=str(r.relation),
            status=_str(r.status),
            status_label=_str(r.statusLabel),
            confidence=_float(r.confidence),
            method=_str(r.method) or "",
            inferred=_bool(r.inferred),
            earlier=_end(r, "e", str(r.earlier)),
            later=_end(r, "l", str(r.later)),
        )
    return sorted(
        seen.values(),
        key=lambda k: (_date_key(k.earlier.issued), _date_key(k.later.issued), k.earlier.start, k.iri),
    )


def links(dataset: Dataset) -> list[TrailLink]:
    """Every follow-up and restatement link, in time order (see :class:`kg.query.records_api.Trail`)."""
    return _links(_run(dataset, ("links-head", "links-body"), {}))


def trail(dataset: Dataset, statement: str) -> Trail:
    """The links of the trail a statement belongs to, in time order.

    The trail is every statement reachable from ``statement`` over
    ``hmi:followedUpBy`` and ``hmi:restates``, in either direction, and
    every link between them: a recommendation, the review that judged it
    and the later area for improvement come back together whichever of
    them is asked about. A statement with no links, or a string that is
    not an IRI, has an empty trail.
    """
    if not is_iri(statement):
        return Trail(statement=statement, links=())
    found = _links(_run(dataset, ("trail-head", "links-body"), {"statement": statement}))
    return Trail(statement=statement, links=tuple(found))
