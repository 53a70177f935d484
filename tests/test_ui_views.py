"""The UI's building blocks without a server: a run folded into assets (pipeline/ui/runs_view.py),
the file watcher (pipeline/ui/watch.py) and the history change test of pipeline/ui/live.py."""

import os
import sqlite3
import time

import pytest

from pipeline.runs.history import History, TaskRecord
from pipeline.ui import runs_view
from pipeline.ui.live import HistoryVersion
from pipeline.ui.watch import FileWatcher


def task(name, status, started, duration=None, metadata=None, error=None):
    ended = None if duration is None else started + duration
    return TaskRecord("r1", name, status, started, ended, None, None, error, metadata or {})


def test_shards_and_checks_fold_into_one_row_per_asset():
    checks = [{"check": "unique_ids", "severity": "error", "status": "pass", "value": 0, "detail": ""},
              {"check": "license_filled", "severity": "warn", "status": "warn", "value": 0.4, "detail": ""}]
    tasks = [
        task("raw", "up-to-date", 0.0),
        task("norm:000", "success", 1.0, 2.0, {"models": 3, "quarantined": 1, "seconds": 2.0}),
        task("norm:001", "success", 1.5, 5.0, {"models": 4, "quarantined": 0, "seconds": 5.0}),
        task("norm:002", "up-to-date", 1.6),
        task("norm:checks", "success", 7.0, 0.5, {"checks": checks}),
        task("load:000", "failed", 8.0, 1.0, error="Traceback (most recent call last):\n  ...\nRuntimeError: refused\n"),
        task("load:001", "success", 8.0, 3.0, {"models": 4}),
        task("lineage", "skipped", 20.0),
    ]
    groups = runs_view.group_tasks(tasks)
    assert [g["asset"] for g in groups] == ["norm", "load", "raw", "lineage"]  # ran, then up to date, then skipped
    norm = groups[0]
    assert norm["status"] == "success" and norm["tasks"] == 3 and norm["shards"] == 3
    assert norm["counts"] == {"success": 2, "up-to-date": 1}  # the checks task is not a shard
    assert norm["task_seconds"] == 7.0 and norm["slowest"] == {"name": "norm:001", "duration": 5.0}
    assert norm["metadata"] == {"models": 7, "quarantined": 1}  # summed; `seconds` hidden as in doit status
    assert norm["checks"] == checks and norm["checks_status"] == "success"
    assert norm["started"] == 1.0 and norm["ended"] == 7.5
    load = groups[1]
    assert load["status"] == "failed" and load["counts"] == {"failed": 1, "success": 1}
    assert load["failed"] == [{"name": "load:000", "status": "failed", "error": "RuntimeError: refused"}]
    assert runs_view.run_summary(groups) == {"assets": 4, "success": 1, "failed": 1, "up-to-date": 1, "skipped": 1}
    ordered = runs_view.asset_tasks(list(reversed(tasks)), "norm")
    assert [t.name for t in ordered] == ["norm:000", "norm:001", "norm:002", "norm:checks"]


def test_a_failed_error_check_fails_the_asset_and_an_unsharded_asset_keeps_its_own_checks():
    failing = [{"check": "unique_ids", "severity": "error", "status": "fail", "value": 2, "detail": ""}]
    [sharded] = runs_view.group_tasks([task("norm:000", "success", 1.0, 1.0),
                                       task("norm:checks", "failed", 3.0, 0.1, {"checks": failing})])
    assert sharded["status"] == "failed" and sharded["counts"] == {"success": 1} and sharded["checks_status"] == "failed"
    own = [{"check": "total_positive", "severity": "error", "status": "pass", "value": 12, "detail": ""}]
    [single] = runs_view.group_tasks([task("total", "success", 1.0, 0.2, {"rows": 1, "checks": own})])
    assert single["checks"] == own and single["shards"] == 0 and single["metadata"] == {"rows": 1}
    [running] = runs_view.group_tasks([task("norm:000", "success", 1.0, 1.0), task("norm:001", "running", 1.5)])
    assert running["status"] == "running" and running["ended"] is None


def test_materializations_carry_each_shards_latest_figures_forward(tmp_path):
    history = History(tmp_path / "runs.sqlite3")
    try:
        first = history.start_run(["doit"], [])
        for shard, models in (("000", 3), ("001", 4)):
            history.task_started(first, f"norm:{shard}")
            history.task_finished(first, f"norm:{shard}", "success", metadata={"models": models, "quarantined": 1})
        history.task_finished(first, "norm:checks", "success", metadata={"checks": []})
        history.end_run(first, "success")
        time.sleep(0.01)
        history._db.execute("UPDATE runs SET id = 'r-first' WHERE id = ?", (first,))  # distinct ids in one process
        history._db.execute("UPDATE tasks SET run_id = 'r-first' WHERE run_id = ?", (first,))
        second = history.start_run(["doit"], [])
        history.task_started(second, "norm:001")  # an incremental run: one shard rebuilt
        history.task_finished(second, "norm:001", "success", metadata={"models": 6, "quarantined": 0})
        history.task_finished(second, "norm:000", "up-to-date")
        history.end_run(second, "success")
    finally:
        history.close()
    plotted = runs_view.materializations(tmp_path / "runs.sqlite3", "norm")
    assert [p["run_id"] for p in plotted["points"]] == ["r-first", second]
    assert [p["metrics"] for p in plotted["points"]] == [{"models": 7, "quarantined": 2}, {"models": 9, "quarantined": 1}]
    assert [p["tasks"] for p in plotted["points"]] == [2, 1]
    assert plotted["keys"] == ["models", "quarantined"]
    assert runs_view.materializations(tmp_path / "runs.sqlite3", "other")["points"] == []
    assert runs_view.materializations(tmp_path / "none.sqlite3", "norm") == {"asset": "norm", "points": [], "keys": []}
    last = runs_view.last_attempts(tmp_path / "runs.sqlite3", ["norm", "other"])
    assert last == {"norm": {"run_id": second, "status": "success", "started": last["norm"]["started"],
                             "ended": last["norm"]["ended"], "tasks": 2}}


@pytest.mark.parametrize("kernel", [True, False], ids=["inotify", "scan"])
def test_file_watcher_reports_changes_and_leaves_noise_out(tmp_path, kernel):
    root = tmp_path / "project"
    (root / "data" / "ui").mkdir(parents=True)
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / "input.txt").write_text("1 2 3\n")
    watcher = FileWatcher(root, use_inotify=kernel)
    try:
        assert watcher.kernel is kernel
        assert watcher.changes() == set()
        time.sleep(0.01)
        (root / "input.txt").write_text("4 5\n")
        (root / "data" / "runs.sqlite3-shm").write_text("shared memory")  # SQLite's: noise
        (root / "data" / "run.lock").write_text("")  # only ever locked: noise
        (root / "data" / "ui" / "run-1.log").write_text("console")  # the UI's own logs
        (root / ".venv" / "lib" / "x.py").write_text("")  # a virtualenv
        assert watcher.changes() == {root / "input.txt"}
        (root / "data" / "new").mkdir()  # a folder made later is watched too
        if kernel:
            assert watcher.changes() == {root / "data" / "new"}
        (root / "data" / "new" / "out.parquet").write_text("rows")
        assert root / "data" / "new" / "out.parquet" in watcher.changes()
        os.replace(root / "data" / "new" / "out.parquet", root / "data" / "moved.parquet")
        assert root / "data" / "moved.parquet" in watcher.changes()
        assert watcher.changes() == set()
    finally:
        watcher.close()


def test_history_version_sees_commits_not_readers(tmp_path):
    path = tmp_path / "runs.sqlite3"
    version = HistoryVersion(path)
    assert version.changed() is False  # no history yet
    history = History(path)
    history.close()
    try:
        assert version.changed() is False  # the first look sets where it starts from
        reader = sqlite3.connect(path)  # a reader opening and closing the file (as `doit status` does)
        reader.execute("SELECT count(*) FROM runs").fetchall()
        reader.close()
        assert version.changed() is False
        history = History(path)
        run_id = history.start_run(["doit"], [])
        assert version.changed() is True
        assert version.changed() is False
        history.task_finished(run_id, "numbers", "success")  # an update of a run already counted
        assert version.changed() is True
        history.close()
    finally:
        version.close()
