"""Stop signals turned into KeyboardInterrupt where the interrupt cannot be lost.

A signal handler runs between two bytecodes of whatever the main thread executes, finalizers
included (`__del__`, run when the cycle collector frees an object). An exception raised there is
printed as "Exception ignored in ..." with its traceback and dropped, and the process goes on as if
never told to stop. Seen in CI: a doit worker whose run was killed got its SIGTERM inside
`subprocess.Popen.__del__`. Inside a finalizer the handler is called again RETRY_S later instead.
"""

from __future__ import annotations

import signal

RETRY_S = 0.05


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
