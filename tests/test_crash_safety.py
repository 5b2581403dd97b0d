"""A build killed with SIGKILL at any point leaves the previous graph intact, and the next build works.

``kg build`` runs in a subprocess. Kills come two ways: at named points
through the ``KG_FAULT_INJECT`` hook (``kg.store.generations.fault_point``), and from
outside, as soon as the new generation's directory appears on disk.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg.store.generations import FAULT_ENV, FAULT_POINTS, GENERATIONS_DIR, current_generation, open_dataset

ROOT = Path(__file__).resolve().parent.parent


def _kg_build(corpus: Path, store: Path, fault: str | None = None) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    if fault:
        env[FAULT_ENV] = fault
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store), "--quiet", "--model", "none"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _snapshot(store: Path) -> set[tuple[str, str, str, str]]:
    ds = open_dataset(store)
    return {(str(s), str(p), str(o), str(g)) for s, p, o, g in ds.quads((None, None, None, None))}


@pytest.fixture(scope="module")
def built(corpus_dir, tmp_path_factory) -> tuple[Path, Path, set[tuple[str, str, str, str]]]:
    """A corpus copy and a store built from it once, with a snapshot of the store."""
    base = tmp_path_factory.mktemp("crash")
    corpus = base / "corpus"
    shutil.copytree(corpus_dir, corpus)
    store = base / "store"
    proc = _kg_build(corpus, store)
    out, err = proc.communicate()
    assert proc.returncode == 0, err.decode()
    # The next builds have something new to write: one more document.
    (corpus / "extra-note.txt").write_text(
        "Durham Constabulary – a note\n\nThe force has improved its referrals.\n", encoding="utf-8"
    )
    return corpus, store, _snapshot(store)


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_kill_at_a_point_keeps_the_previous_graph(built, point):
    corpus, store, before = built
    current_before = current_generation(store)
    proc = _kg_build(corpus, store, fault=point)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    if point == "after-switch":
        # The switch happened: the new graph is complete and current; the old one is still on disk.
        after = _snapshot(store)
        assert any("extra-note" in q[3] for q in after)
        assert current_before is not None and current_before.exists()
        # Put the old graph back for the next parameter: a later build must still start from it.
        os.replace(_relink(store, current_before), store / "current")
    else:
        assert current_generation(store) == current_before
        assert _snapshot(store) == before


def _relink(store: Path, generation: Path) -> Path:
    tmp = store / ".current.test"
    if tmp.is_symlink():
        tmp.unlink()
    tmp.symlink_to(generation.relative_to(store.resolve()) if generation.is_absolute() else generation)
    return tmp


def test_kill_from_outside_during_store_load_keeps_the_previous_graph(built):
    corpus, store, before = built
    current_before = current_generation(store)
    existing = set((store / GENERATIONS_DIR).iterdir())
    proc = _kg_build(corpus, store)
    # Kill as soon as the new generation's directory exists (the store is being written).
    while proc.poll() is None:
        if set((store / GENERATIONS_DIR).iterdir()) - existing:
            proc.send_signal(signal.SIGKILL)
            break
    proc.communicate()
    if proc.returncode == 0:
        pytest.skip("the build finished before the kill landed")
    assert current_generation(store) == current_before
    assert _snapshot(store) == before


def test_next_build_after_crashes_succeeds_and_cleans_up(built):
    corpus, store, before = built
    proc = _kg_build(corpus, store)
    out, err = proc.communicate()
    assert proc.returncode == 0, err.decode()
    after = _snapshot(store)
    assert any("extra-note" in q[3] for q in after)
    # Only the new generation and the one it replaced are left; no orphans, no stray links.
    assert len(list((store / GENERATIONS_DIR).iterdir())) <= 2
    assert not list(store.glob(".current.*"))
    from kg.graph.validate import validate
    from kg.store.generations import union_graph

    assert validate(union_graph(open_dataset(store))).conforms
