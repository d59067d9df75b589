"""Correct: wait() methods that are not a Condition's, or a condition this file does
not build: Event.wait(), Barrier.wait(), concurrent.futures.wait(), an asyncio
condition, a subprocess's wait(), and conditions received as parameters."""
import asyncio
import concurrent.futures
import subprocess
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait


class Service:
    def __init__(self):
        self._started = threading.Event()
        self._all_ready = threading.Barrier(3)
        self._stop_cond_event = threading.Event()  # an Event, whatever its name says

    def start(self):
        self._started.set()

    def wait_started(self, timeout=None):
        return self._started.wait(timeout)

    def rendezvous(self):
        return self._all_ready.wait()

    def wait_stop(self):
        self._stop_cond_event.wait()


def fetch_all(urls, fetch):
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(fetch, url) for url in urls]
        done, pending = wait(futures, return_when=FIRST_COMPLETED)
        concurrent.futures.wait(pending, timeout=5)
        return [future.result() for future in done]


def run_tool(args):
    proc = subprocess.Popen(args)
    return proc.wait()


class AsyncMailbox:
    def __init__(self):
        self._cond = asyncio.Condition()
        self.items = []

    async def take(self):
        async with self._cond:
            if not self.items:
                await self._cond.wait()
            return self.items.pop()


def wait_signalled(cond, flags, key):
    # The caller's condition: this file does not know what it is.
    with cond:
        if not flags.get(key):
            cond.wait()
        return flags.get(key)


class Follower:
    def __init__(self, leader):
        self.leader = leader

    def wait_leader(self):
        with self.leader.changed:
            self.leader.changed.wait(1.0)
