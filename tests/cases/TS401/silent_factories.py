"""Correct: the call gives a callable (a factory), or the called function is unknown."""
import functools
import threading
from concurrent.futures import ThreadPoolExecutor

from jobs import make_worker


def handler_for(name):
    def handle():
        print("handling", name)

    return handle


def lambda_factory(n):
    return lambda: print(n)


def partial_factory(n):
    return functools.partial(print, n)


def named_function_factory():
    chosen = handler_for
    return chosen


def returns_method(obj):
    return obj.run


def returns_call(registry, name):
    return registry.lookup(name)


def generator_job():
    yield 1


async def coroutine_job():
    return None


def traced(func):
    return func


@traced
def decorated_job():
    return None


HANDLERS = {"a": handler_for("a")}


def start_all(items, obj):
    threading.Thread(target=handler_for("x")).start()
    threading.Thread(target=lambda_factory(1)).start()
    threading.Thread(target=partial_factory(2)).start()
    threading.Thread(target=named_function_factory()).start()
    threading.Thread(target=returns_method(obj)).start()
    threading.Thread(target=returns_call(obj, "x")).start()
    threading.Thread(target=make_worker()).start()  # not in this file
    threading.Thread(target=functools.partial(handler_for, "y")).start()
    threading.Thread(target=HANDLERS["a"]).start()
    threading.Thread(target=obj.method).start()
    threading.Thread(target=decorated_job()).start()
    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(handler_for("z")), pool.submit(generator_job())]
        list(pool.map(lambda_factory(3), items))
    print(list(map(handler_for("w"), items)))  # the builtin map runs here anyway
    return [future.result() for future in futures]
