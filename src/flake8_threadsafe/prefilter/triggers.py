"""The checks a file's text must pass before a rule can report on it.

A trigger is a superset of what its rule needs: a file that passes is parsed and the
rule decides; a file that passes no selected rule's trigger is never parsed, and a rule
whose trigger fails does not run. Each rule's trigger is written on its line of
``registry.py`` from the building blocks here; ``tests/test_registry.py`` checks every
case file with an expected report against its code's trigger.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from flake8_threadsafe.prefilter.vocabulary import (
    EXECUTOR_SUFFIX, QUEUE_MODULES, THREADING_MODULES, contains_word, imports_any,
)

Check = Callable[[str], bool]
# Checks that must all hold; the one most files fail (and which several codes share, so
# that it runs once per file) comes first.
Alternative = tuple[Check, ...]
Trigger = tuple[Alternative, ...]


def words(*words: str) -> Check:
    return lambda source: contains_word(source, words)


def attribute(name: str) -> Check:
    """``x.name``: ``name`` as an attribute of any object (a method called on it)."""
    return words("." + name)


def threading_import(source: str) -> bool:
    return imports_any(source, THREADING_MODULES)


def queue_import(source: str) -> bool:
    return imports_any(source, QUEUE_MODULES)


def executor(source: str) -> bool:
    return contains_word(source, (EXECUTOR_SUFFIX,), suffix=True)


def any_of(*alternatives: Alternative) -> Trigger:
    """A trigger that holds when every check of one of ``alternatives`` holds."""
    return alternatives


def triggered(source: str, triggers: Mapping[str, Trigger], codes: Iterable[str]) -> frozenset[str]:
    """Those of ``codes`` whose trigger holds on ``source``; each check runs once."""
    found: dict[Check, bool] = {}

    def holds(check: Check) -> bool:
        hit = found.get(check)
        if hit is None:
            hit = found[check] = check(source)
        return hit

    return frozenset(
        code for code in codes if any(all(holds(check) for check in alternative) for alternative in triggers[code])
    )
