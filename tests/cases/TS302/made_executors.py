"""Executors built by the file's own functions, unpacked, and futures bound to two names."""
from concurrent.futures import ThreadPoolExecutor


def upload(item):
    raise IOError(item)


class Uploader:
    def __init__(self):
        self._pool = self._make_pool()
        self._io, self._cpu = ThreadPoolExecutor(4), ThreadPoolExecutor(2)

    def _make_pool(self):
        return ThreadPoolExecutor(max_workers=8)

    def send(self, item):
        self._pool.submit(upload, item)  # expect: TS302 'self._pool.submit()'

    def send_io(self, item):
        self._io.submit(upload, item)  # expect: TS302 'self._io.submit()'

    def send_tracked(self, item):
        job = last = self._cpu.submit(upload, item)  # expect: TS302 'job'

    def send_kept(self, item):
        job = last = self._cpu.submit(upload, item)
        return last


class Listeners:
    """Correct: the task only calls a method that catches and logs every listener error."""

    def __init__(self, logger):
        self.logger = logger
        self.listeners = []
        self.workers = ThreadPoolExecutor(4)

    def dispatch(self, message):
        def run_listeners():
            self.run_listeners(message)

        self.workers.submit(run_listeners)

    def run_listeners(self, message):
        kind = message.get("type")
        if self.logger.isEnabledFor(10):
            self.logger.debug("processing %s", kind)
        try:
            for listener in self.listeners:
                listener(message)
        except Exception:
            self.logger.exception("a listener failed")
