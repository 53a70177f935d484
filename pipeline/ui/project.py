"""One project as the UI sees it: its asset states (a `doit status` subprocess), its run history, and
the run it is running.

Nothing here loads dodo.py or runs doit in this process (doit swaps sys.stdout and changes the
working directory). A run started from the UI is its own `doit` process, one at a time per project
(the run lock of pipeline/runs/lock.py), recorded by the run history like any CLI run and
cancellable: SIGINT, then SIGTERM, then SIGKILL, each after a grace period (pipeline/runs/stop.py),
every step recorded in the run's history.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from pipeline.runs import lock as run_lock
from pipeline.runs import stop
from pipeline.paths import Paths
from pipeline.runs.history import History

# seconds a `doit status --format json` answer is reused when no page watches the project (while one
# does, the answer is kept until a file changes: pipeline/ui/live.py)
STATUS_TTL = 2.0
CANCEL_GRACE_S = 10.0  # seconds between SIGINT, SIGTERM and SIGKILL when cancelling a run


class RunInProgress(Exception):
    pass


class Project:
    """One project root: its status (via a doit subprocess), its history, and the run it is running."""

    def __init__(self, root: Path, env: dict | None = None, doit: list[str] | None = None,
                 cancel_grace_s: float = CANCEL_GRACE_S):
        self.root = Path(root).resolve()
        self.cancel_grace_s = cancel_grace_s
        self._cancelling: dict[str, threading.Thread] = {}
        self.env = dict(env if env is not None else os.environ)
        self.doit = doit or [sys.executable, "-m", "doit"]
        self._status_lock = threading.Lock()
        self._status: tuple[float, float, dict] | None = None  # (begun, ended, document)
        self.status_trusted = False  # set while the live watcher invalidates the cache on every change
        self.on_change = lambda: None  # told when a run starts, is cancelled or ends (the live watcher)
        self._run_lock = threading.Lock()
        self.child: subprocess.Popen | None = None
        self.child_args: list[str] = []
        self.child_log: Path | None = None  # the console output of the run this server started

    # -- reading ----------------------------------------------------------------------------------
    @property
    def history_file(self) -> Path:
        return Paths(self.root).run_history

    def history(self) -> History:
        return History(self.history_file)

    def status(self, newer_than: float | None = None) -> dict:
        """`doit status --shards --format json`, at most STATUS_TTL seconds old (or as long as nothing
        changed, while the live watcher looks); with `newer_than` (a time.monotonic() value) not
        computed before then. One subprocess at a time."""
        with self._status_lock:
            if self._status:
                begun, ended, document = self._status
                if (newer_than is None or begun >= newer_than) and (
                        self.status_trusted or time.monotonic() - ended < STATUS_TTL):
                    return document
            begun = time.monotonic()
            result = subprocess.run([*self.doit, "status", "--shards", "--format", "json"], cwd=self.root,
                                    env=self.env, capture_output=True, text=True, timeout=300)
            if result.returncode != 0:
                raise RuntimeError("doit status failed: " + (result.stderr or result.stdout).strip()[-2000:])
            document = json.loads(result.stdout)
            self._status = (begun, time.monotonic(), document)  # the project as of `begun`
            return document

    def forget_status(self) -> None:
        with self._status_lock:
            self._status = None

    # -- running ----------------------------------------------------------------------------------
    def active_run(self) -> dict | None:
        """The run in progress: the one this server started, else whoever holds the project's run
        lock (a CLI run, a scheduled one, another UI's)."""
        if self.child is not None and self.child.poll() is None:
            run_id = self.run_of_pid(self.child.pid)
            return {"pid": self.child.pid, "args": self.child_args, "run_id": run_id,
                    "started_here": True, "cancelling": self.cancelling(run_id)}
        held = run_lock.holder(Paths(self.root))
        if held is not None:
            return {"pid": held.get("pid"), "args": held.get("args", []), "run_id": held.get("run_id"),
                    "started_here": False, "cancelling": self.cancelling(held.get("run_id"))}
        return None

    def cancelling(self, run_id: str | None) -> bool:
        """Whether this server is cancelling that run (signals sent, the run not ended yet)."""
        thread = self._cancelling.get(run_id) if run_id else None
        return bool(thread is not None and thread.is_alive())

    def start(self, args: list[str], wait: float = 15.0) -> tuple[subprocess.Popen, str | None]:
        """Start `doit ARGS` in the project as its own process, unless a run is in progress.

        Returns the process and its run id. The check, the start and the wait until the run is in the
        history (or the process ended) hold a thread lock and an flock on data/ui/run.lock, so two
        requests, or two UI servers on the same project, cannot both start a run.
        """
        logs = Paths(self.root).ui_logs
        logs.mkdir(parents=True, exist_ok=True)
        with self._run_lock, (logs / "run.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            active = self.active_run()
            if active:
                raise RunInProgress(f"a run is in progress: {run_lock.describe(active)}; wait for it to end or "
                                    "cancel it")
            self.child_log = logs / f"run-{time.strftime('%Y%m%d-%H%M%S')}.log"
            with self.child_log.open("a") as log:
                child = subprocess.Popen([*self.doit, *args], cwd=self.root, env=self.env, stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            self.child, self.child_args = child, list(args)
            # reap it when it ends (a zombie would look alive to the history's pid check)
            threading.Thread(target=self._reap, args=(child,), daemon=True).start()
            self.forget_status()
            self.on_change()
            deadline = time.monotonic() + wait
            run_id = None
            while time.monotonic() < deadline:  # the child records its run once doit has loaded the tasks
                run_id = self.run_of_pid(child.pid)
                if run_id or child.poll() is not None:
                    break
                time.sleep(0.1)
            return child, run_id or self.run_of_pid(child.pid)

    def _reap(self, child: subprocess.Popen) -> None:
        child.wait()
        self.forget_status()
        self.on_change()

    def runs_that_built(self, asset: str, limit: int) -> list[str]:
        """Latest runs in which the asset (or a shard of it) did something."""
        history = History.reader(self.history_file)
        if history is None:
            return []
        try:
            return history.runs_that_built(asset, limit)
        finally:
            history.close()

    def run_of_pid(self, pid: int) -> str | None:
        history = self.history()
        try:
            for run in history.runs(20):
                if run.pid == pid:
                    return run.id
        finally:
            history.close()
        return None

    def cancel(self, run_id: str) -> dict:
        """Stop a run: SIGINT now (doit saves its state; the run is recorded as interrupted), SIGTERM
        after the grace period if it is still running (a run started in the background by a script
        ignores SIGINT), SIGKILL after another. Every step goes to the run's history."""
        history = self.history()
        try:
            run = history.run(run_id)
        finally:
            history.close()
        if run is None:
            raise LookupError(f"no run {run_id}")
        if run.status != "running" or stop.process_gone(run.pid):
            return {"run_id": run.id, "status": run.status, "cancelled": False, "message": f"run {run.id} is {run.status}"}
        thread = self._cancelling.get(run.id)
        if thread is not None and thread.is_alive():
            return {"run_id": run.id, "status": "cancelling", "cancelled": True,
                    "message": f"run {run.id} is already being cancelled"}
        # its own process group when it leads one (runs this UI starts do): doit's workers too
        group = stop.leads_its_group(run.pid)
        try:
            sent = stop.send(run.pid, signal.SIGINT, group)
        except PermissionError:
            return {"run_id": run.id, "status": run.status, "cancelled": False,
                    "message": f"not allowed to signal pid {run.pid}: stop it as the user who started it"}
        self._record(run.id, f"cancel requested from the UI: {sent}")
        thread = threading.Thread(target=self._escalate, args=(run.id, run.pid, group), daemon=True)
        self._cancelling[run.id] = thread
        thread.start()
        self.on_change()
        grace = self.cancel_grace_s
        return {"run_id": run.id, "status": "cancelling", "cancelled": True,
                "message": f"{sent}; SIGTERM after {grace:g} s and SIGKILL {grace:g} s later if it is still running"}

    def _record(self, run_id: str, event: str) -> None:
        history = self.history()
        try:
            history.add_event(run_id, event)
        finally:
            history.close()

    def _escalate(self, run_id: str, pid: int, group: bool) -> None:
        ended_by = stop.escalate(pid, group, self.cancel_grace_s, lambda event: self._record(run_id, event))
        if ended_by == "SIGKILL":  # the run could not record its own end
            history = self.history()
            try:
                if history.run(run_id).status in ("running", "interrupted"):
                    history.end_run(run_id, "interrupted")
                    history.add_event(run_id, "recorded as interrupted by the UI (killed: it could not record it)")
            finally:
                history.close()
        self.forget_status()
        self._cancelling.pop(run_id, None)
        self.on_change()

    def shutdown(self) -> None:
        """The server is stopping: interrupt the run it started (recorded as interrupted), wait for it
        (SIGINT, then SIGTERM and SIGKILL as for a cancel)."""
        child = self.child
        if child is not None and child.poll() is None:
            run_id = self.run_of_pid(child.pid)
            record = (lambda event: self._record(run_id, event)) if run_id else (lambda event: None)
            record(f"the UI is stopping: {stop.send(child.pid, signal.SIGINT, True)}")
            stop.escalate(child.pid, True, self.cancel_grace_s, record)
            child.wait()
