"""A sharded toy registry for tests: numbers -> doubled (sharded) -> squared (sharded) -> total.

`numbers` is unsharded and writes one file per shard (number n goes to shard n % shards);
`doubled` and `squared` are one doit sub-task per shard; `total` reads every shard of `squared`.
Tests copy this file into a temporary project with MLENTORY_SHARDS set. Creating `FAIL_<asset>`
or `FAIL_<asset>_<shard>` (`SLOW_...` likewise) in the project root makes that asset, or only that
shard of it, raise (or sleep).
"""

import time

from pipeline.registry import Asset, Job, Output, Registry


def _switches(ctx):
    root = ctx.settings.root
    names = [ctx.asset.name] + ([f"{ctx.asset.name}_{ctx.shard}"] if ctx.shard is not None else [])
    for name in names:
        if (root / f"SLOW_{name}").exists():
            time.sleep(float((root / f"SLOW_{name}").read_text() or 30))
        if (root / f"FAIL_{name}").exists():
            raise RuntimeError((root / f"FAIL_{name}").read_text() or "boom")


def _read(path):
    return [int(v) for v in path.read_text().split()]


def _write(path, values):
    path.write_text("".join(f"{v}\n" for v in values))


def build_numbers(ctx):
    _switches(ctx)
    values = [int(v) for v in (ctx.settings.root / "input.txt").read_text().split()]
    for index, label in enumerate(ctx.labels):
        _write(ctx.output("numbers", label), [v for v in values if v % len(ctx.labels) == index])
    return {"rows": len(values)}


def build_doubled(ctx):
    _switches(ctx)
    values = _read(ctx.input("numbers"))
    _write(ctx.output("doubled"), [v * 2 for v in values])
    return {"rows": len(values), "unit": "number", "shard": ctx.shard}


def build_squared(ctx):
    _switches(ctx)
    values = _read(ctx.input("doubled"))
    _write(ctx.output("squared"), [v * v for v in values])
    return {"rows": len(values), "largest": max(values, default=0)}


def build_total(ctx):
    _switches(ctx)
    total = sum(v for _, path in ctx.inputs("squared") for v in _read(path))
    ctx.output("total").write_text(f"{total}\n")
    return {"rows": 1}


REGISTRY = Registry(
    assets=[
        Asset("numbers", "Numbers read from input.txt, split into shards", "toy", build_numbers,
              outputs={"numbers": Output("data/numbers-{shard}.txt")}, inputs=lambda s: ["input.txt"]),
        Asset("doubled", "Every number doubled, shard by shard", "toy", build_doubled, upstream=("numbers",),
              outputs={"doubled": Output("data/doubled-{shard}.txt")}, sharded=True),
        Asset("squared", "Every doubled number squared, shard by shard", "toy", build_squared,
              upstream=("doubled",), outputs={"squared": Output("data/squared-{shard}.txt")}, sharded=True),
        Asset("total", "Sum of all squared numbers", "toy", build_total, upstream=("squared",),
              outputs={"total": Output("data/total.txt")}),
    ],
    jobs=[Job("toy_job", "All toy assets", ("toy",))],
)
