"""Targets called where they should be passed: shapes from tutorials and bug reports."""
import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import _thread


def refresh_cache():
    print("refreshing")


def poll(interval):
    while True:
        print("polling every", interval)


class Monitor:
    def watch(self):
        print("watching")
        return None

    def start(self):
        self.thread = threading.Thread(target=self.watch(), daemon=True)  # expect: TS401 'self.watch()' is called here and its result (None)
        self.thread.start()


def start_background():
    threading.Thread(target=refresh_cache()).start()  # expect: TS401 pass 'refresh_cache' itself
    threading.Timer(30.0, refresh_cache()).start()  # expect: TS401 'refresh_cache()'
    threading.Timer(30.0, function=refresh_cache()).start()  # expect: TS401
    _thread.start_new_thread(poll(5), ())  # expect: TS401 'poll(...)' is called here and its result (None) becomes the thread's target; pass 'poll' and its arguments separately


def count():
    return 1 + 2


def submit_all(items):
    with ThreadPoolExecutor(4) as pool:
        future = pool.submit(refresh_cache())  # expect: TS401 becomes the task
        results = list(pool.map(count(), items))  # expect: TS401 'count()' is called here and its result (not a callable)
    return future, results


async def in_threads(loop):
    await loop.run_in_executor(None, refresh_cache())  # expect: TS401
    await asyncio.to_thread(refresh_cache())  # expect: TS401
