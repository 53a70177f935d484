"""`doit status`: one row per asset with its state, and the JSON document the UI reads."""

from __future__ import annotations

import json

from doit.cmd_base import DoitCmdBase

from pipeline.cli.base import OptionsAnywhere, format_option, opt, run_history
from pipeline.runs import status
from pipeline.runs.console import use_color


class Status(OptionsAnywhere, DoitCmdBase):
    name = "status"
    doc_purpose = "one row per asset: state (fresh/stale/failed/running/never), last materialization, metadata"
    doc_usage = "[PATTERN]"
    doc_description = ("Staleness propagates downstream, shard by shard. A sharded asset is one row summing its "
                       "shards; --shards (or a PATTERN with ':', e.g. 'hf_models_normalized:00*') lists the shards "
                       "too. Colors on a terminal; plain when piped or NO_COLOR is set.")
    cmd_options = (opt("group", None, "only assets of this group or job"),
                   opt("state", None, "only assets in this state", choices=status.STATES),
                   opt("shards", False, "also one row per shard of sharded assets", kind=bool),
                   format_option("text", "json"))

    def _execute(self, pos_args=None, group=None, state=None, shards=False, format="text"):
        tasks = {t.name: t for t in self.task_list}
        history = run_history()
        try:
            states = status.compute_states(tasks, self.dep_manager, history)
        finally:
            history.close()
            self.dep_manager.close()
        jobs = status.job_states(tasks, states)
        chosen = status.select(states, jobs, pos_args[0] if pos_args else None, group, state, shards)
        shown_jobs = [j for j in jobs if not group or j.name == group or group in tasks[j.name].meta["groups"]]
        if format == "json":
            self.outstream.write(json.dumps(status_document(tasks, chosen, shown_jobs), default=str) + "\n")
            return 0
        self.outstream.write(status.render(chosen, shown_jobs, use_color(self.outstream)) + "\n")
        return 0


def status_document(tasks: dict, rows: list, jobs: list) -> dict:
    """`doit status --format json`: the AssetState rows (with description and files), the jobs."""
    from dataclasses import asdict

    files: dict[str, list[str]] = {}
    for task in tasks.values():
        meta = task.meta or {}
        if meta.get("asset"):
            files.setdefault(meta["asset"], []).extend(task.targets)
    assets = []
    for row in rows:
        item = asdict(row)
        item.pop("cause", None)
        item.pop("root", None)
        if row.shard is None:
            item["description"] = tasks[row.name].doc if row.name in tasks else ""
            item["files"] = files.get(row.asset, [])
        else:
            item["description"], item["files"] = "", list(tasks[row.name].targets) if row.name in tasks else []
        assets.append(item)
    return {"assets": assets,
            "jobs": [{"name": j.name, "assets": j.assets, "counts": j.counts,
                      "description": tasks[j.name].doc or ""} for j in jobs]}
