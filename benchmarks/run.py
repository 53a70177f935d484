"""Measure the sharded pipeline at scale: full build, no-op, a 1% and a 0.1% change, peak memory, status commands.

    python benchmarks/run.py --models 100000 --repeat 3
    python benchmarks/run.py --models 5000 --repeat 1 --shards 16 --jobs 2
    python benchmarks/run.py --models 2000000 --repeat 1 --leave-out hf_rdf
    python benchmarks/run.py --models 100000 --repeat 1 --graph neo4j

For each size it generates a synthetic snapshot (benchmarks/generate.py), builds it from scratch in
a temporary project with the real dodo.py (`doit run -n JOBS -P process`, MLENTORY_SHARDS=SHARDS),
and times `doit` subprocesses:

- full build: wall time of the first `doit run`;
- per stage (asset): read from the project's run history (data/runs.sqlite3), which has one row
  per task or shard sub-task ("hf_models_normalized:017") with its metadata and duration. A stage's
  figures are its sub-tasks' metadata summed; "task s" is the sum of its sub-task durations (about
  the CPU time it took), "wall s" is max(end) - min(start) over its sub-tasks, and models/s is its
  models over task s (per worker) and over wall s;
- no-op: median of 3 (or --repeat, if more) runs of `doit run` with nothing to do;
- 1% rebuild: `generate.py --mutate` writes 1% of the models as a new first listing page, then
  `doit run` again; the harvest must be incremental and the normalized shards reuse their rows;
- 0.1% rebuild: the same with 0.1% of the models, on top of the 1% change (the issue's third ratio);
- peak RSS: the largest resident set of any process of a build: doit's own from wait4's rusage,
  each task's from its metadata (MLENTORY_TASK_PEAK_MEMORY=1: a worker restarts its high-water mark
  at every task, so the stage table can say which stage needs the memory), plus the embedded graph
  server's high-water mark (VmHWM), sampled;
- `doit list --all` and `doit status` times (median of 3), and the number of tasks.

`--graph neo4j` points the graph loaders at a real Neo4j 5 started for each round (the tests' launcher,
tests/neo4j_launcher/, 4 GiB heap; "graph RSS" is then its JVM's): the full and incremental graph
figures are Neo4j's.

`--leave-out ASSET` builds without that asset and what needs it (every build names the other assets),
for a size this disk cannot hold whole; the results say what was left out.

Prints a table per run and per size (median run by full build time) and writes every
measurement, with the machine's description and the code's git commit, to benchmarks/results/;
a round whose build fails is recorded with its error and the end of the embedded graph server's
log, and the other rounds still run.
With --at-commit REV the pipeline code is taken from that commit (`git archive`), not from the
working tree, so concurrent edits do not leak into a long run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

SHORT = {"hf_raw_models": "harvest", "hf_models_normalized": "normalize", "hf_models_jsonld": "jsonld",
         "hf_raw_datasets": "datasets", "arxiv_papers": "papers", "hf_raw_base_models": "base models",
         "base_model_lineage": "lineage", "licenses": "licenses", "hf_entities_normalized": "entities",
         "hf_rdf": "rdf store", "hf_load_models_to_neo4j": "graph load", "hf_load_entities_to_neo4j": "graph entities",
         "hf_index_models_in_elasticsearch": "search index"}
# what a stage's records are called in its metadata (models, unless it counts something else)
COUNTED = {"hf_raw_datasets": "datasets", "arxiv_papers": "papers", "base_model_lineage": "chains",
           "licenses": "licenses", "hf_entities_normalized": "entities", "hf_load_entities_to_neo4j": "entities",
           "hf_rdf": "models_loaded", "hf_raw_base_models": "fetched", "openml_raw_datasets": "datasets",
           "bioimageio_raw_datasets": "datasets"}


def _stages() -> tuple[str, ...]:
    """Every asset of the registry, in its order (the Hub's named as above, the rest by name), so an
    asset added later is never left out of the table."""
    sys.path.insert(0, str(ROOT))
    from pipeline.assets import REGISTRY
    return tuple(asset.name for asset in REGISTRY)


STAGES = _stages()


def left_out_closure(names: list[str]) -> list[str]:
    """The assets left out of a build and every asset downstream of them (they would need them), in the
    registry's order. For a size whose whole build this disk cannot hold: at 2M models the SPARQL store
    alone would take about 32 GB."""
    from pipeline.assets import REGISTRY
    unknown = sorted(set(names) - set(STAGES))
    if unknown:
        raise SystemExit(f"--leave-out: no asset {', '.join(unknown)} (the assets: {', '.join(STAGES)})")
    out = set(names)
    grown = True
    while grown:
        grown = False
        for asset in REGISTRY:
            if asset.name not in out and out & set(asset.upstream):
                out.add(asset.name)
                grown = True
    return [name for name in STAGES if name in out]


class Project:
    """A temporary project directory with the real dodo.py, run through `doit` subprocesses."""

    def __init__(self, path: Path, code: Path, env: dict, jobs: int, targets: tuple[str, ...] = (),
                 graph_pid=None):
        self.path = path
        self.env = env
        self.jobs = jobs
        self.targets = targets  # the assets a build names (with what they need); none: every asset
        # the graph server's process id (raises while there is none): the embedded one's from its server.json
        self.graph_pid = graph_pid or (lambda: json.loads((path / "data" / "graph" / "server.json").read_text())["pid"])
        path.mkdir()
        for name in ("dodo.py", "pyproject.toml"):
            shutil.copy(code / name, path / name)

    def doit(self, *args: str) -> dict:
        """Run `python -m doit ARGS`; wall seconds, stdout and the peak RSS of its process tree."""
        out, err = self.path / ".bench-stdout", self.path / ".bench-stderr"
        sampler = GraphServerSampler(self.graph_pid)
        with out.open("w") as stdout, err.open("w") as stderr:
            started = time.perf_counter()
            process = subprocess.Popen([sys.executable, "-m", "doit", *args], cwd=self.path, env=self.env,
                                       stdout=stdout, stderr=stderr, text=True)
            sampler.start()
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
        stdout_text, stderr_text = out.read_text(), err.read_text()
        if process.returncode != 0:
            failed = "\n".join(line for line in stdout_text.splitlines() if line.startswith("FAILED"))
            raise BuildFailed(f"`doit {' '.join(args)}` failed ({process.returncode}):\n"
                              f"{failed or stdout_text[-3000:]}\n{stderr_text[-3000:]}" + self._server_log())
        return {"seconds": elapsed, "stdout": stdout_text, "peak_rss_mib": usage.ru_maxrss / 1024,
                "graph_server_rss_mib": sampler.peak_mib}

    def _server_log(self) -> str:
        """The end of the embedded graph server's log (a crash leaves its report there)."""
        log = self.path / "data" / "graph" / "server.log"
        if not log.exists():
            return ""
        lines = log.read_text(errors="replace").splitlines()
        crash = next((i for i, line in enumerate(lines) if "crashed by signal" in line or "BUG REPORT" in line), None)
        shown = lines[max(0, crash - 5):crash + 40] if crash is not None else lines[-20:]
        return "\ngraph server log (data/graph/server.log):\n" + "\n".join(shown)

    def build(self) -> dict:
        return self.doit("run", "-n", str(self.jobs), "-P", "process", *self.targets)

    def last_run_tasks(self) -> list[dict]:
        """The latest run's task rows from data/runs.sqlite3."""
        db = sqlite3.connect(self.path / "data" / "runs.sqlite3")
        try:
            run_id = db.execute("SELECT id FROM runs ORDER BY started DESC LIMIT 1").fetchone()[0]
            rows = db.execute("SELECT name, status, started, ended, metadata FROM tasks WHERE run_id=?",
                              (run_id,)).fetchall()
        finally:
            db.close()
        return [{"name": n, "status": s, "started": a, "ended": b, "metadata": json.loads(m) if m else {}}
                for n, s, a, b, m in rows]


class BuildFailed(RuntimeError):
    pass


class GraphServerSampler(threading.Thread):
    """Samples the graph server's peak RSS (VmHWM): it is no child we wait for."""

    def __init__(self, pid_of):
        super().__init__(daemon=True)
        self.pid_of = pid_of
        self.peak_mib = 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(0.25):
            try:
                pid = self.pid_of()
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_mib = max(self.peak_mib, int(line.split()[1]) / 1024)
            except (OSError, ValueError, KeyError):
                pass

    def stop(self) -> None:
        self._halt.set()
        self.join()


def stage_figures(tasks: list[dict]) -> dict:
    """Per asset: sub-tasks run, summed metadata, summed task seconds, wall seconds, models/s."""
    by_asset: dict[str, list[dict]] = defaultdict(list)
    for task in tasks:
        if task["status"] == "success" and task["ended"] is not None:
            by_asset[task["name"].split(":")[0]].append(task)
    figures = {}
    for asset, rows in by_asset.items():
        totals: dict = {}
        modes: dict[str, Counter] = defaultdict(Counter)
        for row in rows:
            for key, value in row["metadata"].items():
                if isinstance(value, bool) or key in ("seconds", "cpu_seconds", "changed_outputs", "peak_rss_mib",
                                                      "process"):
                    continue
                if isinstance(value, (int, float)):
                    totals[key] = totals.get(key, 0) + value
                elif isinstance(value, str) and key in ("mode", "why", "source"):
                    modes[key][value] += 1
        task_s = sum(r["ended"] - r["started"] for r in rows)
        wall_s = max(r["ended"] for r in rows) - min(r["started"] for r in rows)
        build_s = sum(r["metadata"].get("seconds", 0) for r in rows)
        cpu_s = sum(r["metadata"].get("cpu_seconds", 0) for r in rows)
        peaks = [r["metadata"]["peak_rss_mib"] for r in rows if r["metadata"].get("peak_rss_mib")]
        entry = {"tasks": len(rows), "task_s": round(task_s, 3), "wall_s": round(wall_s, 3),
                 "build_s": round(build_s, 3), "cpu_s": round(cpu_s, 3), "peak_rss_mib": max(peaks) if peaks else None,
                 **totals, **{k: dict(v) for k, v in modes.items()}}
        models = totals.get(COUNTED.get(asset, "models"))
        if models and task_s > 0:
            entry["models_per_task_s"] = round(models / task_s)
            entry["models_per_wall_s"] = round(models / wall_s) if wall_s > 0 else None
        figures[asset] = entry
    return figures


def task_count(listing: str) -> dict:
    names = [line.split()[0] for line in listing.splitlines() if line.strip()]
    return {"listed": len(names), "sub_tasks": sum(":" in n for n in names)}


def median_of(project: Project, runs: int, *args: str, build: bool = False) -> float:
    return statistics.median((project.build() if build else project.doit(*args))["seconds"] for _ in range(runs))


def one_round(models: int, workdir: Path, seed: int, code: Path, shards: int, jobs: int, runs: int,
              left_out: list[str] = (), graph: str = "embedded") -> dict:
    """One project from scratch; with graph="neo4j" its graph loaders write to a fresh real Neo4j 5 (the tests'
    launcher, 4 GiB heap) started for the round, instead of the embedded graph."""
    if graph != "neo4j":
        return _one_round(models, workdir, seed, code, shards, jobs, runs, left_out)
    sys.path.insert(0, str(ROOT))
    from tests.neo4j_launcher.launcher import Neo4jServer, ensure_built

    ensure_built()
    server = Neo4jServer(workdir / "neo4j", heap="4g").start()
    try:
        return {**_one_round(models, workdir, seed, code, shards, jobs, runs, left_out,
                             {"NEO4J_URI": server.uri}, lambda: server.pid), "graph": "neo4j"}
    finally:
        server.stop()


def _one_round(models: int, workdir: Path, seed: int, code: Path, shards: int, jobs: int, runs: int,
               left_out: list[str], graph_env: dict | None = None, graph_pid=None) -> dict:
    snapshot = workdir / "snapshot"
    started = time.perf_counter()
    generate.generate(models, snapshot)
    generated_s = time.perf_counter() - started
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "MLENTORY_HF_SNAPSHOT_DIR": str(snapshot), "NO_COLOR": "1",
           "PYTHONPATH": str(code), "MLENTORY_MAX_QUARANTINE_FRACTION": "1", "MLENTORY_SHARDS": str(shards),
           "MLENTORY_TASK_PEAK_MEMORY": "1"}
    # without bytecode (PYTHONDONTWRITEBYTECODE, set on some build machines) every run and every worker
    # compiles what it imports again: 0.1 s of a no-op here, which an installed pipeline never pays
    env = {k: v for k, v in env.items() if not k.startswith(("NEO4J_", "ELASTICSEARCH_", "PYTHONDONTWRITEBYTECODE"))}
    env.update(graph_env or {})
    targets = tuple(name for name in STAGES if name not in left_out) if left_out else ()
    project = Project(workdir / "project", code, env, jobs, targets, graph_pid)

    full = project.build()
    stages = stage_figures(project.last_run_tasks())
    # the graph goal counts entities: the nodes and relationships all graph loaders leave, over their seconds
    loaders_s = sum(figures["task_s"] for name, figures in stages.items() if name.endswith("_to_neo4j"))
    counted = project.doit("graph", "MATCH (n) RETURN count(n) AS c UNION ALL MATCH ()-[r]->() RETURN count(r) AS c")
    nodes, relationships = (int(n) for n in counted["stdout"].split()[:2])  # one server start, not two
    graph_load = {"nodes": nodes, "relationships": relationships, "loaders_task_s": round(loaders_s, 3),
                  "entities_per_task_s": round((nodes + relationships) / loaders_s) if loaders_s else None}
    noop = median_of(project, runs, build=True)
    noop_tasks = [t for t in project.last_run_tasks() if t["status"] == "success"]

    changed = generate.mutate(snapshot, 0.01, seed)
    rebuild = project.build()
    rebuild_stages = stage_figures(project.last_run_tasks())
    after = project.build()  # the rebuild must leave nothing to do
    after_tasks = [t["name"] for t in project.last_run_tasks() if t["status"] == "success"]
    changed_small = generate.mutate(snapshot, 0.001, seed + 100)  # a higher seed: its page sorts first
    small = project.build()
    small_stages = stage_figures(project.last_run_tasks())

    listing = project.doit("list", "--all")
    list_s = median_of(project, runs, "list", "--all")
    status_s = median_of(project, runs, "status")
    harvest = rebuild_stages.get("hf_raw_models", {})
    return {
        "models": models, "seed": seed, "shards": shards, "jobs": jobs, "left_out": list(left_out),
        "generate_s": round(generated_s, 2),
        "full_build_s": round(full["seconds"], 2), "stages": stages, "graph_full_load": graph_load,
        "noop_s": round(noop, 3), "noop_ran_tasks": len(noop_tasks),
        "changed_models": changed, "rebuild_1pct_s": round(rebuild["seconds"], 2),
        "rebuild_ratio": round(rebuild["seconds"] / full["seconds"], 3), "rebuild_stages": rebuild_stages,
        "rebuild_harvest_mode": next(iter(harvest.get("mode", {"?": 1}))),
        "after_rebuild_s": round(after["seconds"], 3), "after_rebuild_ran_tasks": after_tasks,
        "changed_models_0_1pct": changed_small, "rebuild_0_1pct_s": round(small["seconds"], 2),
        "rebuild_0_1pct_ratio": round(small["seconds"] / full["seconds"], 3), "rebuild_0_1pct_stages": small_stages,
        # the workers restart their high-water mark at each task, so wait4 sees only their last
        # task's; each task's own peak is in the run history
        "peak_rss_mib": round(max(full["peak_rss_mib"], rebuild["peak_rss_mib"], small["peak_rss_mib"],
                                  *(s["peak_rss_mib"] or 0 for s in (*stages.values(), *rebuild_stages.values(),
                                                                     *small_stages.values()))), 1),
        "graph_server_rss_mib": round(max(full["graph_server_rss_mib"], rebuild["graph_server_rss_mib"],
                                          small["graph_server_rss_mib"]), 1),
        "list_s": round(list_s, 3), "status_s": round(status_s, 3), "tasks": task_count(listing["stdout"]),
    }


def machine() -> dict:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    model = platform.processor() or platform.machine()
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "memory_gib": round(mem, 1), "processor": model}


def code_tree(rev: str | None, workdir: Path) -> tuple[Path, dict]:
    """Where the pipeline code comes from: the working tree, or `git archive REV` extracted."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout

    if rev is None:
        dirty = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()]
        return ROOT, {"commit": git("rev-parse", "HEAD").strip(), "source": "working tree", "modified": dirty}
    commit = git("rev-parse", rev).strip()
    target = workdir / f"code-{commit[:12]}"
    target.mkdir()
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    archive_path = workdir / "code.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(target, filter="data")
    archive_path.unlink()
    return target, {"commit": commit, "source": "git archive"}


def summary_table(results: list[dict]) -> str:
    rows = [("models", "shards", "jobs", "tasks", "full build", "no-op", "changed", "1% rebuild", "ratio", "harvest",
             "0.1% rebuild", "ratio",
             "peak RSS", "graph RSS", "graph load", "doit list", "doit status")]
    for r in results:
        rows.append((f"{r['models']:,}", str(r["shards"]), str(r["jobs"]), f"{r['tasks']['listed']:,}",
                     f"{r['full_build_s']:.1f}s", f"{r['noop_s']:.2f}s", f"{r['changed_models']:,}",
                     f"{r['rebuild_1pct_s']:.1f}s",
                     f"{r['rebuild_ratio']:.0%}", r["rebuild_harvest_mode"],
                     f"{r['rebuild_0_1pct_s']:.1f}s" if "rebuild_0_1pct_s" in r else "-",
                     f"{r['rebuild_0_1pct_ratio']:.1%}" if "rebuild_0_1pct_ratio" in r else "-",
                     f"{r['peak_rss_mib']:.0f} MiB",
                     f"{r['graph_server_rss_mib']:.0f} MiB",
                     f"{(r.get('graph_full_load') or {}).get('entities_per_task_s') or 0:,}/s",
                     f"{r['list_s']:.2f}s", f"{r['status_s']:.2f}s"))
    return _format(rows)


def stage_table(result: dict) -> str:
    rows = [("stage", "sub-tasks", "records", "task s", "wall s", "records/task s", "records/wall s", "peak RSS",
             "1% rebuild: sub-tasks", "task s", "wall s", "reused", "sent", "sent/task s")]
    for asset in STAGES:
        if asset in result.get("left_out", ()):
            rows.append((SHORT.get(asset, asset), "left out", *("-" * (len(rows[0]) - 2))))
            continue
        full, rebuild = result["stages"].get(asset, {}), result["rebuild_stages"].get(asset, {})
        rows.append((SHORT.get(asset, asset), str(full.get("tasks", 0)), f"{full.get(COUNTED.get(asset, 'models'), 0):,}",
                     f"{full.get('task_s', 0):.1f}", f"{full.get('wall_s', 0):.1f}",
                     f"{full.get('models_per_task_s', 0) or 0:,}", f"{full.get('models_per_wall_s', 0) or 0:,}",
                     f"{full['peak_rss_mib']:.0f} MiB" if full.get("peak_rss_mib") else "-",
                     str(rebuild.get("tasks", 0)), f"{rebuild.get('task_s', 0):.1f}", f"{rebuild.get('wall_s', 0):.1f}",
                     f"{rebuild['reused']:,}" if "reused" in rebuild else "-",
                     f"{rebuild['sent']:,}" if "sent" in rebuild else
                     f"{rebuild['received']:,} read" if "received" in rebuild else "-",
                     # a loader's changed records per second of its task (the incremental graph goal)
                     f"{rebuild['sent'] / rebuild['task_s']:,.0f}" if rebuild.get("sent") and rebuild.get("task_s") else "-"))
    return _format(rows)


def _format(rows: list[tuple]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=3, help="rounds per size (each from scratch)")
    parser.add_argument("--shards", type=int, default=256, help="MLENTORY_SHARDS for the builds")
    parser.add_argument("--jobs", type=int, default=2, help="doit run -n JOBS -P process")
    parser.add_argument("--at-commit", metavar="REV", help="take the pipeline code from this git commit")
    parser.add_argument("--graph", choices=("embedded", "neo4j"), default="embedded",
                        help="the graph loaders' target: the embedded graph, or a real Neo4j 5 started per round")
    parser.add_argument("--leave-out", metavar="ASSET", action="append", default=[],
                        help="build without this asset and what needs it (repeatable); the builds name the "
                             "other assets")
    args = parser.parse_args()
    left_out = left_out_closure(args.leave_out)
    if left_out:
        print(f"left out of every build: {', '.join(left_out)}", flush=True)
    if args.graph == "neo4j":
        print("graph loads into a real Neo4j 5 started for each round", flush=True)
    runs = max(3, args.repeat)  # timings of no-op, list and status: median of this many
    results, failures = [], []
    with tempfile.TemporaryDirectory(prefix="mlentory-bench-code-") as code_dir:
        code, provenance = code_tree(args.at_commit, Path(code_dir))
        print(f"code: {provenance}", flush=True)
        for models in args.models:
            for attempt in range(args.repeat):
                with tempfile.TemporaryDirectory(prefix=f"mlentory-bench-{models}-") as tmp:
                    try:
                        result = one_round(models, Path(tmp), attempt + 1, code, args.shards, args.jobs, runs,
                                           left_out, args.graph)
                    except BuildFailed as exc:  # recorded; the other rounds still run
                        print(f"\nround {attempt + 1} of {args.repeat}, {models:,} models: {exc}", flush=True)
                        failures.append({"models": models, "seed": attempt + 1, "error": str(exc)})
                        continue
                results.append(result)
                print(f"\nround {attempt + 1} of {args.repeat}, {models:,} models:\n"
                      + summary_table([result]) + "\n\n" + stage_table(result), flush=True)
                if result["after_rebuild_ran_tasks"]:
                    print(f"warning: a run after the rebuild still ran {result['after_rebuild_ran_tasks']}")
    medians = []
    for models in args.models:
        rounds = sorted((r for r in results if r["models"] == models), key=lambda r: r["full_build_s"])
        if rounds:
            medians.append(rounds[len(rounds) // 2])
    print("\nmedian run per size (by full build time):\n" + summary_table(medians))
    for result in medians:
        print(f"\n{result['models']:,} models, per stage:\n" + stage_table(result))
    out = HERE / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    record = {"machine": machine(), "code": provenance, "argv": sys.argv[1:], "runs": results, "failed": failures}
    out.write_text(json.dumps(record, indent=1) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)}")
    if failures:
        print(f"{len(failures)} round(s) failed: see 'failed' in the file")
        sys.exit(1)


if __name__ == "__main__":
    main()
