"""Structure: cut a document's text into sections and blocks with offsets.

The corpus comes as text flattened from web pages and PDFs: headings are
lines of their own, paragraphs are separated by blank lines, bullets start
with a bullet character, tables are tab-separated, and page breaks can cut a
paragraph in two. This stage recovers that layout without looking at what
any particular report says; it only knows the report formats' fixed titles
(``kg.formats``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.formats import (
    ANNEX_TITLE_RE,
    NUMBERED_TITLE_RE,
    PART_KINDS,
    TOP_LEVEL_TITLES,
    grade_of,
    normalise_title,
)
from kg.records import Block, Section, SourceDocument, Span, StructuredDocument

_BULLET_RE = re.compile(r"^(\s*)(?:[•·▪◦‣●\-\*–]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+(?=\S)")
_INDENTED_NUMBER_RE = re.compile(r"^\s+\d{1,2}[.)]\s+\S")
_SENTENCE_BREAK_RE = re.compile(r"[a-z)\]][.!?]\s+[A-Z]")
_CAPTION_RE = re.compile(r"^(?:Figure|Table|Chart|Graph|Note|Notes|Source)\s*\d*[a-z]?\s*[:.]", re.I)
_CASE_STUDY_RE = re.compile(
    r"^(?:In (?:another|one|a further) case\b"
    r"|(?:A|An) (?:\d+|[a-z]+(?:-[a-z]+)*)[- ]year[- ]old\b"
    r"|(?:A|An) (?:male|female|man|woman|boy|girl|neighbour|family member|caller|mother|father"
    r"|member of the public|young (?:person|man|woman)|RSO|registered sex offender)\b)"
)
#: A contents entry copied from a PDF: title, dot leaders, page number. It lists a heading; it is not one.
_LEADER_RE = re.compile(r"(?:\.\s?){5,}\s*\d*\s*$")
_MAX_HEADING_CHARS = 250
#: No line and no paragraph, list item or table cell is longer than this. Real report
#: paragraphs are under 5,000 characters; a longer "line" is hostile or broken input (a
#: file with no newlines), and downstream stages that read one block at a time (spaCy
#: refuses texts over 1,000,000 characters and needs memory in proportion) must get
#: bounded pieces. Over-long lines are cut at the last space before the limit.
MAX_BLOCK_CHARS = 20_000


def _is_terminal(line: str) -> bool:
    """Does a line end a sentence (or a lead-in), rather than stop mid-way?"""
    s = line.rstrip()
    if not s:
        return True
    if s[-1] in ".:;!?,":
        return True
    if s[-1] in "\u201d\u2019\"')]" and len(s) > 1 and s[-2] in ".!?,":
        return True
    return False


def _span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start=start, end=end, quote=text[start:end])


@dataclass
class _Line:
    start: int
    end: int
    text: str

    @property
    def kind(self) -> str:
        if "\t" in self.text:
            return "table"
        if _BULLET_RE.match(self.text) and (not self.text[:1].isdigit() or _INDENTED_NUMBER_RE.match(self.text)):
            return "bullet"
        if self.text[:1].isspace() and self.text.strip():
            return "indented"
        return "text"


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        if len(raw) <= MAX_BLOCK_CHARS:
            out.append(_Line(pos, pos + len(raw), raw))
        else:
            out.extend(_cut_long_line(pos, raw))
        pos += len(raw) + 1
    return out


def _cut_long_line(pos: int, raw: str) -> list[_Line]:
    """Pieces of at most ``MAX_BLOCK_CHARS``, cut after a space where there is one."""
    pieces: list[_Line] = []
    offset = 0
    while offset < len(raw):
        end = min(offset + MAX_BLOCK_CHARS, len(raw))
        if end < len(raw):
            space = raw.rfind(" ", offset + MAX_BLOCK_CHARS // 2, end)
            if space > offset:
                end = space + 1
        pieces.append(_Line(pos + offset, pos + end, raw[offset:end]))
        offset = end
    return pieces


def _bullet_list(text: str, group: list[list[_Line]]) -> Block:
    items = []
    for item_lines in group:
        first = item_lines[0]
        marker = _BULLET_RE.match(first.text)
        start = first.start + (marker.end() if marker else 0)
        items.append(_span(text, start, item_lines[-1].end))
    return Block(kind="bullet_list", span=_span(text, items[0].start, items[-1].end), items=tuple(items))


def _table(text: str, rows: list[_Line]) -> Block:
    cells: list[tuple[Span, ...]] = []
    row_spans = []
    for row in rows:
        pos = row.start
        row_cells = []
        for cell in row.text.split("\t"):
            row_cells.append(_span(text, pos, pos + len(cell)))
            pos += len(cell) + 1
        cells.append(tuple(row_cells))
        row_spans.append(_span(text, row.start, row.end))
    return Block(
        kind="table", span=_span(text, rows[0].start, rows[-1].end), items=tuple(row_spans), cells=tuple(cells)
    )


def split_blocks(text: str) -> list[Block]:
    """Cut text into paragraphs, bullet lists and tables, with offsets.

    Consecutive non-blank lines form one block when they are of one kind;
    a text line that does not end a sentence runs on into the next line
    (a wrapped line or a heading split over two lines).
    """
    blocks: list[Block] = []
    run: list[_Line] = []

    def flush_run() -> None:
        i = 0
        while i < len(run):
            kind = run[i].kind
            if kind == "table":
                j = i
                while j < len(run) and run[j].kind == "table":
                    j += 1
                blocks.append(_table(text, run[i:j]))
                i = j
            elif kind == "bullet":
                group: list[list[_Line]] = []
                j = i
                while j < len(run) and run[j].kind in ("bullet", "indented"):
                    if run[j].kind == "bullet" or run[j].end - group[-1][0].start > MAX_BLOCK_CHARS:
                        group.append([run[j]])
                    else:
                        group[-1].append(run[j])
                    j += 1
                blocks.append(_bullet_list(text, group))
                i = j
            else:
                j = i + 1
                while (
                    j < len(run)
                    and run[j].kind in ("text", "indented")
                    and not _is_terminal(run[j - 1].text)
                    and run[j].end - run[i].start <= MAX_BLOCK_CHARS
                ):
                    j += 1
                blocks.append(Block(kind="paragraph", span=_span(text, run[i].start, run[j - 1].end)))
                i = j
        run.clear()

    for line in _lines(text):
        if line.text.strip():
            run.append(line)
        else:
            flush_run()
    flush_run()
    return _rejoin_page_breaks(text, blocks)


def _rejoin_page_breaks(text: str, blocks: list[Block]) -> list[Block]:
    """Join a paragraph that stops mid-sentence to the lower-case one after it."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "paragraph"
            and block.kind == "paragraph"
            and not _is_terminal(prev.span.quote)
            and block.span.quote[:1].islower()
            and block.span.end - prev.span.start <= MAX_BLOCK_CHARS
        ):
            out[-1] = Block(kind="paragraph", span=_span(text, prev.span.start, block.span.end))
        else:
            out.append(block)
    return out


def is_heading_text(quote: str) -> bool:
    """A heading is one short line that starts with a capital and ends no sentence."""
    if "\n" in quote or len(quote) > _MAX_HEADING_CHARS or not quote[:1].isupper() and not quote[:1].isdigit():
        return False
    if _is_terminal(quote) or _SENTENCE_BREAK_RE.search(quote) or _CAPTION_RE.match(quote):
        return False
    if "©" in quote or "http" in quote or _LEADER_RE.search(quote):
        return False
    return grade_of(quote) is None


def _classify(block: Block) -> Block:
    if block.kind != "paragraph":
        return block
    quote = block.span.quote
    if grade_of(quote) is not None:
        return Block(kind="grade_line", span=block.span)
    if _CAPTION_RE.match(quote) and "\n" not in quote:
        return Block(kind="figure_caption", span=block.span)
    if is_heading_text(quote):
        return Block(kind="heading", span=block.span)
    if _CASE_STUDY_RE.match(quote):
        return Block(kind="case_study", span=block.span)
    return block


def _contents_titles(blocks: list[Block]) -> set[str]:
    """Titles listed in a "Contents" table (title, tab, page number)."""
    titles: set[str] = set()
    for i, block in enumerate(blocks):
        if block.kind == "heading" and normalise_title(block.span.quote) == "contents":
            for follow in blocks[i + 1 : i + 4]:
                if follow.kind == "table":
                    for row in follow.cells:
                        if row and row[0].quote:
                            titles.add(normalise_title(row[0].quote))
    return titles


@dataclass
class _Open:
    title: str
    level: int
    heading: Span | None
    generic: bool
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


def _heading_level(block: Block, nxt: Block | None, contents: set[str]) -> int | None:
    """2 for a top-level section, 3 for a format part, None for any other heading."""
    title = normalise_title(block.span.quote)
    if title in PART_KINDS:
        return 3
    if (
        NUMBERED_TITLE_RE.match(block.span.quote)
        or ANNEX_TITLE_RE.match(block.span.quote)
        or title in TOP_LEVEL_TITLES
        or title in contents
        or (nxt is not None and nxt.kind == "grade_line")
    ):
        return 2
    return None


def structure(document: SourceDocument) -> StructuredDocument:
    """Cut a document into a tree of sections holding its blocks in order.

    The first block is the document title (level 1). Top-level sections are
    level 2, the formats' fixed parts level 3, and any other heading opens a
    sub-section one level below the nearest section or part above it.
    """
    text = document.text
    blocks = [_classify(b) for b in split_blocks(text)]
    contents = _contents_titles(blocks)
    title_span = blocks[0].span if blocks and blocks[0].kind == "heading" else None
    root = _Open(
        title=title_span.quote if title_span else document.metadata.title,
        level=1,
        heading=title_span,
        generic=False,
    )
    stack: list[_Open] = [root]
    if title_span is not None:
        blocks[0] = Block(kind="title", span=title_span, level=1)
        body = blocks[1:]
    else:
        body = blocks

    def close_to(level: int) -> None:
        while len(stack) > 1 and stack[-1].level >= level:
            done = stack.pop()
            stack[-1].children.append(_freeze(done, stack))

    for i, block in enumerate(body):
        if block.kind != "heading":
            stack[-1].blocks.append(block)
            continue
        nxt = body[i + 1] if i + 1 < len(body) else None
        level = _heading_level(block, nxt, contents)
        generic = level is None
        if level is None:
            if len(stack) == 1:
                # A heading before any section is front matter of the title page.
                stack[-1].blocks.append(Block(kind="paragraph", span=block.span))
                continue
            anchor = next(s for s in reversed(stack) if not s.generic)
            level = anchor.level + 1
        close_to(level)
        heading_block = Block(kind="heading", span=block.span, level=level)
        stack.append(
            _Open(title=block.span.quote, level=level, heading=block.span, generic=generic, blocks=[heading_block])
        )
    close_to(2)
    root_section = _freeze(root, [])
    return StructuredDocument(document=document, sections=(root_section,))


def _freeze(open_section: _Open, ancestors: list[_Open]) -> Section:
    path = tuple(s.title for s in ancestors[1:]) + ((open_section.title,) if open_section.level > 1 else ())
    blocks = tuple(b for b in open_section.blocks if not (b.kind == "heading" and b.span == open_section.heading))
    return Section(
        title=open_section.title,
        level=open_section.level,
        heading=open_section.heading,
        path=path,
        blocks=blocks,
        subsections=tuple(open_section.children),
    )
