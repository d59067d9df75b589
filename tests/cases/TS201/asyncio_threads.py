"""asyncio runs these functions in its default thread pool, with no threading import."""

import asyncio

hits = 0
sizes = {}


def record():
    global hits
    hits += 1  # expect: TS201 'hits'


def measure(name, size):
    sizes[name] = sizes.get(name, 0) + size  # expect: TS201 'sizes'


async def main(names):
    await asyncio.gather(*(asyncio.to_thread(record) for _ in range(10)))
    loop = asyncio.get_running_loop()
    await asyncio.gather(*(loop.run_in_executor(None, measure, name, 1) for name in names))


def local_work():
    count = 0
    count += 1
    return count


async def runs_locals():
    return await asyncio.to_thread(local_work)
