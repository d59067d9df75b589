"""The file's call graph: which function of this file each call runs, who calls each
function, and whether a call keeps running on the same instance."""

from __future__ import annotations

from functools import cached_property

import libcst as cst

from flake8_threadsafe.facts.model import CallSite, FunctionInfo, Recording
from flake8_threadsafe.facts.names import Names
from flake8_threadsafe.facts.syntax import called_name


class CallGraph:
    def __init__(self, recording: Recording, names: Names) -> None:
        self.names = names
        self._recording = recording
        self._callees: dict[FunctionInfo, list[tuple[CallSite, FunctionInfo]]] = {}

    def made_in(self, func: FunctionInfo | None) -> list[CallSite]:
        """The calls made directly in ``func`` (or at module level for None), in order."""
        return func.calls if func is not None else self._recording.module_calls

    def callees(self, func: FunctionInfo) -> list[tuple[CallSite, FunctionInfo]]:
        """The calls of ``func`` that reach a function of this file, resolved once per file."""
        found = self._callees.get(func)
        if found is None:
            found = []
            defined = self._defined
            for site in func.calls:
                name = called_name(site.node)
                if name is not None and name not in defined:
                    continue  # ``len(x)``, ``self._items.append(x)``: not a function of this file
                callee = self.names.call_target(site)
                if callee is not None:
                    found.append((site, callee))
            self._callees[func] = found
        return found

    @cached_property
    def _defined(self) -> frozenset[str]:
        return frozenset(func.name for func in self.names.functions)

    @cached_property
    def _callers(self) -> dict[FunctionInfo, list[CallSite]]:
        found: dict[FunctionInfo, list[CallSite]] = {}
        for site in self._recording.calls:
            callee = self.names.call_target(site)
            if callee is not None:
                found.setdefault(callee, []).append(site)
        return found

    def callers(self, func: FunctionInfo) -> list[CallSite]:
        """Every call of the file (module level included) that runs ``func``."""
        return self._callers.get(func, [])

    def passes_instance(self, site: CallSite) -> bool:
        """The call runs a method on the instance ``self`` denotes in the calling function:
        ``self.m()``, or ``Cls.m(self)``."""
        caller = site.func
        callee = site.node.func
        if caller is None or not isinstance(callee, cst.Attribute):
            return False
        receiver = callee.value
        if isinstance(receiver, cst.Name) and self.names.instance_param(caller, receiver.value):
            return True
        first = next((arg.value for arg in site.node.args if arg.keyword is None and not arg.star), None)
        return isinstance(first, cst.Name) and self.names.instance_param(caller, first.value)

    def same_instance(self, site: CallSite, callee: FunctionInfo) -> bool:
        """Whether ``callee`` runs with the instance ``self`` denotes at ``site``: a method
        called on it, or a closure of the same method."""
        if callee.cls is None:
            method = callee.method
            return method is not None and site.func is not None and method is site.func.method
        return self.passes_instance(site)
