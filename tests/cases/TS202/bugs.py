"""Check-then-act on a queue that several threads consume (or fill): a blocking get()
after ``not q.empty()``, ``q.qsize() > 0`` and its variants, in the else of ``if
q.empty():``, and a blocking put() after ``not q.full()``; workers started in a loop, in
a comprehension, from two places, or run as pool tasks."""
import asyncio
import multiprocessing
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from queue import LifoQueue, PriorityQueue

pending = queue.Queue()


def upload(path):
    print("uploading", path)


def upload_pending():
    while not pending.empty():
        path = pending.get()  # expect: TS202 'pending.get()' after checking 'not pending.empty()': another thread can take the last item
        upload(path)


def start_uploaders(count=4):
    workers = [threading.Thread(target=upload_pending, daemon=True) for _ in range(count)]
    for worker in workers:
        worker.start()
    return workers


class Uploader:
    def __init__(self):
        self.pending = queue.Queue()
        self._lock = threading.Lock()
        self.sent = []

    def upload_one(self):
        """Run by every upload worker: upload one waiting file, if there is one."""
        if not self.pending.empty():
            path = self.pending.get()  # expect: TS202 use 'self.pending.get_nowait()' (or a timeout) and catch queue.Empty
            with self._lock:
                self.sent.append(path)

    def start(self, workers):
        threads = []
        for _ in range(workers):
            thread = threading.Thread(target=self.upload_one)
            thread.start()
            threads.append(thread)
        return threads


class Crawler:
    def __init__(self, seeds):
        self.frontier = LifoQueue()
        self.retries = PriorityQueue()
        for url in seeds:
            self.frontier.put(url)

    def crawl_step(self):
        if self.frontier.qsize() > 0:
            return self.frontier.get()  # expect: TS202 after checking 'self.frontier.qsize() > 0'
        if self.retries.qsize():
            return self.retries.get(True)  # expect: TS202 'self.retries.get()'
        return None

    def retry_step(self):
        if self.retries.qsize() != 0:
            priority, url = self.retries.get(block=True)  # expect: TS202 'self.retries.qsize() != 0'
            return url
        if self.frontier.qsize() >= 1:
            return self.frontier.get(timeout=None)  # expect: TS202 'self.frontier.qsize() >= 1'
        return None

    def run(self, steps):
        with ThreadPoolExecutor(max_workers=8) as pool:
            crawled = list(pool.map(lambda _: self.crawl_step(), range(steps)))
            retried = [pool.submit(self.retry_step) for _ in range(steps)]
        return crawled, [future.result() for future in retried]


events = queue.SimpleQueue()
running = threading.Event()


def dispatch():
    while running.is_set() and not events.empty():
        handle(events.get())  # expect: TS202 'events.get()'


def dispatch_once():
    if events.empty():
        return None
    else:
        return events.get()  # expect: TS202 after checking 'events.empty()'


def handle(event):
    print("event", event)


def start_dispatchers():
    first = threading.Thread(target=dispatch)
    second = threading.Thread(target=dispatch)
    first.start()
    second.start()
    return first, second


async def dispatch_in_threads():
    return await asyncio.gather(*(asyncio.to_thread(dispatch_once) for _ in range(4)))


# Bounded: producers that test full() first block in put() when another fills the last place.
outbox = queue.Queue(maxsize=100)


def produce(messages):
    for message in messages:
        if not outbox.full():
            outbox.put(message)  # expect: TS202 'outbox.put()' after checking 'not outbox.full()': another thread can fill the last place


def start_producers(batches):
    threads = [threading.Thread(target=produce, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    return threads


results = multiprocessing.Queue()


def collect():
    if not results.empty():
        return results.get()  # expect: TS202 'results.get()'
    return None


def collect_everywhere():
    pool = ThreadPoolExecutor(max_workers=3)
    futures = [pool.submit(collect) for _ in range(3)]
    pool.shutdown(wait=True)
    return [future.result() for future in futures]
