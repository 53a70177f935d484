"""A plain `doit` builds on worker processes, as many as the machine allows (pipeline/runs/workers.py);
the command line, `[tool.doit.commands.run]` and MLENTORY_WORKERS say otherwise."""

import json
import sqlite3

import pytest

from pipeline.errors import SettingsError
from pipeline.runs import workers


def processes_of_last_run(project) -> tuple[int, set[int]]:
    """(the run's own process, the processes its tasks were built in)."""
    with sqlite3.connect(project.path("data/runs.sqlite3")) as db:
        run_id, run_pid = db.execute("SELECT id, pid FROM runs ORDER BY started DESC LIMIT 1").fetchone()
        metadata = [json.loads(m) for (m,) in db.execute(
            "SELECT metadata FROM tasks WHERE run_id = ? AND status = 'success'", (run_id,))]
    built = {m["process"] for m in metadata if "process" in m}
    assert built, "no task of the run recorded the process that built it"
    return run_pid, built


def test_a_plain_doit_builds_on_worker_processes(hf_project):
    result = hf_project.doit(env={"MLENTORY_WORKERS": "2"})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    run_pid, built = processes_of_last_run(hf_project)
    assert run_pid not in built and len(built) == 2


@pytest.mark.parametrize("how", ["setting", "command line", "pyproject"])
def test_one_process_when_asked(hf_project, how):
    env, args = {"MLENTORY_WORKERS": "2"}, []
    if how == "setting":
        env = {"MLENTORY_WORKERS": "1"}
    elif how == "command line":
        args = ["-n", "0"]
    else:  # doit's own place for its options is kept, though dodo.py's DOIT_CONFIG would override it
        pyproject = hf_project.path("pyproject.toml")
        pyproject.write_text(pyproject.read_text().replace("[tool.doit.commands.run]\n",
                                                           "[tool.doit.commands.run]\nnum_process = 0\n"))
    result = hf_project.doit(*args, env=env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    run_pid, built = processes_of_last_run(hf_project)
    assert built == {run_pid}


def test_a_bad_worker_count_is_refused_in_one_line(hf_project):
    result = hf_project.doit(env={"MLENTORY_WORKERS": "many"})
    assert result.returncode != 0
    assert "setting workers='many' must be 'auto' or a number of processes >= 1" in result.stderr
    assert "Traceback" not in result.stderr
    assert not hf_project.path("data/normalized").exists()


def test_auto_is_one_worker_per_cpu_within_memory(monkeypatch):
    monkeypatch.setattr(workers, "cpus_available", lambda: 8)
    monkeypatch.setattr(workers, "memory_available", lambda: 64 * 2**30)
    assert workers.workers("auto") == workers.workers(None) == 8
    monkeypatch.setattr(workers, "memory_available", lambda: 4 * 2**30)  # 1.5 GiB a worker
    assert workers.workers("auto") == 2
    monkeypatch.setattr(workers, "memory_available", lambda: 2**30)
    assert workers.workers("auto") == 1
    assert workers.workers(" 3 ") == 3


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_worker_counts_that_are_no_count_are_refused(value):
    with pytest.raises(SettingsError, match="must be 'auto' or a number of processes >= 1"):
        workers.workers(value)


def test_one_worker_is_doits_own_process(tmp_path, monkeypatch):
    assert workers.doit_run_defaults(tmp_path, "1") == {"num_process": 0, "par_type": "process"}
    assert workers.doit_run_defaults(tmp_path, "4") == {"num_process": 4, "par_type": "process"}
    (tmp_path / "pyproject.toml").write_text('[tool.doit]\npar_type = "thread"\n')
    assert workers.doit_run_defaults(tmp_path, "4") == {"num_process": 4}
