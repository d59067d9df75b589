"""Executor.map() results thrown away: every worker exception is lost."""
import logging
from concurrent.futures import ThreadPoolExecutor

from mailer import send_invoice, send_reminder, resize

log = logging.getLogger(__name__)


def send_invoices(invoices):
    with ThreadPoolExecutor(max_workers=8) as ex:
        ex.map(send_invoice, invoices)  # expect: TS301
    log.info("sent %d invoices", len(invoices))


def send_reminders(customers):
    try:
        with ThreadPoolExecutor() as ex:
            ex.map(send_reminder, customers)  # expect: TS301
    except OSError:
        log.exception("reminders failed")  # never reached: the OSError is dropped


def resize_all(images, sizes):
    with ThreadPoolExecutor() as ex:
        results = ex.map(resize, images, sizes)  # expect: TS301 'results', the result of 'ex.map()', is never read
    log.info("resized")


def resize_annotated(images):
    with ThreadPoolExecutor() as ex:
        results: "Iterator[bytes]" = ex.map(resize, images)  # expect: TS301
    return len(images)


def resize_batches(batches):
    with ThreadPoolExecutor() as ex:
        [ex.map(resize, batch) for batch in batches]  # expect: TS301 thrown away by a comprehension


def parenthesized(images):
    with ThreadPoolExecutor() as ex:
        (ex.map(resize, images))  # expect: TS301


def one_liner(images):
    with ThreadPoolExecutor() as ex: ex.map(resize, images)  # expect: TS301


def in_a_loop(groups):
    with ThreadPoolExecutor() as ex:
        for group in groups:
            if group:
                ex.map(send_invoice, group)  # expect: TS301


def on_a_fresh_executor(invoices):
    ThreadPoolExecutor().map(send_invoice, invoices)  # expect: TS301


def handler_only_logs_errors(invoices):
    def deliver(invoice):
        send_invoice(invoice)
        log.info("sent %s", invoice)

    with ThreadPoolExecutor() as ex:
        ex.map(deliver, invoices)  # expect: TS301


def handler_reraises(invoices):
    def deliver(invoice):
        try:
            send_invoice(invoice)
        except Exception:
            log.exception("failed")
            raise

    with ThreadPoolExecutor() as ex:
        ex.map(deliver, invoices)  # expect: TS301


with ThreadPoolExecutor() as startup_pool:
    startup_pool.map(send_reminder, ["ops@example.com"])  # expect: TS301 'startup_pool.map()'


def guarded_but_else_can_raise(invoices):
    def deliver(invoice):
        try:
            receipt = send_invoice(invoice)
        except Exception:
            log.exception("failed")
        else:
            receipt.archive()

    with ThreadPoolExecutor() as ex:
        ex.map(deliver, invoices)  # expect: TS301


def narrow_handler_reraises(invoices):
    def deliver(invoice):
        try:
            send_invoice(invoice)
        except ValueError:
            if invoice:
                raise
        except Exception:
            log.exception("failed")

    with ThreadPoolExecutor() as ex:
        ex.map(deliver, invoices)  # expect: TS301
