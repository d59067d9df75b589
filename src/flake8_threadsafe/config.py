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
    # The codes flake8 will show (``--select``/``--ignore``); rules of other codes do not
    # run at all. None: every rule runs.
    enabled_codes: frozenset[str] | None = None

    def enabled(self, code: str) -> bool:
        return self.enabled_codes is None or code in self.enabled_codes

    @property
    def extra_lock_names(self) -> frozenset[str]:
        """The last component of every extra lock name, for the focus step."""
        return frozenset(name.rsplit(".", 1)[-1] for name in self.extra_locks)
