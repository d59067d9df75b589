"""Line and column of reported nodes only.

libcst's ``PositionProvider`` computes a position for every node of the module, which
costs more than parsing it. We only need the few nodes we report, so we generate the
module's code once, watch for those nodes, and stop as soon as the last one is seen.
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst
from libcst._nodes.internal import CodegenState


class _AllFound(Exception):
    pass


class _LocatingState(CodegenState):
    """Code generation that records where the wanted nodes start (1-based line, 0-based column)."""

    def __init__(self, module: cst.Module, wanted: set[cst.CSTNode]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.wanted = wanted
        self.found: dict[cst.CSTNode, tuple[int, int]] = {}
        self.ends: dict[cst.CSTNode, tuple[int, int]] = {}
        self._counted = 0  # tokens already folded into line/column
        self._line = 1
        self._column = 0

    def _advance(self) -> tuple[int, int]:
        """The line and column where the next token will go."""
        tokens = self.tokens
        for token in tokens[self._counted :]:
            newlines = token.count("\n")
            if newlines:
                self._line += newlines
                self._column = len(token) - token.rindex("\n") - 1
            else:
                self._column += len(token)
        self._counted = len(tokens)
        return self._line, self._column

    def before_codegen(self, node: cst.CSTNode) -> None:
        if node in self.wanted and node not in self.found:
            self.found[node] = self._advance()

    def after_codegen(self, node: cst.CSTNode) -> None:
        if node in self.wanted and node not in self.ends:
            self.ends[node] = self._advance()
            if len(self.ends) == len(self.wanted):
                raise _AllFound


Span = tuple[int, int, int, int]  # start line, start column, end line, end column


def locate(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[cst.CSTNode, Span]:
    """Map each of ``nodes`` found in ``module`` to where it starts and ends (1-based
    lines, 0-based columns; the end is just after its last character)."""
    wanted = set(nodes)
    if not wanted:
        return {}
    state = _LocatingState(module, wanted)
    try:
        module._codegen(state)
    except _AllFound:
        pass
    return {node: (*start, *state.ends.get(node, start)) for node, start in state.found.items()}
