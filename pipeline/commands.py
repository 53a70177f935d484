"""doit command plugins: thin wrappers over `pipeline.runs` and `pipeline.load` functions.

Declared in `pyproject.toml` `[tool.doit.plugins.command]`: `doit status`, `doit quality`, `doit runs`,
`doit logs`, `doit lineage`, `doit search`, `doit graph`, `doit schedule` and `doit ui`.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time

from doit.cmd_base import Command, DoitCmdBase
from doit.exceptions import InvalidCommand

from pipeline.checks import render as check_lines
from pipeline.config import load_settings
from pipeline.errors import PipelineError
from pipeline.runs import grouping, lineage, status
from pipeline.runs.console import asset_line, count_of, shards_text, word_of
from pipeline.runs.history import History, history_path


def use_color(stream) -> bool:
    try:
        return stream.isatty() and not os.environ.get("NO_COLOR")
    except (AttributeError, ValueError):
        return False


def _history() -> History:
    return History(history_path(load_settings().data_dir))


def _reader_gone() -> None:
    """The reader of stdout went away (`doit logs | head`): send the rest of the output nowhere, so
    neither this command nor Python's exit flush fails on it."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


class OptionsAnywhere:
    """doit parses options only before the first positional argument; accept them after it too.

    A command with `raw_words` reads its words from the command line itself: doit turns every
    `name=value` word into a variable before a command sees it, and queries are full of `=`.
    Output into a pipe closed early (`| head`) ends the command quietly, without a traceback."""

    raw_words = False

    def parse_execute(self, in_args):
        try:
            result = self._parse_execute(in_args)
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            _reader_gone()
            return 0

    def _raw_args(self, in_args):
        argv = sys.argv[1:]
        if self.raw_words and self.name in argv:
            return argv[argv.index(self.name) + 1:]
        return in_args

    def _parse_execute(self, in_args):
        in_args = self._raw_args(in_args)
        takes_value = {}
        for option in self.get_options():
            for flag in (f"--{option.long}" if option.long else None, f"-{option.short}" if option.short else None):
                if flag:
                    takes_value[flag] = option.type is not bool
        options, words, index = [], [], 0
        while index < len(in_args):
            token = in_args[index]
            flag = token.split("=", 1)[0]
            if flag in takes_value:
                options.append(token)
                if takes_value[flag] and "=" not in token and index + 1 < len(in_args):
                    options.append(in_args[index + 1])
                    index += 1
            else:
                words.append(token)
            index += 1
        return super().parse_execute(options + words)


def _opt(name, default, help_text, kind=str, short="", choices=None):
    option = {"name": name, "short": short, "long": name, "type": kind, "default": default, "help": help_text}
    if choices:
        option["choices"] = choices
    return option


class Status(OptionsAnywhere, DoitCmdBase):
    name = "status"
    doc_purpose = "one row per asset: state (fresh/stale/failed/running/never), last materialization, metadata"
    doc_usage = "[PATTERN]"
    doc_description = ("Staleness propagates downstream, shard by shard. A sharded asset is one row summing its "
                       "shards; --shards (or a PATTERN with ':', e.g. 'hf_models_normalized:00*') lists the shards "
                       "too. Colors on a terminal; plain when piped or NO_COLOR is set.")
    cmd_options = (_opt("group", None, "only assets of this group or job"),
                   _opt("state", None, "only assets in this state", choices=tuple((s, "") for s in status.STATES)),
                   _opt("shards", False, "also one row per shard of sharded assets", kind=bool),
                   _opt("format", "text", "text (a table) or json (the rows, jobs and lineage, for the UI)",
                        choices=(("text", ""), ("json", ""))))

    def _execute(self, pos_args=None, group=None, state=None, shards=False, format="text"):
        tasks = {t.name: t for t in self.task_list}
        history = _history()
        try:
            states = status.compute_states(tasks, self.dep_manager, history)
        finally:
            history.close()
            self.dep_manager.close()
        jobs = status.job_states(tasks, states)
        chosen = status.select(states, jobs, pos_args[0] if pos_args else None, group, state, shards)
        shown_jobs = [j for j in jobs if not group or j.name == group or group in tasks[j.name].meta["groups"]]
        if format == "json":
            self.outstream.write(json.dumps(status_document(tasks, chosen, shown_jobs), default=str) + "\n")
            return 0
        self.outstream.write(status.render(chosen, shown_jobs, use_color(self.outstream)) + "\n")
        return 0


def status_document(tasks: dict, rows: list, jobs: list) -> dict:
    """`doit status --format json`: the AssetState rows (with description and files), the jobs."""
    from dataclasses import asdict

    files: dict[str, list[str]] = {}
    for task in tasks.values():
        meta = task.meta or {}
        if meta.get("asset"):
            files.setdefault(meta["asset"], []).extend(task.targets)
    assets = []
    for row in rows:
        item = asdict(row)
        item.pop("cause", None)
        item.pop("root", None)
        if row.shard is None:
            item["description"] = tasks[row.name].doc if row.name in tasks else ""
            item["files"] = files.get(row.asset, [])
        else:
            item["description"], item["files"] = "", list(tasks[row.name].targets) if row.name in tasks else []
        assets.append(item)
    return {"assets": assets,
            "jobs": [{"name": j.name, "assets": j.assets, "counts": j.counts,
                      "description": tasks[j.name].doc or ""} for j in jobs]}


class Quality(OptionsAnywhere, DoitCmdBase):
    name = "quality"
    doc_purpose = "the catalog's quality: how full each field is, and every asset check's figures"
    doc_usage = ""
    doc_description = ("Read from the current outputs (nothing is rebuilt): per-field fill rates of the normalized "
                       "records, the relations of derived models, card flags, and each asset check with its figure.")
    cmd_options = (_opt("format", "text", "text or json", choices=(("text", ""), ("json", ""))),)

    def _execute(self, pos_args=None, format="text"):
        from pipeline.registry import load_registry
        from pipeline.runs import quality

        refs = {(t.meta or {}).get("registry") for t in self.task_list} - {None}
        self.dep_manager.close()
        if len(refs) != 1:
            raise InvalidCommand("this project's dodo.py declares no asset registry to report on")
        history = _history()
        try:
            document = quality.report(load_registry(refs.pop()), load_settings(), history)
        finally:
            history.close()
        if format == "json":
            self.outstream.write(json.dumps(document, default=str) + "\n")
        else:
            self.outstream.write(quality.render(document) + "\n")
        return 0


class Lineage(OptionsAnywhere, DoitCmdBase):
    name = "lineage"
    doc_purpose = "the asset graph (or one asset's upstream and downstream) as text, mermaid or dot"
    doc_usage = "[ASSET]"
    cmd_options = (_opt("format", "text", "output format", choices=(("text", ""), ("mermaid", ""), ("dot", ""))),)

    def _execute(self, pos_args=None, format="text"):
        upstream = {t.name: list(t.meta["upstream"]) for t in status.asset_tasks({t.name: t for t in self.task_list})}
        if pos_args:
            try:
                upstream = lineage.neighbourhood(upstream, pos_args[0])
            except KeyError as exc:
                raise InvalidCommand(exc.args[0]) from None
        render = {"text": lineage.text, "mermaid": lineage.mermaid, "dot": lineage.dot}[format]
        self.outstream.write(render(upstream) + "\n")
        return 0


RUN_ID = re.compile(r"^\d{8}-\d{6}(-\d+)?$")


def _run_groups(history: History, run_id: str) -> tuple[list, list[dict]]:
    """A run's task records, and them grouped by asset (pipeline/runs/grouping.py)."""
    records = history.tasks(run_id)
    return records, grouping.group_run(records)


def _run_line(run, groups: list[dict]) -> str:
    """One run in `doit runs`: id, status, when, how long, what it did to its assets."""
    counts = grouping.summarize(groups)
    duration = f"{run.duration:.1f}s" if run.duration is not None else "-"
    head = f"{run.id}  {run.status:<11}  {status.ago(run.started):>8}  {duration:>7}"
    if not groups:
        return f"{head}  no assets"
    done = counts["built"] + counts["checked"] + counts["failed"] + counts["interrupted"] + counts["running"]
    assets = f"{counts['assets']} asset{'s' * (counts['assets'] != 1)}"
    if not done and counts["up_to_date"] == counts["assets"]:
        return f"{head}  nothing to do: {assets} up to date"
    parts = [f"{counts[key]} {label}" for key, label in (
        ("built", "built"), ("checked", "checked"), ("running", "running"), ("up_to_date", "up to date"),
        ("failed", "failed"), ("interrupted", "interrupted"), ("skipped", "not run")) if counts[key]]
    line = f"{head}  {assets}: {', '.join(parts)}"
    records = counts["records"]
    noun = "models" if "models" in records else next(iter(records), None)
    if noun:
        line += f" ({count_of(records[noun], noun)})"
    failed = [g["asset"] for g in groups if g["status"] in ("failed", "interrupted")]
    if failed:
        line += f" - {'failed' if any(g['status'] == 'failed' for g in groups) else 'interrupted'}: {', '.join(failed)}"
    return line


class Runs(OptionsAnywhere, Command):
    name = "runs"
    doc_purpose = "recent runs and what they did to each asset; `doit runs RUN_ID` for one run's assets and shards"
    doc_usage = "[RUN_ID]"
    doc_description = ("Without RUN_ID: one line per run (status, age, duration, assets built / up to date / failed). "
                       "With RUN_ID (or a unique prefix): one line per asset of that run, its shard tasks counted by "
                       "state, with the slowest shards and every failure.")
    cmd_options = (_opt("limit", 10, "how many runs", kind=int, short="n"),)

    def execute(self, params, args):
        history = _history()
        try:
            if args:
                return self._one(history, args[0])
            for run in history.runs(params["limit"]):
                sys.stdout.write(_run_line(run, _run_groups(history, run.id)[1]) + "\n")
        finally:
            history.close()
        return 0

    @staticmethod
    def _one(history: History, run_id: str) -> int:
        try:
            run = history.run(run_id)
        except LookupError as exc:
            raise InvalidCommand(str(exc)) from None
        if run is None:
            raise InvalidCommand(f"no run {run_id} in the run history - `doit runs` lists them")
        groups = _run_groups(history, run.id)[1]
        color = use_color(sys.stdout)
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(run.started))
        duration = f"{run.duration:.1f} s" if run.duration is not None else "still running"
        sys.stdout.write(f"run {run.id}  {run.status}  started {when}  {duration}  "
                         f"doit {' '.join(run.argv[1:])}".rstrip() + "\n")
        width = max((len(g["asset"]) for g in groups), default=0)
        for group in groups:
            sys.stdout.write(asset_line(group, width, color) + "\n")
            if group["sharded"] and group["slowest"] and group["built"]:
                slowest = ", ".join(f"{s['shard']} {s['seconds']:.2f} s" for s in group["slowest"])
                sys.stdout.write(f"    slowest shards: {slowest}; task time {group['task_seconds']:.1f} s\n")
            for failure in group["failures"]:
                sys.stdout.write(f"    {failure['status'].upper()} {failure['name']}: {failure['error']}\n")
        for at, event in history.events(run.id):
            sys.stdout.write(f"-- {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(at))} {event}\n")
        if not groups:
            sys.stdout.write("no assets: the run recorded no task\n")
        return 0


class Logs(OptionsAnywhere, Command):
    name = "logs"
    doc_purpose = "what a run's tasks printed, by asset: `doit logs` (last run), `doit logs ASSET`, `doit logs RUN [ASSET]`"
    doc_usage = "[RUN] [ASSET]"
    doc_description = ("Without arguments: the last run that built or failed something, its failed assets (else the "
                       "assets it built). ASSET is an asset name (all its shards, grouped) or one task "
                       "(`hf_models_normalized:017`); without RUN, the latest run that built it or failed on it.")
    cmd_options = ()

    def execute(self, params, args):
        history = _history()
        try:
            run_id, asset, note = self._resolve(history, list(args))
            if note:
                sys.stdout.write(note + "\n")
            records, groups = _run_groups(history, run_id)
            if asset:
                chosen = [g for g in groups if g["asset"] == asset.split(":")[0]]
                if ":" in asset:
                    records = [r for r in records if r.name == asset]
                if not chosen or not records:
                    raise InvalidCommand(f"{asset} did not run in run {run_id} - `doit runs {run_id}` lists its assets")
            else:  # what failed; else, in a run that failed before running anything, what has an error;
                # else what it built
                chosen = [g for g in groups if g["status"] in ("failed", "interrupted")] or \
                    [g for g in groups if any(r.error for r in records if grouping.split_name(r.name)[0] == g["asset"])
                     and history.run(run_id).status == "failed"] or \
                    [g for g in groups if g["status"] in ("success", "running")]
            for at, event in history.events(run_id):  # e.g. a cancel from the UI and the signals it sent
                sys.stdout.write(f"-- {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(at))} {event}\n")
            by_name = {r.name: r for r in records}
            for group in chosen:
                names = [t["name"] for t in group["tasks"] if t["name"] in by_name]
                if asset and ":" in asset:
                    names = [asset]
                self._show_group(run_id, group, [by_name[n] for n in names], single=bool(asset and ":" in asset))
        finally:
            history.close()
        return 0

    @staticmethod
    def _show_task(run_id: str, record) -> None:
        duration = f"{record.duration:.2f}s" if record.duration is not None else "-"
        sys.stdout.write(f"== {record.name} ({record.status}, {duration}) in run {run_id}\n")
        shown = {k: v for k, v in record.metadata.items() if k != "checks"}
        if shown:
            sys.stdout.write("metadata: " + json.dumps(shown, sort_keys=True) + "\n")
        if record.metadata.get("checks"):
            sys.stdout.write("-- checks\n" + check_lines(record.metadata["checks"]) + "\n")
        for title, text in (("stdout", record.stdout), ("stderr", record.stderr), ("error", record.error)):
            if text:
                sys.stdout.write(f"-- {title}\n{text.rstrip()}\n")

    def _show_group(self, run_id: str, group: dict, records: list, single: bool) -> None:
        """An unsharded asset (or one task) as its task; a sharded asset as one header with what its shards
        add up to, then only the shard tasks that printed something or failed."""
        if single or not group["sharded"]:
            for record in records:
                self._show_task(run_id, record)
            return
        word = word_of(group)
        took = f", {group['wall_seconds']:.2f}s" if group["wall_seconds"] is not None else ""
        sys.stdout.write(f"== {group['asset']} ({word}, {shards_text(group)}{took}) in run {run_id}\n")
        if group["metadata"]:
            sys.stdout.write("metadata: " + json.dumps(group["metadata"], sort_keys=True) + " (summed over the shards "
                             "built)\n")
        if group["checks"]:
            sys.stdout.write(f"-- checks ({group['asset']}:checks)\n" + check_lines(group["checks"]) + "\n")
        loud = [r for r in records if r.stdout or r.stderr or r.error or r.status in ("failed", "interrupted")]
        quiet = [r for r in records if r not in loud and r.status in ("success", "running")]
        for record in loud:
            self._show_task(run_id, record)
        if quiet:
            slowest = ", ".join(f"{s['shard']} {s['seconds']:.2f}s" for s in group["slowest"])
            sys.stdout.write(f"-- {len(quiet)} other task(s) of {group['asset']} printed nothing"
                             + (f" (slowest shards: {slowest})" if slowest else "") + "\n")

    @staticmethod
    def _resolve(history: History, args: list[str]) -> tuple[str, str | None, str | None]:
        """(run id, asset or task name or None, a line to say first or None) from `[RUN] [ASSET]`."""
        if len(args) > 2:
            raise InvalidCommand("give at most a run id and an asset: doit logs [RUN] [ASSET]")
        run = None
        if args:
            try:
                run = history.run(args[0])
            except LookupError as exc:
                raise InvalidCommand(str(exc)) from None
            if run is not None:
                args = args[1:]
            elif RUN_ID.match(args[0]) or len(args) == 2:
                raise InvalidCommand(f"no run {args[0]} in the run history - `doit runs` lists them")
        if run is not None:
            return run.id, (args[0] if args else None), None
        if args:  # an asset (or a task) without a run: the latest run that built it or failed on it
            found = history.latest_run_of(args[0], include_parts=":" not in args[0])
            if found is None:
                if history.mentions(args[0], include_parts=":" not in args[0]):
                    raise InvalidCommand(f"no recorded run built {args[0]} or failed on it (every run found it up "
                                         "to date)")
                raise InvalidCommand(f"no run or asset {args[0]!r} in the run history - `doit runs` lists runs, "
                                     "`doit list` assets")
            return found, args[0], None
        latest = history.run()
        if latest is None:
            raise InvalidCommand("no runs recorded yet: run `doit` first")
        if history.did_something(latest.id):
            return latest.id, None, None
        previous = history.last_run_that_did_something()
        if previous is None:
            raise InvalidCommand(f"the last run, {latest.id}, had nothing to do (every asset was up to date), and no "
                                 "recorded run built anything yet")
        return previous, None, (f"-- the last run, {latest.id}, had nothing to do (every asset was up to date); "
                                f"showing {previous}, the last run that built or failed something")


class Search(OptionsAnywhere, Command):
    name = "search"
    raw_words = True
    doc_purpose = "search the loaded catalog (Elasticsearch at ELASTICSEARCH_URL, else the embedded index)"
    doc_usage = "QUERY..."
    cmd_options = (_opt("limit", 10, "how many models", kind=int, short="n"),
                   _opt("task", None, "only models with this ML task"),
                   _opt("license", None, "only models with this license"))

    def execute(self, params, args):
        from pipeline.load.search import format_results, search_models
        filters = {k: params[k] for k in ("task", "license") if params[k]}
        try:
            hits, facets, _ = search_models(load_settings(), " ".join(args), params["limit"], filters)
        except PipelineError as exc:
            sys.stderr.write(f"search failed: {exc}\n")
            return 1
        sys.stdout.write(format_results(hits, facets) + "\n")
        return 0


class Graph(OptionsAnywhere, Command):
    name = "graph"
    raw_words = True  # Cypher is full of `=`
    doc_purpose = "run a read-only Cypher query on the loaded graph (Neo4j at NEO4J_URI, else the embedded graph)"
    doc_usage = "CYPHER"
    cmd_options = ()

    def execute(self, params, args):
        from pipeline.load.graph import query_graph
        if not args:
            raise InvalidCommand('give a Cypher query, e.g. doit graph "MATCH (m:MLModel) RETURN count(m)"')
        try:
            rows = query_graph(load_settings(), " ".join(args))
        except PipelineError as exc:
            sys.stderr.write(f"graph query failed: {exc}\n")
            return 1
        except Exception as exc:  # the engine's own error for a bad query: show it, not a traceback
            sys.stderr.write(f"graph query failed: {exc.__class__.__name__}: {str(exc).splitlines()[0]}\n")
            return 1
        for row in rows:
            sys.stdout.write("\t".join(json.dumps(v, default=str) if not isinstance(v, str) else v for v in row) + "\n")
        return 0


class Schedule(OptionsAnywhere, DoitCmdBase):
    name = "schedule"
    doc_purpose = "run the scheduler daemon for the schedules in pyproject.toml, or print them as crontab lines"
    doc_usage = ""
    doc_description = ("Schedules are [tool.mlentory.schedules.NAME] tables with `cron` and `job`. Each tick fires "
                       "the latest due time and records earlier ones slept through as missed; a fire while a run is "
                       "in progress is recorded as skipped.")
    cmd_options = (_opt("crontab", False, "print the schedules as crontab lines and exit", kind=bool),
                   _opt("list", False, "list schedules: enabled, next fire, recent fires", kind=bool),
                   _opt("once", False, "evaluate the schedules once and exit (for cron-like callers)", kind=bool),
                   _opt("interval", 30.0, "seconds between ticks of the daemon", kind=float),
                   _opt("enable", None, "enable this schedule (overrides pyproject.toml)"),
                   _opt("disable", None, "disable this schedule (overrides pyproject.toml)"))

    def _execute(self, crontab=False, list=False, once=False, interval=30.0, enable=None, disable=None):
        import shlex
        import time
        from datetime import datetime, timezone

        from pipeline.config import SettingsError
        from pipeline.runs import schedules as sched

        settings = load_settings()
        jobs = {t.name for t in self.task_list if (t.meta or {}).get("job")}
        try:
            defined = sched.load_schedules(settings.root, jobs)
        except SettingsError as exc:
            raise InvalidCommand(str(exc)) from None
        if crontab:
            doit = " ".join(shlex.quote(p) for p in (sys.executable, "-m", "doit"))
            self.outstream.write("\n".join(sched.crontab_lines(defined, settings.root, doit)) + "\n")
            return 0
        book = sched.ScheduleBook(history_path(settings.data_dir))
        try:
            for name, value in ((enable, True), (disable, False)):
                if name:
                    if name not in {s.name for s in defined}:
                        raise InvalidCommand(f"no schedule {name}")
                    book.set_enabled(name, value)
                    self.outstream.write(f"schedule {name} {'enabled' if value else 'disabled'}\n")
            if enable or disable:
                return 0
            scheduler = sched.Scheduler(defined, book, _launcher(settings.root))
            if list:
                now = datetime.now(timezone.utc)
                for s in defined:
                    state = "enabled" if scheduler.enabled(s) else "disabled"
                    recent = ", ".join(f"{f.due:%Y-%m-%d %H:%M} {f.outcome}" for f in book.history(s.name, 3))
                    self.outstream.write(f"{s.name}  {s.cron}  job {s.job}  {state}  next {s.next_time(now):%Y-%m-%d %H:%M} UTC"
                                         f"  recent: {recent or '-'}\n")
                return 0
            while True:
                for fire in scheduler.tick():
                    self.outstream.write(f"{fire.due:%Y-%m-%d %H:%M} UTC {fire.name}: {fire.outcome}"
                                         + (f" (pid {fire.pid})" if fire.pid else "") + "\n")
                    self.outstream.flush()
                if once:
                    return 0
                time.sleep(interval)
        finally:
            book.close()


def _launcher(root):
    """Start `doit JOB` as its own process (never inside this one), unless a run is in progress."""
    import subprocess

    from pipeline.runs.lock import holder

    children: list = []

    def launch(schedule) -> int | None:
        if any(child.poll() is None for child in children):
            return None
        if holder(root / "data") is not None:  # the run lock: a CLI, UI or scheduled run is in progress
            return None
        log = (root / "data" / f"schedule-{schedule.name}.log").open("a")
        child = subprocess.Popen([sys.executable, "-m", "doit", schedule.job], cwd=root, stdout=log,
                                 stderr=subprocess.STDOUT)
        children.append(child)
        return child.pid

    return launch


class Ui(OptionsAnywhere, Command):
    name = "ui"
    doc_purpose = "serve the web UI (assets graph, jobs, runs, schedules) on http://127.0.0.1:3000"
    doc_usage = ""
    doc_description = ("Binds the loopback address unless --host says otherwise. The UI has no login: bound to "
                       "another address, anyone who reaches it can start and cancel runs. It answers only requests "
                       "whose Host is this machine's name or one of its addresses (--allowed-hosts adds names, e.g. a "
                       "proxy's; '*' allows any). Runs started from the UI are separate `doit` processes, one at a "
                       "time, recorded in the run history; stopping the UI interrupts the run it started.")
    cmd_options = (_opt("host", "127.0.0.1", "address to bind (0.0.0.0: every interface)"),
                   _opt("port", 3000, "port to listen on", kind=int, short="p"),
                   {"name": "allowed_hosts", "short": "", "long": "allowed-hosts", "type": str, "default": "",
                    "help": "comma-separated extra names the Host header may carry (e.g. your proxy's); '*': any"})

    def execute(self, params, args):
        import uvicorn

        from pipeline.ui.hosts import LOOPBACK_NAMES, is_loopback, machine_names, url_for
        from pipeline.ui.server import VENDOR_HINT, create_app, missing_vendor_files

        root = load_settings().root
        host, port = params["host"], params["port"]
        extra = [name.strip() for name in params["allowed_hosts"].split(",") if name.strip()]
        if missing_vendor_files():
            sys.stderr.write(f"warning: {VENDOR_HINT}\n")
        if is_loopback(host):
            hosts = list(dict.fromkeys(LOOPBACK_NAMES + [host] + extra))
            sys.stderr.write(f"mlentory UI for {root} on {url_for(host, port)}\n")
        else:
            names = machine_names(host)
            hosts = ["*"] if "*" in extra else list(dict.fromkeys(LOOPBACK_NAMES + names + extra))
            where = "every interface" if host in ("0.0.0.0", "::") else "that address"
            also = ", ".join(url_for(name, port) for name in names if name != host)
            sys.stderr.write(f"mlentory UI for {root} on {url_for(host, port)} ({where}"
                             + (f": {also}" if also else "") + ")\n")
            answered = "any Host name" if hosts == ["*"] else "Host names " + ", ".join(hosts)
            sys.stderr.write(f"warning: the UI has no login: anyone who can reach port {port} on {where} can start "
                             f"and cancel runs (it answers {answered}); keep it on 127.0.0.1, or behind a proxy "
                             "that authenticates\n")
        sys.stderr.flush()
        uvicorn.run(create_app(root, allowed_hosts=hosts), host=host, port=port, log_level="warning")
        return 0
