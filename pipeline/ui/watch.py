"""Know when a project's files change without polling them: inotify on Linux, a stat scan elsewhere.

The UI pushes asset states when something that decides them changes: the run history, an output
under data/, an input, the code or the settings. `FileWatcher` watches the project's directories
(skipping virtualenvs, node_modules, caches, hidden folders and the UI's own console logs) and
reports changed paths. On Linux it asks the kernel (inotify, through ctypes: no dependency), so an
idle project costs no CPU at all; elsewhere `scan()` compares the modification times and sizes of
the same files (callers do it every few seconds).

Nothing here decides whether a change matters: the caller checks (for example the history's
`PRAGMA data_version`, or whether `doit status` says something new).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import struct
import sys
from pathlib import Path

from pipeline.paths import Paths

# inotify(7)
IN_MODIFY = 0x002
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x040, 0x080, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF, IN_Q_OVERFLOW, IN_IGNORED, IN_ISDIR = 0x400, 0x800, 0x4000, 0x8000, 0x40000000
IN_NONBLOCK, IN_CLOEXEC = os.O_NONBLOCK, os.O_CLOEXEC
# Content changes only: not IN_ATTRIB (SQLite, run as root, chowns its files each time it opens them)
# nor IN_CLOSE_WRITE (a file opened for writing and closed unchanged, like the run lock each time
# anyone looks at who holds it); a real write is an IN_MODIFY anyway.
WATCH_MASK = IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF
EVENT_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len

SKIP_DIRS = {"node_modules", "__pycache__", "build", "dist", "site-packages"}
# files whose changes say nothing about the data: SQLite's shared memory and journals, editor droppings
NOISE_SUFFIXES = ("-shm", "-journal", ".swp", ".swx", "~", ".pyc", ".tmp")
# the run lock's file is only ever locked, never written (who holds it is in run.json)
NOISE_NAMES = {Paths(Path(".")).run_lock.name}
MAX_WATCHED_DIRS = 20_000


def skipped(directory: Path, root: Path) -> bool:
    """Folders whose changes never change an asset's state (or that are far too big to watch)."""
    name = directory.name
    if directory == root:
        return False
    if name.startswith(".") or name in SKIP_DIRS or name.endswith(".egg-info"):
        return True
    if (directory / "pyvenv.cfg").exists():  # a virtualenv under another name
        return True
    return directory == Paths(root).ui_logs  # the console logs of runs the UI started


def noise(name: str) -> bool:
    return name in NOISE_NAMES or name.endswith(NOISE_SUFFIXES) or name.startswith(".#")


def project_dirs(root: Path, limit: int = MAX_WATCHED_DIRS) -> list[Path]:
    """Every folder of the project worth watching, the root first (at most `limit`)."""
    root = Path(root)
    found, stack = [], [root]
    while stack and len(found) < limit:
        directory = stack.pop()
        found.append(directory)
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False) and not skipped(Path(entry.path), root):
                        stack.append(Path(entry.path))
        except OSError:
            continue
    return found


class _Inotify:
    """A thin ctypes binding of inotify_init1 / inotify_add_watch / inotify_rm_watch."""

    def __init__(self):
        self._libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self.fd = self._libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))

    def add(self, path: Path) -> int:
        wd = self._libc.inotify_add_watch(self.fd, os.fsencode(path), WATCH_MASK)
        if wd < 0:
            raise OSError(ctypes.get_errno(), f"inotify_add_watch {path}: {os.strerror(ctypes.get_errno())}")
        return wd

    def read(self) -> list[tuple[int, int, str]]:
        """The pending events as (wd, mask, name); [] when there are none."""
        events = []
        while True:
            try:
                buffer = os.read(self.fd, 65536)
            except BlockingIOError:
                return events
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                raise
            offset = 0
            while offset < len(buffer):
                wd, mask, _, length = EVENT_HEADER.unpack_from(buffer, offset)
                offset += EVENT_HEADER.size
                name = buffer[offset:offset + length].rstrip(b"\0").decode(errors="replace")
                offset += length
                events.append((wd, mask, name))

    def close(self) -> None:
        os.close(self.fd)


class FileWatcher:
    """The changed files of a project, from the kernel (inotify) or by comparing stat results.

    `fileno()` is readable when the kernel has events (None without inotify); `changes()` returns
    the paths changed since the last call. Folders created later are watched as they appear.
    """

    def __init__(self, root: Path, use_inotify: bool | None = None):
        self.root = Path(root).resolve()
        self._inotify: _Inotify | None = None
        self._dirs: dict[int, Path] = {}
        self._stats: dict[Path, tuple[int, int]] = {}
        if use_inotify is None:
            use_inotify = sys.platform.startswith("linux")
        if use_inotify:
            try:
                self._inotify = _Inotify()
            except OSError:  # out of inotify instances, or a kernel without it: scan instead
                self._inotify = None
        if self._inotify is not None:
            try:
                for directory in project_dirs(self.root):
                    self._watch(directory)
            except OSError:  # out of watches: scan instead
                self._inotify.close()
                self._inotify, self._dirs = None, {}
        if self._inotify is None:
            self._stats = self._snapshot()

    @property
    def kernel(self) -> bool:
        """True when the kernel reports changes (no scanning needed)."""
        return self._inotify is not None

    def fileno(self) -> int | None:
        return self._inotify.fd if self._inotify else None

    def _watch(self, directory: Path) -> None:
        self._dirs[self._inotify.add(directory)] = directory

    def changes(self) -> set[Path]:
        """Paths created, written, renamed or deleted since the last call (noise left out)."""
        if self._inotify is None:
            return self.scan()
        changed: set[Path] = set()
        for wd, mask, name in self._inotify.read():
            if mask & IN_Q_OVERFLOW:  # the kernel dropped events: say the whole project changed
                changed.add(self.root)
                continue
            directory = self._dirs.get(wd)
            if directory is None:
                continue
            if mask & IN_IGNORED:
                self._dirs.pop(wd, None)
                continue
            path = directory / name if name else directory
            if mask & IN_ISDIR and mask & (IN_CREATE | IN_MOVED_TO) and not skipped(path, self.root):
                for sub in project_dirs(path):  # a new folder (and whatever was already put in it)
                    try:
                        self._watch(sub)
                    except OSError:
                        pass
            if name and noise(name):
                continue
            if directory == Paths(self.root).ui_logs or (mask & IN_ISDIR and skipped(path, self.root)):
                continue
            changed.add(path)
        return changed

    def _snapshot(self) -> dict[Path, tuple[int, int]]:
        stats = {}
        for directory in project_dirs(self.root):
            try:
                with os.scandir(directory) as entries:
                    for entry in entries:
                        if entry.is_file(follow_symlinks=False) and not noise(entry.name):
                            info = entry.stat(follow_symlinks=False)
                            stats[Path(entry.path)] = (info.st_mtime_ns, info.st_size)
            except OSError:
                continue
        return stats

    def scan(self) -> set[Path]:
        """Without inotify: the files whose modification time or size changed, appeared or vanished."""
        now = self._snapshot()
        before, self._stats = self._stats, now
        return {p for p in now.keys() | before.keys() if now.get(p) != before.get(p)}

    def close(self) -> None:
        if self._inotify is not None:
            self._inotify.close()
            self._inotify = None
