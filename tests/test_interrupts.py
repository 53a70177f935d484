"""A stop signal that lands inside a finalizer (`__del__`) must still stop the process: raised there,
KeyboardInterrupt is printed as "Exception ignored" and lost (seen in CI, in subprocess.Popen.__del__)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.runs.reporter import _raise_interrupt

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
                                  text=True, timeout=3, env={**os.environ, "PYTHONPATH": ROOT})
        except subprocess.TimeoutExpired:
            return False
        return done.stdout == "interrupted\n"

    assert not interrupted("as Python leaves it")  # what the relay is for
    assert interrupted("relayed")
