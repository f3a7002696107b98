"""Which identity the AWS providers assume: the deployer, or the read-only preview role on PRs and drift.

Pull requests and the drift job run `pulumi preview` with the credentials of the read-only preview role
(`delivery.previewRoleName`). The providers used to assume the deployer (`frontdoor-deploy`) whatever
the credentials, so a PR preview either failed at provider configuration (the preview role may not
assume the deployer, and must not) or, had someone widened the deployer's trust, ran with write access.
The identity is now one choice, made by the environment of the run:

- `FRONTDOOR_IDENTITY` unset or `deployer`: the providers assume the deployer
  (frontdoor/domain/documents/deployer.py);
- `FRONTDOOR_IDENTITY=preview`: they assume the preview role, the same way: `previewRoleName` in the
  management account (the role CI holds, assuming itself) and the role of the same name in the
  Identity Center account. Such a run may only preview: the program refuses to apply with it.

One value names the preview identity, as one names the deployer: the role GitHub gets for PRs, the role
both providers assume in preview, the only roles the preview role may assume (`chain_policy`), and
the role `estate pull`/`drift`/`doctor` read Identity Center through in the drift job.
The preview role may assume nothing else: not the deployer, not `OrganizationAccountAccessRole`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from frontdoor.domain import resource_types
from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.documents.deploy_permissions import ACTIONS, access_types, statements_by_service
from frontdoor.domain.documents.deployer import Deployer
from frontdoor.domain.model.stack import StackConfig

IDENTITY_ENV = "FRONTDOOR_IDENTITY"
DEPLOYER, PREVIEW = "deployer", "preview"
CHAIN_SID = "ChainToPreviewRoles"
PREVIEW_INLINE_POLICY_NAME = "frontdoor-preview"


def identity_mode(environ: Mapping[str, str]) -> str:
    """`deployer` or `preview`, from FRONTDOOR_IDENTITY; anything else is bad input (exit 2)."""
    value = environ.get(IDENTITY_ENV, "").strip() or DEPLOYER
    if value not in (DEPLOYER, PREVIEW):
        raise ConfigError(
            [
                ConfigIssue(
                    "environment",
                    IDENTITY_ENV,
                    value,
                    "not a provider identity",
                    f"set {IDENTITY_ENV}=preview for a read-only preview, or unset it to deploy",
                )
            ]
        )
    return value


def preview_identity(deployer: Deployer, preview_role_name: str) -> Deployer:
    """The preview role pair: the deployer's accounts, the preview role's name."""
    return Deployer(
        role_name=preview_role_name,
        management_account_id=deployer.management_account_id,
        identity_center_account_id=deployer.identity_center_account_id,
        partition=deployer.partition,
    )


def provider_identity(
    deployer: Deployer, preview_role_name: str | None, mode: str, *, source: str
) -> Deployer:
    """The identity both providers assume in this run (`mode` from `identity_mode`)."""
    if mode == DEPLOYER:
        return deployer
    if preview_role_name is None:
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    "frontdoor:delivery",
                    None,
                    f"{IDENTITY_ENV}=preview needs the read-only preview role, which the delivery "
                    "section creates",
                    "add frontdoor:delivery (repository, previewRoleName), or unset "
                    f"{IDENTITY_ENV} to preview as the deployer",
                )
            ]
        )
    return preview_identity(deployer, preview_role_name)


def refuse_apply(mode: str, dry_run: bool) -> None:
    """A preview-identity run that is not a preview (`pulumi up`): stop before any provider is used."""
    if mode == PREVIEW and not dry_run:
        raise ConfigError(
            [
                ConfigIssue(
                    "environment",
                    IDENTITY_ENV,
                    PREVIEW,
                    "the read-only preview identity cannot apply (pulumi up/destroy)",
                    f"unset {IDENTITY_ENV} and deploy with the deployer role (.github/workflows/deploy.yml)",
                )
            ]
        )


def chain_policy(preview: Deployer) -> dict[str, Any]:
    """The preview role's inline policy: assume exactly the preview role pair, nothing else.

    The management provider assumes the preview role from its own session (the trust's self-assume
    statement allows it), the Identity Center provider the role of the same name there. `ReadOnlyAccess`
    grants no `sts:AssumeRole`: without this the PR preview failed at provider configuration.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": CHAIN_SID,
                "Effect": "Allow",
                "Action": ["sts:AssumeRole"],
                "Resource": sorted({preview.management_role_arn, preview.identity_center_role_arn}),
            }
        ],
    }


# What the Identity Center provider reads under the preview identity: its data sources (every preview)
# and, for `pulumi preview --refresh` (the drift job) and adopted resources, the read calls of each type
# it registers: each catalogue entry's `identity_center_reads` (frontdoor/domain/resource_types.py), and
# the read verbs of the Identity Center types' deploy actions (the deployer's read calls of a type).
_READ_VERBS = ("Describe", "Get", "List")
LIVE_READS = "frontdoor:live/identity_center"
IDENTITY_CENTER_READS: dict[str, tuple[str, ...]] = {
    **resource_types.identity_center_reads(),
    # `frontdoor estate pull` and `frontdoor drift` in the drift job (frontdoor/live/identity_center.py).
    LIVE_READS: (
        "sso:ListInstances",
        "sso:ListPermissionSets",
        "sso:DescribePermissionSet",
        "sso:GetInlinePolicyForPermissionSet",
        "sso:ListManagedPoliciesInPermissionSet",
        "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
        "sso:GetPermissionsBoundaryForPermissionSet",
        "sso:ListAccountAssignmentsForPrincipal",
        "identitystore:ListGroups",
        "identitystore:ListUsers",
    ),
    **{
        t: tuple(a for a in actions if a.split(":", 1)[1].startswith(_READ_VERBS) and a.startswith("sso:"))
        for t, actions in ACTIONS.items()
        if t.startswith("aws:ssoadmin/")
    },
}


def identity_center_read_policy() -> dict[str, Any]:
    """The policy of the preview role's namesake in the Identity Center account (created by hand,
    docs/first-run.md): the reads above, nothing that writes."""
    actions = sorted({a for reads in IDENTITY_CENTER_READS.values() for a in reads})
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "PreviewReads", "Effect": "Allow", "Action": actions, "Resource": "*"}],
    }


def read_actions(actions: tuple[str, ...]) -> tuple[str, ...]:
    """The actions of `actions` that only read (Describe, Get, List)."""
    return tuple(a for a in actions if a.split(":", 1)[1].startswith(_READ_VERBS))


# What the preview role reads in the management account besides the reads of the types and data
# sources the management provider registers (`pulumi preview --refresh`, adopted resources):
# `frontdoor estate pull`/`drift`/`doctor` (frontdoor/live/organization.py) and `frontdoor canary
# --live` (frontdoor/live/simulator.py). sts:GetCallerIdentity needs no permission.
MANAGEMENT_LIVE_READS: tuple[str, ...] = (
    "organizations:DescribeOrganization",
    "organizations:ListAccounts",
    "organizations:ListAccountsForParent",
    "organizations:ListAWSServiceAccessForOrganization",
    "organizations:ListDelegatedAdministrators",
    "organizations:ListDelegatedServicesForAccount",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListPolicies",
    "organizations:ListRoots",
    "organizations:ListTargetsForPolicy",
    "iam:SimulateCustomPolicy",
)


def preview_policy(config: StackConfig, preview: Deployer) -> dict[str, Any]:
    """The preview role's inline policy: the reads the preview path makes, and the chain to its pair.

    Not `ReadOnlyAccess`: that lets anyone who can push a branch read every S3 object (the trail's
    logs included) and parameter in the management account. The read verbs of the types the access
    stack's deployer manages (frontdoor/domain/documents/deploy_permissions.py `access_types`: pull
    requests and the drift job preview this stack only), one statement per service, S3 bounded to the
    trail bucket; `iam:SimulateCustomPolicy` evaluates policies passed in the call, reading nothing.
    """
    reads = {a for t in access_types(config) for a in read_actions(ACTIONS[t])}
    reads |= set(MANAGEMENT_LIVE_READS)
    trail_bucket = config.trail.bucket_name if config.trail else None
    if trail_bucket is None:
        reads = {a for a in reads if not a.startswith(("s3:", "cloudtrail:"))}
    datadog = config.trail.datadog if config.trail else None
    statements = statements_by_service(
        "Read", reads, trail_bucket=trail_bucket, forwarder_arn=datadog.forwarder_arn if datadog else None
    )
    statements.extend(chain_policy(preview)["Statement"])
    return {"Version": "2012-10-17", "Statement": statements}
