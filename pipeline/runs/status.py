"""Asset states at a glance, Dagster-style: fresh, stale, failed, running or never materialized.

doit decides whether each task would run (code fingerprint, settings, input digests, missing
outputs, receipts in the targets); the run history says what failed, what is running and when each
asset last materialized. Staleness propagates: an asset whose upstream is stale or was never
built is stale too, which `doit list -s` does not show.
"""

from __future__ import annotations

import fnmatch
import os
import time
from dataclasses import dataclass, field

from pipeline.runs.history import History

STATES = ("fresh", "stale", "failed", "running", "never")
COLORS = {"fresh": "32", "stale": "38;5;208", "failed": "31", "running": "33", "never": "90"}
HIDDEN_METADATA = {"seconds", "changed_outputs", "target"}


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


@dataclass
class JobState:
    name: str
    assets: list[str]
    counts: dict[str, int]


def asset_tasks(tasks: dict) -> list:
    """The tasks that are assets (doit tasks carrying `meta.asset`), in definition order."""
    return [t for t in tasks.values() if (t.meta or {}).get("asset")]


def _targets_mtime(task) -> float | None:
    times = [os.path.getmtime(t) for t in task.targets if os.path.exists(t)]
    return max(times) if times else None


def compute_states(tasks: dict, dep_manager, history: History) -> list[AssetState]:
    latest = history.latest()
    states: dict[str, AssetState] = {}
    for task in asset_tasks(tasks):
        meta = task.meta
        seen = latest.get(task.name, {})
        attempt, success = seen.get("attempt"), seen.get("success")
        state = AssetState(task.name, meta["group"], "fresh", upstream=list(meta["upstream"]))
        saved = dep_manager.backend.in_(task.name)  # before get_status, which caches an empty entry
        if success:
            state.last_materialized, state.last_duration = success.ended, success.duration
            state.metadata = {k: v for k, v in success.metadata.items() if k not in HIDDEN_METADATA}
        else:
            state.last_materialized = _targets_mtime(task) if saved else None
        if attempt and attempt.status == "running":
            state.state, state.reason = "running", f"run {attempt.run_id}"
        elif attempt and attempt.status in ("failed", "interrupted") and (
                success is None or attempt.started > success.started):
            state.state, state.reason = "failed", f"{attempt.status} in run {attempt.run_id}"
        else:
            result = dep_manager.get_status(task, tasks, get_log=True)
            if not (saved or success):
                state.state, state.reason = "never", "never materialized"
            elif result.status != "up-to-date":
                state.state, state.reason = "stale", _reason(result)
        if state.state == "fresh":
            for up in state.upstream:
                if up in states and states[up].state in ("stale", "never"):
                    state.state, state.reason = "stale", f"upstream {up} is {states[up].state}"
                    break
        states[task.name] = state
    return list(states.values())


def _reason(result) -> str:
    reasons = result.reasons
    if reasons.get("uptodate_false"):
        return "code, settings or target changed"
    for key, text in (("changed_file_dep", "input changed"), ("missing_target", "output missing"),
                      ("missing_file_dep", "input missing"), ("added_file_dep", "inputs changed"),
                      ("removed_file_dep", "inputs changed")):
        if reasons.get(key):
            return text
    return result.status


def job_states(tasks: dict, states: list[AssetState]) -> list[JobState]:
    by_name = {s.name: s for s in states}
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
           state: str | None) -> list[AssetState]:
    if group:
        members = {n for j in jobs if j.name == group for n in j.assets}
        states = [s for s in states if s.group == group or s.name in members]
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
        label = s.state + ("*" if s.state == "stale" else "")
        details = " ".join(f"{k}={v}" for k, v in s.metadata.items()) if s.state == "fresh" else s.reason
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
