"""doit command plugins: thin wrappers over `pipeline.runs` and `pipeline.load` functions.

Declared in `pyproject.toml` `[tool.doit.plugins.command]`: `doit status`, `doit quality`, `doit runs`,
`doit logs`, `doit lineage`, `doit search`, `doit graph`, `doit schedule` and `doit ui`.
"""

from __future__ import annotations

import json
import os
import sys
import time

from doit.cmd_base import Command, DoitCmdBase
from doit.exceptions import InvalidCommand

from pipeline.checks import render as check_lines
from pipeline.config import load_settings
from pipeline.registry import PipelineError
from pipeline.runs import lineage, status
from pipeline.runs.history import History, history_path


def use_color(stream) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _history() -> History:
    return History(history_path(load_settings().data_dir))


class OptionsAnywhere:
    """doit parses options only before the first positional argument; accept them after it too."""

    def parse_execute(self, in_args):
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


class Runs(OptionsAnywhere, Command):
    name = "runs"
    doc_purpose = "recent runs with status, duration and which assets ran or failed"
    doc_usage = ""
    cmd_options = (_opt("limit", 10, "how many runs", kind=int, short="n"),)

    def execute(self, params, args):
        history = _history()
        try:
            for run in history.runs(params["limit"]):
                tasks = history.tasks(run.id)
                ran = [t.name for t in tasks if t.status in ("success", "failed", "interrupted", "running")]
                failed = [t.name for t in tasks if t.status in ("failed", "interrupted")]
                duration = f"{run.duration:.1f}s" if run.duration is not None else "-"
                line = f"{run.id}  {run.status:<11}  {status.ago(run.started):>8}  {duration:>7}  ran {len(ran)}"
                if failed:
                    line += f"  failed: {', '.join(failed)}"
                elif ran:
                    line += f": {', '.join(ran[:6])}" + (" ..." if len(ran) > 6 else "")
                sys.stdout.write(line + "\n")
        finally:
            history.close()
        return 0


class Logs(OptionsAnywhere, Command):
    name = "logs"
    doc_purpose = "captured output and error of an asset in a run (default: the last run, its failed assets)"
    doc_usage = "[RUN] [ASSET]"
    cmd_options = ()

    def execute(self, params, args):
        history = _history()
        try:
            run_id, asset = self._resolve(history, list(args))
            records = history.tasks(run_id)
            if asset:
                records = [r for r in records if r.name == asset]
                if not records:
                    raise InvalidCommand(f"asset {asset!r} did not run in run {run_id}")
            else:
                failed = [r for r in records if r.status in ("failed", "interrupted")]
                records = failed or [r for r in records if r.status in ("success", "running")]
            for at, event in history.events(run_id):  # e.g. a cancel from the UI and the signals it sent
                sys.stdout.write(f"-- {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(at))} {event}\n")
            for record in records:
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
        finally:
            history.close()
        return 0

    @staticmethod
    def _resolve(history: History, args: list[str]) -> tuple[str, str | None]:
        run = None
        if args:
            try:
                run = history.run(args[0])
            except LookupError as exc:
                raise InvalidCommand(str(exc)) from None
            if run is not None:
                args = args[1:]
        run = run or history.run()
        if run is None:
            raise InvalidCommand("no runs recorded yet: run `doit` first")
        return run.id, (args[0] if args else None)


class Search(OptionsAnywhere, Command):
    name = "search"
    doc_purpose = "search the loaded catalog (Elasticsearch at ELASTICSEARCH_URL, else the embedded index)"
    doc_usage = "QUERY..."
    cmd_options = (_opt("limit", 10, "how many models", kind=int, short="n"),
                   _opt("task", None, "only models with this ML task"),
                   _opt("license", None, "only models with this license"))

    def execute(self, params, args):
        from pipeline.load.search import format_results, search_models
        filters = {k: params[k] for k in ("task", "license") if params[k]}
        try:
            hits, facets = search_models(load_settings(), " ".join(args), params["limit"], filters)
        except PipelineError as exc:
            sys.stderr.write(f"search failed: {exc}\n")
            return 1
        sys.stdout.write(format_results(hits, facets) + "\n")
        return 0


class Graph(OptionsAnywhere, Command):
    name = "graph"
    doc_purpose = "run a read-only Cypher query on the loaded graph (Neo4j at NEO4J_URI, else the embedded graph)"
    doc_usage = "CYPHER"
    cmd_options = ()

    def execute(self, params, args):
        from pipeline.load.graph import query_graph
        # doit turns every `name=value` word into a variable before a command sees it, and Cypher is
        # full of `=`: take the query from the command line itself when it is there
        argv = sys.argv[1:]
        if self.name in argv:
            args = argv[argv.index(self.name) + 1:]
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

        from pipeline.ui.server import (LOOPBACK_NAMES, VENDOR_HINT, create_app, is_loopback, machine_names,
                                        missing_vendor_files, url_for)

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
