"""The roles the stack's providers assume, as documents an administrator creates before the first apply.

Both providers assume a role before their first call (components/providers.py): the deployer (or the
read-only preview role) in the management account and its namesake in the Identity Center account. No
run of this stack can create the role its own provider must assume first, so they are made beforehand
from exactly these documents (`frontdoor bootstrap-roles` prints them with the AWS CLI commands) and the
management-account pair is then adopted (`delivery.adoptDeployRole`, `adoptPreviewRole`,
`adoptOidcProvider`). The management-account documents are the ones the stack registers
(components/access_platform.py `_delivery`; a test compares them with the offline engine's records), so
the adopted roles need no change; the Identity Center account's pair is not managed by the stack (the
management provider cannot reach IAM there).
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from frontdoor.domain.documents.deploy_permissions import access_deploy_policy, identity_center_deploy_policy
from frontdoor.domain.documents.deployer import Deployer, self_assume_statement
from frontdoor.domain.documents.github_oidc import (
    GITHUB_OIDC_URL,
    STS_AUDIENCE,
    provider_arn,
    token_subjects,
    trust_policy,
)
from frontdoor.domain.documents.provider_identity import (
    PREVIEW_INLINE_POLICY_NAME,
    identity_center_read_policy,
    preview_identity,
    preview_policy,
)
from frontdoor.domain.documents.render import render_policy
from frontdoor.domain.model.stack import StackConfig

# The deploy role's sessions outlive the first full apply (README "Deploying for real": the arithmetic).
DEPLOY_SESSION_SECONDS = 4 * 3600
PREVIEW_SESSION_SECONDS = 3600
DEPLOY_ROLE_DESCRIPTION = "frontdoor CI: GitHub Actions deploys through OIDC (no stored keys)"
DEPLOY_INLINE_POLICY_NAME = "frontdoor-deploy"
IDENTITY_CENTER_ROLE_DESCRIPTION = "frontdoor: assumed from the management account role of the same name"


@dataclass(frozen=True)
class RoleDocuments:
    """One role as an administrator creates it: where, its trust, its inline policy, its session."""

    account_id: str
    name: str
    trust: Mapping[str, Any]
    policy: Mapping[str, Any] | None  # None: not derived here (said in `note`)
    policy_name: str
    max_session_seconds: int
    description: str
    note: str = ""

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account_id}:role/{self.name}"

    def files(self) -> dict[str, str]:
        """File name -> content: the trust and the policy as the stack renders them."""
        files = {f"trust-{self.account_id}-{self.name}.json": render_policy(self.trust)}
        if self.policy is not None:
            files[f"policy-{self.account_id}-{self.name}.json"] = render_policy(self.policy)
        return files

    def commands(self) -> list[str]:
        """The AWS CLI commands that create it (run with credentials of `account_id`)."""
        trust, *policy = self.files()
        lines = [
            "aws iam create-role --role-name "
            + shlex.quote(self.name)
            + f" --assume-role-policy-document file://{trust}"
            + f" --max-session-duration {self.max_session_seconds}"
            + " --description "
            + shlex.quote(self.description)
        ]
        if policy:
            lines.append(
                f"aws iam put-role-policy --role-name {shlex.quote(self.name)} --policy-name "
                f"{shlex.quote(self.policy_name)} --policy-document file://{policy[0]}"
            )
        return lines


def oidc_provider_command() -> str:
    """The account's GitHub OIDC provider (IAM CreateOpenIDConnectProvider: Url is the one required
    member; the deploy role's trust names it, and IAM rejects a trust whose principal does not exist)."""
    return f"aws iam create-open-id-connect-provider --url {GITHUB_OIDC_URL} --client-id-list {STS_AUDIENCE}"


def _deployer(config: StackConfig) -> Deployer:
    org = config.organization
    return Deployer(
        role_name=org.deployer_role_name,
        management_account_id=org.management_account_id,
        identity_center_account_id=org.identity_center_account_id,
    )


def management_roles(config: StackConfig) -> tuple[RoleDocuments, ...]:
    """The deploy role and the preview role of `frontdoor:delivery`, as the stack registers them."""
    delivery = config.delivery
    if delivery is None:
        return ()
    deployer = _deployer(config)
    management = deployer.management_account_id
    deploy_trust = trust_policy(
        provider_arn(management),
        token_subjects(delivery.repository, environments=tuple(delivery.deploy_environments)),
    )
    deploy_trust["Statement"].append(self_assume_statement(deployer))
    reader = preview_identity(deployer, delivery.preview_role_name)
    preview_trust = trust_policy(
        provider_arn(management),
        token_subjects(delivery.repository, branches=tuple(delivery.preview_branches), pull_requests=True),
    )
    preview_trust["Statement"].append(self_assume_statement(reader))
    return (
        RoleDocuments(
            management,
            deployer.role_name,
            deploy_trust,
            access_deploy_policy(config, deployer),
            DEPLOY_INLINE_POLICY_NAME,
            DEPLOY_SESSION_SECONDS,
            DEPLOY_ROLE_DESCRIPTION,
        ),
        RoleDocuments(
            management,
            delivery.preview_role_name,
            preview_trust,
            preview_policy(config, reader),
            PREVIEW_INLINE_POLICY_NAME,
            PREVIEW_SESSION_SECONDS,
            DEPLOY_ROLE_DESCRIPTION,
        ),
    )


def _trusting(role_arn: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AssumedFromTheManagementAccount",
                "Effect": "Allow",
                "Principal": {"AWS": role_arn},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def identity_center_roles(config: StackConfig) -> tuple[RoleDocuments, ...]:
    """The namesakes the Identity Center provider assumes in the delegated administrator account."""
    deployer = _deployer(config)
    center = deployer.identity_center_account_id
    roles = [
        RoleDocuments(
            center,
            deployer.role_name,
            _trusting(deployer.management_role_arn),
            identity_center_deploy_policy(),
            DEPLOY_INLINE_POLICY_NAME,
            PREVIEW_SESSION_SECONDS,
            IDENTITY_CENTER_ROLE_DESCRIPTION,
        )
    ]
    if config.delivery is not None:
        reader = preview_identity(deployer, config.delivery.preview_role_name)
        roles.append(
            RoleDocuments(
                center,
                reader.role_name,
                _trusting(reader.management_role_arn),
                identity_center_read_policy(),
                PREVIEW_INLINE_POLICY_NAME,
                PREVIEW_SESSION_SECONDS,
                IDENTITY_CENTER_ROLE_DESCRIPTION,
            )
        )
    return tuple(roles)
