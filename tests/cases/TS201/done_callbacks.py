"""A future's done-callback runs in the thread that completes the future: for an
executor's future, a worker thread (or the caller's, when the future is already done)."""
import asyncio
import concurrent.futures
import logging
import threading

log = logging.getLogger(__name__)


class Downloader:
    def __init__(self, workers=8):
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
        self._lock = threading.Lock()
        self.finished = 0
        self.failed = 0
        self.sizes = {}

    def fetch_all(self, urls):
        for url in urls:
            future = self._pool.submit(self._fetch, url)
            future.add_done_callback(self._count)

    def fetch_sizes(self, urls):
        for url in urls:
            self._pool.submit(self._size, url).add_done_callback(self._remember_size)

    def _fetch(self, url):
        return url.encode()

    def _size(self, url):
        return url, len(url)

    def _count(self, future):
        if future.exception() is not None:
            self.failed += 1  # expect: TS201 'self.failed' is changed in Downloader._count(), which runs in the thread that completes the future
        else:
            self.finished += 1  # expect: TS201 'self.finished'

    def _remember_size(self, future):
        url, size = future.result()
        if url not in self.sizes:
            self.sizes[url] = size  # expect: TS201 'self.sizes' is checked then changed


class LockedDownloader:
    """The same callbacks, correct: the counters change under the lock."""

    def __init__(self):
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=8)
        self._lock = threading.Lock()
        self.finished = 0

    def fetch_all(self, urls):
        for url in urls:
            self._pool.submit(len, url).add_done_callback(self._count)

    def _count(self, future):
        with self._lock:
            self.finished += 1


_totals = {"runs": 0}


def _log_result(future):
    # Only logs: nothing shared is changed.
    log.info("task finished: %r", future.result())


def _add_total(future):
    _totals["runs"] += 1


def run_once(job):
    # One future, one callback: a single thread runs it, and nothing else writes _totals.
    pool = concurrent.futures.ThreadPoolExecutor()
    future = pool.submit(job)
    future.add_done_callback(_add_total)
    future.add_done_callback(_log_result)
    return future


_loop_totals = {"runs": 0}


def _count_in_loop(task):
    _loop_totals["runs"] += 1


async def gather_all(coroutines):
    # asyncio's callbacks run in the event loop's own thread, one after the other.
    tasks = []
    for coroutine in coroutines:
        task = asyncio.ensure_future(coroutine)
        task.add_done_callback(_count_in_loop)
        tasks.append(task)
    return await asyncio.gather(*tasks)
