"""TS404: a thread started twice.

A ``threading.Thread`` (or ``Timer``) object can be started once: a second
``t.start()`` raises ``RuntimeError: threads can only be started once``, after the first
thread is already running. It happens when a loop starts one object created before it,
or when code starts the same object again on a later path.

Reported for ``t.start()`` on a thread object the file builds (``threading.Thread``,
``Timer``, a Thread subclass of the file) when, in one function, it is in a loop that
does not create a new ``t``, or an earlier ``t.start()`` runs before it on some path
with no new ``t`` bound in between.

Silent when each start has a new object (``t = Thread(...)`` in the loop, ``for t in
threads:``), for starts in exclusive branches (``if``/``else``, ``try``/``except``), a
start followed by ``break``/``return``, and starts in different functions.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.syntax import expression_text
from flake8_threadsafe.rules.base import Finding

CODE = "TS404"

_ONCE = "a thread can be started only once (RuntimeError: threads can only be started once)"


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    for site, earlier in facts.starts.restarts:
        callee = site.node.func
        text = expression_text(callee.value) if isinstance(callee, cst.Attribute) else None
        if earlier is None:
            yield Finding(
                site.node,
                CODE,
                f"'{text}.start()' runs in a loop, but '{text}' is created once, before it: {_ONCE}; "
                f"create a new thread inside the loop",
            )
        else:
            yield Finding(
                site.node,
                CODE,
                f"'{text}' may already have been started at line {{line0}}: {_ONCE}; "
                "create a new thread to start again",
                (earlier.node,),
            )
