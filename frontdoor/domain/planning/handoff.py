"""The one seam between the offline preview and the program it runs: a plan made before the run.

Why it exists: the offline preview checks and plans the stack BEFORE it runs the program (bad input then
stops the preview before anything registers, and the pack's config is derived from the same parse), and
then runs the real `__main__.py` in its own process, where the program would otherwise parse the
config and fan it out a second time. So the preview hands its plan over for the length of the run
(`handing`), and the program takes it once, at its start (`handed`), and passes it down explicitly.
The program uses it only when it was made from the very config values and reads the program itself
sees (`PreparedPlan.config_for`, `PreparedPlan.plan_for`); otherwise it plans for itself.

Under `pulumi up` no engine exists: nothing is handed, and the program always plans for itself. The
hook is a context variable set by `handing` and read by nothing but `frontdoor.program`'s entry points.

The same seam carries the facts the program takes from the stack's estate file rather than from a data
source (frontdoor/domain/planning/pulled.py): the engine hands over the ones of the estate it runs with
(`handing_facts`, for every offline run, since `--estate FILE` need not be the stack's file); under
`pulumi up` the program reads `stacks/estate.<stack>.yaml` itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.organization import StackReads, same_reads
from frontdoor.domain.planning.plan import StackPlan
from frontdoor.domain.planning.pulled import PulledFacts


@dataclass(frozen=True)
class PreparedPlan:
    """A plan the offline preview made, with the stack file's `frontdoor:` values it was parsed from."""

    values: Mapping[str, Any]
    plan: StackPlan

    def config_for(self, values: Mapping[str, Any]) -> StackConfig | None:
        """The prepared config when `values` are the ones it was parsed from, else None."""
        return self.plan.config if self.values == values else None

    def plan_for(self, config: StackConfig, reads: StackReads, source: str) -> StackPlan | None:
        """The prepared plan when it was made from this config and these reads, else None."""
        if self.plan.config is config and same_reads(self.plan.reads, reads):
            # Valid, so its messages are never shown; the program names the stack file its own way.
            return replace(self.plan, source=source)
        return None


_handed: ContextVar[PreparedPlan | None] = ContextVar("frontdoor_prepared_plan", default=None)


@contextlib.contextmanager
def handing(prepared: PreparedPlan) -> Iterator[None]:
    """While the preview runs the program, the program may take this plan instead of making its own."""
    token = _handed.set(PreparedPlan(dict(prepared.values), prepared.plan))
    try:
        yield
    finally:
        _handed.reset(token)


def handed() -> PreparedPlan | None:
    """The plan the offline preview handed to this run; None under `pulumi up` (or any other runner)."""
    return _handed.get()


_facts: ContextVar[PulledFacts | None] = ContextVar("frontdoor_pulled_facts", default=None)


@contextlib.contextmanager
def handing_facts(facts: PulledFacts) -> Iterator[None]:
    """While the engine runs the program, the program takes these pulled facts instead of reading its file."""
    token = _facts.set(facts)
    try:
        yield
    finally:
        _facts.reset(token)


def handed_facts() -> PulledFacts | None:
    """The pulled facts the offline engine handed to this run; None under `pulumi up`."""
    return _facts.get()
