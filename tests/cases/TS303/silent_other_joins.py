"""Correct: join() methods that are not a joinable queue's (threads, processes, pools,
strings, paths, shlex), a multiprocessing.Queue's join_thread(), and queues received
from outside the file, whose items other code may mark done."""
import multiprocessing
import os
import queue
import shlex
import threading
from multiprocessing import Pool


def build_report(parts, root):
    path = os.path.join(root, "report.txt")
    header = ", ".join(sorted(parts))
    command = shlex.join(["cat", path])
    return path, header, command, b"\n".join(part.encode() for part in parts)


def run_threads(targets):
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    threads[0].join(timeout=1.0)


def square(number):
    return number * number


def squares(numbers):
    pool = Pool(processes=2)
    result = pool.map_async(square, numbers)
    pool.close()
    pool.join()
    process = multiprocessing.Process(target=square, args=(3,))
    process.start()
    process.join()
    return result.get()


def gather(results_count):
    results = multiprocessing.Queue()
    for number in range(results_count):
        results.put(square(number))
    collected = [results.get() for _ in range(results_count)]
    results.close()
    results.join_thread()
    return collected


def wait_drained(work):
    # The caller's queue: the code that marks its items done is elsewhere.
    work.join()


class Client:
    def __init__(self, server):
        self.server = server

    def submit_and_wait(self, jobs):
        for job in jobs:
            self.server.jobs.put(job)
        self.server.jobs.join()


def make_queue():
    return queue.Queue()
