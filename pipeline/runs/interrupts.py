"""Stop signals turned into KeyboardInterrupt where the interrupt cannot be lost.

A signal handler runs between two bytecodes of whatever the main thread executes, finalizers
included (`__del__`, run when the cycle collector frees an object). An exception raised there is
printed as "Exception ignored in ..." with its traceback and dropped, and the process goes on as if
never told to stop. Seen in CI: a doit worker whose run was killed got its SIGTERM inside
`subprocess.Popen.__del__`. Inside a finalizer the handler is called again RETRY_S later instead.

A signal sent to a process reaches one of its threads, not always the main one, and Python runs its
handler only in the main thread, at its next bytecode: a main thread blocked in a read is not woken.
Seen in CI: an idle doit worker waiting for work got the run's Ctrl-C and SIGTERM in its result
queue's feeder thread, never raised them, and the run waited for it for ever (8 of 20 Ctrl-C's of
tests/test_fresh_process.py's run here; none of 20 with the relay). `reach_the_main_thread` relays
every stop signal to the main thread: in the run's process (waiting for a worker's result), its doit
workers and the fresh processes of tasks (pipeline/runs/lock.py).
"""

from __future__ import annotations

import os
import signal
import threading

RETRY_S = 0.05
# sent to the main thread only to wake it from a blocking call; its handler does nothing, and the stop
# signal already recorded then runs its own handler
NUDGE = signal.SIGUSR1
_RELAY: dict | None = None  # this process's relay (a fork inherits the parent's: its thread does not come along)


def reach_the_main_thread(stops=(signal.SIGINT, signal.SIGTERM)) -> None:
    """Call in the main thread of a process (again in a fork of it): whichever thread a stop signal
    lands in, the main thread is woken to handle it. Python's C handler writes each signal's number to
    the wakeup pipe from the thread it landed in; a relay thread reads it and sends NUDGE to the main
    thread, which interrupts its blocking call (retried after the handlers ran, as for any signal).
    `stop_relaying` puts back what was there before."""
    global _RELAY
    inherited = _RELAY if _RELAY is not None and _RELAY["pid"] != os.getpid() else None
    if _RELAY is not None and inherited is None:
        return  # relaying already
    read, write = os.pipe()
    os.set_blocking(write, False)  # a full pipe drops a byte rather than block a signal handler
    try:
        previous = signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    except ValueError:  # not the main thread: nothing to relay to
        os.close(read)
        os.close(write)
        return
    if inherited is not None:  # the parent's pipe, replaced above: this process never writes to it again
        os.close(inherited["read"])
        os.close(inherited["write"])
        previous = inherited["previous_fd"]
    _RELAY = {"pid": os.getpid(), "read": read, "write": write, "previous_fd": previous,
              "previous_nudge": inherited["previous_nudge"] if inherited else signal.getsignal(NUDGE)}
    signal.signal(NUDGE, _woken)
    main, wanted = threading.get_ident(), {int(s) for s in stops}

    def relay() -> None:
        try:
            while received := os.read(read, 256):  # empty: stop_relaying closed the other end
                if wanted.intersection(received):
                    signal.pthread_kill(main, NUDGE)
        except OSError:  # closed under it
            return
        finally:
            os.close(read)

    threading.Thread(target=relay, name="mlentory-signal-relay", daemon=True).start()


def stop_relaying() -> None:
    """Undo `reach_the_main_thread` in this process (a run done in a process that goes on, as tests do)."""
    global _RELAY
    if _RELAY is None or _RELAY["pid"] != os.getpid() or threading.current_thread() is not threading.main_thread():
        return  # none here, or not the main thread (only it may put the wakeup pipe back)
    relay, _RELAY = _RELAY, None
    signal.set_wakeup_fd(relay["previous_fd"])
    signal.signal(NUDGE, relay["previous_nudge"] if relay["previous_nudge"] is not None else signal.SIG_DFL)
    os.close(relay["write"])  # the relay thread reads the end of the pipe and ends


def _woken(signum, frame) -> None:
    """NUDGE's handler: nothing to do, the blocking call it interrupted is retried."""


def in_finalizer(frame) -> bool:
    """Is the interrupted code (`frame` and its callers) inside a `__del__`?"""
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


def deferred(signum: int, frame, handler) -> bool:
    """If `frame` is inside a finalizer, arrange for `handler(signum, frame)` to run again RETRY_S
    later (SIGALRM) and return True; else False (the caller raises now)."""
    if not in_finalizer(frame):
        return False
    signal.signal(signal.SIGALRM, lambda _alarm, later: handler(signum, later))
    signal.setitimer(signal.ITIMER_REAL, RETRY_S)
    return True
