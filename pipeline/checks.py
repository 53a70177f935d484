"""Asset checks, as Dagster has them: figures about an asset's outputs measured after it materializes.

A check is declared on its asset in the registry with a severity. `warn` only shows (in the run
history, `doit status`, `doit logs`, `doit quality` and the UI); a failing `error` check fails the
asset, so nothing downstream runs on what it wrote. An unsharded asset runs its checks before its
outputs are published (a failed error check leaves the previous outputs, as any failure does); a
sharded asset runs them once all its shards are built, as its `<asset>:checks` task, which every
downstream task waits for.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from doit.exceptions import TaskFailed

SEVERITIES = ("warn", "error")
STATUSES = ("pass", "warn", "fail")
CHECKS_SUFFIX = "checks"


@dataclass(frozen=True)
class Measure:
    """What a check found: whether it passes, its figure, and a sentence that says what the figure is."""

    passed: bool
    value: float | int | str | None
    detail: str


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    measure: Callable[["CheckInput"], Measure]
    severity: str = "warn"

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"check {self.name}: severity must be one of {SEVERITIES}")


@dataclass
class CheckInput:
    """What a check reads: the asset's output files by output key (every shard's), its settings, and
    the metadata its build returned (empty for sharded assets, whose shards report separately)."""

    settings: object
    files: dict[str, list[Path]]
    metadata: dict = field(default_factory=dict)

    readings: dict = field(default_factory=dict)

    def paths(self, key: str) -> list[Path]:
        return [p for p in self.files.get(key, []) if p.exists()]

    def read_once(self, name: str, read):
        """`read()`, called by the first check that asks for `name`; the others of this run share it (eight
        checks read one figure each from the same 256 shard footers)."""
        if name not in self.readings:
            self.readings[name] = read()
        return self.readings[name]


def run(checks, given: CheckInput) -> list[dict]:
    """Every check's result as {check, severity, status, value, detail}; a check that cannot run says why
    (and counts as failing at its severity)."""
    results = []
    for check in checks:
        try:
            found = check.measure(given)
        except Exception as exc:  # a broken check must not hide the others' figures
            last = traceback.format_exception_only(type(exc), exc)[-1].strip()
            found = Measure(False, None, f"the check could not run: {last}")
        status = "pass" if found.passed else ("fail" if check.severity == "error" else "warn")
        results.append({"check": check.name, "severity": check.severity, "status": status,
                        "value": found.value, "detail": found.detail})
    return results


def failures(results: list[dict]) -> list[dict]:
    return [r for r in results if r["status"] == "fail"]


def summary(results: list[dict]) -> str:
    """`4 passed, 1 warning (relation_unknown_share 0.62)`: counts, then what did not pass."""
    counts = {s: sum(r["status"] == s for r in results) for s in STATUSES}
    words = [f"{counts['pass']} passed"] + [f"{counts['warn']} warning{'s' * (counts['warn'] > 1)}"] * bool(counts["warn"])
    words += [f"{counts['fail']} failed"] * bool(counts["fail"])
    notes = [f"{r['check']} {format_value(r['value'])}" for r in results if r["status"] != "pass"]
    return ", ".join(words) + (f" ({'; '.join(notes)})" if notes else "")


def format_value(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value else "0"
    return "-" if value is None else str(value)


def render(results: list[dict]) -> str:
    """One line per check: status, name, figure, what it means."""
    width = max((len(r["check"]) for r in results), default=0)
    return "\n".join(f"{r['status'].upper():4}  {r['check'].ljust(width)}  {format_value(r['value']):>8}  {r['detail']}"
                     for r in results)


class ChecksFailed(TaskFailed):
    """An asset's error checks failed: the message names them; the results go to the run history."""

    def __init__(self, label: str, results: list[dict]):
        failed = failures(results)
        names = "; ".join(f"{r['check']}: {r['detail']}" for r in failed)
        super().__init__(f"{label}: {len(failed)} error check{'s' * (len(failed) > 1)} failed - {names} "
                         f"(downstream assets were not built; `doit quality` shows every figure)")
        self.metadata = {"checks": results}


def share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
