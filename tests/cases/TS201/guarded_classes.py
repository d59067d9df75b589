"""A class that guards a field with its own lock says its objects are shared between
threads: a public method that changes that field without the lock races the methods
that take it, even though no thread starts in this file."""
import asyncio
import threading
import time


class ConnectionPool:
    def __init__(self, size):
        self._lock = threading.Lock()
        self._idle = []
        self.in_use = 0
        self.created = 0
        self.size = size

    def acquire(self):
        with self._lock:
            if self._idle:
                self.in_use += 1
                return self._idle.pop()
        conn = self._connect()
        self.in_use += 1  # expect: TS201 'self.in_use' is changed in ConnectionPool.acquire() without a lock, while ConnectionPool.release() changes it holding 'self._lock'
        return conn

    def release(self, conn):
        with self._lock:
            self.in_use -= 1
            self._idle.append(conn)

    def _connect(self):
        with self._lock:
            self.created += 1
        return object()

    def stats(self):
        # Reads only: a stale value is not a lost update.
        return {"in_use": self.in_use, "created": self.created}


class Cache:
    def __init__(self):
        self._lock = threading.RLock()
        self._entries = {}
        self.hits = 0
        self.misses = 0

    def get(self, key, compute):
        if key not in self._entries:
            self._entries[key] = compute(key)  # expect: TS201 'self._entries' is checked then changed in Cache.get() without a lock, while Cache.invalidate()
        with self._lock:
            self.hits += 1
        return self._entries[key]

    def count_miss(self):
        self.misses += 1  # never changed under the lock anywhere: silent

    def invalidate(self, key):
        with self._lock:
            self._entries.pop(key, None)


class Meter:
    """Correct: every change of ``total`` holds the lock, or happens in the constructor."""

    def __init__(self, start=0):
        self._lock = threading.Lock()
        self.total = start
        self.total += 0

    def add(self, amount):
        with self._lock:
            self.total += amount

    def reset(self):
        with self._lock:
            self.total = 0

    def add_twice(self, amount):
        with self._lock:
            self._add_locked(amount)
            self._add_locked(amount)

    def _add_locked(self, amount):
        self.total += amount  # every caller holds the lock


class Throttle:
    """``last`` is only written by one method: no other writer to race with."""

    def __init__(self):
        self._lock = threading.Lock()
        self.last = 0.0
        self.count = 0

    def tick(self):
        with self._lock:
            self.count += 1
        self.last = max(self.last, time.monotonic())


class Counter:
    """Changes under a semaphore, or under an asyncio lock, do not say the class is
    shared between threads."""

    def __init__(self):
        self._slots = threading.Semaphore(4)
        self._alock = asyncio.Lock()
        self.value = 0
        self.done = 0

    def bump(self):
        with self._slots:
            self.value += 1

    def bump_again(self):
        self.value += 1

    async def finish(self):
        async with self._alock:
            self.done += 1

    async def finish_fast(self):
        self.done += 1


class Registry:
    def __init__(self):
        self._lock = threading.Lock()
        self._names = set()

    def add(self, name):
        with self._lock:
            self._names.add(name)

    def _discard(self, name):
        # Private: called by the class itself, which decides when.
        if name in self._names:
            self._names.remove(name)

    def remove(self, name):
        with self._lock:
            self._discard(name)
