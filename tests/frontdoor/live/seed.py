"""Seed the local AWS API server with an estate: the organization, Identity Center and what the plan grants.

Everything goes through the real APIs (boto3 against the moto server), as an administrator would
click it, with two exceptions the APIs themselves cannot express, done on the in-process server:
- ids: AWS (and moto) allocate organization, root, OU, account and group ids themselves; the demo's
  stack config names fixed ids, so while seeding the server allocates the estate's ids
  (`allocating`). The calls made are the ordinary Create* calls.
- the management account's name and e-mail are set at sign-up, before Organizations exists, and the
  Identity Center instance is created by enabling it in the console: no API sets either, so the
  seed writes them on the server's objects.
The product code reads all of it back through boto3 only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import moto.identitystore.models as identitystore_models
import moto.organizations.utils as organizations_utils
from moto.organizations.models import organizations_backends
from moto.ssoadmin.models import ssoadmin_backends

from frontdoor.domain.contracts import ORG_POLICY, ORG_POLICY_ATTACHMENT
from frontdoor.offline.estate import Estate, EstateOu
from frontdoor.offline.preview import PreviewResult
from frontdoor.offline.report import access_rows

REGION = "us-east-1"
ROLE = "OrganizationAccountAccessRole"
SSO = "sso.amazonaws.com"
CLOUDTRAIL = "cloudtrail.amazonaws.com"


class _Allocator:
    """The ids the server hands out next; None falls back to moto's own random ids."""

    def __init__(self) -> None:
        self.org: str | None = None
        self.root: str | None = None
        self.ou: str | None = None
        self.account: str | None = None
        self.group: str | None = None


@contextmanager
def allocating() -> Iterator[_Allocator]:
    ids = _Allocator()
    originals = (
        organizations_utils.make_random_org_id,
        organizations_utils.make_random_root_id,
        organizations_utils.make_random_ou_id,
        organizations_utils.make_random_account_id,
        identitystore_models.mock_random,
    )
    real_random = identitystore_models.mock_random

    class _GroupIds:
        def uuid4(self) -> str:
            return ids.group or str(real_random.uuid4())

        def __getattr__(self, name: str) -> Any:
            return getattr(real_random, name)

    organizations_utils.make_random_org_id = lambda: ids.org or originals[0]()
    organizations_utils.make_random_root_id = lambda: ids.root or originals[1]()
    organizations_utils.make_random_ou_id = lambda root_id: ids.ou or originals[2](root_id)
    organizations_utils.make_random_account_id = lambda: ids.account or originals[3]()
    identitystore_models.mock_random = _GroupIds()  # type: ignore[assignment]
    try:
        yield ids
    finally:
        (
            organizations_utils.make_random_org_id,
            organizations_utils.make_random_root_id,
            organizations_utils.make_random_ou_id,
            organizations_utils.make_random_account_id,
            identitystore_models.mock_random,
        ) = originals


def credentials_for(account_id: str) -> dict[str, str]:
    """Credentials that act in `account_id` on the server (an assumed role there)."""
    sts = boto3.client("sts", region_name=REGION)
    found = sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/{ROLE}", RoleSessionName="seed")[
        "Credentials"
    ]
    return {
        "AWS_ACCESS_KEY_ID": found["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": found["SecretAccessKey"],
        "AWS_SESSION_TOKEN": found["SessionToken"],
    }


def session_for(account_id: str) -> boto3.Session:
    env = credentials_for(account_id)
    return boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=env["AWS_SESSION_TOKEN"],
        region_name=REGION,
    )


@dataclass
class Seeded:
    """What the seed created, for tests that plant drift on top."""

    management: boto3.Session
    identity_center: boto3.Session
    instance_arn: str
    identity_store_id: str
    permission_sets: dict[str, str] = field(default_factory=dict)  # name -> ARN
    policies: dict[str, str] = field(default_factory=dict)  # SCP name -> id


def seed_organization(
    estate: Estate,
    *,
    identity_center_account: str,
    trusted: tuple[str, ...] = (SSO, CLOUDTRAIL),
    enable_scps: bool = True,
    delegate: bool = True,
    groups: bool = True,
) -> Seeded:
    """The estate's organization and Identity Center instance and groups (no permission sets yet)."""
    management_id = estate.organization.management_account.id
    management = session_for(management_id)
    organizations = management.client("organizations")
    with allocating() as ids:
        ids.org, ids.root = estate.organization.id, estate.organization.root_id
        organizations.create_organization(FeatureSet="ALL")
        ids.org = ids.root = None
        backend = organizations_backends[management_id]["aws"]
        owner = backend.get_account_by_id(management_id)
        owner.name = estate.organization.management_account.name
        owner.email = estate.organization.management_account.email or owner.email

        def create(account_id: str, name: str, email: str | None, parent: str, state: str) -> None:
            ids.account = account_id
            organizations.create_account(AccountName=name, Email=email or f"{name}@example.com")
            ids.account = None
            if parent != estate.organization.root_id:
                organizations.move_account(
                    AccountId=account_id,
                    SourceParentId=estate.organization.root_id,
                    DestinationParentId=parent,
                )
            if state == "SUSPENDED":
                organizations.close_account(AccountId=account_id)

        def build(children: list[EstateOu], parent: str) -> None:
            for ou in children:
                ids.ou = ou.id
                organizations.create_organizational_unit(ParentId=parent, Name=ou.name)
                ids.ou = None
                for account in ou.accounts:
                    create(account.id, account.name, account.email, ou.id, account.state)
                build(ou.children, ou.id)

        for account in estate.accounts:
            create(account.id, account.name, account.email, estate.organization.root_id, account.state)
        build(estate.ous, estate.organization.root_id)
        for principal in trusted:
            organizations.enable_aws_service_access(ServicePrincipal=principal)
        if enable_scps:
            organizations.enable_policy_type(
                RootId=estate.organization.root_id, PolicyType="SERVICE_CONTROL_POLICY"
            )
        if delegate:
            organizations.register_delegated_administrator(
                AccountId=identity_center_account, ServicePrincipal=SSO
            )

        center = session_for(identity_center_account)
        center.client("sso-admin").list_instances()  # the instance exists once Identity Center is enabled
        instance = ssoadmin_backends[identity_center_account][REGION].instances[0]
        instance.instance_arn = estate.identity_center.instance_arn
        instance.identity_store_id = estate.identity_center.identity_store_id
        store = center.client("identitystore")
        if groups:
            for name, group_id in estate.synced_groups.items():
                ids.group = group_id
                store.create_group(IdentityStoreId=estate.identity_center.identity_store_id, DisplayName=name)
            ids.group = None
    return Seeded(
        management=management,
        identity_center=center,
        instance_arn=estate.identity_center.instance_arn,
        identity_store_id=estate.identity_center.identity_store_id,
    )


GITHUB_THUMBPRINT = "6938fd4d98bab03faadb97b34396831e3780aea1"
TRUST_ANY_IN_ACCOUNT = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},'
    '"Action":"sts:AssumeRole"}]}'
)


def seed_management_iam(seeded: Seeded, estate: Estate) -> None:
    """The estate's `managementAccount` facts in the management account: the roles that exist, the OIDC
    providers, the break-glass users at their paths."""
    facts = estate.management_account
    iam = seeded.management.client("iam")
    account = estate.organization.management_account.id
    for name, exists in sorted((facts.iam_roles or {}).items()):
        if exists:
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_ANY_IN_ACCOUNT % account)
    for host in facts.oidc_providers or []:
        iam.create_open_id_connect_provider(
            Url=f"https://{host}", ClientIDList=["sts.amazonaws.com"], ThumbprintList=[GITHUB_THUMBPRINT]
        )
    for name, path in sorted((facts.break_glass_users or {}).items()):
        if path is not None:
            iam.create_user(UserName=name, Path=path)


IAM_USER_RECORDING = {"allSupported": False, "resourceTypes": ["AWS::IAM::User"]}
# What the demo's two not-recording accounts hold: nothing, and a recorder without the global IAM types.
NOT_RECORDING_GROUPS = {
    "no customer-managed configuration recorder": None,
    "recorder 'default' records all supported types but not the global IAM types": {
        "allSupported": True,
        "includeGlobalResourceTypes": False,
    },
}


def seed_config_recorders(estate: Estate) -> None:
    """The estate's `configRecording`: a started recorder of AWS::IAM::User in every recording account,
    and in each not-recording account what its reason says."""
    recording = estate.config_recording
    assert recording is not None
    groups: dict[str, dict[str, Any] | None] = {a: IAM_USER_RECORDING for a in recording.recording_iam_users}
    groups.update({a: NOT_RECORDING_GROUPS[reason] for a, reason in recording.not_recording.items()})
    for account, group in sorted(groups.items()):
        if group is None:
            continue
        config = session_for(account).client("config", region_name=recording.region)
        config.put_configuration_recorder(
            ConfigurationRecorder={
                "name": "default",
                "roleARN": f"arn:aws:iam::{account}:role/aws-service-role/config.amazonaws.com/"
                "AWSServiceRoleForConfig",
                "recordingGroup": group,
            }
        )
        config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": f"config-{account}"})
        config.start_configuration_recorder(ConfigurationRecorderName="default")


def seed_plan(seeded: Seeded, result: PreviewResult) -> None:
    """What the program would have created: permission sets, synced assignments, SCPs attached."""
    sso = seeded.identity_center.client("sso-admin")
    run = result.run
    for resource in run.by_type("aws:ssoadmin/permissionSet:PermissionSet"):
        name = str(resource.inputs["name"])
        arn = sso.create_permission_set(
            InstanceArn=seeded.instance_arn,
            Name=name,
            Description=str(resource.inputs.get("description") or name),
            SessionDuration=str(resource.inputs.get("sessionDuration") or "PT1H"),
        )["PermissionSet"]["PermissionSetArn"]
        seeded.permission_sets[name] = arn
        planned_arn = str(resource.outputs.get("arn"))
        for child in run.resources:
            if child.inputs.get("permissionSetArn") != planned_arn:
                continue
            where = {"InstanceArn": seeded.instance_arn, "PermissionSetArn": arn}
            if child.type.endswith("managedPolicyAttachment:ManagedPolicyAttachment"):
                sso.attach_managed_policy_to_permission_set(
                    ManagedPolicyArn=child.inputs["managedPolicyArn"], **where
                )
            elif child.type.endswith("permissionSetInlinePolicy:PermissionSetInlinePolicy"):
                sso.put_inline_policy_to_permission_set(InlinePolicy=child.inputs["inlinePolicy"], **where)
    groups = result.estate.synced_groups
    for row in access_rows(run, result.estate):
        if row.status != "synced":
            continue
        sso.create_account_assignment(
            InstanceArn=seeded.instance_arn,
            TargetId=row.account_id,
            TargetType="AWS_ACCOUNT",
            PermissionSetArn=seeded.permission_sets[row.permission_set],
            PrincipalType="GROUP",
            PrincipalId=groups[row.group],
        )
    organizations = seeded.management.client("organizations")
    for policy in run.by_type(ORG_POLICY):
        seeded.policies[str(policy.inputs["name"])] = organizations.create_policy(
            Name=str(policy.inputs["name"]),
            Description=str(policy.inputs.get("description") or ""),
            Type="SERVICE_CONTROL_POLICY",
            Content=str(policy.inputs["content"]),
        )["Policy"]["PolicySummary"]["Id"]
    names = {policy.id: str(policy.inputs["name"]) for policy in run.by_type(ORG_POLICY)}
    for attachment in run.by_type(ORG_POLICY_ATTACHMENT):
        organizations.attach_policy(
            PolicyId=seeded.policies[names[str(attachment.inputs["policyId"])]],
            TargetId=str(attachment.inputs["targetId"]),
        )


def policy_json(document: dict[str, Any]) -> str:
    return json.dumps(document)
