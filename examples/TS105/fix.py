"""TS105 fixed: the consumer waits in a loop until there is a job.

Same program as bug.py, but ``JobQueue.take()`` waits with
``while not self._jobs: self._cond.wait()``. A consumer that wakes up and finds
the list empty (another consumer was faster) goes back to waiting instead of
popping from an empty list. ``self._cond.wait_for(lambda: self._jobs)`` does the
same loop for you.

Here both consumers are waiting when one job is put: one takes it, the other
goes back to waiting, and takes the second job when it comes.

Run it: prints one line starting with "OK:" and exits 0.
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
            while not self._jobs:  # checked again after every wake-up
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
    # One consumer has the job; the other one is back in wait().
    wait_until(lambda: len(taken) == 1 and jobs.idle_consumers() == 1)
    still_waiting = not failures and len(taken) == 1
    jobs.put("resize photo-2.jpg")  # the job the second consumer was waiting for
    for consumer in consumers:
        consumer.join(timeout=2)
    if failures or not still_waiting or any(c.is_alive() for c in consumers):
        print(f"BUG: a consumer returned from wait() without a job: {failures}")
        return 1
    print(
        f"OK: 2 consumers woken for 1 job: one took {taken[0]!r}, the other went back "
        f"to waiting and then took {taken[1]!r}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
