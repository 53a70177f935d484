"""Replacing large files the way a shard's commit does, with the old file removed at once or in the background.

    python benchmarks/replaced_files.py [--files 48] [--mib 140] [--rounds 2] [--folder DIR]

Each round rewrites every file: reads the old one, writes a new one beside it (a few bytes changed),
exchanges the two (`storage.swap_into_place`) and removes the old one, either in the committing
thread (as before pipeline/deferred_removal.py) or by the removal thread (now). 140 MB is a JSON-LD
shard's three exports at two million models, which a 1% update rewrites in all 256 shards. The two
ways alternate, round after round, on the same files; the medians are printed (seconds for all files,
the background removals waited for).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import storage  # noqa: E402
from pipeline.deferred_removal import wait_for_removals  # noqa: E402


def rewrite_all(files: list[Path], at_once: bool) -> float:
    """Seconds to rewrite and replace every file, the removals included."""
    started = time.perf_counter()
    for target in files:
        staged = target.with_name(f".{target.name}{storage.STAGING_SUFFIX}")
        with target.open("rb") as old, staged.open("wb") as new:
            new.write(b"changed")
            old.read(7)
            while chunk := old.read(4 << 20):
                new.write(chunk)
        if at_once:  # swap_into_place as it was: the exchange leaves the old file at the staging name
            if storage._exchange(staged, target):
                staged.unlink()
            else:
                os.replace(staged, target)
        else:
            storage.swap_into_place(staged, target)
    wait_for_removals()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=48)
    parser.add_argument("--mib", type=int, default=140)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--folder", type=Path, default=None, help="where to write (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        block = os.urandom(1 << 20)
        files = [Path(folder) / f"models-{n:03d}.nq" for n in range(args.files)]
        for path in files:
            with path.open("wb") as fh:
                for _ in range(args.mib):
                    fh.write(block)
        os.sync()  # the old files' bytes on disk, as a previous run's are
        seconds: dict[str, list[float]] = {"at once": [], "in the background": []}
        for round_ in range(args.rounds):
            order = ("at once", "in the background") if round_ % 2 == 0 else ("in the background", "at once")
            for way in order:
                seconds[way].append(rewrite_all(files, at_once=way == "at once"))
                print(f"round {round_ + 1}, removed {way}: {seconds[way][-1]:.2f} s", flush=True)
        at_once, background = (statistics.median(seconds[w]) for w in ("at once", "in the background"))
        print(f"{args.files} files of {args.mib} MiB, medians of {args.rounds}: removed at once {at_once:.2f} s "
              f"({1000 * at_once / args.files:.0f} ms a file), in the background {background:.2f} s "
              f"({1000 * background / args.files:.0f} ms a file): {background / at_once:.2f}x")


if __name__ == "__main__":
    main()
