"""Files replaced by a commit are removed by a thread of their own, not by the task that replaced them.

Removing a large file here is mostly waiting: 25 ms for 100 MB once its bytes reached the disk, of
which 5 ms is CPU (ext4 frees its blocks and the disk is told they are free). A 1% update at two
million models replaces about 200 MB of files per shard (its JSON-LD exports and normalized files),
and every shard's task waited for those removals before taking its next shard.

A replaced file is first renamed to a name of its own (the staging file it sat at may be written again
by the next build in this process) that ends like a staging file, so a process killed before removing
it leaves a file the next run's sweep removes (`storage.sweep_leftovers`). At most `PENDING` files wait
at a time: a producer faster than the removals waits rather than fill the disk. A process removes what
it queued before it ends (an interpreter's exit, a `multiprocessing` process's end) and a run's own
process when the run ends (`wait_for_removals`).
"""

from __future__ import annotations

import atexit
import itertools
import os
import queue
import sys
import threading
from pathlib import Path

PENDING = 16
_files: queue.Queue | None = None  # this process's removals (a forked child starts without any)
_names = itertools.count()
_starting = threading.Lock()


def remove_later(path: Path, leftover_suffix: str) -> None:
    """Rename `path` to a name of its own ending in `leftover_suffix` and remove it in the background
    (at once, in this thread, where the rename fails)."""
    parked = path.with_name(f"{path.name}.{os.getpid()}.{next(_names)}.replaced{leftover_suffix}")
    try:
        os.rename(path, parked)
    except OSError:
        path.unlink(missing_ok=True)
        return
    _queue().put(parked)


def wait_for_removals() -> None:
    """Return once every file this process queued is removed."""
    if _files is not None:
        _files.join()


def _queue() -> queue.Queue:
    global _files
    with _starting:
        if _files is None:
            _files = queue.Queue(maxsize=PENDING)
            threading.Thread(target=_remove, args=(_files,), name="mlentory-removals", daemon=True).start()
            atexit.register(wait_for_removals)
            from multiprocessing import util  # a multiprocessing process ends without running atexit

            util.Finalize(None, wait_for_removals, exitpriority=100)
        return _files


def _remove(files: queue.Queue) -> None:
    while True:
        path = files.get()
        try:
            path.unlink(missing_ok=True)
        except Exception as exc:  # named like a staging file: the next run's sweep of leftovers removes it
            print(f"could not remove the replaced file {path} ({exc}); the next run removes it", file=sys.stderr)
        finally:
            files.task_done()


def _forked() -> None:
    global _files, _starting
    _files = None  # the parent's queue: its thread does not run in this process
    _starting = threading.Lock()  # a thread of the parent may have held it when it forked


os.register_at_fork(after_in_child=_forked)
