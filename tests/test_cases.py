"""Rule cases through the real flake8.

Every file under ``tests/cases/`` is realistic code; a line that must be reported ends
with ``# expect: TS101`` (several codes: ``# expect: TS101, TS102``). Every other line must
stay silent. A file may ask for options in a comment on its first lines:
``# flake8-options: --threadsafe-strict``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"
EXPECT = re.compile(r"#\s*expect:\s*(TS\d{3}(?:\s*,\s*TS\d{3})*)")
OPTIONS = re.compile(r"#\s*flake8-options:\s*(.+)$", re.MULTILINE)
REPORT = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>TS\d{3}) ")


def case_files() -> list[Path]:
    return sorted(CASES.rglob("*.py"))


def options_of(path: Path) -> tuple[str, ...]:
    head = "".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:5])
    match = OPTIONS.search(head)
    return tuple(match.group(1).split()) if match else ()


def expected_reports(path: Path) -> set[tuple[int, str]]:
    expected = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            expected.update((number, code.strip()) for code in match.group(1).split(","))
    return expected


@lru_cache(maxsize=None)
def flake8_reports(options: tuple[str, ...]) -> dict[str, set[tuple[int, str]]]:
    """Run the real flake8 once over every case file that uses ``options``."""
    files = [str(path) for path in case_files() if options_of(path) == options]
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "-v", "--select=TS", *options, *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    # The plugin turns its own failures into silence; a case file must never be silent for that reason.
    gave_up = [line for line in result.stderr.splitlines() if "flake8-threadsafe: skipped" in line]
    assert not gave_up, gave_up
    reports: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for line in result.stdout.splitlines():
        match = REPORT.match(line)
        assert match, f"unexpected flake8 output: {line}"
        reports[str(Path(match["path"]).resolve())].add((int(match["line"]), match["code"]))
    return reports


@pytest.mark.parametrize("path", case_files(), ids=lambda p: str(p.relative_to(CASES)))
def test_case(path: Path) -> None:
    reported = flake8_reports(options_of(path)).get(str(path.resolve()), set())
    expected = expected_reports(path)
    missing = sorted(expected - reported)
    unexpected = sorted(reported - expected)
    assert not missing and not unexpected, (
        f"\nmissing reports (line, code): {missing}\nunexpected reports (line, code): {unexpected}"
    )


def test_every_rule_has_cases() -> None:
    codes = {code for path in case_files() for _, code in expected_reports(path)}
    assert {"TS101", "TS102", "TS201", "TS301", "TS302"} <= codes
