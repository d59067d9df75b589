"""Every way an executor is reached: import forms, with-as, local, global, self, parameters."""
import concurrent.futures
import concurrent.futures as cf
from concurrent import futures
from concurrent.futures import Executor
from concurrent.futures import ProcessPoolExecutor as Procs
from concurrent.futures import ThreadPoolExecutor

from pipeline import checksum, upload

SHARED_POOL = ThreadPoolExecutor(max_workers=4)


def via_dotted_import(paths):
    with concurrent.futures.ThreadPoolExecutor() as ex:
        ex.map(upload, paths)  # expect: TS301


def via_module_alias(paths):
    with cf.ProcessPoolExecutor() as ex:
        ex.map(checksum, paths)  # expect: TS301


def via_from_package(paths):
    with futures.ThreadPoolExecutor() as ex:
        ex.map(upload, paths)  # expect: TS301


def via_renamed_class(paths):
    with Procs(max_workers=2) as procs:
        procs.map(checksum, paths, chunksize=16)  # expect: TS301 'procs.map()'


def local_executor(paths):
    pool = ThreadPoolExecutor(max_workers=2)
    pool.map(upload, paths)  # expect: TS301
    pool.shutdown(wait=True)


def global_executor(paths):
    SHARED_POOL.map(upload, paths)  # expect: TS301


def declared_global(paths):
    global SHARED_POOL
    SHARED_POOL.map(upload, paths)  # expect: TS301


def parameter_executor(executor: Executor, paths):
    executor.map(upload, paths)  # expect: TS301


def keyword_only_parameter(paths, *, executor: cf.Executor):
    executor.map(upload, paths)  # expect: TS301


def thread_pool_parameter(pool: ThreadPoolExecutor, paths):
    pool.map(upload, paths)  # expect: TS301


class Uploader:
    workers = ThreadPoolExecutor(max_workers=2)

    def __init__(self):
        self._pool = ThreadPoolExecutor(max_workers=8)
        self._procs = Procs()

    def upload_all(self, paths):
        self._pool.map(upload, paths)  # expect: TS301 'self._pool.map()'

    def checksum_all(self, paths):
        self._procs.map(checksum, paths)  # expect: TS301

    def with_class_pool(self, paths):
        self.workers.map(upload, paths)  # expect: TS301

    @classmethod
    def with_cls_pool(cls, paths):
        cls.workers.map(upload, paths)  # expect: TS301 'cls.workers.map()'

    def nested_helper(self, paths):
        def go():
            self._pool.map(upload, paths)  # expect: TS301

        return go
