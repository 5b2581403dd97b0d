"""The site and the server in real headless Chromium (Debian's ``chromium``, driven by Playwright).

Skipped, with the reason, only when no chromium binary is installed; CI
installs it (.ci/run). ``playwright install`` is never run: the pip package
provides the driver and Debian provides the browser. Screenshots and measured
load times (``timings.txt``) go to a folder under pytest's temporary directory
and, when the environment variable ``KG_SCREENSHOTS`` names a folder, there too.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The built site, the hostile site and the linked store are the site tests' fixtures.
import test_site

from kg.render.model import slug

site = test_site.site
linked = test_site.linked
linked_store = test_site.linked_store
xss_site = test_site.xss_site
xss_store = test_site.xss_store

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium); browser tests need it"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go (each is also copied to $KG_SCREENSHOTS when that is set)."""
    return tmp_path_factory.mktemp("screenshots")


def shot(target: Any, shots: Path, name: str, **kwargs: Any) -> Path:
    """Save a screenshot of a page or element under ``shots`` and, when set, $KG_SCREENSHOTS."""
    path = shots / f"{name}.png"
    target.screenshot(path=str(path), **kwargs)
    extra = os.environ.get("KG_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(extra) / path.name)
    return path


@pytest.fixture(scope="module")
def browser(shots: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
    if TIMINGS:
        lines = [f"{k}\t{v * 1000:.0f} ms" for k, v in sorted(TIMINGS.items())]
        for folder in {shots, Path(os.environ.get("KG_SCREENSHOTS") or shots)}:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "timings.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []  # console errors and uncaught exceptions, from the page and its frames
    pg.dialogs = []
    pg.on("console", lambda m: pg.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(f"pageerror: {e}"))
    pg.on("requestfailed", lambda r: pg.errors.append(f"request failed: {r.url}"))

    def on_dialog(d: Any) -> None:
        pg.dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    context.close()


def load(pg: Any, url: str, name: str) -> None:
    start = time.perf_counter()
    pg.goto(url, wait_until="load")
    TIMINGS[name] = time.perf_counter() - start


def wait_view(pg: Any) -> Any:
    """The first network view's frame, once vis-network has laid it out."""
    pg.wait_for_selector("iframe.network")
    pg.eval_on_selector("iframe.network", "f => f.scrollIntoView()")  # views load lazily, when in sight
    frame = pg.frame(name="view-frame")
    assert frame is not None
    frame.wait_for_function("() => window.kgViewReady === true", timeout=30_000)
    return frame


def test_browser_pages_load_without_console_errors(page: Any, site: Path, shots: Path) -> None:
    urls = {
        "index": site / "index.html",
        "publication": next((site / "publication").glob("*durham-ncpi-2019-report*.html")),
        "entity (Sleuth)": site / "entity" / f"{slug('https://w3id.org/hmi-kg/vocab/system/sleuth')}.html",
        "force": next((site / "force").glob("*.html")),
        "theme": next((site / "theme").glob("*.html")),
        "statement": next((site / "statement").glob("*.html")),
        "trail": next((site / "trail").glob("*.html")),
        "search": site / "search.html",
    }
    for name, path in urls.items():
        load(page, path.as_uri(), f"file: {name}")
        if page.query_selector("iframe.network"):
            wait_view(page)
        assert not page.errors, (name, page.errors)
    page.goto(urls["index"].as_uri())
    shot(page, shots, "index", full_page=True)
    page.goto(urls["publication"].as_uri())
    wait_view(page)
    shot(page, shots, "publication")


def test_browser_clicking_a_node_opens_its_page(page: Any, site: Path) -> None:
    entity = site / "entity" / f"{slug('https://w3id.org/hmi-kg/vocab/system/sleuth')}.html"
    load(page, entity.as_uri(), "file: entity view")
    frame = wait_view(page)
    target = frame.evaluate(
        """() => { const ids = nodes.getIds(); const id = ids.find(i => window.kgNodeUrls[i] && i.includes('/finding/'))
                      || ids.find(i => window.kgNodeUrls[i]);
                   const p = network.canvasToDOM(network.getPositions([id])[id]);
                   return {id: id, x: p.x, y: p.y, url: window.kgNodeUrls[id]}; }"""
    )
    canvas = frame.query_selector("#mynetwork").bounding_box()  # in the top page's coordinates
    page.mouse.click(canvas["x"] + target["x"], canvas["y"] + target["y"])
    page.wait_for_url("**/" + target["url"].split("/")[-1], timeout=10_000)
    assert page.url.endswith(target["url"].removeprefix(".."))
    assert page.query_selector("blockquote.quote") is not None
    assert not page.errors, page.errors


@pytest.mark.parametrize("term", ["Sleuth", "Red Sigma"])
def test_browser_search_box_finds_entities(page: Any, site: Path, term: str) -> None:
    load(page, (site / "index.html").as_uri(), "file: index (search)")
    page.fill("#q", term)
    page.press("#q", "Enter")
    page.wait_for_selector("#results li")
    first = page.query_selector("#results li a")
    assert first is not None and first.inner_text() == term
    assert int(page.inner_text("#search-status").split()[0]) > 1  # the entity and the statements naming it
    first.click()
    page.wait_for_selector("h1")
    assert term in page.inner_text("h1")
    assert not page.errors, page.errors


def test_browser_trail_is_a_dated_timeline_with_a_verdict(page: Any, site: Path, linked: Any, shots: Path) -> None:
    rec, afi, fnd = linked[1]
    load(page, (site / test_site.trail_of(site, rec)).as_uri(), "file: trail")
    wait_view(page)
    steps = page.eval_on_selector_all("li.trail-step a", "els => els.map(e => e.getAttribute('href'))")
    ours = [f"../statement/{slug(s)}.html" for s in (rec, afi, fnd)]
    assert [s for s in steps if s in ours] == ours  # the linker may add more steps; ours keep their order
    dates = page.eval_on_selector_all("li.trail-step", "els => els.map(e => e.dataset.date)")
    shown = page.eval_on_selector_all("li.trail-step .tl-date", "els => els.map(e => e.textContent)")
    dated = [d for d in dates if d]
    assert dated and dated == sorted(dated)  # non-decreasing in time
    assert dates == dated + [""] * (len(dates) - len(dated))  # undated steps (if any) come last
    assert all(s == (d or "date unknown") for s, d in zip(shown, dates, strict=True))
    verdict = page.inner_text("#verdict")
    assert "Latest status:" in verdict and "Judged by" in verdict and "PEEL 2023" in verdict
    assert page.inner_text("#verdict .status")  # the status in words
    # The verdict sits above the steps, and no internal score is shown as evidence.
    assert page.evaluate(
        "document.getElementById('verdict').getBoundingClientRect().top"
        " < document.getElementById('trail-steps').getBoundingClientRect().top"
    )
    assert "own words found" not in page.inner_text("main") and "confidence" not in page.inner_text("main").lower()
    shot(page, shots, "trail", full_page=True)
    assert not page.errors, page.errors


def test_browser_hostile_text_is_shown_not_run(page: Any, xss_site: Path) -> None:
    pages = [*(xss_site / "publication").glob("*.html"), *(xss_site / "statement").glob("*.html")]
    pages.append(xss_site / "index.html")
    for path in pages:
        load(page, path.as_uri(), "file: hostile " + path.parent.name)
        if page.query_selector("iframe.network"):
            frame = wait_view(page)
            frame.hover("#mynetwork", position={"x": 200, "y": 200})
            assert frame.evaluate("window.kgPwned") is None
        assert page.evaluate("window.kgPwned") is None, path
        assert not page.dialogs, (path, page.dialogs)
        assert not page.errors, (path, page.errors)
    pub = next((xss_site / "publication").glob("*.html"))
    page.goto(pub.as_uri())
    assert "<script>window.kgPwned=1</script>" in page.inner_text("h1")
    assert '<img src=x onerror="window.kgPwned=3;alert(1)">' in page.inner_text("main")
    page.goto((xss_site / "search.html").as_uri() + "?q=onerror")
    page.wait_for_selector("#results li")
    assert page.evaluate("window.kgPwned") is None and not page.dialogs


# -- against the running server ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(linked_store: Any, site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = (tmp_path_factory.mktemp("serve") / "serve.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg",
            "serve",
            "--store",
            str(linked_store[0]),
            "--site",
            str(site),
            "--port",
            str(port),
            "--max-rows",
            "20",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(url + "/index.html", timeout=1):
                    break
            except OSError:
                time.sleep(0.25)
        else:
            raise AssertionError("kg serve did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def test_browser_served_site_and_query_page(page: Any, server: str) -> None:
    load(page, server + "/", "served: index")
    assert "Police inspection findings" in page.inner_text("h1")
    query_link = page.query_selector("header a.served-only")
    assert query_link is not None and query_link.is_visible() and query_link.get_attribute("href") == "/query"
    load(page, server + "/query", "served: query page")
    form = page.query_selector("form.named[data-name='mentions']")
    form.query_selector("input[name='entity']").fill("Sleuth")
    form.query_selector("button").click()
    page.wait_for_selector("form.named[data-name='mentions'] .out table")
    assert "Sleuth" in form.inner_text()
    # Answers scroll inside their frame: the page itself never scrolls sideways, even at 390 px.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    # A graph answer (CONSTRUCT, DESCRIBE) is shown as text.
    page.fill("#free-form textarea", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3")
    page.click("#free-form button")
    page.wait_for_selector("#free-form pre.graph-answer")
    assert "<http" in page.inner_text("#free-form pre.graph-answer")
    page.fill("#free-form textarea", "DESCRIBE <https://w3id.org/hmi-kg/vocab/force/durham>")
    page.click("#free-form button")
    page.wait_for_function(
        "() => ((document.querySelector('#free-form pre.graph-answer') || {}).textContent || '').includes('durham')"
    )
    pub_link = page.goto(server + "/index.html")
    assert pub_link is not None and pub_link.status == 200
    page.click("#publications a >> nth=0")
    wait_view(page)
    assert not page.errors, page.errors


def test_browser_query_page_says_when_an_answer_is_cut(page: Any, server: str) -> None:
    load(page, server + "/query", "served: query page, cut answer")
    page.fill("#free-form textarea", "SELECT * WHERE { ?s ?p ?o }")
    page.click("#free-form button")
    page.wait_for_selector("#free-form .out table")
    warning = page.inner_text("#free-form .out .truncated")
    assert "Only part of the answer" in warning and "20" in warning
    assert "not the whole answer" in page.inner_text("#free-form .out p.small")
    assert len(page.query_selector_all("#free-form .out table tr")) == 20 + 1
    # A complete answer shows no warning.
    page.fill("#free-form textarea", "SELECT ?s WHERE { ?s a <https://w3id.org/hmi-kg/ontology#InspectionReport> }")
    page.click("#free-form button")
    for _ in range(100):  # (the page's CSP forbids wait_for_function's eval)
        if 0 < len(page.query_selector_all("#free-form .out table tr")) < 10:
            break
        page.wait_for_timeout(100)
    assert len(page.query_selector_all("#free-form .out table tr")) == 2 + 1
    assert page.query_selector("#free-form .out .truncated") is None
    assert not page.errors, page.errors


# -- the answer on screen: status board, trails, charts, readable views, phones ---------------------

DURHAM = "https://w3id.org/hmi-kg/vocab/force/durham"


def durham_recommendations(dataset: Any) -> set[str]:
    """Every recommendation of a publication about Durham, asked of the graph directly."""
    rows = dataset.query(
        """PREFIX hmi: <https://w3id.org/hmi-kg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?s WHERE { ?s a hmi:Recommendation ; prov:wasDerivedFrom ?p .
        ?p hmi:aboutForce <https://w3id.org/hmi-kg/vocab/force/durham> }"""
    )
    return {str(r[0]) for r in rows}


def test_browser_force_board_has_every_recommendation_with_status_and_trail(
    page: Any, site: Path, linked: Any, shots: Path
) -> None:
    load(page, (site / "force" / f"{slug(DURHAM)}.html").as_uri(), "file: force (Durham)")
    wait_view(page)
    expected = durham_recommendations(linked[0])
    assert len(expected) >= 5
    rows = page.eval_on_selector_all(
        "#board-table tbody tr",
        """rs => rs.map(r => ({kind: r.dataset.kind, href: r.querySelector('td:nth-child(2) a').getAttribute('href'),
                               status: r.querySelector('.status').textContent.trim(),
                               trail: (r.querySelector('a.trail-link') || {}).href || ''}))""",
    )
    by_page = {r["href"]: r for r in rows}
    for rec in expected:
        row = by_page.get(f"../statement/{slug(rec)}.html")
        assert row is not None, rec
        assert row["kind"] == "Recommendation" and row["status"], row
        assert row["trail"].startswith("file://") and Path(row["trail"].removeprefix("file://")).is_file(), row
    # A recommendation the fixture links has a judged status; one nothing speaks to says so.
    rec = linked[1][0]
    assert by_page[f"../statement/{slug(rec)}.html"]["status"] in {"still an area for improvement", "progress reported"}
    assert "no later evidence" in {r["status"] for r in rows}
    # The filters and sorting work in the page, from disk.
    total = len(rows)
    page.select_option("#board-filters select[name=status]", "still an area for improvement")
    visible = page.eval_on_selector_all("#board-table tbody tr:not([hidden])", "rs => rs.map(r => r.dataset.status)")
    assert visible and set(visible) == {"still an area for improvement"} and len(visible) < total
    page.select_option("#board-filters select[name=status]", "")
    page.click("#board-table th button[data-sort=status]")
    ordered = page.eval_on_selector_all("#board-table tbody tr", "rs => rs.map(r => r.dataset.status)")
    assert ordered == sorted(ordered, key=lambda s: s.lower()) or ordered == sorted(ordered)
    # The timeline shows the inspections with their grades.
    assert page.query_selector_all("ol.timeline li .grade")
    shot(page, shots, "force")
    shot(page.query_selector("#board"), shots, "force-board")
    shot(page.query_selector("#charts"), shots, "chart")
    shot(page.query_selector("section.view"), shots, "force-network")
    # A trail link opens a page with a verdict.
    page.goto(by_page[f"../statement/{slug(rec)}.html"]["trail"])
    assert page.query_selector("#verdict .status") is not None
    assert not page.errors, page.errors


def test_browser_hovering_a_node_shows_a_wrapped_escaped_tooltip(page: Any, xss_site: Path, shots: Path) -> None:
    pub = next((xss_site / "publication").glob("*.html"))
    load(page, pub.as_uri(), "file: hostile view hover")
    frame = wait_view(page)
    target = frame.evaluate(
        """() => { const id = nodes.getIds().find(i => String(nodes.get(i).title).includes('<')
                                                       && String(nodes.get(i).title).length > 150);
                   const p = network.canvasToDOM(network.getPositions([id])[id]);
                   return {x: p.x, y: p.y, title: nodes.get(id).title}; }"""
    )
    canvas = frame.query_selector("#mynetwork").bounding_box()
    page.mouse.move(canvas["x"] + target["x"], canvas["y"] + target["y"])
    frame.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    tip = frame.evaluate(
        """() => { const t = document.querySelector('div.vis-tooltip'); const r = t.getBoundingClientRect();
                   const markup = Array.from(t.querySelectorAll('*')).filter(c => c.tagName !== 'BR');
                   return {children: markup.length, text: t.innerText, width: r.width, height: r.height,
                           right: r.right, frame: document.documentElement.clientWidth,
                           lineHeight: parseFloat(getComputedStyle(t).lineHeight)}; }"""
    )
    assert tip["children"] == 0  # text (its line breaks as <br>), never markup
    assert "<" in tip["text"]  # the hostile markup shows as characters
    assert tip["width"] <= 360 and tip["height"] > 2 * tip["lineHeight"]  # wrapped onto several lines
    assert tip["right"] <= tip["frame"] + 1  # and inside the frame
    assert frame.evaluate("window.kgPwned") is None and page.evaluate("window.kgPwned") is None
    shot(page.query_selector("section.view"), shots, "network-tooltip")
    assert not page.errors, page.errors


def test_browser_every_page_fits_a_phone_without_console_errors(browser: Any, site: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(f"{pg.url}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(f"{pg.url}: {e}"))
    pg.on("requestfailed", lambda r: errors.append(f"{pg.url}: request failed {r.url}"))
    wide = []
    pages = sorted(p for p in site.rglob("*.html") if p.parent.name != "views")
    assert len(pages) > 100
    slowest = 0.0
    for path in pages:
        start = time.perf_counter()
        pg.goto(path.as_uri(), wait_until="load")
        slowest = max(slowest, time.perf_counter() - start)
        width = pg.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        if width > 390:
            wide.append((path.relative_to(site).as_posix(), width))
    TIMINGS["file: slowest of every page at 390 px"] = slowest
    context.close()
    assert not wide, wide[:10]
    assert not errors, errors[:10]
