"""The web UI (`doit ui`): a Starlette app over the same sources the CLI reads.

Nothing here loads dodo.py or runs doit in this process (doit swaps sys.stdout and changes the
working directory): asset states come from `doit status --format json` run as a subprocess and
cached briefly; runs, logs and schedules are read from `data/runs.sqlite3`; a run started from the
UI is its own `doit` process, one at a time per project (the run lock of pipeline/runs/lock.py),
recorded by the run history like any CLI run and cancellable: SIGINT, then SIGTERM, then SIGKILL,
each after a grace period (pipeline/runs/stop.py), every step recorded in the run's history.

Pages are kept up to date by server-sent events (`/api/events`, pipeline/ui/live.py): the server
watches the project's files and pushes new states only when something changed, so an open page
costs nothing while the project is idle. A run's page shows one row per asset
(pipeline/ui/runs_view.py), its shards and their logs on demand.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipeline.runs import lock as run_lock
from pipeline.runs import stop
from pipeline.paths import Paths
from pipeline.runs.history import History
from pipeline.ui import runs_view
from pipeline.ui.live import Live

UI_DIR = Path(__file__).resolve().parent
STATIC_DIR = UI_DIR / "static"
VENDOR_FILES = {"cytoscape.min.js": "cytoscape", "uPlot.iife.min.js": "uplot", "uPlot.min.css": "uplot"}
VENDOR_HINT = ("the UI's JavaScript libraries (the graph and the plots) are missing: run `npm ci` in pipeline/ui "
               "(it copies them to pipeline/ui/static/vendor/)")
# seconds a `doit status --format json` answer is reused when no page watches the project (while one
# does, the answer is kept until a file changes: pipeline/ui/live.py)
STATUS_TTL = 2.0

DAEMON_SILENCE_S = 90
CANCEL_GRACE_S = 10.0  # seconds between SIGINT, SIGTERM and SIGKILL when cancelling a run


LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1"]


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.startswith("127.")


def machine_names(bind: str) -> list[str]:
    """The names and addresses this machine answers to on `bind` (0.0.0.0 or :: meaning every
    interface): what a browser may legitimately put in the Host header, besides loopback."""
    import socket

    names = [] if bind in ("0.0.0.0", "::", "") else [bind]
    if not names:
        hostname = socket.gethostname()
        names += [hostname, socket.getfqdn()]
        try:
            names += socket.gethostbyname_ex(hostname)[2]
        except OSError:
            pass
        try:  # the address of the default route (a UDP "connect" sends nothing)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("192.0.2.1", 9))
                names.append(probe.getsockname()[0])
        except OSError:
            pass
    return [n for n in dict.fromkeys(names) if n and not is_loopback(n)]


def url_for(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def missing_vendor_files() -> list[str]:
    return [name for name in VENDOR_FILES if not (STATIC_DIR / "vendor" / name).exists()]


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
        """Latest runs in which the asset (or a shard of it) did something, via the tasks_by_name index."""
        if not self.history_file.exists():
            return []
        db = sqlite3.connect(f"file:{self.history_file}?mode=ro", uri=True, timeout=30)
        try:
            rows = db.execute("SELECT run_id FROM tasks WHERE (name = ? OR (name >= ? AND name < ?)) "
                              "AND status NOT IN ('up-to-date', 'skipped') GROUP BY run_id "
                              "ORDER BY MAX(started) DESC LIMIT ?", (asset, asset + ":", asset + ";", limit)).fetchall()
        finally:
            db.close()
        return [row[0] for row in rows]

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


# -- JSON shapes -----------------------------------------------------------------------------------
def _run_json(run, tasks=None, names: bool = True) -> dict:
    """A run; with its tasks: counts by state, and per asset (`asset_counts`: how many assets ended
    in each state, `ran_assets`, `failed_assets`); with `names` the task names that ran or failed.
    A task may stand for several of the same asset and state (`count`, as the run list reads them).
    Without `names`, `selected` names the selected assets rather than every selected task."""
    out = {"id": run.id, "status": run.status, "started": run.started, "ended": run.ended,
           "duration": run.duration, "pid": run.pid, "argv": run.argv, "selected": run.selected}
    if tasks is not None:
        counts: dict[str, int] = {}
        for task in tasks:
            counts[task.status] = counts.get(task.status, 0) + getattr(task, "count", 1)
        out["counts"] = counts
        statuses: dict[str, set] = {}
        for task in tasks:
            statuses.setdefault(runs_view.asset_of(task.name), set()).add(task.status)
        by_asset = {asset: runs_view.asset_status(s) for asset, s in statuses.items()}
        out["asset_counts"] = runs_view.run_summary([{"status": s} for s in by_asset.values()])
        out["ran_assets"] = [a for a, s in by_asset.items() if s in runs_view.RAN]
        out["failed_assets"] = [a for a, s in by_asset.items() if s in ("failed", "interrupted")]
        if names:
            out["ran"] = [t.name for t in tasks if t.status in runs_view.RAN]
            out["failed"] = [t.name for t in tasks if t.status in ("failed", "interrupted")]
        else:  # a plain `doit` selects every task: a thousand names nobody reads in a list
            out["selected"] = runs_view.assets_of(run.selected)
    return out


def _task_json(task, logs: bool = True) -> dict:
    out = {"name": task.name, "run_id": task.run_id, "status": task.status, "started": task.started,
           "ended": task.ended, "duration": task.duration, "metadata": task.metadata}
    if logs:
        out.update(stdout=task.stdout or "", stderr=task.stderr or "", error=task.error or "")
    return out


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _json_body(request: Request) -> dict:
    """POST bodies must be JSON: a cross-site form cannot send that without a CORS preflight we never grant."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise ValueError("send a JSON body (Content-Type: application/json)")
    try:
        body = await request.json()
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ValueError("the JSON body must be an object")
    return body


# -- the app ------------------------------------------------------------------------------------------
def create_app(root: Path, env: dict | None = None, allowed_hosts: list[str] | None = None,
               cancel_grace_s: float = CANCEL_GRACE_S) -> Starlette:
    project = Project(root, env, cancel_grace_s=cancel_grace_s)

    async def status_document() -> dict:
        return await asyncio.to_thread(project.status)

    def assets_payload(document: dict) -> dict:
        """The asset rows (no shard rows, no file lists), the lineage edges, the jobs, and per asset
        the latest run that built it or tried to (`last_run`)."""
        rows = [{k: v for k, v in a.items() if k != "files"} for a in document["assets"] if a["shard"] is None]
        last = runs_view.last_attempts(project.history_file, [row["name"] for row in rows])
        for row in rows:
            row["last_run"] = last.get(row["name"])
        edges = [[up, row["name"]] for row in rows for up in row["upstream"]]
        return {"assets": rows, "jobs": document["jobs"], "edges": edges}

    live = Live(project, assets_payload)
    project.on_change = live.poke

    async def index(request: Request):
        return FileResponse(STATIC_DIR / "index.html")

    async def health(request: Request):
        missing = missing_vendor_files()
        return JSONResponse({"root": str(project.root), "missing": missing,
                             "message": VENDOR_HINT if missing else "", "live": live.info()})

    async def assets(request: Request):
        try:
            document = await status_document()
        except RuntimeError as exc:
            return _error(500, str(exc))
        payload = await asyncio.to_thread(assets_payload, document)
        return JSONResponse({**payload, "active": await asyncio.to_thread(project.active_run)})

    def _asset_detail(name: str) -> dict | None:
        document = project.status()
        rows = [a for a in document["assets"] if a["asset"] == name]
        if not rows:
            return None
        asset = next(a for a in rows if a["shard"] is None)
        asset["shard_rows"] = [a for a in rows if a["shard"] is not None]
        asset["downstream"] = [a["name"] for a in document["assets"] if a["shard"] is None and name in a["upstream"]]
        asset["jobs"] = [j["name"] for j in document["jobs"] if name in j["assets"]]
        history = project.history()
        try:
            recent = []
            for run_id in project.runs_that_built(name, 10):
                run = history.run(run_id)
                if run is None:
                    continue
                mine = [t for t in history.tasks(run.id) if t.name == name or t.name.startswith(name + ":")]
                mine = [t for t in mine if t.status not in ("up-to-date", "skipped")] or []
                if mine:
                    own = next((t for t in mine if t.name == name), None)
                    statuses = {t.status for t in mine}
                    worst = next((s for s in ("running", "failed", "interrupted", "success") if s in statuses), own and own.status)
                    recent.append({"run": _run_json(run), "status": worst, "tasks": len(mine),
                                   "logs": [_task_json(t) for t in mine if t.name == name or t.status != "success"][:20]})
        finally:
            history.close()
        asset["recent_runs"] = recent
        return asset

    async def asset_detail(request: Request):
        try:
            detail = await asyncio.to_thread(_asset_detail, request.path_params["name"])
        except RuntimeError as exc:
            return _error(500, str(exc))
        if detail is None:
            return _error(404, f"no asset named {request.path_params['name']!r}")
        return JSONResponse(detail)

    async def asset_materializations(request: Request):
        """The asset's materializations over time, for its plots (pipeline/ui/runs_view.py)."""
        name = request.path_params["name"]
        try:
            document = await status_document()
        except RuntimeError as exc:
            return _error(500, str(exc))
        if not any(a["name"] == name for a in document["assets"]):
            return _error(404, f"no asset named {name!r}")
        try:
            limit = max(1, min(1000, int(request.query_params.get("limit", 100))))
        except ValueError:
            return _error(400, "limit must be a number")
        return JSONResponse(await asyncio.to_thread(runs_view.materializations, project.history_file, name, limit))

    def _runs(limit: int, names: bool = True) -> list[dict]:
        """The run list, read without the tasks' logs (a sharded run has a thousand tasks); without
        `names`, counted in SQL per asset and state (no task names at all)."""
        history = project.history()
        try:
            runs = history.runs(limit)
        finally:
            history.close()
        db = sqlite3.connect(f"file:{project.history_file}?mode=ro", uri=True, timeout=30)
        try:
            out = []
            for run in runs:
                if names:
                    rows = [(n, st, 1) for n, st in db.execute(
                        "SELECT name, status FROM tasks WHERE run_id = ? ORDER BY started", (run.id,))]
                else:  # the part of a task's name before ':' is its asset
                    rows = db.execute("SELECT substr(name, 1, instr(name || ':', ':') - 1) AS asset, status, count(*) "
                                      "FROM tasks WHERE run_id = ? GROUP BY asset, status ORDER BY min(started)",
                                      (run.id,)).fetchall()
                tasks = [SimpleNamespace(name=n, status="interrupted" if st == "running" and run.status == "interrupted"
                                         else st, count=count) for n, st, count in rows]
                out.append(_run_json(run, tasks, names))
            return out
        finally:
            db.close()

    async def runs(request: Request):
        try:
            limit = max(1, min(500, int(request.query_params.get("limit", 50))))
        except ValueError:
            return _error(400, "limit must be a number")
        names = request.query_params.get("tasks", "1") != "0"  # tasks=0: per asset only, no task names
        return JSONResponse({"runs": await asyncio.to_thread(_runs, limit, names),
                             "active": await asyncio.to_thread(project.active_run)})

    def _run(run_id: str, with_tasks: bool = True) -> dict | None:
        """A run with its events and one summary per asset (`assets`); with `with_tasks` also every
        task with its logs (`tasks`: a full build has a thousand)."""
        history = project.history()
        try:
            run = history.run(run_id)
            if run is None:
                return None
            tasks = history.tasks(run.id)
            events = [{"at": at, "event": event} for at, event in history.events(run.id)]
            groups = runs_view.group_tasks(tasks)
            out = {**_run_json(run, tasks, names=with_tasks), "events": events, "assets": groups,
                   "cancelling": project.cancelling(run.id)}
            if with_tasks:
                out["tasks"] = [_task_json(t) for t in tasks]
            return out
        finally:
            history.close()

    def _run_asset(run_id: str, asset: str) -> dict | None:
        """One asset in a run: its summary and its tasks (shards, checks) without their logs."""
        history = project.history()
        try:
            run = history.run(run_id)
            if run is None:
                return None
            mine = runs_view.asset_tasks(history.tasks(run.id), asset)
        finally:
            history.close()
        if not mine:
            return {"run_id": run.id, "asset": asset, "tasks": []}
        [group] = runs_view.group_tasks(mine)
        tasks = [{**_task_json(t, logs=False), "error": runs_view.last_line(t.error),
                  "part": runs_view.part_of(t.name)} for t in mine]
        return {"run_id": run.id, **group, "tasks": tasks}

    async def run_asset(request: Request):
        try:
            detail = await asyncio.to_thread(_run_asset, request.path_params["run_id"], request.path_params["asset"])
        except LookupError as exc:
            return _error(400, str(exc))
        if detail is None:
            return _error(404, f"no run {request.path_params['run_id']}")
        if not detail["tasks"]:
            return _error(404, f"asset {detail['asset']!r} is not in run {detail['run_id']}")
        return JSONResponse(detail)

    def _run_task(run_id: str, name: str) -> dict | None:
        history = project.history()
        try:
            run = history.run(run_id)
            task = next((t for t in history.tasks(run.id) if t.name == name), None) if run else None
        finally:
            history.close()
        return _task_json(task) if task is not None else None

    async def run_task(request: Request):
        """One task of a run with its captured output (what a shard row's "logs" opens)."""
        try:
            task = await asyncio.to_thread(_run_task, request.path_params["run_id"], request.path_params["name"])
        except LookupError as exc:
            return _error(400, str(exc))
        if task is None:
            return _error(404, f"no task {request.path_params['name']!r} in run {request.path_params['run_id']}")
        return JSONResponse(task)

    async def run_detail(request: Request):
        with_tasks = request.query_params.get("tasks", "1") != "0"
        try:
            detail = await asyncio.to_thread(_run, request.path_params["run_id"], with_tasks)
        except LookupError as exc:
            return _error(400, str(exc))
        if detail is None:
            return _error(404, f"no run {request.path_params['run_id']}")
        return JSONResponse(detail)

    async def run_logs(request: Request):
        try:
            detail = await asyncio.to_thread(_run, request.path_params["run_id"])
        except LookupError as exc:
            return _error(400, str(exc))
        if detail is None:
            return _error(404, f"no run {request.path_params['run_id']}")
        asset = request.query_params.get("asset")
        tasks = [t for t in detail["tasks"] if not asset or t["name"] == asset or t["name"].startswith(asset + ":")]
        if asset and not tasks:
            return _error(404, f"asset {asset!r} did not run in run {detail['id']}")
        lines = [f"-- {time.strftime('%H:%M:%S', time.localtime(e['at']))} {e['event']}" for e in detail["events"]]
        for task in tasks:
            duration = f"{task['duration']:.2f}s" if task["duration"] is not None else "-"
            lines.append(f"== {task['name']} ({task['status']}, {duration}) in run {detail['id']}")
            if task["metadata"]:
                lines.append("metadata: " + json.dumps(task["metadata"], sort_keys=True))
            for title in ("stdout", "stderr", "error"):
                if task[title]:
                    lines.append(f"-- {title}\n{task[title].rstrip()}")
        return PlainTextResponse("\n".join(lines) + "\n")

    async def start_run(request: Request):
        try:
            body = await _json_body(request)
        except ValueError as exc:
            return _error(415 if "Content-Type" in str(exc) else 400, str(exc))
        try:
            document = await status_document()
        except RuntimeError as exc:
            return _error(500, str(exc))
        names = {a["name"] for a in document["assets"]}
        jobs = {j["name"] for j in document["jobs"]}
        if body.get("job"):
            if body["job"] not in jobs:
                return _error(404, f"no job named {body['job']!r}")
            args = [body["job"]]
        elif body.get("asset"):
            if body["asset"] not in names:
                return _error(404, f"no asset named {body['asset']!r}")
            mode = body.get("mode", "upstream")
            if mode not in ("only", "upstream"):
                return _error(400, "mode is 'only' (doit -s ASSET) or 'upstream' (doit ASSET)")
            args = ["-s", body["asset"]] if mode == "only" else [body["asset"]]
        else:
            return _error(400, "give an asset (with mode 'only' or 'upstream') or a job")
        try:
            child, run_id = await asyncio.to_thread(project.start, args)
        except RunInProgress as exc:
            return _error(409, str(exc))
        return JSONResponse({"pid": child.pid, "args": args, "command": "doit " + " ".join(args), "run_id": run_id,
                             "console": str(project.child_log.relative_to(project.root))},
                            status_code=202)

    async def cancel_run(request: Request):
        try:
            await _json_body(request)
        except ValueError as exc:
            return _error(415 if "Content-Type" in str(exc) else 400, str(exc))
        try:
            result = await asyncio.to_thread(project.cancel, request.path_params["run_id"])
        except LookupError as exc:
            return _error(404, str(exc))
        return JSONResponse(result, status_code=202 if result["cancelled"] else 409)

    def _schedules() -> dict:
        """Each schedule with its next fire and history, and whether the daemon is looking."""
        from pipeline.runs import schedules as sched
        document = project.status()
        jobs = {j["name"] for j in document["jobs"]}
        defined = sched.load_schedules(project.root, jobs)
        book = sched.ScheduleBook(project.history_file)
        try:
            scheduler = sched.Scheduler(defined, book, lambda s: None)
            now = datetime.now(timezone.utc)
            looked = [t for t in (book.checked(s.name) for s in defined) if t is not None]
            last = max(looked) if looked else None
            # the daemon looks every 30 s by default: silent for 3 ticks means it is not running
            daemon = {"last_tick": last.isoformat() if last else None,
                      "running": bool(last and (now - last).total_seconds() < DAEMON_SILENCE_S)}
            return {"daemon": daemon, "schedules": [
                {"name": s.name, "cron": s.cron, "job": s.job, "timezone": s.timezone,
                 "enabled": scheduler.enabled(s), "next": s.next_time(now).isoformat(),
                 "history": [{"due": f.due.isoformat(), "outcome": f.outcome, "pid": f.pid}
                             for f in book.history(s.name, 20)]} for s in defined]}
        finally:
            book.close()

    async def schedules(request: Request):
        from pipeline.errors import SettingsError
        try:
            return JSONResponse(await asyncio.to_thread(_schedules))
        except SettingsError as exc:
            return _error(500, str(exc))

    async def set_schedule(request: Request):
        from pipeline.runs import schedules as sched
        try:
            body = await _json_body(request)
        except ValueError as exc:
            return _error(415 if "Content-Type" in str(exc) else 400, str(exc))
        if not isinstance(body.get("enabled"), bool):
            return _error(400, 'send {"enabled": true} or {"enabled": false}')
        name = request.path_params["name"]
        if name not in {s.name for s in sched.load_schedules(project.root)}:
            return _error(404, f"no schedule {name}")
        book = sched.ScheduleBook(project.history_file)
        try:
            book.set_enabled(name, body["enabled"])
        finally:
            book.close()
        return JSONResponse({"name": name, "enabled": body["enabled"]})

    async def events(request: Request):
        """Server-sent events: `assets` (the /api/assets answer, without `active`) when states change,
        `active` when the run in progress changes, `runs` when the run history changes."""
        return StreamingResponse(live.stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @asynccontextmanager
    async def lifespan(app):
        restore = _end_streams_on_signals(live)
        try:
            yield
        finally:
            live.stop()
            restore()
        await asyncio.to_thread(project.shutdown)

    routes = [
        Route("/", index),
        Route("/api/health", health),
        Route("/api/events", events),
        Route("/api/assets", assets),
        Route("/api/assets/{name}/materializations", asset_materializations),
        Route("/api/assets/{name:path}", asset_detail),
        Route("/api/runs", runs),
        Route("/api/runs", start_run, methods=["POST"]),
        Route("/api/runs/{run_id}", run_detail),
        Route("/api/runs/{run_id}/logs", run_logs),
        Route("/api/runs/{run_id}/assets/{asset}", run_asset),
        Route("/api/runs/{run_id}/tasks/{name}", run_task),
        Route("/api/runs/{run_id}/cancel", cancel_run, methods=["POST"]),
        Route("/api/schedules", schedules),
        Route("/api/schedules/{name}", set_schedule, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or ["127.0.0.1", "localhost", "testserver"])]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.project = project
    app.state.live = live
    return app


def _end_streams_on_signals(live: Live):
    """uvicorn waits for open responses before it stops, and an event stream never ends by itself:
    on SIGINT or SIGTERM end the streams first, then let uvicorn's own handler do its work.
    Returns what puts the previous handlers back. Only the main thread may set handlers (a test
    client runs the app in another thread: nothing to do there)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {}

    def handler(signum, frame):
        live.stop()
        earlier = previous.get(signum)
        if callable(earlier):
            earlier(signum, frame)
        elif earlier == signal.SIG_DFL:  # what it would have done without us
            signal.signal(signum, signal.SIG_DFL)
            signal.raise_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.getsignal(signum)
        signal.signal(signum, handler)

    def restore():
        for signum, earlier in previous.items():
            if signal.getsignal(signum) is handler:
                signal.signal(signum, earlier)
    return restore
