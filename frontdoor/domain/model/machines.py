"""`frontdoor:machines`: the few non-human consumers that cannot use OIDC, served by Vault's AWS secrets
engine: the Vault mount and its consumers (who owns each, where it may act, with which permissions).

Why these shapes (the roles, trust and template they become are frontdoor/domain/documents/machines.py):
- `credential_type="assumed_role"` only: `iam_user` creates exactly the IAM users the posture scanner
  alerts on (eventually consistent, leaked on failed revocation), `federation_token`/`session_token`
  need IAM-user root credentials (Vault docs, secrets/aws).
- STS credentials have no revocable lease (vault#9728), so TTLs are short: 15 minutes by default,
  1 hour at most, which is also what STS allows: Vault's own credential is a role session in both
  credential sources, so every AssumeRole it makes is role chaining, capped at one hour
  (`CHAINED_SESSION_MAX_SECONDS`, botocore sts AssumeRoleRequest.DurationSeconds).
- Vault's own credential is never a static key in state: `ambient` (Vault's instance/IRSA role, no
  key given to the mount) or `identity-token` (plugin workload identity federation, Vault Enterprise
  1.16+: `role_arn` + `identity_token_audience`).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.contracts import CHAINED_SESSION_MAX_SECONDS
from frontdoor.domain.model.fields import Model
from frontdoor.domain.model.grants import classify_target

DEFAULT_TTL_SECONDS = 900
MAX_TTL_SECONDS = CHAINED_SESSION_MAX_SECONDS
AWS_MANAGED_ARN_RE = re.compile(r"^arn:aws(-[a-z]{1,5}){0,3}:iam::aws:policy/[\w+=,.@/-]+$")
# The suffix of a consumer's second StackSet, the one for its account targets.
ACCOUNTS_SUFFIX = "-accounts"
CONSUMER_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
IAM_ROLE_ARN_RE = re.compile(r"^arn:aws(-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
MOUNT_PATH_RE = re.compile(r"^[a-z0-9][a-z0-9_/-]{0,63}$")
CUSTOMER_POLICY_ARN_RE = re.compile(
    r"^arn:aws(-[a-z]+)*:iam::(aws|\d{12}|\$\{AWS::AccountId\}):policy/[\w+=,.@/-]+$"
)


# Vault's own name pattern for a role path segment (vault sdk framework.GenericNameRegex, which the JWT
# auth method's `role/<name>` path uses): word characters, with "-" and "." inside.
VAULT_ROLE_NAME_RE = re.compile(r"^[0-9A-Za-z_]([0-9A-Za-z_.-]*[0-9A-Za-z_])?$")


class VaultCiLogin(Model):
    """How CI logs in to Vault: the JWT auth mount and one Vault role per provider identity.

    The Vault provider logs in with `auth_login_jwt {role, mount}`; the token itself comes from
    TERRAFORM_VAULT_AUTH_JWT, which the workflow fills with the job's GitHub OIDC token
    (docs/first-run.md "Vault login"), so no Vault credential is ever in the stack config or state.
    """

    mount: str = "jwt"  # terraform-provider-vault auth_login_jwt's default mount
    deployer_role: str  # bound to sub repo:<owner>/<repo>:environment:prod
    preview_role: str  # bound to the pull_request and main-branch subjects, read-only policies

    @field_validator("mount")
    @classmethod
    def _mount(cls, value: str) -> str:
        if not MOUNT_PATH_RE.match(value):
            raise FixHint(
                "not a Vault mount path",
                'the path of `vault auth enable -path=<path> jwt`, e.g. "github-actions"',
            )
        return value

    @field_validator("deployer_role", "preview_role")
    @classmethod
    def _role(cls, value: str) -> str:
        if not VAULT_ROLE_NAME_RE.match(value):
            raise FixHint(
                "not a Vault role name (letters, digits, _, and - or . inside)",
                'the role of `vault write auth/<mount>/role/<name>`, e.g. "frontdoor-deploy"',
            )
        return value


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
    # CI's Vault login (the provider's auth_login_jwt); absent, the provider uses VAULT_TOKEN.
    ci_login: VaultCiLogin | None = None

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
    max_ttl_seconds: int = Field(default=MAX_TTL_SECONDS, ge=900)

    @field_validator("default_ttl_seconds", "max_ttl_seconds")
    @classmethod
    def _chained_cap(cls, value: int) -> int:
        if value > CHAINED_SESSION_MAX_SECONDS:
            raise FixHint(
                f"{value} seconds is over the one-hour cap STS puts on role chaining: Vault's own credential "
                "is a role session, so an AssumeRole asking for more fails at issue (botocore sts "
                "AssumeRoleRequest.DurationSeconds)",
                f"use at most {CHAINED_SESSION_MAX_SECONDS} seconds (900, the default, is the usual choice)",
            )
        return value

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
        for name in value:
            # Consumer `x`'s account targets get the StackSet frontdoor-vault-x-accounts
            # (frontdoor.domain.documents.machines.stack_set_name), which is consumer `x-accounts`'s own
            # StackSet name: CreateStackSet refuses the second (NameAlreadyExistsException, botocore).
            owner = name.removesuffix(ACCOUNTS_SUFFIX)
            if (
                owner != name
                and owner in value
                and any(classify_target(t) == "account" for t in value[owner].targets)
            ):
                raise FixHint(
                    f"its StackSet would be named like consumer {owner!r}'s account-target StackSet "
                    f"(frontdoor-vault-{name})",
                    f"rename the consumer so it does not end in '{ACCOUNTS_SUFFIX}'",
                    at=(name,),
                    value=name,
                )
        return value
