"""Module state and closure variables changed by thread targets without a lock."""

import _thread
import asyncio
import concurrent.futures
import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from threading import Thread, Timer

requests_served = 0
bytes_sent = 0
word_counts = {}
hits = {}
cache = {}
pending = ["a", "b", "c"]
seen = set()
totals = {"ok": 0, "failed": 0}
refreshes = 0
pings = 0


class Stats:
    def __init__(self):
        self.count = 0


stats = Stats()


def load(key):
    return key.upper()


def handle_request():
    global requests_served
    requests_served += 1  # expect: TS201 'requests_served' is changed in handle_request()


def send(payload):
    global bytes_sent
    bytes_sent = bytes_sent + len(payload)  # expect: TS201


def count_words(line):
    for word in line.split():
        word_counts[word] += 1  # expect: TS201


def count_hit(page):
    hits[page] = hits.get(page, 0) + 1  # expect: TS201


def cached_load(key):
    if key not in cache:
        cache[key] = load(key)  # expect: TS201 'cache' is checked then changed
    return cache[key]


def cached_load_early_return(key):
    if key in cache:
        return cache[key]
    value = load(key)
    cache[key] = value  # expect: TS201
    return value


def claim(item):
    if item in pending:
        pending.remove(item)  # expect: TS201
        return True
    return False


def process_once(item):
    if item not in seen:
        seen.add(item)  # expect: TS201
        load(item)


def record(outcome):
    totals[outcome] += 1  # expect: TS201


def bump_stats():
    stats.count += 1  # expect: TS201


def worker_through_helper(line):
    """Target -> helper -> mutation: the helper runs in the thread too."""
    tally(line)


def tally(line):
    _add_words(len(line.split()))


def _add_words(n):
    global requests_served
    requests_served += n  # expect: TS201 called from worker_through_helper()


def serve_forever():
    threads = [Thread(target=handle_request) for _ in range(8)]
    threads += [threading.Thread(target=send, args=(b"x",)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def count_all(lines):
    with ThreadPoolExecutor(max_workers=4) as pool:
        counted = list(pool.map(count_words, lines))
        pages = [pool.submit(count_hit, line) for line in lines]
        loads = [pool.submit(cached_load, line) for line in lines]
        early = [pool.submit(cached_load_early_return, line) for line in lines]
        claims = list(pool.map(claim, lines))
        once = list(pool.map(process_once, lines))
        tallies = list(pool.map(worker_through_helper, lines))
    return counted, pages, loads, early, claims, once, tallies


def report_outcomes():
    for outcome in ("ok", "failed", "ok"):
        Timer(0.1, record, args=(outcome,)).start()


def bump_later():
    for _ in range(3):
        threading.Timer(0.1, bump_stats).start()


def count_with_nonlocal(items):
    done = 0
    failures = {}

    def work(item):
        nonlocal done
        done += 1  # expect: TS201
        if item not in failures:
            failures[item] = 0  # expect: TS201
        failures[item] += 1  # expect: TS201

    threads = [Thread(target=work, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, failures


def count_with_lambda_and_partial(items):
    progress = {"done": 0}

    def step(amount, item):
        progress["done"] += amount  # expect: TS201
        return item

    executor = concurrent.futures.ThreadPoolExecutor()
    futures = [executor.submit(functools.partial(step, 1), item) for item in items]
    futures += [executor.submit(lambda item=item: step(2, item)) for item in items]
    executor.shutdown()
    return [future.result() for future in futures]



def refresh(key):
    global refreshes
    refreshes += 1  # expect: TS201
    return key


async def refresh_all(keys):
    return await asyncio.gather(*(asyncio.to_thread(refresh, key) for key in keys))


def ping():
    global pings
    pings = pings + 1  # expect: TS201


def ping_twice():
    _thread.start_new_thread(ping, ())
    _thread.start_new_thread(ping, ())


def forget(key):
    if key is None:
        return
    elif key in cache:
        del cache[key]  # expect: TS201


def forget_all(keys):
    with ThreadPoolExecutor() as pool:
        return list(pool.map(forget, keys))
