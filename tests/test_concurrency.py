"""Readers keep answering from the old graph while a build runs, and see the new graph after it.

Reader processes open the store with ``kg.store.generations.open_dataset`` and query with
``kg.query.sparql.run`` in a loop while ``kg build`` runs in another process. No
timing is asserted: only that every answer is the old or the new one, never
an error or a mix, and that the new one is seen once the build is done.
"""

from __future__ import annotations

import multiprocessing
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNT = (
    "PREFIX hmi: <https://w3id.org/hmi-kg/ontology#> SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p hmi:documentKind ?k }"
)


def _count(store: str) -> int:
    from kg.query.sparql import run
    from kg.store.generations import open_dataset

    rows = list(run(open_dataset(store), COUNT))
    return int(rows[0][0])  # type: ignore[index]


def _reader(store: str, stop: multiprocessing.synchronize.Event, out: multiprocessing.queues.Queue) -> None:  # type: ignore[name-defined]
    seen: list[int | str] = []
    while not stop.is_set():
        try:
            seen.append(_count(store))
        except Exception as e:  # noqa: BLE001 - any failure is what the test looks for
            seen.append(f"{type(e).__name__}: {e}")
    seen.append(_count(store))  # one read after the build is over
    out.put(seen)


def test_readers_see_old_then_new_graph_never_an_error(corpus_dir, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    store = tmp_path / "store"
    build = [sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store), "--quiet", "--model", "none"]
    subprocess.run(build, cwd=ROOT, check=True, capture_output=True)
    old = _count(str(store))
    (corpus / "extra-note.txt").write_text(
        "Durham Constabulary – a note\n\nThe force has improved its referrals.\n", encoding="utf-8"
    )

    ctx = multiprocessing.get_context("spawn")
    stop = ctx.Event()
    out = ctx.Queue()
    readers = [ctx.Process(target=_reader, args=(str(store), stop, out)) for _ in range(3)]
    for r in readers:
        r.start()
    # Let every reader answer at least once before the build starts.
    first = _count(str(store))
    assert first == old
    proc = subprocess.run(build + ["--full"], cwd=ROOT, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    stop.set()
    results = [out.get(timeout=300) for _ in readers]
    for r in readers:
        r.join(timeout=60)

    new = _count(str(store))
    assert new == old + 1
    for seen in results:
        errors = [s for s in seen if isinstance(s, str)]
        assert not errors, errors[:3]
        assert set(seen) <= {old, new}
        assert seen[-1] == new
        # Once a reader has seen the new graph it never sees the old one again.
        if new in seen:
            assert old not in seen[seen.index(new) :]


def test_threads_in_one_process_read_while_a_build_publishes(corpus_dir, tmp_path):
    """The same with reader threads and an in-process build."""
    import threading

    from kg.build.extractor import make_extractor
    from kg.build.pipeline import build

    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    store = tmp_path / "store"
    extractor = make_extractor(model=None)
    build(corpus, store, extractor=extractor)
    old = _count(str(store))
    (corpus / "extra-note.txt").write_text("Durham Constabulary – a note\n\nThe force improved.\n", encoding="utf-8")
    stop = threading.Event()
    seen: list[int | str] = []

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(_count(str(store)))
            except Exception as e:  # noqa: BLE001
                seen.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    build(corpus, store, extractor=extractor)
    stop.set()
    for t in threads:
        t.join()
    assert not [s for s in seen if isinstance(s, str)]
    assert set(seen) <= {old, old + 1}
    assert _count(str(store)) == old + 1
