"""Every way an executor is reached: import forms, with-as, local, global, self,
parameters (also Optional ones), and executors passed along by plain assignment."""
import concurrent.futures
import concurrent.futures as cf
from concurrent import futures
from concurrent.futures import *
from concurrent.futures import Executor
from typing import Optional

from jobs import crunch, fetch

SHARED = cf.ThreadPoolExecutor()


def dotted(urls):
    with concurrent.futures.ThreadPoolExecutor() as ex:
        for url in urls:
            ex.submit(fetch, url)  # expect: TS302


def from_package(urls):
    with futures.ProcessPoolExecutor() as procs:
        procs.submit(crunch, urls)  # expect: TS302 'procs.submit()'


def star_import(urls):
    pool = ThreadPoolExecutor()
    pool.submit(fetch, urls[0])  # expect: TS302
    pool.shutdown()


def process_pool_local(data):
    procs = ProcessPoolExecutor(max_workers=2)
    procs.submit(crunch, data)  # expect: TS302


def module_global(url):
    SHARED.submit(fetch, url)  # expect: TS302


def annotated_parameter(executor: Executor, url):
    executor.submit(fetch, url)  # expect: TS302


def optional_parameter(url, executor: Optional[Executor] = None):
    if executor is not None:
        executor.submit(fetch, url)  # expect: TS302


def union_none_parameter(url, executor: "None" = None, pool: cf.Executor | None = None):
    pool.submit(fetch, url)  # expect: TS302


def renamed(pool: Executor, url):
    ex = pool
    ex.submit(fetch, url)  # expect: TS302


class Crawler:
    def __init__(self, executor: Executor):
        self._executor = executor
        self._procs = ProcessPoolExecutor()

    def crawl(self, url):
        self._executor.submit(fetch, url)  # expect: TS302 'self._executor.submit()'

    def crunch(self, data):
        with self._procs as procs:
            procs.submit(crunch, data)  # expect: TS302
