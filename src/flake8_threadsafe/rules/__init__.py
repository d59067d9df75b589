"""The rules, run together over the facts of one file."""

from __future__ import annotations

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.walker import Dispatch, Walker
from flake8_threadsafe.rules.base import Finding, Rule
from flake8_threadsafe.rules.ts101_acquire_without_release import AcquireWithoutRelease
from flake8_threadsafe.rules.ts102_reacquire_nonreentrant import ReacquireNonReentrant
from flake8_threadsafe.rules.ts201_unlocked_shared_update import UnlockedSharedUpdate
from flake8_threadsafe.rules.ts301_map_result_discarded import MapResultDiscarded
from flake8_threadsafe.rules.ts302_submit_future_discarded import SubmitFutureDiscarded

RULES: tuple[type[Rule], ...] = (
    AcquireWithoutRelease,
    ReacquireNonReentrant,
    UnlockedSharedUpdate,
    MapResultDiscarded,
    SubmitFutureDiscarded,
)


def _dispatch(rules: list[Rule]) -> Dispatch:
    dispatch: Dispatch = {}
    for rule in rules:
        for attribute in dir(type(rule)):
            if attribute.startswith("visit_"):
                node_type = getattr(cst, attribute[len("visit_") :])
                dispatch.setdefault(node_type, []).append(getattr(rule, attribute))
    return dispatch


def analyze(module: cst.Module, config: Config) -> list[Finding]:
    """Every finding of every rule for one module, from a single traversal."""
    facts = FileFacts(config)
    rules = [rule_type(facts) for rule_type in RULES if config.enabled(rule_type.code)]
    Walker(facts, _dispatch(rules)).block(module.body)
    return [finding for rule in rules for finding in rule.finish()]
