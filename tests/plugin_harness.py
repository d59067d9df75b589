"""Helpers shared by the tests that run the plugin in-process the way flake8 does."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import libcst
from flake8.processor import FileProcessor


# The options FileProcessor reads; none of them changes how a file is read.
_READING_OPTIONS = argparse.Namespace(
    hang_closing=False, indent_size=4, max_line_length=79, max_doc_length=None, verbose=0,
    stdin_display_name="stdin", disable_noqa=False,
)


def read_lines(path: Path) -> list[str]:
    """The lines of ``path`` as flake8 gives them to plugins: read by flake8's own
    ``FileProcessor`` (encoding cookie or latin-1 fallback, BOM stripped)."""
    return FileProcessor(str(path), _READING_OPTIONS).lines


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


@contextmanager
def rules_run() -> Iterator[list[str]]:
    """The codes of the rules that run while inside, in order, one entry per rule per file.

    Wraps ``rules.rule`` (what ``rules.analyze`` asks for each code's module), not
    ``rules.analyze`` itself: the engine binds ``analyze`` by name when it is imported,
    so replacing the package's attribute would not be seen by it."""
    from unittest import mock

    import flake8_threadsafe.rules as rules

    seen: list[str] = []
    real = rules.rule

    def spy(code: str) -> object:
        seen.append(code)
        return real(code)

    with mock.patch.object(rules, "rule", spy):
        yield seen
