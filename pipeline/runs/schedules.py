"""Schedules: jobs started at cron times (the seed's "every day at 2 AM" is `0 2 * * *`).

Declared in `pyproject.toml`, one table per schedule:

    [tool.mlentory.schedules.nightly_hf_etl]
    cron = "0 2 * * *"      # minute hour day-of-month month day-of-week, parsed by croniter
    job = "hf_etl_job"
    timezone = "UTC"        # optional, an IANA zone name
    enabled = true          # optional; `doit schedule --disable NAME` overrides it

The daemon (`doit schedule`) remembers, per schedule, when it last looked. Each tick fires the
latest due time since then and records the earlier ones as missed, so time the daemon was down is
reported rather than silently skipped, and it never starts a backlog of runs. Fires and misses are
kept in `data/runs.sqlite3` beside the runs they started. `doit schedule --crontab` prints the
same schedules as crontab lines for those who prefer cron.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from pipeline.errors import SettingsError
from pipeline.paths import Paths
from pipeline.sqlite_wal import open_wal


@dataclass(frozen=True)
class Schedule:
    name: str
    cron: str
    job: str
    timezone: str = "UTC"
    enabled: bool = True

    def due_times(self, after: datetime, until: datetime) -> list[datetime]:
        """Every fire time t with after < t <= until."""
        zone = ZoneInfo(self.timezone)
        times = []
        iterator = croniter(self.cron, after.astimezone(zone))
        while (due := iterator.get_next(datetime)) <= until:
            times.append(due.astimezone(timezone.utc))
        return times

    def next_time(self, now: datetime) -> datetime:
        return croniter(self.cron, now.astimezone(ZoneInfo(self.timezone))).get_next(datetime).astimezone(timezone.utc)


def load_schedules(root: Path, jobs: set[str] | None = None) -> list[Schedule]:
    """The schedules of `[tool.mlentory.schedules]`; a bad entry is a SettingsError naming it."""
    path = Path(root) / "pyproject.toml"
    if not path.exists():
        return []
    with path.open("rb") as fh:
        table = tomllib.load(fh).get("tool", {}).get("mlentory", {}).get("schedules", {})
    schedules = []
    for name, entry in table.items():
        if not isinstance(entry, dict) or not entry.get("cron") or not entry.get("job"):
            raise SettingsError(f"schedule {name}: needs `cron` and `job`")
        if not croniter.is_valid(entry["cron"]):
            raise SettingsError(f"schedule {name}: {entry['cron']!r} is not a cron expression")
        if jobs is not None and entry["job"] not in jobs:
            raise SettingsError(f"schedule {name}: unknown job {entry['job']!r} (jobs: {', '.join(sorted(jobs))})")
        try:
            ZoneInfo(entry.get("timezone", "UTC"))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(f"schedule {name}: unknown timezone {entry.get('timezone')!r}") from exc
        schedules.append(Schedule(name, entry["cron"], entry["job"], entry.get("timezone", "UTC"),
                                  bool(entry.get("enabled", True))))
    return schedules


_SCHEMA = """
CREATE TABLE IF NOT EXISTS schedule_state (
    name TEXT PRIMARY KEY, enabled INTEGER, checked REAL
);
CREATE TABLE IF NOT EXISTS schedule_fires (
    name TEXT NOT NULL, due REAL NOT NULL, recorded REAL NOT NULL, outcome TEXT NOT NULL, pid INTEGER
);
"""


@dataclass
class Fire:
    name: str
    due: datetime
    outcome: str  # fired | missed | skipped: <why>
    pid: int | None = None


class ScheduleBook:
    """What the scheduler remembers, in the run history's SQLite file (WAL, shared with runs)."""

    def __init__(self, path: Path):
        self._db = open_wal(path, _SCHEMA)

    def checked(self, name: str) -> datetime | None:
        row = self._db.execute("SELECT checked FROM schedule_state WHERE name = ?", (name,)).fetchone()
        return datetime.fromtimestamp(row[0], timezone.utc) if row and row[0] is not None else None

    def set_checked(self, name: str, when: datetime) -> None:
        self._db.execute("INSERT INTO schedule_state (name, checked) VALUES (?, ?) "
                         "ON CONFLICT(name) DO UPDATE SET checked = excluded.checked", (name, when.timestamp()))

    def enabled_override(self, name: str) -> bool | None:
        row = self._db.execute("SELECT enabled FROM schedule_state WHERE name = ?", (name,)).fetchone()
        return None if row is None or row[0] is None else bool(row[0])

    def set_enabled(self, name: str, enabled: bool) -> None:
        self._db.execute("INSERT INTO schedule_state (name, enabled) VALUES (?, ?) "
                         "ON CONFLICT(name) DO UPDATE SET enabled = excluded.enabled", (name, int(enabled)))

    def record(self, fire: Fire, now: datetime) -> None:
        self._db.execute("INSERT INTO schedule_fires VALUES (?, ?, ?, ?, ?)",
                         (fire.name, fire.due.timestamp(), now.timestamp(), fire.outcome, fire.pid))

    def history(self, name: str | None = None, limit: int = 50) -> list[Fire]:
        query = "SELECT name, due, outcome, pid FROM schedule_fires"
        args: tuple = ()
        if name:
            query, args = query + " WHERE name = ?", (name,)
        rows = self._db.execute(query + " ORDER BY due DESC, rowid DESC LIMIT ?", args + (limit,)).fetchall()
        return [Fire(n, datetime.fromtimestamp(d, timezone.utc), o, p) for n, d, o, p in rows]

    def close(self) -> None:
        self._db.close()


class Scheduler:
    """Decides what fires on each tick; the clock and the launcher are injected (tests need no sleeping).

    `launch(schedule)` starts the job and returns its pid, or None when it cannot start one now
    (a run is already in progress): that fire is recorded as skipped, with the reason.
    """

    def __init__(self, schedules: list[Schedule], book: ScheduleBook, launch: Callable[[Schedule], int | None],
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.schedules = schedules
        self.book = book
        self.launch = launch
        self.clock = clock

    def enabled(self, schedule: Schedule) -> bool:
        override = self.book.enabled_override(schedule.name)
        return schedule.enabled if override is None else override

    def tick(self) -> list[Fire]:
        now = self.clock()
        fires: list[Fire] = []
        for schedule in self.schedules:
            last = self.book.checked(schedule.name)
            due = schedule.due_times(last, now) if last is not None else []
            if due and self.enabled(schedule):
                fires += [Fire(schedule.name, when, "missed") for when in due[:-1]]
                pid = self.launch(schedule)
                outcome = "fired" if pid is not None else "skipped: a run is in progress"
                fires.append(Fire(schedule.name, due[-1], outcome, pid))
            self.book.set_checked(schedule.name, now)
        for fire in fires:
            self.book.record(fire, now)
        return fires


def crontab_lines(schedules: list[Schedule], root: Path, doit: str) -> list[str]:
    """The schedules as crontab entries (cron has no per-line time zone: the entry says which it means)."""
    lines = []
    for s in schedules:
        prefix = "" if s.enabled else "# disabled: "
        zone = f" (cron times in {s.timezone}; set CRON_TZ or the system zone accordingly)" if s.timezone != "UTC" else ""
        lines.append(f"# {s.name}: doit {s.job}{zone}")
        lines.append(f"{prefix}{s.cron} cd {root} && {doit} {s.job} >> {Paths(root).schedule_log(s.name).relative_to(root)} 2>&1")
    return lines


def job_launcher(root: Path) -> Callable:
    """Start `doit JOB` as its own process (never inside this one), unless a run is in progress."""
    from pipeline.runs.lock import holder

    paths = Paths(root)
    children: list = []

    def launch(schedule) -> int | None:
        if any(child.poll() is None for child in children):
            return None
        if holder(paths) is not None:  # the run lock: a CLI, UI or scheduled run is in progress
            return None
        log = paths.schedule_log(schedule.name).open("a")
        child = subprocess.Popen([sys.executable, "-m", "doit", schedule.job], cwd=root, stdout=log,
                                 stderr=subprocess.STDOUT)
        children.append(child)
        return child.pid

    return launch
