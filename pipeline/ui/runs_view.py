"""A run as assets, not as a thousand tasks: what the UI's run page and asset plots read.

A full build records about a thousand tasks (256 shards of four assets, `hf_models_normalized:checks`,
the unsharded assets); `doit -s licenses` records 258, most of them "skipped". People think in
assets, so the run page shows one row per asset:

* an asset's tasks are the asset's own task (`licenses`), its shard sub-tasks
  (`hf_models_normalized:017`) and its checks task (`hf_models_normalized:checks`): everything
  named `ASSET` or `ASSET:...`;
* the row counts the asset's work tasks (the shards, or the asset's own task) by state, sums their
  build time (task seconds: shards run in parallel with `-P`), names the slowest, sums the
  numeric metadata of the ones that succeeded, and carries the check results (of the checks task
  for sharded assets, of the asset's own task otherwise);
* its status: running if any of its tasks runs, else failed if any failed (a failed error check
  included), else interrupted, else success if any materialized, else up-to-date, else skipped.

`materializations` reads an asset's history for the asset page's plots: per run that materialized
it, the asset's numeric metadata as it stood after that run (for a sharded asset each shard's
latest figures carried forward and summed, so an incremental run that rebuilt three shards still
shows the whole asset's record count), and the build time it took.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.processes import pid_alive
from pipeline.runs.history import History
from pipeline.runs.status import HIDDEN_METADATA

RAN = ("success", "failed", "interrupted", "running")
WORST_FIRST = ("running", "failed", "interrupted", "success", "up-to-date", "skipped")
CHECKS = "checks"


def summed_metadata(items: list[dict]) -> dict:
    """Numbers summed; any other value kept only when every item has the same one (as `doit status`
    folds a sharded asset's shards)."""
    out: dict = {}
    for key in dict.fromkeys(k for metadata in items for k in metadata):
        values = [metadata.get(key) for metadata in items]
        present = [v for v in values if v is not None]
        if present and all(_number(v) for v in present):
            total = sum(present)
            out[key] = round(total, 6) if isinstance(total, float) else total
        elif all(v == values[0] for v in values):
            out[key] = values[0]
    return out


def asset_of(task_name: str) -> str:
    return task_name.split(":", 1)[0]


def assets_of(task_names: list[str]) -> list[str]:
    """The assets of these tasks, each once, in order."""
    return list(dict.fromkeys(asset_of(name) for name in task_names))


def part_of(task_name: str) -> str | None:
    """`017` for a shard task, `checks` for a checks task, None for an asset's own task."""
    return task_name.split(":", 1)[1] if ":" in task_name else None


def asset_status(statuses: set[str]) -> str:
    return next((s for s in WORST_FIRST if s in statuses), "skipped")


def _shown_metadata(metadata: dict) -> dict:
    return {k: v for k, v in (metadata or {}).items() if k not in HIDDEN_METADATA}


def group_tasks(tasks) -> list[dict]:
    """One summary per asset, in the order the run reached them (tasks never reached come last).

    `tasks` are records with name, status, started, ended, duration, metadata and error (the run
    history's TaskRecord, or anything shaped like it).
    """
    by_asset: dict[str, list] = {}
    for task in sorted(tasks, key=lambda t: t.started):
        by_asset.setdefault(asset_of(task.name), []).append(task)
    groups = [_group(asset, members) for asset, members in by_asset.items()]
    # what ran first, then what was up to date, then what the run never reached (skipped)
    rank = {"skipped": 2, "up-to-date": 1}
    return sorted(groups, key=lambda g: (rank.get(g["status"], 0), g["started"] or 0))


def _group(asset: str, members: list) -> dict:
    checks_task = next((t for t in members if part_of(t.name) == CHECKS), None)
    work = [t for t in members if part_of(t.name) != CHECKS]
    counts: dict[str, int] = {}
    for task in work:
        counts[task.status] = counts.get(task.status, 0) + 1
    statuses = {t.status for t in members}
    status = asset_status(statuses)
    ran = [t for t in work if t.status in RAN and t.duration is not None]
    slowest = max(ran, key=lambda t: t.duration, default=None)
    started = [t.started for t in members if t.status in RAN] or [t.started for t in members]
    ended = [t.ended for t in members if t.status in RAN and t.ended is not None]
    running = any(t.status == "running" for t in members)
    if checks_task is not None:
        checks = list((checks_task.metadata or {}).get("checks", []))
        checks_status = checks_task.status
    else:
        own = next((t for t in work if part_of(t.name) is None), None)
        checks = list(((own.metadata or {}) if own else {}).get("checks", []))
        checks_status = own.status if own is not None and checks else None
    succeeded = [_shown_metadata(t.metadata) for t in work if t.status == "success"]
    failed = [t for t in members if t.status in ("failed", "interrupted")]
    return {
        "asset": asset,
        "status": status,
        "counts": counts,
        "tasks": len(work),
        "shards": sum(1 for t in work if part_of(t.name) is not None),
        "started": min(started) if started else None,
        "ended": None if running or not ended else max(ended),
        "task_seconds": round(sum(t.duration for t in ran), 3) if ran else None,
        "slowest": {"name": slowest.name, "duration": slowest.duration} if slowest is not None else None,
        "metadata": summed_metadata(succeeded) if succeeded else {},
        "checks": checks,
        "checks_status": checks_status,
        "failed": [{"name": t.name, "status": t.status, "error": last_line(t.error)} for t in failed[:20]],
        "failed_count": len(failed),
    }


def last_line(text: str | None) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def run_summary(groups: list[dict]) -> dict:
    """How many assets did what in a run: {"assets": 11, "success": 3, "up-to-date": 8, ...}."""
    out: dict[str, int] = {"assets": len(groups)}
    for group in groups:
        out[group["status"]] = out.get(group["status"], 0) + 1
    return out


def asset_tasks(tasks, asset: str) -> list:
    """The tasks of one asset in a run: its own task, its shards in shard order, its checks task."""
    mine = [t for t in tasks if asset_of(t.name) == asset]
    return sorted(mine, key=lambda t: (part_of(t.name) == CHECKS, part_of(t.name) or ""))


# -- plots ------------------------------------------------------------------------------------------
def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def materializations(history_file: Path, asset: str, limit: int = 100) -> dict:
    """The asset's materializations over time, oldest first: one point per run that materialized it.

    Returns {"asset", "points": [{"run_id", "at", "tasks", "task_seconds", "wall", "metrics"}],
    "keys": numeric metadata keys, most recent first}. `metrics` holds every numeric metadata value
    as it stood after that run (sharded: each shard's latest figures, summed).
    """
    history = History.reader(history_file)
    if history is None:
        return {"asset": asset, "points": [], "keys": []}
    try:
        rows = history.successes_of(asset, but=f"{asset}:{CHECKS}")
    finally:
        history.close()
    latest: dict[str, dict] = {}  # task (shard) name -> its latest numeric metadata
    points: list[dict] = []
    for run_id, name, started, ended, metadata in rows:  # runs never overlap: one run's rows are together
        if not points or points[-1]["run_id"] != run_id:
            if points:  # the asset's figures after that run: every task's latest, summed
                points[-1]["metrics"] = summed_metadata(list(latest.values()))
            points.append({"run_id": run_id, "first": started, "at": ended or started, "tasks": 0,
                           "task_seconds": 0.0})
        numbers = {k: v for k, v in _shown_metadata(metadata).items() if _number(v)}
        latest[name] = numbers
        point = points[-1]
        point["tasks"] += 1
        point["at"] = max(point["at"], ended or started)
        point["task_seconds"] += (ended - started) if ended is not None else 0.0
    if points:
        points[-1]["metrics"] = summed_metadata(list(latest.values()))
    keys: list[str] = []
    for point in reversed(points):
        for key in point["metrics"]:
            if key not in keys:
                keys.append(key)
    out = []
    for point in points[-limit:]:
        out.append({"run_id": point["run_id"], "at": point["at"], "tasks": point["tasks"],
                    "task_seconds": round(point["task_seconds"], 3), "wall": round(point["at"] - point["first"], 3),
                    "metrics": point["metrics"]})
    return {"asset": asset, "points": out, "keys": keys}


def last_attempts(history_file: Path, assets: list[str]) -> dict[str, dict]:
    """Per asset: the latest run that built it or tried to (any of its tasks ran), with how it went
    for this asset there: {"run_id", "status", "started", "ended", "tasks"}."""
    history = History.reader(history_file)
    if history is None:
        return {}
    out: dict[str, dict] = {}
    try:
        for asset in assets:
            found = history.last_attempt(asset)
            if found is None:
                continue
            run_id, run_status, pid, rows = found
            statuses = {r[0] for r in rows}
            if "running" in statuses and run_status == "running" and not pid_alive(pid):
                statuses = (statuses - {"running"}) | {"interrupted"}  # the run died without recording its end
            ended = [r[2] for r in rows if r[2] is not None]
            out[asset] = {"run_id": run_id, "status": asset_status(statuses), "started": min(r[1] for r in rows),
                          "ended": max(ended) if ended else None, "tasks": sum(r[3] for r in rows)}
    finally:
        history.close()
    return out
