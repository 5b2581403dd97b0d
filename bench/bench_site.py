"""Site pages: size on disk and load time in headless Chromium, opened from disk (no server).

Builds the shipped corpus (or uses ``--store``), writes the site, then opens
every page of each kind (index, compare, force, publication, trail, theme,
statement, entity) and records the time to the ``load`` event and, for pages
with a network view, until the view has laid itself out. Prints a table per
page kind (pages, median and largest size with the files it loads, median and
slowest time) and writes it to ``build/bench/site.txt``.

    python -m bench.bench_site                 # the shipped corpus
    python -m bench.bench_site --store build/store

Needs Debian's ``chromium`` and the ``playwright`` driver (the ``test`` extra).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def page_bytes(page: Path) -> int:
    """The page and the site files it loads directly (scripts, styles, images, view frames)."""
    total = page.stat().st_size
    text = page.read_text(encoding="utf-8")
    for ref in set(re.findall(r'(?<![\w-])(?:src|href)="([^"#?:]+\.(?:js|css|svg|html))"', text)):
        target = (page.parent / ref).resolve()
        if target.is_file() and (ref.endswith((".js", ".css", ".svg")) or "/views/" in target.as_posix()):
            total += target.stat().st_size
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a built store (default: build the shipped corpus)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "site.txt")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from kg.render.site import build_site
    from kg.store.generations import open_dataset

    work = Path(tempfile.mkdtemp(prefix="kg-bench-site-"))
    try:
        store = args.store
        if store is None:
            from kg.build.extractor import make_extractor
            from kg.build.pipeline import build

            store = work / "store"
            build(ROOT / "corpus", store, extractor=make_extractor(model=None))
        site = work / "site"
        start = time.perf_counter()
        report = build_site(open_dataset(store), site)
        build_s = time.perf_counter() - start

        kinds: dict[str, list[Path]] = defaultdict(list)
        for page in sorted(site.rglob("*.html")):
            rel = page.relative_to(site)
            if rel.parts[0] == "views":
                continue
            kinds[rel.parts[0] if len(rel.parts) > 1 else rel.stem].append(page)
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
            pg = browser.new_page(viewport={"width": 1280, "height": 900})
            for kind, pages in sorted(kinds.items()):
                loads, readies = [], []
                for page in pages:
                    t0 = time.perf_counter()
                    pg.goto(page.as_uri(), wait_until="load")
                    loads.append(time.perf_counter() - t0)
                    frame = pg.frame(name="view-frame")
                    if frame is not None:
                        pg.eval_on_selector("iframe.network", "f => f.scrollIntoView()")
                        frame.wait_for_function("() => window.kgViewReady === true", timeout=60_000)
                        readies.append(time.perf_counter() - t0)
                sizes = [page_bytes(p) for p in pages]
                rows.append(
                    (
                        kind,
                        len(pages),
                        statistics.median(sizes) / 1024,
                        max(sizes) / 1024,
                        statistics.median(loads) * 1000,
                        max(loads) * 1000,
                        max(readies) * 1000 if readies else None,
                    )
                )
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [
        f"site: {report.pages} pages, {report.views} views, written in {build_s:.1f} s",
        "| kind | pages | median kB | largest kB | median load ms | slowest load ms | slowest view ready ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, n, med_kb, max_kb, med_ms, max_ms, ready in rows:
        ready_text = f"{ready:.0f}" if ready is not None else "–"
        lines.append(f"| {kind} | {n} | {med_kb:.0f} | {max_kb:.0f} | {med_ms:.0f} | {max_ms:.0f} | {ready_text} |")
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
