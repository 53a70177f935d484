"""Latency of the catalog's API as a browser meets it: p50 and p95 per route through a real `doit ui`.

    python benchmarks/catalog_latency.py --models 100000        # generate, build, then measure
    python benchmarks/catalog_latency.py --project DIR          # measure a project already built

With --models it generates a synthetic snapshot (benchmarks/generate.py) and builds it as
benchmarks/run.py does (`doit run -n 2 -P process`, 256 shards), on the targets the environment
selects (the embedded ones unless NEO4J_URI / ELASTICSEARCH_URL are set). Then it starts `doit ui`
on a free port and, over one keep-alive HTTP connection, times `--requests` requests per route:

- search: a word of a random model's name; the same with a task filter; a filter alone, paged;
- model: a random model's page data (/api/catalog/models/ID);
- lineage: its lineage as the page draws it (both directions, depth 3, 12 per step);
- history: its versions;
- model page: the three requests the model page makes, one after the other (the page makes the
  last two at once, so this is an upper bound).

The first request of each route (which opens the graph and the index) is left out. Prints the
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def build(models: int, workdir: Path) -> Path:
    import generate

    snapshot, project = workdir / "snapshot", workdir / "project"
    generate.generate(models, snapshot)
    project.mkdir()
    for name in ("dodo.py", "pyproject.toml"):
        shutil.copy(ROOT / name, project / name)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "MLENTORY_HF_SNAPSHOT_DIR": str(snapshot), "NO_COLOR": "1",
           "MLENTORY_MAX_QUARANTINE_FRACTION": "1", "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "doit", "run", "-n", "2", "-P", "process"], cwd=project, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"built {models:,} models in {time.perf_counter() - started:.0f} s: {project}")
    return project


def model_ids(project: Path, count: int, seed: int) -> list[str]:
    import pyarrow.parquet as pq

    ids = [i for path in sorted(project.glob("data/normalized/hf/models-*.parquet"))
           for i in pq.read_table(path, columns=["identifier"]).column(0).to_pylist()]
    return random.Random(seed).sample(ids, min(count, len(ids)))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> tuple[float, int, bytes]:
        started = time.perf_counter()
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        body = response.read()
        return (time.perf_counter() - started) * 1000, response.status, body


def quoted(model_id: str) -> str:
    return urllib.parse.quote(model_id, safe="/")


def measure(project: Path, requests: int, seed: int) -> dict[str, list[float]]:
    ids = model_ids(project, requests, seed)
    words = [w for w in (i.rsplit("/", 1)[-1].split("-")[0].lower() for i in ids) if len(w) > 2] or ["model"]
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "doit", "ui", "--port", str(port)], cwd=project,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        client = None
        deadline = time.monotonic() + 60
        while client is None:
            try:
                client = Client(port)
                client.get("/api/health")
            except OSError:
                client = None
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"doit ui did not start: {server.stderr.read()}")
                time.sleep(0.2)
        tasks = json.loads(client.get("/api/catalog/search?limit=1")[2])["facets"]["task"]
        task_names = list(tasks) or [""]
        rng = random.Random(seed)
        searches = []
        for i in range(requests):
            word = rng.choice(words)
            searches.append([f"/api/catalog/search?q={word}",
                             f"/api/catalog/search?q={word}&task={rng.choice(task_names)}",
                             f"/api/catalog/search?task={rng.choice(task_names)}&offset={rng.randrange(0, 200)}"][i % 3])
        routes = {
            "search": searches,
            "model": [f"/api/catalog/models/{quoted(i)}" for i in ids],
            "lineage": [f"/api/catalog/lineage/{quoted(i)}?direction=both&depth=3&limit=12" for i in ids],
            "history": [f"/api/catalog/history/{quoted(i)}" for i in ids],
        }
        timings: dict[str, list[float]] = {}
        for name, paths in routes.items():
            status = client.get(paths[0])[1]  # opens the target: not counted
            if status != 200:
                raise SystemExit(f"{paths[0]} answered {status}")
            timings[name] = []
            for path in paths:
                took, status, body = client.get(path)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
                timings[name].append(took)
        timings["model page"] = [sum(parts) for parts in zip(timings["model"], timings["lineage"], timings["history"])]
        return timings
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, help="a built project (else --models builds one)")
    parser.add_argument("--models", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="timed requests per route")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    workdir = None
    project = args.project
    if project is None:
        workdir = Path(tempfile.mkdtemp(prefix="catalog-latency-"))
        project = build(args.models, workdir)
    timings = measure(project.resolve(), args.requests, args.seed)
    print(f"{'route':<12} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, values in timings.items():
        print(f"{name:<12} {len(values):>8} {percentile(values, 0.5):>8.1f} {percentile(values, 0.95):>8.1f} "
              f"{max(values):>8.1f}")
    if workdir is not None:
        print(f"(the project stays in {project} for --project)")


if __name__ == "__main__":
    main()
