"""A stop signal that lands inside a finalizer (`__del__`) must still stop the process: raised there,
KeyboardInterrupt is printed as "Exception ignored" and lost (seen in CI, in subprocess.Popen.__del__)."""

import signal
import sys
import time

import pytest

from pipeline.runs.reporter import _raise_interrupt


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
