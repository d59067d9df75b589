"""Opposite orders where one path is a thread entry (run() of a Thread subclass, a
closure started as a thread, a pool task), where one lock is a condition built on the
other lock, where the inner lock is a context manager of the file, where both paths are
branches of one method, and a timeout of -1, which waits for ever."""
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

index_lock = threading.Lock()
segments_lock = threading.Lock()
index = {}
segments = []


class Compactor(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(30):
            with segments_lock:
                with index_lock:
                    index.clear()


def add_document(doc_id, words):
    with index_lock:
        with segments_lock:  # expect: TS104 'segments_lock' is taken while 'index_lock' is held, but line 23 takes 'index_lock' while 'segments_lock' is held
            segments.append((doc_id, words))
            index[doc_id] = len(segments) - 1


class Mailbox:
    def __init__(self):
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._spam_lock = threading.Lock()
        self._messages = []
        self._spam = []

    def deliver(self, message):
        with self._arrived:
            with self._spam_lock:
                if message in self._spam:
                    return
            self._messages.append(message)
            self._arrived.notify()

    def mark_spam(self, message):
        with self._spam_lock:
            self._spam.append(message)
            with self._lock:  # expect: TS104 'self._lock' is taken while 'self._spam_lock' is held
                if message in self._messages:
                    self._messages.remove(message)


class BlobStore:
    def __init__(self):
        self._blobs_lock = threading.Lock()
        self._refs_lock = threading.Lock()
        self._blobs = {}
        self._refs = {}

    @contextmanager
    def _refs_held(self):
        with self._refs_lock:
            yield self._refs

    def put(self, digest, data):
        with self._blobs_lock:
            self._blobs[digest] = data
            with self._refs_held() as refs:
                refs[digest] = refs.get(digest, 0) + 1

    def collect(self):
        with self._refs_lock:
            dead = [digest for digest, count in self._refs.items() if count == 0]
            with self._blobs_lock:  # expect: TS104 'self._blobs_lock' is taken while 'self._refs_lock' is held
                for digest in dead:
                    self._blobs.pop(digest, None)


class Replica:
    def __init__(self):
        self._local_lock = threading.Lock()
        self._remote_lock = threading.Lock()
        self.local = {}
        self.remote = {}

    def sync(self, upload):
        if upload:
            with self._local_lock:
                with self._remote_lock:
                    self.remote.update(self.local)
        else:
            with self._remote_lock:
                with self._local_lock:  # expect: TS104 'self._local_lock' is taken while 'self._remote_lock' is held
                    self.local.update(self.remote)


config_lock = threading.Lock()
listeners_lock = threading.Lock()
listeners = []
settings = {}


def start_watcher(path):
    def watch():
        with listeners_lock:
            with config_lock:
                settings["source"] = path

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    return watcher


def subscribe(listener):
    with config_lock:
        with listeners_lock:  # expect: TS104 'listeners_lock' is taken while 'config_lock' is held
            listeners.append(listener)


jobs_lock = threading.Lock()
results_lock = threading.Lock()
results = {}
jobs = []


def _run_job(job):
    with results_lock:
        with jobs_lock:
            results[job] = jobs.count(job)


def run_all():
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(_run_job, job) for job in list(jobs)]
    with jobs_lock:
        with results_lock:  # expect: TS104 'results_lock' is taken while 'jobs_lock' is held
            results["total"] = len(futures)
    return futures


rates_lock = threading.Lock()
quotes_lock = threading.Lock()
rates = {}


def quote(pair):
    with rates_lock:
        with quotes_lock:
            return rates.get(pair)


def refresh(pair, rate):
    with quotes_lock:
        # A timeout of -1 is no timeout: this waits for ever.
        if rates_lock.acquire(timeout=-1):  # expect: TS104 'rates_lock' is taken while 'quotes_lock' is held
            try:
                rates[pair] = rate
            finally:
                rates_lock.release()
