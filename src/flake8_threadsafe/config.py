"""Settings that change what the analysis reports, parsed once per flake8 run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    # Dotted names of a project's own lock classes or factories
    # (``myapp.sync.NamedLock``); objects they build are locks of unknown kind.
    extra_locks: frozenset[str] = frozenset()
    # TS201 also reports plain stores and single container mutations of shared state.
    strict: bool = False

    @property
    def extra_lock_names(self) -> frozenset[str]:
        """The last component of every extra lock name, for the textual pre-check."""
        return frozenset(name.rsplit(".", 1)[-1] for name in self.extra_locks)
