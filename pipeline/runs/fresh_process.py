"""Run one task in a fresh process, so that its memory is its own.

A doit worker runs hundreds of tasks and keeps much of what they freed: the C allocator's and Python's
heaps stay about as large and as fragmented as earlier tasks left them, and the next task grows on top.
In a 2M-model build the search index task peaked at 1,040 MiB and the 84-dataset task at 1,039 MiB (run
alone at 64k models it needs 119 MiB). A whole-catalog task given a process forked from a fork server (a small process
started once per worker, the pipeline's modules already imported) starts lean and gives everything
back when it ends; the worker never grows.

The process belongs to the run as its worker does: it carries the run's pid (an embedded graph server
it starts stays the run's), and a SIGTERM interrupts its task as it would the worker's. It gets one
when its worker ends, however it ends (it watches the worker's pid: its parent is the fork server,
which lives as long as any process it made), and the interrupted worker sends one if the task has not
unwound after a Ctrl-C. What the task prints, and its result or exception (with the child's
traceback), go back to the worker, which hands them to doit as its own: the run's console, logs and
history are the same either way.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import sys
import traceback

# an interrupted worker gives its task's process this long to unwind by itself (a Ctrl-C or a cancel
# reaches the whole process group) before it sends a SIGTERM
STOP_GRACE_S = 1.0

_CONTEXT = None


class TaskProcessEnded(RuntimeError):
    """The task's process ended without a result (killed, or it crashed)."""


class ChildTraceback(Exception):
    """The traceback of an exception raised in the task's process (shown as its cause)."""


def _context(preload: list[str]):
    global _CONTEXT
    if _CONTEXT is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(preload)
        _CONTEXT = context
    return _CONTEXT


def run(function, args: tuple, preload: list[str], name: str):
    """`function(*args)` in a fresh process; its result, or its exception raised here. `preload`: the
    modules the fork server imports once (the first call in this process starts it); `name` names the
    task's process in errors."""
    from pipeline.runs.lock import run_pid

    context = _context(preload)
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, os.getpid(), run_pid(), dict(os.environ), function, args),
                            name=name)
    try:
        child.start()
        send.close()
        try:
            payload = receive.recv_bytes()
        except EOFError:
            child.join()
            raise TaskProcessEnded(f"its process ({name}, pid {child.pid}) ended without a result: "
                                   f"{_how_it_ended(child.exitcode)}") from None
        child.join()
    except BaseException:  # interrupted (Ctrl-C, a cancel, its run gone): its process unwinds first
        _stop(child)
        raise
    finally:
        receive.close()
    kind, value, trace, out, err = pickle.loads(payload)
    sys.stdout.write(out)
    sys.stderr.write(err)
    if kind == "raised":
        raise value from ChildTraceback(trace)
    return value


def _how_it_ended(code: int | None) -> str:
    import signal
    if code is not None and code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


def _stop(child) -> None:
    """The worker was interrupted: its task's process may unwind by itself (a Ctrl-C or a cancel reaches
    the whole process group), then it gets a SIGTERM, then a SIGKILL. Interrupted again (a run stops its
    workers with a SIGTERM after the Ctrl-C), the worker stops waiting: the process gets its SIGTERM when
    the worker ends."""
    from pipeline.runs.lock import WORKER_GRACE_S
    if child.pid is None:
        return
    try:
        child.join(STOP_GRACE_S)
        if child.exitcode is None:
            child.terminate()
            child.join(WORKER_GRACE_S)
        if child.exitcode is None:
            child.kill()
            child.join()
    except KeyboardInterrupt:
        return


def _end_with(worker: int) -> None:
    """A SIGTERM to this process when the worker ends (at once if it already has), and its end
    WORKER_GRACE_S later if the task has not unwound by then (it may ignore SIGTERM), as a worker ends
    after its run."""
    import select
    import signal
    import threading
    import time
    from pipeline.runs.lock import WORKER_GRACE_S
    try:
        handle = os.pidfd_open(worker)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (not Linux 5.3+): the worker's SIGTERM on an interrupt only
        return

    def watch() -> None:
        select.select([handle], [], [])
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(WORKER_GRACE_S)
        os._exit(1)

    threading.Thread(target=watch, name="mlentory-watch-worker", daemon=True).start()


def _child(send, worker: int, run: int | None, environ: dict, function, args: tuple) -> None:
    """In the task's process: join the worker's run, take its environment, run, send back what came out."""
    from pipeline.runs.lock import join_run

    join_run(run)
    _end_with(worker)
    os.environ.clear()
    os.environ.update(environ)
    out, err = io.StringIO(), io.StringIO()
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        outcome = ("returned", function(*args), None)
    except BaseException as exc:  # KeyboardInterrupt included: the worker raises it again
        outcome = ("raised", exc, traceback.format_exc())
    finally:
        sys.stdout, sys.stderr = stdout, stderr
    try:
        payload = pickle.dumps((*outcome, out.getvalue(), err.getvalue()))
    except Exception as exc:  # a result or an exception that does not pickle: its text still goes back
        what = outcome[1]
        kind = "raised" if outcome[0] == "raised" else "returned an object that does not pickle"
        payload = pickle.dumps(("raised", RuntimeError(f"the task {kind}: {type(what).__name__}: {what} ({exc})"),
                                outcome[2] or "", out.getvalue(), err.getvalue()))
    try:
        send.send_bytes(payload)
    except OSError:  # the worker is gone: nobody to tell
        pass
