"""Correct: the reverse order is in code that only private functions reach (no thread
and no user of the module can run it), or in module-level setup; and a path that,
holding one lock, only hands work to another thread, which takes the other lock
without it."""
import atexit
import threading
from concurrent.futures import ThreadPoolExecutor

config_lock = threading.Lock()
plugins_lock = threading.Lock()
config = {}
plugins = []

# Import time: one thread, before anything else can run.
with plugins_lock:
    with config_lock:
        config["plugins"] = list(plugins)


def register(plugin):
    with config_lock:
        with plugins_lock:
            plugins.append(plugin)
            config.setdefault("plugins", []).append(plugin.name)


def _rebuild_after_fork():
    # Runs only from _reinit(), which nothing calls from a thread or outside.
    with plugins_lock:
        with config_lock:
            config["plugins"] = [plugin.name for plugin in plugins]


def _reinit():
    _rebuild_after_fork()


class Uploader:
    def __init__(self):
        self._queue_lock = threading.Lock()
        self._stats_lock = threading.Lock()
        self._pending = []
        self._sent = 0
        self._pool = ThreadPoolExecutor(max_workers=2)
        atexit.register(self._pool.shutdown)

    def enqueue(self, path):
        with self._queue_lock:
            self._pending.append(path)
            # The flush runs in a worker, which does not hold _queue_lock.
            return self._pool.submit(self._flush_stats)

    def _flush_stats(self):
        with self._stats_lock:
            self._sent += 1

    def report(self):
        with self._stats_lock:
            with self._queue_lock:
                return self._sent, len(self._pending)

    def enqueue_later(self, path, delay):
        with self._queue_lock:
            self._pending.append(path)
            timer = threading.Timer(delay, self._flush_stats)
            timer.start()
            return timer

    def enqueue_with_callback(self, path):
        with self._queue_lock:
            self._pending.append(path)

            def flushed():
                # Runs later, in whichever thread calls it, without _queue_lock.
                with self._stats_lock:
                    self._sent += 1

            return flushed
