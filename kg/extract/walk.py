"""Walk a section tree with each section's graded area and format part.

Every reader of statements needs, for a section, the top-level section it
belongs to (for PEEL, the graded area) and the format part it sits in
("Areas for improvement", "Recommendations"...), if any.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.formats import PART_KINDS, normalise_title
from kg.records import Section


def walk_parts(
    section: Section, top: Section | None = None, part: Section | None = None
) -> Iterator[tuple[Section, Section | None, Section | None]]:
    """(section, its top-level section, its format part) for the section and all below it, depth first."""
    yield section, top, part
    for sub in section.subsections:
        if sub.level == 2:
            yield from walk_parts(sub, sub, None)
        elif normalise_title(sub.title) in PART_KINDS:
            yield from walk_parts(sub, top, sub)
        else:
            yield from walk_parts(sub, top, part)
