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
