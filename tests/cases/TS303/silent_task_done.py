"""Correct: every joined queue may have its items marked done somewhere in the file: on
the queue itself, through an alias, in a worker that gets the queue as a parameter, or
on another object's attribute that may be the same queue."""
import queue
import threading
from queue import Queue

jobs = queue.Queue()


def worker():
    while True:
        image = jobs.get()
        try:
            if image is None:
                return
            print("resizing", image)
        finally:
            jobs.task_done()


def resize_all(images, n_workers=4):
    for _ in range(n_workers):
        threading.Thread(target=worker, daemon=True).start()
    for image in images:
        jobs.put(image)
    for _ in range(n_workers):
        jobs.put(None)
    jobs.join()


def drain(work):
    while True:
        item = work.get()
        print("item", item)
        work.task_done()


def process_all(items):
    work = Queue()
    threading.Thread(target=drain, args=(work,), daemon=True).start()
    for item in items:
        work.put(item)
    work.join()


class Indexer:
    def __init__(self):
        self._pending = queue.PriorityQueue()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()

    def add(self, priority, doc):
        self._pending.put((priority, doc))

    def flush(self):
        self._pending.join()

    def _run(self):
        pending = self._pending  # another name for the same queue
        while True:
            priority, doc = pending.get()
            print("indexing", priority, doc)
            pending.task_done()


class Stage:
    def __init__(self, pipeline):
        self.pipeline = pipeline

    def run(self):
        while True:
            item = self.pipeline.inbox.get()
            print("stage", item)
            self.pipeline.inbox.task_done()


class Pipeline:
    def __init__(self):
        self.inbox = queue.LifoQueue()
        self.stage = Stage(self)

    def run(self, items):
        threading.Thread(target=self.stage.run, daemon=True).start()
        for item in items:
            self.inbox.put(item)
        self.inbox.join()
