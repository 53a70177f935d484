"""doit reporter plugin: doit's console output, one-line failures, and the run history.

Declared in `pyproject.toml` `[tool.doit.plugins.reporter]` and selected for `doit run`; doit
imports it before `dodo.py`, so it lives in the installed package. Every task is recorded in
`data/runs.sqlite3` as it starts and finishes. SIGTERM becomes a KeyboardInterrupt, so a killed run
ends like Ctrl-C: doit saves its dependency state and the run is recorded as interrupted.

A run first takes the project's run lock (pipeline/runs/lock.py): a second run is refused with one
line naming the one in progress. Holding it, the run removes what interrupted runs left (staging and
temporary files, an embedded graph server whose run is gone). Everything the run prints or records
passes through the settings' redaction (pipeline/config.py): no credential reaches the console or
the run history, whatever a library puts in its messages.
"""

from __future__ import annotations

import re
import signal
import sys
import threading

from doit.exceptions import DependencyError, InvalidTask, TaskFailed, UnmetDependency
from doit.reporter import ConsoleReporter

from pipeline.config import load_settings, redact_data, redact_text
from pipeline.registry import missing_input_message
from pipeline.runs.history import History, history_path
from pipeline.runs.lock import RunInProgress, RunLock

_MISSING_FILE = re.compile(r"Dependent file '(?P<path>[^']+)' does not exist")


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def _output(task, stream: str) -> str:
    return "".join(getattr(action, stream) or "" for action in task.actions)


class RedactingStream:
    """A text stream that passes whole lines on with URLs redacted and secrets masked (a partial
    line waits for its end, or a flush, so a URL split across writes is still caught)."""

    def __init__(self, stream, secrets: tuple[str, ...]):
        self._stream = stream
        self._secrets = secrets
        self._pending = ""
        self._lock = threading.Lock()  # doit -P thread: tasks write from several threads

    def write(self, text: str) -> int:
        with self._lock:
            self._pending += text
            if "\n" in self._pending:
                complete, _, self._pending = self._pending.rpartition("\n")
                self._stream.write(redact_text(complete + "\n", self._secrets))
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if self._pending:
                self._stream.write(redact_text(self._pending, self._secrets))
                self._pending = ""
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def __getattr__(self, name):
        return getattr(self._stream, name)


class PipelineReporter(ConsoleReporter):
    desc = "console output with one-line failures, recorded in data/runs.sqlite3 (mlentory)"

    def __init__(self, outstream, options):
        super().__init__(outstream, options)
        self._producer_of: dict[str, str] = {}
        self._executed = 0
        self._uptodate: set[str] = set()
        self.history: History | None = None
        self.run_id: str | None = None
        self._lock: RunLock | None = None
        self._refused: str | None = None
        self._secrets: tuple[str, ...] = ()

    def write(self, text):
        super().write(redact_text(text, self._secrets))

    # -- run lifecycle ----------------------------------------------------------------------------
    def initialize(self, tasks, selected_tasks):
        settings = load_settings()
        self._secrets = settings.secrets()
        # what tasks print goes to the console through these (doit tees it there as it happens)
        sys.stdout = RedactingStream(sys.stdout, self._secrets)
        sys.stderr = RedactingStream(sys.stderr, self._secrets)
        argv = [redact_text(arg, self._secrets) for arg in sys.argv]
        lock = RunLock(settings.data_dir)
        try:
            lock.acquire(argv[1:], settings.run_wait, on_wait=lambda message: self._say(message))
        except RunInProgress as exc:
            self._refused = (f"not started: {exc} - wait for it to end (or cancel it in `doit ui`), "
                             f"or set MLENTORY_RUN_WAIT=SECONDS to wait for it")
            raise InvalidTask(self._refused) from None
        self._lock = lock
        super().initialize(tasks, selected_tasks)
        self._producer_of = {target: task.name for task in tasks.values() for target in task.targets}
        self._planned = self._closure(tasks, selected_tasks or [])
        self._reported: set[str] = set()
        self._clean_up_after_interrupted_runs(settings)
        self.history = History(history_path(settings.data_dir))
        self.run_id = self.history.start_run(argv, list(selected_tasks or []))
        lock.describe_self(self.run_id, argv[1:])
        signal.signal(signal.SIGTERM, _raise_interrupt)
        self._previous_hook = sys.excepthook
        sys.excepthook = self._excepthook

    @staticmethod
    def _say(message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    def _clean_up_after_interrupted_runs(self, settings) -> None:
        """Holding the run lock, nothing else writes: remove what earlier runs left unfinished."""
        from pipeline.storage import sweep_leftovers
        removed = sweep_leftovers(settings.data_dir)
        if removed:
            names = ", ".join(str(p.relative_to(settings.root)) for p in removed[:3])
            self._say(f"removed {len(removed)} unfinished file(s) an interrupted run left: {names}"
                      + (" ..." if len(removed) > 3 else ""))
        graph_dir = settings.data_dir / "graph"
        if (graph_dir / "server.json").exists() or any(graph_dir.glob("temp-*.rdb")):
            from pipeline.load.falkordb import reap
            try:
                message = reap(graph_dir)
            except Exception as exc:  # the run can still start its own server; say what is wrong
                message = f"warning: could not stop the embedded graph server in {graph_dir}: {exc}"
            if message:
                self._say(message)

    def _closure(self, tasks, selected) -> list[str]:
        """The selected tasks and everything they depend on: what this run means to bring up to date."""
        planned, stack = [], list(selected)
        while stack:
            name = stack.pop()
            if name in planned or name not in tasks:
                continue
            planned.append(name)
            task = tasks[name]
            stack += list(task.task_dep) + [self._producer_of[d] for d in task.file_dep if d in self._producer_of]
        return [n for n in planned if tasks[n].actions]

    def _excepthook(self, kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):
            sys.stderr.write(f"interrupted: run {self.run_id} recorded as interrupted; doit saved its state\n")
            return
        self._previous_hook(kind, value, tb)

    def complete_run(self):
        if self._refused is not None:  # another run is in progress: this one did nothing, says one line
            sys.stderr.write(f"doit: {self._refused}\n")
            sys.stderr.flush()
            return
        try:
            self._complete_run()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None
            sys.stdout.flush()
            sys.stderr.flush()

    def _complete_run(self):
        self._stop_embedded_servers()
        explained = [f for f in self.failures if f.get("explained")]
        self.failures = [f for f in self.failures if not f.get("explained")]
        super().complete_run()
        interrupted = isinstance(sys.exc_info()[1], KeyboardInterrupt)
        if not (self._executed or explained or self.failures or self.runtime_errors or interrupted):
            assets = {name.split(":")[0] for name in self._uptodate}
            shards = f" ({len(self._uptodate)} tasks with their shards)" if len(assets) < len(self._uptodate) else ""
            self.write(f"Nothing to do: all {len(assets)} selected assets{shards} are up to date.\n")
        if self.history is not None:
            for name in self._planned:
                if name not in self._reported:  # doit stopped before reaching it
                    self.history.task_finished(self.run_id, name, "skipped")
            failed = explained or self.failures or self.runtime_errors
            self.history.end_run(self.run_id, "interrupted" if interrupted else "failed" if failed else "success")
            self.history.close()
            self.history = None

    @staticmethod
    def _stop_embedded_servers() -> None:
        """The embedded graph server lives for one run (its loader shards share it): stop and save it."""
        graph_dir = load_settings().data_dir / "graph"
        if (graph_dir / "server.json").exists():
            from pipeline.load.falkordb import stop_server
            try:
                stop_server(graph_dir)
            except Exception as exc:  # the run's own outcome matters more; say what went wrong
                sys.stderr.write(f"warning: could not stop the embedded graph server in {graph_dir}: {exc}\n")

    def _clean(self, text: str | None) -> str | None:
        return redact_text(text, self._secrets) if text else text

    # -- tasks ------------------------------------------------------------------------------------
    def execute_task(self, task):
        super().execute_task(task)
        self._reported.add(task.name)
        if task.actions:
            self._executed += 1
            self.history.task_started(self.run_id, task.name)

    def add_success(self, task):
        super().add_success(task)
        if task.actions:
            metadata = {k: v for k, v in (task.values or {}).items() if not k.startswith("_")}
            self.history.task_finished(self.run_id, task.name, "success", self._clean(_output(task, "out")),
                                       self._clean(_output(task, "err")),
                                       metadata=redact_data(metadata, self._secrets))

    def skip_uptodate(self, task):
        super().skip_uptodate(task)
        self._reported.add(task.name)
        if task.actions:
            self._uptodate.add(task.name)
            self.history.task_finished(self.run_id, task.name, "up-to-date")

    def skip_ignore(self, task):
        super().skip_ignore(task)
        self._reported.add(task.name)
        self.history.task_finished(self.run_id, task.name, "skipped")

    def explain(self, task, fail) -> str | None:
        """One line for failures we understand; None means show doit's full report."""
        if isinstance(fail, DependencyError):
            match = _MISSING_FILE.search(fail.message)
            if match:
                return missing_input_message(task.name, match["path"], self._producer_of.get(match["path"]))
        if isinstance(fail, UnmetDependency):
            return f"{task.name}: not run because {fail.message.strip()} failed"
        if isinstance(fail, TaskFailed) and not fail.traceback:
            return fail.message
        if fail.traceback:
            last = fail.traceback[-1].strip().splitlines()[-1] if fail.traceback else fail.message
            return f"{task.name}: {last} - full traceback: `doit logs {self.run_id} {task.name}`"
        return None

    def add_failure(self, task, fail):
        self._reported.add(task.name)
        line = self.explain(task, fail)
        if task.actions or not isinstance(fail, UnmetDependency):
            self.history.task_finished(self.run_id, task.name, "failed" if task.executed else "skipped",
                                       self._clean(_output(task, "out")), self._clean(_output(task, "err")),
                                       error=self._clean(fail.get_msg()),
                                       metadata=redact_data(getattr(fail, "metadata", None) or {}, self._secrets))
        if line is None:
            super().add_failure(task, fail)
            return
        self.failures.append({"task": task, "exception": fail, "explained": True})
        self.write(f"FAILED {line}\n")
