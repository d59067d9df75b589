"""Correct: a new thread object for each start, or starts that exclude each other."""
import threading


def work(n):
    print("working", n)


def start_workers(count):
    threads = []
    for n in range(count):
        worker = threading.Thread(target=work, args=(n,))
        worker.start()
        threads.append(worker)
    for worker in threads:
        worker.join()


def start_listed(threads):
    for thread in threads:
        thread.start()


def start_once(use_timer):
    if use_timer:
        thread = threading.Timer(1.0, work, args=(1,))
        thread.start()
    else:
        thread = threading.Thread(target=work, args=(1,))
        thread.start()
    return thread


def start_or_fall_back(fast):
    thread = threading.Thread(target=work, args=(2,))
    if fast:
        thread.start()
        return thread
    thread.start()
    return thread


def restart(old):
    thread = threading.Thread(target=work, args=(3,))
    thread.start()
    thread.join()
    thread = threading.Thread(target=work, args=(4,))
    thread.start()
    return old


def first_that_starts(candidates):
    thread = threading.Thread(target=work, args=(5,))
    for _ in candidates:
        thread.start()
        break


def guarded():
    thread = threading.Thread(target=work, args=(6,))
    try:
        thread.start()
    except RuntimeError:
        thread = threading.Thread(target=work, args=(7,))
        thread.start()
    return thread
