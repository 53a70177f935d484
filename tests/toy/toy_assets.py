"""A three-asset registry for tests: numbers -> doubled -> total, with failure and delay switches.

Tests copy this file into a temporary project; creating `FAIL_<asset>` (or `SLOW_<asset>`) in the
project root makes that asset raise (or sleep), so tests drive failures through real doit runs;
`ALLOC_<asset>` makes it hold that many MiB while it builds (`KEEP_<asset>`: and keep them after, as a leak
in a long-lived process would); `IGNORE_<asset>` holding signal names
(`INT TERM`) makes its process ignore those signals from then on; `STUCK_<asset>` makes it write its
pid to `STUCK_<asset>.pid` and then never end, interrupted or not (an unwinding that waits for ever);
`POOL_numbers` makes numbers square its input in a pool of forked processes (as a task's own parallel
code would) and fail if the pool has not answered within 30 s.
"""

import os
import signal
import time

from pipeline.checks import Check, Measure
from pipeline.errors import PipelineError
from pipeline.registry import Asset, Job, Output, Registry

_KEPT = []  # what KEEP_<asset> switches hold until the process ends


def _switches(ctx):
    root = ctx.settings.root
    if (root / f"IGNORE_{ctx.asset.name}").exists():
        for name in (root / f"IGNORE_{ctx.asset.name}").read_text().split():
            signal.signal(getattr(signal, f"SIG{name}"), signal.SIG_IGN)
    if (root / f"STUCK_{ctx.asset.name}").exists():
        (root / f"STUCK_{ctx.asset.name}.pid").write_text(str(os.getpid()))
        while True:
            try:
                time.sleep(3600)
            except KeyboardInterrupt:
                continue
    if (root / f"SLOW_{ctx.asset.name}").exists():
        time.sleep(float((root / f"SLOW_{ctx.asset.name}").read_text() or 30))
    for switch in ("ALLOC", "KEEP"):
        if (root / f"{switch}_{ctx.asset.name}").exists():
            held = bytearray(int((root / f"{switch}_{ctx.asset.name}").read_text()) << 20)
            held[::4096] = b"x" * len(held[::4096])  # touch every page, so it is resident
            if switch == "KEEP":
                _KEPT.append(held)
    if (root / f"FAIL_{ctx.asset.name}").exists():
        message = (root / f"FAIL_{ctx.asset.name}").read_text()
        if message.startswith("clear:"):
            raise PipelineError(message[len("clear:"):])
        raise RuntimeError(message or "boom")


def _squares_in_a_pool(values: list[int]) -> list[int]:
    import multiprocessing
    with multiprocessing.get_context("fork").Pool(2) as pool:
        return pool.map_async(_square, values).get(timeout=30)


def _square(value: int) -> int:
    return value * value


def build_numbers(ctx):
    _switches(ctx)
    values = [int(v) for v in (ctx.settings.root / "input.txt").read_text().split()]
    if (ctx.settings.root / "POOL_numbers").exists():
        print(f"squares {' '.join(map(str, _squares_in_a_pool(values)))}")
    print(f"read {len(values)} numbers")
    ctx.output("numbers").write_text("\n".join(map(str, values)) + "\n")
    return {"rows": len(values)}


def build_doubled(ctx):
    _switches(ctx)
    values = [int(v) for v in ctx.input("numbers").read_text().split()]
    print(f"doubled {len(values)} numbers")
    ctx.output("doubled").write_text("\n".join(str(v * 2) for v in values) + "\n")
    return {"rows": len(values)}


def build_total(ctx):
    _switches(ctx)
    values = [int(v) for v in ctx.input("doubled").read_text().split()]
    ctx.output("total").write_text(f"{sum(values)}\n")
    return {"rows": 1}


def check_total_positive(given):
    total = int(given.paths("total")[0].read_text())
    return Measure(total > 0, total, "the sum of the doubled numbers (more than 0)")


REGISTRY = Registry(
    assets=[
        Asset("numbers", "Numbers read from input.txt", "toy", build_numbers,
              outputs={"numbers": Output("data/numbers.txt")}, inputs=lambda s: ["input.txt"]),
        Asset("doubled", "Every number doubled", "toy", build_doubled, upstream=("numbers",),
              outputs={"doubled": Output("data/doubled.txt")}),
        Asset("total", "Sum of the doubled numbers", "toy", build_total, upstream=("doubled",),
              outputs={"total": Output("data/total.txt")},
              checks=(Check("total_positive", "the total is more than zero", check_total_positive, severity="error"),)),
    ],
    jobs=[Job("toy_job", "All toy assets", ("toy",))],
)
