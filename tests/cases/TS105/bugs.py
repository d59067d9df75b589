"""Condition.wait() not in a loop: guarded by an ``if`` and then trusted, not guarded at
all, with a timeout, on module-level and instance conditions, on a condition built over a
lock, and in a helper whose callers do not loop either."""
import multiprocessing
import threading
from threading import Condition


class JobQueue:
    def __init__(self):
        self._cond = threading.Condition()
        self._jobs = []

    def put(self, job):
        with self._cond:
            self._jobs.append(job)
            self._cond.notify_all()

    def take(self):
        with self._cond:
            if not self._jobs:
                self._cond.wait()  # expect: TS105 'self._cond.wait()' is not in a loop
            return self._jobs.pop(0)

    def take_within(self, seconds):
        with self._cond:
            if not self._jobs:
                self._cond.wait(seconds)  # the next line tests again
            return self._jobs.pop(0) if self._jobs else None


class ConnectionPool:
    def __init__(self, size):
        self._lock = threading.Lock()
        self._available = threading.Condition(self._lock)
        self._idle = [object() for _ in range(size)]

    def checkout(self, timeout=None):
        with self._available:
            if not self._idle:
                self._available.wait(timeout=timeout)  # expect: TS105 'self._available.wait()'
            return self._idle.pop()

    def checkin(self, conn):
        with self._available:
            self._idle.append(conn)
            self._available.notify()


results_ready = Condition()
results = {}


def publish(key, value):
    with results_ready:
        results[key] = value
        results_ready.notify_all()


def wait_for_result(key):
    with results_ready:
        # Woken means notified, not that this key is there.
        results_ready.wait()  # expect: TS105 'results_ready.wait()'
        return results[key]


class Startup:
    def __init__(self):
        self._started = threading.Condition()
        self.ready = False

    def mark_ready(self):
        with self._started:
            self.ready = True
            self._started.notify_all()

    def _block_until_ready(self):
        with self._started:
            if not self.ready:
                self._started.wait()  # expect: TS105 'self._started.wait()'

    def serve(self, requests):
        # Called once, not in a loop: the helper's single wait is all there is.
        self._block_until_ready()
        for request in requests:
            print("serving", request)


class ProcessGate:
    def __init__(self):
        self._open = multiprocessing.Condition()
        self._flag = multiprocessing.Value("b", 0)

    def pass_gate(self):
        with self._open:
            try:
                if not self._flag.value:
                    self._open.wait(5.0)  # expect: TS105 'self._open.wait()'
            finally:
                print("gate passed")



class NoticeBoard:
    _changed = threading.Condition(threading.RLock())
    notices = []

    @classmethod
    def next_notice(cls):
        with cls._changed:
            if not cls.notices:
                cls._changed.wait()  # expect: TS105 'cls._changed.wait()'
            return cls.notices.pop(0)


class Inbox:
    def __init__(self):
        self._arrived = threading.Condition()
        self.messages = []

    def take(self):
        arrived = self._arrived  # another name for the same condition
        with arrived:
            if not self.messages:
                arrived.wait()  # expect: TS105 'arrived.wait()'
            return self.messages.pop()


class RemoteInbox:
    def __init__(self, client):
        self.client = client

    def take(self):
        return self.client.fetch()


def drain_remote(remote):
    # RemoteInbox.take() in a loop: Inbox.take() is still called in no loop.
    while remote.client.pending():
        remote.take()


go = threading.Condition()
flags = {"go": False}


def racer(name):
    with go:
        if not flags["go"]:
            go.wait()  # expect: TS105 'go.wait()'
    print(name, "running")


def start_race(names):
    # The thread starts are in a loop; the target's wait is not.
    for name in names:
        threading.Thread(target=racer, args=(name,)).start()
    with go:
        flags["go"] = True
        go.notify_all()
