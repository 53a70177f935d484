"""Where a project keeps what is not an asset output: the one owner of that part of the `data/` layout.

Asset outputs are declared with their assets (`pipeline/assets.py`); everything else the pipeline
writes under the project (run history, run lock, doit's state, embedded targets' files, logs of runs
started by the UI or the scheduler) is named here, so a move is one edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA = "data"
STATE = f"{DATA}/.doit"  # doit's dependency file is STATE/deps.sqlite3: pyproject.toml [tool.doit] dep_file says so too


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / DATA

    @property
    def state(self) -> Path:
        """doit's own state and the pipeline's bookkeeping about outputs (never an output itself)."""
        return self.root / STATE

    @property
    def dep_file(self) -> Path:
        return self.state / "deps.sqlite3"

    @property
    def output_ledger(self) -> Path:
        return self.state / "outputs.sqlite3"

    @property
    def code_fingerprints(self) -> Path:
        return self.state / "code-fingerprints.json"

    @property
    def run_history(self) -> Path:
        """Runs, their tasks and events, and the schedules' fires (pipeline/runs/history.py, schedules.py)."""
        return self.data / "runs.sqlite3"

    @property
    def run_lock(self) -> Path:
        return self.data / "run.lock"

    @property
    def run_holder(self) -> Path:
        """Who holds the run lock (pid, run id, arguments)."""
        return self.data / "run.json"

    @property
    def graph(self) -> Path:
        """The embedded graph target's database and server files."""
        return self.data / "graph"

    @property
    def search_index(self) -> Path:
        """The embedded search target's index."""
        return self.data / "search" / "hf_models"

    @property
    def sparql_store(self) -> Path:
        return self.data / "sparql" / "store"

    @property
    def ui_logs(self) -> Path:
        """The console output of runs the UI started."""
        return self.data / "ui"

    def schedule_log(self, schedule: str) -> Path:
        return self.data / f"schedule-{schedule}.log"

    @property
    def env_file(self) -> Path:
        """The sticky source settings (`HF_HUB_OFFLINE=1 doit` once: later commands use the same source)."""
        return self.root / ".env"
