"""The flake8 adapter: options, a cheap pre-check, one parse, the rules, reports.

flake8 builds one ``Plugin`` per file, possibly in a worker process, so nothing here
keeps state between files except the parsed options (class attributes set once by
``parse_options`` in every process, including spawned workers).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

from flake8.style_guide import Decision, DecisionEngine

from flake8_threadsafe._version import __version__
from flake8_threadsafe.config import Config
from flake8_threadsafe.registry import CODES, codes_triggered

LOG = logging.getLogger("flake8.threadsafe")


def _selected_codes(options: Any) -> frozenset[str] | None:
    """Our codes that flake8's ``--select``/``--ignore`` let through (None: cannot tell)."""
    try:
        engine = DecisionEngine(options)
        return frozenset(code for code in CODES if engine.decision_for(code) is Decision.Selected)
    except Exception:  # noqa: BLE001 - an options object we do not understand: run every rule
        return None


class Plugin:
    """flake8 entry point ``TS``: reports TS1xx-TS4xx threading bugs."""

    name = "flake8-threadsafe"
    version = __version__

    config: Config = Config()
    # The codes flake8 will show (``--select``/``--ignore``); rules of other codes do not
    # run at all. None: every rule runs.
    selected: frozenset[str] | None = None

    def __init__(self, tree: Any, lines: Sequence[str], filename: str = "") -> None:
        # flake8's ``ast`` tells which functions can matter before libcst parses anything.
        self.tree = tree
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
        cls.selected = _selected_codes(options)

    def codes_to_run(self, source: str) -> frozenset[str]:
        """The codes whose rule may report on ``source``, by the textual triggers of
        ``registry.py``: empty means the file is not even parsed."""
        selected = self.selected
        return codes_triggered(source, CODES if selected is None else selected & CODES)

    def run(self) -> Iterator[tuple[int, int, str, type[Plugin]]]:
        source = "".join(self.lines)
        codes = self.codes_to_run(source)
        if not codes:
            return
        try:
            from flake8_threadsafe import engine

            reports = engine.check(source, self.lines, self.tree, self.config, codes)
        except Exception as exc:  # noqa: BLE001 - RecursionError included: never break the user's run
            LOG.info(
                "flake8-threadsafe: skipped %s (%s: %s)",
                self.filename,
                type(exc).__name__,
                exc,
            )
            return
        for line, col, message in reports:
            yield line, col, message, type(self)
