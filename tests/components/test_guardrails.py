"""Guardrails: one named SCP per guardrail, one attachment per target, root attachments protected."""

from __future__ import annotations

import pytest

from components.guardrails import Guardrails, GuardrailsArgs
from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.model.guardrails import GuardrailsConfig
from frontdoor.domain.model.quotas import Quotas
from frontdoor.domain.planning.guardrails import ScpPlan, plan_guardrails
from frontdoor.domain.planning.organization import Account, OrgSnapshot, OrgUnit
from tests.components.conftest import Recorder, make_providers, provider_ref

COMPONENT = "frontdoor:aws:Guardrails"
POLICY = "aws:organizations/policy:Policy"
ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
ROOT = "r-ab12"
SNAPSHOT = OrgSnapshot(
    ROOT,
    "111111111111",
    (
        OrgUnit("ou-ab12-sandbox1", "Sandbox", "Sandbox", ROOT),
        OrgUnit("ou-ab12-workload", "Workloads", "Workloads", ROOT),
    ),
    (Account("111111111111", "management", "ACTIVE", ""),),
)
CONFIG = GuardrailsConfig.model_validate(
    {
        "scps": {
            "deny-leave-organization": {"attachTo": ["Root"]},
            "region-restriction": {"attachTo": ["Workloads", "Sandbox"], "allowedRegions": ["eu-west-1"]},
            "session-revocation": {"attachTo": ["Root"]},
            "deny-root-user": {"attachTo": ["Root"], "enabled": False},
        }
    }
)


def _build(plans: tuple[ScpPlan, ...], protect: bool = True) -> Guardrails:
    providers = make_providers()
    return Guardrails(
        "guardrails", GuardrailsArgs(plans=plans, management_provider=providers.management, protect=protect)
    )


def test_children(recorder: Recorder) -> None:
    plans = plan_guardrails(CONFIG, SNAPSHOT, "stacks/Pulumi.test.yaml", Quotas())
    component = recorder.run(lambda: _build(plans))
    assert recorder.children_of(recorder.one(COMPONENT)) == {
        (POLICY, "deny-leave-organization"),
        (POLICY, "region-restriction"),
        (POLICY, "session-revocation"),
        (ATTACHMENT, f"deny-leave-organization/{ROOT}"),
        (ATTACHMENT, "region-restriction/ou-ab12-workload"),
        (ATTACHMENT, "region-restriction/ou-ab12-sandbox1"),
        (ATTACHMENT, f"session-revocation/{ROOT}"),
    }
    assert sorted(component.attachments) == sorted(name for plan in plans for name in plan.attachment_names())


def test_policy_inputs(recorder: Recorder) -> None:
    plans = plan_guardrails(CONFIG, SNAPSHOT, "stacks/Pulumi.test.yaml", Quotas())
    recorder.run(lambda: _build(plans))
    for plan in plans:
        policy = recorder.by_name(plan.kind)
        assert policy.inputs == {
            "name": f"frontdoor-{plan.kind}",
            "description": plan.description,
            "type": "SERVICE_CONTROL_POLICY",
            "content": plan.content,
        }
        assert "\n" not in policy.inputs["content"] and ", " not in policy.inputs["content"]


def test_attachments_target_ids_provider_and_protection(recorder: Recorder) -> None:
    plans = plan_guardrails(CONFIG, SNAPSHOT, "stacks/Pulumi.test.yaml", Quotas())
    recorder.run(lambda: _build(plans))
    management = provider_ref(recorder, "aws-management")
    seen = {}
    for attachment in recorder.of_type(ATTACHMENT):
        kind, target = attachment.name.split("/")
        assert attachment.inputs == {"policyId": f"{kind}-id", "targetId": target}
        assert attachment.provider == management
        seen[attachment.name] = attachment.protect
    assert seen == {
        f"deny-leave-organization/{ROOT}": True,
        f"session-revocation/{ROOT}": True,
        "region-restriction/ou-ab12-workload": False,
        "region-restriction/ou-ab12-sandbox1": False,
    }
    assert {p.provider for p in recorder.of_type(POLICY)} == {management}


def test_unprotected_stack(recorder: Recorder) -> None:
    plans = plan_guardrails(CONFIG, SNAPSHOT, "stacks/Pulumi.test.yaml", Quotas())
    recorder.run(lambda: _build(plans, protect=False))
    assert {a.protect for a in recorder.of_type(ATTACHMENT)} == {False}


def test_bad_targets_stop_before_any_registration(recorder: Recorder) -> None:
    bad = GuardrailsConfig.model_validate({"scps": {"deny-root-user": {"attachTo": ["Nowhere"]}}})

    def program() -> Guardrails:
        plans = plan_guardrails(bad, SNAPSHOT, "stacks/Pulumi.test.yaml", Quotas())
        return _build(plans)

    with pytest.raises(ConfigError, match="no OU with this path"):
        recorder.run(program)
    assert recorder.registrations == []
