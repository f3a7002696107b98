"""plan_guardrails: where each guardrail attaches (targets, size, quota, errors)."""

from __future__ import annotations

from typing import Any

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.contracts import SCP_CONTENT_MAX
from frontdoor.domain.documents.scp import SCP_KINDS
from frontdoor.domain.model.guardrails import GuardrailsConfig
from frontdoor.domain.model.quotas import Quotas
from frontdoor.domain.planning.guardrails import ScpTarget, plan_guardrails
from frontdoor.domain.planning.organization import Account, OrgSnapshot, OrgUnit
from tests.frontdoor.domain.documents.test_scp import ROOT, SOURCE, render

SNAPSHOT = OrgSnapshot(
    root_id=ROOT,
    management_account_id="111111111111",
    ous=(
        OrgUnit("ou-ab12-sandbox1", "Sandbox", "Sandbox", ROOT),
        OrgUnit("ou-ab12-workload", "Workloads", "Workloads", ROOT),
        OrgUnit("ou-ab12-prod0001", "Prod", "Workloads/Prod", "ou-ab12-workload"),
    ),
    accounts=(Account("111111111111", "management", "ACTIVE", ""),),
)


def guardrails(**scps: Any) -> GuardrailsConfig:
    return GuardrailsConfig.model_validate({"scps": scps, "breakGlassUserNames": ["breakglass-1"]})


def issues(error: pytest.ExceptionInfo[ConfigError]) -> list[str]:
    return [issue.render() for issue in error.value.issues]


def test_plan_resolves_root_paths_and_ids_in_declaration_order() -> None:
    plans = plan_guardrails(
        guardrails(
            **{
                "deny-root-user": {"attachTo": ["Workloads/Prod", "Sandbox"]},
                "deny-leave-organization": {"attachTo": ["Root"]},
                "deny-iam-users": {"attachTo": ["ou-ab12-workload"], "enabled": True},
                "region-restriction": {"attachTo": ["Root"], "enabled": False},
            }
        ),
        SNAPSHOT,
        SOURCE,
        Quotas(),
    )
    assert [(p.kind, p.policy_name, p.targets) for p in plans] == [
        (
            "deny-iam-users",
            "frontdoor-deny-iam-users",
            (ScpTarget("ou-ab12-workload", "ou-ab12-workload", False),),
        ),
        ("deny-leave-organization", "frontdoor-deny-leave-organization", (ScpTarget(ROOT, "Root", True),)),
        (
            "deny-root-user",
            "frontdoor-deny-root-user",
            (
                ScpTarget("ou-ab12-prod0001", "Workloads/Prod", False),
                ScpTarget("ou-ab12-sandbox1", "Sandbox", False),
            ),
        ),
    ]
    assert plans[2].attachment_names() == (
        "deny-root-user/ou-ab12-prod0001",
        "deny-root-user/ou-ab12-sandbox1",
    )
    assert plans[0].content == render("deny-iam-users")


def test_unknown_ou_path_and_id() -> None:
    with pytest.raises(ConfigError) as error:
        plan_guardrails(
            guardrails(**{"deny-root-user": {"attachTo": ["Workloads/Dev", "ou-ab12-missing1"]}}),
            SNAPSHOT,
            SOURCE,
            Quotas(),
        )
    assert issues(error) == [
        "stacks/Pulumi.test.yaml: frontdoor:guardrails.scps.deny-root-user.attachTo[0]: no OU with this path "
        "in the organization (got 'Workloads/Dev'). Fix: use \"Root\", an existing OU path (known: Sandbox, "
        "Workloads, Workloads/Prod) or an ou-… id",
        "stacks/Pulumi.test.yaml: frontdoor:guardrails.scps.deny-root-user.attachTo[1]: no OU with this id "
        "in the organization (got 'ou-ab12-missing1'). Fix: use \"Root\", an existing OU path (known: "
        "Sandbox, Workloads, Workloads/Prod) or an ou-… id",
    ]


def test_accounts_and_duplicates_are_refused() -> None:
    with pytest.raises(ConfigError) as error:
        plan_guardrails(
            guardrails(**{"deny-root-user": {"attachTo": ["222222222222", "Root", ROOT]}}),
            SNAPSHOT,
            SOURCE,
            Quotas(),
        )
    fields = [issue.field for issue in error.value.issues]
    assert fields == [
        "frontdoor:guardrails.scps.deny-root-user.attachTo[0]",
        "frontdoor:guardrails.scps.deny-root-user.attachTo[2]",
    ]
    assert "not to single accounts" in error.value.issues[0].problem
    assert error.value.issues[1].problem == f"the same target as 'Root' ({ROOT})"


def test_quota_counts_full_aws_access() -> None:
    five = {kind: {"attachTo": ["Root"], "allowedRegions": ["eu-west-1"]} for kind in SCP_KINDS[:5]}
    with pytest.raises(ConfigError) as error:
        plan_guardrails(guardrails(**five), SNAPSHOT, SOURCE, Quotas())
    (issue,) = error.value.issues
    assert issue.field == "frontdoor:guardrails.scps"
    assert issue.problem == (
        "5 guardrails (deny-iam-users, deny-leave-organization, protect-identity-center-roles, "
        f"deny-root-user, region-restriction) plus FullAWSAccess would be attached to {ROOT}, "
        "the limit is 5 SCPs per target"
    )
    four = dict(list(five.items())[:4])
    assert len(plan_guardrails(guardrails(**four), SNAPSHOT, SOURCE, Quotas())) == 4
    with pytest.raises(ConfigError):
        plan_guardrails(guardrails(**four), SNAPSHOT, SOURCE, Quotas(scps_per_target=4))


def test_oversized_document() -> None:
    many = [f"{index:08x}-d0a1-7058-7d7e-0123456789ab" for index in range(150)]
    with pytest.raises(ConfigError) as error:
        plan_guardrails(
            guardrails(**{"session-revocation": {"attachTo": ["Root"], "revokedUserIds": many}}),
            SNAPSHOT,
            SOURCE,
            Quotas(),
        )
    (issue,) = error.value.issues
    assert issue.field == "frontdoor:guardrails.scps.session-revocation"
    assert issue.problem.endswith(f"characters minified, AWS allows {SCP_CONTENT_MAX}")


def test_malformed_user_id() -> None:
    with pytest.raises(ConfigError) as error:
        plan_guardrails(
            guardrails(
                **{"session-revocation": {"attachTo": ["Root"], "revokedUserIds": ["jane@example.com"]}}
            ),
            SNAPSHOT,
            SOURCE,
            Quotas(),
        )
    (issue,) = error.value.issues
    assert issue.field == "frontdoor:guardrails.scps.session-revocation.revokedUserIds[0]"
    assert issue.value == "jane@example.com"
    assert issue.problem == (
        "not an Identity Center user id, so the deny would match nobody: AWS's SSO Admin model (PrincipalId: "
        "pattern ([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-"
        "[A-Fa-f0-9]{12}, 1-47 characters) does not accept it"
    )
    assert issue.fix == (
        "copy the User ID from Identity Center > Users > <user> (a GUID such as "
        "90677c2d-d0a1-7058-7d7e-0123456789ab)"
    )


def test_no_guardrails_no_plans() -> None:
    assert plan_guardrails(GuardrailsConfig(), SNAPSHOT, SOURCE, Quotas()) == ()
