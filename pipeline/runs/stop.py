"""Stopping a run from outside (the UI's Cancel): SIGINT, then SIGTERM, then SIGKILL, each after a grace period.

A run started by the UI leads its own process group, so the signals go to the group (doit's
`-P process` workers included). A run started elsewhere may share its group with whatever started
it (a shell script, a terminal): then the signals go to its process and its descendants only.
A process started in the background by a script ignores SIGINT; the run's SIGTERM handler still
ends it cleanly (doit saves its state, the run is recorded as interrupted). SIGKILL is the last
resort: the run cannot record its own end, so the caller does.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Callable

from pipeline.processes import process_gone

STEPS = (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)


def descendants(pid: int) -> list[int]:
    """Every live descendant of `pid` (children first), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], list(children.get(pid, []))
    while stack:
        child = stack.pop(0)
        found.append(child)
        stack += children.get(child, [])
    return found


def leads_its_group(pid: int) -> bool:
    try:
        return os.getpgid(pid) == pid
    except ProcessLookupError:
        return False


def send(pid: int, sig: int, group: bool) -> str:
    """Signal the run; says what was signalled."""
    name = signal.Signals(sig).name
    if group:
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:  # it ended between the caller's look and this signal
            return f"{name} not sent: process group {pid} had already ended"
        return f"{name} sent to process group {pid}"
    targets = [pid] + descendants(pid)
    for target in targets:
        try:
            os.kill(target, sig)
        except ProcessLookupError:
            pass
    return f"{name} sent to pid {pid}" + (f" and its {len(targets) - 1} child process(es)" if len(targets) > 1 else "")


def wait_gone(pid: int, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while not process_gone(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(step)
    return True


def escalate(pid: int, group: bool, grace_s: float, record: Callable[[str], None]) -> str:
    """SIGINT has been sent: wait `grace_s`, SIGTERM, wait, SIGKILL. `record` is told each step;
    returns the signal the run ended after ("SIGINT", "SIGTERM" or "SIGKILL")."""
    last = signal.SIGINT.name
    for sig in STEPS[1:]:
        if wait_gone(pid, grace_s):
            record(f"the run ended after {last}")
            return last
        record(f"still running {grace_s:g} s after {last}: {send(pid, sig, group)}")
        last = signal.Signals(sig).name
    if wait_gone(pid, grace_s):
        record(f"the run ended after {last}")
    else:
        record(f"the run's process {pid} is still there {grace_s:g} s after {last}")
    return last
