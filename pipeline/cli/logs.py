"""`doit logs [RUN] [ASSET]`: what a run's tasks printed, grouped by asset."""

from __future__ import annotations

import json
import time

from doit.exceptions import InvalidCommand

from pipeline.checks import render as check_lines
from pipeline.cli.base import PipelineCommand, run_history
from pipeline.cli.runs import RUN_ID, run_groups
from pipeline.runs import grouping
from pipeline.runs.console import shards_text, word_of
from pipeline.runs.history import History
from pipeline.runs.states import ENDED_BADLY, TaskState


class Logs(PipelineCommand):
    name = "logs"
    doc_purpose = "what a run's tasks printed, by asset: `doit logs` (last run), `doit logs ASSET`, `doit logs RUN [ASSET]`"
    doc_usage = "[RUN] [ASSET]"
    doc_description = ("Without arguments: the last run that built or failed something, its failed assets (else the "
                       "assets it built). ASSET is an asset name (all its shards, grouped) or one task "
                       "(`hf_models_normalized:017`); without RUN, the latest run that built it or failed on it.")
    cmd_options = ()

    def execute(self, params, args):
        history = run_history()
        try:
            run_id, asset, note = self._resolve(history, list(args))
            if note:
                self.outstream.write(note + "\n")
            records, groups = run_groups(history, run_id)
            if asset:
                chosen = [g for g in groups if g["asset"] == asset.split(":")[0]]
                if ":" in asset:
                    records = [r for r in records if r.name == asset]
                if not chosen or not records:
                    raise InvalidCommand(f"{asset} did not run in run {run_id} - `doit runs {run_id}` lists its assets")
            else:  # what failed; else, in a run that failed before running anything, what has an error;
                # else what it built
                chosen = [g for g in groups if g["status"] in ENDED_BADLY] or \
                    [g for g in groups if any(r.error for r in records if grouping.split_name(r.name)[0] == g["asset"])
                     and history.run(run_id).status == TaskState.FAILED] or \
                    [g for g in groups if g["status"] in (TaskState.SUCCESS, TaskState.RUNNING)]
            for at, event in history.events(run_id):  # e.g. a cancel from the UI and the signals it sent
                self.outstream.write(f"-- {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(at))} {event}\n")
            by_name = {r.name: r for r in records}
            for group in chosen:
                names = [t["name"] for t in group["tasks"] if t["name"] in by_name]
                if asset and ":" in asset:
                    names = [asset]
                self._show_group(run_id, group, [by_name[n] for n in names], single=bool(asset and ":" in asset))
        finally:
            history.close()
        return 0

    def _show_task(self, run_id: str, record) -> None:
        duration = f"{record.duration:.2f}s" if record.duration is not None else "-"
        self.outstream.write(f"== {record.name} ({record.status}, {duration}) in run {run_id}\n")
        shown = {k: v for k, v in record.metadata.items() if k != "checks"}
        if shown:
            self.outstream.write("metadata: " + json.dumps(shown, sort_keys=True) + "\n")
        if record.metadata.get("checks"):
            self.outstream.write("-- checks\n" + check_lines(record.metadata["checks"]) + "\n")
        for title, text in (("stdout", record.stdout), ("stderr", record.stderr), ("error", record.error)):
            if text:
                self.outstream.write(f"-- {title}\n{text.rstrip()}\n")

    def _show_group(self, run_id: str, group: dict, records: list, single: bool) -> None:
        """An unsharded asset (or one task) as its task; a sharded asset as one header with what its shards
        add up to, then only the shard tasks that printed something or failed."""
        if single or not group["sharded"]:
            for record in records:
                self._show_task(run_id, record)
            return
        word = word_of(group)
        took = f", {group['wall_seconds']:.2f}s" if group["wall_seconds"] is not None else ""
        self.outstream.write(f"== {group['asset']} ({word}, {shards_text(group)}{took}) in run {run_id}\n")
        if group["metadata"]:
            self.outstream.write("metadata: " + json.dumps(group["metadata"], sort_keys=True) + " (summed over the shards "
                             "built)\n")
        if group["checks"]:
            self.outstream.write(f"-- checks ({group['asset']}:checks)\n" + check_lines(group["checks"]) + "\n")
        loud = [r for r in records if r.stdout or r.stderr or r.error or r.status in ENDED_BADLY]
        quiet = [r for r in records if r not in loud and r.status in (TaskState.SUCCESS, TaskState.RUNNING)]
        for record in loud:
            self._show_task(run_id, record)
        if quiet:
            slowest = ", ".join(f"{s['shard']} {s['seconds']:.2f}s" for s in group["slowest"])
            self.outstream.write(f"-- {len(quiet)} other task(s) of {group['asset']} printed nothing"
                             + (f" (slowest shards: {slowest})" if slowest else "") + "\n")

    @staticmethod
    def _resolve(history: History, args: list[str]) -> tuple[str, str | None, str | None]:
        """(run id, asset or task name or None, a line to say first or None) from `[RUN] [ASSET]`."""
        if len(args) > 2:
            raise InvalidCommand("give at most a run id and an asset: doit logs [RUN] [ASSET]")
        run = None
        if args:
            try:
                run = history.run(args[0])
            except LookupError as exc:
                raise InvalidCommand(str(exc)) from None
            if run is not None:
                args = args[1:]
            elif RUN_ID.match(args[0]) or len(args) == 2:
                raise InvalidCommand(f"no run {args[0]} in the run history - `doit runs` lists them")
        if run is not None:
            return run.id, (args[0] if args else None), None
        if args:  # an asset (or a task) without a run: the latest run that built it or failed on it
            found = history.latest_run_of(args[0], include_parts=":" not in args[0])
            if found is None:
                if history.mentions(args[0], include_parts=":" not in args[0]):
                    raise InvalidCommand(f"no recorded run built {args[0]} or failed on it (every run found it up "
                                         "to date)")
                raise InvalidCommand(f"no run or asset {args[0]!r} in the run history - `doit runs` lists runs, "
                                     "`doit list` assets")
            return found, args[0], None
        latest = history.run()
        if latest is None:
            raise InvalidCommand("no runs recorded yet: run `doit` first")
        if history.did_something(latest.id):
            return latest.id, None, None
        previous = history.last_run_that_did_something()
        if previous is None:
            raise InvalidCommand(f"the last run, {latest.id}, had nothing to do (every asset was up to date), and no "
                                 "recorded run built anything yet")
        return previous, None, (f"-- the last run, {latest.id}, had nothing to do (every asset was up to date); "
                                f"showing {previous}, the last run that built or failed something")
