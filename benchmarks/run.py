"""Measure the pipeline at scale: full offline build, no-op, a 1% change, peak memory, status commands.

    python benchmarks/run.py --models 100000 --repeat 3

For each size it generates a synthetic snapshot (benchmarks/generate.py), builds it from scratch in
a temporary project with the real dodo.py, and times `doit` subprocesses. Prints a table of medians
and writes every measurement, with the machine's description, to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

METADATA = re.compile(r"^(?P<asset>[a-z_0-9:]+): (?P<json>\{.*\})$", re.M)
STAGE_COUNTS = {"hf_raw_models": "models", "hf_models_normalized": "models", "hf_models_jsonld": "models",
                "hf_load_models_to_neo4j": "entities", "hf_index_models_in_elasticsearch": "documents_indexed"}


def doit(project: Path, *args: str, env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "doit", *args], cwd=project, env=env, capture_output=True,
                            text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"doit {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, result.stdout


def stage_rates(output: str) -> dict:
    rates = {}
    for match in METADATA.finditer(output):
        meta = json.loads(match["json"])
        key = STAGE_COUNTS.get(match["asset"])
        count = meta.get("nodes", 0) + meta.get("relationships", 0) if key == "entities" else meta.get(key)
        if key and count and meta.get("seconds"):
            rates[match["asset"]] = {"count": count, "seconds": meta["seconds"], "per_second": round(count / meta["seconds"])}
    return rates


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def one_round(models: int, workdir: Path, seed: int) -> dict:
    snapshot = workdir / "snapshot"
    generate.generate(models, snapshot)
    project = workdir / "project"
    project.mkdir()
    for name in ("dodo.py", "pyproject.toml"):
        shutil.copy(ROOT / name, project / name)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "MLENTORY_HF_SNAPSHOT_DIR": str(snapshot), "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT), "MLENTORY_MAX_QUARANTINE_FRACTION": "1"}
    env = {k: v for k, v in env.items() if not k.startswith(("NEO4J_", "ELASTICSEARCH_"))}
    full, output = doit(project, env=env)
    rss = peak_rss_mib()
    noop = statistics.median(doit(project, env=env)[0] for _ in range(3))
    changed = generate.mutate(snapshot, 0.01, seed)
    rebuild, rebuild_output = doit(project, env=env)
    listing = statistics.median(doit(project, "list", env=env)[0] for _ in range(3))
    status = statistics.median(doit(project, "status", env=env)[0] for _ in range(3))
    return {"models": models, "full_build_s": round(full, 2), "stages": stage_rates(output),
            "noop_s": round(noop, 3), "changed_models": changed, "rebuild_1pct_s": round(rebuild, 2),
            "rebuild_ratio": round(rebuild / full, 3), "rebuild_stages": stage_rates(rebuild_output),
            "peak_rss_mib": round(rss, 1), "list_s": round(listing, 3), "status_s": round(status, 3)}


def machine() -> dict:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "memory_gib": round(mem, 1), "processor": platform.processor() or platform.machine()}


def table(results: list[dict]) -> str:
    rows = [("models", "full build", "normalize /s", "graph load entities/s", "index docs/s", "no-op",
             "1% rebuild", "ratio", "peak RSS", "doit list", "doit status")]
    for r in results:
        st = r["stages"]
        rows.append((f"{r['models']:,}", f"{r['full_build_s']:.1f}s",
                     f"{st.get('hf_models_normalized', {}).get('per_second', 0):,}",
                     f"{st.get('hf_load_models_to_neo4j', {}).get('per_second', 0):,}",
                     f"{st.get('hf_index_models_in_elasticsearch', {}).get('per_second', 0):,}",
                     f"{r['noop_s']:.2f}s", f"{r['rebuild_1pct_s']:.1f}s", f"{r['rebuild_ratio']:.0%}",
                     f"{r['peak_rss_mib']:.0f} MiB", f"{r['list_s']:.2f}s", f"{r['status_s']:.2f}s"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = []
    for models in args.models:
        for attempt in range(args.repeat):
            with tempfile.TemporaryDirectory(prefix=f"mlentory-bench-{models}-") as tmp:
                result = one_round(models, Path(tmp), seed=attempt + 1)
            results.append(result)
            print(table([result]).splitlines()[-1], flush=True)
    medians = []
    for models in args.models:
        runs = [r for r in results if r["models"] == models]
        median_run = sorted(runs, key=lambda r: r["full_build_s"])[len(runs) // 2]
        medians.append(median_run)
    print("\nmedian run per size:\n" + table(medians))
    out = HERE / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"machine": machine(), "runs": results}, indent=1) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
