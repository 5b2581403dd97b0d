"""Static SVG charts: grades over inspection cycles, and statuses at a glance.

Charts are written as ``.svg`` files and shown with ``<img>``, so they need
no script, load from disk with no network, and every piece of text in them
is XML-escaped here (an SVG shown as an image runs no script either way).
Each chart scales with its container (``viewBox``), so it fits a phone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

#: Grade rank (skos:notation, 1 = best) → (fill, text colour).
GRADE_COLOURS: dict[int, tuple[str, str]] = {
    1: ("#0e6655", "#ffffff"),
    2: ("#27ae60", "#ffffff"),
    3: ("#f4d03f", "#1c2833"),
    4: ("#e67e22", "#1c2833"),
    5: ("#c0392b", "#ffffff"),
}
UNRANKED = ("#d5d8dc", "#1c2833")
FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\""


def grade_colours(rank: int | None) -> tuple[str, str]:
    """Fill and text colour of a grade by its rank (unknown: grey)."""
    return GRADE_COLOURS.get(rank or 0, UNRANKED)


@dataclass(frozen=True, slots=True)
class GradeCell:
    """One grade in the chart: the area's row, the cycle's column, the grade in words and its rank."""

    area: str
    cycle: str
    grade: str
    rank: int | None


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def grades_svg(title: str, cycles: Sequence[str], cells: Sequence[GradeCell]) -> str:
    """A grid of grades: one row per graded area, one column per cycle in the order given.

    An area not graded in a cycle shows an empty cell, so a reader sees the
    gap rather than a guess.
    """
    areas = sorted({c.area for c in cells})
    at = {(c.area, c.cycle): c for c in cells}
    label_w, col_w, row_h, head_h, top = 270, 170, 30, 44, 30
    width = label_w + col_w * max(1, len(cycles)) + 10
    height = top + head_h + row_h * max(1, len(areas)) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title, {chr(34): "&quot;"})}" {FONT} font-size="13">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="8" y="20" font-size="15" font-weight="600" fill="#1c2833">{escape(_cut(title, 90))}</text>',
    ]
    for j, cycle in enumerate(cycles):
        x = label_w + j * col_w + col_w / 2
        words = _cut(cycle, 44)
        first, _, rest = words.partition(" – ") if " – " in words else (words[:22], "", words[22:])
        out.append(f'<text x="{x:.0f}" y="{top + 18}" text-anchor="middle" fill="#34495e">{escape(first)}</text>')
        if rest:
            out.append(
                f'<text x="{x:.0f}" y="{top + 34}" text-anchor="middle" fill="#566573" font-size="11">'
                f"{escape(_cut(rest, 26))}</text>"
            )
    if not areas:
        out.append(
            f'<text x="8" y="{top + head_h + 20}" fill="#566573">No graded judgments in these publications.</text>'
        )
    for i, area in enumerate(areas):
        y = top + head_h + i * row_h
        out.append(f'<text x="8" y="{y + 20}" fill="#1c2833">{escape(_cut(area, 36))}</text>')
        for j, cycle in enumerate(cycles):
            x = label_w + j * col_w
            cell = at.get((area, cycle))
            if cell is None:
                out.append(
                    f'<rect x="{x + 4}" y="{y + 3}" width="{col_w - 8}" height="{row_h - 6}" rx="4" '
                    'fill="none" stroke="#d5d8dc" stroke-dasharray="4 3"/>'
                )
                continue
            fill, ink = grade_colours(cell.rank)
            out.append(
                f'<rect x="{x + 4}" y="{y + 3}" width="{col_w - 8}" height="{row_h - 6}" rx="4" fill="{fill}"/>'
                f'<text x="{x + col_w / 2:.0f}" y="{y + 20}" text-anchor="middle" fill="{ink}">'
                f"{escape(_cut(cell.grade, 22))}</text>"
            )
    out.append("</svg>\n")
    return "\n".join(out)


def status_svg(title: str, counts: Sequence[tuple[str, str, int]], colours: dict[str, tuple[str, str]]) -> str:
    """Horizontal bars: one per status (in words), its length the number of matters, coloured by tone."""
    label_w, bar_w, row_h, top = 230, 300, 30, 34
    width = label_w + bar_w + 60
    height = top + row_h * max(1, len(counts)) + 10
    most = max((n for *_, n in counts), default=1) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title, {chr(34): "&quot;"})}" {FONT} font-size="13">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="8" y="20" font-size="15" font-weight="600" fill="#1c2833">{escape(_cut(title, 60))}</text>',
    ]
    if not counts:
        out.append(f'<text x="8" y="{top + 20}" fill="#566573">Nothing to count.</text>')
    for i, (status, tone, n) in enumerate(counts):
        y = top + i * row_h
        fill, _ink = colours.get(tone, UNRANKED)
        w = max(2.0, bar_w * n / most)
        out.append(f'<text x="8" y="{y + 20}" fill="#1c2833">{escape(_cut(status, 32))}</text>')
        out.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.0f}" height="{row_h - 8}" rx="3" fill="{fill}" '
            'stroke="#566573" stroke-width="0.5"/>'
        )
        out.append(f'<text x="{label_w + w + 6:.0f}" y="{y + 20}" fill="#1c2833">{n}</text>')
    out.append("</svg>\n")
    return "\n".join(out)
