"""The rules: one module per code, found through the registry."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import cast

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.registry import REGISTRY
from flake8_threadsafe.rules.base import Finding, RuleModule

_MODULES = {entry.code: entry.module for entry in REGISTRY}


def rule(code: str) -> RuleModule:
    """The module of the rule that reports ``code``."""
    return cast(RuleModule, importlib.import_module(f"{__name__}.{_MODULES[code]}"))


def analyze(facts: FileFacts, config: Config, codes: Iterable[str]) -> list[Finding]:
    """Every finding of the rules of ``codes`` on one file's facts."""
    return [finding for code in sorted(codes) for finding in rule(code).check(facts, config)]
