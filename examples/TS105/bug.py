"""TS105: ``Condition.wait()`` guarded by an ``if`` instead of a loop.

The bug: ``JobQueue.take()`` does ``if not self._jobs: self._cond.wait()`` and
then pops a job, as if waking up meant that a job is there for this consumer.
It does not: ``put()`` wakes every waiting consumer with ``notify_all()``, and
only the first one to get the lock back finds the job. The others return from
``wait()`` to an empty list, and ``pop()`` raises ``IndexError``. The same
happens with ``notify()`` when a consumer that was not waiting takes the job
first, and after a ``wait(timeout)`` that timed out.

Here two consumers are waiting when one job is put, on every run.

What to look for: ``cond.wait()`` or ``cond.wait(timeout)`` on a
``threading.Condition`` that is not inside a ``while`` loop re-checking the
condition. Use ``cond.wait_for(predicate)`` or ``while not ...: cond.wait()``
(see fix.py).

Run it: prints one line starting with "BUG:" and exits 1.
"""

import sys
import threading
import time


class JobQueue:
    def __init__(self):
        self._cond = threading.Condition()
        self._jobs = []
        self._idle = 0  # consumers waiting for a job, for monitoring

    def put(self, job):
        with self._cond:
            self._jobs.append(job)
            self._cond.notify_all()  # wake every idle consumer

    def take(self):
        with self._cond:
            if not self._jobs:  # checked once: not again after waking up
                self._idle += 1
                self._cond.wait()
                self._idle -= 1
            return self._jobs.pop(0)

    def idle_consumers(self):
        with self._cond:
            return self._idle


def consume(jobs, taken, failures):
    try:
        taken.append(jobs.take())
    except IndexError as exc:
        failures.append(exc)


def wait_until(check, timeout=5):
    """Poll ``check()`` until it is true; False if it is still false after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def main():
    jobs = JobQueue()
    taken, failures = [], []
    consumers = [
        threading.Thread(target=consume, args=(jobs, taken, failures), daemon=True)
        for _ in range(2)
    ]
    for consumer in consumers:
        consumer.start()
    wait_until(lambda: jobs.idle_consumers() == 2)  # both consumers are in wait()
    jobs.put("resize photo-1.jpg")
    for consumer in consumers:
        consumer.join(timeout=2)
    if failures:
        print(
            f"BUG: 2 consumers woken for 1 job: one took {taken[0]!r}, the other returned "
            f"from wait() to an empty list ({type(failures[0]).__name__}: {failures[0]})"
        )
        return 1
    print(f"OK: the consumers took {taken} and none found the list empty")
    return 0


if __name__ == "__main__":
    sys.exit(main())
