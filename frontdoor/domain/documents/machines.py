"""Machines as AWS gets them: the target role each Vault consumer gets in its member accounts, that
role's trust policy and the CloudFormation template the StackSet deploys it with.

The `frontdoor:machines` section is frontdoor/domain/model/machines.py (why its shapes: there);
`frontdoor.domain.planning.machine_plan` fans a consumer's targets out to accounts with the SAME
`Resolver` as team grants (research/next-capabilities.md §1). Why these documents:
- `session_tags={<tag key>: <owner>}` (Vault >= 1.17.2): machine sessions carry the same ABAC tag as
  people (the stack's one team tag key, derived by the plan: config/abac_chain.py `abac_tag_key`), and
  the trust policy pins that tag so Vault cannot mint a session for another team.
- The target roles trust only Vault's role, and only from inside the organization
  (`aws:PrincipalOrgID`), with `sts:TagSession` for the session tag.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from frontdoor.domain.contracts import CHAINED_SESSION_MAX_SECONDS
from frontdoor.domain.model.machines import ACCOUNTS_SUFFIX, MachineConsumer

ASSUMED_ROLE = "assumed_role"
CONSUMER_TAG = "frontdoor:machine"
ROLE_PATH = "/vault/"


# --- names -----------------------------------------------------------------------------------------


def target_role_name(consumer: str) -> str:
    """The role each target account gets for one consumer (IAM role names allow 64 characters)."""
    return f"vault-{consumer}"


def target_role_arn(account_id: str, consumer: str) -> str:
    return f"arn:aws:iam::{account_id}:role{ROLE_PATH}{target_role_name(consumer)}"


def stack_set_name(consumer: str, *, accounts: bool = False) -> str:
    """The consumer's StackSet: its OU targets' (auto-deploying), or with `accounts` its account targets'."""
    return f"frontdoor-vault-{consumer}{ACCOUNTS_SUFFIX if accounts else ''}"


# --- documents -------------------------------------------------------------------------------------


def trust_policy(vault_role_arn: str, organization_id: str, owner_team: str, tag_key: str) -> dict[str, Any]:
    """Only Vault's role, from inside the organization, with the owner's team as the session tag."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "VaultAssumesWithOwnerTeamTag",
                "Effect": "Allow",
                "Principal": {"AWS": vault_role_arn},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {
                    "StringEquals": {
                        "aws:PrincipalOrgID": organization_id,
                        f"aws:RequestTag/{tag_key}": owner_team,
                    }
                },
            }
        ],
    }


def check_trust(document: Mapping[str, Any], vault_role_arn: str) -> None:
    """ValueError unless every Allow trusts only Vault's role, pins aws:PrincipalOrgID and allows TagSession.

    The component renders its own trust and checks it here before registering, so a later edit of
    `trust_policy` that drops a condition fails the program (and its tests), not a production account.
    """
    statements = document.get("Statement")
    if not isinstance(statements, list) or not statements:
        raise ValueError("the trust policy has no statements")
    for statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        trusted = principal.get("AWS") if isinstance(principal, Mapping) else principal
        if trusted != vault_role_arn:
            raise ValueError(
                f"the trust policy trusts {trusted!r}; it must trust only Vault's role {vault_role_arn!r}"
            )
        actions = statement.get("Action")
        actions = [actions] if isinstance(actions, str) else list(actions or [])
        if "sts:TagSession" not in actions:
            raise ValueError(
                "the trust policy does not allow sts:TagSession, so Vault's session_tags would be refused"
            )
        equals = (statement.get("Condition") or {}).get("StringEquals") or {}
        if not equals.get("aws:PrincipalOrgID"):
            raise ValueError(
                "the trust policy has no aws:PrincipalOrgID condition: add StringEquals "
                '{"aws:PrincipalOrgID": "<organization id>"} so only principals of the organization can '
                "assume it"
            )


def role_template(
    consumer: str, spec: MachineConsumer, vault_role_arn: str, organization_id: str, tag_key: str
) -> dict[str, Any]:
    """The CloudFormation template the StackSet deploys to each target account: one IAM role."""
    trust = trust_policy(vault_role_arn, organization_id, spec.owner_team, tag_key)
    check_trust(trust, vault_role_arn)
    properties: dict[str, Any] = {
        "RoleName": target_role_name(consumer),
        "Path": ROLE_PATH,
        "Description": f"Vault-issued credentials for {consumer} ({spec.description})"[:1000],
        # IAM's minimum, and all a chained session can use anyway (CHAINED_SESSION_MAX_SECONDS).
        "MaxSessionDuration": CHAINED_SESSION_MAX_SECONDS,
        "AssumeRolePolicyDocument": trust,
        "Tags": [
            {"Key": tag_key, "Value": spec.owner_team},
            {"Key": CONSUMER_TAG, "Value": consumer},
        ],
    }
    if spec.managed_policy_arns:
        properties["ManagedPolicyArns"] = [
            {"Fn::Sub": arn} if "${" in arn else arn for arn in spec.managed_policy_arns
        ]
    if spec.policy_statements:
        properties["Policies"] = [
            {
                "PolicyName": "permissions",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": spec.policy_statements},
            }
        ]
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"frontdoor: target role for the Vault consumer {consumer}",
        "Resources": {"VaultTargetRole": {"Type": "AWS::IAM::Role", "Properties": properties}},
    }


def render_template(template: Mapping[str, Any]) -> str:
    return json.dumps(template, separators=(",", ":"), sort_keys=True)
