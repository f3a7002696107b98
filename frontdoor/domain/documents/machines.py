"""Machines: the few non-human consumers that cannot use OIDC, served by Vault's AWS secrets engine.

Owns the `frontdoor:machines` config (the Vault mount and its consumers), the names of the target role
each consumer gets in its member accounts, that role's trust policy and CloudFormation template (the
StackSet deploys it). `frontdoor.domain.planning.machine_plan` fans a consumer's targets out to accounts with
the SAME `Resolver` as team grants (research/next-capabilities.md §1).

Why these shapes:
- `credential_type="assumed_role"` only: `iam_user` creates exactly the IAM users the posture scanner
  alerts on (eventually consistent, leaked on failed revocation), `federation_token`/`session_token`
  need IAM-user root credentials (Vault docs, secrets/aws).
- STS credentials have no revocable lease (vault#9728), so TTLs are short: 15 minutes by default,
  1 hour at most; when Vault itself runs on an IAM role, role chaining caps sessions at 1 h anyway.
- `session_tags={"team": <owner>}` (Vault >= 1.17.2): machine sessions carry the same ABAC tag as
  people, and the trust policy pins that tag so Vault cannot mint a session for another team.
- Vault's own credential is never a static key in state: `ambient` (Vault's instance/IRSA role, no
  key given to the mount) or `identity-token` (plugin workload identity federation, Vault Enterprise
  1.16+: `role_arn` + `identity_token_audience`).
- The target roles trust only Vault's role, and only from inside the organization
  (`aws:PrincipalOrgID`), with `sts:TagSession` for the session tag.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

from frontdoor.domain.base.errors import FixHint

DEFAULT_TTL_SECONDS = 900
MAX_TTL_SECONDS = 3600
# STS refuses DurationSeconds above a role's MaxSessionDuration, which is at most 12 h.
STS_CEILING_SECONDS = 43_200
ASSUMED_ROLE = "assumed_role"
TEAM_TAG = "team"
CONSUMER_TAG = "frontdoor:machine"
ROLE_PATH = "/vault/"

AWS_MANAGED_ARN_RE = re.compile(r"^arn:aws(-[a-z]{1,5}){0,3}:iam::aws:policy/[\w+=,.@/-]+$")
CONSUMER_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
IAM_ROLE_ARN_RE = re.compile(r"^arn:aws(-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
MOUNT_PATH_RE = re.compile(r"^[a-z0-9][a-z0-9_/-]{0,63}$")
CUSTOMER_POLICY_ARN_RE = re.compile(
    r"^arn:aws(-[a-z]+)*:iam::(aws|\d{12}|\$\{AWS::AccountId\}):policy/[\w+=,.@/-]+$"
)


class Model(BaseModel):
    # The stack model's settings (frontdoor.domain.model.stack.Model), repeated because model.py imports
    # this module for StackConfig.machines.
    model_config = ConfigDict(
        frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True, validate_default=True
    )


class VaultConfig(Model):
    """The Vault server and its AWS secrets engine mount."""

    address: str
    namespace: str | None = None
    mount_path: str = "aws"
    region: str = "us-east-1"
    # The IAM role Vault's AWS engine acts as: the only principal the member-account roles trust.
    vault_role_arn: str
    # ambient: Vault runs with that role (instance profile / IRSA) and the mount holds no key at all.
    # identity-token: plugin workload identity federation (Vault Enterprise 1.16+).
    credential_source: Literal["ambient", "identity-token"] = "ambient"
    identity_token_audience: str | None = None

    @field_validator("address")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise FixHint(
                "the Vault address must be an https:// URL", 'e.g. "https://vault.example.com:8200"'
            )
        return value

    @field_validator("mount_path")
    @classmethod
    def _mount(cls, value: str) -> str:
        if not MOUNT_PATH_RE.match(value):
            raise FixHint(
                "not a Vault mount path", 'use lowercase letters, digits, "-", "_" and "/", e.g. "aws"'
            )
        return value

    @field_validator("vault_role_arn")
    @classmethod
    def _role(cls, value: str) -> str:
        if not IAM_ROLE_ARN_RE.match(value):
            raise FixHint(
                "not an IAM role ARN",
                'give the role Vault runs as, e.g. "arn:aws:iam::111111111111:role/vault-aws-engine" '
                "(never an IAM user: its key would be a static credential)",
            )
        return value

    @model_validator(mode="after")
    def _token_audience(self) -> VaultConfig:
        if self.credential_source == "identity-token" and not self.identity_token_audience:
            raise FixHint(
                "credentialSource identity-token needs identityTokenAudience",
                "set identityTokenAudience to the audience the IAM OIDC provider for Vault expects",
                at=("identityTokenAudience",),
                value=None,
            )
        if self.credential_source == "ambient" and self.identity_token_audience:
            raise FixHint(
                "identityTokenAudience is only used with credentialSource: identity-token",
                "remove it, or set credentialSource: identity-token",
                at=("identityTokenAudience",),
                value=self.identity_token_audience,
            )
        return self


class MachineConsumer(Model):
    """One non-human consumer: who owns it, where it may act, and with which permissions."""

    owner_team: str
    description: str = Field(min_length=1, max_length=256)
    targets: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)
    policy_statements: list[dict[str, Any]] = Field(default_factory=list)
    managed_policy_arns: list[str] = Field(default_factory=list)
    default_ttl_seconds: int = Field(default=DEFAULT_TTL_SECONDS, ge=900)
    max_ttl_seconds: int = Field(default=MAX_TTL_SECONDS, ge=900, le=STS_CEILING_SECONDS)

    @field_validator("targets", "exclude")
    @classmethod
    def _targets(cls, value: list[str]) -> list[str]:
        for index, target in enumerate(value):
            if not target or target != target.strip() or target.startswith("/") or target.endswith("/"):
                raise FixHint(
                    "malformed target",
                    'write OU paths like "Workloads/Prod", OU ids like "ou-ab12-cdef3456", 12-digit '
                    'account ids, or "*" for the whole organization (as in team grants)',
                    at=(index,),
                    value=target,
                )
        if len(set(value)) != len(value):
            raise FixHint("a target is listed twice", "list each target once")
        return value

    @field_validator("managed_policy_arns")
    @classmethod
    def _arns(cls, value: list[str]) -> list[str]:
        for index, arn in enumerate(value):
            if not (AWS_MANAGED_ARN_RE.match(arn) or CUSTOMER_POLICY_ARN_RE.match(arn)):
                raise FixHint(
                    "not an IAM policy ARN",
                    "use arn:aws:iam::aws:policy/<Name>, or arn:aws:iam::${AWS::AccountId}:policy/<Name> "
                    "for a customer-managed policy that exists in every target account",
                    at=(index,),
                    value=arn,
                )
        return value

    @field_validator("policy_statements")
    @classmethod
    def _statements(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for index, statement in enumerate(value):
            if statement.get("Effect") not in ("Allow", "Deny") or "Action" not in statement:
                raise FixHint(
                    "a policy statement needs Effect (Allow or Deny) and Action",
                    'write it as {Effect: Allow, Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*"}',
                    at=(index,),
                    value=statement,
                )
        return value

    @model_validator(mode="after")
    def _permissions_and_ttl(self) -> MachineConsumer:
        if not self.policy_statements and not self.managed_policy_arns:
            raise FixHint(
                "the consumer has no permissions",
                "give policyStatements (an inline policy) or managedPolicyArns",
                at=("policyStatements",),
                value=[],
            )
        if self.default_ttl_seconds > self.max_ttl_seconds:
            raise FixHint(
                f"defaultTtlSeconds {self.default_ttl_seconds} is above maxTtlSeconds {self.max_ttl_seconds}",
                "lower defaultTtlSeconds (900 is the default) or raise maxTtlSeconds",
                at=("defaultTtlSeconds",),
                value=self.default_ttl_seconds,
            )
        return self


class MachinesConfig(Model):
    """`frontdoor:machines`: the Vault mount and its consumers (name -> consumer)."""

    vault: VaultConfig
    consumers: dict[str, MachineConsumer] = Field(min_length=1)

    @field_validator("consumers")
    @classmethod
    def _names(cls, value: dict[str, MachineConsumer]) -> dict[str, MachineConsumer]:
        for name in value:
            if not CONSUMER_NAME_RE.match(name):
                raise FixHint(
                    "consumer name is not a lowercase slug",
                    "use lowercase letters, digits and '-', starting with a letter, at most 40 characters",
                    at=(name,),
                    value=name,
                )
        return value


# --- names -----------------------------------------------------------------------------------------


def target_role_name(consumer: str) -> str:
    """The role each target account gets for one consumer (IAM role names allow 64 characters)."""
    return f"vault-{consumer}"


def target_role_arn(account_id: str, consumer: str) -> str:
    return f"arn:aws:iam::{account_id}:role{ROLE_PATH}{target_role_name(consumer)}"


def stack_set_name(consumer: str) -> str:
    return f"frontdoor-vault-{consumer}"


# --- documents -------------------------------------------------------------------------------------


def trust_policy(vault_role_arn: str, organization_id: str, owner_team: str) -> dict[str, Any]:
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
                        f"aws:RequestTag/{TEAM_TAG}": owner_team,
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
    consumer: str, spec: MachineConsumer, vault_role_arn: str, organization_id: str
) -> dict[str, Any]:
    """The CloudFormation template the StackSet deploys to each target account: one IAM role."""
    trust = trust_policy(vault_role_arn, organization_id, spec.owner_team)
    check_trust(trust, vault_role_arn)
    properties: dict[str, Any] = {
        "RoleName": target_role_name(consumer),
        "Path": ROLE_PATH,
        "Description": f"Vault-issued credentials for {consumer} ({spec.description})"[:1000],
        "MaxSessionDuration": max(spec.max_ttl_seconds, 3600),
        "AssumeRolePolicyDocument": trust,
        "Tags": [
            {"Key": TEAM_TAG, "Value": spec.owner_team},
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
