"""Locks reached through every import form, and objects that only look like locks."""
import _thread
import multiprocessing
import threading as th
from threading import Lock as L, Semaphore

alias_lock = th.Lock()
from_lock = L()
raw_lock = _thread.allocate_lock()
mp_lock = multiprocessing.Lock()
slots = Semaphore(4)


def through_alias():
    alias_lock.acquire()  # expect: TS101 'alias_lock'
    work()
    alias_lock.release()


def through_from_import():
    from_lock.acquire()  # expect: TS101
    work()
    from_lock.release()


def through_thread_module():
    raw_lock.acquire()  # expect: TS101 'raw_lock'
    work()
    raw_lock.release()


def multiprocessing_lock():
    mp_lock.acquire()  # expect: TS101
    work()
    mp_lock.release()


def semaphore_slot():
    slots.acquire()  # expect: TS101 'slots'
    work()
    slots.release()


def unknown_origin_but_named_lock(resource_lock):
    resource_lock.acquire()  # expect: TS101
    work()
    resource_lock.release()


async def asyncio_style(self):
    await self._lock.acquire()  # expect: TS101
    await self.flush()
    self._lock.release()


def not_a_lock(connection_pool, item_queue):
    conn = connection_pool.acquire()
    work()
    connection_pool.release(conn)
    token = item_queue.acquire()
    work()
    item_queue.release(token)


def work():
    with open("work.log", "a") as log:
        log.write("working\n")
