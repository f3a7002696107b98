"""`frontdoor estate pull` of an organization whose ids the local AWS API server allocated itself.

The demo organization's tests seed the demo's fixed ids (tests/frontdoor/live/seed.py `allocating`);
here nothing is overridden but one value the real API never hands out: moto makes identity store ids
`d-` and 10 lowercase letters or digits, where AWS's are 10 hex digits (botocore identitystore
IdentityStoreId), so the fixture corrects the server's value, never frontdoor's check. Everything else
(organization, root, OU and account ids, moto's `ssoins-` instance ARN of 16 letters or digits, group
GUIDs) is the server's own, and a management account id with a leading zero.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from moto.ssoadmin.models import Instance, ssoadmin_backends

from frontdoor.commands.cli import main
from frontdoor.domain.base.aws_ids import IDENTITY_STORE_ID
from frontdoor.offline.estate import load_estate
from tests.frontdoor.live.demo_server import cwd_with_stacks
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


def test_pull_keeps_the_servers_own_ids_and_the_estate_loads(
    aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    management = session_for(MANAGEMENT)
    organizations = management.client("organizations")
    organization = organizations.create_organization(FeatureSet="ALL")["Organization"]
    root = organizations.list_roots()["Roots"][0]["Id"]
    workloads = organizations.create_organizational_unit(ParentId=root, Name="Workloads")[
        "OrganizationalUnit"
    ]
    prod = organizations.create_organizational_unit(ParentId=workloads["Id"], Name="Prod")[
        "OrganizationalUnit"
    ]

    def account(name: str, parent: str) -> str:
        status = organizations.create_account(AccountName=name, Email=f"{name}@example.com")
        account_id = str(status["CreateAccountStatus"]["AccountId"])
        if parent != root:
            organizations.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
        return account_id

    identity_center = account("identity", root)
    payments = account("payments-prod", prod["Id"])
    shared = account("shared", workloads["Id"])
    for principal in (SSO, CLOUDTRAIL):
        organizations.enable_aws_service_access(ServicePrincipal=principal)
    organizations.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    organizations.register_delegated_administrator(AccountId=identity_center, ServicePrincipal=SSO)

    center = session_for(identity_center)
    center.client("sso-admin").list_instances()  # the instance exists once Identity Center is enabled
    instance = ssoadmin_backends[identity_center][REGION].instances[0]
    instance.identity_store_id = _store_id_aws_would_allocate(instance.identity_store_id)
    store = center.client("identitystore")
    groups = {
        name: store.create_group(IdentityStoreId=instance.identity_store_id, DisplayName=name)["GroupId"]
        for name in ("aws-payments-dev", "aws-platform-admin")
    }

    monkeypatch.chdir(_write_stack(tmp_path, identity_center))
    credentials = management.get_credentials()
    assert credentials is not None
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", credentials.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", credentials.secret_key)
    monkeypatch.setenv("AWS_SESSION_TOKEN", str(credentials.token))
    code = main(["estate", "pull", "--stack", "demo", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0, err

    estate = load_estate(tmp_path / "stacks" / "estate.demo.yaml")
    assert (estate.organization.id, estate.organization.root_id) == (organization["Id"], root)
    assert estate.organization.management_account.id == MANAGEMENT
    assert [a.id for a in estate.accounts] == [identity_center]
    (pulled_workloads,) = estate.ous
    assert (pulled_workloads.id, [a.id for a in pulled_workloads.accounts]) == (workloads["Id"], [shared])
    (pulled_prod,) = pulled_workloads.children
    assert (pulled_prod.id, [a.id for a in pulled_prod.accounts]) == (prod["Id"], [payments])
    # moto's instance ARN (ssoins- and 16 lowercase letters or digits) is the server's own, and loads.
    assert estate.identity_center.instance_arn == instance.instance_arn
    assert estate.identity_center.identity_store_id == instance.identity_store_id
    assert estate.synced_groups == groups
    assert out.startswith(
        f"wrote {tmp_path / 'stacks' / 'estate.demo.yaml'}: 4 accounts, 2 OUs, 2 synced groups"
    )


def test_the_servers_identity_store_ids_are_ones_aws_never_allocates() -> None:
    # Why the fixture above corrects it: moto's identity store ids are d- and 10 lowercase letters or
    # digits, which AWS's own model refuses as soon as one is past f (all but 1 in ~3,000 ids).
    server_values = [Instance(MANAGEMENT, REGION).identity_store_id for _ in range(5)]
    assert not all(IDENTITY_STORE_ID.accepts(value) for value in server_values)
    assert all(IDENTITY_STORE_ID.accepts(_store_id_aws_would_allocate(value)) for value in server_values)
