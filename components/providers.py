"""The two explicit AWS providers every frontdoor resource is created through.

Not a component: a function from the organization config to a pair of `aws.Provider`s, one for the
Organizations management account (SCPs, delegated administration) and one for the Identity Center
delegated administrator account (permission sets, assignments, ABAC). Each provider is pinned to its
account with `allowed_account_ids`, so credentials that resolve to any other account fail before a
single API call is made, and retries adaptively because Identity Center throttles at a collective
20 TPS and answers overlapping writes with ConflictException (technical-facts §1, reliability F6).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_aws as aws

from frontdoor.domain.documents.deployer import Deployer
from frontdoor.domain.model.organization import OrganizationConfig

MANAGEMENT_PROVIDER_NAME = "aws-management"
IDENTITY_CENTER_PROVIDER_NAME = "aws-identity-center"
# Client-side rate limiting on throttling errors, on top of the retry budget from the config.
RETRY_MODE = "adaptive"


@dataclass(frozen=True)
class AwsProviders:
    management: aws.Provider
    identity_center: aws.Provider


def _provider(name: str, account_id: str, role_arn: str, org: OrganizationConfig) -> aws.Provider:
    return aws.Provider(
        name,
        region=org.region,
        allowed_account_ids=[account_id],
        assume_roles=[aws.ProviderAssumeRoleArgs(role_arn=role_arn, session_name="frontdoor")],
        retry_mode=RETRY_MODE,
        max_retries=org.max_retries,
    )


def deployer(org: OrganizationConfig) -> Deployer:
    """The one deployer identity of this organization config (frontdoor/domain/documents/deployer.py)."""
    return Deployer(
        role_name=org.deployer_role_name,
        management_account_id=org.management_account_id,
        identity_center_account_id=org.identity_center_account_id,
    )


def aws_providers(org: OrganizationConfig, identity: Deployer | None = None) -> AwsProviders:
    """The management and Identity Center providers, each usable only against its own account.

    `identity` is the role pair they assume: the deployer unless given (the read-only preview role on
    pull requests and in the drift job: frontdoor/domain/documents/provider_identity.py).
    """
    assumed = identity or deployer(org)
    return AwsProviders(
        management=_provider(
            MANAGEMENT_PROVIDER_NAME, org.management_account_id, assumed.management_role_arn, org
        ),
        identity_center=_provider(
            IDENTITY_CENTER_PROVIDER_NAME,
            org.identity_center_account_id,
            assumed.identity_center_role_arn,
            org,
        ),
    )


def break_glass_deployer(org: OrganizationConfig, role_name: str) -> Deployer:
    """The break-glass stack's own deployer: `role_name` in the management account, never the access
    stack's (frontdoor/domain/documents/deploy_permissions.py `break_glass_deploy_policy`)."""
    return Deployer(
        role_name=role_name,
        management_account_id=org.management_account_id,
        identity_center_account_id=org.identity_center_account_id,
    )


def management_provider(org: OrganizationConfig, identity: Deployer) -> aws.Provider:
    """The management account's provider alone, assuming `identity` (the break-glass stack's deployer:
    that stack needs nothing else)."""
    return _provider(MANAGEMENT_PROVIDER_NAME, org.management_account_id, identity.management_role_arn, org)
