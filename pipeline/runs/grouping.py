"""A run's task records grouped by asset: what one run did to each asset, shard tasks folded in.

doit runs tasks; users think in assets. An asset is one task (`licenses`) or, when sharded, one task
per shard (`hf_models_normalized:017`) plus, when it has checks, `hf_models_normalized:checks`.
`group_run(records)` folds a run's task records (`pipeline.runs.history.TaskRecord`, or anything
with the same attributes: name, status, started, ended, error, metadata) into one entry per asset.
The console (`pipeline/runs/reporter.py`), `doit runs RUN_ID`, `doit logs ASSET` and the web UI's
run page all read these entries, so each is a plain JSON-able dict:

    {
      "asset": "hf_models_normalized",
      "status": "success",          # the asset in this run, from its tasks' states, first that applies:
                                    # running, failed, interrupted, success (some task materialized),
                                    # up-to-date (every task up to date), skipped
      "built": true,                # one of its own tasks (not the checks task) materialized
      "sharded": true,              # it has shard tasks (`asset:NNN`)
      "shards": 256,                # shard tasks the run recorded (0 when unsharded)
      "counts": {"success": 250, "up-to-date": 6},   # its own tasks by state (checks task not counted)
      "started": 1764590000.1,      # earliest start of a task that ran (epoch seconds; None if none ran)
      "ended": 1764590003.1,        # latest end of a task that ran
      "wall_seconds": 3.0,          # ended - started (None if nothing ran)
      "task_seconds": 5.6,          # summed durations of the tasks that ran (more than wall time in
                                    # parallel runs)
      "metadata": {"models": 331, ...},   # of the tasks materialized in this run: numbers summed, other
                                          # values kept when every task agrees (see summed_metadata)
      "records": {"count": 331, "noun": "models"},   # the record count of that metadata, or None
      "checks": [{"check": ..., "severity": ..., "status": "pass", "value": ..., "detail": ...}],
      "checks_status": "success",   # state of its `asset:checks` task in the run, or None
      "slowest": [{"name": "hf_models_normalized:017", "shard": "017", "status": "success",
                   "seconds": 0.41}],   # the slowest shard tasks that ran (at most SLOWEST), sharded only
      "failures": [{"name": ..., "shard": ..., "status": "failed", "error": "last line of the error"}],
      "tasks": [{"name": ..., "shard": "017" | "checks" | None, "status": ..., "started": ...,
                 "ended": ..., "seconds": ...}],   # every task record of the asset, shard order
    }

Entries come in the order given by `order` (asset names, e.g. the registry's definition order), then
the order the run first touched them. `summarize(groups)` counts them for a run's closing line.
"""

from __future__ import annotations

import math
from typing import Iterable

from pipeline.runs.states import ENDED_BADLY, RAN, TaskState

SLOWEST = 3
# Metadata keys that count an asset's records, most telling first; the key is the noun shown.
RECORD_KEYS = ("models", "entities", "datasets", "papers", "licenses", "chains", "records", "rows")
# What a run did to an asset, from the states of its tasks: the first state that applies wins.
PRECEDENCE = (TaskState.RUNNING, TaskState.FAILED, TaskState.INTERRUPTED, TaskState.SUCCESS)


def split_name(name: str) -> tuple[str, str | None]:
    """`hf_models_normalized:017` -> (`hf_models_normalized`, `017`); `licenses` -> (`licenses`, None)."""
    asset, _, part = name.partition(":")
    return asset, (part or None)


NOT_SUMMED = {"process"}  # numbers that are no quantity: the process id that built a task


def summed_metadata(items: Iterable[dict]) -> dict:
    """Numbers summed over the items; any other value kept only when every item has the same one."""
    items = list(items)
    out: dict = {}
    keys = list(dict.fromkeys(k for metadata in items for k in metadata))
    for key in keys:
        values = [metadata.get(key) for metadata in items]
        if key not in NOT_SUMMED and \
                all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values if v is not None) \
                and any(v is not None for v in values):
            total = sum(v for v in values if v is not None)
            out[key] = round(total, 6) if isinstance(total, float) else total
        elif all(v == values[0] for v in values):
            out[key] = values[0]
    return out


def record_count(metadata: dict) -> dict | None:
    """{"count": 331, "noun": "models"} from an asset's metadata, or None when it counts nothing."""
    for key in RECORD_KEYS:
        value = metadata.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return {"count": value, "noun": key}
    return None


def _seconds(record) -> float | None:
    if record.ended is None or record.started is None:
        return None
    return round(record.ended - record.started, 3)


def _last_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _task_entry(record, part: str | None) -> dict:
    return {"name": record.name, "shard": part, "status": record.status, "started": record.started,
            "ended": record.ended if record.status in RAN else None,
            "seconds": _seconds(record) if record.status in RAN else None}


def _status(states: list[str]) -> str:
    for state in PRECEDENCE:
        if state in states:
            return state
    if states and all(state == TaskState.UP_TO_DATE for state in states):
        return TaskState.UP_TO_DATE
    return TaskState.SKIPPED


def group_asset(asset: str, records: list) -> dict:
    """The entry of one asset from the records of its tasks in one run (see the module docstring)."""
    checks_task = next((r for r in records if split_name(r.name)[1] == "checks"), None)
    shards = [r for r in records if split_name(r.name)[1] not in (None, "checks")]
    own = shards or [r for r in records if split_name(r.name)[1] is None]  # a sharded asset's group task: not its own
    counts: dict[str, int] = {}
    for record in own:
        counts[record.status] = counts.get(record.status, 0) + 1
    ran = [r for r in own + ([checks_task] if checks_task else []) if r.status in RAN]
    started = min((r.started for r in ran), default=None)
    ended = max((r.ended for r in ran if r.ended is not None), default=None)
    materialized = [r for r in own if r.status == TaskState.SUCCESS]
    metadata = summed_metadata({k: v for k, v in r.metadata.items() if k != "checks"} for r in materialized)
    checked = checks_task if checks_task is not None and checks_task.metadata.get("checks") else \
        next((r for r in own if r.metadata.get("checks")), None)
    states = [r.status for r in own] + ([checks_task.status] if checks_task else [])
    timed = sorted((r for r in shards if r.status in RAN and _seconds(r) is not None),
                   key=lambda r: _seconds(r), reverse=True)
    return {
        "asset": asset,
        "status": _status(states),
        "built": bool(materialized),
        "sharded": bool(shards),
        "shards": len(shards),
        "counts": counts,
        "started": started,
        "ended": ended,
        "wall_seconds": round(ended - started, 3) if started is not None and ended is not None else None,
        "task_seconds": round(sum(_seconds(r) or 0.0 for r in ran), 3),
        "metadata": metadata,
        "records": record_count(metadata),
        "checks": list(checked.metadata.get("checks", [])) if checked else [],
        "checks_status": checks_task.status if checks_task else None,
        "slowest": [{"name": r.name, "shard": split_name(r.name)[1], "status": r.status, "seconds": _seconds(r)}
                    for r in timed[:SLOWEST]],
        "failures": [{"name": r.name, "shard": split_name(r.name)[1], "status": r.status,
                      "error": _last_line(r.error) or r.status}
                     for r in own + ([checks_task] if checks_task else []) if r.status in ENDED_BADLY],
        "tasks": [_task_entry(r, split_name(r.name)[1]) for r in sorted(records, key=lambda r: _sort_key(r.name))],
    }


def _sort_key(name: str) -> tuple:
    part = split_name(name)[1]
    return (part is not None, part == "checks", part or "")


def group_run(records: Iterable, order: Iterable[str] = ()) -> list[dict]:
    """One entry per asset the records name (see the module docstring), in `order`, then in the order their
    last task ended (the order the run's console printed them; assets still running last)."""
    by_asset: dict[str, list] = {}
    for record in sorted(records, key=lambda r: r.started or 0):
        by_asset.setdefault(split_name(record.name)[0], []).append(record)
    rank = {name: index for index, name in enumerate(order)}

    def finished(name: str) -> tuple[float, float]:
        """(when its last task ended, a running one never, one that never ran when it was decided; its first start)"""
        tasks = by_asset[name]
        last = max(math.inf if r.status == TaskState.RUNNING else r.ended or r.started or 0 for r in tasks)
        return last, min(r.started or 0 for r in tasks)

    names = sorted(by_asset, key=lambda name: (rank.get(name, len(rank)), *finished(name)))
    return [group_asset(name, by_asset[name]) for name in names]


def _platform_of_asset(name: str) -> str:
    """The platform whose records an asset holds, from its name's prefix (`openml_raw_models`); "" for an
    asset that serves every platform (arxiv_papers, licenses)."""
    from pipeline.platforms import PLATFORMS

    prefix = name.partition("_")[0]
    return prefix if prefix in PLATFORMS else ""


def summarize(groups: list[dict]) -> dict:
    """A run's closing figures: assets by what the run did to them, records, time.

    {"assets": 11, "built": 9, "checked": 1, "up_to_date": 1, "failed": 0, "interrupted": 0, "skipped": 0,
     "running": 0, "records": {"models": 331, ...}, "wall_seconds": 41.7}
    `checked`: assets whose only work in the run was their checks task. `records`: per noun, the largest
    count among each platform's assets the run materialized (the same models flow through several assets),
    summed over the platforms (331 Hub models and 44 bioimage.io models are 375 models).
    """
    out = {"assets": len(groups), "built": 0, "checked": 0, "up_to_date": 0, "failed": 0, "interrupted": 0,
           "skipped": 0, "running": 0, "records": {}}
    largest: dict[tuple[str, str], int] = {}  # (platform, noun) -> count
    for group in groups:
        status = group["status"]
        if status == TaskState.SUCCESS:
            out["built" if group["built"] else "checked"] += 1
        else:
            out[{"up-to-date": "up_to_date"}.get(status, status)] += 1
        if group["built"] and group["records"]:
            key = (_platform_of_asset(group["asset"]), group["records"]["noun"])
            largest[key] = max(group["records"]["count"], largest.get(key, 0))
    for (_, noun), count in largest.items():
        out["records"][noun] = out["records"].get(noun, 0) + count
    starts = [g["started"] for g in groups if g["started"] is not None]
    ends = [g["ended"] for g in groups if g["ended"] is not None]
    out["wall_seconds"] = round(max(ends) - min(starts), 3) if starts and ends else None
    return out
