"""The run console: plain lines, and on a terminal a live progress line kept below them.

In a pipe, a file or CI (the `CI` variable) the console writes plain lines only. On a terminal it
also keeps one progress line at the bottom, redrawn in place with a carriage return (no escape
sequences, so NO_COLOR terminals get it too; colors are the caller's business). Anything else
written to the terminal while the progress line shows (a task's warnings on stderr, in this process
or in a `-P process` worker forked from it) first erases it; the next tick redraws it.

A write to a closed pipe (`doit | head`) silences the console instead of failing the run.
"""

from __future__ import annotations

import os
import shutil
import threading
import time

from pipeline.runs.states import TaskState

_LOCK = threading.RLock()  # every write to the terminal, from any thread of this process
_FORK_GUARD = False


def _guard_forks() -> None:
    """doit's `-P process` forks workers while the progress thread may be writing: hold the lock
    across a fork, so no worker starts with it taken."""
    global _FORK_GUARD
    if not _FORK_GUARD and hasattr(os, "register_at_fork"):
        os.register_at_fork(before=_LOCK.acquire, after_in_parent=_LOCK.release, after_in_child=_LOCK.release)
        _FORK_GUARD = True


def _terminal(stream, environ) -> bool:
    """An interactive terminal that understands escape codes (not a pipe, a file or TERM=dumb)."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and environ.get("TERM", "") != "dumb"


def is_live(stream, environ=None) -> bool:
    """A progress line only on an interactive terminal: never in a pipe, a file, CI or a dumb terminal."""
    environ = os.environ if environ is None else environ
    return _terminal(stream, environ) and not environ.get("CI")


def use_color(stream, environ=None) -> bool:
    environ = os.environ if environ is None else environ
    return _terminal(stream, environ) and not environ.get("NO_COLOR")


class Console:
    def __init__(self, stream, live: bool, interval: float = 0.25):
        self.stream = stream
        self.live = live
        self.interval = interval
        self.closed = False  # the reader went away (a closed pipe): nothing more is written
        self._status = ""
        self._drawn = 0  # width of the progress line now on screen (0: none)
        self._owner = os.getpid()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status_fn = None
        self._last = 0.0
        encoding = (getattr(stream, "encoding", None) or "").lower()
        self.unicode = encoding.replace("-", "") in ("utf8", "utf16", "utf32")

    # -- writing -----------------------------------------------------------------------------------
    def _raw(self, text: str) -> None:
        if self.closed:
            return
        try:
            self.stream.write(text)
            self.stream.flush()
        except (BrokenPipeError, ValueError):
            self.closed = True
        except OSError as exc:
            if exc.errno in (32, 5):  # EPIPE, EIO (the terminal went away)
                self.closed = True
            else:
                raise

    def _erase(self) -> None:
        if self._drawn:
            self._raw("\r" + " " * self._drawn + "\r")
            self._drawn = 0

    def _draw(self) -> None:
        if not self.live or self.closed or os.getpid() != self._owner or not self._status:
            return
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        text = self._status[:width]
        self._raw("\r" + text + " " * max(0, self._drawn - len(text)))
        self._drawn = len(text)

    def line(self, text: str) -> None:
        """Write whole lines above the progress line."""
        with _LOCK:
            self._erase()
            self._raw(text if text.endswith("\n") else text + "\n")
            self._draw()

    def interject(self, stream, text: str) -> None:
        """Write to another stream of the same terminal (stderr): erase the progress line first."""
        with _LOCK:
            self._erase()
            try:
                stream.write(text)
                stream.flush()
            except (BrokenPipeError, ValueError):
                pass
            self._draw()

    # -- the progress line -------------------------------------------------------------------------
    def start(self, status_fn) -> None:
        """Redraw `status_fn()` every `interval` seconds until `close()` (terminals only)."""
        if not self.live:
            return
        _guard_forks()
        self._status_fn = status_fn
        self._thread = threading.Thread(target=self._tick, name="mlentory-progress", daemon=True)
        self._thread.start()

    def refresh(self, force: bool = False) -> None:
        """Redraw the progress line; events call it often, so at most every tenth of a second."""
        if not self.live or self._status_fn is None or os.getpid() != self._owner:
            return
        if not force and time.monotonic() - self._last < 0.1:
            return
        with _LOCK:
            self._status = self._status_fn()
            self._last = time.monotonic()
            self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh(force=True)
            except RuntimeError:  # the run changed what the status reads meanwhile: next tick
                continue
            except Exception:  # never let the progress line take the run down
                return

    def close(self) -> None:
        """Stop redrawing and erase the progress line."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
        self._thread = None
        with _LOCK:
            self._erase()
            self._status = ""

    def bar(self, done: int, total: int, width: int = 20) -> str:
        filled = int(width * done / total) if total else width
        full, empty = ("█", "░") if self.unicode else ("#", "-")
        return full * filled + empty * (width - filled)


WORDS = {TaskState.SUCCESS: "built", TaskState.UP_TO_DATE: "up to date", TaskState.FAILED: "failed",
         TaskState.INTERRUPTED: "interrupted", TaskState.SKIPPED: "not run", TaskState.RUNNING: "running"}
# the figures of grouping.summarize, in the order a run's summary names them
SUMMARY_WORDS = (("built", "built"), ("checked", "checked"), ("running", "running"), ("up_to_date", "up to date"),
                 ("failed", "failed"), ("interrupted", "interrupted"), ("skipped", "not run"))
WORD_COLORS = {"built": "32", "checked": "32", "up to date": "90", "failed": "31", "interrupted": "33",
               "not run": "90", "running": "33"}


FLAGGED = ("quarantined", "rejected")  # metadata counts shown on an asset's line when not zero


def word_of(group: dict) -> str:
    """What a run did to an asset, in a word: built, checked (only its checks ran), up to date, failed,
    interrupted, not run, running."""
    if group["status"] == TaskState.SUCCESS and not group["built"]:
        return "checked"
    return WORDS.get(group["status"], group["status"])


def summary_parts(counts: dict) -> list[str]:
    """What a run did, from grouping.summarize: `["9 built", "2 up to date", "1 failed"]`."""
    return [f"{counts[key]} {label}" for key, label in SUMMARY_WORDS if counts[key]]


def main_figure(counts: dict) -> str:
    """The records a run's assets hold, in their main noun (models if any): ` (331 models)`, or ''."""
    records = counts["records"]
    noun = "models" if "models" in records else next(iter(records), None)
    return f" ({count_of(records[noun], noun)})" if noun else ""


def paint(word: str, width: int, color: bool) -> str:
    text = word.ljust(width)
    return f"\x1b[{WORD_COLORS.get(word, '0')}m{text}\x1b[0m" if color else text


def count_of(count: int, noun: str) -> str:
    """`331 models`, `1 model`, `1 entity`."""
    if count == 1 and noun.endswith("s"):
        noun = noun[:-3] + "y" if noun.endswith("ies") else noun[:-1]
    return f"{count:,} {noun}"


def shards_text(group: dict) -> str:
    """`256/256 shards`, `3/256 shards (253 up to date)`, `256 shards` (none built), '' when unsharded."""
    if not group["sharded"]:
        return ""
    counts = group["counts"]
    total = sum(counts.values())
    others = [f"{n} {WORDS.get(state, state)}" for state, n in counts.items() if state != TaskState.SUCCESS and n]
    if counts.get(TaskState.SUCCESS):
        return f"{counts[TaskState.SUCCESS]}/{total} shards" + (f" ({', '.join(others)})" if others else "")
    if len(counts) == 1:
        return f"{total} shards"
    return f"{total} shards: {', '.join(others)}"


def asset_line(group: dict, width: int = 0, color: bool = False) -> str:
    """One asset in one run (a `pipeline.runs.grouping` entry), e.g.
    `hf_models_normalized  built        256/256 shards  331 models  3.0 s  checks: 8 passed`."""
    from pipeline.checks import summary as check_summary
    parts = [shards_text(group)]
    if group["built"] and group["records"]:
        parts.append(count_of(group["records"]["count"], group["records"]["noun"]))
    for key in FLAGGED:  # records set aside deserve a word on the line, not only in the metadata
        if group["built"] and isinstance(group["metadata"].get(key), int) and group["metadata"][key] > 0:
            parts.append(f"{group['metadata'][key]:,} {key}")
    if group["wall_seconds"] is not None:
        parts.append(elapsed(group["wall_seconds"]))
    if group["checks"]:  # only tasks that ran carry check results
        parts.append(f"checks: {check_summary(group['checks'])}")
    details = "  ".join(p for p in parts if p)
    return f"{group['asset'].ljust(width)}  {paint(word_of(group), 11, color)}  {details}".rstrip()


def elapsed(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d} min" if minutes < 60 else f"{minutes // 60}:{minutes % 60:02d}:{rest:02d} h"


def now() -> float:
    return time.time()
