"""What compressing the JSON-LD shards' exports would save: gzip with one member per model, against today's plain files.

    python benchmarks/export_compression.py PROJECT [--level 1] [--shards 16]

A 1% update at two million models rewrites every shard's three exports (`models-NNN.jsonld`, `.nq`,
`.ttl`: ~140 MB a shard, ~36 GB an update), and that stage is bound by the disk. A gzip file may be
a series of members, each compressed on its own, and every gzip reader reads them as one stream; with
one member per model an update could still copy the unchanged models' bytes as they are (compressed)
and compress only the changed ones. This prints, for the first `--shards` shards of a built project
(any project `doit` built: the bundled snapshot's real records, or a benchmark's synthetic ones), per
export: its size, how many times smaller it is as one member per model and as one compressed whole,
and the CPU a changed model's member costs. It measures; it changes nothing.
"""

from __future__ import annotations

import argparse
import time
import zlib
from pathlib import Path

import pyarrow.parquet as pq

EXPORTS = (("nq", "nq"), ("jsonld", "jl"), ("ttl", "tt"))  # (file suffix, its span columns' prefix)


def gzip_member(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    return compressor.compress(data) + compressor.flush()


def measure(folder: Path, shards: int, level: int) -> dict[str, dict]:
    """Per export: bytes, bytes as per-model members, bytes compressed whole, models, CPU seconds of the members."""
    totals = {suffix: {"bytes": 0, "members": 0, "whole": 0, "models": 0, "cpu_s": 0.0} for suffix, _ in EXPORTS}
    for digests in sorted(folder.glob("models-*.digests.parquet"))[:shards]:
        spans = pq.read_table(digests)
        for suffix, prefix in EXPORTS:
            data = digests.with_name(digests.name.replace(".digests.parquet", f".{suffix}")).read_bytes()
            starts = spans.column(f"{prefix}_start").to_pylist()
            ends = spans.column(f"{prefix}_end").to_pylist()
            total = totals[suffix]
            started = time.process_time()
            total["members"] += sum(len(gzip_member(data[start:end], level)) for start, end in zip(starts, ends))
            total["cpu_s"] += time.process_time() - started
            total["members"] += _outside_members(data, starts, ends, level)
            total["bytes"] += len(data)
            total["whole"] += len(zlib.compress(data, level))
            total["models"] += len(starts)
    return totals


def _outside_members(data: bytes, starts: list[int], ends: list[int], level: int) -> int:
    """The bytes no model owns (a header, the prefixes, a closing bracket), compressed as members of their own."""
    pieces, at = [], 0
    for start, end in sorted(zip(starts, ends)):
        if start > at:
            pieces.append(data[at:start])
        at = max(at, end)
    if at < len(data):
        pieces.append(data[at:])
    return sum(len(gzip_member(piece, level)) for piece in pieces)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--level", type=int, default=1, help="gzip level (1 fastest, 9 smallest)")
    parser.add_argument("--shards", type=int, default=16)
    args = parser.parse_args()
    folder = args.project / "data" / "rdf" / "hf"
    if not any(folder.glob("models-*.digests.parquet")):
        raise SystemExit(f"{folder} holds no JSON-LD shards: build the project first (doit hf_models_jsonld)")
    totals = measure(folder, args.shards, args.level)
    everything = sum(t["bytes"] for t in totals.values())
    as_members = sum(t["members"] for t in totals.values())
    for suffix, total in totals.items():
        print(f".{suffix}: {total['bytes'] / 1e6:.1f} MB for {total['models']} models; gzip level {args.level}, "
              f"a member per model: {total['bytes'] / total['members']:.1f}x smaller "
              f"({1e3 * total['cpu_s'] / total['models']:.3f} ms CPU a model), "
              f"compressed whole: {total['bytes'] / total['whole']:.1f}x")
    print(f"all three: {everything / 1e6:.1f} MB, a member per model {as_members / 1e6:.1f} MB "
          f"({everything / as_members:.1f}x smaller)")


if __name__ == "__main__":
    main()
