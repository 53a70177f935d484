"""One run at a time per project: the run lock, shared by `doit` runs, the UI and the scheduler.

A run's main process holds an exclusive POSIX lock (`lockf`) on `data/run.lock` from its start to
its end; the kernel releases it when that process ends, however it ends (`kill -9` included), and
forked doit workers do not inherit it, so a lock is never stale. Beside it, `data/run.json` says
who holds it (pid, run id, command, start time); it is only believed while the lock is held.

A `doit` run that finds the lock taken prints one line naming the run in progress and stops,
unless `MLENTORY_RUN_WAIT` (seconds) lets it wait for that run to end. The UI and the scheduler
ask `holder()` before they start a run, and the run they start takes the lock like any other.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import time
from pipeline.paths import Paths
from pipeline.processes import pid_alive

PROBE_GRACE_S = 0.5
_RUN_PID: int | None = None  # set in the process that holds the lock; doit's forked workers inherit it
_FORK_HOOK = False
PR_SET_PDEATHSIG = 1  # linux/prctl.h
WORKER_GRACE_S = 10.0  # how long a worker may unwind once its run's process is gone
_INTERRUPTED = False  # in a worker: a SIGTERM already interrupted it
_FORKED_BY: int | None = None  # in a fork's child: the pid of the process that forked it
_DEADLINE_ARMED = False


def _note_the_forker() -> None:
    global _FORKED_BY
    _FORKED_BY = os.getpid()


def _end_with_the_run() -> None:
    """In a process forked by the run (doit's `-P process` workers): receive SIGTERM when the run's
    process dies, however it dies, instead of waiting for work from it for ever. A process a worker's
    task forks (its own pool) is not a worker: it gets its own signal relay and SIGTERM's default back."""
    if _RUN_PID is None:
        return
    import signal
    from pipeline.runs import interrupts
    interrupts.reach_the_main_thread()
    if _FORKED_BY != _RUN_PID:  # a SIGTERM ends it as it would anywhere (pool.terminate() counts on it)
        if signal.getsignal(signal.SIGTERM) is _worker_sigterm:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        return
    signal.signal(signal.SIGTERM, _worker_sigterm)
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: such a worker outlives a killed run, as before
        return
    if os.getppid() != _RUN_PID:  # the run died between the fork and the prctl
        os._exit(1)


def join_run(pid: int | None) -> None:
    """In a task's fresh process (pipeline/runs/fresh_process.py): belong to the run `pid` as a worker
    does: an embedded graph server it starts stays the run's, and a SIGTERM interrupts the task once."""
    global _RUN_PID
    _RUN_PID = pid
    if pid is not None:
        import signal
        from pipeline.runs import interrupts
        signal.signal(signal.SIGTERM, _worker_sigterm)
        interrupts.reach_the_main_thread()


def _worker_sigterm(signum, frame):
    """A worker's SIGTERM: the first interrupts what it is doing (its task's cleanup runs); later ones
    are not raised again. A killed run sends one per thread of its process as they die, and a second
    interrupt landing in the worker's own exit (multiprocessing joining its queue threads) killed a
    queue thread holding a lock the other worker then waited on for ever. Either way the worker ends
    at most WORKER_GRACE_S after the run's process is gone, whatever its unwinding waits for."""
    global _INTERRUPTED
    _end_after_the_run()
    if not _INTERRUPTED:
        from pipeline.runs import interrupts
        if interrupts.deferred(signum, frame, _worker_sigterm):  # raised in a finalizer, it would be lost
            return
        _INTERRUPTED = True
        raise KeyboardInterrupt(f"signal {signum}")


def _end_after_the_run() -> None:
    global _DEADLINE_ARMED
    if _DEADLINE_ARMED:
        return
    _DEADLINE_ARMED = True
    import threading

    def watch() -> None:
        while os.getppid() == _RUN_PID:  # a cancel from a live run: the run waits for its workers
            time.sleep(0.2)
        time.sleep(WORKER_GRACE_S)
        os._exit(1)

    threading.Thread(target=watch, name="mlentory-worker-deadline", daemon=True).start()


def _end_workers_left(pid: int) -> None:
    """At the exit of a run's process: its doit workers have WORKER_GRACE_S to end, then are killed.
    Python's exit otherwise joins them for ever, and an interrupted worker may never end: its task
    ignores the signal and never returns, or its own exit hangs (CPython 3.11's Thread.join can wait
    for good after a KeyboardInterrupt landed in an earlier join: seen after Ctrl-C on a busy machine,
    a worker joining its result queue's feeder thread, which was gone)."""
    if os.getpid() != pid:
        return
    import multiprocessing
    import sys
    deadline = time.monotonic() + WORKER_GRACE_S
    for child in multiprocessing.active_children():
        child.join(max(0.0, deadline - time.monotonic()))
    for child in multiprocessing.active_children():
        child.kill()
        child.join(5)
        sys.stderr.write(f"doit worker {child.pid} had not ended {WORKER_GRACE_S:.0f} s after its run: killed\n")


class RunInProgress(Exception):
    """Another run holds the project's run lock; the message names it."""

    def __init__(self, holder: dict | None):
        self.holder = holder or {}
        super().__init__(f"a run is in progress: {describe(holder)}")


def describe(holder: dict | None) -> str:
    """`run 20261201-020000-123 (pid 123: doit hf_etl_job, started 40 s ago)`."""
    if not holder or not holder.get("pid"):
        return "another run (just starting)"
    command = " ".join(["doit", *holder.get("args", [])])
    since = ""
    if holder.get("started"):
        since = f", started {max(0, int(time.time() - holder['started']))} s ago"
    run = f"run {holder['run_id']} " if holder.get("run_id") else "a run "
    return f"{run}(pid {holder['pid']}: {command}{since})"


def run_pid() -> int | None:
    """The pid of the run this process belongs to (the lock holder or one of its doit workers)."""
    return _RUN_PID


def _try_lock(handle, kind: int) -> bool:
    try:
        fcntl.lockf(handle, kind | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise


def _read_holder(paths: Paths) -> dict | None:
    try:
        return json.loads(paths.run_holder.read_text())
    except (OSError, ValueError):
        return None


def holder(paths: Paths) -> dict | None:
    """Who holds the run lock now ({pid, run_id, args, started}), or None when no run does."""
    path = paths.run_lock
    if not path.exists():
        return None
    with path.open("a+") as handle:
        if _try_lock(handle, fcntl.LOCK_SH):  # nobody holds it exclusively: no run
            fcntl.lockf(handle, fcntl.LOCK_UN)
            return None
    info = _read_holder(paths)
    # held, but its holder has not said who it is yet (it just started): the pid is unknown
    return info if info and pid_alive(info.get("pid")) else {"pid": None, "run_id": None, "args": []}


class RunLock:
    """The lock one `doit` run holds for its whole life (see the module docstring)."""

    def __init__(self, paths: Paths):
        self.paths = paths
        self._handle = None

    def acquire(self, args: list[str], wait_s: float = 0.0, on_wait=None) -> None:
        """Take the lock, or raise RunInProgress; with `wait_s` > 0 wait that long for the run in
        progress to end first (`on_wait(message)` is told once that we are waiting)."""
        global _RUN_PID, _FORK_HOOK
        self.paths.run_lock.parent.mkdir(parents=True, exist_ok=True)
        handle = self.paths.run_lock.open("a+")
        # at least a moment: holder() takes a shared lock for an instant to look
        deadline = time.monotonic() + max(wait_s, PROBE_GRACE_S)
        told = False
        while not _try_lock(handle, fcntl.LOCK_EX):
            current = _read_holder(self.paths)
            if time.monotonic() >= deadline:
                handle.close()
                raise RunInProgress(current if current and pid_alive(current.get("pid")) else None)
            if on_wait and not told and wait_s > PROBE_GRACE_S:
                on_wait(f"waiting for {describe(current)} to end (up to {wait_s:g} s)")
                told = True
            time.sleep(min(0.05 if wait_s <= PROBE_GRACE_S else 0.5, max(0.0, deadline - time.monotonic())))
        self._handle = handle
        _RUN_PID = os.getpid()
        if not _FORK_HOOK:
            os.register_at_fork(before=_note_the_forker, after_in_child=_end_with_the_run)
            import atexit
            atexit.register(_end_workers_left, os.getpid())  # runs before multiprocessing's own join
            _FORK_HOOK = True
        self.describe_self(None, args)

    def describe_self(self, run_id: str | None, args: list[str]) -> None:
        """Say who holds the lock (written to a temporary file, then renamed over data/run.json)."""
        info = {"pid": os.getpid(), "run_id": run_id, "args": list(args), "started": time.time()}
        target = self.paths.run_holder
        staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        staging.write_text(json.dumps(info))
        os.replace(staging, target)

    def release(self) -> None:
        global _RUN_PID
        if self._handle is not None:
            self.paths.run_holder.unlink(missing_ok=True)
            fcntl.lockf(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
            _RUN_PID = None
