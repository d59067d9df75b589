"""Rule cases through the real flake8.

Every file under ``tests/cases/`` is realistic code; a line that must be reported ends
with ``# expect: TS101`` (several codes: ``# expect: TS101, TS102``). Every other line must
stay silent. A code may be followed by a fragment of its message, ``# expect: TS201
'counter'``: the report of that code on that line must contain that text (the rest of the
comment up to a comma that starts the next code, ``# expect: TS201 'a', TS102 'lock'``).
A file may ask for options in a comment on its first lines:
``# flake8-options: --threadsafe-strict``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from flake8_threadsafe.registry import CODES

CASES = Path(__file__).parent / "cases"
EXPECT = re.compile(r"#\s*expect:\s*(?P<items>TS\d{3}\b.*?)\s*$")
# One expected report: its code, then anything up to a comma that starts the next code.
EXPECTED_ITEM = re.compile(r"(?P<code>TS\d{3})\b(?P<fragment>.*?)\s*(?:,\s*(?=TS\d{3}\b)|$)")
OPTIONS = re.compile(r"#\s*flake8-options:\s*(.+)$", re.MULTILINE)
REPORT = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>TS\d{3}) (?P<message>.*)$")


@dataclass(frozen=True)
class Expected:
    line: int
    code: str
    fragment: str  # text the report's message must contain; "" asks nothing of the message


def case_files() -> list[Path]:
    return sorted(CASES.rglob("*.py"))


def options_of(path: Path) -> tuple[str, ...]:
    head = "".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:5])
    match = OPTIONS.search(head)
    return tuple(match.group(1).split()) if match else ()


def parse_expect(items: str) -> list[tuple[str, str]]:
    """``(code, fragment)`` of each report an ``# expect:`` comment asks for."""
    # Each match ends where the next code starts, so together they cover ``items``.
    return [(match["code"], match["fragment"].strip()) for match in EXPECTED_ITEM.finditer(items)]


def expected_reports(path: Path) -> list[Expected]:
    expected = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            expected.extend(Expected(number, code, fragment) for code, fragment in parse_expect(match["items"]))
    return expected


@lru_cache(maxsize=None)
def flake8_reports(options: tuple[str, ...]) -> dict[str, dict[tuple[int, str], list[str]]]:
    """Run the real flake8 once over every case file that uses ``options``: for each file,
    the messages reported at each (line, code)."""
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
    reports: dict[str, dict[tuple[int, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in result.stdout.splitlines():
        match = REPORT.match(line)
        assert match, f"unexpected flake8 output: {line}"
        reports[str(Path(match["path"]).resolve())][int(match["line"]), match["code"]].append(match["message"])
    return reports


@pytest.mark.parametrize("path", case_files(), ids=lambda p: str(p.relative_to(CASES)))
def test_case(path: Path) -> None:
    messages = flake8_reports(options_of(path)).get(str(path.resolve()), {})
    reported = set(messages)
    expected = expected_reports(path)
    missing = sorted({(item.line, item.code) for item in expected} - reported)
    unexpected = sorted(reported - {(item.line, item.code) for item in expected})
    wrong_messages = [
        f"line {item.line}: {item.code} must contain {item.fragment!r}; reported: {messages[item.line, item.code]}"
        for item in expected
        if item.fragment
        and (item.line, item.code) in reported
        and not any(item.fragment in message for message in messages[item.line, item.code])
    ]
    assert not missing and not unexpected and not wrong_messages, (
        f"\nmissing reports (line, code): {missing}\nunexpected reports (line, code): {unexpected}"
        "\nreports without their expected text:\n" + "\n".join(wrong_messages)
    )


def test_every_rule_has_cases() -> None:
    codes = {item.code for path in case_files() for item in expected_reports(path)}
    assert CODES <= codes


@pytest.mark.parametrize(
    ("comment", "parsed"),
    [
        ("TS101", [("TS101", "")]),
        ("TS101, TS102", [("TS101", ""), ("TS102", "")]),
        ("TS101,TS102", [("TS101", ""), ("TS102", "")]),
        ("TS201 'counter'", [("TS201", "'counter'")]),
        ("TS201 'a, b' is changed", [("TS201", "'a, b' is changed")]),
        ("TS201 'total', TS102 'self._lock'", [("TS201", "'total'"), ("TS102", "'self._lock'")]),
        ("TS101, TS102 via helper()", [("TS101", ""), ("TS102", "via helper()")]),
    ],
)
def test_expect_comments(comment: str, parsed: list[tuple[str, str]]) -> None:
    assert parse_expect(EXPECT.search(f"x = 1  # expect: {comment}")["items"]) == parsed
