"""The live reads `adopt` needs beyond drift's: every SCP with its content and targets, the OIDC
providers of an account, and the instance's ABAC configuration.

Organizations: ListPolicies (SERVICE_CONTROL_POLICY), then per customer-managed policy DescribePolicy
(its content, to tell an update from nothing) and ListTargetsForPolicy; the AWS-managed
FullAWSAccess is skipped (it is attached everywhere and no stack owns it). IAM:
ListOpenIDConnectProviders and GetOpenIDConnectProvider per provider (the URL is only in the
latter). sso-admin: DescribeInstanceAccessControlAttributeConfiguration (ResourceNotFoundException:
none configured).
"""

from __future__ import annotations

from typing import Any

from frontdoor.domain.reconcile.import_ids import LiveScpPolicy, canonical, oidc_key
from frontdoor.live.aws import LiveError, LiveSession, call, paginate
from frontdoor.live.organization import PAGE_SIZES, SCP, concurrently

NOT_CONFIGURED = "ResourceNotFoundException"


def read_scps(live: LiveSession) -> dict[str, LiveScpPolicy]:
    """Every customer-managed SCP by name, with its canonical content and its targets."""
    organizations = live.client("organizations")
    policies = [
        p
        for p in paginate(
            organizations,
            "list_policies",
            "Policies",
            account=live.account,
            Filter=SCP,
            PaginationConfig={"PageSize": PAGE_SIZES["list_policies"]},
        )
        if not p.get("AwsManaged")
    ]

    def read(policy: dict[str, Any]) -> LiveScpPolicy:
        described = call(organizations.describe_policy, account=live.account, PolicyId=policy["Id"])
        targets = paginate(
            organizations,
            "list_targets_for_policy",
            "Targets",
            account=live.account,
            PolicyId=policy["Id"],
            PaginationConfig={"PageSize": PAGE_SIZES["list_targets_for_policy"]},
        )
        return LiveScpPolicy(
            id=str(policy["Id"]),
            name=str(policy["Name"]),
            content=canonical(described["Policy"].get("Content") or ""),
            targets=frozenset(str(t["TargetId"]) for t in targets),
        )

    return {scp.name: scp for scp in concurrently(read, policies)}


def read_oidc_providers(live: LiveSession, account_id: str) -> dict[str, str]:
    """`oidc_key(account, url)` -> provider ARN for every OIDC provider of the session's account."""
    iam = live.client("iam")
    listed = call(iam.list_open_id_connect_providers, account=account_id)["OpenIDConnectProviderList"]
    found: dict[str, str] = {}
    for provider in listed:
        arn = str(provider["Arn"])
        url = call(iam.get_open_id_connect_provider, account=account_id, OpenIDConnectProviderArn=arn)["Url"]
        found[oidc_key(account_id, str(url))] = arn
    return found


def read_abac(live: LiveSession, instance_arn: str) -> bool:
    """Whether the instance has access control attributes configured."""
    try:
        answer = call(
            live.client("sso-admin").describe_instance_access_control_attribute_configuration,
            account=live.account,
            InstanceArn=instance_arn,
        )
    except LiveError as error:
        if str(error).startswith(f"{NOT_CONFIGURED}:"):
            return False
        raise
    attributes = (answer.get("InstanceAccessControlAttributeConfiguration") or {}).get(
        "AccessControlAttributes"
    )
    return bool(attributes)
