"""Correct: every wait() re-checks what it waits for: in a while loop (its body or its
test), in a for loop of retries, through wait_for(), or in a helper that its callers
run in a loop."""
import threading
import time
from threading import Condition


class JobQueue:
    def __init__(self):
        self._cond = threading.Condition()
        self._jobs = []
        self._closed = False

    def put(self, job):
        with self._cond:
            self._jobs.append(job)
            self._cond.notify()

    def close(self):
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def take(self):
        with self._cond:
            while not self._jobs:
                if self._closed:
                    return None
                self._cond.wait()
            return self._jobs.pop(0)

    def take_within(self, seconds):
        deadline = time.monotonic() + seconds
        with self._cond:
            while not self._jobs:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)
            return self._jobs.pop(0)

    def take_predicate(self):
        with self._cond:
            self._cond.wait_for(lambda: self._jobs or self._closed)
            return self._jobs.pop(0) if self._jobs else None

    def take_predicate_within(self, seconds):
        with self._cond:
            if not self._cond.wait_for(lambda: self._jobs, timeout=seconds):
                return None
            return self._jobs.pop(0)

    def wait_closed(self):
        with self._cond:
            while True:
                if self._closed:
                    break
                self._cond.wait()


class Heartbeat:
    def __init__(self):
        self._stop = Condition()
        self.stopped = False
        self.beats = 0

    def stop(self):
        with self._stop:
            self.stopped = True
            self._stop.notify_all()

    def run(self, interval):
        with self._stop:
            # wait() in the loop's test: False when the interval passed without a stop.
            while not self._stop.wait(interval):
                self.beats += 1


class Retrier:
    def __init__(self):
        self._changed = threading.Condition()
        self.healthy = False

    def wait_healthy(self, attempts):
        with self._changed:
            for _ in range(attempts):
                if self.healthy:
                    return True
                self._changed.wait(1.0)
            return self.healthy


class Warmup:
    def __init__(self):
        self._cond = threading.Condition()
        self._ready = False

    def set_ready(self):
        with self._cond:
            self._ready = True
            self._cond.notify_all()

    def _wait_a_bit(self):
        with self._cond:
            self._cond.wait(0.5)

    def block(self):
        while not self._ready:
            self._wait_a_bit()


done = threading.Condition()
finished = set()


def _wait_once():
    with done:
        done.wait(0.1)


def wait_finished(names):
    for name in names:
        while name not in finished:
            _wait_once()
