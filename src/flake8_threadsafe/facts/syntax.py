"""Small questions about syntax, asked by several facts and rules: dotted names,
arguments of a call, blocks that always leave, parameter names."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst


def dotted_parts(expr: cst.BaseExpression) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; None for anything that is not a plain dotted name."""
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return None
    parts.append(expr.value)
    parts.reverse()
    return parts


def dotted_text(expr: cst.BaseExpression) -> str | None:
    """``self._lock`` for that expression; None when it is not a plain dotted name."""
    parts = dotted_parts(expr)
    return ".".join(parts) if parts else None


def expression_text(node: cst.CSTNode) -> str | None:
    """Source-like text of a simple expression (names, attributes, subscripts, literals,
    calls of those), to compare two places; None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = expression_text(node.value)
        return f"{base}.{node.attr.value}" if base is not None else None
    if isinstance(node, cst.Subscript):
        base = expression_text(node.value)
        index = subscript_index(node)
        index_text = expression_text(index) if index is not None else None
        return f"{base}[{index_text}]" if base is not None and index_text is not None else None
    if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString)):
        return node.value
    if isinstance(node, cst.Call):
        func = expression_text(node.func)
        args = [expression_text(arg.value) if arg.keyword is None and not arg.star else None for arg in node.args]
        if func is None or None in args:
            return None
        return f"{func}({', '.join(arg for arg in args if arg is not None)})"
    return None


def subscript_index(node: cst.Subscript) -> cst.BaseExpression | None:
    """``k`` in ``d[k]``; None for slices and several indices."""
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return node.slice[0].slice.value
    return None


def argument(call: cst.Call, position: int, keyword: str | None = None) -> cst.BaseExpression | None:
    """The argument passed as ``keyword=`` or as the ``position``-th positional one
    (``*args`` and ``**kwargs`` count as neither)."""
    positional = []
    for arg in call.args:
        if arg.keyword is not None:
            if arg.keyword.value == keyword:
                return arg.value
        elif not arg.star:
            positional.append(arg.value)
    return positional[position] if len(positional) > position else None


def called_name(call: cst.Call) -> str | None:
    """``f`` for ``f()`` and ``x.f()``; None when the callee is not named (a lambda...)."""
    callee = call.func
    if isinstance(callee, cst.Attribute):
        return callee.attr.value
    if isinstance(callee, cst.Name):
        return callee.value
    return None


def method_call(call: cst.Call) -> tuple[cst.BaseExpression, str] | None:
    """``(x, "m")`` for ``x.m(...)``."""
    callee = call.func
    return (callee.value, callee.attr.value) if isinstance(callee, cst.Attribute) else None


def lone_method_call(statement: cst.CSTNode) -> tuple[cst.BaseExpression, str] | None:
    """``(x, "m")`` when ``statement`` is ``x.m(...)`` alone on its line."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    call = small.value if isinstance(small, cst.Expr) else None
    return method_call(call) if isinstance(call, cst.Call) else None


def acquire_receiver(expr: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """``L`` for ``L.acquire(...)`` and ``await L.acquire(...)``."""
    if isinstance(expr, cst.Await):
        expr = expr.expression
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "acquire":
        return expr.func.value
    return None


def statements(suite: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    """The statements of a block; a one-line suite (``if x: a(); b()``) is one."""
    return suite.body if isinstance(suite, cst.IndentedBlock) else [suite]


def exits(suite: cst.BaseSuite) -> bool:
    """A block that always leaves: ends in return/raise/continue/break."""
    block = statements(suite)
    last = block[-1] if block else None
    if isinstance(last, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) and last.body:
        return isinstance(last.body[-1], (cst.Return, cst.Raise, cst.Continue, cst.Break))
    return False


def bound_names(target: cst.CSTNode) -> set[str]:
    """The names an assignment target binds: ``a, (b, *c)`` binds a, b and c."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {name for element in target.elements for name in bound_names(element.value)}
    if isinstance(target, cst.StarredElement):
        return bound_names(target.value)
    return set()


def param_names(params: cst.Parameters) -> list[str]:
    names = [p.name.value for p in (*params.posonly_params, *params.params)]
    if isinstance(params.star_arg, cst.Param):
        names.append(params.star_arg.name.value)
    names.extend(p.name.value for p in params.kwonly_params)
    if params.star_kwarg is not None:
        names.append(params.star_kwarg.name.value)
    return names


def docstring(body: cst.BaseSuite) -> str | None:
    """The docstring a block starts with."""
    first = body.body[0] if isinstance(body, cst.IndentedBlock) and body.body else None
    if isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Expr):
        doc = first.body[0].value
        if isinstance(doc, (cst.SimpleString, cst.ConcatenatedString)):
            text = doc.evaluated_value
            return text if isinstance(text, str) else None
    return None


# Exception types whose handler catches whatever a statement can realistically raise.
_CATCH_ALL = frozenset({"Exception", "BaseException"})


def catches_all(handler: cst.ExceptHandler | cst.ExceptStarHandler) -> bool:
    """``except:``, ``except Exception:``, ``except (OSError, BaseException):``."""
    kind = handler.type
    if kind is None:
        return True
    kinds = [element.value for element in kind.elements] if isinstance(kind, cst.Tuple) else [kind]
    return any(isinstance(k, cst.Name) and k.value in _CATCH_ALL for k in kinds)
