"""Correct, with many consumers: taking an item in one step (get_nowait(), get(False),
get(block=False), get() with a timeout) and handling queue.Empty; a get() meant to wait
(a sentinel loop, after ``if q.empty():``, in the branch where the queue may be empty,
after a test that ``or`` makes inconclusive);
empty()/qsize() only reported; and a check of one queue before a get() of another."""
import logging
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)

tasks = queue.Queue()
urgent = queue.Queue()
outbox = queue.Queue(maxsize=10)
stop = threading.Event()


def run(task):
    print("running", task)


def drain_nowait():
    while not tasks.empty():
        try:
            task = tasks.get_nowait()
        except queue.Empty:
            return
        run(task)


def drain_nonblocking():
    while not tasks.empty():
        try:
            task = tasks.get(False)
            other = tasks.get(block=False)
        except queue.Empty:
            return
        run(task)
        run(other)


def drain_patiently():
    if tasks.qsize() > 0:
        try:
            run(tasks.get(timeout=0.5))
            run(tasks.get(True, 0.5))
        except queue.Empty:
            pass


def serve_forever():
    while True:
        task = tasks.get()
        if task is None:
            break
        run(task)


def serve_until_stopped():
    while not stop.is_set():
        try:
            task = tasks.get(timeout=1.0)
        except queue.Empty:
            continue
        run(task)


def wait_for_work():
    if tasks.empty():
        log.info("idle, waiting for work")
        task = tasks.get()
    else:
        task = tasks.get_nowait()
    run(task)


def take_or_wait():
    if not tasks.empty():
        log.info("%d tasks waiting", tasks.qsize())
    else:
        # Nothing there yet: this get() is meant to wait.
        run(tasks.get())


def report_then_wait():
    if tasks.qsize() > 100:
        log.warning("backlog: %d tasks", tasks.qsize())
    if not tasks.empty():
        log.debug("more work queued")
    task = tasks.get()
    run(task)


def urgent_first():
    # The check is of another queue than the one the get() takes from.
    if not urgent.empty():
        log.info("urgent work is waiting")
        run(tasks.get())


def drain_or_wait(force):
    # Or: the queue may still be empty when force is set; the get() is meant to wait.
    if not tasks.empty() or force:
        run(tasks.get())


def produce(messages):
    for message in messages:
        if not outbox.full():
            try:
                outbox.put_nowait(message)
                outbox.put(message, timeout=1.0)
                outbox.put(message, False)
            except queue.Full:
                log.warning("outbox full, dropped %r", message)


def start(workers=3):
    threads = []
    for _ in range(workers):
        threads += [
            threading.Thread(target=drain_nowait),
            threading.Thread(target=drain_nonblocking),
            threading.Thread(target=drain_patiently),
            threading.Thread(target=serve_forever),
            threading.Thread(target=serve_until_stopped),
            threading.Thread(target=wait_for_work),
            threading.Thread(target=take_or_wait),
            threading.Thread(target=report_then_wait),
            threading.Thread(target=urgent_first),
            threading.Thread(target=drain_or_wait, args=(True,)),
            threading.Thread(target=produce, args=(["a", "b"],)),
        ]
    for thread in threads:
        thread.start()
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(drain_nowait) for _ in range(4)]
    return threads, [future.result() for future in futures]
