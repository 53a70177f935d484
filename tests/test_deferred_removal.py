"""Replaced files are removed by a thread of their own: what a commit replaced is gone once the process
waits for its removals or ends, a staging name written again meanwhile keeps its new bytes, and a
process killed first leaves only files the next run's sweep of leftovers removes."""

import multiprocessing
import os
import signal
import time
from pathlib import Path

from pipeline import deferred_removal
from pipeline.deferred_removal import remove_later, wait_for_removals
from pipeline.paths import Paths
from pipeline.storage import STAGING_SUFFIX, StagedOutputs, swap_into_place, sweep_leftovers


def test_a_replaced_file_is_gone_once_the_removals_are_waited_for(tmp_path):
    old = tmp_path / ".models-000.nq.staging"
    old.write_bytes(b"x" * (1 << 20))
    remove_later(old, STAGING_SUFFIX)
    assert not old.exists()  # renamed at once: the staging name is free for the next build
    wait_for_removals()
    assert os.listdir(tmp_path) == []


def test_the_same_shard_committed_twice_in_a_row_keeps_each_new_file(tmp_path):
    """The staging name of an output is the same for every build of it in one process: the old file
    parked there by the first commit must not take the second build's staged bytes with it."""
    target = tmp_path / "models-000.nq"
    target.write_text("version 0")
    for version in range(1, 6):
        outputs = StagedOutputs({"nquads": target}, swap=["nquads"])
        outputs.prepare()
        outputs["nquads"].write_text(f"version {version}")
        assert outputs.commit() == {"nquads": True}
        assert target.read_text() == f"version {version}"
    wait_for_removals()
    assert os.listdir(tmp_path) == ["models-000.nq"]


def _slow_removals(files) -> None:
    """The removal thread, a tenth of a second per file: ending before the removals would show."""
    def slow(path, **options):
        time.sleep(0.1)
        return unlink(path, **options)

    unlink = Path.unlink
    Path.unlink = slow
    original(files)


original = deferred_removal._remove


def _replace_then_exit(folder: str, wait: bool) -> None:
    deferred_removal._remove = _slow_removals
    for n in range(8):
        staged, target = os.path.join(folder, f".m-{n}.staging"), os.path.join(folder, f"m-{n}")
        with open(staged, "wb") as fh:
            fh.write(b"new" * 100_000)
        swap_into_place(Path(staged), Path(target))
    if not wait:
        os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_process_removes_what_it_replaced_before_it_ends(tmp_path):
    for n in range(8):
        (tmp_path / f"m-{n}").write_bytes(b"old" * 100_000)
    worker = multiprocessing.get_context("fork").Process(target=_replace_then_exit, args=(str(tmp_path), True))
    worker.start()
    worker.join(30)
    assert worker.exitcode == 0
    assert sorted(os.listdir(tmp_path)) == [f"m-{n}" for n in range(8)]
    assert all((tmp_path / f"m-{n}").read_bytes() == b"new" * 100_000 for n in range(8))


def test_a_killed_process_leaves_only_what_the_next_run_sweeps(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for n in range(8):
        (data / f"m-{n}").write_bytes(b"old" * 100_000)
    worker = multiprocessing.get_context("fork").Process(target=_replace_then_exit, args=(str(data), False))
    worker.start()
    worker.join(30)
    assert worker.exitcode == -signal.SIGKILL
    assert all((data / f"m-{n}").read_bytes() == b"new" * 100_000 for n in range(8))
    assert len(os.listdir(data)) > 8  # removals were still pending when it died (0.1 s each)
    sweep_leftovers(Paths(tmp_path))
    assert sorted(os.listdir(data)) == [f"m-{n}" for n in range(8)]
