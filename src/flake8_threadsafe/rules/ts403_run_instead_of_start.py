"""TS403: ``Thread.run()`` called instead of ``start()``.

``t.run()`` runs the thread's target in the calling thread, like any method call: no
new thread starts, nothing runs concurrently, and a target that blocks (a server loop, a
queue consumer) blocks the caller. ``t.start()`` starts the thread, which then calls
``run()``.

Reported for ``t.run()`` where ``t`` is built by ``threading.Thread``/``Timer`` or by a
Thread subclass of this file (``threading.Thread(...).run()`` too).

Silent for ``super().run()`` and ``Base.run(self)`` inside a subclass's ``run()``,
``self.run()`` inside the class, ``run()`` with arguments, and every other ``.run()``
(``asyncio.run``, ``subprocess.run``, test runners, schedulers).
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe import fixes
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.syntax import expression_text
from flake8_threadsafe.rules.base import Finding

CODE = "TS403"


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    for site, thread in facts.starts.thread_calls("run"):
        caller = site.func
        if caller is not None and isinstance(thread, cst.Name) and facts.names.instance_param(caller, thread.value):
            continue  # ``self.run()`` in the class: the thread's own code
        text = expression_text(thread) or "the thread"
        callee = site.node.func
        repair = None
        if isinstance(callee, cst.Attribute):
            repair = fixes.rename_method(callee, "start", f"call '{text}.start()'")
        yield Finding(
            site.node,
            CODE,
            f"'{text}.run()' runs the thread's target here, in the calling thread, and starts no thread; "
            f"call '{text}.start()'",
            fix=repair,
        )
