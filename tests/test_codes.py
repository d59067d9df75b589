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
