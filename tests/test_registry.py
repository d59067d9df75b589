"""The registry of codes (``registry.py``): every code has all its parts, nothing exists
for a code that is not registered, and a rule reports only where its trigger holds."""

from __future__ import annotations

import ast
import importlib
import re
import sysconfig
from dataclasses import replace
from pathlib import Path

import pytest

from flake8_threadsafe import engine
from flake8_threadsafe.config import Config
from flake8_threadsafe.prefilter.vocabulary import THREADING_MODULES, contains_word, imports_any
from flake8_threadsafe.registry import CODES, REGISTRY, TRIGGERS, Code, codes_triggered
from test_cases import CASES, case_files, expected_reports

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "src" / "flake8_threadsafe" / "rules"
README = (ROOT / "README.md").read_text(encoding="utf-8")
STDLIB = Path(sysconfig.get_paths()["stdlib"])
# Standard-library files on which the rules report, or nearly do.
STDLIB_FILES = [
    "test/lock_tests.py",
    "test/test_threading.py",
    "telnetlib.py",
    "threading.py",
    "test/test_asyncio/test_locks.py",
]


def _readme_rule_rows() -> list[str]:
    """The rows of the README's "## Rules" table, one per code."""
    section = README.split("\n## Rules\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| TS")]


def test_codes_are_unique_and_well_formed() -> None:
    assert len(CODES) == len(REGISTRY)
    assert all(re.fullmatch(r"TS[1-4]\d{2}", entry.code) for entry in REGISTRY)


def test_every_code_has_a_trigger() -> None:
    assert set(TRIGGERS) == CODES


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda entry: entry.code)
def test_every_code_has_all_its_parts(entry: Code) -> None:
    code = entry.code
    # The rule module: rules/tsNNN_<what>.py, and it says which code it reports.
    assert entry.module.startswith(f"{code.lower()}_"), entry.module
    assert (RULES / f"{entry.module}.py").is_file(), f"no rules/{entry.module}.py"
    module = importlib.import_module(f"flake8_threadsafe.rules.{entry.module}")
    assert module.CODE == code
    assert (module.__doc__ or "").strip(), f"rules/{entry.module}.py has no docstring"
    # Its trigger, which must hold on its own bug example.
    assert entry.trigger, f"{code} has no trigger"
    bug = ROOT / "examples" / code / "bug.py"
    assert bug.is_file() and (ROOT / "examples" / code / "fix.py").is_file(), (
        f"examples/{code}/ needs bug.py and fix.py"
    )
    assert code in codes_triggered(bug.read_text(encoding="utf-8"), {code})
    # Its doc page, its cases, its README row.
    assert (ROOT / entry.doc).is_file(), f"no {entry.doc}"
    assert entry.doc == f"docs/rules/{code}.md"
    cases = sorted((CASES / code).glob("*.py"))
    assert any(code in {item.code for item in expected_reports(path)} for path in cases), (
        f"no file in tests/cases/{code}/ expects a {code} report"
    )
    # Its first four cells; a last cell gives the judged findings on the ecosystem corpus.
    row = f"| {code} | {entry.summary} | [{code}]({entry.doc}) | [examples/{code}](examples/{code}/) |"
    assert any(line.startswith(row) for line in _readme_rule_rows()), f"README.md's Rules table needs the row\n{row}"


def test_nothing_exists_for_an_unregistered_code() -> None:
    parts = {
        "docs/rules/*.md": {path.stem for path in (ROOT / "docs" / "rules").glob("*.md")},
        "examples/*/": {path.name for path in (ROOT / "examples").iterdir() if path.is_dir()},
        "tests/cases/*/": {path.name for path in CASES.iterdir() if path.is_dir()},
        "rules/ts*.py": {path.stem.split("_", 1)[0].upper() for path in RULES.glob("ts[0-9]*.py")},
        "README rows": {row.split("|")[1].strip() for row in _readme_rule_rows()},
    }
    for where, codes in parts.items():
        assert codes <= CODES, f"{where} for unregistered codes: {sorted(codes - CODES)}"
    assert {path.stem for path in RULES.glob("ts[0-9]*.py")} == {entry.module for entry in REGISTRY}
    assert len(_readme_rule_rows()) == len(REGISTRY)
    # A case file outside tests/cases/<CODE>/ would be run by no completeness check.
    assert all(path.parent.parent == CASES for path in case_files())


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
        reported = {message[:5] for _, _, message in engine.check(source, lines, ast.parse(source), every_rule, CODES)}
        assert reported <= codes_triggered(source, CODES)


@pytest.mark.parametrize(
    ("source", "codes"),
    [
        # A lock the file builds: a class may guard its fields with it (TS201).
        (
            "import threading\n\nlock = threading.RLock()\n\ndef f():\n    with lock:\n        pass\n",
            {"TS103", "TS104", "TS201"},
        ),
        ("import threading\n\nlock = threading.Lock()\n", {"TS102", "TS103", "TS104", "TS201"}),
        ("import threading\n\nevent = threading.Event()\n", set()),
        ("import _thread\n\nlock = _thread.allocate()\n", {"TS102", "TS103", "TS104", "TS201"}),
        ("import queue, threading\n\njobs = queue.Queue()\njobs.join()\n", {"TS202", "TS303"}),
        ("import threading\n\ncond = threading.Condition()\ncond.wait()\n", {"TS103", "TS104", "TS105", "TS201"}),
        ("def f(state_lock):\n    state_lock.acquire()\n", {"TS101"}),
        ("import asyncio\n\nasync def f():\n    await asyncio.to_thread(print)\n", {"TS201", "TS401", "TS402"}),
        ("import threading\n\nthreading.Thread(target=print).start()\n", {"TS201", "TS401", "TS402", "TS404"}),
        (
            "from concurrent.futures import ThreadPoolExecutor as Pool\n\nPool().map(print, [])\n",
            {"TS201", "TS301", "TS401", "TS402"},
        ),
        (
            "from concurrent import futures\n\nfutures.ThreadPoolExecutor().submit(print)\n",
            {"TS201", "TS302", "TS401", "TS402"},
        ),
        ("# Lock, Thread, Executor.submit(), but no threading import\nx = 1\n", set()),
        ("import threading\n\nprint(threading.current_thread().name, [].map)\n", set()),
        ("import threading\n\nthreading.current_thread().run()\n", {"TS403"}),
        ("import subprocess\n\nsubprocess.run(['true'])\n", set()),
    ],
)
def test_triggers(source: str, codes: set[str]) -> None:
    assert codes_triggered(source, CODES) == codes
    assert codes_triggered(source) == codes
    # Only the codes asked about.
    assert codes_triggered(source, {"TS101"}) == codes & {"TS101"}


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
