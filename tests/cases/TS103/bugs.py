"""Locks that protect nothing: a new lock built on every use (``with threading.Lock():``,
``threading.RLock().acquire()``), and locks a function creates and only takes itself, so
that every call, in every thread, takes a lock of its own."""
import _thread
import multiprocessing
import threading
import threading as th
from threading import Condition, Lock, RLock


class Wallet:
    def __init__(self, owner):
        self.owner = owner
        self.balance = 0

    def deposit(self, amount):
        lock = threading.Lock()
        with lock:  # expect: TS103 'lock' is a new lock made by every call of
            self.balance = self.balance + amount

    def withdraw(self, amount):
        with threading.Lock():  # expect: TS103 'threading.Lock()' builds a new lock each time this runs
            if self.balance >= amount:
                self.balance = self.balance - amount
                return True
            return False


class HitCounter:
    def __init__(self):
        self.hits = {}

    def record(self, page):
        guard = RLock()
        guard.acquire()  # expect: TS103 'guard' is a new lock
        try:
            self.hits[page] = self.hits.get(page, 0) + 1
        finally:
            guard.release()

    def reset(self, page):
        # Nobody can even release it: the lock is gone after this line (TS101 too).
        threading.RLock().acquire()  # expect: TS103 'threading.RLock()' builds a new lock, TS101
        self.hits.pop(page, None)

    def merge(self, other):
        with Lock() as merging:  # expect: TS103 'Lock()'
            print("merging", merging)
            for page, count in other.items():
                self.hits[page] = self.hits.get(page, 0) + count


_sessions = {}
_sessions_lock = threading.Lock()


def open_session(user):
    with _sessions_lock, th.Lock():  # expect: TS103 'th.Lock()'
        _sessions[user] = _sessions.get(user, 0) + 1


def close_session(user):
    # Taken twice in one call, reported once: at its first acquisition.
    session_lock = th.Lock()
    with session_lock:  # expect: TS103 'session_lock' is a new lock made by every call of close_session()
        count = _sessions.get(user, 0)
    with session_lock:
        _sessions[user] = max(count - 1, 0)


class Inventory:
    def __init__(self):
        self._stock = {}
        self._ready = Condition()

    def restock(self, item, count):
        with Condition():  # expect: TS103 'Condition()'
            self._stock[item] = self._stock.get(item, 0) + count

    def take(self, item):
        # A timed acquire of a private lock is still a private lock.
        mutex = threading.Lock()
        if mutex.acquire(timeout=1.0):  # expect: TS103 'mutex'
            try:
                left = self._stock.get(item, 0)
                self._stock[item] = left - 1
            finally:
                mutex.release()

    def audit(self):
        with self._ready:
            self._ready.notify_all()


class Exporter:
    """The lock is made in the method that runs in every worker thread: each thread
    makes its own."""

    def __init__(self, rows):
        self.rows = rows
        self.written = []

    def export_one(self):
        write_lock = threading.Lock()
        with write_lock:  # expect: TS103 'write_lock'
            if self.rows:
                self.written.append(self.rows.pop())

    def export_all(self, workers=4):
        threads = [threading.Thread(target=self.export_one) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


class Spooler:
    def __init__(self, context=multiprocessing):
        self._ctx = context
        self.jobs = []

    def spool(self, job):
        with self._ctx.Lock():  # expect: TS103 'self._ctx.Lock()'
            self.jobs.append(job)

    def spool_many(self, jobs):
        for job in jobs:
            # A new lock on every pass of the loop, too.
            batch_lock = multiprocessing.Lock()
            with batch_lock:  # expect: TS103 'batch_lock'
                self.jobs.append(job)


def rotate_logs(paths):
    def rotate(path):
        # The nested function makes a lock per call as well.
        rotation_lock = threading.Lock()
        with rotation_lock:  # expect: TS103 'rotation_lock'
            print("rotating", path)

    for path in paths:
        rotate(path)


class StatsHandler:
    def __init__(self):
        self.requests = {}

    async def handle(self, path):
        # A threading lock in a coroutine, still a new one on every request.
        stats_lock = _thread.allocate_lock()
        with stats_lock:  # expect: TS103 'stats_lock' is a new lock made by every call of StatsHandler.handle()
            self.requests[path] = self.requests.get(path, 0) + 1
