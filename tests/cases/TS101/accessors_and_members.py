"""Locks reached through an accessor (``cls.get_lock()``) or through another object's
attribute (``conn.lock``), where the module sets that attribute to a lock."""
import socket
import threading
from contextlib import contextmanager


class Registry:
    _lock = threading.Lock()
    _handlers = {}

    @classmethod
    def get_lock(cls):
        return cls._lock

    @classmethod
    def register(cls, name, handler):
        cls.get_lock().acquire()  # expect: TS101 'cls._lock' acquired without a guaranteed release (an exception raised at line 19
        cls._handlers[name] = handler.bind(name)
        cls._lock.release()

    @classmethod
    @contextmanager
    def locked(cls):
        cls.get_lock().acquire()  # expect: TS101 'cls._lock'
        yield cls._handlers  # the with-block's exception is raised here
        cls._lock.release()

    @classmethod
    @contextmanager
    def safely_locked(cls):
        # Correct: the release runs when the with-block raises.
        cls.get_lock().acquire()
        try:
            yield cls._handlers
        finally:
            cls.get_lock().release()

    @classmethod
    def unregister(cls, name):
        with cls.get_lock():
            cls._drop(name)  # expect: TS102 'cls.get_lock()' is held here and acquired again via cls._drop() (as 'cls._lock')

    @classmethod
    def _drop(cls, name):
        with cls._lock:
            cls._handlers.pop(name, None)

    @classmethod
    def names(cls):
        # Correct: the accessor's lock taken once.
        with cls.get_lock():
            return sorted(cls._handlers)


class Connection:
    def __init__(self, address):
        self.sock = socket.create_connection(address)
        self.lock = threading.Lock()


class Channel:
    def __init__(self, conn):
        self.conn = conn

    def send(self, payload):
        self.conn.lock.acquire()  # expect: TS101 'self.conn.lock'
        self.conn.sock.sendall(payload)
        self.conn.lock.release()

    def send_all(self, payloads):
        with self.conn.lock:
            for payload in payloads:
                with self.conn.lock:  # expect: TS102 'self.conn.lock'
                    self.conn.sock.sendall(payload)

    def send_safely(self, payload):
        # Correct.
        with self.conn.lock:
            self.conn.sock.sendall(payload)


def broadcast(connections, payload):
    for conn in connections:
        conn.lock.acquire()
        try:
            conn.sock.sendall(payload)
        finally:
            conn.lock.release()


def forward(source, target, payload):
    # Two connections, two locks: one each, not the same lock twice.
    with source.lock:
        with target.lock:
            target.sock.sendall(payload)


class Pool:
    """``slot`` is set to a lock in one place and to a plain object in another: not a
    module-wide lock name, so nothing is known about ``other.slot``."""

    def __init__(self):
        self.slot = threading.Lock()

    def reset(self):
        self.slot = object()


def use_slot(other):
    with other.slot:
        with other.slot:
            pass
