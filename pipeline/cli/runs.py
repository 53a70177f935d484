"""`doit runs [RUN_ID]`: recent runs, or one run asset by asset."""

from __future__ import annotations

import re
import time

from doit.exceptions import InvalidCommand

from pipeline.cli.base import PipelineCommand, opt, run_history
from pipeline.runs import grouping, status
from pipeline.runs.console import asset_line, main_figure, summary_parts, use_color
from pipeline.runs.states import ENDED_BADLY, TaskState
from pipeline.runs.history import History


RUN_ID = re.compile(r"^\d{8}-\d{6}(-\d+)?$")


def run_groups(history: History, run_id: str) -> tuple[list, list[dict]]:
    """A run's task records, and them grouped by asset (pipeline/runs/grouping.py)."""
    records = history.tasks(run_id)
    return records, grouping.group_run(records)


def run_line(run, groups: list[dict]) -> str:
    """One run in `doit runs`: id, status, when, how long, what it did to its assets."""
    counts = grouping.summarize(groups)
    duration = f"{run.duration:.1f}s" if run.duration is not None else "-"
    head = f"{run.id}  {run.status:<11}  {status.ago(run.started):>8}  {duration:>7}"
    if not groups:
        return f"{head}  no assets"
    done = counts["built"] + counts["checked"] + counts["failed"] + counts["interrupted"] + counts["running"]
    assets = f"{counts['assets']} asset{'s' * (counts['assets'] != 1)}"
    if not done and counts["up_to_date"] == counts["assets"]:
        return f"{head}  nothing to do: {assets} up to date"
    line = f"{head}  {assets}: {', '.join(summary_parts(counts))}{main_figure(counts)}"
    failed = [g["asset"] for g in groups if g["status"] in ENDED_BADLY]
    if failed:
        worst = TaskState.FAILED if any(g["status"] == TaskState.FAILED for g in groups) else TaskState.INTERRUPTED
        line += f" - {worst}: {', '.join(failed)}"
    return line


class Runs(PipelineCommand):
    name = "runs"
    doc_purpose = "recent runs and what they did to each asset; `doit runs RUN_ID` for one run's assets and shards"
    doc_usage = "[RUN_ID]"
    doc_description = ("Without RUN_ID: one line per run (status, age, duration, assets built / up to date / failed). "
                       "With RUN_ID (or a unique prefix): one line per asset of that run, its shard tasks counted by "
                       "state, with the slowest shards and every failure.")
    cmd_options = (opt("limit", 10, "how many runs", kind=int, short="n"),)

    def execute(self, params, args):
        history = run_history()
        try:
            if args:
                return self._one(history, args[0])
            for run in history.runs(params["limit"]):
                self.outstream.write(run_line(run, run_groups(history, run.id)[1]) + "\n")
        finally:
            history.close()
        return 0

    def _one(self, history: History, run_id: str) -> int:
        try:
            run = history.run(run_id)
        except LookupError as exc:
            raise InvalidCommand(str(exc)) from None
        if run is None:
            raise InvalidCommand(f"no run {run_id} in the run history - `doit runs` lists them")
        groups = run_groups(history, run.id)[1]
        color = use_color(self.outstream)
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(run.started))
        duration = f"{run.duration:.1f} s" if run.duration is not None else "still running"
        self.outstream.write(f"run {run.id}  {run.status}  started {when}  {duration}  "
                         f"doit {' '.join(run.argv[1:])}".rstrip() + "\n")
        width = max((len(g["asset"]) for g in groups), default=0)
        for group in groups:
            self.outstream.write(asset_line(group, width, color) + "\n")
            if group["sharded"] and group["slowest"] and group["built"]:
                slowest = ", ".join(f"{s['shard']} {s['seconds']:.2f} s" for s in group["slowest"])
                self.outstream.write(f"    slowest shards: {slowest}; task time {group['task_seconds']:.1f} s\n")
            for failure in group["failures"]:
                self.outstream.write(f"    {failure['status'].upper()} {failure['name']}: {failure['error']}\n")
        for at, event in history.events(run.id):
            self.outstream.write(f"-- {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(at))} {event}\n")
        if not groups:
            self.outstream.write("no assets: the run recorded no task\n")
        return 0
