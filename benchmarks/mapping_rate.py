"""The Hub mapping's records per CPU second, in process: what normalize does per record.

    python benchmarks/mapping_rate.py PROJECT [--shards 4] [--rounds 5]

PROJECT is a built project (e.g. one `benchmarks/run.py` or `compare.py` leaves): the first
`--shards` of its raw Hub shards are read once, then each round maps every record as a normalize
shard does (`fair4ml.to_fair4ml`, the schema check, the record's JSON) and prints records per CPU
second; the median of the rounds last. The issue's goal is 15,000 a core.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from pipeline.storage import read_parquet
    from pipeline.transform import fair4ml, validation
    from pipeline.transform.normalized_shards import every_field

    shards = sorted((args.project / "data" / "raw" / "hf").glob("models-*.parquet"))[:args.shards]
    if not shards:
        raise SystemExit(f"no raw Hub shards under {args.project}/data/raw/hf: build the project first")
    rows = [row for shard in shards for row in read_parquet(shard, columns=["raw_json", "readme"]).to_pylist()]
    rates = []
    for round_ in range(args.rounds):
        started = time.process_time()
        for row in rows:
            record = fair4ml.to_fair4ml(json.loads(row["raw_json"]), row["readme"])
            validation.problems(record)
            json.dumps(every_field(record), ensure_ascii=False, sort_keys=True)
        rates.append(len(rows) / (time.process_time() - started))
        print(f"round {round_ + 1}: {rates[-1]:,.0f} records per CPU second", flush=True)
    print(f"{len(rows):,} records of {len(shards)} shards: median {statistics.median(rates):,.0f} per CPU second")


if __name__ == "__main__":
    main()
