"""The static site and its network views: pages, escaping, node limits, trails, search index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF

from kg.render.model import load_model, slug
from kg.render.site import build_site
from kg.render.views import MAX_NODES, VEdge, ViewError, VNode, pack_pages, plain_title, render_view

XSS_CORPUS = Path(__file__).resolve().parent / "data" / "xss"
HMI = "https://w3id.org/hmi-kg/ontology#"
LINKS_GRAPH = URIRef("https://w3id.org/hmi-kg/id/graph/links")
PAYLOAD_MARKERS = ("kgPwned", "onerror", "<script", "onload")


def with_test_links(store: Path, target: Path) -> tuple[Dataset, list[str]]:
    """The built store copied into a new store at ``target``, plus follow-up links in the links graph.

    The trail is a recommendation of the 2019 inspection, followed up by an
    area for improvement of the 2023 PEEL report, followed up in turn by a
    later finding of that report. Written with the linker's terms, so the
    site reads them exactly as it will read the linker's own links.
    """
    from rdflib import Graph

    from kg.store.generations import open_dataset, publish_generation

    ds = open_dataset(store)
    graphs: dict[URIRef, Graph] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = URIRef(str(g.identifier if isinstance(g, Graph) else g))
        graphs.setdefault(name, Graph(identifier=name)).add((s, p, o))

    def first(kind: str, doc: str, after: int = -1) -> tuple[str, int]:
        rows = list(
            ds.query(
                f"""PREFIX hmi: <{HMI}> PREFIX prov: <http://www.w3.org/ns/prov#>
                SELECT DISTINCT ?s ?o WHERE {{ ?s a hmi:{kind} ; prov:wasDerivedFrom ?p ; hmi:order ?o .
                FILTER(CONTAINS(STR(?p), "{doc}") && ?o > {after}) }} ORDER BY ?o LIMIT 1"""
            )
        )
        return str(rows[0][0]), int(rows[0][1])  # type: ignore[index]

    rec, _ = first("Recommendation", "durham-ncpi-2019-report")
    afi, afi_order = first("AreaForImprovement", "durham-peel-2023-report")
    fnd, _ = first("Finding", "durham-peel-2023-report", after=afi_order)
    links = graphs.setdefault(LINKS_GRAPH, Graph(identifier=LINKS_GRAPH))
    for i, (earlier, later, status) in enumerate(
        [(rec, afi, "still-area-for-improvement"), (afi, fnd, "progress-reported")], start=1
    ):
        link = URIRef(f"https://w3id.org/hmi-kg/id/link/test-{i}")
        links.add((link, RDF.type, URIRef(HMI + "FollowUpLink")))
        links.add((link, URIRef(HMI + "earlier"), URIRef(earlier)))
        links.add((link, URIRef(HMI + "later"), URIRef(later)))
        links.add((link, URIRef(HMI + "relation"), Literal("follow-up")))
        links.add((link, URIRef(HMI + "status"), URIRef(f"https://w3id.org/hmi-kg/vocab/status/{status}")))
        links.add((link, URIRef(HMI + "confidence"), Literal(0.8)))
        links.add((link, URIRef(HMI + "method"), Literal("test fixture")))
        links.add((URIRef(earlier), URIRef(HMI + "followedUpBy"), URIRef(later)))
    publish_generation(target, graphs.values())
    return open_dataset(target), [rec, afi, fnd]


@pytest.fixture(scope="session")
def linked_store(tmp_path_factory: pytest.TempPathFactory, built_store: Path) -> tuple[Path, list[str]]:
    target = tmp_path_factory.mktemp("linked-store")
    return target, with_test_links(built_store, target)[1]


@pytest.fixture(scope="session")
def linked(linked_store: tuple[Path, list[str]]) -> tuple[Dataset, list[str]]:
    from kg.store.generations import open_dataset

    return open_dataset(linked_store[0]), linked_store[1]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, linked: tuple[Dataset, list[str]]) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(linked[0], out)
    return out


@pytest.fixture(scope="session")
def xss_store(tmp_path_factory: pytest.TempPathFactory, rules_extractor) -> Path:  # type: ignore[no-untyped-def]
    from kg.build.pipeline import build

    store = tmp_path_factory.mktemp("xss-store")
    report = build(XSS_CORPUS, store, extractor=rules_extractor)
    assert report.validation.conforms
    return store


@pytest.fixture(scope="session")
def xss_site(tmp_path_factory: pytest.TempPathFactory, xss_store: Path) -> Path:
    from kg.store.generations import open_dataset

    out = tmp_path_factory.mktemp("xss-site") / "site"
    build_site(open_dataset(xss_store), out)
    return out


def trail_of(site: Path, statement: str) -> str:
    """The trail page a statement's page links to, relative to the site root."""
    html = (site / "statement" / f"{slug(statement)}.html").read_text(encoding="utf-8")
    found = re.search(r'class="trail-link" href="\.\./(trail/[^"]+)"', html)
    assert found, statement
    return found.group(1)


def view_text(view: Path) -> str:
    """A view page with the scripts it loads from beside it (the site keeps no inline script)."""
    text = view.read_text(encoding="utf-8")
    for src in re.findall(r'<script src="([^"/]+\.js)"', text):
        text += (view.parent / src).read_text(encoding="utf-8")
    return text


def test_site_index_lists_forces_publications_themes_types(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "Durham Constabulary" in html
    assert "PEEL 2023–25" in html
    assert 'id="themes"' in html and 'id="entity-types"' in html
    assert "IT system" in html and ">SYSTEM<" not in html and "RISK_TOOL" not in html
    assert 'href="compare.html"' in html and 'id="latest"' in html
    assert re.search(r'class="status tone-[a-z]+">still an area for improvement</span> \d+', html)


def test_site_every_relative_link_resolves(site: Path) -> None:
    missing = set()
    for page in site.rglob("*.html"):
        for target in re.findall(r'(?<![\w-])(?:href|src)="([^"#?]+)', page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith(("mailto:", "javascript:", "data:")):
                continue
            if not (page.parent / target).resolve().exists():
                missing.add((page.relative_to(site).as_posix(), target))
    assert not missing, sorted(missing)[:10]


def test_site_entity_page_lists_every_statement_naming_sleuth(site: Path, linked: tuple[Dataset, list[str]]) -> None:
    from kg.query.sparql import run_named

    expected = {str(r[3]) for r in run_named(linked[0], "mentions", {"entity": "Sleuth"})}  # type: ignore[index]
    page = site / "entity" / f"{slug('https://w3id.org/hmi-kg/vocab/system/sleuth')}.html"
    html = page.read_text(encoding="utf-8")
    linked_pages = set(re.findall(r'href="\.\./(statement/[^"]+)"', html))
    assert expected and {f"statement/{slug(s)}.html" for s in expected} <= linked_pages
    assert "Durham Constabulary" in html  # grouped by force


def test_site_statement_page_shows_quote_reference_and_trail(site: Path, linked: tuple[Dataset, list[str]]) -> None:
    rec, afi, _ = linked[1]
    html = (site / "statement" / f"{slug(afi)}.html").read_text(encoding="utf-8")
    assert 'class="quote"' in html and "characters" in html
    assert "still an area for improvement" in html and "progress reported" in html
    assert trail_of(site, rec) == trail_of(site, afi)  # one matter, one trail page
    assert html.index('id="trail"') < html.index("Source quote")  # the trail comes first, not below the fold
    assert "own words found" not in html and "test fixture" not in html  # no internal scores or methods


def test_site_every_statement_publication_force_and_theme_page_reaches_trails(
    site: Path, linked: tuple[Dataset, list[str]]
) -> None:
    rec = linked[1][0]
    trail = trail_of(site, rec)
    for folder, name in (("publication", "durham-ncpi-2019-report"), ("force", "durham"), ("statement", None)):
        pages = [p for p in (site / folder).glob("*.html") if name is None or name in p.name]
        assert pages
        if folder == "statement":
            pages = [site / "statement" / f"{slug(rec)}.html"]
        for page in pages:
            assert trail in page.read_text(encoding="utf-8"), page
    themes = [p.read_text(encoding="utf-8") for p in (site / "theme").glob("*.html")]
    assert any(trail in t for t in themes)
    # Every trail page exists, and every matter has one (even with no later evidence).
    model = load_model(linked[0])
    for s in model.statements.values():
        if s.kind == "Recommendation":
            html = (site / "statement" / f"{slug(s.iri)}.html").read_text(encoding="utf-8")
            target = re.search(r'class="trail-link" href="\.\./(trail/[^"]+)"', html)
            assert target and (site / target.group(1)).is_file(), s.iri


def test_site_pages_hold_no_inline_script(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), page
        assert "script-src 'self';" in text, page  # the content security policy, also from disk


def test_site_trail_page_lists_links_in_time_order(site: Path, linked: tuple[Dataset, list[str]]) -> None:
    rec, afi, fnd = linked[1]
    html = (site / trail_of(site, rec)).read_text(encoding="utf-8")
    timeline = html[html.index('id="trail-steps"') :]
    order = [timeline.index(f"statement/{slug(s)}.html") for s in (rec, afi, fnd)]
    assert order == sorted(order)
    steps = [d for d in re.findall(r'class="trail-step tl-item" data-date="([^"]*)"', html) if d]
    assert len(steps) >= 3 and steps == sorted(steps)
    assert 'id="verdict"' in html and html.index('id="verdict"') < html.index('id="trail-steps"')


def test_site_publication_highlights_mentions_and_keeps_views_small(site: Path) -> None:
    pub = site / "publication" / f"{slug('https://w3id.org/hmi-kg/id/publication/durham-ncpi-2019-report')}.html"
    html = pub.read_text(encoding="utf-8")
    assert re.search(r'class="mention t-SYSTEM"[^>]*>Sleuth</a>', html)
    for view in (site / "views").glob("*.html"):
        text = view_text(view)
        nodes = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", text)
        assert nodes is not None
        assert len(json.loads(nodes.group(1))) <= MAX_NODES
        assert "popup.innerHTML" not in text
        assert "cdn.jsdelivr" not in text and "cdnjs" not in text


def test_site_search_index_is_a_script(site: Path) -> None:
    text = (site / "static" / "search-index.js").read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("window.KG_SEARCH = [")
    entries = json.loads(text.split("=", 1)[1].strip().rstrip(";"))
    labels = {e["l"] for e in entries}
    assert "Sleuth" in labels and "Red Sigma" in labels


def test_site_escapes_hostile_document_text(xss_site: Path) -> None:
    for page in xss_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if page.parent.name == "views":
            body = view_text(page).split("nodes = new vis.DataSet(", 1)[1]
            assert "<script>window" not in body and "<img" not in body, page
            continue
        assert "<script>window.kgPwned" not in text, page
        assert "<img src=x" not in text and "<svg onload" not in text and "<b onmouseover" not in text, page
    pub = next((xss_site / "publication").glob("*.html")).read_text(encoding="utf-8")
    assert "&lt;script&gt;window.kgPwned=1&lt;/script&gt;" in pub
    assert "&lt;img src=x onerror=" in pub
    index = (xss_site / "static" / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in index.split("=", 1)[1]


def test_views_titles_are_plain_and_never_trigger_pyvis_link_popup() -> None:
    title = plain_title('<a href="x">link</a> ' + "word " * 200)
    assert "href" not in title and len(title) <= 310
    html = render_view(
        [VNode(id="a", type="Finding", label="</script><script>alert(1)</script>", title="HREF <img onerror=x>")],
        [],
    )
    assert "popup.innerHTML" not in html
    assert "</script><script>alert(1)" not in html


def test_views_refuse_more_than_the_node_limit() -> None:
    nodes = [VNode(id=str(i), type="Finding", label=str(i), title=str(i)) for i in range(MAX_NODES + 1)]
    with pytest.raises(ViewError):
        render_view(nodes, [])


def test_views_pack_pages_keeps_groups_and_anchors() -> None:
    anchor = VNode(id="a", type="entity", label="a", title="a")
    groups = [
        [VNode(id=f"s{i}", type="Finding", label="", title="")]
        + [VNode(id=f"e{i}-{j}", type="entity", label="", title="") for j in range(4)]
        for i in range(100)
    ]
    pages = pack_pages([anchor], groups, limit=50)
    assert all(len(p) <= 50 and p[0] == anchor for p in pages)
    seen = [n.id for p in pages for n in p[1:]]
    assert len(seen) == len(set(seen)) == 500
    for page in pages:  # a statement and its entities share a page
        ids = {n.id for n in page}
        assert all(f"e{n.id[1:]}-0" in ids for n in page if n.id.startswith("s"))
    _ = VEdge("a", "b")


def test_model_trail_orders_by_date(linked: tuple[Dataset, list[str]]) -> None:
    model = load_model(linked[0])
    members, links = model.trail(linked[1][1])
    iris = [s.iri for s in members]
    assert [i for i in iris if i in linked[1]] == linked[1]
    assert [model.time_key(s)[0] for s in members] == sorted(model.time_key(s)[0] for s in members)
    pairs = [(lk.earlier, lk.later) for lk in links]
    assert (linked[1][0], linked[1][1]) in pairs and (linked[1][1], linked[1][2]) in pairs


def test_cli_site_writes_site(built_store: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli.main import cli

    result = CliRunner().invoke(cli, ["site", "--store", str(built_store), "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "index.html").is_file()
    assert (tmp_path / "s" / "static" / "vis" / "vis-network.min.js").is_file()


# ---------------------------------------------------------------- the output folder: replaced only if ours


def _small_model():  # type: ignore[no-untyped-def]
    from kg.store.generations import open_dataset

    return load_model(open_dataset("memory"))


def test_cli_site_refuses_a_folder_it_did_not_write(built_store: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli.main import cli

    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my own notes", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(cli, ["site", "--store", str(built_store), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "did not write" in result.output and ".kg-site" in result.output
    assert "Traceback" not in result.output
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my own notes"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing left beside it either


def test_cli_site_out_dot_is_refused_with_a_message(
    built_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from kg.cli.main import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    for out in (".", str(tmp_path), ".."):
        result = CliRunner().invoke(cli, ["site", "--store", str(built_store), "--out", out])
        assert result.exit_code == 2, (out, result.output)
        assert "current folder" in result.output and "Traceback" not in result.output
    assert (tmp_path / "keep.txt").is_file()


def test_site_replaces_its_own_site_new_or_empty_folders_only(tmp_path: Path) -> None:
    from kg.render.site import MARKER, SiteOutputError, build_site_from_model

    model = _small_model()
    site = tmp_path / "site"
    build_site_from_model(model, site)  # new
    assert (site / MARKER).is_file() and (site / "index.html").is_file()
    (site / "stale.html").write_text("old page", encoding="utf-8")
    (tmp_path / "site.tmp").mkdir()  # a folder of the user's with the name a temporary copy once had
    (tmp_path / "site.tmp" / "keep.txt").write_text("x", encoding="utf-8")
    build_site_from_model(model, site)  # its own: replaced whole
    assert not (site / "stale.html").exists() and (site / MARKER).is_file()
    assert (tmp_path / "site.tmp" / "keep.txt").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.tmp"]
    empty = tmp_path / "empty"
    empty.mkdir()
    build_site_from_model(model, empty)  # empty: nothing to lose
    assert (empty / "index.html").is_file()
    a_file = tmp_path / "file.html"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(SiteOutputError, match="is a file"):
        build_site_from_model(model, a_file)
    (site / MARKER).unlink()  # the user took the folder over
    with pytest.raises(SiteOutputError, match="did not write"):
        build_site_from_model(model, site)
    assert (site / "index.html").is_file()


def test_site_force_page_has_board_timeline_and_charts(site: Path, linked: tuple[Dataset, list[str]]) -> None:
    html = (site / "force" / f"{slug('https://w3id.org/hmi-kg/vocab/force/durham')}.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="board-row"[^>]*data-status="([^"]+)"', html)
    assert rows and "no later evidence" in rows and "still an area for improvement" in rows
    assert 'src="../static/board.js"' in html and 'id="board-filters"' in html
    assert re.search(r'<span class="tl-date">\d{4}', html)
    for chart in re.findall(r'<img src="\.\./(charts/[^"]+\.svg)"', html):
        svg = (site / chart).read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "<script" not in svg
    assert "Requires improvement" in (
        site / "charts" / f"grades-{slug('https://w3id.org/hmi-kg/vocab/force/durham')}.svg"
    ).read_text(encoding="utf-8")


def test_site_compare_page_has_grades_and_open_matters(site: Path) -> None:
    html = (site / "compare.html").read_text(encoding="utf-8")
    assert 'id="grades"' in html and 'id="open-by-theme"' in html
    assert "Requires improvement" in html and "Durham Constabulary" in html


def test_charts_escape_text() -> None:
    from kg.render.charts import GradeCell, grades_svg, status_svg

    svg = grades_svg("<script>x</script>", ["a & b"], [GradeCell("<b>area</b>", "a & b", "Good", 2)])
    assert "<script>" not in svg and "&lt;b&gt;area" in svg and "a &amp; b" in svg
    bars = status_svg("t", [("<i>open</i>", "open", 3)], {"open": ("#000", "#fff")})
    assert "<i>" not in bars and "&lt;i&gt;" in bars


def test_views_labels_say_what_a_statement_says_and_titles_wrap() -> None:
    from kg.render.views import short_label, wrapped

    label = short_label("The constabulary needs to improve how it records decisions about children at risk")
    assert "\n" in label and len(label) <= 50
    assert all(len(line) <= 60 for line in wrapped("word " * 100).split("\n"))


def test_site_trail_view_runs_left_to_right_in_time(site: Path, linked: tuple[Dataset, list[str]]) -> None:
    rec = linked[1][0]
    html = (site / trail_of(site, rec)).read_text(encoding="utf-8")
    view = re.search(r'src="\.\./(views/[^"]+\.html)"', html)
    assert view is not None
    text = view_text(site / view.group(1))
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", text).group(1))  # type: ignore[union-attr]
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", text).group(1))  # type: ignore[union-attr]
    level = {n["id"]: n["level"] for n in nodes}
    assert edges and all(level[e["from"]] < level[e["to"]] for e in edges)
    model = load_model(linked[0])
    dated = sorted(
        (model.when(model.statements[i]), lvl) for i, lvl in level.items() if model.when(model.statements[i])
    )
    assert [lvl for _, lvl in dated] == sorted(lvl for _, lvl in dated)
