"""How many worker processes a `doit` run uses when its command line does not say (`-n`).

doit runs every task in its own process unless told `-n N -P process`, so a plain `doit` (the README's
command, the web UI's Materialize and the scheduler's jobs) used one core of many: on this 2-core machine
a 1% update of 100k models took 19.4 s in one process against 13.1 s on two workers (medians of 6,
alternated; docs/benchmarks.md). A run now uses one worker per CPU this
process may use (its CPU affinity and its cgroup's CPU quota), and no more than one per 1.5 GiB of the
memory it may use (the largest task of a 2M-model catalog peaks under 1 GiB; `MLENTORY_WORKERS` or
`[tool.mlentory] workers` says otherwise). One worker means doit's own process, as before.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from pipeline.errors import SettingsError

MEMORY_PER_WORKER = 1.5 * 2**30


def cpus_available() -> int:
    """CPUs this process may run on: its affinity, bounded by a cgroup v2 (or v1) CPU quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = _cgroup_cpu_quota()
    return max(1, min(cpus, math.ceil(quota)) if quota else cpus)


def _cgroup_cpu_quota() -> float | None:
    """CPUs' worth of time the cgroup grants (`cpu.max`, or v1's `cpu.cfs_quota_us` / `cpu.cfs_period_us`);
    None without a limit."""
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        quota = int(Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").read_text())
        period = int(Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us").read_text())
        return quota / period if quota > 0 and period > 0 else None
    except (OSError, ValueError):
        return None


def memory_available() -> int | None:
    """Bytes of memory this process may use: the machine's, bounded by a cgroup memory limit."""
    limits = []
    try:
        limits.append(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        pass
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            limits.append(int(text))  # v1 reports "no limit" as a huge number: min() passes it by
    return min(limits) if limits else None


def requested_workers(setting: str | None) -> int | None:
    """The count the `workers` setting asks for, None for "auto" (or unset); anything else is refused."""
    text = str(setting if setting is not None else "auto").strip().lower()
    if text == "auto":
        return None
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise SettingsError(f"setting workers={setting!r} must be 'auto' or a number of processes >= 1")
    return count


def workers(setting: str | None) -> int:
    """The workers a run uses: `setting` is "auto" (or unset) or a count >= 1."""
    count = requested_workers(setting)
    if count is not None:
        return count
    memory = memory_available()
    by_memory = max(1, int(memory // MEMORY_PER_WORKER)) if memory else 1
    return min(cpus_available(), by_memory)


def doit_run_defaults(root: Path, setting: str | None) -> dict:
    """doit's `run` options for DOIT_CONFIG: the worker count, in processes. A command line's `-n`/`-P`
    wins over these (doit's rule); so does `num_process`/`par_type` written in the project's
    `[tool.doit.commands.run]`, which DOIT_CONFIG would otherwise override."""
    count = workers(setting)
    options = {"num_process": count if count > 1 else 0, "par_type": "process"}
    written = _doit_run_section(root)
    return {name: value for name, value in options.items() if name not in written}


def _doit_run_section(root: Path) -> dict:
    from pipeline.config import pyproject_tool  # the settings' parse of the file, cached (config imports this module)

    doit = pyproject_tool(root, "doit")
    global_options = {name: value for name, value in doit.items() if not isinstance(value, dict)}
    return {**global_options, **doit.get("commands", {}).get("run", {})}
