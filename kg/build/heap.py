"""Keep the garbage collector's full passes off the objects a build inherits.

A build starts with hundreds of thousands of long-lived objects already in
the process: the spaCy pipeline and its vocabularies, the entity patterns,
the caller's own data. Python's collector rescans every one of them at each
full collection, and an incremental build makes a few: at 1,000 reports
each took 0.1–0.2 s, up to half an update's time (issue 8).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def _nothing() -> None:
    return None


@contextmanager
def existing_objects_frozen() -> Iterator[Callable[[], None]]:
    """Within the block, full collections skip every object that existed before it.

    ``gc.freeze`` moves them to the collector's permanent generation, and
    ``gc.unfreeze`` hands them back at the end, so nothing escapes collection
    for longer than the block. Garbage made inside the block is collected
    as usual. If something else has frozen objects already, the block leaves
    the collector alone rather than unfreeze them too.

    The block gets a function that freezes what exists by then as well: an
    update reads the previous build's manifest (a thousand documents'
    records) and keeps it to the end, and each full collection rescanned it.
    """
    if gc.get_freeze_count():
        yield _nothing
        return
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()
