"""The program's own stack's state, read through the engine (frontdoor/domain/planning/prior_state.py).

One synchronous invoke of the engine's builtin `pulumi:pulumi:readStackResourceOutputs` with the
stack's fully qualified name (`<organization>/<project>/<stack>`; the Pulumi Cloud backend needs the
three parts, a self-managed backend's organization is `organization`). Read only when a decision needs
it (a failing precondition, a deferred group, provisioning off), so a clean run never pays for it.
Offline, the engine answers it from the estate's `deployed:` block, and an estate without one stops the
run naming `frontdoor estate pull --stack-state FILE` / `--fresh-stack`.
"""

from __future__ import annotations

import pulumi

from frontdoor.domain.planning.prior_state import READ_STATE_TOKEN, PriorState


def stack_name() -> str:
    return f"{pulumi.get_organization() or 'organization'}/{pulumi.get_project()}/{pulumi.get_stack()}"


def read_prior_state() -> PriorState:
    """What the stack's state holds, from the engine (at most once per run: see the callers)."""
    return PriorState.from_read_outputs(
        pulumi.runtime.invoke(READ_STATE_TOKEN, {"stackName": stack_name()}).value or {}
    )
