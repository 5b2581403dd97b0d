"""Property tests: structure and extraction on generated and mutated report text.

Real report paragraphs are shuffled, duplicated, truncated and sprinkled
with random unicode, bullets, tabs and blank lines. Whatever comes in, the
stages must not crash, and every stored quote must equal the source text
at its offsets, with the offsets in range.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import IngestError
from kg.extract import extract_statements
from kg.ingest.decode import decode_text, normalise_newlines
from kg.ingest.metadata import build_metadata
from kg.records import Extraction, SourceDocument, Span
from kg.structure.sections import structure

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PARAGRAPHS = tuple(
    p for path in sorted(CORPUS.glob("*.txt")) for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

NOISE = st.sampled_from(
    [
        "\n",
        "\n\n",
        "\t",
        "  • ",
        "• ",
        "- ",
        "1. ",
        "(a) ",
        "\u00a0",
        "\u200b",
        "\u2028",
        "\ufeff",
        "\u201c",
        "\u2019",
        "©",
        "Areas for improvement\n\n",
        "Recommendations\n\n",
        "Cause of concern\n\n",
        "2. Initial contact\n\n",
        "Good\n\n",
        "Requires improvement\n\n",
        "  • 12 good\n  • 3 requires improvement\n  • 1 inadequate\n",
        "Specific areas for improvement include:\n\n",
        "good in 20 cases, requiring improvement in 5 cases and inadequate in 2 cases",
    ]
)


@st.composite
def mutated_report(draw: st.DrawFn) -> str:
    """Real paragraphs, reordered, repeated, cut and salted with noise."""
    chosen = draw(st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=25))
    pieces: list[str] = []
    for para in chosen:
        if draw(st.booleans()):
            cut = draw(st.integers(0, len(para)))
            para = para[:cut] if draw(st.booleans()) else para[cut:]
        if draw(st.integers(0, 3)) == 0:
            at = draw(st.integers(0, len(para)))
            para = para[:at] + draw(st.one_of(NOISE, st.text(max_size=8))) + para[at:]
        pieces.append(para)
        if draw(st.integers(0, 4)) == 0:
            pieces.append(draw(NOISE))
    sep = draw(st.sampled_from(["\n\n", "\n", "\n\n\n", "\n \n"]))
    return sep.join(pieces)


def _document(text: str) -> SourceDocument:
    """A document as ingest would hand it on (ingest normalises newlines and controls)."""
    text = normalise_newlines(text)
    return SourceDocument(
        doc_id="prop",
        path="prop.txt",
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        media_type="text/plain",
        metadata=build_metadata(text, None),
    )


def _spans_of(extraction: Extraction) -> list[Span]:
    spans: list[Span] = []
    for section in extraction.structured.walk():
        if section.heading is not None:
            spans.append(section.heading)
        for block in section.blocks:
            spans.append(block.span)
            spans.extend(block.items)
            spans.extend(c for row in block.cells for c in row)
    for s in extraction.statements:
        spans += [s.span, s.heading, *s.grade_evidence, *(a.span for a in s.actions)]
    for d in extraction.discrepancies:
        spans += list(d.spans)
    for m in extraction.mentions:
        spans.append(m.span)
    return spans


def _check(extraction: Extraction) -> None:
    text = extraction.structured.document.text
    for span in _spans_of(extraction):
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.quote
    # Theme assignments point at real statements.
    for t in extraction.themes:
        assert 0 <= t.statement < len(extraction.statements)


@SETTINGS
@given(mutated_report())
def test_structure_and_extract_never_crash_and_quotes_match(text):
    _check(extract_statements(structure(_document(text))))


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text_structures(text):
    _check(extract_statements(structure(_document(text))))


@pytest.fixture(scope="module")
def rules_extractor():
    from kg.build.extractor import make_extractor

    return make_extractor(model=None)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=mutated_report())
def test_whole_extractor_with_entities_keeps_offsets(rules_extractor, text):
    _check(rules_extractor(_document(text)))


@SETTINGS
@given(st.binary(max_size=600))
def test_decoding_bytes_gives_text_or_a_clear_refusal(data):
    try:
        text = decode_text(Path("x.txt"), data)
    except IngestError as e:
        assert e.path == "x.txt" and e.reason
    else:
        assert isinstance(text, str)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdiv pulscript&;#\n")), max_size=300))
def test_html_fragments_never_crash(markup):
    from kg.ingest.html import html_to_text

    try:
        out = html_to_text(Path("x.html"), markup)
    except IngestError:
        return
    assert isinstance(out, str)
