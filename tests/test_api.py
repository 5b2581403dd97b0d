"""The Python API against the shipped corpus, on the embedded and the in-memory store.

Every expected answer can be checked by reading the corpus: the Sleuth
findings are in section "6. Assessment and help" of the Durham child
protection report, Durham's PEEL report grades ten areas, and so on.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

import kg
from kg import KnowledgeGraph
from kg.errors import NodeNotFound, QueryError
from kg.ingest import read_corpus
from kg.namespaces import HMID
from kg.query.records_api import StatementRecord
from kg.records import Extraction, SourceDocument
from kg.store.generations import open_dataset, publish_generation

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(__file__).resolve().parent / "data" / "api" / "links-sample.trig"
NCPI = "durham-ncpi-2019-report"
PEEL = "durham-peel-2023-report"
SLEUTH = "https://w3id.org/hmi-kg/vocab/system/sleuth"
DURHAM = "https://w3id.org/hmi-kg/vocab/force/durham"
HOSTILE = [
    '"} ; DROP ALL',
    "'",
    '\\" ) } UNION { ?s ?p ?o',
    "line\nbreak",
    'triple """ quote',
    "ünïcødé ’ 😀",
    "{{}}",
    "?s ?p ?o",
    "<http://example.org/x>",
    "a:} ; DROP",
]


def _copy_to_memory(source: Dataset) -> Dataset:
    mem = Dataset(default_union=True)
    for s, p, o, g in source.quads((None, None, None, None)):
        mem.graph(g.identifier if isinstance(g, Graph) else g).add((s, p, o))
    return mem


@pytest.fixture(scope="module", params=["embedded", "memory"])
def graph(request: pytest.FixtureRequest, built_store: Path) -> KnowledgeGraph:
    """The shipped corpus, opened both ways: the same answers are expected from each."""
    if request.param == "embedded":
        return KnowledgeGraph.open(built_store)
    return KnowledgeGraph.open(_copy_to_memory(open_dataset(built_store)))


@pytest.fixture(scope="module")
def texts(corpus_dir: Path) -> dict[str, str]:
    return {d.doc_id: d.text for d in read_corpus(corpus_dir) if isinstance(d, SourceDocument)}


def _sample_memory() -> Dataset:
    ds = Dataset(default_union=True)
    with warnings.catch_warnings():  # rdflib 7.6's TriG parser uses its own deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        ds.parse(SAMPLE, format="trig")
    ds.graph(HMID["graph/ontology"]).parse(ROOT / "ontology" / "kg.ttl", format="turtle")
    return ds


@pytest.fixture(scope="module", params=["memory", "embedded"])
def linked(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """The hand-built follow-up sample (tests/data/api/links-sample.trig) on both stores."""
    ds = _sample_memory()
    if request.param == "memory":
        return KnowledgeGraph.open(ds)
    store = tmp_path_factory.mktemp("linked")
    publish_generation(store, [g for g in ds.graphs() if len(g)])
    return KnowledgeGraph.open(store)


# ---------------------------------------------------------------- open and import


def test_api_kg_exports_knowledgegraph_lazily():
    assert kg.KnowledgeGraph is KnowledgeGraph
    with pytest.raises(AttributeError):
        kg.NoSuchThing  # noqa: B018


def test_api_open_memory_is_empty():
    empty = KnowledgeGraph.open("memory")
    assert empty.forces() == [] and empty.statements() == [] and empty.trail("https://x.org/a").links == ()


# ---------------------------------------------------------------- forces and publications


def test_api_forces(graph: KnowledgeGraph):
    forces = graph.forces()
    assert [f.label for f in forces] == ["Durham Constabulary", "Northumbria Police"]
    durham = forces[0]
    assert durham.iri == DURHAM and durham.publications == 3 and durham.statements > 100


def test_api_publications_of_durham(graph: KnowledgeGraph):
    pubs = graph.publications(force="Durham")
    # By place in time (kg/link/timeline.py): the NCPI inspection (October 2019, though its web edition is
    # dated 2022-09-08), its press release (first published March 2020), then PEEL (November 2023).
    assert [p.doc_id for p in pubs] == [NCPI, "durham-ncpi-2019-press-release", PEEL]
    assert [p.kind for p in pubs] == ["InspectionReport", "PressRelease", "InspectionReport"]
    assert pubs[0].title == "Durham – National child protection inspection"
    assert [p.issued for p in pubs] == ["2019-10", "2020-03", "2023-11"]
    assert pubs[1].announces == f"{HMID}publication/{NCPI}"
    assert {p.force_label for p in pubs} == {"Durham Constabulary"}
    assert graph.publications(force=DURHAM) == pubs
    assert [p.doc_id for p in graph.publications(force="northumbria")] == ["northumbria-ncpi-2019-review-press-release"]
    assert len(graph.publications(kind="press_release")) == 2
    assert graph.publications(force="Kent") == []


def test_api_publications_unknown_kind_says_which_exist(graph: KnowledgeGraph):
    with pytest.raises(QueryError, match="InspectionReport"):
        graph.publications(kind="Report of sorts")


# ---------------------------------------------------------------- statements


def test_api_statements_mentioning_sleuth_are_in_assessment_and_help(graph: KnowledgeGraph, texts: dict[str, str]):
    found = graph.statements(mentions="Sleuth")
    # The three heading findings of "6. Assessment and help", and the case-file analysis's
    # "Common themes include:" item that names Sleuth (read by the prose reader).
    assert [s.section for s in found].count("6. Assessment and help") == 3
    assert len(found) == 4
    for s in found:
        assert s.kind == "Finding" and s.doc_id == NCPI
        assert s.section in ("6. Assessment and help", "4. Case file analysis")
        assert "Sleuth" in s.quote and SLEUTH in s.mentions
        assert texts[NCPI][s.start : s.end] == s.quote
    assert graph.statements(mentions="sleuth") == found  # any case
    assert graph.statements(mentions=SLEUTH) == found  # or by IRI
    assert graph.statements(mentions="Sleu") == []  # a name is matched whole


def test_api_statements_the_ten_peel_grades(graph: KnowledgeGraph):
    grades = graph.statements(kind="GradedJudgment", force="Durham")
    assert len(grades) == 10
    assert {s.doc_id for s in grades} == {PEEL}
    words = sorted(s.label.split(": ")[1] for s in grades)
    assert words.count("Outstanding") == 1 and words.count("Good") == 2
    assert words.count("Adequate") == 5 and words.count("Requires improvement") == 2
    assert "Disrupting serious organised crime: Outstanding" in {s.label for s in grades}
    assert graph.statements(kind="graded_judgment") == grades  # snake case works too


def test_api_every_statement_carries_quote_publication_offsets(
    graph: KnowledgeGraph, texts: dict[str, str], extractions: dict[str, Extraction]
):
    everything = graph.statements()
    # Every statement extracted is in the graph: the layout's 140 and those read from prose.
    assert len(everything) == sum(len(e.statements) for e in extractions.values()) > 140
    for s in everything:
        assert isinstance(s, StatementRecord)
        assert s.publication == f"{HMID}publication/{s.doc_id}"
        assert texts[s.doc_id][s.start : s.end] == s.quote, s.iri
        assert s.publication_title
    assert len({s.iri for s in everything}) == len(everything)


def test_api_statements_filters_combine(graph: KnowledgeGraph):
    afi = graph.statements(kind="AreaForImprovement", publication=PEEL)
    assert afi and {s.kind for s in afi} == {"AreaForImprovement"} and {s.doc_id for s in afi} == {PEEL}
    in_section = graph.statements(section="assessment and help", publication=NCPI)
    assert in_section and all(s.section == "6. Assessment and help" for s in in_section)
    sleuth_there = graph.statements(mentions="Sleuth", section="assessment and help")
    assert sleuth_there and {s.iri for s in sleuth_there} <= {s.iri for s in in_section}
    missing = graph.statements(theme="missing")
    assert missing and all(any("missing" in t for t in s.themes) for s in missing)
    northumbria = graph.statements(force="Northumbria", kind="Finding")  # read from its press release's prose
    assert northumbria and {s.doc_id for s in northumbria} == {"northumbria-ncpi-2019-review-press-release"}
    assert graph.statements(force="Kent", kind="Finding") == []
    with pytest.raises(QueryError, match="AreaForImprovement"):
        graph.statements(kind="Findings of fact")


def test_api_statement_by_iri(graph: KnowledgeGraph):
    first = graph.statements(mentions="Sleuth")[0]
    assert graph.statement(first.iri) == first
    assert graph.statement("https://w3id.org/hmi-kg/id/nothing") is None


# ---------------------------------------------------------------- entities


def test_api_entity_sleuth_with_its_mentions(graph: KnowledgeGraph, texts: dict[str, str]):
    sleuth = graph.entity("Sleuth")
    assert sleuth is not None
    assert sleuth.iri == SLEUTH and sleuth.kind == "InformationSystem" and sleuth.label == "Sleuth"
    assert len(sleuth.mentions) == 6
    for m in sleuth.mentions:
        assert m.quote == "Sleuth" and m.doc_id == NCPI and m.entity_label == "SYSTEM"
        assert texts[m.doc_id][m.start : m.end] == m.quote
    assert set(sleuth.statements) == {s.iri for s in graph.statements(mentions="Sleuth")}
    assert graph.entity(SLEUTH) == sleuth


def test_api_entity_legislation_and_apostrophes(graph: KnowledgeGraph):
    act = graph.entity("children act 1989")
    assert act is not None and "http://www.legislation.gov.uk/id/ukpga/1989/41" in act.same_as
    barnardos = graph.entity("Barnardo's")
    assert barnardos is not None and barnardos.kind == "PartnerAgency" and len(barnardos.mentions) == 1
    assert graph.entity("Barnardo") is None


def test_api_entities_counts(graph: KnowledgeGraph):
    systems = graph.entities(entity_label="system")
    # Sleuth is named in three heading findings and one case-file analysis item read from prose.
    assert systems[0].label == "Sleuth" and systems[0].mentions == 6 and systems[0].statements == 4
    assert all(e.entity_label == "SYSTEM" for e in systems)
    assert len(graph.mentions(entity=SLEUTH)) == 6


# ---------------------------------------------------------------- traversal


def test_api_neighbours_of_sleuth_are_its_findings(graph: KnowledgeGraph):
    near = graph.neighbours("Sleuth")
    assert {n.iri for n in near} == {s.iri for s in graph.statements(mentions="Sleuth")}
    assert {(n.kind, n.distance, n.doc_id) for n in near} == {("Finding", 1, NCPI)}
    further = graph.neighbours(SLEUTH, depth=2)
    assert {n.distance for n in further} == {1, 2}
    assert DURHAM in {n.iri for n in further}  # each finding is about Durham
    assert [n.distance for n in further] == sorted(n.distance for n in further)


def test_api_shortest_path_sleuth_to_durham(graph: KnowledgeGraph):
    path = graph.shortest_path("Sleuth", "Durham Constabulary")
    assert path is not None and len(path) == 3
    assert path[0].iri == SLEUTH and path[-1].iri == DURHAM
    assert (path[1].kind, path[1].predicate, path[1].forward) == ("Finding", "hmi:mentions", False)
    assert (path[2].predicate, path[2].forward) == ("hmi:aboutForce", True)


def test_api_to_networkx_is_a_copy(graph: KnowledgeGraph):
    g = graph.to_networkx()
    g.remove_node(SLEUTH)
    assert SLEUTH in graph.to_networkx()


def test_api_sparql_binds_values(graph: KnowledgeGraph):
    rows = list(
        graph.sparql("SELECT DISTINCT ?s WHERE { ?s skos:prefLabel ?l FILTER(STR(?l) = ?name) }", name="Sleuth")
    )
    assert [str(r[0]) for r in rows] == [SLEUTH]  # type: ignore[index]


# ---------------------------------------------------------------- follow-up trails (hand-built sample)


def test_api_trail_in_time_order_with_status_and_quotes(linked: KnowledgeGraph):
    a1 = f"{HMID}publication/t-2023/area-for-improvement/a1"
    trail = linked.trail(a1)
    assert [link.iri.rsplit("/", 1)[1] for link in trail.links] == ["l1", "l3", "l2"]
    first, restated, last = trail.links
    assert (first.relation, first.status_label, first.confidence) == ("follow-up", "progress reported", 0.8)
    assert first.earlier.quote == "Improve missing-child records." and first.earlier.issued == "2019-05-01"
    assert (first.later.quote, first.later.start, first.later.end) == ("have improved", 78, 91)
    assert restated.relation == "restates" and restated.later.issued is None
    assert last.status_label == "still an area for improvement" and last.later.statement == a1
    assert last.later.kind == "AreaForImprovement" and last.later.publication_title == "Testshire PEEL 2023"
    assert all(link.inferred and link.method for link in trail.links)
    assert len(trail.statements) == 4
    # The same trail whichever member is asked about.
    r1 = f"{HMID}publication/t-2019/recommendation/r1"
    assert linked.trail(r1).links == trail.links
    assert linked.trail(linked.statement(r1)).links == trail.links  # type: ignore[arg-type]


def test_api_trail_of_unlinked_statement_is_empty(linked: KnowledgeGraph):
    assert linked.trail(f"{HMID}publication/t-2023/finding/lonely").links == ()
    assert linked.trail("https://w3id.org/hmi-kg/id/no-such-statement").links == ()
    assert len(linked.links()) == 3


def test_api_followup_edges_carry_status(linked: KnowledgeGraph):
    g = linked.to_networkx()
    data = g.get_edge_data(f"{HMID}publication/t-2019/recommendation/r1", f"{HMID}publication/t-2020/finding/f1")
    assert data["hmi:followedUpBy"]["status_label"] == "progress reported"
    assert data["hmi:followedUpBy"]["confidence"] == 0.8


# ---------------------------------------------------------------- hostile strings


@pytest.fixture(scope="module", params=["corpus-embedded", "sample-memory"])
def target(request: pytest.FixtureRequest, built_store: Path) -> KnowledgeGraph:
    """Hostile strings go to the corpus on the embedded store and to the sample on the memory store.

    (rdflib's own SPARQL engine needs seconds per query on the whole corpus; the
    sample exercises the same queries on that engine.)
    """
    if request.param == "corpus-embedded":
        return KnowledgeGraph.open(built_store)
    return KnowledgeGraph.open(_sample_memory())


@pytest.mark.parametrize("hostile", HOSTILE)
def test_api_hostile_strings_match_nothing_and_inject_nothing(target: KnowledgeGraph, hostile: str):
    graph = target
    before = len(graph.sparql("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"))
    assert graph.publications(force=hostile) == []
    for name in ("force", "theme", "mentions", "publication"):
        assert graph.statements(**{name: hostile}) == [], name
    # A section title may hold the character itself ("HM Inspector's summary"): only those match.
    assert all(hostile.lower() in (s.section or "").lower() for s in graph.statements(section=hostile))
    assert graph.statement(hostile) is None
    assert graph.entity(hostile) is None
    assert graph.mentions(entity=hostile) == []
    assert graph.trail(hostile).links == ()
    with pytest.raises(NodeNotFound):
        graph.neighbours(hostile)
    with pytest.raises(NodeNotFound):
        graph.shortest_path(hostile, SLEUTH)
    with pytest.raises(QueryError):
        graph.statements(kind=hostile)
    echoed = list(graph.sparql("SELECT ?v WHERE { BIND(?x AS ?v) }", x=hostile))
    assert [str(r[0]) for r in echoed] == [hostile]  # type: ignore[index]
    assert len(graph.sparql("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")) == before


def test_api_sparql_refuses_updates_and_bad_names(graph: KnowledgeGraph):
    with pytest.raises(QueryError):
        graph.sparql("DROP ALL")
    with pytest.raises(QueryError):
        graph.sparql("SELECT ?s WHERE { ?s ?p ?o }", **{"x) } DROP": "1"})


# ---------------------------------------------------------------- follow-up trails (shipped corpus)


def test_api_corpus_links_quote_both_ends(graph: KnowledgeGraph, texts: dict[str, str]):
    links = graph.links()
    assert links and {link.relation for link in links} == {"follow-up", "restates"}
    for link in links:
        for end in (link.earlier, link.later):
            doc = end.publication.rsplit("/", 1)[1]
            assert texts[doc][end.start : end.end] == end.quote, link.iri
        assert 0 < link.confidence <= 1 and link.inferred and link.status_label
        if link.relation == "follow-up":  # NCPI report (2022) before PEEL (2023)
            assert (link.earlier.issued or "") < (link.later.issued or "\uffff")


def test_api_corpus_trail_missing_children_still_open(graph: KnowledgeGraph):
    # The 2019 NCPI area for improvement on children reported missing is raised again in PEEL 2023.
    afi = next(
        s for s in graph.statements(kind="AreaForImprovement", publication=NCPI) if "reported missing" in s.label
    )
    trail = graph.trail(afi)
    follow_ups = [link for link in trail.links if link.relation == "follow-up" and link.earlier.statement == afi.iri]
    assert follow_ups, "the missing-children area for improvement has no follow-up"
    assert any(
        link.later.publication.endswith(PEEL) and link.status_label == "still an area for improvement"
        for link in follow_ups
    )
    issued = [link.earlier.issued or "\uffff" for link in trail.links]
    assert issued == sorted(issued)
    assert afi.iri in trail.statements


# ---------------------------------------------------------------- the same API on a remote SPARQL endpoint


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory, built_store: Path) -> Iterator[KnowledgeGraph]:
    """The built corpus loaded into a real Oxigraph server on 127.0.0.1, opened by URL."""
    from kg.store.remote import local_oxigraph_server, oxigraph_binary, publish_graphs

    if oxigraph_binary() is None:
        pytest.skip("the Oxigraph server binary is not installed (pip install -e '.[test]' provides it)")
    with local_oxigraph_server(tmp_path_factory.mktemp("api-remote")) as url:
        graphs: dict[str, Graph] = {}
        for s, p, o, g in open_dataset(built_store).quads((None, None, None, None)):
            name = str(g.identifier if isinstance(g, Graph) else g)
            graphs.setdefault(name, Graph(identifier=URIRef(name))).add((s, p, o))
        publish_graphs(url, graphs.values())
        yield KnowledgeGraph.open(url)


def test_api_remote_gives_the_embedded_answers(remote: KnowledgeGraph, built_store: Path):
    local = KnowledgeGraph.open(built_store)
    assert remote.forces() == local.forces()
    assert remote.publications(force="Durham") == local.publications(force="Durham")
    assert remote.statements(mentions="Sleuth") == local.statements(mentions="Sleuth")
    assert remote.statements(kind="GradedJudgment") == local.statements(kind="GradedJudgment")
    assert remote.entity("Sleuth") == local.entity("Sleuth")
    assert remote.links() == local.links()
    first = local.links()[0].earlier.statement
    assert remote.trail(first) == local.trail(first)
    assert remote.neighbours("Sleuth", depth=2) == local.neighbours("Sleuth", depth=2)
    assert remote.shortest_path("Sleuth", "Durham Constabulary") == local.shortest_path("Sleuth", "Durham Constabulary")
    r, g = remote.to_networkx(), local.to_networkx()
    assert sorted(r.edges(keys=True)) == sorted(g.edges(keys=True))
    assert dict(r.nodes(data=True)) == dict(g.nodes(data=True))


@pytest.mark.parametrize("hostile", HOSTILE[:4])
def test_api_remote_hostile_strings(remote: KnowledgeGraph, hostile: str):
    assert remote.statements(force=hostile, mentions=hostile) == []
    assert remote.entity(hostile) is None and remote.trail(hostile).links == ()
    assert [str(r[0]) for r in remote.sparql("SELECT ?v WHERE { BIND(?x AS ?v) }", x=hostile)] == [hostile]  # type: ignore[index]
