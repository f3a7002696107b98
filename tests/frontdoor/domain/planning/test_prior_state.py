"""The stack's state as the real engine answers `pulumi:pulumi:readStackResourceOutputs`, reduced.

What the real answer holds (pulumi pkg/backend/backend.go GetStackResourceOutputs): every resource of the
stack's current snapshot but pending deletes, as URN -> {type, outputs}, the root `pulumi:pulumi:Stack`
and the providers included. During `pulumi up` of a fresh stack the engine has already written the root
stack and the providers the program created before the gate read its state, so they must not count: a
fresh stack read that way is still fresh, or its first run stops on its own providers.
"""

from __future__ import annotations

from typing import Any

from frontdoor.domain.contracts import ORGANIZATION_PLUMBING
from frontdoor.domain.planning.prior_state import PriorState, may_gate

PREFIX = "urn:pulumi:demo::frontdoor::"


def entry(type_token: str, name: str, **outputs: Any) -> tuple[str, dict[str, Any]]:
    return f"{PREFIX}{type_token}::{name}", {"type": type_token, "outputs": outputs}


def answer(*entries: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return {"name": "organization/frontdoor/demo", "outputs": dict(entries)}


def test_a_fresh_stack_mid_up_holds_only_its_root_and_providers_and_is_fresh() -> None:
    prior = PriorState.from_read_outputs(
        answer(
            entry("pulumi:pulumi:Stack", "frontdoor-demo"),
            entry("pulumi:providers:aws", "management"),
            entry("pulumi:providers:aws", "identity-center"),
            entry("pulumi:providers:okta", "okta"),
        )
    )
    assert (prior.resources, prior.beyond_stage_a, prior.fresh) == (0, False, True)
    assert may_gate(prior, gated_registers_delegation=False)
    assert may_gate(prior, gated_registers_delegation=True)


def test_stage_a_alone_may_gate_anything_beyond_it_may_not() -> None:
    plumbing = entry(ORGANIZATION_PLUMBING, "organization")
    stage_a = PriorState.from_read_outputs(answer(plumbing))
    assert not stage_a.beyond_stage_a and may_gate(stage_a, gated_registers_delegation=True)
    # Registered before, but this run could not register the delegation again: it would be deleted.
    assert not may_gate(stage_a, gated_registers_delegation=False)
    deployed = PriorState.from_read_outputs(answer(plumbing, entry("frontdoor:aws:Guardrails", "guardrails")))
    assert deployed.beyond_stage_a
    assert not may_gate(deployed, gated_registers_delegation=True)


def test_a_stack_export_skips_pending_deletes_as_the_engine_does() -> None:
    export = {
        "version": 3,
        "deployment": {
            "resources": [
                {"urn": f"{PREFIX}pulumi:pulumi:Stack::frontdoor-demo", "type": "pulumi:pulumi:Stack"},
                {
                    "urn": f"{PREFIX}frontdoor:aws:Guardrails::guardrails",
                    "type": "frontdoor:aws:Guardrails",
                    "delete": True,
                },
            ]
        },
    }
    prior = PriorState.from_export(export)
    assert (prior.resources, prior.beyond_stage_a, prior.fresh) == (0, False, True)
