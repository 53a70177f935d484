"""Compare two commits on the same 1% changes, run in turn on one machine (A/B, interleaved).

    python benchmarks/compare.py --base a3fb2a0 --models 100000 --rounds 3
    python benchmarks/compare.py --base HEAD~3 --head HEAD --models 5000 --shards 16 --rounds 2

run.py measures one commit from scratch per round; on a shared machine its rounds vary by more than
a change to one stage saves (the same code's normalize step ran at 534 to 890 models per task second
on different days). This script builds one project per commit from the same synthetic snapshot
(a copy each), then, round after round, applies the same 1% change to both snapshots and runs `doit`
in both projects, alternating which goes first, so both see the machine as it is at that minute.
It prints each round's wall and per-stage task seconds, the tasks' CPU seconds and the seconds the
hypervisor took away during the run (steal: a shared machine's noise), the medians and the
differences per round (head minus base), and the peak RSS of each build's process tree (the full
builds' too: a one-load SPARQL store that held 2.1 GB at 100k went unseen by A/Bs that did not show
it), and writes them with the machine and both commits to benchmarks/results/.
Without --head the working tree is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from run import SHORT, Project, code_tree, machine, stage_figures  # noqa: E402

SHOWN = ("hf_models_normalized", "hf_models_jsonld", "hf_load_models_to_neo4j", "hf_index_models_in_elasticsearch",
         "hf_rdf", "hf_entities_normalized", "hf_raw_models")


def _project(workdir: Path, name: str, code: Path, snapshot: Path, shards: int, jobs: int) -> Project:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "MLENTORY_HF_SNAPSHOT_DIR": str(snapshot), "NO_COLOR": "1",
           "PYTHONPATH": str(code), "MLENTORY_MAX_QUARANTINE_FRACTION": "1", "MLENTORY_SHARDS": str(shards)}
    # without bytecode (PYTHONDONTWRITEBYTECODE, set on some build machines) every run and every worker
    # compiles what it imports again: 0.1 s of a no-op here, which an installed pipeline never pays
    env = {k: v for k, v in env.items() if not k.startswith(("NEO4J_", "ELASTICSEARCH_", "PYTHONDONTWRITEBYTECODE"))}
    return Project(workdir / name, code, env, jobs)


def _stolen_s() -> float | None:
    """CPU seconds the hypervisor gave to other machines so far (Linux /proc/stat), all CPUs."""
    try:
        with open("/proc/stat") as fh:
            fields = fh.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _run(project: Project) -> dict:
    stolen = _stolen_s()
    build = project.build()
    after = _stolen_s()
    stages = stage_figures(project.last_run_tasks())
    return {"wall_s": round(build["seconds"], 2), "task_s": round(sum(s["task_s"] for s in stages.values()), 2),
            # the tasks' CPU seconds (0 for code from before tasks recorded `cpu_seconds`): time the machine was taken
            # away does not count, which task and wall seconds include (`stolen_s`)
            "cpu_s": round(sum(s.get("cpu_s", 0.0) for s in stages.values()), 2),
            "stolen_s": round(after - stolen, 2) if stolen is not None and after is not None else None,
            "peak_rss_mib": round(build["peak_rss_mib"], 1),
            "stages": {asset: stages.get(asset, {}).get("task_s", 0.0) for asset in SHOWN},
            "cpu_stages": {asset: stages.get(asset, {}).get("cpu_s", 0.0) for asset in SHOWN}}


def _row(label: str, run: dict) -> str:
    stolen = "" if run["stolen_s"] is None else f"{run['stolen_s']:7.1f}"
    return f"{label:>6} {run['wall_s']:7.1f} {run['task_s']:7.1f} " + " ".join(
        f"{run['stages'][a]:9.1f}" for a in SHOWN) + f" {run['cpu_s']:7.1f} {stolen:>7} {run['peak_rss_mib']:8.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, metavar="REV", help="the commit to compare against")
    parser.add_argument("--head", metavar="REV", help="the commit measured (default: the working tree)")
    parser.add_argument("--models", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="1%% changes, each run in both projects")
    parser.add_argument("--shards", type=int, default=256)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlentory-compare-") as tmp:
        workdir = Path(tmp)
        base_code, base = code_tree(args.base, workdir)
        head_code, head = code_tree(args.head, workdir)
        print(f"base: {base}\nhead: {head}", flush=True)
        generate.generate(args.models, workdir / "snapshot-base")
        shutil.copytree(workdir / "snapshot-base", workdir / "snapshot-head")
        projects = {"base": _project(workdir, "base", base_code, workdir / "snapshot-base", args.shards, args.jobs),
                    "head": _project(workdir, "head", head_code, workdir / "snapshot-head", args.shards, args.jobs)}
        builds = {name: project.build() for name, project in projects.items()}
        full = {name: round(build["seconds"], 2) for name, build in builds.items()}
        full_rss = {name: round(build["peak_rss_mib"], 1) for name, build in builds.items()}
        print(f"full builds: base {full['base']:.1f} s (peak RSS {full_rss['base']:.0f} MiB), head {full['head']:.1f} s "
              f"(peak RSS {full_rss['head']:.0f} MiB)", flush=True)
        print(f"{'':>6} {'wall s':>7} {'task s':>7} " + " ".join(f"{SHORT.get(a, a)[:9]:>9}" for a in SHOWN)
              + f" {'cpu s':>7} {'stolen':>7} {'rss MiB':>8}")
        rounds = []
        for number in range(args.rounds):
            seed = 1000 + number
            changed = {name: generate.mutate(workdir / f"snapshot-{name}", 0.01, seed) for name in projects}
            order = ["base", "head"] if number % 2 == 0 else ["head", "base"]
            runs = {name: _run(projects[name]) for name in order}
            rounds.append({"seed": seed, "changed": changed, "order": order, **runs})
            for name in order:
                print(_row(name, runs[name]), flush=True)
    medians = {name: statistics.median(r[name]["wall_s"] for r in rounds) for name in ("base", "head")}
    differences = [round(r["head"]["wall_s"] - r["base"]["wall_s"], 2) for r in rounds]
    print(f"\nmedian 1% rebuild: base {medians['base']:.1f} s ({medians['base'] / full['base']:.0%} of its full "
          f"build), head {medians['head']:.1f} s ({medians['head'] / full['head']:.0%}); head minus base per "
          f"round: {', '.join(f'{d:+.1f} s' for d in differences)}")
    cpu = {name: statistics.median(r[name]["cpu_s"] for r in rounds) for name in ("base", "head")}
    if all(cpu.values()):  # both commits record their tasks' CPU time
        print(f"median CPU seconds of the tasks: base {cpu['base']:.1f}, head {cpu['head']:.1f}; per stage: " + ", ".join(
            f"{SHORT.get(a, a)} {statistics.median(r['base']['cpu_stages'][a] for r in rounds):.1f} -> "
            f"{statistics.median(r['head']['cpu_stages'][a] for r in rounds):.1f}" for a in SHOWN))
    rss = {name: statistics.median(r[name]["peak_rss_mib"] for r in rounds) for name in ("base", "head")}
    print(f"peak RSS: full builds base {full_rss['base']:.0f} MiB, head {full_rss['head']:.0f} MiB; 1% rebuilds "
          f"(median) base {rss['base']:.0f} MiB, head {rss['head']:.0f} MiB")
    out = HERE / "results" / f"compare-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), "base": base, "head": head, "argv": sys.argv[1:],
                               "models": args.models, "shards": args.shards, "jobs": args.jobs,
                               "full_build_s": full, "full_build_peak_rss_mib": full_rss, "rounds": rounds,
                               "median_rebuild_s": medians,
                               "head_minus_base_s": differences, "median_cpu_s": cpu,
                               "median_rebuild_peak_rss_mib": rss}, indent=1) + "\n")
    print(f"wrote {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
