"""Score statement extraction against hand-written gold: precision and recall per kind.

A gold file (the development-set format, see docs/statements.md) names its
document and lists what a careful reader finds there: each statement's
kind and the opening words of its sentence or list item, a finding's
polarity, the earlier inspection a recap restates, and the grades stated.
The document is read by the same stages as ``kg build`` (ingest, structure,
extract) and each gold statement is paired with at most one extracted
statement whose text begins with the gold words. A pair is right for its
kind when both kinds agree and both agree on whether the sentence is a
recap: a retold finding counted as a new one is an error, not a hit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KGError
from kg.records import Statement

KINDS = (
    "finding",
    "area_for_improvement",
    "cause_of_concern",
    "recommendation",
    "good_practice",
    "innovative_practice",
    "case_audit_tally",
)
_MARKER_RE = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|[•·▪◦‣●○■□➢►✓\uf0b7\-\*–])\s+")
_STOP = frozenset("the and of in for to a an its their at on with how".split())


class GoldError(KGError):
    """A gold file that cannot be read or whose document cannot be found."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def norm(text: str) -> str:
    """The gold matching form: quotes straightened, list marker dropped, whitespace collapsed, case folded."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    text = " ".join(text.split())
    return _MARKER_RE.sub("", text).lstrip("\"'").casefold()


@dataclass(frozen=True, slots=True)
class GoldStatement:
    """One statement a careful reader marked."""

    kind: str
    text: str
    polarity: str | None = None
    recap_of: str | None = None
    incomplete: bool = False


@dataclass(frozen=True, slots=True)
class Gold:
    """What a gold file says one document states."""

    path: Path
    document: str
    statements: tuple[GoldStatement, ...]
    grades: tuple[tuple[str, str], ...]
    grade_counts: tuple[tuple[str, int], ...]


@dataclass
class Tally:
    """stated / found / right for one row of the table."""

    stated: int = 0
    found: int = 0
    right: int = 0

    def add(self, other: Tally) -> None:
        self.stated += other.stated
        self.found += other.found
        self.right += other.right

    @property
    def precision(self) -> float | None:
        return self.right / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.right / self.stated if self.stated else None


@dataclass
class Score:
    """Per-kind tallies, and the misses and false finds that explain them."""

    kinds: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    polarity: Tally = field(default_factory=Tally)
    recap: Tally = field(default_factory=Tally)
    grades: Tally = field(default_factory=Tally)
    grade_counts: Tally = field(default_factory=Tally)
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for kind, tally in other.kinds.items():
            self.kinds.setdefault(kind, Tally()).add(tally)
        for name in ("polarity", "recap", "grades", "grade_counts"):
            getattr(self, name).add(getattr(other, name))
        self.misses += other.misses
        self.false += other.false

    @property
    def total(self) -> Tally:
        out = Tally()
        for tally in self.kinds.values():
            out.add(tally)
        return out


def load_gold(path: Path) -> Gold:
    """Read one gold file; a clear error names the file and what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        statements = tuple(
            GoldStatement(
                kind=str(s["kind"]),
                text=str(s["text"]),
                polarity=s.get("polarity"),
                recap_of=None if s.get("recap_of") is None else str(s["recap_of"]),
                incomplete=bool(s.get("incomplete", False)),
            )
            for s in data.get("statements", [])
        )
        grades = tuple((str(g["area"]), str(g["grade"])) for g in data.get("grades", []))
        counts = tuple((str(c["grade"]), int(c["count"])) for c in data.get("grade_counts", []))
        document = str(data["document"])
    except (OSError, UnicodeDecodeError) as e:
        raise GoldError(str(path), f"cannot read the gold file ({e})") from e
    except (ValueError, KeyError, TypeError) as e:
        raise GoldError(str(path), f"not a gold file in the development-set format ({type(e).__name__}: {e})") from e
    return Gold(path=path, document=document, statements=statements, grades=grades, grade_counts=counts)


def gold_files(paths: Iterable[Path]) -> list[Path]:
    """Gold files named, and every ``*.json`` in the folders named, in name order."""
    out: list[Path] = []
    for p in paths:
        out.extend(sorted(p.glob("*.json")) if p.is_dir() else [p])
    return out


def find_document(gold: Gold, pages: Path | None) -> Path:
    """The document a gold file describes: in ``pages``, beside the gold file, or in ``../pages``."""
    folders = [pages] if pages is not None else [gold.path.parent, gold.path.parent.parent / "pages"]
    for folder in folders:
        candidate = folder / gold.document
        if candidate.is_file():
            return candidate
    raise GoldError(str(gold.path), f"its document {gold.document!r} is not in {', '.join(str(f) for f in folders)}")


def _text_of(st: Statement) -> str:
    return norm(st.heading.quote)


def _matches(gold: str, found: str) -> bool:
    if not gold or not found:
        return False
    if found.startswith(gold):
        return True
    # A found statement cut short (a truncated copy) still matches the gold words it holds.
    return len(found) >= 25 and gold.startswith(found)


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 2}


def _same_area(gold: str, found: str) -> bool:
    a, b = _stems(gold), _stems(found)
    if not a or not b:
        return norm(gold) == norm(found)
    return len(a & b) / min(len(a), len(b)) >= 0.5


def score(gold: Gold, statements: Sequence[Statement]) -> Score:
    """Pair gold statements with extracted ones and count, per kind, stated / found / right."""
    result = Score()
    name = gold.document
    prose = [s for s in statements if s.kind in KINDS]
    texts = [_text_of(s) for s in prose]
    used: set[int] = set()
    pairs: list[tuple[GoldStatement, Statement | None]] = []
    for want in gold.statements:
        target = norm(want.text)
        candidates = [i for i, t in enumerate(texts) if i not in used and _matches(target, t)]
        best = next((i for i in candidates if prose[i].kind == want.kind), candidates[0] if candidates else None)
        if best is not None:
            used.add(best)
        pairs.append((want, prose[best] if best is not None else None))
    for st in prose:
        result.kinds.setdefault(st.kind, Tally()).found += 1
        if st.recap_of is not None:
            result.recap.found += 1
    for want, got in pairs:
        result.kinds.setdefault(want.kind, Tally()).stated += 1
        if want.recap_of is not None:
            result.recap.stated += 1
        right = got is not None and got.kind == want.kind and (got.recap_of is None) == (want.recap_of is None)
        if right:
            assert got is not None
            result.kinds[want.kind].right += 1
            if want.kind == "finding" and want.polarity:
                result.polarity.stated += 1
                result.polarity.found += 1 if got.polarity else 0
                result.polarity.right += 1 if got.polarity == want.polarity else 0
        else:
            why = (
                "not found"
                if got is None
                else f"read as {got.kind}" + (f" (recap {got.recap_of})" if got.recap_of else "")
            )
            result.misses.append(
                f"{name}: {want.kind}{' recap ' + want.recap_of if want.recap_of else ''}: {want.text!r} {why}"
            )
        if want.recap_of is not None and got is not None and got.recap_of is not None:
            result.recap.right += 1 if got.recap_of == want.recap_of else 0
    matched = {id(got) for want, got in pairs if got is not None and got.kind == want.kind}
    for st in prose:
        if id(st) not in matched:
            result.false.append(f"{name}: {st.kind} [{st.cue}]: {' '.join(st.heading.quote.split())[:90]!r}")
    _score_grades(gold, statements, result)
    return result


def _score_grades(gold: Gold, statements: Sequence[Statement], result: Score) -> None:
    # A count of grades without areas ("good in four areas") is scored with the grade counts, not as an area's grade.
    graded = [s for s in statements if s.kind == "graded_judgment" and not (s.grade_counts and s.area is None)]
    result.grades.found += len(graded)
    taken: set[int] = set()
    for area, grade in gold.grades:
        result.grades.stated += 1
        hit = next(
            (
                i
                for i, s in enumerate(graded)
                if i not in taken and (s.grade or "").lower() == grade.lower() and _same_area(area, s.area or "")
            ),
            None,
        )
        if hit is None:
            result.misses.append(f"{gold.document}: grade {area}: {grade} not found")
            continue
        taken.add(hit)
        result.grades.right += 1
    found_counts: dict[str, int] = {}
    for s in statements:
        for g, n in s.grade_counts:
            found_counts[g.lower()] = n
    result.grade_counts.found += len(found_counts)
    for g, n in gold.grade_counts:
        result.grade_counts.stated += 1
        if found_counts.get(g.lower()) == n:
            result.grade_counts.right += 1
        else:
            result.misses.append(f"{gold.document}: grade count {g} = {n} not found")


def evaluate(paths: Iterable[Path], *, pages: Path | None = None) -> Score:
    """Score every gold file against the extraction of its document."""
    from kg.extract import extract_statements
    from kg.ingest import read_document
    from kg.structure.sections import structure

    total = Score()
    for path in gold_files(paths):
        gold = load_gold(path)
        document = read_document(find_document(gold, pages))
        total.add(score(gold, extract_statements(structure(document)).statements))
    return total


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(result: Score) -> str:
    """The per-kind table: stated, found, right, precision, recall."""
    rows = [("kind", "stated", "found", "right", "precision", "recall")]
    for kind, t in result.kinds.items():
        rows.append((kind, str(t.stated), str(t.found), str(t.right), _ratio(t.precision), _ratio(t.recall)))
    t = result.total
    rows.append(("all statements", str(t.stated), str(t.found), str(t.right), _ratio(t.precision), _ratio(t.recall)))
    for label, t in (
        ("finding polarity", result.polarity),
        ("recap_of (year)", result.recap),
        ("grades", result.grades),
        ("grade counts", result.grade_counts),
    ):
        rows.append((label, str(t.stated), str(t.found), str(t.right), _ratio(t.precision), _ratio(t.recall)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths, strict=True)))
        for r in rows
    )
