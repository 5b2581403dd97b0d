"""The extractors' span look-ups answer exactly what testing every span would, in any order of adding."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.spans import ClaimedSpans, LabelledSpans, SpanOverlaps

# Short offsets so that equal starts, equal ends, nesting, touching and empty spans all come up often.
_span = st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=300, deadline=None)
@given(steps=st.lists(st.tuples(st.booleans(), _span), max_size=40))
def test_claimed_spans_contain_what_a_scan_of_every_added_span_finds(steps):
    """Adds and questions interleaved, as the formal rules claim spans while they read."""
    index = ClaimedSpans()
    added: list[tuple[int, int]] = []
    for is_add, (start, end) in steps:
        if is_add:
            index.add(start, end)
            added.append((start, end))
        else:
            expected = any(s <= start and end <= e for s, e in added)
            assert index.contains(start, end) == expected, (added, (start, end))


@settings(max_examples=300, deadline=None)
@given(claimed=st.lists(_span, max_size=30), asked=st.lists(_span, max_size=30))
def test_span_overlaps_touch_what_a_scan_of_every_span_finds(claimed, asked):
    index = SpanOverlaps(claimed)
    for start, end in asked:
        expected = any(s < end and start < e for s, e in claimed)
        assert index.touches(start, end) == expected, (claimed, (start, end))


def test_a_span_inside_a_later_outer_one_is_still_contained_after_the_outer_replaces_it():
    """An outer span added after the inner ones replaces them; spans after it are still found."""
    index = ClaimedSpans([(10, 12), (14, 16), (30, 40)])
    index.add(5, 20)
    assert index.contains(11, 12) and index.contains(5, 20) and index.contains(31, 39)
    assert not index.contains(4, 12) and not index.contains(18, 31)


@settings(max_examples=300, deadline=None)
@given(steps=st.lists(st.tuples(st.booleans(), _span), max_size=40), label=st.sampled_from(["ORG", "PERSON"]))
def test_labelled_spans_list_what_a_scan_of_every_added_span_finds(steps, label):
    """Adds and questions interleaved, as acronym mentions are added while the text is read."""
    index = LabelledSpans([(3, 9, "ORG")])
    added = [(3, 9, "ORG")]
    for is_add, (start, end) in steps:
        if is_add:
            index.add(start, end, label)
            added.append((start, end, label))
        else:
            expected = sorted(x for x in added if x[0] < end and start < x[1])
            assert list(index.overlapping(start, end)) == expected, (added, (start, end))
