"""TS102 summaries on generated files: call cycles end, and large classes stay fast.

The plugin is run in-process as flake8 builds it; the time is printed (``pytest -s``)
and only checked against a generous bound, so a slow machine does not make it flaky.
The reports themselves are checked exactly.
"""

from __future__ import annotations

import ast
import time

from flake8_threadsafe import Plugin, engine
from flake8_threadsafe.config import Config

BOUND_SECONDS = 5.0


def ts102_reports(source: str, label: str) -> list[tuple[int, str]]:
    lines = source.splitlines(keepends=True)
    # The engine first: Plugin.run() hides exceptions, this shows their traceback.
    engine.check(source, lines, ast.parse(source), Config(), {"TS102"})
    start = time.perf_counter()
    reports = list(Plugin(ast.parse(source), lines, f"{label}.py").run())
    elapsed = time.perf_counter() - start
    print(f"{label}: {len(lines)} lines, {len(reports)} reports, {elapsed:.3f} s")
    assert elapsed < BOUND_SECONDS, f"{label} took {elapsed:.1f} s"
    return [(line, message) for line, _, message, _ in reports if message.startswith("TS102")]


def line_of(source: str, text: str) -> int:
    return source.splitlines().index(text) + 1


def test_call_cycles_end_and_keep_the_path() -> None:
    size = 300
    parts = ["import threading", "", "lock = threading.Lock()", ""]
    # a -> b -> a, and b takes the lock.
    parts += ["def a(n):", "    return b(n - 1) if n else 0", ""]
    parts += ["def b(n):", "    with lock:", "        pass", "    return a(n - 1)", ""]
    # A ring f0 -> f1 -> ... -> f299 -> f0 in which only f150 takes the lock.
    for i in range(size):
        parts.append(f"def f{i}(n):")
        if i == size // 2:
            parts += ["    with lock:", "        pass"]
        parts += [f"    return f{(i + 1) % size}(n)", ""]
    # A ring that takes no lock at all.
    for i in range(size):
        parts += [f"def g{i}(n):", f"    return g{(i + 1) % size}(n)", ""]
    parts += ["def entry():", "    with lock:", "        a(3)", "        f0(1)", "        g0(1)"]
    source = "\n".join(parts) + "\n"

    reports = ts102_reports(source, "cycles")

    first = line_of(source, "        a(3)")
    ring = line_of(source, "        f0(1)")
    assert [line for line, _ in reports] == [first, ring]
    assert "via a() -> b();" in reports[0][1]
    ring_path = " -> ".join(f"f{i}()" for i in range(size // 2 + 1))
    assert f"via {ring_path};" in reports[1][1]


def test_class_with_hundreds_of_methods() -> None:
    size = 500
    parts = ["import threading", "", "class Big:", "    def __init__(self):"]
    parts += ["        self._lock = threading.Lock()", "        self._other = threading.Lock()", ""]
    for i in range(size):
        parts.append(f"    def m{i}(self, n):")
        if i == size - 1:
            parts += ["        with self._lock:", "            return n"]
        else:
            # Every method calls the next one and a few others, backwards too (cycles).
            parts += [
                f"        self.m{(i * 7) % size}(n)",
                f"        self.m{(i * 13 + 5) % size}(n)",
                f"        return self.m{i + 1}(n)",
            ]
        parts.append("")
    parts += ["    def entry(self):", "        with self._lock:", "            return self.m0(1)"]
    parts += ["", "    def other(self):", "        with self._other:"]
    parts += ["            return self.m0(1)"]
    parts += ["", "    def after(self):", "        with self._lock:", "            pass"]
    parts += ["        return self.m0(1)"]
    source = "\n".join(parts) + "\n"

    reports = ts102_reports(source, "big_class")

    assert [line for line, _ in reports] == [line_of(source, "            return self.m0(1)")]
    message = reports[0][1]
    expected = "TS102 'self._lock' is held here and acquired again via self.m0() -> "
    assert message.startswith(expected)
    assert "self.m499();" in message


def test_every_method_holding_the_lock_and_calling_the_next() -> None:
    size = 500
    parts = ["import threading", "", "class Chain:", "    def __init__(self):"]
    parts += ["        self._lock = threading.Lock()", ""]
    for i in range(size):
        parts += [f"    def m{i}(self):", "        with self._lock:"]
        parts += [f"            self.m{(i + 1) % size}()", ""]
    source = "\n".join(parts)

    reports = ts102_reports(source, "chain")

    assert len(reports) == size
    assert all("acquired again via self.m" in message for _, message in reports)
