"""Consumed map() results, and map() calls that are not Executor.map: all silent."""
import itertools
import logging
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool

from mailer import record, send_invoice, resize

log = logging.getLogger(__name__)


def iterated(invoices):
    with ThreadPoolExecutor() as ex:
        for receipt in ex.map(send_invoice, invoices):
            record(receipt)


def comprehension(images):
    with ThreadPoolExecutor() as ex:
        return [len(data) for data in ex.map(resize, images)]


def consumed_by_list(invoices):
    with ThreadPoolExecutor() as ex:
        list(ex.map(send_invoice, invoices))


def consumed_by_builtins(images):
    with ThreadPoolExecutor() as ex:
        total = sum(ex.map(len, images))
        ok = all(ex.map(bool, images))
        tuple(ex.map(resize, images))
        any(ex.map(bool, images))
    return total, ok


def consumed_by_a_user_function(invoices):
    with ThreadPoolExecutor() as ex:
        record(ex.map(send_invoice, invoices))


def drained_with_deque(invoices):
    import collections

    with ThreadPoolExecutor() as ex:
        collections.deque(ex.map(send_invoice, invoices), maxlen=0)


def returned(images):
    ex = ThreadPoolExecutor()
    return ex.map(resize, images)


def yielded(images):
    with ThreadPoolExecutor() as ex:
        yield ex.map(resize, images)
        yield from ex.map(resize, images)


def stored_in_attribute(self, images):
    with ThreadPoolExecutor() as ex:
        self.results = ex.map(resize, images)


def stored_in_container(images, batches):
    pending = []
    by_name = {}
    with ThreadPoolExecutor() as ex:
        pending.append(ex.map(resize, images))
        by_name["images"] = ex.map(resize, images)
        pairs = [ex.map(resize, batch) for batch in batches]
    return pending, by_name, pairs


def bound_then_used(images):
    with ThreadPoolExecutor() as ex:
        results = ex.map(resize, images)
        for data in results:
            record(data)


def bound_then_used_in_a_closure(images):
    with ThreadPoolExecutor() as ex:
        results = ex.map(resize, images)

        def drain():
            return list(results)

        return drain()


def bound_then_chained(images):
    with ThreadPoolExecutor() as ex:
        results = ex.map(resize, images)
    return itertools.chain(results, [])


def bound_in_a_loop_read_after(batches):
    with ThreadPoolExecutor() as ex:
        for batch in batches:
            last = ex.map(resize, batch)
    return list(last)


def deliberately_ignored(images):
    with ThreadPoolExecutor() as ex:
        _ = ex.map(resize, images)


def global_name(images):
    global LAST_RESULTS
    with ThreadPoolExecutor() as ex:
        LAST_RESULTS = ex.map(resize, images)


def read_by_locals(images):
    with ThreadPoolExecutor() as ex:
        results = ex.map(resize, images)
        return locals()


def walrus(images):
    with ThreadPoolExecutor() as ex:
        if (results := ex.map(resize, images)) is not None:
            return results


def task_catches_everything(invoices):
    def deliver(invoice):
        """Never raises: failures are logged and counted."""
        try:
            send_invoice(invoice)
        except Exception:
            log.exception("could not send %s", invoice)

    with ThreadPoolExecutor() as ex:
        ex.map(deliver, invoices)


def multiprocessing_pool_is_eager(invoices):
    with multiprocessing.Pool(4) as pool:
        pool.map(send_invoice, invoices)
    with Pool() as pool:
        pool.map(send_invoice, invoices)
    with ThreadPool(4) as threads:
        threads.map(send_invoice, invoices)


def builtin_map(invoices):
    map(send_invoice, invoices)
    labels = map(str, invoices)
    return labels


def other_objects_with_map(frame, series, client, executor):
    frame.map(str)
    series.map({"a": 1})
    client.map(send_invoice, [1, 2])
    executor.map(send_invoice, [1, 2])  # an unannotated parameter: could be anything


module_results = ThreadPoolExecutor().map(resize, ["a.png"])


class Config:
    thumbnails = ThreadPoolExecutor().map(resize, ["b.png"])


def guarded_send(invoice):
    log.debug("sending %s", invoice)
    attempt = 1
    try:
        send_invoice(invoice, attempt=attempt)
    except ValueError as exc:
        if exc.args:
            log.warning("bad invoice %s: %s", invoice, exc)
    except Exception:
        with open("failures.log", "a") as failures:
            failures.write(f"{invoice}\n")
    finally:
        log.debug("done with %s", invoice)


def map_a_guarded_module_function(invoices):
    with ThreadPoolExecutor() as ex:
        ex.map(guarded_send, invoices)
