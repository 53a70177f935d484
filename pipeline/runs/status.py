"""Asset states at a glance, Dagster-style: fresh, stale, failed, running or never materialized.

doit decides whether each task would run (code fingerprint, settings, input digests, missing
outputs, receipts in the targets); the run history says what failed, what is running and when each
asset last materialized. Staleness propagates: an asset whose upstream is stale or was never
built is stale too, which `doit list -s` does not show.

A sharded asset is a doit group task with one sub-task per shard (`hf_models_normalized:017`).
States are computed per sub-task ("leaf"), with staleness propagated shard by shard (shard 017 of
an asset reads shard 017 of a sharded upstream, all of an unsharded one), then folded into one
aggregate row per sharded asset, named like the asset:

* running if any shard is running, else failed if any shard's last attempt failed or was
  interrupted, else never if no shard was ever materialized, else stale if any shard is stale or
  never materialized, else fresh;
* last materialized: the latest shard materialization;
* duration: the summed build time of the shards materialized by the latest run that materialized
  any shard (an incremental run that rebuilt 3 shards shows those 3 shards' time; build time, not
  wall time, when shards ran in parallel);
* metadata: numbers summed over every shard's latest successful materialization, other values
  kept only when all those shards agree.
"""

from __future__ import annotations

import fnmatch
import os
import time
from collections import Counter
from dataclasses import dataclass, field

from pipeline.checks import summary as check_summary
from pipeline.runs.grouping import summed_metadata
from pipeline.runs.history import History, TaskRecord
from pipeline.runs.states import ENDED_BADLY, Freshness, TaskState

STATES = tuple(Freshness)
COLORS = {Freshness.FRESH: "32", Freshness.STALE: "38;5;208", Freshness.FAILED: "31", Freshness.RUNNING: "33",
          Freshness.NEVER: "90"}
HIDDEN_METADATA = {"seconds", "cpu_seconds", "changed_outputs", "peak_rss_mib", "process", "target", "checks"}


@dataclass
class AssetState:
    name: str
    group: str
    state: str
    reason: str = ""
    last_materialized: float | None = None
    last_duration: float | None = None
    metadata: dict = field(default_factory=dict)
    upstream: list[str] = field(default_factory=list)
    # The asset this row belongs to: its own name, or for a shard row the sharded asset's name.
    asset: str = ""
    # Shard rows: the shard label ("017"). Aggregate rows of sharded assets: how many shards, and
    # how many shards are in each state.
    shard: str | None = None
    shards: int | None = None
    shard_counts: dict[str, int] = field(default_factory=dict)
    # The reason without the shard label, so the reasons of many shards can be counted together.
    cause: str = field(default="", repr=False)
    # The asset checks of its latest materialization (or of the attempt that failed on them).
    checks: list[dict] = field(default_factory=list)
    # What made it stale at the root, when staleness came from upstream ("source changed: ...").
    root: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        self.asset = self.asset or self.name


@dataclass
class JobState:
    name: str
    assets: list[str]
    counts: dict[str, int]


def asset_level_tasks(tasks: dict) -> list:
    """One task per asset, in definition order: unsharded assets and the group tasks of sharded ones.

    Shard sub-tasks (`meta.shard`) are left out; `shard_tasks` lists them.
    """
    return [t for t in tasks.values() if (t.meta or {}).get("asset") and "shard" not in t.meta]


def shard_tasks(tasks: dict) -> dict[str, list]:
    """Per sharded asset: its shard sub-tasks, in definition (shard) order."""
    out: dict[str, list] = {}
    for task in tasks.values():
        meta = task.meta or {}
        if meta.get("asset") and "shard" in meta:
            out.setdefault(meta["asset"], []).append(task)
    return out


def _targets_mtime(task) -> float | None:
    times = [os.path.getmtime(t) for t in task.targets if os.path.exists(t)]
    return max(times) if times else None


def _saved_task_ids(backend) -> set[str] | None:
    """Every task doit has saved state for, read in one query, and put in the backend's cache.

    doit's sqlite3 backend otherwise runs two queries per task; with a thousand shard sub-tasks
    that is most of the time `doit status` takes. None when the backend is not that one.
    """
    conn, cache = getattr(backend, "_conn", None), getattr(backend, "_cache", None)
    if conn is None or not isinstance(cache, dict):
        return None
    try:
        rows = conn.execute("select task_id, task_data from doit").fetchall()
    except Exception:  # another backend, or a layout this doit version does not use: ask per task
        return None
    saved = set()
    for row in rows:
        task_id, data = (row["task_id"], row["task_data"]) if isinstance(row, dict) else tuple(row)
        if isinstance(data, (str, bytes)):
            data = backend.codec.decode(data.decode() if isinstance(data, bytes) else data)
        cache.setdefault(task_id, data or {})
        saved.add(task_id)
    return saved


def compute_states(tasks: dict, dep_manager, history: History) -> list[AssetState]:
    """One row per asset (aggregates for sharded ones), each aggregate followed by its shard rows."""
    latest = history.latest()
    saved_ids = _saved_task_ids(dep_manager.backend)
    by_asset = shard_tasks(tasks)
    states: dict[str, AssetState] = {}  # assets (unsharded and aggregates) by name
    shard_states: dict[str, dict[str, AssetState]] = {}  # sharded asset -> shard label -> shard row
    rows: list[AssetState] = []
    for task in asset_level_tasks(tasks):
        meta = task.meta
        if "shards" not in meta:
            state = _leaf_state(task, tasks, dep_manager, latest, saved_ids)
            _propagate(state, states, shard_states, None)
            states[task.name] = state
            rows.append(state)
            continue
        leaves = {}
        for sub in by_asset.get(meta["asset"], []):
            leaf = _leaf_state(sub, tasks, dep_manager, latest, saved_ids)
            _propagate(leaf, states, shard_states, sub.meta["shard"])
            leaves[sub.meta["shard"]] = leaf
        aggregate = _aggregate(task, list(leaves.values()), latest)
        _apply_checks(aggregate, latest.get(f"{task.name}:checks", {}))
        states[task.name], shard_states[task.name] = aggregate, leaves
        rows.append(aggregate)
        rows.extend(leaves.values())
    return rows


def _leaf_state(task, tasks: dict, dep_manager, latest: dict, saved_ids: set[str] | None) -> AssetState:
    """The state of one task that does something: an unsharded asset or one shard of a sharded one."""
    meta = task.meta
    seen = latest.get(task.name, {})
    attempt, success = seen.get("attempt"), seen.get("success")
    state = AssetState(task.name, meta["group"], Freshness.FRESH, upstream=list(meta["upstream"]), asset=meta["asset"],
                       shard=meta.get("shard"))
    # before get_status, which caches an empty entry
    saved = task.name in saved_ids if saved_ids is not None else dep_manager.backend.in_(task.name)
    if success:
        state.last_materialized, state.last_duration = success.ended, success.duration
        state.metadata = {k: v for k, v in success.metadata.items() if k not in HIDDEN_METADATA}
    else:
        state.last_materialized = _targets_mtime(task) if saved else None
    checked = attempt if attempt and attempt.metadata.get("checks") else success
    state.checks = list(checked.metadata.get("checks", [])) if checked else []
    if attempt and attempt.status == TaskState.RUNNING:
        state.state, state.reason = Freshness.RUNNING, f"run {attempt.run_id}"
    elif attempt and attempt.status in ENDED_BADLY and (
            success is None or attempt.started > success.started):
        state.state, state.reason = Freshness.FAILED, f"{attempt.status} in run {attempt.run_id}"
        state.cause = attempt.status
    else:
        result = dep_manager.get_status(task, tasks, get_log=True)
        if not (saved or success):
            state.state, state.reason = Freshness.NEVER, "never materialized"
        elif result.status != TaskState.UP_TO_DATE:
            state.state, state.reason = Freshness.STALE, _reason(task, result, dep_manager)
            state.root = state.reason
            damaged = _damaged_output(task, result)
            if damaged:
                state.reason, state.cause = damaged, "an output is not what it wrote"
                state.root = state.cause
    state.cause = state.cause or state.reason
    return state


def _apply_checks(state: AssetState, seen: dict) -> None:
    """A sharded asset's checks run in their own task: their latest results, and a failed error check
    makes the asset failed (its downstream did not run)."""
    attempt, success = seen.get("attempt"), seen.get("success")
    latest = attempt if attempt and (success is None or attempt.started >= success.started) else success
    if latest is None:
        return
    state.checks = list(latest.metadata.get("checks", []))
    if latest.status == TaskState.FAILED and state.state in (Freshness.FRESH, Freshness.STALE):
        failed = [c["check"] for c in state.checks if c["status"] == "fail"] or ["its checks"]
        state.state = Freshness.FAILED
        state.reason = state.cause = f"error check {', '.join(failed)} failed in run {latest.run_id}"


def _propagate(state: AssetState, states: dict, shard_states: dict, shard: str | None) -> None:
    """A fresh leaf is stale when what it reads of an upstream asset is stale or never materialized."""
    if state.state != Freshness.FRESH:
        return
    for up in state.upstream:
        if up in shard_states:
            if shard is not None and shard in shard_states[up]:  # a shard reads the same shard
                upstream = shard_states[up][shard]
                if upstream.state in (Freshness.STALE, Freshness.NEVER):
                    because = f" ({upstream.root})" if upstream.root else ""
                    state.state, state.reason = Freshness.STALE, f"upstream {upstream.name} is {upstream.state}{because}"
                    state.cause, state.root = f"upstream {up} is {upstream.state}{because}", upstream.root
                    return
                continue
            # an unsharded asset (or a shard of another layout) reads every shard
            bad = [s for s in shard_states[up].values() if s.state in (Freshness.STALE, Freshness.NEVER)]
            if bad:
                never = all(s.state == Freshness.NEVER for s in bad)
                root = Counter(s.root for s in bad if s.root).most_common(1)
                because = f" ({root[0][0]})" if root else ""
                if len(bad) == len(shard_states[up]):
                    reason = f"upstream {up} is {'never' if never else 'stale'}{because}"
                else:
                    reason = (f"upstream {up} has {len(bad)} of {len(shard_states[up])} shards "
                              f"{'never materialized' if never else 'stale'}{because}")
                state.state, state.reason, state.cause = Freshness.STALE, reason, reason
                state.root = root[0][0] if root else ""
                return
        elif up in states and states[up].state in (Freshness.STALE, Freshness.NEVER):
            because = f" ({states[up].root})" if states[up].root else ""
            state.state, state.reason = Freshness.STALE, f"upstream {up} is {states[up].state}{because}"
            state.cause, state.root = state.reason, states[up].root
            return


def _aggregate(task, leaves: list[AssetState], latest: dict) -> AssetState:
    """Fold the shard rows of a sharded asset into one row (see the module docstring)."""
    meta = task.meta
    total = len(leaves)
    counts = Counter(leaf.state for leaf in leaves)
    state = AssetState(task.name, meta["group"], Freshness.FRESH, upstream=list(meta["upstream"]), asset=meta["asset"],
                       shards=total, shard_counts=dict(counts))
    times = [leaf.last_materialized for leaf in leaves if leaf.last_materialized is not None]
    state.last_materialized = max(times) if times else None
    materialized = [(leaf, latest[leaf.name]["success"]) for leaf in leaves
                    if latest.get(leaf.name, {}).get("success") is not None]
    state.last_duration = _latest_run_duration([success for _, success in materialized])
    state.metadata = summed_metadata([leaf.metadata for leaf, _ in materialized])
    if counts[Freshness.RUNNING]:
        runs = _runs_of(latest, [leaf for leaf in leaves if leaf.state == Freshness.RUNNING])
        state.state, state.reason = Freshness.RUNNING, f"{counts['running']} of {total} shards running in run {runs}"
    elif counts[Freshness.FAILED]:
        failed = [leaf for leaf in leaves if leaf.state == Freshness.FAILED]
        kinds = {leaf.cause for leaf in failed}
        word = kinds.pop() if len(kinds) == 1 else "failed or interrupted"
        state.state = Freshness.FAILED
        state.reason = f"{len(failed)} of {total} shards {word} in run {_runs_of(latest, failed)}"
    elif total and counts[Freshness.NEVER] == total:
        state.state, state.reason = Freshness.NEVER, "never materialized"
    elif counts[Freshness.STALE] or counts[Freshness.NEVER]:
        stale = [leaf for leaf in leaves if leaf.state in (Freshness.STALE, Freshness.NEVER)]
        causes = Counter(leaf.cause for leaf in stale).most_common()
        roots = Counter(leaf.root for leaf in stale if leaf.root).most_common(1)
        state.root = roots[0][0] if roots else ""
        state.state = Freshness.STALE
        state.reason = f"{len(stale)} of {total} shards stale: {causes[0][0]}"
        if len(causes) > 1:
            state.reason += f" (and {len(causes) - 1} other reason{'s' if len(causes) > 2 else ''})"
    state.cause = state.reason
    return state


def _runs_of(latest: dict, leaves: list[AssetState]) -> str:
    """The run of the latest attempt among these shards (and how many other runs, if several)."""
    attempts = [a for a in (latest.get(leaf.name, {}).get("attempt") for leaf in leaves) if a is not None]
    if not attempts:
        return "-"
    newest = max(attempts, key=lambda a: a.started).run_id
    others = len({a.run_id for a in attempts}) - 1
    return newest + (f" (and {others} earlier run{'s' if others > 1 else ''})" if others else "")


def _latest_run_duration(successes: list[TaskRecord]) -> float | None:
    """Summed duration of the shards materialized by the latest run that materialized any shard."""
    if not successes:
        return None
    run_id = max(successes, key=lambda s: s.ended or s.started).run_id
    durations = [s.duration for s in successes if s.run_id == run_id and s.duration is not None]
    return sum(durations) if durations else None


def _damaged_output(task, result) -> str | None:
    """The reason when the output ledger's check made the task stale (pipeline/storage.py)."""
    from pipeline.doit_tasks import NOT_AS_WRITTEN, outputs_as_written
    checks = [item[0] for item in result.reasons.get("uptodate_false", [])]
    if outputs_as_written in checks and task.name in NOT_AS_WRITTEN:
        path, why = NOT_AS_WRITTEN[task.name][0]
        return f"output {path} is not what it wrote ({why})"
    return None


def _reason(task, result, dep_manager) -> str:
    """Why doit would rerun the task, in words: what changed, when its saved state says."""
    from doit.tools import timeout

    from pipeline.doit_tasks import settings_changed, verify_in_target
    reasons = result.reasons
    failing = [item[0] for item in reasons.get("uptodate_false", [])]
    if failing:
        said = []
        for check in failing:
            if isinstance(check, settings_changed):
                said.append(check.describe(dep_manager.get_values(task.name)) or "code, settings or target changed")
            elif isinstance(check, timeout) and "success-time" in dep_manager.get_values(task.name):
                said.append(f"older than {check.limit_sec / 3600:g} h (a live source is fetched again after that)")
            elif check is verify_in_target:
                said.append("its target no longer holds its last load")
        return "; ".join(dict.fromkeys(said)) or "code, settings or target changed"
    for key, text in (("changed_file_dep", "input changed"), ("missing_target", "output missing"),
                      ("missing_file_dep", "input missing"), ("added_file_dep", "inputs changed"),
                      ("removed_file_dep", "inputs changed")):
        if reasons.get(key):
            return text
    return result.status


def job_states(tasks: dict, states: list[AssetState]) -> list[JobState]:
    """Per job: how many of its assets (aggregates for sharded ones, never shards) are in each state."""
    by_name = {s.name: s for s in states if s.shard is None}
    jobs = []
    for task in tasks.values():
        if (task.meta or {}).get("job"):
            members = [d for d in task.task_dep if d in by_name]
            counts: dict[str, int] = {}
            for name in members:
                counts[by_name[name].state] = counts.get(by_name[name].state, 0) + 1
            jobs.append(JobState(task.name, members, counts))
    return jobs


def select(states: list[AssetState], jobs: list[JobState], pattern: str | None, group: str | None,
           state: str | None, shards: bool = False) -> list[AssetState]:
    """The rows to show: one per asset, plus shard rows with `shards` or a PATTERN naming a shard (`:`)."""
    if not (shards or (pattern and ":" in pattern)):
        states = [s for s in states if s.shard is None]
    if group:
        members = {n for j in jobs if j.name == group for n in j.assets}
        states = [s for s in states if s.group == group or s.asset in members]
    if pattern:
        states = [s for s in states if fnmatch.fnmatch(s.name, pattern) or pattern in s.name]
    if state:
        states = [s for s in states if s.state == state]
    return states


def ago(timestamp: float | None, now: float | None = None) -> str:
    if timestamp is None:
        return "-"
    seconds = max(0, (now or time.time()) - timestamp)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return f"{int(seconds)}s ago"


def paint(text: str, state: str, color: bool) -> str:
    return f"\x1b[{COLORS[state]}m{text}\x1b[0m" if color else text


def render(states: list[AssetState], jobs: list[JobState], color: bool, now: float | None = None) -> str:
    rows = [("ASSET", "GROUP", "STATE", "LAST MATERIALIZED", "DURATION", "DETAILS")]
    for s in states:
        label = s.state + ("*" if s.state == Freshness.STALE else "")
        details = " ".join(f"{k}={v}" for k, v in s.metadata.items()) if s.state == Freshness.FRESH else s.reason
        if s.shards is not None and s.state == Freshness.FRESH:
            details = f"{s.shards} shards: {details}".rstrip(": ")
        if s.checks and s.shard is None:
            details += f"; checks: {check_summary(s.checks)}"
        duration = f"{s.last_duration:.1f}s" if s.last_duration is not None else "-"
        rows.append((s.name, s.group, label, ago(s.last_materialized, now), duration, details))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for index, row in enumerate(rows):
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:5])]
        if index:
            cells[2] = paint(cells[2], states[index - 1].state, color)
        lines.append("  ".join(cells + [row[5]]).rstrip())
    for job in jobs:
        summary = ", ".join(f"{n} {state}" for state, n in sorted(job.counts.items()))
        lines.append(f"job {job.name}: {len(job.assets)} assets ({summary})")
    return "\n".join(lines)
