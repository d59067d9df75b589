"""Correct: check-then-get where only one thread takes from the queue (one consumer
thread, a thread started and joined at once, code that runs in no thread, a thread per
object with a queue per object), and queues
this file does not build (parameters, another object's queue)."""
import queue
import threading


class LogShipper:
    """One shipper thread drains the buffer; the producers only add to it."""

    def __init__(self):
        self.buffer = queue.Queue()
        self._thread = threading.Thread(target=self._ship, daemon=True)
        self._stopped = threading.Event()

    def start(self):
        self._thread.start()

    def log(self, line):
        self.buffer.put(line)

    def _ship(self):
        while not self._stopped.is_set():
            if not self.buffer.empty():
                line = self.buffer.get()
                print("shipping", line)
            self._stopped.wait(0.1)


completed = queue.Queue()


def report_completed():
    while not completed.empty():
        print("completed", completed.get())


def run_batch(jobs):
    # Started and joined at once: it runs as if called here.
    reporter = threading.Thread(target=report_completed)
    reporter.start()
    reporter.join()
    for job in jobs:
        completed.put(job)
    report_completed()


def drain_after_shutdown(results):
    # Called once the workers are gone: no thread runs this.
    leftovers = []
    while results.qsize() > 0:
        leftovers.append(results.get())
    return leftovers


def consume(jobs):
    # The caller's queue: this file does not know who else reads it.
    while not jobs.empty():
        print("job", jobs.get())


def start_consumers(count):
    jobs = queue.Queue()
    threads = [threading.Thread(target=consume, args=(jobs,)) for _ in range(count)]
    for thread in threads:
        thread.start()
    return jobs, threads


class Relay:
    def __init__(self, server):
        self.server = server

    def forward(self):
        if not self.server.inbox.empty():
            return self.server.inbox.get()
        return None

    def start(self, count):
        threads = [threading.Thread(target=self.forward) for _ in range(count)]
        for thread in threads:
            thread.start()
        return threads


class Mailbox:
    """Each thread gets a mailbox of its own: one consumer per queue."""

    def __init__(self, owner):
        self.owner = owner
        self.letters = queue.Queue()

    def read_one(self):
        if not self.letters.empty():
            return self.letters.get()
        return None


def start_readers(owners):
    threads = [threading.Thread(target=Mailbox(owner).read_one) for owner in owners]
    for thread in threads:
        thread.start()
    return threads
