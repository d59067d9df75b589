"""Which locks are the same lock, and which kinds are non-reentrant."""
import threading as th
from threading import Condition, Lock as PlainLock

from myapp.sync import make_lock

config_lock = PlainLock()
plugin_lock = PlainLock()
either = th.Lock() if __debug__ else th.RLock()  # not a factory call: unknown kind
config = {}
plugins = []


def load_config(path):
    with config_lock:
        config["path"] = path
        with plugin_lock:  # a different lock
            plugins.clear()
        with config_lock:  # expect: TS102 'config_lock' acquired again
            config["loaded"] = True


def unknown_kinds(factory_lock):
    with factory_lock:
        with factory_lock:  # a parameter: its kind is unknown
            pass
    made = make_lock()
    with made:
        with made:  # an unknown factory
            pass
    with either:
        with either:
            pass


class Settings:
    _lock = PlainLock()
    _values = {}

    def __init__(self):
        self._local_lock = th.Lock()

    @classmethod
    def put(cls, key, value):
        with cls._lock:
            cls._values[key] = value

    @staticmethod
    def put_all(items):
        with Settings._lock:
            for key, value in items.items():
                Settings.put(key, value)  # expect: TS102

    def reset(self):
        with self._local_lock:  # another attribute, another lock
            Settings.put("reset", True)


class Profile:
    """Same attribute name as Settings, but another class: another lock."""

    def __init__(self):
        self._lock = th.Lock()
        self._changed = Condition(self._lock)
        self._data = {}

    def save(self):
        with self._lock:
            Settings.put("profile", dict(self._data))
            self._signal()  # expect: TS102 (as 'self._changed')

    def _signal(self):
        with self._changed:
            self._changed.notify_all()

    def rebind(self):
        """Mixed kinds for one attribute: unknown, not reported."""
        self._mixed = th.Lock()
        self._mixed = th.RLock()
        with self._mixed:
            with self._mixed:
                pass


class ReentrantProfile:
    def __init__(self):
        self._lock = th.RLock()
        self._changed = Condition(self._lock)  # built on an RLock: reentrant

    def save(self):
        with self._lock:
            self._signal()

    def _signal(self):
        with self._changed:
            self._changed.notify_all()


def module_level_setup():
    setup_lock = th.Lock()
    with setup_lock:  # expect: TS103 'setup_lock'
        other_lock = th.Lock()
        with other_lock:
            pass
    with setup_lock:
        pass  # sequential, not nested


with config_lock:
    config["boot"] = True
    load_config("boot.ini")  # expect: TS102
