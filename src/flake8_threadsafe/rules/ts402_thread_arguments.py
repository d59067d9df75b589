"""TS402: a thread's arguments that do not match its target.

``args`` must be a sequence of the target's arguments. ``args=("world")`` is the string
``"world"``, not a tuple (the comma makes a tuple, not the parentheses): the thread calls
the target with one argument per character (``takes 1 positional argument but 5 were
given``), and a number raises ``TypeError`` at once; in both cases in the new thread,
where nobody sees it, while the caller carries on. A target called with a number of
arguments its signature cannot take fails the same way.

Reported:

- ``args=(x)`` where the parentheses hold a single string, bytes or number, or a name,
  attribute or call when the target (a function of this file) takes exactly one
  positional argument; ``args="abc"`` and ``args=b"..."``;
- for a target defined in this file, positional arguments (and keywords) its signature
  cannot accept: too many, too few, an unknown keyword; defaults, ``*args``,
  ``**kwargs``, keyword-only parameters and a bound method's ``self`` considered. For
  ``threading.Thread``, ``Timer(t, f, args=...)``, ``_thread.start_new_thread``,
  ``multiprocessing.Process``, ``asyncio.to_thread(f, ...)``,
  ``loop.run_in_executor(ex, f, ...)``, an executor's ``submit(f, ...)`` and
  ``map(f, *iterables)`` (one argument per iterable).

Silent for ``args=(x,)``, list displays, names and calls of unknown length, ``*args``
in the call, ``partial(...)`` targets, targets with ``*args``, and targets not defined in
this file.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe import fixes
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.model import FunctionInfo
from flake8_threadsafe.facts.starts import Start, Starts
from flake8_threadsafe.facts.syntax import expression_text
from flake8_threadsafe.rules.base import Finding

CODE = "TS402"

_STRINGS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
_SINGLE = (cst.Name, cst.Attribute, cst.Call, cst.Subscript)


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    starts = facts.starts
    for start in starts.starts:
        target = start.target
        func = _target_function(facts, start)
        bound = func is not None and target is not None and starts.bound(func, target)
        args = start.args
        if args is not None:
            problem = _not_a_tuple(args, func, bound)
            if problem is not None:
                module = facts.recording.module
                written = module.code_for_node(args)
                inner = module.code_for_node(args.with_changes(lpar=(), rpar=()))
                yield Finding(
                    args, CODE, f"args={written} is {problem}, not a tuple of arguments; "
                    f"write a tuple: args=({inner},)",
                    fix=fixes.one_tuple(args, f"write args=({inner},)"),
                )
                continue
        if func is None or start.positional is None or start.keywords is None:
            continue
        reason = starts.accepts(func, bound, len(start.positional), start.keywords)
        if reason is not None:
            count = len(start.positional)
            yield Finding(
                start.site.node,
                CODE,
                f"{start.via} calls {func.display} with {count} positional argument{'s' * (count != 1)}"
                f"{_keywords(start.keywords)}, but it {reason}: it raises TypeError in the new thread, "
                "where nobody sees it; pass the arguments its signature takes",
            )


def _target_function(facts: FileFacts, start: Start) -> FunctionInfo | None:
    """The function of this file the start runs, unless wrapped by ``partial``."""
    target = start.target
    if target is None or isinstance(target, cst.Call):
        return None  # ``partial(f, x)`` adds arguments; ``f()`` is TS401's
    return facts.names.callee(start.site.func, target)


def _not_a_tuple(args: cst.BaseExpression, func: FunctionInfo | None, bound: bool) -> str | None:
    """What ``args`` is when it cannot be the tuple of arguments meant."""
    if isinstance(args, _STRINGS):
        return "a string"
    parenthesized = bool(getattr(args, "lpar", ()))
    if parenthesized and isinstance(args, (cst.Integer, cst.Float)):
        return "a number"
    if parenthesized and isinstance(args, _SINGLE) and func is not None:
        # The target takes exactly one positional argument: ``(x)`` was meant as ``(x,)``.
        ordered, star = Starts.positional_params(func, bound)
        if len(ordered) == 1 and not star:
            return f"'{expression_text(args) or '...'}' itself"
    return None


def _keywords(keywords: frozenset[str]) -> str:
    return f" and keywords {', '.join(sorted(keywords))}" if keywords else ""
