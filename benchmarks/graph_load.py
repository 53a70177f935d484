"""A full load of the embedded graph, timed in process: GRAPH.BULK against Cypher on the same shards.

    python benchmarks/graph_load.py PROJECT [--rounds 3] [--modes bulk cypher]
    python benchmarks/graph_load.py PROJECT --target neo4j [--rounds 3]

PROJECT is a built project (e.g. the one `benchmarks/run.py` or `compare.py` leaves, or any `doit`
run): its normalized shards are loaded into an empty graph by the model loader's own build
(`materialize`), the two paths alternating, and the medians printed with the graph's nodes and
relationships and the server's memory once loaded. With `--target neo4j` the same load goes into a
real Neo4j 5 (the tests' launcher, tests/neo4j_launcher/, with a 4 GiB heap), a fresh server each round. The project's graph, load receipts and output ledger are set aside first and put
back after.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def one_load(project: Path, bulk: bool) -> dict:
    from pipeline.config import load_settings
    from pipeline.doit_tasks import materialize
    from pipeline.load.falkordb import FalkorStore, stop_server
    from pipeline.load.graph import query_graph

    for folder in ("data/graph", "data/load/hf_load_models_to_neo4j"):
        shutil.rmtree(project / folder, ignore_errors=True)
    FalkorStore.bulk = bulk
    neo4j = bool(os.environ.get("NEO4J_URI"))
    started, cpu = time.perf_counter(), time.process_time()
    result = materialize("pipeline.assets:REGISTRY", "hf_load_models_to_neo4j", None)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if not isinstance(result, dict):
        raise SystemExit(f"the load failed: {result}")
    settings = load_settings()
    nodes = query_graph(settings, "MATCH (n) RETURN count(n)")[0][0]
    relationships = query_graph(settings, "MATCH ()-[r]->() RETURN count(r)")[0][0]
    memory = {} if neo4j else server_memory(project / "data" / "graph")
    if not neo4j:
        stop_server(project / "data" / "graph")
    return {"seconds": seconds, "client_cpu_s": cpu, "nodes": nodes, "relationships": relationships,
            "models": result.get("models"), **memory}


def server_memory(directory: Path) -> dict:
    """The running graph server's resident memory and what Redis counts as its data, in MiB."""
    import redis

    info = json.loads((directory / "server.json").read_text())
    status = Path(f"/proc/{info['pid']}/status").read_text()
    rss_kib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
    used = redis.Redis(port=info["port"]).info("memory")["used_memory"]
    return {"server_rss_mib": round(rss_kib / 1024, 1), "server_used_mib": round(used / 2**20, 1)}


def _copy_db(source: Path, target: Path) -> None:
    """An SQLite database copied whole, its write-ahead log included."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--modes", nargs="+", choices=("bulk", "cypher"), default=["cypher", "bulk"])
    parser.add_argument("--target", choices=("falkordb", "neo4j"), default="falkordb")
    parser.add_argument("--one", choices=("bulk", "cypher"), help=argparse.SUPPRESS)  # one load, in a child
    args = parser.parse_args()
    project = args.project.resolve()
    os.chdir(project)
    sys.path.insert(0, str(REPO))
    if args.one:
        print(json.dumps(one_load(project, args.one == "bulk")))
        return
    aside = project / ".graph-load-benchmark"
    shutil.rmtree(aside, ignore_errors=True)
    aside.mkdir()
    kept = {folder: aside / folder.replace("/", "_") for folder in ("data/graph", "data/load/hf_load_models_to_neo4j")}
    for folder, to in kept.items():
        if (project / folder).exists():
            shutil.move(project / folder, to)
    from pipeline.paths import Paths
    ledger = Paths(project).output_ledger  # the loads record their outputs there too
    if ledger.exists():
        _copy_db(ledger, aside / "outputs.sqlite3")
    modes = ["neo4j"] if args.target == "neo4j" else args.modes
    runs: dict[str, list[dict]] = {mode: [] for mode in modes}
    try:
        for round_ in range(args.rounds):
            for mode in modes:
                server, env = None, {**os.environ, "PYTHONPATH": str(REPO)}
                if mode == "neo4j":
                    server = _neo4j(aside / "neo4j")
                    env["NEO4J_URI"] = server.uri
                try:
                    # each load in a process of its own: the parent touches the ledger only when no load has it open
                    done = subprocess.run([sys.executable, __file__, str(project), "--one",
                                           "cypher" if mode == "neo4j" else mode], capture_output=True, text=True, env=env)
                finally:
                    if server is not None:
                        server.stop()
                if done.returncode != 0:
                    raise SystemExit(f"the {mode} load failed:\n{done.stderr[-3000:]}")
                one = json.loads(done.stdout.splitlines()[-1])
                runs[mode].append(one)
                memory = (f"  server RSS {one['server_rss_mib']:,.0f} MiB (data {one['server_used_mib']:,.0f} MiB)"
                          if "server_rss_mib" in one else "")
                print(f"round {round_ + 1} {mode:6} {one['seconds']:6.1f} s  client CPU {one['client_cpu_s']:5.1f} s  "
                      f"{one['nodes']:,} nodes {one['relationships']:,} relationships{memory}", flush=True)
    finally:
        for folder, to in kept.items():
            shutil.rmtree(project / folder, ignore_errors=True)
            if to.exists():
                shutil.move(to, project / folder)
        if (aside / "outputs.sqlite3").exists():
            _copy_db(aside / "outputs.sqlite3", ledger)
        shutil.rmtree(aside, ignore_errors=True)
    for mode, done in runs.items():
        if done:
            seconds = statistics.median(r["seconds"] for r in done)
            entities = done[0]["nodes"] + done[0]["relationships"]
            memory = (f", server RSS after the load {statistics.median(r['server_rss_mib'] for r in done):,.0f} MiB"
                      if "server_rss_mib" in done[0] else "")
            print(f"{mode}: median {seconds:.1f} s, {entities / seconds:,.0f} entities/s "
                  f"({done[0]['models']:,} models){memory}")


def _neo4j(workdir: Path):
    """A fresh real Neo4j from the tests' launcher, with room for a 100k-model graph."""
    sys.path.insert(0, str(REPO))
    from tests.neo4j_launcher.launcher import Neo4jServer, ensure_built
    ensure_built()
    return Neo4jServer(workdir, heap="4g").start()


if __name__ == "__main__":
    main()
