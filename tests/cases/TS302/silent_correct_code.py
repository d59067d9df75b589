"""Futures that are looked at, and submit() calls that are not Executor.submit: all silent."""
import asyncio
import concurrent.futures as cf
import logging
from concurrent.futures import ThreadPoolExecutor, as_completed, wait

from dask.distributed import Client
from storage import delete_blob, report_failure, upload_blob

log = logging.getLogger(__name__)


def collected_and_waited(blobs):
    with ThreadPoolExecutor() as ex:
        futures = [ex.submit(upload_blob, blob) for blob in blobs]
        done, _ = wait(futures)
    for future in done:
        future.result()


def as_completed_loop(blobs):
    with ThreadPoolExecutor() as ex:
        for future in as_completed([ex.submit(upload_blob, b) for b in blobs]):
            future.result()


def appended_then_checked(blobs):
    futures = []
    with ThreadPoolExecutor() as ex:
        for blob in blobs:
            futures.append(ex.submit(upload_blob, blob))
    for future in futures:
        if future.exception() is not None:
            report_failure(future.exception())


def result_at_once(blob):
    with ThreadPoolExecutor() as ex:
        return ex.submit(upload_blob, blob).result(timeout=30)


def result_later(blob):
    with ThreadPoolExecutor() as ex:
        future = ex.submit(upload_blob, blob)
        log.info("waiting")
        future.result()


def done_callback(blob):
    def check(future):
        if future.exception() is not None:
            report_failure(future.exception())

    ex = ThreadPoolExecutor()
    ex.submit(upload_blob, blob).add_done_callback(check)
    pending = ex.submit(delete_blob, blob)
    pending.add_done_callback(check)


def returned_and_stored(self, blob):
    with ThreadPoolExecutor() as ex:
        self.pending = ex.submit(upload_blob, blob)
        self.by_name[blob] = ex.submit(delete_blob, blob)
        return ex.submit(upload_blob, blob)


def dict_of_futures(blobs):
    with ThreadPoolExecutor() as ex:
        future_to_blob = {ex.submit(upload_blob, blob): blob for blob in blobs}
        for future in as_completed(future_to_blob):
            log.info("%s: %s", future_to_blob[future], future.result())


def passed_to_asyncio(blob):
    with ThreadPoolExecutor() as ex:
        return asyncio.wrap_future(ex.submit(upload_blob, blob))


def last_future_read_after_loop(blobs):
    with ThreadPoolExecutor() as ex:
        for blob in blobs:
            future = ex.submit(upload_blob, blob)
    return future


def read_from_a_nested_class(blob):
    with ThreadPoolExecutor() as ex:
        future = ex.submit(upload_blob, blob)

        class Handle:
            def wait(self):
                return future.result()

        return Handle()


def nonlocal_future(blob):
    future = None

    def start():
        nonlocal future
        with ThreadPoolExecutor() as ex:
            future = ex.submit(upload_blob, blob)

    start()
    return future


def deliberately_ignored(blob):
    with ThreadPoolExecutor() as ex:
        _ = ex.submit(upload_blob, blob)


def task_handles_its_errors(blobs):
    def upload_safely(blob):
        try:
            upload_blob(blob)
        except Exception as exc:
            report_failure(exc)
            log.exception("upload of %s failed", blob)

    with ThreadPoolExecutor() as ex:
        for blob in blobs:
            ex.submit(upload_safely, blob)


class Worker:
    def __init__(self):
        self._pool = ThreadPoolExecutor()

    def _run_guarded(self, job):
        try:
            job()
        except BaseException:
            log.exception("job failed")

    def schedule(self, job):
        self._pool.submit(self._run_guarded, job)


def wrapped_in_a_lambda(blob):
    ex = ThreadPoolExecutor()
    start = lambda: ex.submit(upload_blob, blob)  # noqa: E731
    return start


def other_objects_with_submit(blob, executor, scheduler):
    client = Client()
    client.submit(upload_blob, blob)
    scheduler.submit(upload_blob, blob)
    executor.submit(upload_blob, blob)  # an unannotated parameter: could be anything


def run_in_executor(blob):
    loop = asyncio.get_event_loop()
    with ThreadPoolExecutor() as ex:
        return loop.run_in_executor(ex, upload_blob, blob)


def not_an_executor_annotation(pool: "cf.Future", blob):
    pool.submit(upload_blob, blob)


class ThreadPool:
    """A project class that only shares the name."""

    def submit(self, fn, *args):
        return fn(*args)


def local_lookalike(blob):
    pool = ThreadPool()
    pool.submit(upload_blob, blob)


module_future = ThreadPoolExecutor().submit(upload_blob, "boot.bin")


def guarded_upload(blob):
    try:
        upload_blob(blob)
    except (OSError, Exception):
        log.exception("upload of %s failed", blob)


def partial_of_a_guarded_task(blobs):
    import functools

    with ThreadPoolExecutor() as ex:
        for blob in blobs:
            ex.submit(functools.partial(guarded_upload, blob))


class Server:
    def __init__(self, sock):
        self._sock = sock

    def serve(self):
        with ThreadPoolExecutor(max_workers=16, thread_name_prefix="http") as ex:
            while True:
                client, addr = self._sock.accept()
                ex.submit(self._handle, client, addr)

    def _handle(self, client, addr):
        log.debug("accepted %s", addr)
        try:
            upload_blob(client.recv(4096))
        except Exception as exc:
            log.error("error handling %s: %s", addr, exc)
        finally:
            client.close()


def waited_inline(blob):
    with ThreadPoolExecutor() as ex:
        cf.wait([ex.submit(upload_blob, blob), ex.submit(delete_blob, blob)])
        ex.submit(upload_blob, blob).result()


def yielded_futures(blobs):
    with ThreadPoolExecutor() as ex:
        for blob in blobs:
            yield ex.submit(upload_blob, blob)


def kept_in_a_set(blobs, pending: set):
    with ThreadPoolExecutor() as ex:
        for blob in blobs:
            pending.add(ex.submit(upload_blob, blob))


def walrus_future(blob):
    with ThreadPoolExecutor() as ex:
        if (future := ex.submit(upload_blob, blob)).done():
            return future.result()
    return None


def returned_by_name(blob):
    ex = ThreadPoolExecutor()
    future = ex.submit(upload_blob, blob)
    return future


def bound_in_a_loop_and_collected(blobs):
    futures = []
    with ThreadPoolExecutor() as ex:
        for blob in blobs:
            future = ex.submit(upload_blob, blob)
            futures.append(future)
    return [f.result() for f in futures]
