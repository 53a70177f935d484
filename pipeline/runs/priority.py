"""The order a parallel run hands out ready tasks: the one with the longest chain of work behind it first.

doit hands ready tasks out first come, first served, and which come first is set order: the tasks
waiting on one are kept in a set. In a 1% rebuild at 100k models the chain base models -> lineage ->
entities -> search index started behind 256 JSON-LD shards: it filled the run's last 17 s, one worker
idle for most of them. Here a task's rank is its asset's seconds per task in the last run that built it
(when no run did: 1, or the shard count for a task that reads every shard of an asset) plus the highest
rank among the assets that read it and that the run builds: the critical path first.
Which tasks run, and what each waits for, is doit's as before; only the choice among ready ones changes.

Assets that write a target one at a time (`Asset.exclusive`: the search index's writer lock) rank, the
cheaper first, above the costliest of them: in a 2M-model build the OpenML and bioimage.io search loads
(a second each) were handed out after the Hub's (142 s) and held a worker 79-110 s waiting for its lock.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from pathlib import Path

from pipeline.registry import Registry


def seconds_per_task(history_file: Path) -> dict[str, float]:
    """Per asset: its seconds per task in the latest recent run in which its tasks succeeded ({} when
    there is no history yet, or it stays locked by a writer for over a second)."""
    from pipeline.runs.history import History

    history = History.reader(history_file, timeout=1)
    if history is None:
        return {}
    try:
        return history.seconds_per_task()
    except sqlite3.Error:
        return {}
    finally:
        history.close()


def ranks(registry: Registry, seconds: dict[str, float], shards: int = 1,
          within: set[str] | None = None) -> dict[str, float]:
    """Asset -> its cost plus the highest rank of the assets that read it (of those `within`, the run's:
    an asset the run does not build lends no rank). The cost is the asset's recorded seconds per task;
    without them 1, or `shards` for a task that reads every shard of an asset (the whole catalog: in a
    first build at 2M models the entities and the search load, ranked like one JSON-LD shard, waited
    behind all 256 and the search load ran alone at the end, ~100 s)."""
    readers = {asset.name: [r for r in registry.downstream(asset.name) if within is None or r in within]
               for asset in registry}
    out: dict[str, float] = {}

    def rank(name: str) -> float:
        if name not in out:
            out[name] = _cost(registry, seconds, shards, name) + max((rank(r) for r in readers[name]), default=0.0)
        return out[name]

    for asset in registry:
        rank(asset.name)
    _cheaper_first(registry, seconds, shards, out)
    return out


def _reads_every_shard(registry: Registry, name: str) -> bool:
    asset = registry[name]
    return not asset.sharded and any(o.sharded for up in asset.upstream for o in registry[up].outputs.values())


def _cost(registry: Registry, seconds: dict[str, float], shards: int, name: str) -> float:
    if name in seconds:
        return seconds[name]
    return float(shards) if _reads_every_shard(registry, name) else 1.0


def _cheaper_first(registry: Registry, seconds: dict[str, float], shards: int, out: dict[str, float]) -> None:
    """Within each group of assets sharing an exclusive target, all but the costliest rank above the
    group's highest, the cheapest highest (costs as in `ranks`: without recorded seconds, the Hub's
    loaders, which read every shard, are the costlier; ties keep the registry's order)."""
    groups: dict[str, list[str]] = {}
    for asset in registry:
        if asset.exclusive:
            groups.setdefault(asset.exclusive, []).append(asset.name)

    for names in groups.values():
        by_cost = sorted(names, key=lambda n: (_cost(registry, seconds, shards, n), _reads_every_shard(registry, n)))
        top = max(out[n] for n in names)
        for place, name in enumerate(by_cost[:-1]):
            out[name] = top + (len(by_cost) - 1 - place) / 1000


def task_rank(meta: dict | None, ranked: dict[str, float]) -> float:
    """A doit task's rank from the meta `pipeline.doit_tasks` gives it: its asset's (a checks task's
    asset's); 0 for a job or a task of no asset."""
    meta = meta or {}
    return ranked.get(meta.get("asset") or meta.get("checks_of") or "", 0.0)


class RankedQueue:
    """doit's queue of ready tasks (it only appends, pops from the left and asks whether any is left),
    handing out the highest rank first and, within a rank, the first come."""

    def __init__(self, ranked: dict[str, float]):
        self.ranked = ranked
        self._by_rank: dict[float, deque] = {}
        self._count = 0

    def append(self, node) -> None:
        self._by_rank.setdefault(task_rank(node.task.meta, self.ranked), deque()).append(node)
        self._count += 1

    def popleft(self):
        if not self._count:
            raise IndexError("pop from an empty queue")
        queue = self._by_rank[max(rank for rank, nodes in self._by_rank.items() if nodes)]
        self._count -= 1
        return queue.popleft()

    def __len__(self) -> int:
        return self._count


def prefer_critical_path() -> None:
    """doit 0.37's task dispatcher, given the run's tasks and the selected ones, takes up the selected
    ones highest rank first (that is the order it first meets tasks in) and keeps its ready tasks in a
    `RankedQueue`. The ranks come from the registry the tasks name and the project's run history."""
    from doit.control import TaskDispatcher

    if getattr(TaskDispatcher.__init__, "critical_path_first", False):
        return
    init = TaskDispatcher.__init__

    def ranked_init(self, tasks, targets, selected_tasks):
        ranked = _ranks_for(tasks, selected_tasks)
        if ranked:
            selected_tasks = sorted(selected_tasks, key=lambda name: -task_rank(tasks[name].meta, ranked))
        init(self, tasks, targets, selected_tasks)
        if ranked:
            self.ready = RankedQueue(ranked)

    ranked_init.critical_path_first = True
    TaskDispatcher.__init__ = ranked_init


def _ranks_for(tasks: dict, selected: list[str]) -> dict[str, float]:
    """The ranks of the assets of the registry the tasks name ({} when no task names one)."""
    from pipeline.config import load_settings
    from pipeline.registry import load_registry

    ref = next((t.meta["registry"] for t in tasks.values() if (t.meta or {}).get("registry")), None)
    if ref is None:
        return {}
    registry, settings = load_registry(ref), load_settings()
    return ranks(registry, seconds_per_task(settings.paths.run_history), len(settings.shard_labels),
                 _run_assets(registry, tasks, selected))


def _run_assets(registry: Registry, tasks: dict, selected: list[str]) -> set[str] | None:
    """The assets a run of the selected tasks may build: theirs (a job's, a checks task's) and everything
    upstream of them; None (all) when a selected task is none of those."""
    wanted: set[str] = set()
    assets, jobs = {a.name for a in registry}, {job.name: job for job in registry.jobs}
    for name in selected:
        meta = (tasks[name].meta or {}) if name in tasks else {}
        asset = meta.get("asset") or meta.get("checks_of")
        if asset in assets:
            wanted.add(asset)
        elif meta.get("job") in jobs:
            wanted.update(registry.job_assets(jobs[meta["job"]]))
        else:
            return None
    todo = list(wanted)
    while todo:
        for up in registry[todo.pop()].upstream:
            if up not in wanted:
                wanted.add(up)
                todo.append(up)
    return wanted
