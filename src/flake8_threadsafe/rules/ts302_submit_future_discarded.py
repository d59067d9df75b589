"""TS302: not implemented yet (being written)."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_threadsafe.rules.base import Finding, Rule


class SubmitFutureDiscarded(Rule):
    code = "TS302"

    def finish(self) -> Iterator[Finding]:
        return iter(())
