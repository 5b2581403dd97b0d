"""Files of the caches beside a store: written whole or not at all, and pruned to what is current.

The extraction cache, the graph copies and the corpus manifest's copy are
optimisations only: a reader that finds a file missing or foreign treats
it as a miss. What they must never do is leave a half-written file under a
real name, which a reader could take for a whole one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def write_whole(target: Path, data: bytes) -> None:
    """Write ``target`` through a temporary file and a rename: readers see the old bytes or the new."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def keep_only(directory: Path, names: Iterable[str]) -> None:
    """Delete every file in ``directory`` but those named, stray temporary files included."""
    wanted = set(names)
    if not directory.is_dir():
        return
    for path in directory.iterdir():
        if path.name not in wanted:
            path.unlink(missing_ok=True)
