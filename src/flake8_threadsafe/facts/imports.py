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
                self.names[alias.asname.name.value] = full
            else:
                # ``import concurrent.futures`` binds ``concurrent``.
                head = full.split(".", 1)[0]
                self.names[head] = head

    def add_import_from(self, node: cst.ImportFrom) -> None:
        module = "." * len(node.relative) + _module_name(node.module)
        if isinstance(node.names, cst.ImportStar):
            self.star_modules.append(module)
            return
        for alias in node.names:
            name = _module_name(alias.name)
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.names[local] = f"{module}.{name}" if module and not module.endswith(".") else module + name

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
