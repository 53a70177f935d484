"""`doit schedule`: the scheduler daemon for the schedules in pyproject.toml, or them as crontab lines."""

from __future__ import annotations

import sys

from doit.cmd_base import DoitCmdBase
from doit.exceptions import InvalidCommand

from pipeline.cli.base import OptionsAnywhere, opt
from pipeline.config import load_settings


class Schedule(OptionsAnywhere, DoitCmdBase):
    name = "schedule"
    doc_purpose = "run the scheduler daemon for the schedules in pyproject.toml, or print them as crontab lines"
    doc_usage = ""
    doc_description = ("Schedules are [tool.mlentory.schedules.NAME] tables with `cron` and `job`. Each tick fires "
                       "the latest due time and records earlier ones slept through as missed; a fire while a run is "
                       "in progress is recorded as skipped.")
    cmd_options = (opt("crontab", False, "print the schedules as crontab lines and exit", kind=bool),
                   opt("list", False, "list schedules: enabled, next fire, recent fires", kind=bool),
                   opt("once", False, "evaluate the schedules once and exit (for cron-like callers)", kind=bool),
                   opt("interval", 30.0, "seconds between ticks of the daemon", kind=float),
                   opt("enable", None, "enable this schedule (overrides pyproject.toml)"),
                   opt("disable", None, "disable this schedule (overrides pyproject.toml)"))

    def _execute(self, crontab=False, list=False, once=False, interval=30.0, enable=None, disable=None):
        import shlex
        import time
        from datetime import datetime, timezone

        from pipeline.errors import SettingsError
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
        book = sched.ScheduleBook(settings.paths.run_history)
        try:
            for name, value in ((enable, True), (disable, False)):
                if name:
                    if name not in {s.name for s in defined}:
                        raise InvalidCommand(f"no schedule {name}")
                    book.set_enabled(name, value)
                    self.outstream.write(f"schedule {name} {'enabled' if value else 'disabled'}\n")
            if enable or disable:
                return 0
            scheduler = sched.Scheduler(defined, book, sched.job_launcher(settings.root))
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

