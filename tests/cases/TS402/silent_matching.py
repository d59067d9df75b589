"""Correct: the arguments match, or cannot be counted."""
import functools
import threading
from concurrent.futures import ThreadPoolExecutor

from tools import external


def tail(path, lines=10):
    print(path, lines)


def log_all(*messages):
    print(*messages)


def configure(**options):
    print(options)


def pair(first, second):
    print(first, second)


class Worker:
    def run_job(self, job):
        print(job)

    @classmethod
    def create(cls, name):
        print(cls, name)

    @staticmethod
    def helper(value):
        print(value)

    def start(self, job, args, jobs):
        threading.Thread(target=self.run_job, args=(job,)).start()
        threading.Thread(target=Worker.run_job, args=(self, job)).start()
        threading.Thread(target=Worker.create, args=("w",)).start()
        threading.Thread(target=self.helper, args=(job,)).start()
        threading.Thread(target=tail, args=args).start()
        threading.Thread(target=tail, args=(args)).start()  # redundant parentheses around a sequence
        threading.Thread(target=pair, args=(jobs)).start()  # two parameters: jobs may be a pair
        threading.Thread(target=tail, args=list(jobs)).start()


def start_all(path, items, options):
    threading.Thread(target=tail, args=(path,)).start()
    threading.Thread(target=tail, args=[path, 5]).start()
    threading.Thread(target=tail, args=(path,), kwargs={"lines": 3}).start()
    threading.Thread(target=tail, kwargs={"path": path}).start()
    threading.Thread(target=tail, args=(path,), kwargs=options).start()
    threading.Thread(target=log_all, args=("a", "b", "c")).start()
    threading.Thread(target=configure, kwargs={"debug": True}).start()
    threading.Thread(target=external, args=(1, 2, 3)).start()
    threading.Thread(target=functools.partial(pair, 1), args=(2,)).start()
    threading.Thread(target=pair, args=(*items,)).start()
    threading.Timer(1.0, tail, args=[path]).start()
    with ThreadPoolExecutor(2) as pool:
        pool.submit(tail, path, lines=4).result()
        pool.submit(pair, *items).result()
        list(pool.map(pair, items, items))
        list(pool.map(tail, items, timeout=5))
