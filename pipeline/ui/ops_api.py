"""The operations API of the UI: asset states, runs (start, cancel, logs), schedules and the event
stream, over one project (pipeline/ui/project.py). Runs are shown one row per asset
(pipeline/ui/runs_view.py); pages are kept up to date by server-sent events (pipeline/ui/live.py).
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timezone
from types import SimpleNamespace

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Route

from pipeline.ui import runs_view
from pipeline.ui.http import error, json_body
from pipeline.ui.live import Live
from pipeline.ui.openapi import operation, param
from pipeline.ui.project import Project, RunInProgress

DAEMON_SILENCE_S = 90
_RUN, _ASSET = param("run_id", "a run id (or a unique prefix)", where="path"), param("name", "an asset", where="path")
_LIMIT = param("limit", "how many", kind="integer")
OPERATIONS = [
    operation("GET", "/api/events", "server-sent events: `assets` when states change, `runs` when the run history "
              "changes, `active` when the run in progress changes", "operations",
              content={"text/event-stream": "the event stream"}),
    operation("GET", "/api/assets", "every asset with its state, the lineage edges, the jobs and the run in progress",
              "operations", errors=(500,)),
    operation("GET", "/api/assets/{name}/materializations", "an asset's materializations over time (its plots)",
              "operations", (_ASSET, _LIMIT), (400, 404, 500)),
    operation("GET", "/api/assets/{name}", "one asset: state, files, shards, checks, recent runs with logs", "operations",
              (_ASSET,), (404, 500)),
    operation("GET", "/api/runs", "the run history, newest first, with what each run did per asset", "operations",
              (_LIMIT, param("tasks", "0: counts per asset only, without task names", enum=["0", "1"])), (400,)),
    operation("POST", "/api/runs", "start a run: an asset (mode only: doit -s ASSET, upstream: doit ASSET) or a job",
              "operations", errors=(400, 404, 409, 415), status=202,
              body='{"asset": NAME, "mode": "only"|"upstream"} or {"job": NAME}'),
    operation("GET", "/api/runs/{run_id}", "one run: one summary per asset, its events, and its tasks with logs",
              "operations", (_RUN, param("tasks", "0: without the tasks", enum=["0", "1"])), (400, 404)),
    operation("GET", "/api/runs/{run_id}/logs", "a run's logs as `doit logs` prints them", "operations",
              (_RUN, param("asset", "only this asset's tasks")), (400, 404), content={"text/plain": "the logs"}),
    operation("GET", "/api/runs/{run_id}/assets/{asset}", "one asset in a run: its summary and its tasks",
              "operations", (_RUN, param("asset", "an asset", where="path")), (400, 404)),
    operation("GET", "/api/runs/{run_id}/tasks/{name}", "one task of a run with its captured output", "operations",
              (_RUN, param("name", "a task name (ASSET or ASSET:SHARD)", where="path")), (400, 404)),
    operation("POST", "/api/runs/{run_id}/cancel", "cancel a run: SIGINT, then SIGTERM, then SIGKILL", "operations",
              (_RUN,), (404, 409, 415), status=202, body="{}"),
    operation("GET", "/api/schedules", "every schedule with its next fire and recent fires, and the daemon's state",
              "operations", errors=(500,)),
    operation("POST", "/api/schedules/{name}", "switch a schedule on or off", "operations",
              (param("name", "a schedule", where="path"),), (400, 404, 415), body='{"enabled": true|false}'),
]


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


# -- the routes -----------------------------------------------------------------------------------------
def routes(project: Project) -> tuple[list[Route], Live]:
    """The operations routes, and the live watcher that feeds their event stream."""
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

    async def assets(request: Request):
        try:
            document = await status_document()
        except RuntimeError as exc:
            return error(500, str(exc))
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
            return error(500, str(exc))
        if detail is None:
            return error(404, f"no asset named {request.path_params['name']!r}")
        return JSONResponse(detail)

    async def asset_materializations(request: Request):
        """The asset's materializations over time, for its plots (pipeline/ui/runs_view.py)."""
        name = request.path_params["name"]
        try:
            document = await status_document()
        except RuntimeError as exc:
            return error(500, str(exc))
        if not any(a["name"] == name for a in document["assets"]):
            return error(404, f"no asset named {name!r}")
        try:
            limit = max(1, min(1000, int(request.query_params.get("limit", 100))))
        except ValueError:
            return error(400, "limit must be a number")
        return JSONResponse(await asyncio.to_thread(runs_view.materializations, project.history_file, name, limit))

    def _runs(limit: int, names: bool = True) -> list[dict]:
        """The run list, read without the tasks' logs (a sharded run has a thousand tasks); without
        `names`, counted per asset and state (no task names at all)."""
        history = project.history()
        try:
            out = []
            for run in history.runs(limit):
                rows = history.task_states(run.id) if names else history.asset_states(run.id)
                tasks = [SimpleNamespace(name=n, status="interrupted" if st == "running" and run.status == "interrupted"
                                         else st, count=count) for n, st, count in rows]
                out.append(_run_json(run, tasks, names))
            return out
        finally:
            history.close()

    async def runs(request: Request):
        try:
            limit = max(1, min(500, int(request.query_params.get("limit", 50))))
        except ValueError:
            return error(400, "limit must be a number")
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

    async def in_run(request: Request, read, *args, missing: str | None = None):
        """(what `read(run_id, *args)` found, None) or (None, the error answer): an ambiguous run id is
        400, nothing found 404 (`missing` says what, by default the run)."""
        run_id = request.path_params["run_id"]
        try:
            found = await asyncio.to_thread(read, run_id, *args)
        except LookupError as exc:
            return None, error(400, str(exc))
        return (found, None) if found is not None else (None, error(404, missing or f"no run {run_id}"))

    async def run_asset(request: Request):
        detail, failed = await in_run(request, _run_asset, request.path_params["asset"])
        if failed:
            return failed
        if not detail["tasks"]:
            return error(404, f"asset {detail['asset']!r} is not in run {detail['run_id']}")
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
        name = request.path_params["name"]
        task, failed = await in_run(request, _run_task, name,
                                    missing=f"no task {name!r} in run {request.path_params['run_id']}")
        return failed or JSONResponse(task)

    async def run_detail(request: Request):
        detail, failed = await in_run(request, _run, request.query_params.get("tasks", "1") != "0")
        return failed or JSONResponse(detail)

    async def run_logs(request: Request):
        detail, failed = await in_run(request, _run)
        if failed:
            return failed
        asset = request.query_params.get("asset")
        tasks = [t for t in detail["tasks"] if not asset or t["name"] == asset or t["name"].startswith(asset + ":")]
        if asset and not tasks:
            return error(404, f"asset {asset!r} did not run in run {detail['id']}")
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
            body = await json_body(request)
        except ValueError as exc:
            return error(415 if "Content-Type" in str(exc) else 400, str(exc))
        try:
            document = await status_document()
        except RuntimeError as exc:
            return error(500, str(exc))
        names = {a["name"] for a in document["assets"]}
        jobs = {j["name"] for j in document["jobs"]}
        if body.get("job"):
            if body["job"] not in jobs:
                return error(404, f"no job named {body['job']!r}")
            args = [body["job"]]
        elif body.get("asset"):
            if body["asset"] not in names:
                return error(404, f"no asset named {body['asset']!r}")
            mode = body.get("mode", "upstream")
            if mode not in ("only", "upstream"):
                return error(400, "mode is 'only' (doit -s ASSET) or 'upstream' (doit ASSET)")
            args = ["-s", body["asset"]] if mode == "only" else [body["asset"]]
        else:
            return error(400, "give an asset (with mode 'only' or 'upstream') or a job")
        try:
            child, run_id = await asyncio.to_thread(project.start, args)
        except RunInProgress as exc:
            return error(409, str(exc))
        return JSONResponse({"pid": child.pid, "args": args, "command": "doit " + " ".join(args), "run_id": run_id,
                             "console": str(project.child_log.relative_to(project.root))},
                            status_code=202)

    async def cancel_run(request: Request):
        try:
            await json_body(request)
        except ValueError as exc:
            return error(415 if "Content-Type" in str(exc) else 400, str(exc))
        try:
            result = await asyncio.to_thread(project.cancel, request.path_params["run_id"])
        except LookupError as exc:
            return error(404, str(exc))
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
            return error(500, str(exc))

    async def set_schedule(request: Request):
        from pipeline.runs import schedules as sched
        try:
            body = await json_body(request)
        except ValueError as exc:
            return error(415 if "Content-Type" in str(exc) else 400, str(exc))
        if not isinstance(body.get("enabled"), bool):
            return error(400, 'send {"enabled": true} or {"enabled": false}')
        name = request.path_params["name"]
        if name not in {s.name for s in sched.load_schedules(project.root)}:
            return error(404, f"no schedule {name}")
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

    return [
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
    ], live
