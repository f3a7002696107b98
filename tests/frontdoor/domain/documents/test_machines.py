"""Machines: consumer config, the target role's trust and template, the fan-out with the teams' resolver."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.pydantic_issues import issue_from_pydantic
from frontdoor.domain.documents.machines import check_trust, role_template, target_role_arn, trust_policy
from frontdoor.domain.model.grants import Grant
from frontdoor.domain.model.machines import MachinesConfig
from frontdoor.domain.planning.fanout import Resolver
from frontdoor.domain.planning.machine_plan import DeploymentTarget, plan_machines
from tests.frontdoor.domain.planning.test_fanout import (
    LEGACY,
    MANAGEMENT,
    ROOT,
    SNAPSHOT,
    SOURCE,
)

VAULT_ROLE = "arn:aws:iam::999999999999:role/vault-aws-engine"
ORG = "o-ab12cd34ef"


def machines(**consumer: Any) -> MachinesConfig:
    spec: dict[str, Any] = {
        "ownerTeam": "payments",
        "description": "nightly report",
        "targets": ["Workloads/Prod"],
        "policyStatements": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}],
    }
    spec.update(consumer)
    return MachinesConfig.model_validate(
        {
            "vault": {"address": "https://vault.example.com:8200", "vaultRoleArn": VAULT_ROLE},
            "consumers": {"report": spec},
        }
    )


def problems(**consumer: Any) -> list[str]:
    with pytest.raises(ValidationError) as error:
        machines(**consumer)
    return [issue_from_pydantic(SOURCE, e, "frontdoor:machines").render() for e in error.value.errors()]


def test_defaults_are_fifteen_minutes_and_one_hour() -> None:
    consumer = machines().consumers["report"]
    assert (consumer.default_ttl_seconds, consumer.max_ttl_seconds) == (900, 3600)
    assert machines().vault.credential_source == "ambient"


def test_bad_consumers_name_the_field_and_the_fix() -> None:
    assert problems(policyStatements=[]) == [
        "stacks/Pulumi.test.yaml: frontdoor:machines.consumers.report.policyStatements: the consumer has no "
        "permissions (got []). Fix: give policyStatements (an inline policy) or managedPolicyArns"
    ]
    assert problems(defaultTtlSeconds=3600, maxTtlSeconds=1800) == [
        "stacks/Pulumi.test.yaml: frontdoor:machines.consumers.report.defaultTtlSeconds: defaultTtlSeconds "
        "3600 is above maxTtlSeconds 1800 (got 3600). Fix: lower defaultTtlSeconds (900 is the default) or "
        "raise maxTtlSeconds"
    ]
    # Role chaining: Vault's AssumeRole runs on a role session, which STS caps at one hour.
    assert problems(maxTtlSeconds=7200) == [
        "stacks/Pulumi.test.yaml: frontdoor:machines.consumers.report.maxTtlSeconds: 7200 seconds is over "
        "the one-hour cap STS puts on role chaining: Vault's own credential is a role session, so an "
        "AssumeRole asking for more fails at issue (botocore sts AssumeRoleRequest.DurationSeconds) (got "
        "7200). Fix: use at most 3600 seconds (900, the default, is the usual choice)"
    ]
    assert problems(defaultTtlSeconds=3601)[0].startswith(
        "stacks/Pulumi.test.yaml: frontdoor:machines.consumers.report.defaultTtlSeconds: 3601 seconds is "
        "over the one-hour cap"
    )


def test_vault_needs_a_role_never_a_user_and_an_audience_for_identity_tokens() -> None:
    base = {"address": "https://vault.example.com", "vaultRoleArn": VAULT_ROLE}
    with pytest.raises(ValidationError, match="not an IAM role ARN"):
        MachinesConfig.model_validate(
            {"vault": {**base, "vaultRoleArn": "arn:aws:iam::999999999999:user/vault"}, "consumers": {}}
        )
    with pytest.raises(ValidationError, match="credentialSource identity-token needs identityTokenAudience"):
        MachinesConfig.model_validate(
            {"vault": {**base, "credentialSource": "identity-token"}, "consumers": {}}
        )


def test_trust_is_vault_only_inside_the_organization_with_the_team_tag() -> None:
    assert trust_policy(VAULT_ROLE, ORG, "payments", "team") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "VaultAssumesWithOwnerTeamTag",
                "Effect": "Allow",
                "Principal": {"AWS": VAULT_ROLE},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG, "aws:RequestTag/team": "payments"}},
            }
        ],
    }


def _trust_without(mutate: Any) -> dict[str, Any]:
    document = trust_policy(VAULT_ROLE, ORG, "payments", "team")
    mutate(document["Statement"][0])
    return document


def test_a_trust_without_principal_org_id_tag_session_or_with_another_principal_fails() -> None:
    with pytest.raises(ValueError, match="no aws:PrincipalOrgID condition"):
        check_trust(
            _trust_without(lambda s: s["Condition"]["StringEquals"].pop("aws:PrincipalOrgID")), VAULT_ROLE
        )
    with pytest.raises(ValueError, match="does not allow sts:TagSession"):
        check_trust(_trust_without(lambda s: s.update(Action="sts:AssumeRole")), VAULT_ROLE)
    with pytest.raises(ValueError, match=r"trusts '\*'; it must trust only Vault's role"):
        check_trust(_trust_without(lambda s: s.update(Principal={"AWS": "*"})), VAULT_ROLE)
    check_trust(trust_policy(VAULT_ROLE, ORG, "payments", "team"), VAULT_ROLE)


def test_role_template_is_one_tagged_role_with_the_consumer_permissions() -> None:
    consumer = machines(managedPolicyArns=["arn:aws:iam::${AWS::AccountId}:policy/reporting"]).consumers[
        "report"
    ]
    template = role_template("report", consumer, VAULT_ROLE, ORG, "team")
    role = template["Resources"]["VaultTargetRole"]
    assert role["Type"] == "AWS::IAM::Role"
    properties = role["Properties"]
    assert properties["RoleName"] == "vault-report" and properties["Path"] == "/vault/"
    assert properties["MaxSessionDuration"] == 3600
    assert properties["AssumeRolePolicyDocument"] == trust_policy(VAULT_ROLE, ORG, "payments", "team")
    assert properties["Tags"] == [
        {"Key": "team", "Value": "payments"},
        {"Key": "frontdoor:machine", "Value": "report"},
    ]
    assert properties["ManagedPolicyArns"] == [{"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:policy/reporting"}]
    assert properties["Policies"] == [
        {
            "PolicyName": "permissions",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}],
            },
        }
    ]
    assert target_role_arn("444444444444", "report") == "arn:aws:iam::444444444444:role/vault/vault-report"


def test_targets_resolve_with_the_same_resolver_as_team_grants() -> None:
    config = machines(targets=["Workloads/Prod/Legacy", "999999999999", "333333333333"])
    (plan,) = plan_machines(config, {"payments": object()}, SNAPSHOT, SOURCE, tag_key="team")
    resolver = Resolver(SNAPSHOT, SOURCE)
    same = resolver.resolve(Grant(targets=["Workloads/Prod/Legacy", "999999999999", "333333333333"]), "x")
    assert plan.accounts == same
    assert [a.id for a in plan.accounts] == ["333333333333", "555555555555", "999999999999"]
    assert plan.role_arns() == [
        "arn:aws:iam::333333333333:role/vault/vault-report",
        "arn:aws:iam::555555555555:role/vault/vault-report",
        "arn:aws:iam::999999999999:role/vault/vault-report",
    ]
    # The OU deploys whole, with no filter (its StackSet auto-deploys); each account target is its own
    # instance under the root, on the StackSet that never auto-deploys.
    assert plan.deployment_targets == (
        DeploymentTarget("ou", LEGACY, (LEGACY,), (), "NONE"),
        DeploymentTarget("account", "333333333333", (ROOT,), ("333333333333",), "INTERSECTION"),
        DeploymentTarget("account", "999999999999", (ROOT,), ("999999999999",), "INTERSECTION"),
    )
    assert [t.key for t in plan.deployment_targets] == [
        f"ou/{LEGACY}",
        "account/333333333333",
        "account/999999999999",
    ]


def test_unknown_owner_team_and_management_target_stop_the_program() -> None:
    with pytest.raises(ConfigError) as error:
        plan_machines(
            machines(ownerTeam="nobody", targets=[MANAGEMENT]),
            {"payments": object()},
            SNAPSHOT,
            SOURCE,
            tag_key="team",
        )
    assert [issue.render() for issue in error.value.issues] == [
        "stacks/Pulumi.test.yaml: frontdoor:machines.consumers.report.ownerTeam: no such team in "
        "frontdoor:teams, so the session tag would match no team's resources (got 'nobody'). Fix: use one of "
        "payments"
    ]
    with pytest.raises(ConfigError) as error:
        plan_machines(
            machines(targets=[MANAGEMENT]), {"payments": object()}, SNAPSHOT, SOURCE, tag_key="team"
        )
    assert [issue.field for issue in error.value.issues] == ["frontdoor:machines.consumers.report.targets[0]"]
    with pytest.raises(ConfigError, match="no OU with this path"):
        plan_machines(
            machines(targets=["Workloads/Prd"]), {"payments": object()}, SNAPSHOT, SOURCE, tag_key="team"
        )
