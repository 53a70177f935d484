"""doit reporter plugin: the run console by asset, one-line failures, and the run history.

Declared in `pyproject.toml` `[tool.doit.plugins.reporter]` and selected for `doit run`; doit
imports it before `dodo.py`, so it lives in the installed package. Every task is recorded in
`data/runs.sqlite3` as it starts and finishes.

The console speaks in assets, not in doit tasks: one line per asset once the run is done with it
(a sharded asset's shards as a count, its `<asset>:checks` task's summary on the same line, the
first lines its tasks printed indented below), failures in one line as they happen, and a closing
summary. On a terminal a progress line below them shows the run advancing (pipeline/runs/console.py);
in pipes, files and CI the lines are plain. `doit -v 2` (`--verbosity 2`) shows every doit task
instead, as doit's own console does, with what they print as they print it. SIGTERM becomes a KeyboardInterrupt, so a killed run
ends like Ctrl-C: doit saves its dependency state and the run is recorded as interrupted.

A run first takes the project's run lock (pipeline/runs/lock.py): a second run is refused with one
line naming the one in progress. Holding it, the run removes what interrupted runs left (staging and
temporary files, an embedded graph server whose run is gone). Everything the run prints or records
passes through the settings' redaction (pipeline/config.py): no credential reaches the console or
the run history, whatever a library puts in its messages.
"""

from __future__ import annotations

import json
import re
import signal
import sys
import threading
import time

from doit.exceptions import DependencyError, InvalidTask, TaskFailed, UnmetDependency
from doit.reporter import ConsoleReporter

from pipeline.checks import summary as check_summary
from pipeline.config import load_settings, record_source, redact_data, redact_text
from pipeline.registry import missing_input_message
from pipeline.runs.console import Console, asset_line, elapsed, is_live, main_figure, summary_parts, use_color
from pipeline.runs.grouping import group_asset, summarize
from pipeline.deferred_removal import wait_for_removals
from pipeline.runs import interrupts
from pipeline.runs.history import History, TaskRecord
from pipeline.runs.lock import RunInProgress, RunLock
from pipeline.runs.states import TaskState

_MISSING_FILE = re.compile(r"Dependent file '(?P<path>[^']+)' does not exist")


def _raise_interrupt(signum, frame):
    if interrupts.deferred(signum, frame, _raise_interrupt):  # raised in a finalizer, it would be lost
        return
    raise KeyboardInterrupt(f"signal {signum}")


def _loads_graph(task) -> bool:
    """Is this the task of an asset that loads the graph (pipeline/assets.py: loads_graph)?"""
    meta = task.meta or {}
    if not meta.get("registry") or not meta.get("asset") or meta.get("checks_of"):
        return False
    from pipeline.assets import loads_graph
    from pipeline.registry import load_registry
    registry = load_registry(meta["registry"])
    return meta["asset"] in registry and loads_graph(registry[meta["asset"]])


def _output(task, stream: str) -> str:
    return "".join(getattr(action, stream) or "" for action in task.actions)


class RedactingStream:
    """A text stream that passes whole lines on with URLs redacted and secrets masked (a partial
    line waits for its end, or a flush, so a URL split across writes is still caught). With a live
    console on the same terminal, lines go through it (it erases its progress line first). A closed
    reader (`doit | head`) makes writes vanish rather than fail the task that writes."""

    def __init__(self, stream, secrets: tuple[str, ...], console: Console | None = None):
        self._stream = stream
        self._secrets = secrets
        self._console = console
        self._pending = ""
        self._closed = False
        self._lock = threading.Lock()  # doit -P thread: tasks write from several threads

    def _emit(self, text: str) -> None:
        if self._closed:
            return
        try:
            if self._console is not None and self._console.live:
                self._console.interject(self._stream, text)
            else:
                self._stream.write(text)
        except BrokenPipeError:
            self._closed = True

    def write(self, text: str) -> int:
        with self._lock:
            self._pending += text
            if "\n" in self._pending:
                complete, _, self._pending = self._pending.rpartition("\n")
                self._emit(redact_text(complete + "\n", self._secrets))
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if self._pending:
                self._emit(redact_text(self._pending, self._secrets))
                self._pending = ""
        if not self._closed:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._closed = True

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def requested_verbosity(argv: list[str]) -> int | None:
    """The `-v N` / `--verbosity N` a `doit` command line gives, if any (doit does not tell reporters)."""
    for index, arg in enumerate(argv):
        value = None
        if arg in ("-v", "--verbosity") and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--verbosity="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-v") and arg[2:].isdigit():
            value = arg[2:]
        if value is not None and value.strip().isdigit():
            return int(value)
    return None


MAX_NOTES = 3  # lines a run's tasks printed, shown under their asset's line (the rest: `doit logs ASSET`)
class PipelineReporter(ConsoleReporter):
    desc = "console by asset with one-line failures (-v 2: by doit task), recorded in data/runs.sqlite3 (mlentory)"

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
        self._verbosity = requested_verbosity(sys.argv[1:])
        self.by_task = self._verbosity == 2  # -v 2: doit's console, every task
        self.console = Console(outstream, live=not self.by_task and is_live(outstream))
        self.color = use_color(outstream)
        self._started_at = time.time()
        self._records: dict[str, TaskRecord] = {}  # this run's tasks as they happen
        self._asset_of: dict[str, str] = {}  # planned task -> its asset
        self._plan: dict[str, list[str]] = {}  # asset -> its planned tasks, in definition order
        self._left: dict[str, set[str]] = {}  # asset -> planned tasks not reported yet
        self._shown: set[str] = set()  # assets whose line is printed
        self._notes: dict[str, list[str]] = {}  # asset -> lines its tasks printed
        self._running: dict[str, float] = {}  # task -> when it started
        self._last_task: str | None = None  # the task the run reported last (for the progress line)
        self._width = 0
        self._tasks: dict = {}
        self._feeds_graph: set[str] | None = None  # tasks the embedded graph's loaders wait for (see execute_task)
        self._graph_dir = None

    def write(self, text):
        text = redact_text(text, self._secrets)
        if self.console.live:
            self.console.line(text) if text.endswith("\n") else self.console.interject(self.outstream, text)
            return
        try:
            super().write(text)
        except BrokenPipeError:  # `doit | head`: the reader left; the run goes on, recorded as usual
            self.console.closed = True
            self.outstream = _Discard()

    # -- run lifecycle ----------------------------------------------------------------------------
    def initialize(self, tasks, selected_tasks):
        settings = load_settings()
        self._secrets = settings.secrets()
        # what tasks print goes to the console through these (doit tees it there as it happens)
        sys.stdout = RedactingStream(sys.stdout, self._secrets, self.console)
        sys.stderr = RedactingStream(sys.stderr, self._secrets, self.console)
        argv = [redact_text(arg, self._secrets) for arg in sys.argv]
        lock = RunLock(settings.paths)
        try:
            lock.acquire(argv[1:], settings.run_wait, on_wait=lambda message: self._say(message))
        except RunInProgress as exc:
            self._refused = (f"not started: {exc} - wait for it to end (or cancel it in `doit ui`), "
                             f"or set MLENTORY_RUN_WAIT=SECONDS to wait for it")
            raise InvalidTask(self._refused) from None
        self._lock = lock
        super().initialize(tasks, selected_tasks)
        self._producer_of = {target: task.name for task in tasks.values() for target in task.targets}
        self._tasks = tasks
        self._planned = self._closure(tasks, selected_tasks or [])
        self._reported: set[str] = set()
        self._plan_by_asset(tasks)
        self._record_source(settings)
        self._clean_up_after_interrupted_runs(settings)
        self.history = History(settings.paths.run_history)
        self.run_id = self.history.start_run(argv, list(selected_tasks or []))
        lock.describe_self(self.run_id, argv[1:])
        signal.signal(signal.SIGTERM, _raise_interrupt)
        interrupts.reach_the_main_thread()  # blocked waiting for a worker's result, it would miss a `kill`
        self._previous_hook = sys.excepthook
        sys.excepthook = self._excepthook
        self._started_at = time.time()
        self.console.start(self._progress)

    def _plan_by_asset(self, tasks) -> None:
        """Group the planned tasks by asset; in asset mode what tasks print is kept for their asset's line
        (stdout captured; stderr, where warnings and retries go, still shows as it happens)."""
        for name in sorted(self._planned, key=list(tasks).index):
            asset = self._asset_name(tasks[name])
            self._asset_of[name] = asset
            self._plan.setdefault(asset, []).append(name)
            self._left.setdefault(asset, set()).add(name)
        self._width = max((len(a) for a in self._plan), default=0)
        if not self.by_task:
            verbosity = 1 if self._verbosity is None else min(self._verbosity, 1)
            for task in tasks.values():
                task.verbosity = verbosity

    @staticmethod
    def _asset_name(task) -> str:
        meta = task.meta or {}
        return meta.get("asset") or meta.get("checks_of") or task.name.split(":")[0]

    def _record_source(self, settings) -> None:
        """The source this run's environment names becomes the project's (`.env`): the commands after
        `HF_HUB_OFFLINE=1 doit` agree with it without repeating the variable."""
        env_file = settings.paths.env_file.name
        try:
            recorded, secret = record_source(settings.root)
        except OSError as exc:
            self._say(f"warning: could not record the source in {env_file}: {exc}")
            return
        if recorded:
            self._say(f"source recorded in {env_file}: {' '.join(recorded)} - later commands use it without "
                      "repeating it (a value in the environment still wins, and a run records it)")
        if secret:
            self._say(f"{', '.join(secret)} not recorded in {env_file}: it holds a credential (set it for every "
                      "command, or write it into .env yourself)")

    @staticmethod
    def _say(message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    def _clean_up_after_interrupted_runs(self, settings) -> None:
        """Holding the run lock, nothing else writes: remove what earlier runs left unfinished."""
        from pipeline.storage import sweep_leftovers
        removed = sweep_leftovers(settings.paths)
        if removed:
            names = ", ".join(str(p.relative_to(settings.root)) for p in removed[:3])
            self._say(f"removed {len(removed)} unfinished file(s) an interrupted run left: {names}"
                      + (" ..." if len(removed) > 3 else ""))
        graph_dir = settings.paths.graph
        if (graph_dir / "server.json").exists() or any(graph_dir.glob("temp-*.rdb")):
            from pipeline.load.falkordb import reap
            try:
                message = reap(graph_dir)
            except Exception as exc:  # the run can still start its own server; say what is wrong
                message = f"warning: could not stop the embedded graph server in {graph_dir}: {exc}"
            if message:
                self._say(message)

    def _closure(self, tasks, selected) -> list[str]:
        """The selected tasks and everything they depend on: what this run means to bring up to date.
        doit puts the producers of a task's input files in its task_dep (and `-s` empties it)."""
        planned, stack = [], list(selected)
        while stack:
            name = stack.pop()
            if name in planned or name not in tasks:
                continue
            planned.append(name)
            stack += list(tasks[name].task_dep)
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
            wait_for_removals()  # of the files this process's commits replaced: a run leaves none behind
            interrupts.stop_relaying()
            self.console.close()
            if self._lock is not None:
                self._lock.release()
                self._lock = None
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (BrokenPipeError, ValueError):
                    pass

    def _complete_run(self):
        self._stop_embedded_servers()
        explained = [f for f in self.failures if f.get("explained")]
        self.failures = [f for f in self.failures if not f.get("explained")]
        interrupted = isinstance(sys.exc_info()[1], KeyboardInterrupt)
        for name in self._planned:
            if name not in self._reported:  # doit stopped before reaching it
                if self.history is not None:
                    self.history.task_finished(self.run_id, name, TaskState.SKIPPED)
                self._note_final(name, TaskState.SKIPPED)
        for asset in self._plan:
            if asset not in self._shown:
                self._show_asset(asset)
        self.console.close()
        super().complete_run()
        failed = bool(explained or self.failures or self.runtime_errors)
        if not (self._executed or failed or interrupted):
            assets = {name.split(":")[0] for name in self._uptodate}
            shards = f" ({len(self._uptodate)} tasks with their shards)" if len(assets) < len(self._uptodate) else ""
            self.write(f"Nothing to do: all {len(assets)} selected assets{shards} are up to date.\n")
        elif self.run_id is not None:
            self.write(self._summary(TaskState.INTERRUPTED if interrupted else TaskState.FAILED if failed else TaskState.SUCCESS) + "\n")
        if self.history is not None:
            self.history.end_run(self.run_id, TaskState.INTERRUPTED if interrupted else TaskState.FAILED if failed else TaskState.SUCCESS)
            self.history.close()
            self.history = None

    @staticmethod
    def _stop_embedded_servers() -> None:
        """The embedded graph server lives for one run (its loader shards share it): stop and save it."""
        graph_dir = load_settings().paths.graph
        if (graph_dir / "server.json").exists():
            from pipeline.load.falkordb import stop_server
            try:
                stop_server(graph_dir)
            except Exception as exc:  # the run's own outcome matters more; say what went wrong
                sys.stderr.write(f"warning: could not stop the embedded graph server in {graph_dir}: {exc}\n")

    def _clean(self, text: str | None) -> str | None:
        return redact_text(text, self._secrets) if text else text

    # -- the console by asset ---------------------------------------------------------------------
    def _note_final(self, name: str, status: str, metadata: dict | None = None, error: str | None = None,
                    out: str | None = None) -> None:
        """A task of this run reached its final state: keep it, and print its asset's line once the run
        is done with every task of that asset."""
        started = self._running.pop(name, None)
        self._last_task = name
        now = time.time()
        self._records[name] = TaskRecord(self.run_id or "", name, status, started if started is not None else now,
                                         now if started is not None else None, None, None, error, metadata or {})
        asset = self._asset_of.get(name)
        if asset is None:  # not planned (doit ran something the plan did not foresee): its own asset
            asset = self._asset_of[name] = name.split(":")[0]
            self._plan.setdefault(asset, []).append(name)
            self._width = max(self._width, len(asset))
        if out and not self.by_task:
            self._notes.setdefault(asset, []).extend(line.rstrip() for line in out.splitlines() if line.strip())
        left = self._left.setdefault(asset, set())
        left.discard(name)
        if not left and asset not in self._shown:
            self._show_asset(asset)
        self.console.refresh()

    def _show_asset(self, asset: str) -> None:
        self._shown.add(asset)
        if self.by_task:
            return
        records = [self._records[n] for n in self._plan.get(asset, []) if n in self._records]
        if not records:
            return
        self.write(asset_line(group_asset(asset, records), self._width, self.color) + "\n")
        notes = self._notes.get(asset, [])
        for note in notes[:MAX_NOTES]:
            self.write(f"    {note}\n")
        if len(notes) > MAX_NOTES:
            self.write(f"    ... {len(notes) - MAX_NOTES} more line(s): `doit logs {asset}`\n")

    def _summary(self, outcome: str) -> str:
        groups = [group_asset(asset, [self._records[n] for n in names if n in self._records])
                  for asset, names in self._plan.items() if any(n in self._records for n in names)]
        counts = summarize(groups)
        parts = summary_parts(counts)
        took = elapsed(time.time() - self._started_at)
        figures = main_figure(counts)
        assets = f"{counts['assets']} asset{'s' * (counts['assets'] != 1)}"
        what = f"{assets} {parts[0].split(' ', 1)[1]}" if len(parts) == 1 else f"{assets}: {', '.join(parts)}"
        if outcome == TaskState.SUCCESS:
            return f"run {self.run_id} done in {took}: {what}{figures}"
        return f"run {self.run_id} {outcome} after {took}: {what}{figures} - details: `doit logs {self.run_id}`"

    def _progress(self) -> str:
        """The live line: a bar over this run's tasks, the assets being built with their shard counts."""
        total = len(self._planned)
        done = len(self._records)
        current = []
        for name in list(self._running) or [self._last_task]:
            asset = self._asset_of.get(name, name) if name else None
            if asset and asset not in current:
                current.append(asset)
        shown = []
        for asset in current[:2]:
            names = self._plan.get(asset, [])
            finished = sum(n in self._records for n in names)
            shown.append(f"{asset} {finished}/{len(names)}" if len(names) > 1 else asset)
        doing = "  ".join(shown) + (f" (+{len(current) - 2})" if len(current) > 2 else "")
        return (f"{self.console.bar(done, total)} {done}/{total} tasks  {doing or 'checking what is stale'}  "
                f"{elapsed(time.time() - self._started_at)}")

    # -- tasks ------------------------------------------------------------------------------------
    def execute_task(self, task):
        if self.by_task:
            super().execute_task(task)
        self._reported.add(task.name)
        if task.actions:
            self._executed += 1
            self._running[task.name] = time.time()
            self.history.task_started(self.run_id, task.name)
            self._start_graph_early(task.name)
            self.console.refresh()

    def _start_graph_early(self, name: str) -> None:
        """Once a task the embedded graph's loaders wait for runs, their server starts loading its file in
        the background (pipeline/load/falkordb_files.py: start_early); a no-op run starts nothing."""
        if self._feeds_graph is None:
            settings = load_settings()
            self._graph_dir = settings.paths.graph
            loaders = [] if settings.neo4j_uri else [n for n in self._planned if _loads_graph(self._tasks[n])]
            self._feeds_graph = set(self._closure(self._tasks, loaders)) - set(loaders)
        if name in self._feeds_graph:
            self._feeds_graph = set()  # once a run
            from pipeline.load.falkordb_files import start_early
            try:
                start_early(self._graph_dir)
            except OSError as exc:  # the loaders start it themselves then
                self._say(f"warning: could not start the embedded graph server early: {exc}")

    def add_success(self, task):
        super().add_success(task)
        if task.actions:
            metadata = redact_data({k: v for k, v in (task.values or {}).items() if not k.startswith("_")},
                                   self._secrets)
            out = self._clean(_output(task, "out"))
            self.history.task_finished(self.run_id, task.name, TaskState.SUCCESS, out, self._clean(_output(task, "err")),
                                       metadata=metadata)
            if self.by_task:
                self._show_task_metadata(task.name, metadata)
            self._note_final(task.name, TaskState.SUCCESS, metadata, out=out)

    def _show_task_metadata(self, name: str, metadata: dict) -> None:
        """-v 2: an unsharded asset's metadata and a checks summary under its task, as the task line says it ran."""
        shown = {k: v for k, v in metadata.items() if k != "checks"}
        if ":" not in name and shown:
            self.write(f"{name}: {json.dumps(shown, sort_keys=True)}\n")
        if metadata.get("checks"):
            label = f"{name}:" if name.endswith(":checks") else f"{name} checks:"
            self.write(f"{label} {check_summary(metadata['checks'])}\n")

    def skip_uptodate(self, task):
        if self.by_task:
            super().skip_uptodate(task)
        self._reported.add(task.name)
        if task.actions:
            self._uptodate.add(task.name)
            self.history.task_up_to_date(self.run_id, task.name)
            self._note_final(task.name, TaskState.UP_TO_DATE)

    def skip_ignore(self, task):
        if self.by_task:
            super().skip_ignore(task)
        self._reported.add(task.name)
        self.history.task_finished(self.run_id, task.name, TaskState.SKIPPED)
        if task.actions:
            self._note_final(task.name, TaskState.SKIPPED)

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
        metadata = redact_data(getattr(fail, "metadata", None) or {}, self._secrets)
        status = TaskState.FAILED if task.executed else TaskState.SKIPPED
        out = self._clean(_output(task, "out"))
        if task.actions or not isinstance(fail, UnmetDependency):
            self.history.task_finished(self.run_id, task.name, status, out, self._clean(_output(task, "err")),
                                       error=self._clean(fail.get_msg()), metadata=metadata)
        if line is None:
            super().add_failure(task, fail)
        else:
            self.failures.append({"task": task, "exception": fail, "explained": True})
            if self.by_task or task.executed or not isinstance(fail, UnmetDependency):
                self.write(f"FAILED {line}\n")
        if task.actions:
            self._note_final(task.name, status, metadata, error=self._clean(fail.get_msg()), out=out)


class _Discard:
    """Where the console writes once its reader is gone."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass
