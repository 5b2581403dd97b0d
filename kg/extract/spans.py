"""Offset look-ups between many spans of one document, in time that grows with the document.

Detectors ask two questions again and again: is this sentence inside a
span another detector already read (``ClaimedSpans.contains``), does it
touch one (``SpanOverlaps.touches``); and the themes and the graph ask which
statements contain each entity mention (``statements_containing``). Each
answered by scanning every span is statements × spans: unnoticed on a
report, but minutes per MB on a document of tens of MB. Here each answer is
a binary search (or one sweep over both lists), so a document twice as long
costs about twice as much.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator


class ClaimedSpans:
    """Spans added one by one; asks whether a span lies wholly inside any of them.

    Only the spans no other one contains are kept ("outermost"): a span
    inside a nested one is inside its container too. Among outermost spans
    no two share a start and, sorted by start, their ends rise as well; so
    the one to test is the last starting at or before the span's start.
    """

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in spans:
            self.add(start, end)

    def contains(self, start: int, end: int) -> bool:
        """Is ``[start, end)`` inside (or equal to) some added span?"""
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and self._ends[i] >= end

    def add(self, start: int, end: int) -> None:
        """Add ``[start, end)``, dropping the kept spans it contains."""
        if self.contains(start, end):
            return
        lo = bisect_left(self._starts, start)
        hi = lo
        while hi < len(self._ends) and self._ends[hi] <= end:
            hi += 1
        self._starts[lo:hi] = [start]
        self._ends[lo:hi] = [end]


class SpanOverlaps:
    """A fixed set of spans; asks whether a span shares at least one character with any of them.

    Sorted by start with the greatest end so far alongside: some span
    starting before ``end`` reaches past ``start`` exactly when the greatest
    end among those starting before ``end`` does.
    """

    __slots__ = ("_reach", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach: list[int] = []
        furthest = -1
        for _, end in ordered:
            furthest = max(furthest, end)
            self._reach.append(furthest)

    def touches(self, start: int, end: int) -> bool:
        """Is there a span ``[s, e)`` with ``s < end`` and ``start < e``?"""
        i = bisect_left(self._starts, end) - 1
        return i >= 0 and self._reach[i] > start


def statements_containing(statements: list[tuple[int, int]], mentions: list[tuple[int, int]]) -> list[list[int]]:
    """For each mention's (start, end), the indexes of the statement spans that contain it, in order.

    A sweep over start offsets keeps only the statements open at the
    mention's start, so the cost is about (statements + mentions) × log,
    plus how deeply statements nest. Testing every statement for every
    mention was quadratic: 14 of a 1 MB document's 20 seconds in the graph
    stage, and hours at 50 MB.
    """
    by_start = sorted(range(len(statements)), key=lambda i: statements[i][0])
    out: list[list[int]] = [[] for _ in mentions]
    open_: list[tuple[int, int]] = []  # (end, index) of the statements begun by the current start
    k = 0
    for j in sorted(range(len(mentions)), key=lambda j: mentions[j][0]):
        start, end = mentions[j]
        while k < len(by_start) and statements[by_start[k]][0] <= start:
            i = by_start[k]
            heapq.heappush(open_, (statements[i][1], i))
            k += 1
        while open_ and open_[0][0] < start:  # ended before this mention, so before every later one
            heapq.heappop(open_)
        out[j] = sorted(i for stop, i in open_ if stop >= end)
    return out


class LabelledSpans:
    """Labelled spans added one by one; lists those sharing a character with a range.

    Kept sorted by start with the longest length seen: a span starting more
    than that length before the range ends before it, so only the spans
    starting in that window are looked at, not every span of the document.
    """

    __slots__ = ("_items", "_longest")

    def __init__(self, spans: Iterable[tuple[int, int, str]] = ()) -> None:
        self._items: list[tuple[int, int, str]] = sorted(spans)
        self._longest = max((e - s for s, e, _ in self._items), default=0)

    def add(self, start: int, end: int, label: str) -> None:
        insort(self._items, (start, end, label))
        self._longest = max(self._longest, end - start)

    def overlapping(self, start: int, end: int) -> Iterator[tuple[int, int, str]]:
        """Every span ``[s, e)`` with ``s < end`` and ``start < e``, by start."""
        i = bisect_left(self._items, (start - self._longest,))
        while i < len(self._items) and self._items[i][0] < end:
            if start < self._items[i][1]:
                yield self._items[i]
            i += 1
