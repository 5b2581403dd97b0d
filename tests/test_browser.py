"""The site and the server in real headless Chromium (Debian's ``chromium``, driven by Playwright).

Skipped, with the reason, only when no chromium binary is installed; CI
installs it (.ci/run). ``playwright install`` is never run: the pip package
provides the driver and Debian provides the browser. Screenshots go to
``build/screenshots/`` and measured load times to ``build/screenshots/timings.txt``.
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
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    if TIMINGS:
        lines = [f"{k}\t{v * 1000:.0f} ms" for k, v in sorted(TIMINGS.items())]
        (SHOTS / "timings.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


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
    frame = pg.frame(name="view-frame")
    assert frame is not None
    frame.wait_for_function("() => window.kgViewReady === true", timeout=30_000)
    return frame


def test_browser_pages_load_without_console_errors(page: Any, site: Path) -> None:
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
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(urls["index"].as_uri())
    page.screenshot(path=str(SHOTS / "index.png"), full_page=True)
    page.goto(urls["publication"].as_uri())
    wait_view(page)
    page.screenshot(path=str(SHOTS / "publication.png"))


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


def test_browser_trail_lists_links_in_time_order(page: Any, site: Path, linked: Any) -> None:
    rec, afi, fnd = linked[1]
    load(page, (site / "trail" / f"{slug(rec)}.html").as_uri(), "file: trail")
    wait_view(page)
    steps = page.eval_on_selector_all("li.trail-step a", "els => els.map(e => e.getAttribute('href'))")
    ours = [f"../statement/{slug(s)}.html" for s in (rec, afi, fnd)]
    assert [s for s in steps if s in ours] == ours  # the linker may add more steps; ours keep their order
    step_dates = page.eval_on_selector_all("li.trail-step .date", "els => els.map(e => e.textContent)")
    assert step_dates == sorted(step_dates)
    dates = page.eval_on_selector_all(
        "tr.trail-link-row", "rs => rs.map(r => [r.dataset.earlierDate, r.dataset.laterDate])"
    )
    assert len(dates) >= 2 and all(a <= b for a, b in dates)
    page.screenshot(path=str(SHOTS / "trail.png"), full_page=True)
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
    load(page, server + "/query", "served: query page")
    form = page.query_selector("form.named[data-name='mentions']")
    form.query_selector("input[name='entity']").fill("Sleuth")
    form.query_selector("button").click()
    page.wait_for_selector("form.named[data-name='mentions'] .out table")
    assert "Sleuth" in form.inner_text()
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
