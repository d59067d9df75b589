"""The textual triggers of ``codes.py``: a rule whose trigger fails on a file does not
run, so a trigger must hold wherever its rule reports."""

from __future__ import annotations

import ast
import sysconfig
from dataclasses import replace
from pathlib import Path

import pytest

from flake8_threadsafe import engine
from flake8_threadsafe.codes import CODES, TRIGGERS, triggered
from flake8_threadsafe.config import Config
from flake8_threadsafe.vocabulary import THREADING_MODULES, contains_word, imports_any

ROOT = Path(__file__).resolve().parents[1]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
# Standard-library files on which the rules report, or nearly do.
STDLIB_FILES = ["test/lock_tests.py", "test/test_threading.py", "telnetlib.py", "threading.py", "test/test_asyncio/test_locks.py"]


def test_every_code_has_a_trigger() -> None:
    assert set(TRIGGERS) == CODES


@pytest.mark.parametrize(
    "path",
    [
        *sorted((ROOT / "tests" / "cases").rglob("*.py")),
        *sorted((ROOT / "examples").rglob("*.py")),
        *[STDLIB / name for name in STDLIB_FILES if (STDLIB / name).exists()],
    ],
    ids=lambda p: p.name if p.is_relative_to(STDLIB) else str(p.relative_to(ROOT)),
)
def test_a_rule_reports_only_where_its_trigger_holds(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    for strict in (False, True):
        every_rule = replace(Config(), strict=strict)
        reported = {message[:5] for _, _, message in engine.check(lines, ast.parse(source), every_rule)}
        assert reported <= triggered(source, CODES)


@pytest.mark.parametrize(
    ("source", "codes"),
    [
        ("import threading\n\nlock = threading.RLock()\n\ndef f():\n    with lock:\n        pass\n", set()),
        ("import threading\n\nlock = threading.Lock()\n", {"TS102"}),
        ("import _thread\n\nlock = _thread.allocate()\n", {"TS102"}),
        ("def f(state_lock):\n    state_lock.acquire()\n", {"TS101"}),
        ("import asyncio\n\nasync def f():\n    await asyncio.to_thread(print)\n", {"TS201"}),
        ("import threading\n\nthreading.Thread(target=print).start()\n", {"TS201"}),
        ("from concurrent.futures import ThreadPoolExecutor as Pool\n\nPool().map(print, [])\n", {"TS201", "TS301"}),
        ("from concurrent import futures\n\nfutures.ThreadPoolExecutor().submit(print)\n", {"TS201", "TS302"}),
        ("# Lock, Thread, Executor.submit(), but no threading import\nx = 1\n", set()),
        ("import threading\n\nprint(threading.current_thread().name, [].map)\n", set()),
    ],
)
def test_triggers(source: str, codes: set[str]) -> None:
    assert triggered(source, CODES) == codes


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Lock", True),
        ("x = Lock()", True),
        ("x = RLock()", False),
        ("LockType", False),
        ("a.acquire", True),
        ("a.acquire_all()", False),
        ("# mentions Lock\n", True),
    ],
)
def test_contains_word_needs_word_boundaries(text: str, found: bool) -> None:
    assert contains_word(text, ("Lock", ".acquire")) is found


def test_executor_is_a_suffix() -> None:
    assert contains_word("ThreadPoolExecutor()", ("Executor",), suffix=True)
    assert not contains_word("Executors", ("Executor",), suffix=True)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("import threading\n", True),
        ("x = 1\n  from concurrent.futures import wait\n", True),
        ("import os, _thread as t\n", True),
        ("x = threading\n", False),
        ("import _threading_local\n", False),
        ("# import threading\n", False),
    ],
)
def test_imports_any(text: str, found: bool) -> None:
    assert imports_any(text, THREADING_MODULES) is found
