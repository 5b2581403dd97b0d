"""Read the statements a document makes from its section tree.

Which statements a heading states depends only on where it sits in the
report format: a heading under "Areas for improvement" is an area for
improvement, a heading in a numbered child-protection section is a
finding, a bullet under "Specific areas for improvement include:" is one
too. Nothing here keys on a particular report, force or heading wording.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.audit import tally_of_list
from kg.extract.cues import polarity_of
from kg.extract.formal import formal_statements
from kg.extract.prose import prose_statements
from kg.extract.sentences import split_sentences
from kg.extract.walk import walk_parts
from kg.formats import (
    FINDING_SECTIONS,
    NON_FINDING_SECTIONS,
    NUMBERED_TITLE_RE,
    PART_KINDS,
    bare_title,
    normalise_title,
)
from kg.records import (
    Extraction,
    Section,
    Span,
    Statement,
    StatementKind,
    StructuredDocument,
)

#: Lead-ins of summary lists, and the kind of statement each item makes.
_LIST_CUES: tuple[tuple[re.Pattern[str], StatementKind], ...] = (
    (re.compile(r"\bcauses? of concern\b", re.I), "cause_of_concern"),
    (
        re.compile(r"\bgood (?:work|practice)\b|\bimprovements include\b|\bpositive (?:practice|features)\b", re.I),
        "good_practice",
    ),
    (
        re.compile(r"\bareas? (?:for|requiring) improvement\b|\bareas? of concern\b|\bconcerns include\b", re.I),
        "area_for_improvement",
    ),
)


def _heading_kind(section: Section, top: Section | None, part: Section | None) -> StatementKind | None:
    """The kind of statement a sub-heading makes, from where it sits."""
    if top is None or section is top or section is part or section.level <= 2:
        return None
    if part is not None:
        kind = PART_KINDS[normalise_title(part.title)]
        return None if kind == "recommendation" else kind
    if normalise_title(top.title) in FINDING_SECTIONS:
        return "finding"
    if NUMBERED_TITLE_RE.match(top.title) and bare_title(top.title) not in NON_FINDING_SECTIONS:
        return "finding"
    return None


#: A publisher's colophon or page footer: "November 2023 | © HMICFRS 2023", a copyright line, a bare web address.
_COLOPHON_RE = re.compile(r"^(?:[^\n]{0,40}\|\s*)?©[^\n]{0,120}$|^(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?$")


def is_colophon(quote: str) -> bool:
    """Is this paragraph the publisher's colophon rather than something the report says?

    A report's last section otherwise runs on to the end of the file, and its
    last statement took in "© HMICFRS 2023" and the inspectorate's address.
    """
    lines = [line.strip() for line in quote.splitlines() if line.strip()]
    return bool(lines) and all(_COLOPHON_RE.match(line) for line in lines)


def _last_end(section: Section) -> int:
    """Where a section's content ends: at its last block, or before the publisher's colophon.

    The colophon closes the report, so nothing after it (a stray note, an
    appended line) belongs to the section's statement either.
    """
    ends = []
    for block in section.blocks:
        if block.kind == "paragraph" and is_colophon(block.span.quote):
            break
        ends.append(block.span.end)
    else:
        ends += [_last_end(s) for s in section.subsections]
    return max(ends, default=section.heading.end if section.heading else 0)


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, quote=text[start:end])


def extract_statements(structured: StructuredDocument) -> Extraction:
    """Every statement the document makes, in document order."""
    doc = structured.document
    text = doc.text
    statements: list[Statement] = []
    # Grades, causes of concern, recommendations and case-audit tallies are read first, by their own
    # rules (kg.extract.formal); what they read is claimed and not read again here.
    formal = formal_statements(structured)

    for section, top, part in walk_parts(structured.sections[0]):
        top_title = top.title if top else section.title
        kind = _heading_kind(section, top, part)
        if kind is not None and section.heading is not None:
            statements.append(
                Statement(
                    doc_id=doc.doc_id,
                    kind=kind,
                    span=_span(text, section.heading.start, _last_end(section)),
                    heading=section.heading,
                    section=top_title,
                    part=part.title if part else None,
                    section_path=section.path,
                    cue=f"heading:{normalise_title(part.title if part else top_title)}",
                    polarity=polarity_of(section.heading.quote)[0] if kind == "finding" else None,
                )
            )
        if part is section and PART_KINDS[normalise_title(section.title)] == "recommendation":
            continue
        statements.extend(_summary_lists(structured, section, top_title, part))

    claims = formal.claims()
    statements = [s for s in statements if not claims(s.heading)] + list(formal.statements)
    # The layout's detectors and the formal rules claim their spans first; prose is read only where none did.
    # A grade stated in a sentence claims that sentence, not its whole paragraph.
    graded = {(e.start, e.end) for s in formal.statements if s.kind == "graded_judgment" for e in s.grade_evidence}
    claimed = [c for c in formal.claimed if c not in graded] + _claimed(text, statements)
    statements += prose_statements(structured, claimed)
    statements = [s if s.cue else replace(s, cue=f"detector:{s.kind}") for s in statements]
    statements.sort(key=lambda s: (s.span.start, s.span.end, s.kind))
    return Extraction(structured=structured, statements=tuple(statements), discrepancies=formal.discrepancies)


_GRADE_WORD_RE = re.compile(r"\b(?:outstanding|good|adequate|inadequate|requires? improvement)\b", re.I)


def _claimed(text: str, statements: list[Statement]) -> list[tuple[int, int]]:
    """Every span a layout detector has read: a statement, its heading, actions and grade evidence.

    A grade stated in a sentence claims that sentence, not the rest of its
    paragraph: the sentences around it can still be findings.
    """
    spans: list[tuple[int, int]] = []
    for st in statements:
        evidence = (st.span, *st.grade_evidence) if st.kind == "graded_judgment" else (st.span,)
        for span in evidence:
            sentences = split_sentences(text, span.start, span.end) if st.kind == "graded_judgment" else [span]
            graded = [s for s in sentences if _GRADE_WORD_RE.search(s.quote)] or sentences
            spans.extend((s.start, s.end) for s in graded)
        spans.extend((a.span.start, a.span.end) for a in st.actions)
    return spans


def _summary_lists(
    structured: StructuredDocument, section: Section, top_title: str, part: Section | None
) -> list[Statement]:
    """Bullets under a lead-in such as "Specific areas for improvement include:"."""
    doc = structured.document
    out: list[Statement] = []
    blocks = section.blocks
    for i, block in enumerate(blocks):
        if block.kind != "bullet_list" or i == 0 or tally_of_list(block) is not None:
            continue
        lead = blocks[i - 1]
        if lead.kind not in ("paragraph", "case_study") or not lead.span.quote.rstrip().endswith(":"):
            continue
        # Only the lead-in's last sentence introduces the list.
        last_sentence = re.split(r"(?<=[.!?])\s+", lead.span.quote.strip())[-1]
        context = lead.span.quote if len(last_sentence) < 40 else last_sentence
        kind = next((k for pattern, k in _LIST_CUES if pattern.search(context)), None)
        if kind is None:
            continue
        for item in block.items:
            out.append(
                Statement(
                    doc_id=doc.doc_id,
                    kind=kind,
                    span=item,
                    heading=item,
                    section=top_title,
                    part=" ".join(last_sentence.split()),
                    section_path=section.path,
                    cue=f"summary-list:{kind.replace('_', '-')}",
                )
            )
    return out
