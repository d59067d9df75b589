"""Dropping the functions no rule can report on changes no report, only the cost."""

from __future__ import annotations

import ast
import sysconfig
import textwrap
from pathlib import Path

import pytest

from flake8_threadsafe import engine
from flake8_threadsafe.config import Config
from flake8_threadsafe.focus import focused_source

ROOT = Path(__file__).resolve().parents[1]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
THREADING_MODULES = [
    "threading.py", "queue.py", "concurrent/futures/thread.py", "concurrent/futures/process.py",
    "concurrent/futures/_base.py", "multiprocessing/pool.py", "logging/__init__.py",
    "logging/handlers.py", "socketserver.py", "telnetlib.py", "sched.py",
]


def reports(lines: list[str], focused: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, str]]:
    with monkeypatch.context() as patch:
        if not focused:
            patch.setattr(engine, "focused_source", lambda lines, tree, extra=frozenset(): "".join(lines))
        return engine.check(lines, ast.parse("".join(lines)), Config())


@pytest.mark.parametrize(
    "path",
    [
        *sorted((ROOT / "tests" / "cases").rglob("*.py")),
        *sorted((ROOT / "examples").rglob("*.py")),
        *[STDLIB / name for name in THREADING_MODULES if (STDLIB / name).exists()],
    ],
    ids=lambda p: p.name if p.is_relative_to(STDLIB) else str(p.relative_to(ROOT)),
)
def test_focus_changes_no_report(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert reports(lines, True, monkeypatch) == reports(lines, False, monkeypatch)


SOURCE = textwrap.dedent(
    """\
    import threading

    LOCK = threading.Lock()


    def unrelated(x):
        return x * 2


    @decorated
    def uses_lock():
        with LOCK:
            helper()


    def helper():
        return 1


    class Plain:
        size = 3

        def area(self):
            return self.size ** 2

        def start(self):
            threading.Thread(target=print).start()


    class Worker(threading.Thread):
        def run(self):
            self.count = 1
    """
)


def test_dropped_functions_keep_every_line_in_place() -> None:
    lines = SOURCE.splitlines(keepends=True)
    focused = focused_source(lines, ast.parse(SOURCE)).splitlines(keepends=True)
    assert len(focused) == len(lines)
    dropped = [number for number, (old, new) in enumerate(zip(lines, focused), start=1) if old != new]
    # ``unrelated`` and ``Plain.area`` go; ``helper`` is named by kept code; ``Worker`` is whole.
    assert dropped == [6, 7, 23, 24]
    assert focused[5] == "pass\n" and focused[22] == "    pass\n"
    ast.parse("".join(focused))


def test_crlf_and_no_tree() -> None:
    source = "import threading\r\n\r\ndef f():\r\n    return 1\r\n"
    lines = source.splitlines(keepends=True)
    assert focused_source(lines, ast.parse(source)) == "import threading\r\n\r\npass\r\n\r\n"
    assert focused_source(lines, None) == source
