"""`frontdoor estate pull` of an organization whose ids the local AWS API server allocated itself.

The demo organization's tests seed the demo's fixed ids (tests/frontdoor/live/seed.py `allocating`);
here nothing is overridden but one value the real API never hands out: moto makes identity store ids
`d-` and 10 lowercase letters or digits, where AWS's are 10 hex digits (botocore identitystore
IdentityStoreId), so the fixture corrects the server's value, never frontdoor's check. Everything else
(organization, root, OU and account ids, moto's `ssoins-` instance ARN of 16 letters or digits, group
GUIDs) is the server's own, and a management account id with a leading zero. Left uncorrected, the
server's identity store id stops the pull with a message naming it and the model that refuses it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from moto.ssoadmin.models import Instance, ssoadmin_backends

from frontdoor.commands.cli import main
from frontdoor.domain.base.aws_ids import IDENTITY_STORE_ID
from frontdoor.offline.estate import load_estate
from tests.frontdoor.live.demo_server import as_account, cwd_with_stacks
from tests.frontdoor.live.seed import CLOUDTRAIL, REGION, SSO, session_for

MANAGEMENT = "012345678901"  # a leading zero: an account id is a string of 12 digits, never a number


def _store_id_aws_would_allocate(server_value: str) -> str:
    """d- and 10 hex digits, derived from the server's value so each instance keeps its own."""
    return "d-" + hashlib.sha256(server_value.encode()).hexdigest()[:10]


def _write_stack(tmp_path: Path, identity_center_account: str) -> Path:
    """The demo stack config, about this organization: its management and Identity Center accounts
    replace the demo's wherever the config names them."""
    root = cwd_with_stacks(tmp_path)
    stack = root / "stacks" / "Pulumi.demo.yaml"
    text = stack.read_text()
    assert 'managementAccountId: "100000000026"' in text and 'identityCenterAccountId: "100000000299"' in text
    stack.write_text(
        text.replace("100000000026", MANAGEMENT).replace("100000000299", identity_center_account)
    )
    return root


@dataclass
class ServerOrganization:
    """What the server allocated: an organization, a nested OU, three accounts, Identity Center, groups."""

    organization_id: str
    root: str
    workloads: str
    prod: str
    identity_center: str  # the delegated administrator of Identity Center
    payments: str  # in Workloads/Prod
    shared: str  # in Workloads
    instance: Instance  # the server's Identity Center instance
    groups: dict[str, str]  # display name -> the server's group id


def seed_with_server_ids(store_id: Callable[[str], str]) -> ServerOrganization:
    """An organization seeded through the APIs with the server's own ids, but the identity store's:
    `store_id` maps the server's to the one the instance gets."""
    organizations = session_for(MANAGEMENT).client("organizations")
    organization_id = organizations.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    root = organizations.list_roots()["Roots"][0]["Id"]
    workloads = organizations.create_organizational_unit(ParentId=root, Name="Workloads")
    prod = organizations.create_organizational_unit(
        ParentId=workloads["OrganizationalUnit"]["Id"], Name="Prod"
    )

    def account(name: str, parent: str) -> str:
        status = organizations.create_account(AccountName=name, Email=f"{name}@example.com")
        account_id = str(status["CreateAccountStatus"]["AccountId"])
        if parent != root:
            organizations.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
        return account_id

    identity_center = account("identity", root)
    payments = account("payments-prod", prod["OrganizationalUnit"]["Id"])
    shared = account("shared", workloads["OrganizationalUnit"]["Id"])
    for principal in (SSO, CLOUDTRAIL):
        organizations.enable_aws_service_access(ServicePrincipal=principal)
    organizations.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    organizations.register_delegated_administrator(AccountId=identity_center, ServicePrincipal=SSO)

    center = session_for(identity_center)
    center.client("sso-admin").list_instances()  # the instance exists once Identity Center is enabled
    instance = ssoadmin_backends[identity_center][REGION].instances[0]
    instance.identity_store_id = store_id(instance.identity_store_id)
    store = center.client("identitystore")
    groups = {
        name: store.create_group(IdentityStoreId=instance.identity_store_id, DisplayName=name)["GroupId"]
        for name in ("aws-payments-dev", "aws-platform-admin")
    }
    return ServerOrganization(
        organization_id,
        root,
        workloads["OrganizationalUnit"]["Id"],
        prod["OrganizationalUnit"]["Id"],
        identity_center,
        payments,
        shared,
        instance,
        groups,
    )


def pull_as_management(
    server: ServerOrganization,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str, str]:
    """`frontdoor estate pull --stack demo` with the management account's credentials, as a user runs it."""
    monkeypatch.chdir(_write_stack(tmp_path, server.identity_center))
    as_account(monkeypatch, MANAGEMENT)
    code = main(["estate", "pull", "--stack", "demo", "--quiet"])
    out, err = capsys.readouterr()
    return code, out, err


def test_pull_keeps_the_servers_own_ids_and_the_estate_loads(
    aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server = seed_with_server_ids(_store_id_aws_would_allocate)
    code, out, err = pull_as_management(server, tmp_path, monkeypatch, capsys)
    assert code == 0, err
    written = tmp_path / "stacks" / "estate.demo.yaml"
    assert out.startswith(f"wrote {written}: 4 accounts, 2 OUs, 2 synced groups;")
    estate = load_estate(written)
    assert (estate.organization.id, estate.organization.root_id) == (server.organization_id, server.root)
    assert estate.organization.management_account.id == MANAGEMENT
    assert [a.id for a in estate.accounts] == [server.identity_center]
    (workloads,) = estate.ous
    assert (workloads.id, [a.id for a in workloads.accounts]) == (server.workloads, [server.shared])
    (prod,) = workloads.children
    assert (prod.id, [a.id for a in prod.accounts]) == (server.prod, [server.payments])
    # moto's instance ARN (ssoins- and 16 lowercase letters or digits) is the server's own, and loads.
    assert estate.identity_center.instance_arn == server.instance.instance_arn
    assert estate.identity_center.identity_store_id == server.instance.identity_store_id
    assert estate.synced_groups == server.groups


def test_an_id_the_api_model_refuses_stops_the_pull_naming_it_and_writes_nothing(
    aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server = seed_with_server_ids(lambda _server_value: "d-moto0store")  # as moto allocates them
    code, out, err = pull_as_management(server, tmp_path, monkeypatch, capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "error: the API answered ids AWS's own API model refuses, nothing was written",
        "estate read from AWS (stack demo): field identityCenter.identityStoreId holds 'd-moto0store', which "
        f"{IDENTITY_STORE_ID.model()} refuses: nothing was written; check that the endpoint is AWS (a local "
        "server may allocate ids AWS never would), and report the value if it is",
    ]
    assert not (tmp_path / "stacks" / "estate.demo.yaml").exists()


def test_the_servers_identity_store_ids_are_ones_aws_never_allocates() -> None:
    # Why the fixture above corrects it: moto's identity store ids are d- and 10 lowercase letters or
    # digits, which AWS's own model refuses as soon as one is past f (all but 1 in ~3,000 ids).
    server_values = [Instance(MANAGEMENT, REGION).identity_store_id for _ in range(5)]
    assert not all(IDENTITY_STORE_ID.accepts(value) for value in server_values)
    assert all(IDENTITY_STORE_ID.accepts(_store_id_aws_would_allocate(value)) for value in server_values)
