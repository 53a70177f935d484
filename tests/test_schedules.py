"""Schedules with an injected clock: fires at the right times, reports missed fires, never a backlog."""

from datetime import datetime, timedelta, timezone

import pytest

from pipeline.errors import SettingsError
from pipeline.runs.schedules import Schedule, ScheduleBook, Scheduler, crontab_lines, load_schedules


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=timezone.utc)


@pytest.fixture
def setup(tmp_path):
    clock = Clock(at(1, 0, 30))
    launched = []
    busy = {"now": False}

    def launch(schedule):
        if busy["now"]:
            return None
        launched.append((schedule.name, clock.now))
        return 1000 + len(launched)

    book = ScheduleBook(tmp_path / "runs.sqlite3")
    nightly = Schedule("nightly", "0 2 * * *", "hf_etl_job")
    scheduler = Scheduler([nightly], book, launch, clock)
    yield scheduler, clock, launched, busy, book
    book.close()


def test_fires_once_at_the_cron_time_and_not_before(setup):
    scheduler, clock, launched, _, book = setup
    assert scheduler.tick() == []  # the first look only starts the clock: no backlog from before
    clock.now = at(1, 1, 59)
    assert scheduler.tick() == [] and launched == []
    clock.now = at(1, 2, 0, ) + timedelta(seconds=20)
    fires = scheduler.tick()
    assert [(f.due, f.outcome) for f in fires] == [(at(1, 2), "fired")] and len(launched) == 1
    clock.now = at(1, 2, 1)
    assert scheduler.tick() == [] and len(launched) == 1
    assert [(f.due, f.outcome, f.pid) for f in book.history("nightly")] == [(at(1, 2), "fired", 1001)]


def test_fires_slept_through_are_reported_as_missed_and_only_the_latest_runs(setup):
    scheduler, clock, launched, _, book = setup
    scheduler.tick()
    clock.now = at(4, 2, 10)  # the daemon was down from the 1st to the 4th
    fires = scheduler.tick()
    assert [(f.due, f.outcome) for f in fires] == [(at(1, 2), "missed"), (at(2, 2), "missed"),
                                                    (at(3, 2), "missed"), (at(4, 2), "fired")]
    assert len(launched) == 1
    assert [f.outcome for f in book.history("nightly")] == ["fired", "missed", "missed", "missed"]


def test_a_fire_during_a_run_is_skipped_with_the_reason_and_disabled_schedules_do_not_fire(setup):
    scheduler, clock, launched, busy, book = setup
    scheduler.tick()
    busy["now"] = True
    clock.now = at(1, 2, 1)
    assert [f.outcome for f in scheduler.tick()] == ["skipped: a run is in progress"]
    busy["now"] = False
    book.set_enabled("nightly", False)
    clock.now = at(2, 2, 1)
    assert scheduler.tick() == [] and launched == []
    book.set_enabled("nightly", True)
    clock.now = at(3, 2, 1)
    assert [f.outcome for f in scheduler.tick()] == ["fired"]  # the disabled day is not owed afterwards


def test_time_zones_are_honoured(tmp_path):
    berlin = Schedule("b", "0 2 * * *", "job", timezone="Europe/Berlin")
    assert berlin.next_time(at(1, 0)) == at(1, 1)  # 02:00 in Berlin is 01:00 UTC in March (CET)


def test_schedules_come_from_pyproject_and_bad_ones_are_named(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mlentory.schedules.nightly]\ncron = "0 2 * * *"\njob = "hf_etl_job"\n'
        '[tool.mlentory.schedules.weekly]\ncron = "30 4 * * 1"\njob = "hf_etl_job"\nenabled = false\n')
    nightly, weekly = load_schedules(tmp_path, {"hf_etl_job"})
    assert (nightly.cron, weekly.enabled) == ("0 2 * * *", False)
    lines = crontab_lines([nightly, weekly], tmp_path, "doit")
    assert f"0 2 * * * cd {tmp_path} && doit hf_etl_job >> data/schedule-nightly.log 2>&1" in lines
    assert any(line.startswith("# disabled: 30 4 * * 1") for line in lines)
    (tmp_path / "pyproject.toml").write_text('[tool.mlentory.schedules.bad]\ncron = "every day"\njob = "x"\n')
    with pytest.raises(SettingsError, match="schedule bad: 'every day' is not a cron expression"):
        load_schedules(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.mlentory.schedules.bad]\ncron = "0 2 * * *"\njob = "nope"\n')
    with pytest.raises(SettingsError, match="unknown job 'nope'"):
        load_schedules(tmp_path, {"hf_etl_job"})


def test_doit_schedule_prints_the_crontab_of_the_project(hf_project):
    result = hf_project.doit("schedule", "--crontab")
    assert result.returncode == 0, result.stderr
    assert f"0 2 * * * cd {hf_project.root} && " in result.stdout and "hf_etl_job" in result.stdout
    listed = hf_project.doit("schedule", "--list")
    assert listed.returncode == 0 and "nightly_hf_etl  0 2 * * *  job hf_etl_job  enabled  next " in listed.stdout
