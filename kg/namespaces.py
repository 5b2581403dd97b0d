"""RDF namespaces: the project's closed ontology namespace and data IRIs.

``HMI`` is closed (``_fail = True``) so a misspelt term is an error rather
than a silently minted IRI; ``tests/test_ontology.py`` keeps it in step with
``ontology/kg.ttl``.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace


class HMI(DefinedNamespace):
    """Terms of ``ontology/kg.ttl``."""

    _fail = True
    _NS = Namespace("https://w3id.org/hmi-kg/ontology#")

    AreaForImprovement: URIRef
    Article: URIRef
    CandidateEntity: URIRef
    CaseAuditTally: URIRef
    CauseOfConcern: URIRef
    Discrepancy: URIRef
    EntityTally: URIRef
    Finding: URIRef
    FollowUpLink: URIRef
    FollowUpStatus: URIRef
    ForceUnit: URIRef
    GoodPractice: URIRef
    Grade: URIRef
    GradeCount: URIRef
    GradedJudgment: URIRef
    Guidance: URIRef
    InformationSystem: URIRef
    Initiative: URIRef
    InnovativePractice: URIRef
    InspectionReport: URIRef
    Inspectorate: URIRef
    Legislation: URIRef
    LegislationSection: URIRef
    Mention: URIRef
    NotAnEntity: URIRef
    PartnerAgency: URIRef
    PoliceForce: URIRef
    PressRelease: URIRef
    Publication: URIRef
    Recommendation: URIRef
    RegisterStatus: URIRef
    StatusChange: URIRef
    RecommendationAction: URIRef
    RiskAssessmentTool: URIRef
    Section: URIRef
    Statement: URIRef
    Theme: URIRef
    ThemeAssignment: URIRef
    Timescale: URIRef
    Topic: URIRef
    UnitType: URIRef
    AnnouncedReport: URIRef
    DateRecord: URIRef
    Inspection: URIRef
    LandingPage: URIRef
    Letter: URIRef
    PeelPillar: URIRef
    Programme: URIRef
    RegisterEntry: URIRef
    aboutForce: URIRef
    comment: URIRef
    explanation: URIRef
    forReview: URIRef
    registerStatus: URIRef
    registerStatusText: URIRef
    sourceInspectionTitle: URIRef
    statusChange: URIRef
    statusDate: URIRef
    tracks: URIRef
    aboutInspection: URIRef
    dateEvidence: URIRef
    datePrecision: URIRef
    dateProvenance: URIRef
    dateQualifier: URIRef
    dateValue: URIRef
    dateEnd: URIRef
    editionDate: URIRef
    edition: URIRef
    firstPublication: URIRef
    inspectedDate: URIRef
    notInCorpus: URIRef
    pillar: URIRef
    publishedWithReport: URIRef
    scope: URIRef
    timeBasis: URIRef
    timeKey: URIRef
    titleMade: URIRef
    otherSourceFile: URIRef
    actionCount: URIRef
    addressedTo: URIRef
    addressee: URIRef
    announces: URIRef
    announcesTitle: URIRef
    areaCount: URIRef
    assignedTheme: URIRef
    auditArea: URIRef
    caseSensitive: URIRef
    concerns: URIRef
    confidence: URIRef
    contentHash: URIRef
    detectedField: URIRef
    disagreement: URIRef
    discrepancyKind: URIRef
    documentKind: URIRef
    earlier: URIRef
    earlierEvidence: URIRef
    entityLabel: URIRef
    evidence: URIRef
    exactLabel: URIRef
    followedUpBy: URIRef
    framework: URIRef
    goodCount: URIRef
    grade: URIRef
    gradeCount: URIRef
    gradeEvidence: URIRef
    gradeOnScale: URIRef
    gradeScale: URIRef
    gradedArea: URIRef
    hasAction: URIRef
    hasMention: URIRef
    headingLevel: URIRef
    headingSource: URIRef
    inSection: URIRef
    inadequateCount: URIRef
    inferred: URIRef
    isGuidance: URIRef
    isOverall: URIRef
    keyword: URIRef
    later: URIRef
    laterEvidence: URIRef
    latestStatus: URIRef
    mentionCount: URIRef
    mentions: URIRef
    message: URIRef
    method: URIRef
    needsReview: URIRef
    order: URIRef
    ownForceReference: URIRef
    part: URIRef
    programme: URIRef
    reason: URIRef
    reasonKind: URIRef
    recognisedBy: URIRef
    refersTo: URIRef
    relatedConcept: URIRef
    relation: URIRef
    requiresImprovementCount: URIRef
    restates: URIRef
    sectorWord: URIRef
    source: URIRef
    sourceFile: URIRef
    statementCount: URIRef
    statementKind: URIRef
    status: URIRef
    theme: URIRef
    themeAssignment: URIRef
    timescale: URIRef
    cue: URIRef
    polarity: URIRef
    Polarity: URIRef
    recapOf: URIRef
    isIncomplete: URIRef
    totalCount: URIRef
    unitType: URIRef


OA = Namespace("http://www.w3.org/ns/oa#")
#: Data IRIs: publications, statements, sections, spans.
HMID = Namespace("https://w3id.org/hmi-kg/id/")
#: Vocabulary concept IRIs (forces, units, grades...).
VOCAB = Namespace("https://w3id.org/hmi-kg/vocab/")

PREFIXES: dict[str, Namespace] = {
    "hmi": Namespace(str(HMI._NS)),
    "hmid": HMID,
    "vocab": VOCAB,
    "oa": OA,
    "prov": Namespace(str(PROV)),
    "dcterms": Namespace(str(DCTERMS)),
    "skos": Namespace(str(SKOS)),
    "org": Namespace(str(ORG)),
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes (and only those) so output is stable."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
