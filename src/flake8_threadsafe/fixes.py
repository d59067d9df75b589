"""Fixes: the rewrites a rule offers with a finding, as libcst node replacements.

libcst keeps every byte it does not rewrite (comments, spacing, quotes), so a fix that
replaces a few nodes changes nothing else. A fix is *safe* when the program behaves as
the code meant it to (``ex.map(f, xs)`` becomes a loop that raises the workers'
exceptions), *unsafe* when it may change behaviour other code relies on (``t.run()``
becomes ``t.start()``: the caller no longer waits).

Rules build their fixes with the helpers here; ``apply`` rewrites a module with a set of
fixes that do not overlap. A fix is never offered where it could drop a comment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import libcst as cst

from flake8_threadsafe.facts.syntax import expression_text

_LEAVES = (cst.Return, cst.Break, cst.Continue, cst.Yield)
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


@dataclass(frozen=True, eq=False)
class Fix:
    """Replace ``old`` (a node of the checked module) by ``new``."""

    safe: bool
    title: str  # what the fix does, for messages: "iterate over ex.map(...)"
    old: cst.CSTNode
    new: cst.CSTNode


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        return self.replacements.get(id(original_node), updated_node)


def _subtree(node: cst.CSTNode) -> set[int]:
    found, stack = set(), [node]
    while stack:
        current = stack.pop()
        found.add(id(current))
        stack.extend(current.children)
    return found


def apply(module: cst.Module, fixes: Iterable[Fix]) -> tuple[cst.Module, list[Fix]]:
    """``module`` with the fixes applied that touch no node another applied fix touches
    (the others wait for the next pass), and those fixes."""
    taken: set[int] = set()
    chosen: list[Fix] = []
    for fix in fixes:
        nodes = _subtree(fix.old)
        if nodes & taken or any(id(other.old) in nodes for other in chosen):
            continue
        taken |= nodes
        chosen.append(fix)
    if not chosen:
        return module, []
    return module.visit(_Replace({id(fix.old): fix.new for fix in chosen})), chosen


def _leaves(nodes: Iterable[cst.CSTNode]) -> bool:
    """Something in ``nodes`` leaves the block early (``return``/``break``/``continue``) or
    suspends it (``yield``), outside nested functions and classes."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, _LEAVES):
            return True
        if not isinstance(node, _SCOPES):
            stack.extend(node.children)
    return False


def _lone_call(statement: cst.CSTNode) -> cst.Call | None:
    """The call of a line that is only that call (``ex.map(f, xs)``)."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return small.value
    return None


# -- the rewrites ------------------------------------------------------------------------


def consume(statement: cst.CSTNode, call: cst.Call, title: str) -> Fix | None:
    """``ex.map(f, xs)`` alone on its line becomes ``for _ in ex.map(f, xs): pass``."""
    if _lone_call(statement) is not call or not isinstance(statement, cst.SimpleStatementLine):
        return None
    loop = cst.For(
        target=cst.Name("_"),
        iter=call,
        body=cst.IndentedBlock(body=[cst.SimpleStatementLine([cst.Pass()])], header=statement.trailing_whitespace),
        leading_lines=statement.leading_lines,
    )
    return Fix(True, title, statement, loop)


def one_tuple(value: cst.BaseExpression, title: str) -> Fix:
    """``("world")`` (or ``"world"``) becomes ``("world",)``."""
    lpar = value.lpar if value.lpar else [cst.LeftParen()]
    rpar = value.rpar if value.rpar else [cst.RightParen()]
    inner = value.with_changes(lpar=[], rpar=[])
    return Fix(True, title, value, cst.Tuple([cst.Element(inner, comma=cst.Comma())], lpar=lpar, rpar=rpar))


def uncall(call: cst.Call, title: str) -> Fix | None:
    """``f()`` (no arguments) becomes ``f``."""
    if call.args:
        return None
    return Fix(True, title, call, call.func.with_changes(lpar=call.lpar, rpar=call.rpar))


def rename_method(attribute: cst.Attribute, name: str, title: str) -> Fix:
    """``t.run`` becomes ``t.start`` (unsafe: the caller no longer runs the target itself)."""
    return Fix(False, title, attribute, attribute.with_changes(attr=cst.Name(name)))


def rename_call(call: cst.Call, name: str, title: str, *, safe: bool) -> Fix:
    """``threading.Lock()`` becomes ``threading.RLock()``: the callee's last name changed."""
    callee = call.func
    new = callee.with_changes(attr=cst.Name(name)) if isinstance(callee, cst.Attribute) else cst.Name(name)
    return Fix(safe, title, call, call.with_changes(func=new))


def with_block(
    owner: cst.CSTNode, block: Sequence[cst.CSTNode], start: int, lock: cst.BaseExpression, text: str, title: str
) -> Fix | None:
    """``L.acquire()`` at ``block[start]`` ... ``L.release()`` later in the same block
    becomes ``with L:`` around the statements between (the release line's comments
    kept at the end of the new block). Not when something between leaves or suspends
    the block, or takes or releases the lock, or the release is not a line of its own."""
    acquire = block[start]
    if not isinstance(acquire, cst.SimpleStatementLine) or _lone_call(acquire) is None:
        return None
    end = next((i for i in range(start + 1, len(block)) if _releases(block[i], text)), None)
    if end is None or end == start + 1:
        return None
    release = block[end]
    assert isinstance(release, cst.SimpleStatementLine)
    between = list(block[start + 1 : end])
    if _leaves(between) or any(_mentions_release(statement, text) for statement in between):
        return None
    # The release line goes; its comments stay, as the last lines of the new block.
    footer = [line for line in release.leading_lines if line.comment is not None]
    if release.trailing_whitespace.comment is not None:
        footer.append(cst.EmptyLine(indent=True, comment=release.trailing_whitespace.comment))
    statement = cst.With(
        items=[cst.WithItem(lock)],
        body=cst.IndentedBlock(body=between, header=acquire.trailing_whitespace, footer=footer),
        leading_lines=acquire.leading_lines,
    )
    body = [*block[:start], statement, *block[end + 1 :]]
    if isinstance(owner, cst.Module):
        new: cst.CSTNode = owner.with_changes(body=body)
    elif isinstance(owner, cst.IndentedBlock):
        new = owner.with_changes(body=body)
    else:
        return None
    return Fix(True, title, owner, new)


def _release_call(statement: cst.CSTNode) -> cst.Call | None:
    call = _lone_call(statement)
    if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "release":
        return call if not call.args else None
    return None


def _releases(statement: cst.CSTNode, text: str) -> bool:
    call = _release_call(statement)
    return call is not None and isinstance(call.func, cst.Attribute) and expression_text(call.func.value) == text


def _mentions_release(node: cst.CSTNode, text: str) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if (
            isinstance(current, cst.Call)
            and isinstance(current.func, cst.Attribute)
            and current.func.attr.value in ("release", "acquire")
            and expression_text(current.func.value) == text
        ):
            return True
        stack.extend(current.children)
    return False


def pass_arguments(start: cst.Call, target: cst.Arg, title: str) -> Fix | None:
    """``Thread(target=f(a, b))`` becomes ``Thread(target=f, args=(a, b))`` (unsafe: the
    arguments are now evaluated before the thread starts, ``f`` in it). Not when the call
    has keywords or ``*``, or the start already passes ``args``/``kwargs``."""
    called = target.value
    if not isinstance(called, cst.Call) or not called.args:
        return None
    if any(arg.keyword is not None or arg.star for arg in called.args):
        return None
    if any(arg.keyword is not None and arg.keyword.value in ("args", "kwargs") for arg in start.args):
        return None
    values = [arg.value for arg in called.args]
    space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    elements = [cst.Element(value, comma=space) for value in values[:-1]]
    elements.append(cst.Element(values[-1], comma=cst.Comma() if len(values) == 1 else cst.MaybeSentinel.DEFAULT))
    passed = cst.Arg(
        cst.Tuple(elements),
        keyword=cst.Name("args"),
        equal=target.equal,
        comma=target.comma,
    )
    args: list[cst.Arg] = []
    for arg in start.args:
        if arg is target:
            args.append(arg.with_changes(value=called.func, comma=space))
            args.append(passed)
        else:
            args.append(arg)
    return Fix(False, title, start, start.with_changes(args=args))
