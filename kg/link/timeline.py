"""A publication's place in time: the one rule everything that orders publications uses.

A publication has up to three dates (``DocumentMetadata``): the inspection
it reports, its first publication, and the date of this edition. Its place
in time is the first known of these, in that order:

1. the inspection (its start), because that is when the force was as the
   text describes it: a 2019 inspection read in a 2022 web edition is still
   evidence of 2019;
2. the first publication, when the inspection's date is not known;
3. the edition, when nothing else is.

A press release or article that announces a report in the corpus describes
that report's inspection, so it takes the report's place in time when the
report's is more precise than its own (``announced_place``).

Dates come at day, month or year precision, so a date is an interval (a
year is all its days). One publication is *later* than another only when
its interval starts after the other's ends: "2019" is not later than
"2019-10", nor "2019-10" than "2019". Sorting uses the interval's start,
then its end, so a year sorts before its months. This keeps any trail from
running backwards in time, at the price of not ordering two publications of
the same year whose months are unknown.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from kg.records import DocumentMetadata, PublicationDate

#: Which date placed a publication: the words also written into the graph (hmi:timeBasis).
TimeBasis = Literal["inspected", "first published", "edition", "announced report", "programme cycle"]


@dataclass(frozen=True, slots=True)
class PlaceInTime:
    """The date that places a publication, and which of its dates it is."""

    date: PublicationDate
    basis: TimeBasis

    @property
    def key(self) -> str:
        """The ISO value ("2019-10"): what is shown and written as ``hmi:timeKey``."""
        return self.date.value

    @property
    def start(self) -> str:
        """The first day the date can mean (YYYY-MM-DD)."""
        return first_day(self.date.value)

    @property
    def last(self) -> str:
        """The last day the date (or its period) can mean (YYYY-MM-DD)."""
        return last_day(self.date.end or self.date.value)

    def sort_key(self) -> tuple[str, str]:
        """Interval start, then end: a year sorts before the months in it."""
        return (self.start, self.last)

    def is_later_than(self, other: PlaceInTime) -> bool:
        """Certainly later: this interval starts after the other ends."""
        return self.start > other.last


def first_day(value: str) -> str:
    """The first day of an ISO year, month or day."""
    if len(value) == 4:
        return f"{value}-01-01"
    if len(value) == 7:
        return f"{value}-01"
    return value


def last_day(value: str) -> str:
    """The last day of an ISO year, month or day."""
    if len(value) == 4:
        return f"{value}-12-31"
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:7])
        return f"{value}-{calendar.monthrange(year, month)[1]:02d}"
    return value


def place_in_time(meta: DocumentMetadata) -> PlaceInTime | None:
    """The publication's own place in time, by the rule above; None when it has no date at all."""
    if meta.inspected is not None:
        return PlaceInTime(meta.inspected, "inspected")
    if meta.first_published is not None:
        return PlaceInTime(meta.first_published, "first published")
    if meta.edition is not None:
        return PlaceInTime(meta.edition, "edition")
    return cycle_place(meta.programme)


_CYCLE_YEARS = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:[-/\u2013](\d{2}|(?:19|20)\d\d))?(?!\d)")


def cycle_place(programme: str | None) -> PlaceInTime | None:
    """An undated publication's place from its programme's cycle ("peel-2021-22": 2021 to 2022).

    A cycle spans years, so the place is a period: by the interval rule
    above it is later than nothing inside those years, and so never
    reverses a trail; it only orders the publication against dates outside them.
    """
    m = _CYCLE_YEARS.search(programme or "")
    if m is None:
        return None
    first, last = m.group(1), m.group(2)
    if last is not None and len(last) == 2:
        last = first[:2] + last
    end = last if last is not None and last > first else None
    return PlaceInTime(PublicationDate(value=first, end=end, provenance="inferred"), "programme cycle")


def announced_place(own: PlaceInTime | None, report: PlaceInTime | None) -> PlaceInTime | None:
    """A release's place: its report's, when that is known and at least as precise as its own.

    The release and its report describe one inspection; taking the report's
    date keeps "restates" links level in time, and the release's own
    (coarser) date still stands beside it in the graph.
    """
    if report is None:
        return own
    if own is None or len(report.date.value) >= len(own.date.value):
        return PlaceInTime(report.date, "announced report")
    return own


def places_in_time(
    documents: Mapping[str, DocumentMetadata], announced: Mapping[str, str] | None = None
) -> dict[str, PlaceInTime | None]:
    """Every publication's place in time; ``announced`` maps a release to the report it announces."""
    own = {doc_id: place_in_time(meta) for doc_id, meta in documents.items()}
    out = dict(own)
    for release, report in (announced or {}).items():
        if release in own and report in own:
            out[release] = announced_place(own[release], own[report])
    return out


def describe(meta: DocumentMetadata) -> str:
    """The dates in words, for a trail or a table: "inspected 2019-10; first published 2020-03; edition 2022-09-08"."""
    parts = []
    for name, date in (
        ("inspected", meta.inspected),
        ("first published", meta.first_published),
        ("edition", meta.edition),
    ):
        if date is not None:
            shown = date.value + (f" to {date.end}" if date.end else "")
            parts.append(f"{name} {(date.qualifier + ' ') if date.qualifier else ''}{shown}")
    return "; ".join(parts)
