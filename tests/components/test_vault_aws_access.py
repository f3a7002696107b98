"""VaultAwsAccess: the mount without static keys, assumed_role roles, and per consumer an auto-deploying
StackSet for its OU targets and one that never auto-deploys for its account targets."""

from __future__ import annotations

import json
from typing import Any

from components.vault_aws_access import VaultAwsAccess, VaultAwsAccessArgs
from components.vault_provider import vault_provider
from frontdoor.domain.contracts import MachineRole
from frontdoor.domain.model.machines import MachinesConfig
from frontdoor.domain.planning.machine_plan import plan_machines
from tests.components.conftest import Recorder, make_providers, provider_ref
from tests.frontdoor.domain.planning.test_fanout import LEGACY, SANDBOX, SNAPSHOT, SOURCE

COMPONENT = "frontdoor:vault:VaultAwsAccess"
BACKEND = "vault:aws/secretBackend:SecretBackend"
ROLE = "vault:aws/secretBackendRole:SecretBackendRole"
STACK_SET = "aws:cloudformation/stackSet:StackSet"
INSTANCE = "aws:cloudformation/stackSetInstance:StackSetInstance"
VAULT_ROLE = "arn:aws:iam::999999999999:role/vault-aws-engine"
ORG = "o-ab12cd34ef"


def _config(**vault: Any) -> MachinesConfig:
    return MachinesConfig.model_validate(
        {
            "vault": {"address": "https://vault.example.com:8200", "vaultRoleArn": VAULT_ROLE, **vault},
            "consumers": {
                "report": {
                    "ownerTeam": "payments",
                    "description": "nightly report",
                    "targets": ["Workloads/Prod/Legacy", "Sandbox", "999999999999"],
                    "policyStatements": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}],
                }
            },
        }
    )


def _build(config: MachinesConfig) -> VaultAwsAccess:
    plans = plan_machines(config, {"payments": object()}, SNAPSHOT, SOURCE, tag_key="team")
    return VaultAwsAccess(
        "machines",
        VaultAwsAccessArgs(
            vault_config=config.vault,
            consumers=plans,
            organization_id=ORG,
            region="eu-west-1",
            vault=vault_provider(config.vault.address, None, None),
            management_provider=make_providers().management,
        ),
    )


def test_children_and_providers(recorder: Recorder) -> None:
    recorder.run(lambda: _build(_config()))
    assert recorder.children_of(recorder.one(COMPONENT)) == {
        (BACKEND, "machines/aws"),
        (ROLE, "machines/report"),
        (STACK_SET, "machines/report/stack-set"),
        (STACK_SET, "machines/report/accounts-stack-set"),
        (INSTANCE, f"machines/report/ou/{LEGACY}"),
        (INSTANCE, f"machines/report/ou/{SANDBOX}"),
        (INSTANCE, "machines/report/account/999999999999"),
    }
    vault = provider_ref(recorder, "vault")
    management = provider_ref(recorder, "aws-management")
    assert {r.name: r.provider for r in recorder.registrations if r.type in (BACKEND, ROLE)} == {
        "machines/aws": vault,
        "machines/report": vault,
    }
    assert {r.provider for r in recorder.registrations if r.type in (STACK_SET, INSTANCE)} == {management}
    assert all(r.protect for r in recorder.registrations if r.custom and not r.type.startswith("pulumi:"))
    assert not [r for r in recorder.registrations if r.type.startswith("aws:iam/")]


def test_the_mount_holds_no_static_key(recorder: Recorder) -> None:
    recorder.run(lambda: _build(_config()))
    backend = recorder.one(BACKEND).inputs
    assert not {"accessKey", "secretKey", "secretKeyWo"} & set(backend)
    assert "roleArn" not in backend  # ambient: Vault's own role, nothing configured on the mount
    assert backend["path"] == "aws" and backend["region"] == "us-east-1"


def test_identity_token_federation_sets_role_and_audience(recorder: Recorder) -> None:
    recorder.run(
        lambda: _build(_config(credentialSource="identity-token", identityTokenAudience="vault.example.com"))
    )
    backend = recorder.one(BACKEND).inputs
    assert (backend["roleArn"], backend["identityTokenAudience"]) == (VAULT_ROLE, "vault.example.com")
    assert not {"accessKey", "secretKey", "secretKeyWo"} & set(backend)


def test_role_is_assumed_role_short_lived_and_team_tagged(recorder: Recorder) -> None:
    recorder.run(lambda: _build(_config()))
    assert recorder.one(ROLE).inputs == {
        "backend": "aws",
        "name": "report",
        "credentialType": "assumed_role",
        "roleArns": [
            "arn:aws:iam::555555555555:role/vault/vault-report",
            "arn:aws:iam::666666666666:role/vault/vault-report",
            "arn:aws:iam::999999999999:role/vault/vault-report",
        ],
        "defaultStsTtl": 900,
        "maxStsTtl": 3600,
        "sessionTags": {"team": "payments"},
    }


def test_stack_sets_are_service_managed_and_trust_only_vault(recorder: Recorder) -> None:
    recorder.run(lambda: _build(_config()))
    stack_sets = {r.name: r.inputs for r in recorder.of_type(STACK_SET)}
    ous, accounts = stack_sets["machines/report/stack-set"], stack_sets["machines/report/accounts-stack-set"]
    assert (ous["name"], accounts["name"]) == ("frontdoor-vault-report", "frontdoor-vault-report-accounts")
    # Auto-deployment ignores account filters (CloudFormation User Guide): only the OU set auto-deploys.
    assert ous["autoDeployment"] == {"enabled": True, "retainStacksOnAccountRemoval": False}
    assert accounts["autoDeployment"] == {"enabled": False}
    for stack_set in (ous, accounts):
        assert stack_set["permissionModel"] == "SERVICE_MANAGED"
        assert stack_set["capabilities"] == ["CAPABILITY_NAMED_IAM"]
        assert stack_set["callAs"] == "SELF"
        role = json.loads(stack_set["templateBody"])["Resources"]["VaultTargetRole"]["Properties"]
        (statement,) = role["AssumeRolePolicyDocument"]["Statement"]
        assert statement["Principal"] == {"AWS": VAULT_ROLE}
        assert statement["Action"] == ["sts:AssumeRole", "sts:TagSession"]
        assert statement["Condition"]["StringEquals"]["aws:PrincipalOrgID"] == ORG
    assert ous["templateBody"] == accounts["templateBody"]


def test_one_instance_per_ou_and_per_account_each_replaced_delete_first(recorder: Recorder) -> None:
    recorder.run(lambda: _build(_config()))
    instances = {r.name: r for r in recorder.of_type(INSTANCE)}
    assert {
        name: (r.inputs["stackSetName"], r.inputs["deploymentTargets"]) for name, r in instances.items()
    } == {
        f"machines/report/ou/{LEGACY}": (
            "frontdoor-vault-report",
            {"organizationalUnitIds": [LEGACY], "accountFilterType": "NONE"},
        ),
        f"machines/report/ou/{SANDBOX}": (
            "frontdoor-vault-report",
            {"organizationalUnitIds": [SANDBOX], "accountFilterType": "NONE"},
        ),
        "machines/report/account/999999999999": (
            "frontdoor-vault-report-accounts",
            {
                "organizationalUnitIds": [SNAPSHOT.root_id],
                "accounts": ["999999999999"],
                "accountFilterType": "INTERSECTION",
            },
        ),
    }
    assert {r.inputs["stackSetInstanceRegion"] for r in instances.values()} == {"eu-west-1"}
    assert {name for name, r in instances.items() if r.delete_before_replace} == set(instances)


def test_the_role_registers_exactly_its_planned_record(recorder: Recorder) -> None:
    config = _config()
    (plan,) = plan_machines(config, {"payments": object()}, SNAPSHOT, SOURCE, tag_key="squad")
    recorder.run(
        lambda: VaultAwsAccess(
            "machines",
            VaultAwsAccessArgs(
                vault_config=config.vault,
                consumers=[plan],
                organization_id=ORG,
                region="eu-west-1",
                vault=vault_provider(config.vault.address, None, None),
                management_provider=make_providers().management,
            ),
        )
    )
    inputs = recorder.one(ROLE).inputs
    # What the pack reads back (MachineRole.from_inputs) is what the plan decided, the tag key included.
    assert inputs == {"backend": "aws", **plan.role.to_inputs()}
    assert MachineRole.from_inputs(inputs) == plan.role
    assert plan.role.session_tags == {"squad": "payments"}
    assert [r.inputs["tags"] for r in recorder.of_type(STACK_SET)] == [
        {"squad": "payments", "frontdoor:machine": "report"}
    ] * 2
