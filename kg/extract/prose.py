"""Statements made in sentences and list items, wherever they sit.

Most publications state their judgments in prose: an HM Inspector's
summary, a 2016 PEEL pillar page, a press release's "Inspectors were
pleased to find:" list, a review's verdict. Every sentence of a paragraph
and every list item is a candidate; ``kg.extract.cues`` decides its kind
from its list's lead-in or its own wording, and ``kg.extract.recaps`` marks
those that retell an earlier inspection. Candidates inside a span another
detector already read (a heading statement, a recommendation, a grade, a
tally) are skipped, so nothing is stated twice. Sections that describe
rather than judge (foreword, methodology, notes to editors), and the
words of anyone but the inspectorate, are not read at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kg.extract.cues import (
    INSPECTORATE_SPEAKER_RE,
    OTHER_SPEAKER_RE,
    Decision,
    claimed_elsewhere,
    decide,
    grade_recap,
    is_aim_lead_in,
    is_detail_lead_in,
    lead_in_decision,
    not_a_statement,
    polarity_of,
)
from kg.extract.recaps import heading_recap, lead_in_recap, sentence_recap
from kg.extract.recommendations import FORCE_NAME_RE
from kg.extract.sentences import ends_properly, split_sentences
from kg.extract.spans import SpanOverlaps
from kg.formats import bare_title
from kg.records import Block, Section, Span, Statement, StructuredDocument

#: Sections that describe the inspection, the programme or the publication rather than judge a force.
_DESCRIPTIVE_SECTION_RE = re.compile(
    r"^(?:contents|foreword|notes?|notes to editors|editors'? notes|methodology|our methodology|about (?:this|the|us)"
    r"\b.*"
    r"|about the data|data in this report|terminology.*|background|glossary|references|footnotes|context(?: for .*)?"
    r"|(?:annex|appendix)\b.*|terms of reference|scope.*|how we inspected.*|the inspection process|further information"
    r"|related (?:content|publications|links)|share this.*|print this.*|peel \d{4}.*|what is peel\??|contact.*"
    r"|introduction to .*|our approach.*|the (?:force|constabulary) area|force area|local context)$"
)
#: Sections holding someone else's words: a force's or commissioner's response, a reply.
_RESPONSE_SECTION_RE = re.compile(r"\b(?:response|responses|reply|comments? from|statement from)\b")
_REPLY_TITLE_RE = re.compile(
    r"^\W*response\b|\bresponse (?:to|from) (?:the )?(?:HMIC\w*|report|inspection|national|office|police)|\bresponses"
    r"\b",
    re.I,
)
#: Cues of a sentence that announces the list after it ("We also saw examples of good work. Specific areas include:").
_ANNOUNCING_CUES = ("wording:good-practice", "wording:area-for-improvement", "wording:need:", "wording:innovative")
_RECOUNTED_RE = re.compile(r"\b(?:found|identified|concluded|highlighted|raised)\b", re.I)
_SPEAKER_LEAD_RE = re.compile(r"\b(?:said|says|commented|added|stated|responded|told)\s*:?\s*$", re.I)
_OPEN_QUOTE = "\"\u201c\u2018'"
_MARKER_RE = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|[•·▪◦‣●○■□➢►✓\uf0b7\-\*–])\s+")


#: Cue prefixes of statements read from prose (as against a layout's headings and summary lists).
PROSE_CUES = ("wording:", "lead-in:", "subject:")


def is_prose(statement: Statement) -> bool:
    """Was this statement read from a sentence or list item by its wording or lead-in?"""
    return statement.cue.startswith(PROSE_CUES)


@dataclass(frozen=True, slots=True)
class _Context:
    top: str
    path: tuple[str, ...]
    recap: str | None


def _walk(section: Section, top: str, recap: str | None) -> Iterator[tuple[Section, _Context]]:
    title = bare_title(section.title)
    if section.level > 1 and (_DESCRIPTIVE_SECTION_RE.match(title) or _RESPONSE_SECTION_RE.search(title)):
        return
    recap = (heading_recap(section.title) if section.level > 1 else None) or recap
    yield section, _Context(top=top, path=section.path, recap=recap)
    for sub in section.subsections:
        yield from _walk(sub, sub.title if sub.level == 2 else top, recap)


def _strip_marker(text: str, span: Span) -> Span:
    m = _MARKER_RE.match(span.quote)
    if not m or m.end() >= len(span.quote):
        return span
    start = span.start + m.end()
    return Span(start=start, end=span.end, quote=text[start : span.end])


def _judged_force(known: str | None, text: str) -> str | None:
    """The force a page judges: as its metadata says, else the force it names at least twice.

    A force the vocabulary does not know (a new or renamed force) is still named as
    "<Name> Constabulary" or "<Name> Police" throughout its own page.
    """
    if known:
        return known
    names = Counter(" ".join(m.group(0).split()) for m in FORCE_NAME_RE.finditer(text[:20_000]))
    name, count = names.most_common(1)[0] if names else ("", 0)
    return name if count >= 2 or len(names) == 1 else None


def _strip_quote(text: str, span: Span) -> Span:
    """A quoted sentence without its opening quote mark: the statement is the words, not the quotation."""
    if span.quote[:1] not in _OPEN_QUOTE or len(span.quote) < 2:
        return span
    start = span.start + 1
    return Span(start=start, end=span.end, quote=text[start : span.end])


def _last_sentence(quote: str) -> str:
    return re.split(r"(?<=[.!?])\s+", quote.strip())[-1]


#: Programmes (or titles) whose pages judge one force's practice: PEEL, and the follow-ups of an inspection.
_JUDGING_RE = re.compile(r"\bpeel\b|post-inspection|re-?inspection|\brevisit", re.I)


class _Reader:
    """Reads one document's prose into statements; holds what a sentence's context needs."""

    def __init__(self, structured: StructuredDocument, claimed: Sequence[tuple[int, int]]) -> None:
        self.doc = structured.document
        self.text = self.doc.text
        self.claimed = SpanOverlaps(claimed)
        self.tail = len(self.text.rstrip())
        # The first line is the page's title (a press release's headline): it names, it does not state.
        first = self.text.lstrip()
        line = first.split("\n", 1)[0]
        self.title_end = 0 if ends_properly(line) else len(self.text) - len(first) + len(line)
        # On a PEEL page judging one force, what the force does is the finding (see docs/statements.md);
        # so on a post-inspection review or re-inspection, whose one task is to judge what the force did.
        judging = f"{self.doc.metadata.programme or ''} {self.doc.metadata.title or ''}"
        self.force = _judged_force(self.doc.metadata.force, self.text) if _JUDGING_RE.search(judging) else None
        # A force's or commissioner's response to a report is their words, not the inspectorate's.
        opening = [line for line in self.text.splitlines() if line.strip()][:3]
        self.reply = any(_REPLY_TITLE_RE.search(t) for t in [self.doc.metadata.title, *opening])
        self.out: list[Statement] = []

    def statement(
        self,
        span: Span,
        decision: Decision,
        ctx: _Context,
        *,
        part: str | None,
        recap: str | None,
    ) -> None:
        incomplete = span.end >= self.tail and not ends_properly(span.quote)
        if incomplete and decision.cue.startswith("lead-in:"):
            if polarity_of(span.quote)[0] is None or len(span.quote.split()) < 8:
                return  # a cut-off item that has not yet said anything of its own
        self.out.append(
            Statement(
                doc_id=self.doc.doc_id,
                kind=decision.kind,
                span=span,
                heading=span,
                section=ctx.top,
                part=part,
                section_path=ctx.path,
                cue=decision.cue,
                polarity=decision.polarity if decision.kind == "finding" else None,
                recap_of=recap,
                incomplete=incomplete,
            )
        )

    def usable(self, span: Span, *, item: bool) -> bool:
        """Not claimed by another detector, and either whole or the document's cut-off tail."""
        if self.claimed.touches(span.start, span.end) or span.start < self.title_end:
            return False
        if item or ends_properly(span.quote):
            return True
        return span.end >= self.tail and len(span.quote.split()) >= 6

    def section(self, section: Section, ctx: _Context) -> None:
        blocks = section.blocks
        before: list[str] = [section.title]
        speaker_other = False
        in_quote = False
        lead: Block | None = None
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if block.kind == "bullet_list":
                j = i
                while j < len(blocks) and blocks[j].kind == "bullet_list":
                    j += 1
                previous = blocks[i - 1] if i > 0 and blocks[i - 1].kind in ("paragraph", "case_study") else None
                if not (in_quote and speaker_other):
                    self.items(blocks[i:j], previous, ctx, " ".join(before))
                lead = None
                i = j
                continue
            if block.kind != "paragraph":
                lead = None
                i += 1
                continue
            quote = block.span.quote
            if _SPEAKER_LEAD_RE.search(quote):
                speaker_other = bool(OTHER_SPEAKER_RE.search(quote)) and not INSPECTORATE_SPEAKER_RE.search(quote)
                in_quote = True
            elif quote[:1] not in _OPEN_QUOTE:
                in_quote = False
                speaker_other = False
            if in_quote and speaker_other:
                pass
            elif lead is not None and (quote[:1].islower() or _MARKER_RE.match(quote)):
                # Items of a list flattened without bullet marks: lower-case lines under a lead-in.
                item_list = Block(kind="bullet_list", span=block.span, items=(block.span,))
                self.items([item_list], lead, ctx, " ".join(before))
                before.append(quote)
                i += 1
                continue
            else:
                self.paragraph(block, ctx, " ".join(before), lead_in=quote.rstrip().endswith(":"))
            lead = block if quote.rstrip().endswith(":") else None
            before.append(quote)
            i += 1

    def paragraph(self, block: Block, ctx: _Context, context_before: str, *, lead_in: bool = False) -> None:
        """Each sentence by its own wording; in a list's lead-in, sentences announcing the list are skipped."""
        sentences = split_sentences(self.text, block.span.start, block.span.end)
        seen = context_before
        for n, sentence in enumerate(sentences):
            sentence = _strip_quote(self.text, _strip_marker(self.text, sentence) if n == 0 else sentence)
            quote = sentence.quote
            if quote.rstrip().endswith(":") or not self.usable(sentence, item=False):
                seen += " " + quote
                continue
            own_recap = sentence_recap(quote, seen)
            recap = ctx.recap or own_recap
            why_not = not_a_statement(quote)
            if own_recap is not None and why_not == "method" and _RECOUNTED_RE.search(quote):
                why_not = None  # "HMIC published a report in 2014, which found that...": the finding is retold
            if recap is not None and claimed_elsewhere(quote) == "grade":
                decision: Decision | None = grade_recap(quote)
            elif why_not or claimed_elsewhere(quote):
                seen += " " + quote
                continue
            else:
                decision = decide(quote, force_name=self.force)
                if decision is not None and lead_in and decision.cue.startswith(_ANNOUNCING_CUES):
                    decision = None
            if decision is not None:
                self.statement(sentence, decision, ctx, part=None, recap=recap)
            seen += " " + quote

    def items(self, lists: Sequence[Block], lead: Block | None, ctx: _Context, context_before: str) -> None:
        lead_text = ""
        lead_decision = None
        if lead is not None and lead.span.quote.rstrip().endswith(":"):
            last = _last_sentence(lead.span.quote)
            lead_text = lead.span.quote if len(last) < 40 else last
            if OTHER_SPEAKER_RE.search(last) and _SPEAKER_LEAD_RE.search(last):
                return
            lead_decision = lead_in_decision(lead_text)
            if lead_decision is None and (is_detail_lead_in(last) or is_aim_lead_in(last)):
                return
        recap = ctx.recap or (lead_in_recap(lead_text, context_before) if lead_text else None)
        part = " ".join(_last_sentence(lead_text).split()) if lead_text else None
        for block in lists:
            for raw in block.items:
                item = _strip_quote(self.text, _strip_marker(self.text, raw))
                if not self.usable(item, item=True) or not_a_statement(item.quote, listed=lead_decision is not None):
                    continue
                claimed = claimed_elsewhere(item.quote)
                if claimed == "grade" or (lead_decision is None and claimed):
                    continue
                # An item is a noun phrase or clause: the force-subject rule is for whole sentences.
                decision = decide(item.quote, lead_in=lead_decision)
                if decision is None:
                    continue
                own = ctx.recap or recap or sentence_recap(item.quote, context_before)
                self.statement(item, decision, ctx, part=part, recap=own)


def prose_statements(structured: StructuredDocument, claimed: Sequence[tuple[int, int]]) -> list[Statement]:
    """Statements stated in sentences and list items outside the spans other detectors claimed."""
    reader = _Reader(structured, claimed)
    if reader.reply:
        return []
    root = structured.sections[0]
    for section, ctx in _walk(root, root.title, None):
        reader.section(section, ctx)
    return reader.out
