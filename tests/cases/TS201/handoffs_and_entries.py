"""Threads joined at once, and entry points whose names say 'unlocked'."""
import threading

processed = 0
pending = 100
lock = threading.Lock()


def process(item):
    global processed
    processed += 1


def one_at_a_time(items):
    """Correct: each thread is joined before the next starts; nothing runs beside it."""
    global processed
    for item in items:
        worker = threading.Thread(target=process, args=(item,))
        worker.start()
        worker.join()
    processed += len(items)


def _drain_unlocked():
    global pending
    pending -= 1  # expect: TS201 'pending'


def start_drainers():
    for _ in range(4):
        threading.Thread(target=_drain_unlocked).start()


class Reader:
    """Correct: the buffer is reset before the method that starts the reader thread is
    called, and a helper thread that is joined at once adds no concurrency."""

    def __init__(self):
        self.buffer = b""
        self.errors = 0

    def open(self):
        self.buffer = b""
        self.start_reader()

    def start_reader(self):
        threading.Thread(target=self._read_loop, daemon=True).start()

    def _read_loop(self):
        self.buffer += b"x"

    def run_sync(self, job):
        def runner():
            self.errors += job()

        thread = threading.Thread(target=runner)
        thread.start()
        thread.join()

    def reset(self):
        self.errors = 0
