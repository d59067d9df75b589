"""TS401: a thread's target called instead of passed.

``threading.Thread(target=work())`` calls ``work`` at once, in the calling thread, and
hands its return value to the thread as the target: the work runs where it should not
(blocking the caller), and the thread gets ``None`` and does nothing. The same holds for
``Timer(t, work())``, ``_thread.start_new_thread(work(), ())``, ``executor.submit(work())``
and ``executor.map(work(), items)`` (which then fail with ``TypeError``: ``None`` is not
callable), ``loop.run_in_executor(None, work())`` and ``asyncio.to_thread(work())``.

Reported when the called function is a function, method or lambda of this file whose
calls can only give plain data (no ``return`` of a value, or only constants, literals,
arithmetic).

Silent for factories that return a callable (a nested ``def``, a lambda, ``partial``, a
name bound to a function: any ``return`` of a name or a call), ``partial(work, x)``,
``obj.method``, ``handlers[name]``, decorated functions, generators and coroutine
functions, and calls of functions not defined in this file.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe import fixes
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.starts import Start
from flake8_threadsafe.fixes import Fix
from flake8_threadsafe.facts.syntax import expression_text
from flake8_threadsafe.rules.base import Finding

CODE = "TS401"


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    starts = facts.starts
    for start in starts.starts:
        called = start.target
        if not isinstance(called, cst.Call):
            continue
        func = facts.names.callee(start.site.func, called.func)
        name = expression_text(called.func)
        if func is None or name is None:
            continue
        if facts.names.unwrap_partial(called) is not called or not starts.returns_data(func):
            continue
        returned = "None" if all(_none(value) for value in func.returned) else "not a callable"
        role = "the task" if start.task else "the thread's target"
        fix = f"pass '{name}' itself" if not called.args else f"pass '{name}' and its arguments separately"
        shown = f"{name}()" if not called.args else f"{name}(...)"
        repair = fixes.uncall(called, f"pass '{name}' itself") or _pass_arguments(facts, start, name)
        yield Finding(
            called, CODE, f"'{shown}' is called here and its result ({returned}) becomes {role}; {fix}", fix=repair
        )


def _none(value: cst.BaseExpression | None) -> bool:
    return value is None or (isinstance(value, cst.Name) and value.value == "None")


def _pass_arguments(facts: FileFacts, start: Start, name: str) -> Fix | None:
    """Unsafe: ``threading.Thread(target=f(a, b))`` becomes ``target=f, args=(a, b)``."""
    call = start.site.node
    if facts.names.canonical(call.func) != "threading.Thread":
        return None
    target = next((arg for arg in call.args if arg.keyword is not None and arg.keyword.value == "target"), None)
    if target is None or target.value is not start.target:
        return None
    return fixes.pass_arguments(call, target, f"pass '{name}' and its arguments separately")
