"""The demo estate on the local AWS API server, seeded once per test session and shared by the live tests.

Seeding takes seconds (140 accounts, 867 assignments through the real APIs), so one seeded organization
serves every test that reads the demo's (tests/frontdoor/live/conftest.py `demo_org`). It holds
`stacks/estate.demo.yaml`'s organization, Identity Center and groups, and everything the demo stack's plan
creates (permission sets, synced assignments, SCP attachments). A test that changes it either plants
through `Plants`, which removes each plant after the test and then checks the organization is again
exactly as seeded (`fingerprint`), or takes `demo_org_spent`, after which the next test seeds afresh.
Any reset of the server (the `aws` fixture, `reset`) also makes the next test seed afresh.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest

from frontdoor.offline.estate import Estate, load_estate
from frontdoor.offline.preview import PreviewResult
from frontdoor.offline.project import CHECKOUT as REPO_ROOT
from tests.frontdoor.live.seed import (
    REGION,
    Seeded,
    credentials_for,
    seed_config_recorders,
    seed_management_iam,
    seed_organization,
    seed_plan,
)

DEMO_ESTATE = REPO_ROOT / "stacks" / "estate.demo.yaml"
IDENTITY_CENTER_ACCOUNT = "100000000299"


def demo_estate() -> Estate:
    return load_estate(DEMO_ESTATE)


@dataclass
class DemoServer:
    url: str
    seeded: Seeded
    estate: Estate


@dataclass
class _Shared:
    """The session's seeded demo organization, while the server still holds it exactly as seeded."""

    server: DemoServer | None = None
    management_env: dict[str, str] = field(default_factory=dict)
    seeded_state: dict[str, Any] = field(default_factory=dict)


SHARED = _Shared()


def reset(url: str) -> None:
    """An empty server; the shared organization is gone with everything else."""
    SHARED.server = None
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST")).read()


def point_at(patch: pytest.MonkeyPatch, url: str) -> None:
    """boto3 in this process talks to the server with dummy credentials (of the default account)."""
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        patch.delenv(key, raising=False)
    patch.setenv("AWS_ENDPOINT_URL", url)
    patch.setenv("AWS_ACCESS_KEY_ID", "testing")
    patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    patch.setenv("AWS_DEFAULT_REGION", REGION)
    patch.setenv("AWS_CONFIG_FILE", os.devnull)
    patch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


def as_account(patch: pytest.MonkeyPatch, account_id: str) -> None:
    """From here on, boto3's default credentials act in `account_id` (as a profile of it would)."""
    for key, value in credentials_for(account_id).items():
        patch.setenv(key, value)


def seeded_with_facts(url: str, patch: pytest.MonkeyPatch) -> DemoServer:
    """The demo organization seeded afresh (the shared one is gone: the next test that needs it seeds
    again) with every fact of the demo estate `estate pull` reads too: its trusted access, the
    management account's roles, OIDC provider and break-glass users, the Config recorders of every
    account. No plan: pull reads none of it."""
    reset(url)
    point_at(patch, url)
    estate = demo_estate()
    seeded = seed_organization(
        estate,
        identity_center_account=IDENTITY_CENTER_ACCOUNT,
        trusted=tuple(estate.organization.aws_service_access_principals or ()),
    )
    seed_management_iam(seeded, estate)
    seed_config_recorders(estate)
    as_account(patch, estate.organization.management_account.id)
    return DemoServer(url, seeded, estate)


def shared_demo_org(url: str, demo: PreviewResult, patch: pytest.MonkeyPatch) -> DemoServer:
    """The seeded demo organization, seeded now if the server does not hold it; boto3 acts as its
    management account through `patch` (undone after the test)."""
    point_at(patch, url)
    if SHARED.server is None:
        reset(url)
        estate = demo_estate()
        seeded = seed_organization(estate, identity_center_account=IDENTITY_CENTER_ACCOUNT)
        seed_plan(seeded, demo)
        server = DemoServer(url, seeded, estate)
        SHARED.management_env = credentials_for(estate.organization.management_account.id)
        SHARED.seeded_state = fingerprint(server)
        SHARED.server = server
    for key, value in SHARED.management_env.items():
        patch.setenv(key, value)
    return SHARED.server


def spend() -> None:
    """The shared organization was changed for good: the next test that needs it seeds it again."""
    SHARED.server = None


def fingerprint(server: DemoServer) -> dict[str, Any]:
    """What a plant can change, read back through the APIs: permission sets and their settings and
    policies, every assignment, the identity store's groups and users, SCPs and their targets, and
    the management account's OIDC providers. ARNs and ids are replaced by names (a set made again
    gets a new ARN, which is not a difference)."""
    seeded = server.seeded
    sso = seeded.identity_center.client("sso-admin")
    store = seeded.identity_center.client("identitystore")
    organizations = seeded.management.client("organizations")
    iam = seeded.management.client("iam")
    instance = {"InstanceArn": seeded.instance_arn}
    store_id = {"IdentityStoreId": seeded.identity_store_id}

    def pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
        return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page[key]]

    set_names: dict[str, str] = {}
    permission_sets: dict[str, Any] = {}
    for arn in pages(sso, "list_permission_sets", "PermissionSets", **instance):
        described = sso.describe_permission_set(**instance, PermissionSetArn=arn)["PermissionSet"]
        set_names[arn] = described["Name"]
        permission_sets[described["Name"]] = {
            "description": described.get("Description"),
            "sessionDuration": described.get("SessionDuration"),
            "relayState": described.get("RelayState"),
            "managed": sorted(
                p["Arn"]
                for p in pages(
                    sso,
                    "list_managed_policies_in_permission_set",
                    "AttachedManagedPolicies",
                    **instance,
                    PermissionSetArn=arn,
                )
            ),
            "inline": sso.get_inline_policy_for_permission_set(**instance, PermissionSetArn=arn).get(
                "InlinePolicy"
            ),
        }
    groups = {g["GroupId"]: g["DisplayName"] for g in pages(store, "list_groups", "Groups", **store_id)}
    users = {u["UserId"]: u["UserName"] for u in pages(store, "list_users", "Users", **store_id)}
    assignments = sorted(
        (kind, name, set_names.get(a["PermissionSetArn"], a["PermissionSetArn"]), a["AccountId"])
        for kind, principals in (("GROUP", groups), ("USER", users))
        for principal, name in principals.items()
        for a in pages(
            sso,
            "list_account_assignments_for_principal",
            "AccountAssignments",
            **instance,
            PrincipalId=principal,
            PrincipalType=kind,
        )
    )
    policies = {
        p["Name"]: sorted(
            t["TargetId"]
            for t in pages(organizations, "list_targets_for_policy", "Targets", PolicyId=p["Id"])
        )
        for p in pages(organizations, "list_policies", "Policies", Filter="SERVICE_CONTROL_POLICY")
    }
    providers = sorted(p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"])
    return {
        "permissionSets": permission_sets,
        "groups": sorted(groups.values()),
        "users": sorted(users.values()),
        "assignments": assignments,
        "serviceControlPolicies": policies,
        "oidcProviders": providers,
    }


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs between two fingerprints, one line per part (empty when they are equal)."""
    out: list[str] = []
    for part in before:
        if before[part] == after[part]:
            continue
        if isinstance(before[part], list):
            gone = [x for x in before[part] if x not in after[part]]
            new = [x for x in after[part] if x not in before[part]]
            out.append(f"{part}: gone {gone[:5]}, new {new[:5]}")
        else:
            keys = {*before[part], *after[part]}
            changed = sorted(k for k in keys if before[part].get(k) != after[part].get(k))
            out.append(f"{part}: changed {changed}")
    return out


# How to remove what each planting call makes: (the inverse call, its arguments) from the call's
# arguments and its answer. A call without an entry here is refused, so nothing is planted for good.
_INVERSES: dict[tuple[str, str], Callable[[dict[str, Any], dict[str, Any]], tuple[str, dict[str, Any]]]] = {
    ("sso-admin", "create_account_assignment"): lambda kw, _: ("delete_account_assignment", kw),
    ("sso-admin", "delete_account_assignment"): lambda kw, _: ("create_account_assignment", kw),
    ("sso-admin", "create_permission_set"): lambda kw, out: (
        "delete_permission_set",
        {"InstanceArn": kw["InstanceArn"], "PermissionSetArn": out["PermissionSet"]["PermissionSetArn"]},
    ),
    ("sso-admin", "attach_managed_policy_to_permission_set"): lambda kw, _: (
        "detach_managed_policy_from_permission_set",
        kw,
    ),
    ("identitystore", "create_group"): lambda kw, out: (
        "delete_group",
        {"IdentityStoreId": kw["IdentityStoreId"], "GroupId": out["GroupId"]},
    ),
    ("identitystore", "create_user"): lambda kw, out: (
        "delete_user",
        {"IdentityStoreId": kw["IdentityStoreId"], "UserId": out["UserId"]},
    ),
    ("organizations", "create_policy"): lambda _, out: (
        "delete_policy",
        {"PolicyId": out["Policy"]["PolicySummary"]["Id"]},
    ),
    ("organizations", "attach_policy"): lambda kw, _: ("detach_policy", kw),
    ("organizations", "detach_policy"): lambda kw, _: ("attach_policy", kw),
    ("iam", "create_open_id_connect_provider"): lambda _, out: (
        "delete_open_id_connect_provider",
        {"OpenIDConnectProviderArn": out["OpenIDConnectProviderArn"]},
    ),
}
_UPDATED_FIELDS = ("Description", "SessionDuration", "RelayState")


class Plants:
    """Clients that plant on the shared organization and remember how to remove each plant."""

    def __init__(self) -> None:
        self._undo: list[tuple[Any, str, dict[str, Any]]] = []

    def client(self, session: boto3.Session, service: str) -> _PlantingClient:
        return _PlantingClient(self, session.client(service), service)

    def remove_all(self) -> None:
        """Every plant removed, the last one first (an assignment before its group or permission set)."""
        while self._undo:
            client, operation, kwargs = self._undo.pop()
            getattr(client, operation)(**kwargs)


class _PlantingClient:
    def __init__(self, plants: Plants, client: Any, service: str) -> None:
        self._plants, self._client, self._service = plants, client, service

    def __getattr__(self, operation: str) -> Callable[..., Any]:
        call = getattr(self._client, operation)
        if operation.startswith(("list_", "describe_", "get_")):
            return call  # type: ignore[no-any-return]
        if (self._service, operation) == ("sso-admin", "update_permission_set"):
            return self._update_permission_set
        inverse = _INVERSES.get((self._service, operation))
        if inverse is None:
            raise AssertionError(f"{self._service} {operation}: no known way to remove it after the test")

        def planted(**kwargs: Any) -> Any:
            answer = call(**kwargs)
            self._plants._undo.append((self._client, *inverse(kwargs, answer)))
            return answer

        return planted

    def _update_permission_set(self, **kwargs: Any) -> Any:
        where = {"InstanceArn": kwargs["InstanceArn"], "PermissionSetArn": kwargs["PermissionSetArn"]}
        before = self._client.describe_permission_set(**where)["PermissionSet"]
        # Every field, not only those the plant changed: moto 5.2.5 clears the fields an update leaves out.
        restore = {key: before[key] for key in _UPDATED_FIELDS if key in before}
        answer = self._client.update_permission_set(**kwargs)
        self._plants._undo.append((self._client, "update_permission_set", {**where, **restore}))
        return answer


def for_management_account(source: Path, management_id: str, target: Path) -> Path:
    """`source` (a stack config of the demo organization) written to `target` for an organization whose
    management account is `management_id`: the live commands refuse another organization's credentials
    (live_common.check_management_account)."""
    text = source.read_text()
    for line in (
        'managementAccountId: "100000000026"',
        "managementRoleArn: arn:aws:iam::100000000026:",
        # The Datadog Forwarder lives in the management account, beside the trail (trail.datadog).
        "forwarderArn: arn:aws:lambda:us-east-1:100000000026:",
    ):
        text = text.replace(line, line.replace("100000000026", management_id))
    target.write_text(text)
    return target


def stack_files(tmp: Path) -> list[str]:
    """`--config` and `--estate` naming the files under `tmp`/stacks (cwd_with_stacks): the defaults are
    the project's own stacks/, which a test must not write (live_common)."""
    stacks = tmp / "stacks"
    return ["--config", str(stacks / "Pulumi.demo.yaml"), "--estate", str(stacks / "estate.demo.yaml")]


def cwd_with_stacks(tmp: Path) -> Path:
    """A working directory whose stacks/ holds the demo stack config and HR export (estates land there)."""
    stacks = tmp / "stacks"
    stacks.mkdir(parents=True, exist_ok=True)
    (stacks / "Pulumi.demo.yaml").write_text((REPO_ROOT / "stacks" / "Pulumi.demo.yaml").read_text())
    # The stack's frontdoor:people export, which the config check reads (relative to the project).
    (stacks / "people.demo.csv").write_text((REPO_ROOT / "stacks" / "people.demo.csv").read_text())
    return tmp
