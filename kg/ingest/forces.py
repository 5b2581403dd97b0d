"""Which force or forces a publication is about, from the force vocabulary only.

A force is only ever one the vocabulary (``ontology/vocab/forces.ttl``)
knows: a name is matched against its labels, never built from capitalised
words, so "Although Northumbria Police" is Northumbria Police and no page
can invent a "North Police". A force's bare place name ("Cambridgeshire",
"Durham", "Metropolitan") counts only where pages use it as a name: at the
head of a title line ("Cambridgeshire –", "Durham PEEL 2014", "Durham
2015"), or a page's "Police Forces:" line. A page that names no force, or
names several about equally, is about several or all forces.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from kg.ingest.vocabularies import Concept, ConceptIndex, forces
from kg.records import Scope

#: How much of the text is read for force names.
HEAD_CHARS = 6000
#: A title-zone mention weighs as much as this many mentions in running text.
TITLE_WEIGHT = 3
_SUFFIX = re.compile(r"\s+(?:Police Service|Police Force|Constabulary|Police|force)$", re.IGNORECASE)
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_NATIONAL = re.compile(
    r"\b(?:all (?:43 )?(?:police )?forces|every (?:police )?force|forces in England and Wales|across (?:all )?forces|"
    r"thematic)\b",
    re.IGNORECASE,
)


def _label_pattern(label: str) -> str:
    words = [re.escape(w) for w in re.split(r"\s+", label.strip())]
    joined = r"\s+".join(words)
    return joined.replace(r"\-", f"[{_DASHES}\\s]?")


@cache
def _patterns(index: ConceptIndex) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, Concept]]:
    """(full names, case-insensitive), (acronyms and "the Met", case-sensitive), (bare place names), name -> concept."""
    by_key: dict[str, Concept] = {}
    loose: list[str] = []
    strict: list[str] = []
    bare: list[str] = []
    for c in index.concepts:
        for label in (c.pref_label, *c.alt_labels):
            key = " ".join(label.lower().split())
            by_key.setdefault(key, c)
            if label.isupper() or label.startswith(("the ", "Met ")):
                strict.append(label)
            else:
                loose.append(label)
            place = _SUFFIX.sub("", label)
            if place != label and place and not place.isupper():
                by_key.setdefault(" ".join(place.lower().split()), c)
                bare.append(place)

    def order(names: list[str]) -> list[str]:
        return sorted(set(names), key=lambda n: (-len(n), n))

    loose_re = re.compile(r"(?<![\w-])(?:" + "|".join(_label_pattern(n) for n in order(loose)) + r")(?![\w-])", re.I)
    strict_re = re.compile(r"(?<![\w-])(?:" + "|".join(_label_pattern(n) for n in order(strict)) + r")(?![\w-])")
    bare_re = re.compile(r"(?<![\w-])(?:" + "|".join(_label_pattern(n) for n in order(bare)) + r")(?![\w-])")
    return loose_re, strict_re, bare_re, by_key


#: The last word of every full force name (acronyms and "the Met" are matched by their own pattern).
_SUFFIX_WORD = re.compile(r"\b(?:Police|Constabulary|Force|Service)\b", re.IGNORECASE)
_NAME_REACH = 60


def _full_names(loose_re: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """``loose_re``'s matches, found from the word each name ends in.

    The pattern has a few hundred names; tried at every character of the
    opening it took most of the time metadata detection takes. Here it is
    tried only at word starts shortly before a "Police", "Constabulary",
    "Force" or "Service", ending there; the earliest (longest) start wins.
    """
    found: list[re.Match[str]] = []
    last_end = -1
    for s in _SUFFIX_WORD.finditer(text):
        if s.end() <= last_end:
            continue
        for start in range(max(0, s.start() - _NAME_REACH, last_end), s.start()):
            if start > 0 and text[start - 1].isalnum():
                continue
            m = loose_re.match(text, start)  # names are tried longest first: "... Police Service" over "... Police"
            if m is not None and m.end() >= s.end():
                found.append(m)
                last_end = m.end()
                break
    return found


def _concept(name: str, by_key: dict[str, Concept]) -> Concept | None:
    key = " ".join(re.sub(f"[{_DASHES}]", "-", name).lower().split())
    return by_key.get(key) or by_key.get(key.replace("-", " ")) or by_key.get(key.replace(" ", "-"))


def resolve_force(name: str) -> str | None:
    """The prefLabel of the force ``name`` names (a label or a bare place name), or None."""
    loose_re, strict_re, bare_re, by_key = _patterns(forces())
    concept = _concept(name.strip(), by_key)
    if concept is None and name.lower().startswith("the "):
        concept = _concept(name[4:], by_key)
    return concept.pref_label if concept else None


#: A title line that starts with a bare force name used as a name: "Durham –", "Durham PEEL 2015", "Durham 2015".
_BARE_HEAD = re.compile(rf"^\s*(?P<name>[A-Z][\w&'{_DASHES} ]{{2,40}}?)\s*(?:[{_DASHES}:|]|\bPEEL\b|\b20\d\d\b|$)")
_FORCES_LINE = re.compile(r"^\s*Police Forces?\s*:\s*(?P<names>[^\n]+)$", re.MULTILINE | re.IGNORECASE)


def detect_forces(text: str, title_lines: list[str]) -> tuple[tuple[str, ...], Scope]:
    """The forces a page is about (prefLabels, most named first) and whether it is about one, several or all.

    ``title_lines`` are the page's title lines without furniture (see
    ``kg.ingest.titles``); a force named there outweighs mentions elsewhere.
    """
    loose_re, strict_re, bare_re, by_key = _patterns(forces())
    head = text[:HEAD_CHARS]
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}

    def add(name: str, at: int, weight: int = 1) -> None:
        concept = _concept(name, by_key)
        if concept is None:
            return
        counts[concept.pref_label] += weight
        first_seen.setdefault(concept.pref_label, at)

    for m in _full_names(loose_re, head):
        add(m.group(0), m.start())
    for m in strict_re.finditer(head):
        add(m.group(0), m.start())
    for n, line in enumerate(title_lines):
        for regex in (loose_re, strict_re):
            for m in regex.finditer(line):
                add(m.group(0), -100 + n, TITLE_WEIGHT)
        head_match = _BARE_HEAD.match(line)
        if head_match:
            name = head_match.group("name").strip()
            bare = bare_re.fullmatch(name)
            if bare:
                add(bare.group(0), -100 + n, TITLE_WEIGHT)
    for m in _FORCES_LINE.finditer(head):
        for part in re.split(r",|;| and ", m.group("names")):
            part = part.strip()
            if bare_re.fullmatch(part) or loose_re.fullmatch(part) or strict_re.fullmatch(part):
                add(part, m.start(), TITLE_WEIGHT)
    if not counts:
        return (), "national"
    ranked = sorted(counts, key=lambda f: (-counts[f], first_seen[f], f))
    top = counts[ranked[0]]
    titled = [f for f in ranked if first_seen[f] < 0]
    if len(titled) == 1:
        return (titled[0],), "force"
    if len(titled) > 1:
        return tuple(titled), "several"
    close = [f for f in ranked if counts[f] * 2 >= top and counts[f] >= 2]
    if len(close) > 1:
        return tuple(close), "several"
    return (ranked[0],), "force"


def candidate_force(text: str, title_lines: list[str]) -> str | None:
    """A force the vocabulary does not know, named the way pages name their own force, or None.

    Only when a title line opens with a place ("Midshire – ...") and the text
    names "<that place> Police" or "<that place> Constabulary": a name built
    from any capitalised words ("Although Northumbria Police") never qualifies.
    The graph flags such a force for review (add it to forces.ttl).
    """
    _, _, bare_re, _ = _patterns(forces())
    head = text[:HEAD_CHARS]
    for line in title_lines:
        m = _BARE_HEAD.match(line)
        if not m:
            continue
        place = m.group("name").strip()
        if bare_re.fullmatch(place) or not re.fullmatch(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}", place):
            continue
        named = re.search(rf"\b{re.escape(place)} (Police Service|Police|Constabulary)\b", head)
        if named:
            return f"{place} {named.group(1)}"
    return None


def is_national(text: str) -> bool:
    """Whether the opening speaks of all forces (a thematic or national page)."""
    return _NATIONAL.search(text[:HEAD_CHARS]) is not None
