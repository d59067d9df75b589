"""Canonical names for what a file imports.

Every import form maps a local name to the dotted name of what it stands for, so that
``th.Lock``, ``Lock`` (``from threading import Lock``), ``L`` (``... import Lock as L``)
all read as ``threading.Lock``. Imports anywhere in the file count: a function-local
``import threading`` is as common in threading code as a module-level one.
"""

from __future__ import annotations

import libcst as cst

from flake8_threadsafe.facts.syntax import dotted_parts
from flake8_threadsafe.kinds import (
    EXECUTOR_ANNOTATIONS,
    LOCK_FACTORIES,
    MODULE_ALIASES,
    PROCESS_EXECUTORS,
    PROCESS_STARTERS,
    THREAD_CLASSES,
    THREAD_EXECUTORS,
    THREAD_LOCAL_FACTORIES,
    THREAD_STARTERS,
)


def _star_exports() -> dict[str, frozenset[str]]:
    """The names ``from M import *`` brings in that the tables of ``kinds.py`` know, by
    module ``M``: the public names of the factories, thread classes and thread starters."""
    exports: dict[str, set[str]] = {}
    for table in (
        LOCK_FACTORIES, THREAD_CLASSES, THREAD_LOCAL_FACTORIES, THREAD_STARTERS, THREAD_EXECUTORS,
        PROCESS_EXECUTORS, EXECUTOR_ANNOTATIONS, PROCESS_STARTERS,
    ):
        for canonical in table:
            module, _, name = canonical.rpartition(".")
            if not name.startswith("_"):
                exports.setdefault(module, set()).add(name)
    return {module: frozenset(names) for module, names in exports.items()}


_STAR_EXPORTS = _star_exports()
# The modules the tables know, and the packages above them: a name bound to one of
# these keeps that meaning when a fallback import binds it again.
_API_MODULES = frozenset(
    ".".join(module.split(".")[:n]) for module in _STAR_EXPORTS for n in range(1, module.count(".") + 2)
)


def _unaliased(full: str) -> str:
    """``concurrent.futures.X`` for ``futures.X``: a stand-in module read as the real one."""
    for alias, module in MODULE_ALIASES.items():
        if full == alias or full.startswith(alias + "."):
            return module + full[len(alias):]
    return full


def _in_api(full: str) -> bool:
    return full in _API_MODULES or full.rpartition(".")[0] in _API_MODULES


def _module_name(node: cst.BaseExpression | None) -> str:
    if node is None:
        return ""
    parts = dotted_parts(node)
    return ".".join(parts) if parts else ""


class ImportTable:
    """Local name -> canonical dotted name, for every import in one file."""

    __slots__ = ("names", "star_modules")

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.star_modules: list[str] = []

    def add_import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = _module_name(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._bind(alias.asname.name.value, full)
            else:
                # ``import concurrent.futures`` binds ``concurrent``.
                head = full.split(".", 1)[0]
                self._bind(head, head)

    def add_import_from(self, node: cst.ImportFrom) -> None:
        module = "." * len(node.relative) + _module_name(node.module)
        if isinstance(node.names, cst.ImportStar):
            self.star_modules.append(_unaliased(module))
            return
        for alias in node.names:
            name = _module_name(alias.name)
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self._bind(local, f"{module}.{name}" if module and not module.endswith(".") else module + name)

    def _bind(self, local: str, full: str) -> None:
        """``local`` stands for ``full``; a fallback import (``except ImportError: import
        futures``) does not take a threading name from the import it stands in for."""
        full = _unaliased(full)
        known = self.names.get(local)
        if known is None or known == full or not _in_api(known) or _in_api(full):
            self.names[local] = full

    def canonical(self, expr: cst.BaseExpression) -> str | None:
        """The dotted name ``expr`` refers to through imports, or None if it is not imported."""
        parts = dotted_parts(expr)
        if parts is None:
            return None
        head = self.names.get(parts[0])
        if head is None:
            head = self._from_star(parts[0])
            if head is None:
                return None
        parts[0] = head
        return ".".join(parts)

    def _from_star(self, name: str) -> str | None:
        for module in self.star_modules:
            if name in _STAR_EXPORTS.get(module, ()):
                return f"{module}.{name}"
        return None
