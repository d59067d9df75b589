"""Queue.join() that never returns: the queue is built in this file and nothing marks
its items done, on module-level, instance and local queues, on LIFO/priority queues and
multiprocessing.JoinableQueue, on a class attribute, also when task_done() is called on
another queue of the file (one with the same attribute name in another class)."""
import multiprocessing
import queue
import threading
from multiprocessing import JoinableQueue
from queue import PriorityQueue, Queue as WorkQueue

jobs = queue.Queue()
resized = []
resized_lock = threading.Lock()


def resize(image):
    return image.replace(".png", "-small.png")


def worker():
    while True:
        image = jobs.get()
        if image is None:
            return
        with resized_lock:
            resized.append(resize(image))


def resize_all(images, n_workers=4):
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(n_workers)]
    for thread in threads:
        thread.start()
    for image in images:
        jobs.put(image)
    for _ in range(n_workers):
        jobs.put(None)
    jobs.join()  # expect: TS303 'jobs.join()' waits until every item put on 'jobs' is marked done, but nothing in this file calls 'jobs.task_done()'


class Indexer:
    def __init__(self):
        self._pending = WorkQueue(maxsize=1000)
        self._index = {}
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def add(self, doc_id, text):
        self._pending.put((doc_id, text))

    def flush(self):
        self._pending.join()  # expect: TS303 'self._pending.join()'

    def _run(self):
        while True:
            doc_id, text = self._pending.get()
            with self._lock:
                self._index[doc_id] = set(text.split())


class Pipeline:
    """task_done() is called, but on the results, not on the stage input."""

    def __init__(self):
        self.inputs = PriorityQueue()
        self.results = queue.LifoQueue()

    def stage(self):
        while True:
            priority, item = self.inputs.get()
            self.results.put(item * 2)

    def collect(self):
        while True:
            item = self.results.get()
            print("result", item)
            self.results.task_done()

    def run(self, items):
        threads = [threading.Thread(target=self.stage, daemon=True), threading.Thread(target=self.collect, daemon=True)]
        for thread in threads:
            thread.start()
        for priority, item in enumerate(items):
            self.inputs.put((priority, item))
        self.inputs.join()  # expect: TS303 'self.inputs.join()'
        self.results.join()


def crunch(tasks):
    while True:
        task = tasks.get()
        if task is None:
            break
        print("crunched", task)


def crunch_all(numbers, processes=2):
    tasks = multiprocessing.JoinableQueue()
    workers = [multiprocessing.Process(target=crunch, args=(tasks,)) for _ in range(processes)]
    for process in workers:
        process.start()
    for number in numbers:
        tasks.put(number)
    for _ in workers:
        tasks.put(None)
    tasks.join()  # expect: TS303 'tasks.join()'
    for process in workers:
        process.join()


def send_all(messages, send):
    outgoing = queue.Queue()
    sender = threading.Thread(target=lambda: [send(outgoing.get()) for _ in messages], daemon=True)
    sender.start()
    for message in messages:
        outgoing.put(message)
    outgoing.join()  # expect: TS303 'outgoing.join()'
    sender.join()


class Notifier:
    outbox = queue.Queue()

    @classmethod
    def send(cls, message):
        cls.outbox.put(message)


def wait_sent():
    Notifier.outbox.join()  # expect: TS303 'Notifier.outbox.join()'


class UploadClient:
    def __init__(self):
        self._pending = queue.Queue()

    def upload(self, path):
        self._pending.put(path)

    def wait_uploaded(self):
        # The task_done() below is DownloadClient's own queue, not this one.
        self._pending.join()  # expect: TS303 'self._pending.join()'


class DownloadClient:
    def __init__(self):
        self._pending = queue.Queue()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while True:
            url = self._pending.get()
            print("downloading", url)
            self._pending.task_done()

    def wait_downloaded(self):
        self._pending.join()


def checksum_all(paths):
    todo = JoinableQueue()
    for path in paths:
        todo.put(path)
    todo.join()  # expect: TS303 'todo.join()'
