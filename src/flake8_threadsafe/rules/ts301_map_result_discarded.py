"""TS301: not implemented yet (being written)."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_threadsafe.rules.base import Finding, Rule


class MapResultDiscarded(Rule):
    code = "TS301"

    def finish(self) -> Iterator[Finding]:
        return iter(())
