"""The flake8 adapter: options, a cheap pre-check, one parse, the rules, reports.

flake8 builds one ``Plugin`` per file, possibly in a worker process, so nothing here
keeps state between files except the parsed options (class attributes set once by
``parse_options`` in every process, including spawned workers).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from typing import Any

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.positions import locate
from flake8_threadsafe.rules import analyze

LOG = logging.getLogger("flake8.threadsafe")

# A file that mentions none of these words cannot create a thread, a lock or an
# executor, nor call acquire(): it is skipped before parsing, which is most of a
# typical codebase.
_TRIGGER_WORDS = (
    "threading",
    "_thread",
    "multiprocessing",
    "concurrent",
    "Executor",
    "acquire",
    "Lock",
    "Thread",
)


def _trigger_pattern(extra_names: frozenset[str]) -> re.Pattern[str]:
    words = sorted(set(_TRIGGER_WORDS) | extra_names)
    return re.compile("|".join(re.escape(word) for word in words))


class Plugin:
    """flake8 entry point ``TS``: reports TS1xx-TS4xx threading bugs."""

    name = "flake8-threadsafe"
    version = "0.1.0"

    config: Config = Config()
    _trigger = _trigger_pattern(frozenset())

    def __init__(self, tree: Any, lines: Sequence[str], filename: str = "") -> None:
        # ``tree`` (flake8's ast) is unused, but flake8 only runs tree plugins that ask for it.
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option(
            "--threadsafe-extra-locks",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            help=(
                "Comma-separated dotted names of your own lock classes or factories "
                "(e.g. myapp.sync.NamedLock); objects they create count as locks."
            ),
        )
        manager.add_option(
            "--threadsafe-strict",
            default=False,
            action="store_true",
            parse_from_config=True,
            help=(
                "TS201: also report plain stores and single container mutations of "
                "state shared with a thread, not only read-modify-write updates."
            ),
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        extra = getattr(options, "threadsafe_extra_locks", None) or []
        if isinstance(extra, str):
            extra = extra.split(",")
        cls.config = Config(
            extra_locks=frozenset(name.strip() for name in extra if name.strip()),
            strict=bool(getattr(options, "threadsafe_strict", False)),
        )
        cls._trigger = _trigger_pattern(cls.config.extra_lock_names)

    def run(self) -> Iterator[tuple[int, int, str, type[Plugin]]]:
        source = "".join(self.lines)
        if not self._trigger.search(source):
            return
        try:
            module = cst.parse_module(source)
            findings = analyze(module, self.config)
            if not findings:
                return
            positions = locate(module, [finding.node for finding in findings])
        except (Exception, RecursionError) as exc:  # noqa: BLE001 - never break the user's run
            LOG.info(
                "flake8-threadsafe: skipped %s (%s: %s)",
                self.filename,
                type(exc).__name__,
                exc,
            )
            return
        reports = []
        for finding in findings:
            position = positions.get(id(finding.node))
            if position is not None:
                reports.append((position[0], position[1], f"{finding.code} {finding.message}"))
        for line, col, message in sorted(set(reports)):
            yield line, col, message, type(self)
