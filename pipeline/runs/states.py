"""The states the run history and `doit status` speak of, as types (their values are what is stored and shown).

A task (and a run) is RUNNING until it ends in one of the final states; a run whose process is gone while
it still says RUNNING is INTERRUPTED (pipeline/runs/history.py decides that, for every reader). An asset's
freshness is what `doit status` derives from those and from doit's up-to-date checks.
"""

from __future__ import annotations

from enum import StrEnum


class TaskState(StrEnum):
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    UP_TO_DATE = "up-to-date"
    SKIPPED = "skipped"  # not run: something it needs failed, or the run ended first
    INTERRUPTED = "interrupted"


FINAL = (TaskState.SUCCESS, TaskState.FAILED, TaskState.UP_TO_DATE, TaskState.SKIPPED, TaskState.INTERRUPTED)
ENDED_BADLY = (TaskState.FAILED, TaskState.INTERRUPTED)
RAN = (TaskState.SUCCESS, TaskState.FAILED, TaskState.INTERRUPTED, TaskState.RUNNING)  # it did (or does) work


class Freshness(StrEnum):
    FRESH = "fresh"
    STALE = "stale"
    FAILED = "failed"
    RUNNING = "running"
    NEVER = "never"
