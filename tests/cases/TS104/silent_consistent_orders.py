"""Correct: two locks always taken in one order, one after the other rather than
nested, one reentrant lock taken again, inner acquires that give up (non-blocking or
timed), two orders that both hold a third lock around them, and orders fixed by
sorting."""
import threading
from contextlib import ExitStack


class Ledger:
    # Lock order: self._accounts_lock, then self._journal_lock.

    def __init__(self):
        self._accounts_lock = threading.Lock()
        self._journal_lock = threading.Lock()
        self._accounts = {}
        self._journal = []

    def post(self, account, amount):
        with self._accounts_lock:
            self._accounts[account] = self._accounts.get(account, 0) + amount
            with self._journal_lock:
                self._journal.append((account, amount))

    def reverse_last(self):
        with self._accounts_lock:
            self._append_reversal()

    def _append_reversal(self):
        with self._journal_lock:
            if self._journal:
                account, amount = self._journal[-1]
                self._journal.append((account, -amount))

    def export(self):
        # One after the other: never both at once.
        with self._journal_lock:
            journal = list(self._journal)
        with self._accounts_lock:
            accounts = dict(self._accounts)
        return accounts, journal


class Tree:
    """A reentrant lock taken again by the thread that holds it has no order."""

    def __init__(self):
        self._lock = threading.RLock()
        self._stats_lock = threading.Lock()
        self._children = {}
        self.size = 0

    def insert(self, path, value):
        with self._lock:
            self._children[path] = value
            self._refresh()

    def _refresh(self):
        with self._lock:
            with self._stats_lock:
                self.size = len(self._children)

    def stats(self):
        with self._lock:
            with self._stats_lock:
                return self.size


class Cache:
    """The reverse path only tries: it gives up instead of waiting for ever."""

    def __init__(self):
        self._entries_lock = threading.Lock()
        self._lru_lock = threading.Lock()
        self._entries = {}
        self._lru = []

    def put(self, key, value):
        with self._entries_lock:
            self._entries[key] = value
            with self._lru_lock:
                self._lru.append(key)

    def evict(self):
        with self._lru_lock:
            if not self._lru:
                return None
            key = self._lru[0]
            if not self._entries_lock.acquire(blocking=False):
                return None
            try:
                self._lru.pop(0)
                return self._entries.pop(key, None)
            finally:
                self._entries_lock.release()

    def evict_patiently(self):
        with self._lru_lock:
            if self._lru and self._entries_lock.acquire(timeout=0.5):
                try:
                    return self._entries.pop(self._lru.pop(0), None)
                finally:
                    self._entries_lock.release()
            return None

    def evict_now(self):
        with self._lru_lock:
            if self._lru and self._entries_lock.acquire(False):
                try:
                    return self._entries.pop(self._lru.pop(0), None)
                finally:
                    self._entries_lock.release()
            return None


class Scheduler:
    """Both orders happen, but only under the scheduler's big lock: one at a time."""

    def __init__(self):
        self._big_lock = threading.Lock()
        self._ready_lock = threading.Lock()
        self._timers_lock = threading.Lock()
        self._ready = []
        self._timers = []

    def schedule(self, task):
        with self._big_lock:
            with self._ready_lock:
                with self._timers_lock:
                    self._timers.append(task)
                    self._ready.append(task)

    def fire(self):
        with self._big_lock:
            with self._timers_lock:
                with self._ready_lock:
                    self._ready.extend(self._timers)
                    self._timers.clear()


class Account:
    def __init__(self, number):
        self.number = number
        self.balance = 0
        self.lock = threading.Lock()


def transfer(source, target, amount):
    # Always the lower account number first, whatever the direction.
    first, second = sorted((source, target), key=lambda account: account.number)
    with first.lock:
        with second.lock:
            source.balance -= amount
            target.balance += amount


def lock_all(accounts):
    with ExitStack() as stack:
        for lock in sorted((account.lock for account in accounts), key=id):
            stack.enter_context(lock)
        return sum(account.balance for account in accounts)


class Pool:
    """Semaphores count slots: waiting for one is not a lock order."""

    def __init__(self, size):
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._free = list(range(size))

    def checkout(self):
        with self._slots:
            with self._lock:
                return self._free[-1]

    def audit(self):
        with self._lock:
            with self._slots:
                return list(self._free)
