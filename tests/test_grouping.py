"""A run's task records folded into one entry per asset (pipeline/runs/grouping.py), and the same
through a real doit run's history."""

import json

from pipeline.runs.grouping import group_run, summarize
from pipeline.runs.history import History, TaskRecord


def task(name, status, started, seconds=0.0, metadata=None, error=None):
    ended = started + seconds if status not in ("running",) else None
    return TaskRecord("run", name, status, started, ended, None, None, error, metadata or {})


def test_shards_fold_into_their_asset_with_counts_slowest_and_checks():
    checks = [{"check": "unique_ids", "severity": "error", "status": "pass", "value": 0, "detail": "..."}]
    records = [task("raw", "success", 0.0, 1.0, {"models": 5, "mode": "full"})]
    records += [task(f"norm:{i:03d}", "success", 1.0 + i, 0.1 * (i + 1), {"models": 1, "mode": "x"}) for i in range(4)]
    records += [task("norm:004", "up-to-date", 1.0), task("norm:checks", "success", 6.0, 0.5, {"checks": checks})]
    groups = group_run(records, order=["raw", "norm"])
    assert [g["asset"] for g in groups] == ["raw", "norm"]
    raw, norm = groups
    assert (raw["status"], raw["built"], raw["sharded"], raw["records"]) == ("success", True, False,
                                                                            {"count": 5, "noun": "models"})
    assert norm["counts"] == {"success": 4, "up-to-date": 1} and norm["shards"] == 5
    assert norm["metadata"] == {"models": 4, "mode": "x"} and norm["records"] == {"count": 4, "noun": "models"}
    assert norm["checks"] == checks and norm["checks_status"] == "success"
    assert [s["shard"] for s in norm["slowest"]] == ["003", "002", "001"]
    assert norm["started"] == 1.0 and norm["ended"] == 6.5 and norm["wall_seconds"] == 5.5
    assert norm["task_seconds"] == 1.5  # 0.1+0.2+0.3+0.4 for the shards, 0.5 for the checks
    assert [t["shard"] for t in norm["tasks"]] == ["000", "001", "002", "003", "004", "checks"]
    json.dumps(groups)  # plain data, for the UI
    assert summarize(groups) == {"assets": 2, "built": 2, "checked": 0, "up_to_date": 0, "failed": 0,
                                 "interrupted": 0, "skipped": 0, "running": 0, "records": {"models": 5},
                                 "wall_seconds": 6.5}


def test_a_failed_shard_or_check_fails_the_asset_and_says_why_in_one_line():
    records = [task("norm:000", "success", 0.0, 1.0), task("norm:001", "failed", 0.5, 1.0,
                                                           error="Traceback ...\n  File x\nRuntimeError: disk on fire\n"),
               task("norm:002", "skipped", 2.0), task("load:000", "skipped", 2.0)]
    norm, load = group_run(records)
    assert norm["status"] == "failed" and norm["counts"] == {"success": 1, "failed": 1, "skipped": 1}
    assert norm["failures"] == [{"name": "norm:001", "shard": "001", "status": "failed",
                                 "error": "RuntimeError: disk on fire"}]
    assert load["status"] == "skipped" and not load["built"]
    checked = group_run([task("norm:000", "up-to-date", 0.0), task("norm:checks", "failed", 1.0, 0.2,
                                                                   error="norm:checks: 1 error check failed")])[0]
    assert checked["status"] == "failed" and checked["counts"] == {"up-to-date": 1}
    assert checked["failures"][0]["name"] == "norm:checks"
    assert summarize(group_run(records))["failed"] == 1 and summarize(group_run(records))["skipped"] == 1


def test_up_to_date_and_checks_only_runs():
    noop = group_run([task("raw", "up-to-date", 0.0), task("norm:000", "up-to-date", 0.1),
                      task("norm:001", "up-to-date", 0.1)])
    assert [g["status"] for g in noop] == ["up-to-date", "up-to-date"]
    assert noop[1]["wall_seconds"] is None and noop[1]["records"] is None
    only_checks = group_run([task("norm:000", "up-to-date", 0.0), task("norm:checks", "success", 0.1, 0.1)])[0]
    assert (only_checks["status"], only_checks["built"]) == ("success", False)
    assert summarize(noop)["up_to_date"] == 2 and summarize([only_checks])["checked"] == 1


def test_a_real_run_groups_by_asset(toy_project):
    assert toy_project.doit().returncode == 0
    store = History(toy_project.path("data/runs.sqlite3"))
    try:
        groups = group_run(store.tasks(store.run().id), order=["numbers", "doubled", "total"])
    finally:
        store.close()
    assert [(g["asset"], g["status"], g["records"]["count"]) for g in groups] == [
        ("numbers", "success", 3), ("doubled", "success", 3), ("total", "success", 1)]
    assert groups[2]["checks"][0]["check"] == "total_positive"


def test_a_parallel_run_lists_its_assets_in_the_order_they_ended_as_its_console_did():
    """Worker processes: an asset that started first may end last; one still running comes after all."""
    records = [task("slow:000", "success", 0.0, 9.0), task("slow:001", "success", 0.1, 1.0),
               task("fast", "success", 0.2, 1.0), task("later", "up-to-date", 5.0),
               task("busy", "running", 0.3), task("next", "success", 6.0, 1.0)]
    assert [g["asset"] for g in group_run(records)] == ["fast", "later", "next", "slow", "busy"]


def test_the_processes_that_built_an_assets_shards_are_not_added_up():
    records = [task("norm:000", "success", 0.0, 1.0, {"models": 2, "process": 101}),
               task("norm:001", "success", 0.0, 1.0, {"models": 3, "process": 102}),
               task("one", "success", 1.0, 1.0, {"models": 1, "process": 101})]
    norm, one = group_run(records)
    assert norm["metadata"] == {"models": 5} and one["metadata"] == {"models": 1, "process": 101}
