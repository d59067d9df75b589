"""Conditional imports: the fallback import (the old ``futures`` backport, a submodule,
``dummy_threading``) does not make the threading names unknown."""
try:
    import concurrent.futures as futures
except ImportError:  # the backport, on old interpreters
    import futures

try:
    from threading import Lock
except ImportError:
    from dummy_threading import Lock

from concurrent.futures.thread import ThreadPoolExecutor as _Pool

_registry_lock = Lock()
_registry = {}


def warm_up(keys, load):
    pool = futures.ThreadPoolExecutor(max_workers=4)
    pool.map(load, keys)  # expect: TS301 'pool.map()'
    pool.shutdown()


def prefetch(paths, read):
    with _Pool(2) as pool:
        pool.submit(read, paths[0])  # expect: TS302
        return list(pool.map(read, paths[1:]))


def register(name, value):
    with _registry_lock:
        if name in _registry:
            _unregister(name)  # expect: TS102 '_registry_lock'
        _registry[name] = value


def _unregister(name):
    with _registry_lock:
        _registry.pop(name, None)


def lookup_all(keys, load):
    # Correct: every result is read, so a failing load raises here.
    with futures.ThreadPoolExecutor() as pool:
        return dict(zip(keys, pool.map(load, keys)))
