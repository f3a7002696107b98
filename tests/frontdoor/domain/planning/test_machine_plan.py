"""The StackSet shape: what each of the two StackSets can express, and the shapes refused before anything
registers (auto-deployment ignores account filters: CloudFormation User Guide)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.pydantic_issues import issue_from_pydantic
from frontdoor.domain.model.machines import MachinesConfig
from frontdoor.domain.planning.machine_plan import ACCOUNT_MODE, OU_MODE, DeploymentTarget, plan_machines
from tests.frontdoor.domain.planning.test_fanout import LEGACY, ROOT, SANDBOX, SNAPSHOT, SOURCE

WHERE = "stacks/Pulumi.test.yaml: frontdoor:machines.consumers.report"


def _machines(targets: list[str], exclude: list[str] | None = None) -> MachinesConfig:
    spec: dict[str, Any] = {
        "ownerTeam": "payments",
        "description": "nightly report",
        "targets": targets,
        "exclude": exclude or [],
        "policyStatements": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}],
    }
    return MachinesConfig.model_validate(
        {
            "vault": {
                "address": "https://vault.example.com:8200",
                "vaultRoleArn": "arn:aws:iam::999999999999:role/vault-aws-engine",
            },
            "consumers": {"report": spec},
        }
    )


def _plan(targets: list[str], exclude: list[str] | None = None) -> Any:
    (plan,) = plan_machines(
        _machines(targets, exclude), {"payments": object()}, SNAPSHOT, SOURCE, tag_key="team"
    )
    return plan


def _refused(targets: list[str], exclude: list[str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as error:
        _plan(targets, exclude)
    return [issue.render() for issue in error.value.issues]


def test_ou_and_account_targets_go_to_separate_stack_sets_one_instance_each() -> None:
    plan = _plan(["Sandbox", "Workloads/Prod/Legacy", "999999999999"])
    assert plan.targets(OU_MODE) == (
        DeploymentTarget(OU_MODE, LEGACY, (LEGACY,), (), "NONE"),
        DeploymentTarget(OU_MODE, SANDBOX, (SANDBOX,), (), "NONE"),
    )
    assert plan.targets(ACCOUNT_MODE) == (
        DeploymentTarget(ACCOUNT_MODE, "999999999999", (ROOT,), ("999999999999",), "INTERSECTION"),
    )


def test_exclude_with_ou_targets_is_refused() -> None:
    assert _refused(["Workloads/Prod/Legacy", "Sandbox"], exclude=["666666666666"]) == [
        f"{WHERE}.exclude: OU targets deploy through an auto-deploying StackSet, which ignores account "
        "filters: an excluded account gets the role as soon as it joins or moves within the OU "
        "(CloudFormation User Guide, automatic deployments) (got ['666666666666']). Fix: target narrower "
        "OUs, or list the accounts themselves (account targets never auto-deploy)"
    ]


def test_an_ou_target_inside_another_is_refused() -> None:
    assert _refused(["Workloads/Prod/Legacy", "Sandbox", "*"]) == [
        f"{WHERE}.targets[0]: lies inside target '*': its accounts would get the role from two StackSet "
        "instances (got 'Workloads/Prod/Legacy'). Fix: keep '*' only",
        f"{WHERE}.targets[1]: lies inside target '*': its accounts would get the role from two StackSet "
        "instances (got 'Sandbox'). Fix: keep '*' only",
        f"{WHERE}.targets[2]: holds account(s) that are not ACTIVE (333333333334, 444444444445): an instance "
        "for the whole OU would deploy to them, and only an account filter, which auto-deployment ignores, "
        "could leave them out (got '*'). Fix: move them to an OU this consumer does not target, or target "
        "the ACTIVE accounts by id",
    ]


def test_an_ou_holding_a_suspended_account_is_refused() -> None:
    assert _refused(["Workloads/Dev"]) == [
        f"{WHERE}.targets[0]: holds account(s) that are not ACTIVE (333333333334): an instance for the "
        "whole OU would deploy to them, and only an account filter, which auto-deployment ignores, could "
        "leave them out (got 'Workloads/Dev'). Fix: move them to an OU this consumer does not target, or "
        "target the ACTIVE accounts by id"
    ]
    # By id, its ACTIVE account alone is fine: account targets never auto-deploy.
    assert [t.key for t in _plan(["333333333333"]).deployment_targets] == ["account/333333333333"]


def test_an_account_target_inside_a_target_ou_is_refused() -> None:
    assert _refused(["Workloads/Prod/Legacy", "555555555555"]) == [
        f"{WHERE}.targets[1]: is already inside target 'Workloads/Prod/Legacy': it would get the role from "
        "two StackSets (got '555555555555'). Fix: drop the account target; the OU target deploys to it"
    ]


def _consumers(**targets: list[str]) -> MachinesConfig:
    return MachinesConfig.model_validate(
        {
            "vault": {
                "address": "https://vault.example.com:8200",
                "vaultRoleArn": "arn:aws:iam::999999999999:role/vault-aws-engine",
            },
            "consumers": {
                name: {
                    "ownerTeam": "payments",
                    "description": "nightly report",
                    "targets": value,
                    "policyStatements": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}],
                }
                for name, value in targets.items()
            },
        }
    )


def test_a_consumer_named_like_another_ones_account_stack_set_is_refused() -> None:
    # `report` with an account target owns frontdoor-vault-report-accounts: `report-accounts` would
    # create a StackSet of the same name, which CreateStackSet refuses.
    with pytest.raises(ValidationError) as error:
        _consumers(**{"report": ["999999999999"], "report-accounts": ["Sandbox"]})
    assert [issue_from_pydantic(SOURCE, e, "frontdoor:machines").render() for e in error.value.errors()] == [
        "stacks/Pulumi.test.yaml: frontdoor:machines.consumers.report-accounts: its StackSet would be named "
        "like consumer 'report''s account-target StackSet (frontdoor-vault-report-accounts) (got "
        "'report-accounts'). Fix: rename the consumer so it does not end in '-accounts'"
    ]
    # Without an account target `report` has no second StackSet, so the name is free.
    assert sorted(_consumers(**{"report": ["Sandbox"], "report-accounts": ["999999999999"]}).consumers) == [
        "report",
        "report-accounts",
    ]


def test_nesting_is_found_at_any_depth_and_under_the_whole_organization() -> None:
    # Legacy lies two levels below Workloads (given by id); Workloads holds non-ACTIVE accounts as well.
    assert _refused(["Workloads/Prod/Legacy", "ou-ab12-workload"]) == [
        f"{WHERE}.targets[0]: lies inside target 'ou-ab12-workload': its accounts would get the role from "
        "two StackSet instances (got 'Workloads/Prod/Legacy'). Fix: keep 'ou-ab12-workload' only",
        f"{WHERE}.targets[1]: holds account(s) that are not ACTIVE (333333333334, 444444444445): an instance "
        "for the whole OU would deploy to them, and only an account filter, which auto-deployment ignores, "
        "could leave them out (got 'ou-ab12-workload'). Fix: move them to an OU this consumer does not "
        "target, or target the ACTIVE accounts by id",
    ]
    # Sibling OUs are not nested.
    assert [t.key for t in _plan(["Workloads/Prod/Legacy", "Sandbox"]).targets(OU_MODE)] == [
        f"ou/{LEGACY}",
        f"ou/{SANDBOX}",
    ]
    # An account under `*` is inside it (with the root's non-ACTIVE accounts refused as well).
    assert _refused(["*", "999999999999"])[1] == (
        f"{WHERE}.targets[1]: is already inside target '*': it would get the role from two StackSets (got "
        "'999999999999'). Fix: drop the account target; the OU target deploys to it"
    )
