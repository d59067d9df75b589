"""Helpers shared by the tests that run the plugin in-process the way flake8 does."""

from __future__ import annotations

import logging
import tokenize
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import libcst


def read_lines(path: Path) -> list[str]:
    """As flake8's FileProcessor reads a file."""
    try:
        with tokenize.open(path) as fd:
            lines = fd.readlines()
    except (SyntaxError, UnicodeError):
        with open(path, encoding="latin-1") as fd:
            lines = fd.readlines()
    if lines:
        first = lines[0]
        if first.startswith("\ufeff"):
            lines[0] = first[1:]
        elif first.startswith("\xef\xbb\xbf"):
            lines[0] = first[3:]
    return lines


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def captured_log() -> Iterator[list[logging.LogRecord]]:
    """Records of the plugin's logger (usable inside hypothesis examples, unlike caplog)."""
    logger = logging.getLogger("flake8.threadsafe")
    handler = _Records()
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def libcst_parses(source: str) -> bool:
    try:
        libcst.parse_module(source)
    except Exception:  # noqa: BLE001 - any parser failure
        return False
    return True
