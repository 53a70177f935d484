"""doit reporter plugin: doit's console output, with failures a user can act on in one line.

Declared in `pyproject.toml` `[tool.doit.plugins.reporter]`; doit imports it before `dodo.py`, so it
lives in the installed package.
"""

from __future__ import annotations

import re

from doit.exceptions import DependencyError, TaskFailed
from doit.reporter import ConsoleReporter

from pipeline.registry import missing_input_message

_MISSING_FILE = re.compile(r"Dependent file '(?P<path>[^']+)' does not exist")


class PipelineReporter(ConsoleReporter):
    desc = "console output with one-line, actionable failures (mlentory)"

    def __init__(self, outstream, options):
        super().__init__(outstream, options)
        self._producer_of: dict[str, str] = {}
        self._executed = 0
        self._uptodate = 0

    def initialize(self, tasks, selected_tasks):
        super().initialize(tasks, selected_tasks)
        self._producer_of = {target: task.name for task in tasks.values() for target in task.targets}

    def execute_task(self, task):
        super().execute_task(task)
        self._executed += bool(task.actions)

    def skip_uptodate(self, task):
        super().skip_uptodate(task)
        self._uptodate += bool(task.actions)

    def explain(self, task, fail) -> str | None:
        """One line for failures we understand; None means show doit's full report."""
        if isinstance(fail, DependencyError):
            match = _MISSING_FILE.search(fail.message)
            if match:
                return missing_input_message(task.name, match["path"], self._producer_of.get(match["path"]))
        if isinstance(fail, TaskFailed) and not fail.traceback:
            return fail.message
        return None

    def add_failure(self, task, fail):
        line = self.explain(task, fail)
        if line is None:
            super().add_failure(task, fail)
            return
        self.failures.append({"task": task, "exception": fail, "explained": True})
        self.write(f"FAILED {line}\n")

    def complete_run(self):
        # Explained failures were already printed as one line; doit would repeat them with captured output.
        explained = [f for f in self.failures if f.get("explained")]
        self.failures = [f for f in self.failures if not f.get("explained")]
        super().complete_run()
        if not (self._executed or explained or self.failures or self.runtime_errors):
            self.write(f"Nothing to do: all {self._uptodate} selected assets are up to date.\n")
