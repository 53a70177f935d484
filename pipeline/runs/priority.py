"""The order a parallel run hands out ready tasks: the one with the longest chain of work behind it first.

doit hands ready tasks out first come, first served, and which come first is set order: the tasks
waiting on one are kept in a set. In a 1% rebuild at 100k models the chain base models -> lineage ->
entities -> search index started behind 256 JSON-LD shards: it filled the run's last 17 s, one worker
idle for most of them. Here a task's rank is its asset's seconds per task in the last run that built it
(1 when no run did) plus the highest rank among the assets that read it: the critical path first.
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


def ranks(registry: Registry, seconds: dict[str, float]) -> dict[str, float]:
    """Asset -> its cost (`seconds`, else 1) plus the highest rank of the assets that read it."""
    readers = {asset.name: registry.downstream(asset.name) for asset in registry}
    out: dict[str, float] = {}

    def rank(name: str) -> float:
        if name not in out:
            out[name] = seconds.get(name, 1.0) + max((rank(r) for r in readers[name]), default=0.0)
        return out[name]

    for asset in registry:
        rank(asset.name)
    _cheaper_first(registry, seconds, out)
    return out


def _cheaper_first(registry: Registry, seconds: dict[str, float], out: dict[str, float]) -> None:
    """Within each group of assets sharing an exclusive target, all but the costliest rank above the
    group's highest, the cheapest highest. Without recorded seconds, one reading a sharded asset is
    taken as the costlier (the Hub's loaders read every shard, the other platforms' one file)."""
    groups: dict[str, list[str]] = {}
    for asset in registry:
        if asset.exclusive:
            groups.setdefault(asset.exclusive, []).append(asset.name)

    def reads_shards(name: str) -> bool:
        return any(o.sharded for up in registry[name].upstream for o in registry[up].outputs.values())

    for names in groups.values():
        by_cost = sorted(names, key=lambda n: (seconds.get(n, 1.0), reads_shards(n)))
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
        ranked = _ranks_for(tasks)
        if ranked:
            selected_tasks = sorted(selected_tasks, key=lambda name: -task_rank(tasks[name].meta, ranked))
        init(self, tasks, targets, selected_tasks)
        if ranked:
            self.ready = RankedQueue(ranked)

    ranked_init.critical_path_first = True
    TaskDispatcher.__init__ = ranked_init


def _ranks_for(tasks: dict) -> dict[str, float]:
    """The ranks of the assets of the registry the tasks name ({} when no task names one)."""
    from pipeline.config import load_settings
    from pipeline.registry import load_registry

    ref = next((t.meta["registry"] for t in tasks.values() if (t.meta or {}).get("registry")), None)
    if ref is None:
        return {}
    return ranks(load_registry(ref), seconds_per_task(load_settings().paths.run_history))
