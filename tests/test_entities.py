"""Entity recognition and linking: gold counts, matching traps, acronyms, candidates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language

from kg.entities import (
    VocabularyError,
    build_nlp,
    candidates,
    count_mentions,
    find_mentions,
    load_vocabulary,
)
from kg.entities.evaluate import segments_of
from kg.records import EntityMention

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = Path(__file__).resolve().parent / "data" / "gold"
NEWS = ROOT.parent / "shared" / "corpus" / "durham-ncpi-2022-review-news.txt"
V = "https://w3id.org/hmi-kg/vocab/"
DURHAM = V + "force/durham"
CA1989 = V + "legislation/ukpga-1989-41"

# Gold key -> concept IRI. "many" is taken as at least 10.
GOLD_KEYS: dict[str, str] = {
    "Sleuth": V + "system/sleuth",
    "Visor": V + "system/visor",
    "Red Sigma": V + "system/red-sigma",
    "police national computer": V + "system/pnc",
    "Erase": V + "unit/erase",
    "MASH (incl. plural MASHs)": V + "unit/mash",
    "public protection unit (PPU)": V + "unit/ppu",
    "CID / criminal investigation department": V + "unit/cid",
    "OCAIT": V + "unit/ocait",
    "digital investigation and intelligence unit (DII)": V + "unit/dii",
    "Children Act 1989": CA1989,
    "Children Act 2004": V + "legislation/ukpga-2004-31",
    "Children and Social Work Act 2017": V + "legislation/ukpga-2017-16",
    "Police and Criminal Evidence Act 1984": V + "legislation/ukpga-1984-60",
    "Children Act 1989 s.47": CA1989 + "/section/47",
    "Children Act 1989 s.46": CA1989 + "/section/46",
    "Operation Encompass": V + "initiative/operation-encompass",
    "Operation Makesafe": V + "initiative/operation-makesafe",
    "Operation Parallelogram": V + "initiative/operation-parallelogram",
    "Philomena Protocol": V + "initiative/philomena-protocol",
    "Domestic Violence Disclosure Scheme (Clare\u2019s Law)": V + "initiative/dvds",
    "SmartWater": V + "initiative/smartwater",
    "Barnardo\u2019s": V + "partner/barnardos",
    "NSPCC": V + "partner/nspcc",
    "Lucy Faithfull Foundation": V + "partner/lucy-faithfull-foundation",
    "College of Policing": V + "partner/college-of-policing",
    "National Crime Agency": V + "partner/nca",
    "Ofsted": V + "partner/ofsted",
    "SafeLives": V + "partner/safelives",
    "Women\u2019s Aid": V + "partner/womens-aid",
    "Durham Constabulary": DURHAM,
}
# The gold file counts CID 6, but counts every other "long form (ACRONYM)"
# pair once (PPU 2, MASH 5, OCAIT 5, Erase 7); under that rule CID is named 5
# times. Kept as a strict xfail so the disagreement stays visible.
GOLD_DISPUTED = {("durham-ncpi-2019-report", "CID / criminal investigation department")}


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp(model=None)


def _run(nlp: Language, text: str, own_force: str | None = None, doc_id: str = "t") -> list[EntityMention]:
    return find_mentions(doc_id, text, segments_of(text), nlp, own_force=own_force)


def _gold_cases() -> list[object]:
    cases: list[object] = []
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        doc = gold["document"].removesuffix(".txt")
        for group in gold["entity_mentions"].values():
            for name, expected in group.items():
                marks = (
                    [pytest.mark.xfail(strict=True, reason="gold CID count inconsistent")]
                    if (doc, name) in GOLD_DISPUTED
                    else []
                )
                cases.append(pytest.param(doc, name, expected, id=f"{doc}:{name}", marks=marks))
    return cases


@pytest.fixture(scope="module")
def corpus_counts(nlp: Language) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for doc in ("durham-ncpi-2019-report", "durham-peel-2023-report"):
        text = (CORPUS / f"{doc}.txt").read_text(encoding="utf-8")
        out[doc] = dict(count_mentions(_run(nlp, text, DURHAM, doc), text))
    return out


@pytest.mark.parametrize(("doc", "name", "expected"), _gold_cases())
def test_entities_gold_counts(corpus_counts: dict[str, dict[str, int]], doc: str, name: str, expected: object) -> None:
    got = corpus_counts[doc].get(GOLD_KEYS[name], 0)
    if isinstance(expected, int):
        assert got == expected, f"{name}: {got} mentions, gold {expected}"
    elif expected == "many":
        assert got >= 10, f"{name}: {got} mentions, gold 'many'"
    else:
        assert isinstance(expected, str) and expected.startswith("at least ")
        assert got >= int(expected.removeprefix("at least ")), f"{name}: {got}, gold {expected}"


def test_entities_gold_document_field_matches_corpus() -> None:
    for path in GOLD.glob("*.json"):
        assert (CORPUS / json.loads(path.read_text(encoding="utf-8"))["document"]).is_file()


def test_entities_offsets_slice_text(nlp: Language) -> None:
    text = (CORPUS / "durham-peel-2023-report.txt").read_text(encoding="utf-8")
    mentions = _run(nlp, text, DURHAM)
    assert mentions
    for m in mentions:
        assert text[m.span.start : m.span.end] == m.span.quote
    assert mentions == sorted(mentions, key=lambda m: (m.span.start, m.span.end, m.label))
    assert mentions == _run(nlp, text, DURHAM)  # deterministic


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("A supervisor reviewed the supervisors' work.", "visor"),
        ("Officers must not erase records or erase notes.", "erase"),
        ("He moved at a steady pace and raised his arms.", "pace"),
        ("We met police officers in the morning.", "met police"),
    ],
)
def test_entities_common_words_not_matched(nlp: Language, text: str, absent: str) -> None:
    quotes = [m.span.quote.lower() for m in _run(nlp, text)]
    assert absent not in quotes


def test_entities_case_sensitive_names_matched(nlp: Language) -> None:
    got = {(m.span.quote, m.concept) for m in _run(nlp, "The Erase team logs it on Visor, not on Sleuth. Use PACE.")}
    assert ("Erase", V + "unit/erase") in got
    assert ("Visor", V + "system/visor") in got
    assert ("Sleuth", V + "system/sleuth") in got
    assert ("PACE", V + "legislation/ukpga-1984-60") in got


def test_entities_plural_and_possessive(nlp: Language) -> None:
    text = "Both MASHs and the multi-agency safeguarding hubs work with Barnardo\u2019s and the NSPCC's staff."
    got = [(m.span.quote, m.concept) for m in _run(nlp, text)]
    assert ("MASHs", V + "unit/mash") in got
    assert ("multi-agency safeguarding hubs", V + "unit/mash") in got
    assert ("Barnardo\u2019s", V + "partner/barnardos") in got
    assert ("NSPCC", V + "partner/nspcc") in got


def test_entities_markdown_links_and_escapes(nlp: Language) -> None:
    text = "It joins two [multi-agency safeguarding hubs \\(MASHs\\)](#) and the [police national computer](#)."
    got = [(m.span.quote, m.label) for m in _run(nlp, text)]
    assert got == [
        ("multi-agency safeguarding hubs", "UNIT"),
        ("MASHs", "UNIT"),
        ("police national computer", "SYSTEM"),
    ]


def test_entities_own_force_generic_mentions(nlp: Language) -> None:
    text = "Kent Police is large. The force's plan is good and the constabulary agrees."
    explicit = _run(nlp, text, own_force=DURHAM)
    assert [m.concept for m in explicit if m.label == "FORCE"] == [V + "force/kent", DURHAM, DURHAM]
    inferred = _run(nlp, text)
    assert [m.concept for m in inferred if m.label == "FORCE"] == [V + "force/kent"] * 3
    assert not [m for m in _run(nlp, "The force is large.") if m.label == "FORCE"]


def test_entities_legislation_titles_and_sections(nlp: Language) -> None:
    text = (
        "Under section 47 of the Children Act 1989 and s.46 of the Children Act 1989, officers act.\n\n"
        "Section 47 enquiries follow. The Police Reform Act 2002 and the Anti-social Behaviour, "
        "Crime and Policing Act 2014 also apply."
    )
    got = [(m.span.quote, m.concept, m.source) for m in _run(nlp, text) if m.label == "LEGISLATION"]
    assert got == [
        ("section 47", CA1989 + "/section/47", "vocab"),
        ("Children Act 1989", CA1989, "vocab"),
        ("s.46", CA1989 + "/section/46", "vocab"),
        ("Children Act 1989", CA1989, "vocab"),
        ("Section 47", CA1989 + "/section/47", "vocab"),
        ("Police Reform Act 2002", V + "legislation/ukpga-2002-30", "vocab"),
        ("Anti-social Behaviour, Crime and Policing Act 2014", V + "legislation/ukpga-2014-12", "vocab"),
    ]


def test_entities_unknown_act_is_pattern_node_for_review(nlp: Language) -> None:
    mentions = _run(nlp, "Powers under the Criminal Justice and Courts Act 2015 were used.")
    (act,) = [m for m in mentions if m.label == "LEGISLATION"]
    assert act.span.quote == "Criminal Justice and Courts Act 2015"
    assert act.concept == V + "legislation/criminal-justice-and-courts-act-2015"
    assert act.source == "pattern" and act.candidate_name == act.span.quote
    assert [c.name for c in candidates(mentions)] == ["Criminal Justice and Courts Act 2015"]


def test_entities_acronym_learning(nlp: Language) -> None:
    text = (
        "The force has a child exploitation response team (CERT).\n\n"
        "CERT reviews cases. The CERTs meet weekly. A cert is a certificate."
    )
    mentions = _run(nlp, text, own_force=DURHAM)
    cert = [m for m in mentions if "CERT" in m.span.quote or m.span.quote.startswith("child")]
    assert [m.span.quote for m in cert] == ["child exploitation response team", "CERT", "CERT", "CERTs"]
    assert all(m.label == "UNIT" and m.concept is None for m in cert)
    (cand,) = [c for c in candidates(mentions) if c.label == "UNIT"]
    assert cand.name == "child exploitation response team" and cand.count == 4


def test_entities_acronym_of_known_concept_links(nlp: Language) -> None:
    text = "Cases go to the violence reduction unit (VRU). Then the VRU decides."
    got = [(m.span.quote, m.concept) for m in _run(nlp, text)]
    assert got.count(("VRU", V + "partner/vru")) == 2


def test_entities_candidates_kept(nlp: Language) -> None:
    text = (
        "The approach is known as Operation Bluebird. Records go to the police system (Tracker) "
        "and to the Horizon team. Darlington Borough Council agreed."
    )
    mentions = _run(nlp, text)
    got = {(c.name, c.label) for c in candidates(mentions)}
    assert {
        ("Operation Bluebird", "INITIATIVE"),
        ("Tracker", "SYSTEM"),
        ("Horizon", "UNIT"),
        ("Darlington Borough Council", "PARTNER"),
    } <= got
    assert all(m.concept is None for m in mentions if m.candidate_name and m.source == "cue")


def test_entities_count_merges_bracket_pairs() -> None:
    nlp = build_nlp(model=None)
    text = "the public protection unit (PPU) and the PPU"
    assert count_mentions(_run(nlp, text), text)[V + "unit/ppu"] == 2


def test_entities_vocabulary_errors(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match="not found"):
        load_vocabulary(tmp_path / "missing")
    (tmp_path / "bad.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b", encoding="utf-8")
    with pytest.raises(VocabularyError, match="bad.ttl: not valid Turtle"):
        load_vocabulary(tmp_path)
    (tmp_path / "bad.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/hmi-kg/vocab/unit/x> a skos:Concept ;\n"
        "  skos:inScheme <https://w3id.org/hmi-kg/vocab/unit> .\n",
        encoding="utf-8",
    )
    with pytest.raises(VocabularyError, match="no skos:prefLabel"):
        load_vocabulary(tmp_path)


def test_entities_vocabulary_covers_all_forces() -> None:
    vocab = load_vocabulary()
    forces = [c for c in vocab.concepts if c.cls.endswith("#PoliceForce")]
    # The 43 territorial forces, British Transport Police, the UK's four other forces, the eight Scottish
    # forces merged in 2013 and the three service police forces.
    assert len(forces) == 59
    assert vocab.lookup("Durham Police") is vocab.lookup("Durham Constabulary") is not None
    assert vocab.lookup("British Transport Police") is not None
    assert vocab.lookup("PSNI") is vocab.lookup("Police Service of Northern Ireland") is not None
    assert vocab.lookup("Police Scotland") is not None


def test_entities_no_name_belongs_to_two_concepts() -> None:
    """A name in two concepts would link to whichever loaded first: each name must say one thing."""
    by_name: dict[str, set[str]] = {}
    for concept in load_vocabulary().concepts:
        for name in concept.names:
            by_name.setdefault(" ".join(name.replace("\u2019", "'").lower().split()), set()).add(concept.iri)
    assert {name: iris for name, iris in by_name.items() if len(iris) > 1} == {}


def test_entities_force_place_that_names_another_body_stays_that_body(nlp: Language) -> None:
    """The department in "Ministry of Defence Police" is the Ministry of Defence, not a place standing for the force."""
    text = "The Ministry of Defence needs to fund the work. The Ministry of Defence Police was graded good."
    found = {(text[m.span.start : m.span.end], m.label) for m in _run(nlp, text)}
    assert ("Ministry of Defence", "INSPECTORATE") in found
    assert ("Ministry of Defence Police", "FORCE") in found
    assert ("Ministry of Defence", "FORCE") not in found


def test_entities_alias_is_one_line_of_turtle(tmp_path: Path) -> None:
    src = (ROOT / "ontology" / "vocab" / "systems.ttl").read_text(encoding="utf-8")
    (tmp_path / "systems.ttl").write_text(
        src.replace(
            'skos:prefLabel "Sleuth"@en ;', 'skos:prefLabel "Sleuth"@en ;\n    skos:altLabel "Sleuth Missing"@en ;'
        ),
        encoding="utf-8",
    )
    nlp = build_nlp(model=None, vocabulary=load_vocabulary(tmp_path))
    got = [(m.span.quote, m.concept) for m in _run(nlp, "It is on Sleuth Missing now.")]
    assert got == [("Sleuth Missing", V + "system/sleuth")]


def test_entities_pipeline_contract(nlp: Language) -> None:
    assert nlp.pipe_names[-3:] == ["kg_vocab_ruler", "kg_legislation", "kg_candidates"]
    analysis = nlp.analyze_pipes()
    assert not any(analysis["problems"].values())


@pytest.mark.skipif(not NEWS.is_file(), reason="shared news article not present")
def test_entities_news_article_runs(nlp: Language) -> None:
    text = NEWS.read_text(encoding="utf-8")
    mentions = _run(nlp, text, DURHAM, "news")
    assert any(m.concept == DURHAM and m.span.quote.upper().startswith("DURHAM") for m in mentions)
    for m in mentions:
        assert text[m.span.start : m.span.end] == m.span.quote


@pytest.mark.model
def test_entities_model_pipeline_runs() -> None:
    from kg.entities import model_available

    if not model_available():
        pytest.skip("English model not installed")
    nlp = build_nlp(model="auto")
    assert "ner" in nlp.pipe_names
    text = "HM Inspector of Constabulary Phil Gormley visited Darlington in October 2019 with Erase."
    got = {(m.span.quote, m.label) for m in _run(nlp, text)}
    assert ("Erase", "UNIT") in got
    assert any(label == "PERSON" for _q, label in got)
