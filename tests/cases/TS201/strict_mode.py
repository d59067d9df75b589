# flake8-options: --threadsafe-strict
"""--threadsafe-strict: every write to shared state in thread code, not only updates."""

import queue
import threading

status = "idle"
results = {}
finished = []
stale = {"a": 1}
jobs = queue.Queue()
stop = threading.Event()
lock = threading.Lock()


def crawl(url):
    global status
    status = "running"  # expect: TS201 'status' is set
    results[url] = len(url)  # expect: TS201
    finished.append(url)  # expect: TS201
    del stale[url]  # expect: TS201
    jobs.put(url)
    stop.set()
    page = {}
    page[url] = 1
    with lock:
        results["last"] = url
        finished.append(url)
    status = status + "!"  # expect: TS201


def crawl_all(urls):
    threads = [threading.Thread(target=crawl, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()


class Heartbeat:
    """One background thread, no second writer: strict mode still wants a lock."""

    def __init__(self):
        self.beats = 0
        self.last_error = None
        self.history = []
        self._thread = threading.Thread(target=self._beat, daemon=True)

    def start(self):
        self._thread.start()

    def _beat(self):
        while not stop.wait(1.0):
            self.beats += 1  # expect: TS201
            try:
                self._send()
            except OSError as exc:
                self.last_error = exc  # expect: TS201
            self.history.append(self.beats)  # expect: TS201 'self.history'

    def _send(self):
        return self.beats


def never_in_a_thread():
    global status
    status = "done"
    results.clear()


def claim(job):
    if job in finished:
        finished.remove(job)  # expect: TS201


def claim_all(jobs):
    threads = [threading.Thread(target=claim, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
