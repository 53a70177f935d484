"""The run console by asset, `doit runs` / `doit logs` by asset, and output into closed pipes, through
real doit runs."""

import os
import pty
import re
import subprocess
import sys

from pipeline.assets import REGISTRY
from tests.test_incremental import ASSET_LINE, RAN

SHARDS = 16
ASSETS = [asset.name for asset in REGISTRY]


def lines(result) -> list[str]:
    return (result.stdout + result.stderr).splitlines()


def asset_lines(result) -> dict[str, str]:
    return {line.split()[0]: line for line in result.stdout.splitlines() if ASSET_LINE.match(line)}


def on_a_terminal(project, *args, env=None) -> str:
    """What `doit ARGS` writes to a terminal (a pseudo-terminal), without NO_COLOR unless `env` sets it."""
    environment = {k: v for k, v in project.env.items() if k not in ("NO_COLOR", "CI")}
    environment.update(TERM="xterm", **(env or {}))
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "doit", *args], cwd=project.root, env=environment,
                               stdout=follower, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def into_closed_pipe(project, *args) -> subprocess.CompletedProcess:
    """`doit ARGS | head -0`: stdout is a pipe whose reader has already gone."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run([sys.executable, "-m", "doit", *args], cwd=project.root, env=project.env,
                              stdout=writer, stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(writer)


def test_a_full_build_is_one_line_per_asset_and_a_no_op_a_handful(hf_project):
    hf_project.env["MLENTORY_SHARDS"] = str(SHARDS)
    build = hf_project.doit()
    assert build.returncode == 0, build.stdout + build.stderr
    printed = lines(build)
    assert len(printed) <= 60, "\n".join(printed)
    assert "\r" not in build.stdout and "\x1b" not in build.stdout  # a pipe: plain lines
    seen = asset_lines(build)
    assert sorted(seen) == sorted(ASSETS)  # every asset once, in the order the run finished them:
    finished = list(seen)  # each after what it reads (which of the ready ones first is pipeline/runs/priority.py's)
    assert all(finished.index(up) < finished.index(a.name) for a in REGISTRY for up in a.upstream)
    normalized = seen["hf_models_normalized"].split()
    checks = len(REGISTRY["hf_models_normalized"].checks)
    assert normalized[1:3] == ["built", f"{SHARDS}/{SHARDS}"] and f"checks: {checks} passed" in seen[
        "hf_models_normalized"]
    models = int(normalized[4].replace(",", ""))
    assert normalized[5] == "models" and models > 300
    assert not any(line.startswith(("hf_models_normalized:", ".  ", "-- ")) for line in printed)  # no shard task
    assert build.stderr.splitlines() == ["source recorded in .env: HF_HUB_OFFLINE=1 - later commands use it without "
                                         "repeating it (a value in the environment still wins, and a run records it)"]
    # the models of every platform: each one's normalized asset line, summed (331 Hub models and 44 bioimage.io ones)
    every = sum(int(re.search(r"([\d,]+) models", line)[1].replace(",", "")) for name, line in seen.items()
                if name.endswith("_models_normalized"))
    assert every > models
    assert re.fullmatch(rf"run \S+ done in [\d.]+ s: {len(ASSETS)} assets built \({every:,} models\)",
                        build.stdout.splitlines()[-1])

    noop = hf_project.doit()
    assert noop.returncode == 0 and len(lines(noop)) <= len(ASSETS) + 2, noop.stdout  # one line per asset
    assert {line.split("  ")[-1].strip() for line in asset_lines(noop).values()} == {"up to date", f"{SHARDS} shards"}
    assert all(" up to date" in line for line in asset_lines(noop).values()) and len(asset_lines(noop)) == len(ASSETS)
    assert noop.stdout.splitlines()[-1].startswith(f"Nothing to do: all {len(ASSETS)} selected assets")

    # -v 2: every doit task, as doit prints them, with the metadata lines of unsharded assets
    assert hf_project.doit("forget", "hf_models_jsonld").returncode == 0
    verbose = hf_project.doit("-v", "2", "hf_models_jsonld")
    ran = RAN.findall(verbose.stdout)
    assert sorted(ran) == [f"hf_models_jsonld:{i:03d}" for i in range(SHARDS)], verbose.stdout
    assert "-- hf_raw_models" in verbose.stdout and f"-- hf_models_normalized:{SHARDS - 1:03d}" in verbose.stdout

    # the runs by asset: what the build did to each asset, its shards counted, the slowest named
    run_id = build.stdout.splitlines()[-1].split()[1]
    runs = hf_project.doit("runs", "-n", "3").stdout.splitlines()
    assert re.search(rf"3 assets: 1 built, 2 up to date \({models:,} models\)$", runs[0]), runs
    assert runs[1].endswith(f"nothing to do: {len(ASSETS)} assets up to date")
    assert runs[2].startswith(run_id) and runs[2].endswith(f"{len(ASSETS)} assets: {len(ASSETS)} built ({every:,} models)")
    one = hf_project.doit("runs", run_id[:15]).stdout.splitlines()
    assert one[0].startswith(f"run {run_id}  success  started ")
    shown = [line for line in one if ASSET_LINE.match(line)]
    assert [line.split()[0] for line in shown] == finished  # in the order they ran
    slowest = [line for line in one if line.strip().startswith("slowest shards:")]
    assert len(slowest) == sum(asset.sharded for asset in REGISTRY)  # one per sharded asset
    assert all(len(re.findall(r"\b\d{3} [\d.]+ s", line)) == 3 for line in slowest)

    # logs by asset: every shard of the run that built it, grouped; one shard by its task name
    logs = hf_project.doit("logs", "hf_models_normalized").stdout
    assert logs.startswith(f"== hf_models_normalized (built, {SHARDS}/{SHARDS} shards, ") and f"in run {run_id}" in logs
    assert f'"models": {models}' in logs and "-- checks (hf_models_normalized:checks)" in logs
    assert re.search(r"other task\(s\) of hf_models_normalized printed nothing \(slowest shards: \d{3} ", logs)
    assert hf_project.doit("logs", "hf_models_normalized:003").stdout.startswith(
        "== hf_models_normalized:003 (success, ")
    jsonld = hf_project.doit("logs", "hf_models_jsonld").stdout  # the -v 2 run built it last
    assert verbose.stdout.splitlines()[-1].split()[1] in jsonld.splitlines()[0]


def test_logs_after_a_no_op_and_unknown_names_in_one_line(toy_project):
    assert toy_project.doit().returncode == 0
    built = toy_project.doit("runs", "-n", "1").stdout.split()[0]
    assert toy_project.doit().returncode == 0
    logs = toy_project.doit("logs")
    first = logs.stdout.splitlines()[0]
    assert "had nothing to do" in first and f"showing {built}, the last run that built or failed" in first
    assert "== numbers (success" in logs.stdout and "read 3 numbers" in logs.stdout
    for args, says in ((["20991231-235959-1"], "no run 20991231-235959-1"), (["no_such_asset"], "no run or asset"),
                       ([built, "no_such_asset"], "no_such_asset did not run in run"),
                       (["20991231-235959-1", "numbers"], "no run 20991231-235959-1")):
        result = toy_project.doit("logs", *args)
        assert result.returncode != 0 and result.stdout == "", (args, result.stdout)
        assert len(result.stderr.splitlines()) == 1 and says in result.stderr, (args, result.stderr)
    assert toy_project.doit("logs", "numbers").stdout.startswith("== numbers (success")
    unknown = toy_project.doit("runs", "20991231")
    assert unknown.returncode != 0 and len(unknown.stderr.splitlines()) == 1 and "no run 20991231" in unknown.stderr


def test_a_failure_is_one_line_and_the_asset_lines_say_what_did_not_run(toy_project):
    toy_project.path("FAIL_doubled").write_text("disk on fire")
    result = toy_project.doit()
    assert result.returncode != 0
    assert [line for line in lines(result) if "disk on fire" in line] == [
        line for line in result.stdout.splitlines() if line.startswith("FAILED doubled: RuntimeError: disk on fire")]
    seen = asset_lines(result)
    assert seen["numbers"].split()[1] == "built" and seen["doubled"].split()[1] == "failed"
    assert seen["total"].split()[1:3] == ["not", "run"]
    assert re.fullmatch(r"run (\S+) failed after [\d.]+ s: 3 assets: 1 built, 1 failed, 1 not run \(3 rows\) - "
                        r"details: `doit logs \1`", result.stdout.splitlines()[-1])
    assert len(lines(result)) == 6, result.stdout  # read 3 numbers, under its asset


def test_a_progress_line_on_a_terminal_only(toy_project):
    toy_project.path("SLOW_doubled").write_text("1")
    terminal = on_a_terminal(toy_project)
    assert re.search(r"\r[#█░-]{20} \d/3 tasks  doubled", terminal), terminal  # redrawn in place while it runs
    assert "\x1b[32mbuilt" in terminal  # colors on a terminal
    assert terminal.rstrip().splitlines()[-1].startswith("run ")  # the progress line was erased at the end
    toy_project.path("input.txt").write_text("5\n")
    no_color = on_a_terminal(toy_project, env={"NO_COLOR": "1"})
    assert "\x1b" not in no_color and "\r" in no_color.replace("\r\n", "")  # the progress line needs no escapes
    toy_project.path("input.txt").write_text("6\n")
    ci = on_a_terminal(toy_project, env={"CI": "true", "NO_COLOR": "1"})
    assert "\r" not in ci.replace("\r\n", "") and "doubled  built" in ci


def test_output_into_a_closed_pipe_prints_no_traceback(toy_project):
    built = into_closed_pipe(toy_project)  # the run goes on and is recorded, only its console is gone
    assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr
    assert toy_project.doit("runs", "-n", "1").stdout.split()[1] == "success"
    assert toy_project.path("data/total.txt").read_text() == "12\n"
    for args in (["logs"], ["runs"], ["runs", toy_project.doit("runs").stdout.split()[0]], ["logs", "numbers"],
                 ["status"], ["lineage"]):
        result = into_closed_pipe(toy_project, *args)
        assert result.returncode == 0 and result.stderr == "", (args, result.stderr)
