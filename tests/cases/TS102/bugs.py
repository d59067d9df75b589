"""A journal and a cache whose lock handling deadlocks on itself."""
import _thread
import contextlib
import multiprocessing
import threading
from threading import Condition, Lock

registry_lock = threading.Lock()
registry = {}


def register(name, handler):
    with registry_lock:
        if name in registry:
            unregister(name)  # expect: TS102 'registry_lock' is held here and acquired again via unregister()
        registry[name] = handler


def unregister(name):
    with registry_lock:
        registry.pop(name, None)


def snapshot():
    with registry_lock:
        return describe()  # expect: TS102 via describe() -> sorted_names()


def describe():
    return ", ".join(sorted_names())


def sorted_names():
    registry_lock.acquire()
    try:
        return sorted(registry)
    finally:
        registry_lock.release()


class Journal:
    def __init__(self):
        self._lock = threading.Lock()
        self._pending = []
        self._lines = []

    def flush(self):
        with self._lock:
            for entry in self._pending:
                self._write(entry)  # expect: TS102
            self._pending.clear()

    def _write(self, entry):
        self._append(f"{entry}\n")

    def _append(self, line):
        with self._lock:
            self._lines.append(line)

    def rotate(self):
        with self._lock:
            self._lines = []
            self._append("rotated\n")  # expect: TS102

    def compact(self):
        with self._lock:
            lines = list(self._lines)
            with self._lock:  # expect: TS102
                self._lines = sorted(set(lines))

    def truncate(self, size):
        with self._lock:
            self._lock.acquire()  # expect: TS102
            try:
                del self._lines[size:]
            finally:
                self._lock.release()

    @contextlib.contextmanager
    def batch(self):
        with self._lock:
            yield self._lines

    def extend(self, lines):
        with self._lock:
            with self.batch() as target:  # expect: TS102
                target.extend(lines)

    def close(self):
        self._lock.acquire()
        try:
            with self._lock:  # expect: TS102
                self._pending.clear()
        finally:
            self._lock.release()


class Queue:
    """A Condition built on a plain Lock is exactly as non-reentrant as the Lock."""

    def __init__(self):
        self._mutex = Lock()
        self._not_empty = Condition(self._mutex)
        self._ready = threading.Condition(threading.Lock())
        self._items = []

    def put(self, item):
        with self._not_empty:
            self._items.append(item)
            self._notify_all()  # expect: TS102

    def _notify_all(self):
        with self._not_empty:
            self._not_empty.notify_all()

    def clear(self):
        with self._mutex:
            with self._not_empty:  # expect: TS102 'self._not_empty' (the same lock as 'self._mutex')
                self._items.clear()

    def wait_ready(self):
        with self._ready:
            self._check_ready()  # expect: TS102

    def _check_ready(self):
        with self._ready:
            return bool(self._items)


class Counters:
    _lock = _thread.allocate_lock()
    _counts = {}

    @classmethod
    def bump(cls, key):
        with cls._lock:
            cls._counts[key] = cls.get(key) + 1  # expect: TS102 via cls.get() (as 'Counters._lock')

    @classmethod
    def get(cls, key):
        with Counters._lock:
            return cls._counts.get(key, 0)


class Tree:
    """Recursion while holding the lock: the recursive call takes it again."""

    def __init__(self):
        self._lock = multiprocessing.Lock()
        self._children = []
        self.size = 0

    def total(self):
        with self._lock:
            return self.size + sum(child.total() for child in self._children)

    def depth(self, level):
        with self._lock:
            if level > 0:
                return self.depth(level - 1)  # expect: TS102
            return level


def handler_factory():
    lock = threading.Lock()
    seen = []

    def record(item):
        with lock:
            seen.append(item)

    def record_all(items):
        with lock:
            for item in items:
                record(item)  # expect: TS102

    return record, record_all
