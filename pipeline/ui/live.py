"""Server-sent events for the UI: push what changed, and do nothing at all while nothing does.

Every open page holds one EventSource on `/api/events`. While at least one is open, one watcher
runs for the whole server:

* it sleeps on the kernel's file notifications (pipeline/ui/watch.py: inotify; a stat scan every
  few seconds where there is none), so an idle project costs no CPU;
* when the run history changes (SQLite's `PRAGMA data_version`: a commit by another connection,
  not a reader opening the file) it sends `runs` (pages showing runs, an asset's history or
  schedules reload them) and recomputes the asset states;
* when any other file of the project changes (an output under data/, an input, the code, the
  settings) it recomputes the asset states;
* asset states come from `doit status --format json` (a subprocess): the new document is sent as
  `assets` only when it differs from the last one sent;
* while a run is in progress it checks every second that the run's process is alive, and sends
  `active` (the banner) as soon as the run in progress, or its cancelling, changes; the UI pokes it
  when it starts or cancels a run or its run's process ends, so the banner follows at once;
* every `refresh_s` (5 minutes) it recomputes the states anyway: what no file shows (a live
  harvest growing old, a graph database wiped from outside) is seen then.

The stream sends a comment every 20 s so proxies keep it open, and ends when the server stops.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from pathlib import Path

from pipeline.runs.history import History
from pipeline.ui.watch import FileWatcher

KEEPALIVE_S = 20.0
DEBOUNCE_S = 0.25  # a burst of file events (a run writing) becomes one check
MIN_STATUS_INTERVAL_S = 1.0  # at most one `doit status` a second while a run writes
MIN_RUNS_INTERVAL_S = 1.0  # at most one `runs` event a second (each makes the open pages reload)
ACTIVE_CHECK_S = 1.0
SCAN_S = 3.0  # without inotify: how often the files are compared
REFRESH_S = 300.0


def sse(event: str, data) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


class HistoryVersion:
    """Whether another connection committed to the run history since the last look.

    One long-lived read-only connection: `PRAGMA data_version` changes only when another connection
    commits, so readers (`doit status`, this server's own queries) opening and closing the file are
    not mistaken for a change. Its mtime and size are looked at first, as the cheap test.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._history: History | None = None
        self._stat = None
        self._version = None

    def _files(self):
        out = []
        for suffix in ("", "-wal"):
            try:
                info = (self.path.parent / (self.path.name + suffix)).stat()
                out.append((info.st_mtime_ns, info.st_size))
            except OSError:
                out.append(None)
        return tuple(out)

    def changed(self) -> bool:
        stat = self._files()
        if stat == self._stat and self._history is not None:
            return False
        self._stat = stat
        try:
            if self._history is None:
                self._history = History.reader(self.path, timeout=5)
                if self._history is None:
                    return False
            version = self._history.commit_version()
        except sqlite3.Error:  # not created yet, or busy: look again at the next event
            return False
        if version == self._version:
            return False
        first = self._version is None
        self._version = version
        return not first

    def close(self) -> None:
        if self._history is not None:
            self._history.close()
            self._history = None


class Live:
    """The change watcher and the open event streams of one UI server."""

    def __init__(self, project, assets_payload, refresh_s: float = REFRESH_S):
        self.project = project
        self.assets_payload = assets_payload  # document -> the /api/assets answer (without "active")
        self.refresh_s = refresh_s
        self.queues: set[asyncio.Queue] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stopping = False
        self._wake: asyncio.Event | None = None
        self._ready: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._last_assets: str | None = None
        self._last_active: str | None = None
        self._assets: dict | None = None
        self._error: str | None = None  # why the states could not be read, when they could not
        self._changed_at = 0.0  # when the watcher last saw something the states depend on change
        self.runs_version = 0
        self.sent = {"assets": 0, "runs": 0, "active": 0}
        self.status_runs = 0  # `doit status` subprocesses this watcher started (tests read it)
        self.kernel: bool | None = None  # whether the kernel reports changes (None: not watching yet)

    def info(self) -> dict:
        """How the pushing goes: open streams, whether the kernel reports changes, what was sent, and
        how many times the states were recomputed (`doit status` runs)."""
        return {"streams": len(self.queues), "watching": bool(self._task and not self._task.done()),
                "kernel": self.kernel, "status_runs": self.status_runs, "sent": dict(self.sent),
                "runs_version": self.runs_version}

    # -- streams ------------------------------------------------------------------------------------
    async def stream(self):
        """One page's event stream: the current state, then every change, until it leaves or we stop."""
        queue: asyncio.Queue = asyncio.Queue()
        self._attach(queue)
        try:
            yield b"retry: 2000\n\n"
            assets, active = await self._current()
            yield sse("hello", {"runs": self.runs_version})
            if assets is not None:
                yield sse("assets", assets)
            elif self._error:
                yield sse("error", {"error": self._error})
            yield sse("active", active)
            while not self.stopping:
                try:
                    item = await asyncio.wait_for(queue.get(), KEEPALIVE_S)
                except asyncio.TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                if item is None:
                    break
                yield item
        finally:
            self._detach(queue)

    def _attach(self, queue: asyncio.Queue) -> None:
        self.loop = asyncio.get_running_loop()
        self.queues.add(queue)
        if self._task is None or self._task.done():
            self._wake, self._ready = asyncio.Event(), asyncio.Event()
            self._task = self.loop.create_task(self._watch())

    def _detach(self, queue: asyncio.Queue) -> None:
        self.queues.discard(queue)
        if not self.queues and self._wake is not None:
            self._wake.set()  # the watcher sees nobody is listening and stops

    async def _current(self) -> tuple[dict | None, dict | None]:
        await self._ready.wait()  # the watcher's first look at the states
        active = await asyncio.to_thread(self.project.active_run)
        return self._assets, active

    def _publish(self, event: str, data) -> None:
        self.sent[event] = self.sent.get(event, 0) + 1
        message = sse(event, data)
        for queue in list(self.queues):
            queue.put_nowait(message)

    # -- from other threads ----------------------------------------------------------------------------
    def poke(self) -> None:
        """Something happened that files may not show yet (a run started, cancelled or ended): look now."""
        loop, wake = self.loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:  # the loop has closed meanwhile
                pass

    def stop(self) -> None:
        """The server is stopping: end every stream (uvicorn waits for open responses to finish)."""
        self.stopping = True
        loop = self.loop
        if loop is None or loop.is_closed():
            return

        def end():
            for queue in list(self.queues):
                queue.put_nowait(None)
            if self._wake is not None:
                self._wake.set()
        try:
            loop.call_soon_threadsafe(end)
        except RuntimeError:
            pass

    # -- the watcher ----------------------------------------------------------------------------------
    async def _watch(self) -> None:
        project = self.project
        try:
            watcher = await asyncio.to_thread(FileWatcher, project.root)
        except BaseException:
            self._ready.set()
            raise
        history = HistoryVersion(project.history_file)
        history.changed()  # the version it starts from
        ours = history.path.name
        seen = {"history": False, "files": False}

        def changed(now_stale: bool) -> None:
            """Something the states depend on changed: the cached states are not to be served any more
            (a page asking before the recompute gets them computed afresh)."""
            if now_stale:
                self._changed_at = time.monotonic()
                project.forget_status()

        def take(paths: set[Path]) -> None:
            others = [p for p in paths if not p.name.startswith(ours)]
            if len(others) < len(paths) and history.changed():  # a commit, not a reader opening the file
                seen["history"] = True
                changed(True)
            if others:
                seen["files"] = True
                changed(True)

        def readable():
            take(watcher.changes())
            self._wake.set()

        self.kernel = watcher.kernel
        if watcher.kernel:
            self.loop.add_reader(watcher.fileno(), readable)
        try:
            # the states as of now, watched from now on: between changes the cached document is right
            await self._recompute(publish=False)  # each stream starts with it (`_current`)
            project.status_trusted = watcher.kernel
            self._ready.set()
            last_status = last_refresh = time.monotonic()
            last_runs = 0.0
            status_due = runs_due = False
            recomputing: asyncio.Task | None = None
            active = await asyncio.to_thread(project.active_run)
            self._last_active = json.dumps(active, sort_keys=True)
            while self.queues and not self.stopping:
                now = time.monotonic()
                waits = [self.refresh_s - (now - last_refresh)]
                if active is not None:
                    waits.append(ACTIVE_CHECK_S)
                if not watcher.kernel:
                    waits.append(SCAN_S)
                if status_due and (recomputing is None or recomputing.done()):
                    waits.append(MIN_STATUS_INTERVAL_S - (now - last_status))
                if runs_due:
                    waits.append(MIN_RUNS_INTERVAL_S - (now - last_runs))
                try:
                    await asyncio.wait_for(self._wake.wait(), max(0.0, min(waits)))
                    await asyncio.sleep(DEBOUNCE_S)  # let a burst of writes finish
                except asyncio.TimeoutError:
                    pass
                self._wake.clear()
                if not self.queues or self.stopping:
                    break
                take(watcher.changes() if watcher.kernel else await asyncio.to_thread(watcher.scan))
                if active is not None and history.changed():  # a run in progress: look even without events
                    seen["history"] = True
                    changed(True)
                if seen["history"]:
                    runs_due = status_due = True
                if seen["files"]:
                    status_due = True
                seen["history"] = seen["files"] = False
                if runs_due and time.monotonic() - last_runs >= MIN_RUNS_INTERVAL_S:
                    runs_due, last_runs = False, time.monotonic()
                    self.runs_version += 1
                    self._publish("runs", {"runs": self.runs_version})
                now_active = await asyncio.to_thread(project.active_run)
                key = json.dumps(now_active, sort_keys=True)
                if key != self._last_active:
                    self._last_active = key
                    self._publish("active", now_active)
                    status_due = True
                    changed(True)
                active = now_active
                if time.monotonic() - last_refresh >= self.refresh_s:
                    last_refresh = time.monotonic()
                    status_due = True
                    changed(True)
                # the states are recomputed beside the loop (a `doit status` of a big project takes a
                # second or two), so `runs` and `active` keep flowing meanwhile; one at a time
                idle = recomputing is None or recomputing.done()
                if status_due and idle and time.monotonic() - last_status >= MIN_STATUS_INTERVAL_S:
                    status_due = False
                    recomputing = self.loop.create_task(self._recompute())

                    def finished(task):
                        nonlocal last_status
                        last_status = time.monotonic()
                        if self._wake is not None:
                            self._wake.set()  # look again: more may have changed meanwhile
                    recomputing.add_done_callback(finished)
        finally:
            self._ready.set()
            project.status_trusted = False
            self._assets = self._last_assets = None  # unwatched from now on: look afresh next time
            if watcher.kernel:
                try:
                    self.loop.remove_reader(watcher.fileno())
                except (ValueError, RuntimeError):
                    pass
            watcher.close()
            history.close()

    async def _recompute(self, publish: bool = True) -> None:
        """The states after the latest change (computed now, or by a page's request since then)."""
        if not publish:  # the watcher starts: whatever was cached may predate a change nobody saw
            self._changed_at = time.monotonic()
        changed_at = self._changed_at
        self.status_runs += 1
        try:
            document = await asyncio.to_thread(self.project.status, changed_at)
            payload = await asyncio.to_thread(self.assets_payload, document)
        except Exception as exc:  # doit status failed, timed out or said something unreadable: say so
            self._error = str(exc) or type(exc).__name__
            if publish:
                self._publish("error", {"error": self._error})
            return
        self._error = None
        key = json.dumps(payload, sort_keys=True)
        if key != self._last_assets:
            self._last_assets, self._assets = key, payload
            if publish:
                self._publish("assets", payload)
