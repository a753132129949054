"""Rule kinds: pure functions `(RuleContext) -> Decision`, named in a pack's benefits.yaml.

A rule never touches the database: everything it needs is in the context — the claim's facts and
date, the beneficiary's paid history, the pack's parameters as in force on the date, and the
catalog snapshot (occupation classes, shortage directory) the caller took for that date.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Decision
from .context import RuleContext

RULES: dict[str, Callable[[RuleContext], Decision]] = {}
RULE_LABELS: dict[str, str] = {}


def rule(
    name: str, label: str = ""
) -> Callable[[Callable[[RuleContext], Decision]], Callable[[RuleContext], Decision]]:
    def register(fn: Callable[[RuleContext], Decision]) -> Callable[[RuleContext], Decision]:
        RULES[name] = fn
        RULE_LABELS[name] = label or name
        return fn

    return register


from . import common, huzhou, lanzhou, shangyu  # noqa: E402, F401  (registration side effect)
