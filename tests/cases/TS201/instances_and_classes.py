"""Instance and class attributes changed by methods that run in threads."""

import threading
from concurrent.futures import ThreadPoolExecutor


def download(url):
    return url.encode()


class Stats:
    def __init__(self):
        self.total = 0

    def add(self, n):
        self.total += n  # expect: TS201 'self.total'

    def run_all(self, amounts):
        threads = [threading.Thread(target=self.add, args=(n,)) for n in amounts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


class Downloader:
    def __init__(self):
        self._pool = ThreadPoolExecutor(max_workers=8)
        self.bytes_done = 0
        self.failures = 0
        self.processed = 0
        self.results = {}

    def fetch_all(self, urls):
        futures = [self._pool.submit(self._fetch, url) for url in urls]
        return [future.result() for future in futures]

    def _fetch(self, url):
        try:
            data = download(url)
        except OSError:
            self.failures = self.failures + 1  # expect: TS201
            return None
        self.bytes_done += len(data)  # expect: TS201
        self.results[url] = data
        return data

    def resize_all(self, images):
        return list(self._pool.map(self._resize, images))

    def _resize(self, image):
        self._note(image)
        return image

    def _note(self, image):
        self.processed = max(self.processed, len(image))  # expect: TS201


class Worker(threading.Thread):
    active = 0
    finished = 0
    registered = 0

    def __init__(self, jobs):
        super().__init__()
        self.jobs = jobs
        self.jobs_done = 0

    def run(self):
        Worker.active += 1  # expect: TS201
        self._register()
        for job in self.jobs:
            job()
            self.jobs_done += 1  # expect: TS201 while Worker.reset() also writes it
        type(self).finished += 1  # expect: TS201 'type(self).finished'
        Worker.active -= 1  # expect: TS201

    @classmethod
    def _register(cls):
        cls.registered += 1  # expect: TS201

    def reset(self):
        self.jobs_done = 0


def start_workers(job_lists):
    workers = [Worker(jobs) for jobs in job_lists]
    for worker in workers:
        worker.start()
    return workers


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1  # expect: TS201


def count_in_threads(n):
    counter = Counter()
    threads = [threading.Thread(target=counter.increment) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter.value


class Ticker:
    def __init__(self):
        self.ticks = 0
        self.bumps = 0
        self.timeouts = {}

    def start_all(self, n):
        def loop():
            self.ticks += 1  # expect: TS201

        for _ in range(n):
            threading.Thread(target=loop).start()
            threading.Thread(target=lambda: self._bump()).start()

    def _bump(self):
        self.bumps += 1  # expect: TS201

    def schedule(self, names):
        for name in names:
            threading.Timer(1.0, self._expire, args=(name,)).start()

    def _expire(self, name):
        self.timeouts[name] = self.timeouts.get(name, 0) + 1  # expect: TS201


class Monitor:
    """One background thread, but clear() also writes what it updates."""

    def __init__(self):
        self.errors = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self):
        self._thread.start()

    def _watch(self):
        while not self._stop.wait(1.0):
            if self._check_failed():
                self.errors += 1  # expect: TS201

    def _check_failed(self):
        return self.errors < 0

    def clear(self):
        self.errors = 0
