"""The structure parser on small hand-made texts."""

from __future__ import annotations

from kg.records import DocumentMetadata, SourceDocument
from kg.structure.sections import is_heading_text, split_blocks, structure


def doc(text: str) -> SourceDocument:
    meta = DocumentMetadata(
        title="t", force=None, programme=None, kind="report", published=None, source=None, licence=None
    )
    return SourceDocument(doc_id="t", path="t.txt", text=text, sha256="0", media_type="text/plain", metadata=meta)


def test_structure_rejoins_paragraph_split_at_page_break():
    text = "Title\n\nThis sentence stops in the mid\n\ndle of a word and goes on.\n"
    blocks = split_blocks(text)
    assert [b.kind for b in blocks] == ["paragraph", "paragraph"]
    assert blocks[1].span.quote == "This sentence stops in the mid\n\ndle of a word and goes on."


def test_structure_heading_split_over_two_lines_is_one_block():
    blocks = split_blocks("Requires\nimprovement\n")
    assert len(blocks) == 1 and blocks[0].span.quote == "Requires\nimprovement"


def test_structure_bullets_with_continuation_lines():
    text = "Lead in:\n\n  • first item that wraps onto the\n    next line;\n  • second item.\n"
    blocks = split_blocks(text)
    assert blocks[1].kind == "bullet_list"
    assert [i.quote for i in blocks[1].items] == ["first item that wraps onto the\n    next line;", "second item."]


def test_structure_tab_table_keeps_empty_cells():
    blocks = split_blocks("A\tB\tC\n\tx\t\n")
    assert blocks[0].kind == "table"
    assert [c.quote for c in blocks[0].cells[1]] == ["", "x", ""]


def test_structure_heading_rules():
    assert is_heading_text("The constabulary records rape offences effectively")
    assert not is_heading_text("The constabulary records rape offences effectively.")
    assert not is_heading_text("Figure 1: Calls answered within 10 seconds")
    assert not is_heading_text("It is done. But not here")
    assert not is_heading_text("November 2023 | © HMICFRS 2023")
    assert is_heading_text("5. Initial contact")


def test_structure_sections_and_levels():
    text = (
        "Report title\n\nContents\n\n1. Introduction\n\nSome text.\n\n2. Findings\n\n"
        "Officers do good work\n\nEvidence.\n\nRecommendations\n\nWe recommend that it acts.\n"
    )
    sd = structure(doc(text))
    top = sd.sections[0].subsections
    assert [s.title for s in top] == ["Contents", "1. Introduction", "2. Findings"]
    findings = top[2]
    assert [(s.title, s.level) for s in findings.subsections] == [("Officers do good work", 3), ("Recommendations", 3)]
    for section in sd.walk():
        for b in section.blocks:
            assert text[b.span.start : b.span.end] == b.span.quote


def test_the_last_statement_stops_before_the_publishers_colophon(extractions):
    from kg.extract.statements import is_colophon

    last = max(extractions["durham-peel-2023-report.txt"].statements, key=lambda s: s.span.end)
    assert last.span.quote.endswith("which is considered prudent.")
    assert "©" not in last.span.quote and "justiceinspectorates" not in last.span.quote
    assert is_colophon("April 2022 | © HMICFRS 2022 | ISBN: 978-1-80168-770-0")
    assert is_colophon("November 2023 | © HMICFRS 2023\n\nhmicfrs.justiceinspectorates.gov.uk")
    assert not is_colophon("The force's website (www.example.police.uk) lists its priorities.")
    assert not is_colophon("Figure 1.2")


def test_text_after_the_colophon_joins_no_statement(corpus_dir):
    from dataclasses import replace

    from kg.extract.statements import extract_statements
    from kg.ingest.corpus import read_document

    shipped = read_document(corpus_dir / "durham-peel-2023-report.txt")
    late = replace(shipped, text=shipped.text + "\n\nA note added after publication.\n")
    before, after = (extract_statements(structure(d)).statements for d in (shipped, late))
    assert [s.span for s in after] == [s.span for s in before]
