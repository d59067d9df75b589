"""The user's options that change what the analysis reports, parsed once per flake8 run.

Which codes run on one file (the user's selection narrowed by the file's triggers) is
per-file state, passed beside the config, not kept in it.
"""

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
        """The last component of every extra lock name, for the focus step."""
        return frozenset(name.rsplit(".", 1)[-1] for name in self.extra_locks)
