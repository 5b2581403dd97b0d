"""Score entity extraction on whole pages against per-page gold entity lists.

The development set's gold lists, for each page, the distinct entities a
careful reader finds: a type (FORCE, UNIT, SYSTEM, LEGISLATION, GUIDANCE,
PARTNER, INSPECTORATE, INITIATIVE), the form in the page and a count, with
a name and its alias in brackets counted as one entry ("multi-agency
safeguarding hubs (MASHs)"). So the unit scored here is a distinct entity
of a page, not a span: the mentions a page's extraction yields are grouped
by what they refer to (a vocabulary concept, or a candidate's name), and a
group is right when it is one of the gold entries of its type.

A group matches a gold entry when one of the gold entry's forms (the text,
and each side of a "long form (SHORT)" pair) names the group's concept in
the vocabulary, or equals, contains or is contained in one of the group's
surface forms or its concept's names, word for word, ignoring case, a
leading "the", a possessive and a plural "s". Containment is allowed
because a gold entry may keep words round a name ("section 136 of the
Mental Health Act" holds the mention "section 136"); it is per type and
per page; a name no vocabulary knows must hold the whole gold form (of
two words or more), so a fragment ("Royal Commission") or a lone word
("PEEL") never pairs with a longer name that holds it.

Model labels outside the gold's types: an unlinked ORG is right if the page
lists it under any type (the type a reviewer would give it is not known
yet); PERSON, GPE and DATE are not in the gold, so they are only listed for
a reader to judge (``model_additions``).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.entities.evaluate import LabelScore
from kg.entities.text import key
from kg.entities.vocab import Vocabulary
from kg.records import EntityMention

#: The gold's entity types.
GOLD_TYPES = ("FORCE", "UNIT", "SYSTEM", "LEGISLATION", "GUIDANCE", "PARTNER", "INSPECTORATE", "INITIATIVE")
#: Our labels the gold files under another type (a risk tool is a system to the gold).
LABEL_TYPE = {"RISK_TOOL": "SYSTEM"}
#: Model labels the gold does not annotate: listed for review, never scored.
UNSCORED = frozenset({"PERSON", "GPE", "DATE"})

_PAIR = re.compile(r"^(?P<long>.+?)\s*\((?P<short>[^()]+)\)\s*$")
_LEAD = re.compile(r"^(?:the|a|an)\s+")
_POSS = re.compile(r"'s?\b")


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """One gold entry of a page."""

    type: str
    text: str
    count: int


@dataclass(frozen=True, slots=True)
class Group:
    """The mentions of one page that refer to one thing."""

    type: str
    ref: str
    concept: str | None
    surfaces: tuple[str, ...]
    count: int
    sources: frozenset[str]
    #: Where its first mention starts in the page's text (for showing it in context).
    at: int = -1

    @property
    def by_model_only(self) -> bool:
        """Whether only the statistical model found it (an entity the model added)."""
        return self.sources == {"model"}


@dataclass(slots=True)
class PageResult:
    """What one page's extraction got right and wrong."""

    page: str
    right: list[tuple[Group, GoldEntity]] = field(default_factory=list)
    wrong: list[Group] = field(default_factory=list)
    missed: list[GoldEntity] = field(default_factory=list)
    unscored: list[Group] = field(default_factory=list)


def norm(text: str) -> str:
    """Lookup form of a name: lower case, no leading article, possessive or final plural "s"."""
    t = key(text.replace("\u2013", "-").replace("\u2014", "-"))
    t = _LEAD.sub("", t)
    t = _POSS.sub("", t)
    t = re.sub(r"[^\w&/() .-]+", " ", t)
    words = [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in t.split()]
    return " ".join(words)


def gold_forms(text: str) -> list[str]:
    """The forms of a gold entry: the text, and each side of a "long form (SHORT)" pair."""
    forms = [text]
    m = _PAIR.match(text)
    if m:
        forms += [m.group("long"), m.group("short")]
    return forms


def _contains(outer: str, inner: str) -> bool:
    return bool(inner) and f" {inner} " in f" {outer} "


def load_gold(path: Path) -> list[GoldEntity]:
    """Read the ``entities`` list of one gold file.

    Raises:
        ValueError: naming the file, if an entry lacks a type or text.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for n, row in enumerate(data.get("entities", []), 1):
        if not row.get("type") or not row.get("text"):
            raise ValueError(f"{path}: entity {n} has no type or text")
        out.append(GoldEntity(str(row["type"]), str(row["text"]), int(row.get("count", 1))))
    return out


def group_mentions(mentions: Iterable[EntityMention], vocabulary: Vocabulary) -> list[Group]:
    """Group a page's mentions by what they refer to (concept, else candidate name and label)."""
    by: dict[tuple[str, str], list[EntityMention]] = defaultdict(list)
    for m in mentions:
        label = LABEL_TYPE.get(m.label, m.label)
        if m.concept and "/section/" in m.concept:
            ref = m.concept
        elif m.concept:
            ref = m.concept
        else:
            ref = "name:" + norm(m.candidate_name or m.span.quote)
        by[(label, ref)].append(m)
    out = []
    for (label, ref), ms in sorted(by.items()):
        concept = ms[0].concept
        names: list[str] = [m.span.quote for m in ms]
        known = vocabulary.get(concept) if concept else None
        if known is not None:
            names += list(known.names)
        out.append(
            Group(
                label,
                ref,
                concept,
                tuple(dict.fromkeys(names)),
                len(ms),
                frozenset(m.source for m in ms),
                min(m.span.start for m in ms),
            )
        )
    return out


def _matches(group: Group, gold: GoldEntity, vocabulary: Vocabulary) -> bool:
    for form in gold_forms(gold.text):
        concept = vocabulary.lookup(form)
        if concept is not None and group.concept == concept.iri:
            return True
        g = norm(form)
        for surface in group.surfaces:
            s = norm(surface)
            if s == g:
                return True
            # Containment only where it cannot pair a lone word with a longer
            # name: a vocabulary concept's names are precise, a guessed name is not.
            if group.concept is not None and (_contains(g, s) or _contains(s, g)):
                return True
            if group.concept is None and len(g.split()) >= 2 and _contains(s, g):
                return True
    return False


def score_page(
    page: str, mentions: Sequence[EntityMention], gold: Sequence[GoldEntity], vocabulary: Vocabulary
) -> PageResult:
    """Pair a page's entity groups with its gold entries (each gold entry pairs at most once)."""
    result = PageResult(page)
    open_gold = list(gold)
    # Linked and rule-made groups claim their gold entries before the model's unlinked ORGs.
    for group in sorted(group_mentions(mentions, vocabulary), key=lambda g: g.type == "ORG"):
        if group.type in UNSCORED:
            result.unscored.append(group)
            continue
        match = next(
            (g for g in open_gold if (group.type == "ORG" or g.type == group.type) and _matches(group, g, vocabulary)),
            None,
        )
        if match is None:
            # A second name of an entry already paired (a group per alias) is not a new error.
            if any(group.type in {"ORG", g.type} and _matches(group, g, vocabulary) for _grp, g in result.right):
                continue
            result.wrong.append(group)
        else:
            open_gold.remove(match)
            result.right.append((group, match))
    result.missed = [g for g in open_gold if g.type in GOLD_TYPES]
    return result


def tabulate(results: Iterable[PageResult]) -> dict[str, LabelScore]:
    """Per-type scores over pages: right groups are true positives, wrong false positives, missed false negatives.

    A right group counts under its gold entry's type (an unlinked ORG the
    gold files as a PARTNER is a right PARTNER); a wrong one under its own.
    """
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    for r in results:
        for _group, gold in r.right:
            tp[gold.type] += 1
        for group in r.wrong:
            fp[group.type] += 1
        for gold in r.missed:
            fn[gold.type] += 1
    labels = sorted(set(tp) | set(fp) | set(fn), key=lambda t: (t not in GOLD_TYPES, t))
    return {t: LabelScore(t, tp[t], fp[t], fn[t]) for t in labels}


def model_additions(results: Iterable[PageResult]) -> list[tuple[str, Group, bool | None]]:
    """Every entity only the model found: (page, group, right?) with None where the gold cannot tell.

    Dates are values, not entities (the graph makes no node of them), so they are not listed.
    """
    out: list[tuple[str, Group, bool | None]] = []
    for r in results:
        out += [(r.page, g, True) for g, _ in r.right if g.by_model_only]
        out += [(r.page, g, False) for g in r.wrong if g.by_model_only]
        out += [(r.page, g, None) for g in r.unscored if g.by_model_only and g.type != "DATE"]
    return out


def evaluate_pages(
    pages_dir: Path,
    gold_dir: Path,
    extract: Callable[[Path], Sequence[EntityMention]],
    vocabulary: Vocabulary,
) -> list[PageResult]:
    """Score every page that has a gold file.

    Args:
        pages_dir: Folder of saved pages.
        gold_dir: Folder of ``<page stem>.json`` gold files.
        extract: Runs the production extraction on one page file and returns its mentions.
        vocabulary: The vocabulary the extraction links to.

    Raises:
        ValueError: if the gold folder holds no gold file.
    """
    golds = sorted(gold_dir.glob("*.json"))
    if not golds:
        raise ValueError(f"{gold_dir}: no gold files (*.json)")
    results = []
    for gold_path in golds:
        pages = [p for p in pages_dir.glob(gold_path.stem + ".*") if p.suffix != ".json"]
        if not pages:
            continue
        results.append(score_page(pages[0].name, extract(pages[0]), load_gold(gold_path), vocabulary))
    return results
