"""Is a process still there? The one answer the run history, the run lock and Cancel share."""

from __future__ import annotations

import os
from pathlib import Path


def process_gone(pid: int) -> bool:
    """True once the process has exited (a zombie waiting for its parent counts as exited)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # someone else's process: it exists
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def pid_alive(pid) -> bool:
    """A process id as recorded (None or garbage when unknown) names a process that is still running."""
    return isinstance(pid, int) and pid > 0 and not process_gone(pid)
