"""Measure metadata detection against a folder of gold answers.

    python -m kg.ingest.evaluate_metadata --pages DIR --gold DIR [--verbose]

Each gold file ``<stem>.json`` holds a ``metadata`` object (title, kind,
forces, scope, programme, pillar, dates, dates_stated) for the page
``<stem>.*`` in the pages folder. The figures: force right (the same set of
forces) and invented forces (a force the gold does not name), scope,
programme with cycle, pillar, kind, every stated date found (any role, at
the gold's precision or finer) and with its role, the three dates, titles
equal to the gold's and titles that are page furniture.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg.ingest.dates import find_dates
from kg.ingest.metadata import build_metadata
from kg.records import DocumentMetadata, PublicationDate

#: Gold kind names -> the graph's.
GOLD_KINDS = {
    "report": "report",
    "press-release": "press release",
    "news-article": "article",
    "letter": "letter",
    "register-entry": "register entry",
    "landing-page": "landing page",
}
#: Words that make a title page furniture.
FURNITURE = re.compile(
    r"skip to|overall summary|our judgments|page not found|\b404\b|cookies|read more|^contents|for consultation|"
    r"print this|continue reading|page created by|citation preview|\bupload\b",
    re.IGNORECASE,
)


@dataclass
class Tally:
    """Right out of judged, per measure, and the pages that went wrong."""

    right: Counter[str] = field(default_factory=Counter)
    judged: Counter[str] = field(default_factory=Counter)
    misses: dict[str, list[str]] = field(default_factory=dict)
    #: Per date role: pages the gold dates, pages detection dates, pages where both agree.
    dated: Counter[tuple[str, str]] = field(default_factory=Counter)

    def judge(self, measure: str, ok: bool, page: str, detail: str = "") -> None:
        self.judged[measure] += 1
        if ok:
            self.right[measure] += 1
        else:
            self.misses.setdefault(measure, []).append(f"{page}: {detail}")


def _norm(text: str) -> str:
    text = re.sub(r"[\u2010-\u2015\u2212-]", "-", text.replace("\u2019", "'").replace("\u2018", "'"))
    return " ".join(text.lower().split())


def _matches(gold: str, dates: list[PublicationDate]) -> bool:
    """A gold date is found when a detected value (or period end) is it, or finer within it."""
    return any(v.startswith(gold) for d in dates for v in (d.value, d.end) if v)


def evaluate_page(text: str, gold: dict[str, object], page: str, tally: Tally) -> DocumentMetadata:
    """Judge one page's detected metadata against its gold ``metadata`` object."""
    meta = build_metadata(text, None)
    forces = set(meta.forces)
    gold_forces = set(gold.get("forces") or [])  # type: ignore[call-overload]
    tally.judge("force", forces == gold_forces, page, f"{sorted(forces)} vs {sorted(gold_forces)}")
    invented = forces - gold_forces
    tally.judge("no invented force", not invented, page, f"invented {sorted(invented)}")
    tally.judge("scope", meta.scope == gold.get("scope"), page, f"{meta.scope} vs {gold.get('scope')}")
    tally.judge(
        "programme", meta.programme == gold.get("programme"), page, f"{meta.programme} vs {gold.get('programme')}"
    )
    tally.judge("pillar", meta.pillar == gold.get("pillar"), page, f"{meta.pillar} vs {gold.get('pillar')}")
    gold_kind = GOLD_KINDS.get(str(gold.get("kind")), str(gold.get("kind")))
    tally.judge("kind", meta.kind == gold_kind, page, f"{meta.kind} vs {gold_kind}")
    title = str(gold.get("title") or "")
    tally.judge("title equal", _norm(meta.title) == _norm(title), page, f"{meta.title!r} vs {title!r}")
    tally.judge("title not furniture", not FURNITURE.search(meta.title), page, repr(meta.title))
    stated = find_dates(text)
    mine = [d for d in (meta.inspected, meta.first_published, meta.edition) if d is not None] + [s.date for s in stated]
    for entry in gold.get("dates_stated") or []:  # type: ignore[attr-defined]
        value = entry.get("value")
        if not value:
            continue
        tally.judge("stated date found", _matches(value, mine), page, f"{entry.get('text')!r} = {value}")
        role = entry.get("role")
        in_role = [s.date for s in stated if s.role == role]
        tally.judge("stated date role", _matches(value, in_role), page, f"{entry.get('text')!r} = {value} as {role}")
    dates = gold.get("dates") or {}
    for role in ("inspected", "first_published", "edition"):
        want = dates.get(role)  # type: ignore[attr-defined]
        got = getattr(meta, role)
        ok = (want is None and got is None) or (want is not None and got is not None and got.value.startswith(want))
        tally.judge(f"date {role}", ok, page, f"{got.value if got else None} vs {want}")
        tally.dated[(role, "gold")] += want is not None
        tally.dated[(role, "found")] += got is not None
        tally.dated[(role, "right")] += want is not None and ok
    return meta


def evaluate(pages: Path, gold_dir: Path) -> Tally:
    """Every gold page of ``gold_dir`` whose page is in ``pages``."""
    tally = Tally()
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        candidates = sorted(p for p in pages.glob(gold_path.stem + ".*") if p.suffix != ".json")
        if not candidates or "metadata" not in gold:
            continue
        text = candidates[0].read_text(encoding="utf-8", errors="replace")
        evaluate_page(text, gold["metadata"], gold_path.stem, tally)
    return tally


def report(tally: Tally, verbose: bool) -> str:
    """The figures as a Markdown table, and with ``verbose`` every miss."""
    lines = ["| measure | right | judged | share |", "|---|---:|---:|---:|"]
    for measure in tally.judged:
        right, judged = tally.right[measure], tally.judged[measure]
        lines.append(f"| {measure} | {right} | {judged} | {right / judged:.1%} |")
    lines += ["", "| date | gold states | detected | right | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for role in ("inspected", "first_published", "edition"):
        gold, found, right = (tally.dated[(role, k)] for k in ("gold", "found", "right"))
        precision = f"{right / found:.1%}" if found else "-"
        recall = f"{right / gold:.1%}" if gold else "-"
        lines.append(f"| {role} | {gold} | {found} | {right} | {precision} | {recall} |")
    if verbose:
        for measure, misses in tally.misses.items():
            lines.append(f"\n{measure}:")
            lines += [f"  - {m}" for m in misses]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, required=True)
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    if not args.pages.is_dir() or not args.gold.is_dir():
        print(f"error: {args.pages if not args.pages.is_dir() else args.gold}: not a folder", file=sys.stderr)
        return 2
    print(report(evaluate(args.pages, args.gold), args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
