"""Correct lock handling that must not be reported as a self-deadlock."""
import logging
import threading
from threading import Condition, RLock

LOG = logging.getLogger(__name__)
state_lock = threading.Lock()
stats_lock = threading.Lock()
state = {}
stats = {}


def update(key, value):
    with state_lock:
        state[key] = value
        _count_locked(key)  # the helper takes another lock
    _log_change(key)  # called after the lock was released


def _count_locked(key):
    with stats_lock:
        stats[key] = stats.get(key, 0) + 1


def _log_change(key):
    with state_lock:
        LOG.info("%s is now %r", key, state.get(key))


def update_many(items):
    state_lock.acquire()
    try:
        state.update(items)
    finally:
        state_lock.release()
    for key in items:
        _log_change(key)  # after release()


def walk(node, depth=0):
    """Recursion without any lock."""
    for child in node.children:
        walk(child, depth + 1)


class Cache:
    """Reentrant kinds: the holder may take them again."""

    def __init__(self):
        self._lock = threading.RLock()
        self._cond = Condition()  # a Condition makes its own RLock
        self._ready = threading.Condition(RLock())
        self._data = {}

    def get_or_load(self, key, loader):
        with self._lock:
            if key not in self._data:
                self._store(key, loader(key))
            return self._data[key]

    def _store(self, key, value):
        with self._lock:
            self._data[key] = value

    def publish(self, key, value):
        with self._cond:
            self._store(key, value)
            self._wake()

    def _wake(self):
        with self._cond:
            self._cond.notify_all()

    def mark_ready(self):
        with self._ready:
            with self._ready:
                self._ready.notify_all()


class Registry:
    """Helpers that expect the caller to hold the lock, and other objects' locks."""

    def __init__(self, parent=None):
        self._lock = threading.Lock()
        self._entries = {}
        self.parent = parent
        self.child = None

    def add(self, name, entry):
        with self._lock:
            self._add_locked(name, entry)
            if self.child is not None:
                self.child.add(name, entry)  # another object, another lock
        if self.parent is not None:
            self.parent.add(name, entry)

    def _add_locked(self, name, entry):
        self._entries[name] = entry

    def merge(self, other):
        with self._lock:
            other.add("merged", self._entries)  # a parameter: another registry
            Registry.add(other, "merged", None)  # the method of another instance

    def get(self, name):
        with self._lock:
            return self._entries.get(name)

    def names(self):
        with self._lock:
            names = list(self._entries)
        return [self.get(name) for name in names]  # after the with ends

    def try_add(self, name, entry):
        if not self._lock.acquire(timeout=0.5):
            return False
        try:
            self._entries[name] = entry
        finally:
            self._lock.release()
        return True

    def poll(self, name):
        if self._lock.acquire(blocking=False):
            try:
                return self._entries.get(name)
            finally:
                self._lock.release()
        return None

    def refresh(self, name, entry):
        with self._lock:
            self.try_add(name, entry)  # gives up after 0.5 s instead of hanging
            return self.poll(name)  # never blocks

    def set(self, name, entry, locked=False):
        """A flag tells whether the caller already holds the lock."""
        if locked:
            self._entries[name] = entry
        else:
            with self._lock:
                self._entries[name] = entry

    def replace(self, name, entry):
        with self._lock:
            self._entries.pop(name, None)
            self.set(name, entry, locked=True)

    def wait_outside(self, event):
        """Runs under the caller's lock and lets it go while it waits."""
        self._lock.release()
        try:
            event.wait()
        finally:
            self._lock.acquire()

    def sync(self, event):
        with self._lock:
            self.wait_outside(event)


class Worker:
    """Locks known only by their names, and work handed to another thread."""

    def __init__(self, lock, log_lock):
        self._lock = lock
        self._log_lock = log_lock
        self._jobs = []

    def submit(self, job):
        with self._lock:
            self._jobs.append(job)
            self._notify(job)

    def _notify(self, job):
        with self._lock:  # unknown kind: may be an RLock
            LOG.info("job %s", job)

    def start(self):
        with self._log_lock:
            thread = threading.Thread(target=self._notify_all, daemon=True)
            thread.start()  # another thread waits for the lock: no self-deadlock
            callback = self._notify_all  # not called here
        return thread, callback

    def _notify_all(self):
        with self._log_lock:
            for job in self._jobs:
                LOG.info("job %s", job)


def wait_for_worker(job):
    """A Lock used as a signal: the worker thread releases it, the second acquire waits."""
    done = threading.Lock()

    def work():
        job.run()
        done.release()

    done.acquire()  # released by the worker
    threading.Thread(target=work, daemon=True).start()
    done.acquire()  # waits for the worker's release


def make_counter():
    """A new local lock on every call: the recursion takes another lock."""
    lock = threading.Lock()
    count = [0]

    def bump(depth):
        with lock:
            count[0] += 1
        if depth:
            bump(depth - 1)

    with lock:
        if count[0] > 100:
            return make_counter()
    return bump
