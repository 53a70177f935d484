"""A stop signal must stop the process wherever it lands: inside a finalizer (`__del__`), where a
KeyboardInterrupt raised is printed as "Exception ignored" and lost (seen in CI, in
subprocess.Popen.__del__), and in a thread other than the main one, which Python does not wake (seen in
CI: an idle doit worker never stopped)."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.runs.reporter import _raise_interrupt
from tests.conftest import as_from_a_terminal

ROOT = str(Path(__file__).resolve().parents[1])


class _Finalized:
    def __init__(self, signal_at_del):
        self.signal_at_del = signal_at_del

    def __del__(self):
        self.signal_at_del(sys._getframe())


def test_a_signal_inside_a_finalizer_interrupts_the_process_just_after_it(capsys):
    previous = signal.getsignal(signal.SIGALRM)
    try:
        with pytest.raises(KeyboardInterrupt, match="signal 15"):
            _Finalized(lambda frame: _raise_interrupt(signal.SIGTERM, frame))  # freed at once: __del__ runs
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                time.sleep(0.01)
        assert "Exception ignored" not in capsys.readouterr().err
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_signal_elsewhere_interrupts_at_once():
    with pytest.raises(KeyboardInterrupt, match="signal 15"):
        _raise_interrupt(signal.SIGTERM, sys._getframe())


_BLOCKED_MAIN = """
import os, signal, sys, threading, time
from pipeline.runs import interrupts

def stop(signum, frame):  # a doit worker's SIGTERM handler raises as its SIGINT one does
    raise KeyboardInterrupt(signum)

signal.signal(signal.SIGTERM, stop)
if sys.argv[2] == "relayed":
    interrupts.reach_the_main_thread()

def side_thread():  # the kernel chose this thread for the process's signal
    time.sleep(0.3)
    signal.pthread_kill(threading.get_ident(), int(sys.argv[1]))

threading.Thread(target=side_thread, daemon=True).start()
read, write = os.pipe()  # nothing is ever written: the main thread waits as an idle doit worker does
try:
    os.read(read, 1)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stop_signal_landing_in_another_thread_wakes_the_blocked_main_thread(stop):
    """The kernel hands a process's signal to any one of its threads. In CI an idle doit worker got
    the run's Ctrl-C and SIGTERM in its result queue's feeder thread and never stopped."""
    def interrupted(mode: str) -> bool:
        try:
            done = subprocess.run([sys.executable, "-c", _BLOCKED_MAIN, str(int(stop)), mode], capture_output=True,
                                  text=True, timeout=3, env={**os.environ, "PYTHONPATH": ROOT},
                                  preexec_fn=as_from_a_terminal)
        except subprocess.TimeoutExpired:
            return False
        return done.stdout == "interrupted\n"

    assert not interrupted("as Python leaves it")  # what the relay is for
    assert interrupted("relayed")


def _signal_a_side_thread(pid: int, signum: int) -> int:
    """Send `signum` to one thread of process `pid` other than its main one (as the kernel may hand a
    signal sent to the process); the thread's id."""
    import ctypes
    side = next(int(t) for t in sorted(os.listdir(f"/proc/{pid}/task")) if int(t) != pid)
    if ctypes.CDLL(None, use_errno=True).tgkill(pid, side, signum) != 0:
        raise OSError(ctypes.get_errno(), f"tgkill {pid} {side}")
    return side


def test_a_kill_landing_in_a_side_thread_of_the_run_stops_it(toy_project):
    """`kill RUN_PID` (a service manager stopping a scheduled run) reaches the run's process alone; its
    main thread waits for a worker's result, and a long task would keep it waiting."""
    from tests.test_fresh_process import last_run
    from tests.faults.helpers import wait_for

    toy_project.path("SLOW_doubled").write_text("120")
    run = toy_project.popen("-n", "2", "-P", "process")
    try:
        assert wait_for(lambda: toy_project.path("data/numbers.txt").exists(), 60, 0.05)
        time.sleep(1)  # doubled sleeps in a worker, the run's main thread waits for its result
        _signal_a_side_thread(run.pid, signal.SIGTERM)
        run.communicate(timeout=30)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode != 0
    assert last_run(toy_project)["doubled"].status == "interrupted"


def test_a_run_in_a_process_that_goes_on_puts_the_signal_handling_back():
    from pipeline.runs import interrupts

    before = signal.getsignal(interrupts.NUDGE)
    interrupts.reach_the_main_thread()
    relay_fd = signal.set_wakeup_fd(-1)
    signal.set_wakeup_fd(relay_fd)
    assert relay_fd != -1 and signal.getsignal(interrupts.NUDGE) is not before
    interrupts.stop_relaying()
    assert signal.set_wakeup_fd(-1) == -1 and signal.getsignal(interrupts.NUDGE) is before
    threads = [t for t in threading.enumerate() if t.name == "mlentory-signal-relay"]
    for thread in threads:
        thread.join(5)
    assert not any(t.is_alive() for t in threads)
