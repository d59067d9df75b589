"""Correct: locks created once and shared by every caller: module-level and class-level
locks, instance locks made in __init__, locks received as parameters or looked up in a
shared table, and a lock that is only built, never taken, in the function."""
import threading
from threading import RLock

_cache = {}
try:
    _cache_lock = threading.RLock()
except AttributeError:  # pragma: no cover - very old interpreters
    _cache_lock = threading.Lock()

with _cache_lock:
    _cache["boot"] = True


def cached(key, compute):
    with _cache_lock:
        if key not in _cache:
            _cache[key] = compute(key)
        return _cache[key]


def cached_alias(key):
    lock = _cache_lock  # another name for the module's lock
    with lock:
        return _cache.get(key)


class IdAllocator:
    _lock = threading.Lock()
    _next = 0

    @classmethod
    def allocate(cls):
        with cls._lock:
            cls._next += 1
            return cls._next

    @staticmethod
    def peek():
        with IdAllocator._lock:
            return IdAllocator._next


class Metrics:
    def __init__(self):
        self._lock = RLock()
        self._locks = {"latency": threading.Lock(), "errors": threading.Lock()}
        self.samples = {"latency": [], "errors": []}

    def add(self, kind, value):
        lock = self._locks[kind]
        with lock:
            self.samples[kind].append(value)

    def snapshot(self):
        lock = self._lock
        lock.acquire()
        try:
            return {kind: list(values) for kind, values in self.samples.items()}
        finally:
            lock.release()


def drain(items, lock):
    with lock:
        taken = list(items)
        items.clear()
    return taken


def drain_with_default(items, lock=_cache_lock):
    lock.acquire()
    try:
        return list(items)
    finally:
        lock.release()


class Job:
    def __init__(self, name):
        self.name = name
        self.lock = None


def prepare(job):
    # Stored on another object: whoever holds the job holds its lock.
    lock = threading.Lock()
    job.lock = lock
    with lock:
        print("prepared", job.name)


def install(target, name):
    lock = threading.Lock()
    setattr(target, name, lock)
    with lock:
        print("installed", name)


def condition_for(items):
    # Built, never taken here: handed to the caller.
    ready = threading.Condition(threading.Lock())
    print("made a condition for", len(items), "items")
    return ready


def is_free(lock):
    return not threading.Lock().locked() and not lock.locked()
