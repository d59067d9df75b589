"""A job queue whose lock handling leaks the lock on errors."""
import logging
import threading

LOG = logging.getLogger(__name__)
registry_lock = threading.Lock()
registry = {}


def register(name, handler):
    registry_lock.acquire()  # expect: TS101 'registry_lock'
    if name in registry:
        raise KeyError(name)  # leaves registry_lock held
    registry[name] = handler
    registry_lock.release()


def unregister(name):
    registry_lock.acquire()  # expect: TS101
    handler = registry.pop(name)
    handler.close()
    registry_lock.release()


def validate_then_lock(job):
    registry_lock.acquire()  # expect: TS101 'registry_lock'
    check(job)  # raises before the try: below
    try:
        registry[job.name] = job
    finally:
        registry_lock.release()


class JobQueue:
    def __init__(self):
        self._lock = threading.RLock()
        self._jobs = []

    def push(self, job):
        self._lock.acquire()  # expect: TS101 'self._lock'
        self._jobs.append(job)
        self._journal.write(f"queued {job}\n")
        self._lock.release()

    def pop_ready(self):
        self._lock.acquire()  # expect: TS101
        for job in self._jobs:
            if job.ready:
                return job  # returns with the lock held
        self._lock.release()
        return None

    def drain(self):
        while True:
            self._lock.acquire()  # expect: TS101
            if not self._jobs:
                break  # leaves the loop with the lock held
            job = self._jobs.pop()
            self._lock.release()
            job.run()

    def start_batch(self):
        self._lock.acquire()  # expect: TS101 never released in start_batch()
        self._batch = list(self._jobs)
        self._jobs.clear()


def try_lock_then_work(job):
    if registry_lock.acquire(timeout=1):  # expect: TS101
        job.run()
        registry_lock.release()


def check(job):
    if not job.name:
        raise ValueError("job without a name")
