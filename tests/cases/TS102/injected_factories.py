"""Locks built by a factory handed in: a multiprocessing context, a manager."""
import multiprocessing
import threading

from zookeeper import client


class Stats:
    """``ctx.Lock()`` is as non-reentrant as ``threading.Lock()``."""

    def __init__(self, ctx=multiprocessing.get_context("spawn")):
        self._lock = ctx.Lock()
        self._guard = ctx.RLock()
        self.count = 0

    def bump(self):
        with self._lock:
            self.count += 1
            self.report()  # expect: TS102 'self._lock' is held here and acquired again via self.report()

    def report(self):
        with self._lock:
            print(self.count)

    def bump_reentrant(self):
        with self._guard:
            self.count += 1
            self.report_reentrant()

    def report_reentrant(self):
        with self._guard:
            print(self.count)


class Coordinator:
    """Correct: ``client.Lock(path)`` takes arguments: not a threading lock by convention."""

    def __init__(self):
        self._lease = client.Lock("/jobs/lease")
        self._local = threading.RLock()

    def run(self):
        with self._lease:
            self.step()

    def step(self):
        with self._lease:
            print("leased")
