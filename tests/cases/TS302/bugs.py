"""Futures from Executor.submit() thrown away: the task's exception is never seen."""
import logging
from concurrent.futures import ThreadPoolExecutor

from storage import compact, delete_blob, notify, upload_blob

log = logging.getLogger(__name__)


def upload_all(blobs):
    with ThreadPoolExecutor(max_workers=8) as ex:
        for blob in blobs:
            ex.submit(upload_blob, blob)  # expect: TS302
    log.info("uploaded %d blobs", len(blobs))  # even if some uploads raised


def delete_all(names):
    try:
        with ThreadPoolExecutor() as ex:
            [ex.submit(delete_blob, name) for name in names]  # expect: TS302 the futures of 'ex.submit()' are thrown away by a comprehension
    except OSError:
        log.exception("delete failed")  # never reached


def delete_set(names):
    with ThreadPoolExecutor() as ex:
        {ex.submit(delete_blob, name) for name in names}  # expect: TS302


def delete_by_name(names):
    with ThreadPoolExecutor() as ex:
        {name: ex.submit(delete_blob, name) for name in names}  # expect: TS302


def bound_and_forgotten(blob):
    with ThreadPoolExecutor() as ex:
        future = ex.submit(upload_blob, blob)  # expect: TS302 'future', the future of 'ex.submit()', is never read
        log.info("upload started")


def list_bound_and_forgotten(blobs):
    with ThreadPoolExecutor() as ex:
        futures = [ex.submit(upload_blob, blob) for blob in blobs]  # expect: TS302
    log.info("done")


def annotated_and_forgotten(blob):
    with ThreadPoolExecutor() as ex:
        future: "Future[None]" = ex.submit(upload_blob, blob)  # expect: TS302


class Maintenance:
    def __init__(self):
        self._pool = ThreadPoolExecutor(max_workers=1)

    def nightly(self):
        self._pool.submit(compact)  # expect: TS302 'self._pool.submit()'
        self._pool.submit(notify, "ops", "compaction started")  # expect: TS302

    def on_event(self, event):
        if event.kind == "delete":
            self._pool.submit(delete_blob, event.name)  # expect: TS302
        else:
            self._pool.submit(lambda: upload_blob(event.blob))  # expect: TS302


def task_without_guard(blobs):
    def upload_and_log(blob):
        upload_blob(blob)
        log.info("uploaded %s", blob)

    with ThreadPoolExecutor() as ex:
        for blob in blobs:
            ex.submit(upload_and_log, blob)  # expect: TS302


def guard_too_narrow(blobs):
    def upload_quietly(blob):
        try:
            upload_blob(blob)
        except OSError:
            log.warning("upload of %s failed", blob)

    with ThreadPoolExecutor() as ex:
        for blob in blobs:
            ex.submit(upload_quietly, blob)  # expect: TS302


background = ThreadPoolExecutor(max_workers=1)
background.submit(compact)  # expect: TS302 'background.submit()'


def work_after_the_guard(blobs):
    def upload_then_delete(blob):
        try:
            upload_blob(blob)
        except Exception:
            log.exception("upload failed")
        delete_blob(blob)  # can raise, and nobody will know

    with ThreadPoolExecutor() as ex:
        for blob in blobs:
            ex.submit(upload_then_delete, blob)  # expect: TS302


def early_exit_before_the_guard(blobs):
    def maybe_upload(blob):
        if not blob:
            return
        try:
            upload_blob(blob)
        except Exception:
            log.exception("upload failed")

    with ThreadPoolExecutor() as ex:
        ex.submit(maybe_upload, blobs[0])  # expect: TS302
