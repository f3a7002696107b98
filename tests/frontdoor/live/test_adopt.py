"""`frontdoor adopt` against a hand-made Identity Center on the local server: the demo's plan as an
administrator would have clicked it, a GitHub OIDC provider, and out-of-config objects planted on top.

moto 5.2.5 implements neither GetPermissionsBoundaryForPermissionSet (see test_drift.py) nor
DescribeInstanceAccessControlAttributeConfiguration (no ABAC in its sso-admin), so adopt runs with
--no-boundary --no-abac here and the ABAC resource is reported as not verified, not imported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from frontdoor.commands.cli import main
from frontdoor.domain import contracts
from frontdoor.domain import resource_types as catalogue
from frontdoor.domain.base.urns import STACK_TYPE
from frontdoor.domain.reconcile import adopt as adoption
from frontdoor.domain.reconcile import drift as kinds
from frontdoor.domain.reconcile import import_ids
from frontdoor.offline.preview import PreviewResult
from tests.frontdoor.live.demo_server import DemoServer, Plants, as_account, cwd_with_stacks, stack_files

MANAGEMENT = "100000000026"
IDENTITY_CENTER = "100000000299"
GITHUB = "https://token.actions.githubusercontent.com"
SANDBOX_OU = "ou-a1b2-0a771c36"


def plant_github_provider(iam: Any) -> None:
    """The GitHub OIDC provider, made by hand in the management account before frontdoor."""
    iam.create_open_id_connect_provider(
        Url=GITHUB,
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"],
    )


def run_adopt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, Path, str]:
    """`frontdoor adopt`; a test on the demo organization also takes `demo_preview_reused`, so the plan is
    the session's demo preview rather than a second run of the program (the same inputs give the same run)."""
    cwd = cwd_with_stacks(tmp_path)
    (cwd / "stacks" / "estate.demo.yaml").write_text(
        (Path(__file__).parents[3] / "stacks" / "estate.demo.yaml").read_text()
    )
    monkeypatch.chdir(cwd)
    out = tmp_path / "out"
    flags = ["--out", str(out), "--quiet", "--no-boundary", "--no-abac", *stack_files(cwd)]
    code = main(["adopt", "--stack", "demo", *flags])
    _, err = capsys.readouterr()
    return code, out, err


def planned_urns(demo: PreviewResult) -> tuple[set[str], dict[str, Any]]:
    """URNs of every adoptable resource the program registers (ABAC aside) and their ancestors."""
    run = demo.run
    by_urn = {r.urn: r for r in run.resources}
    adopted = import_ids.ADOPTABLE - {contracts.ACCESS_CONTROL_ATTRIBUTES}
    wanted = {r.urn for r in run.resources if r.type in adopted}
    for urn in list(wanted):
        parent = by_urn.get(by_urn[urn].parent_urn)
        while parent is not None:
            wanted.add(parent.urn)
            parent = by_urn.get(parent.parent_urn)

    def engine_urn(urn: str) -> str:
        # The engine qualifies a type with the parent's whole chain, walked here from the records.
        types = []
        resource = by_urn.get(urn)
        while resource is not None and resource.type != STACK_TYPE:
            types.insert(0, resource.type)
            resource = by_urn.get(resource.parent_urn)
        return f"urn:pulumi:demo::frontdoor::{'$'.join(types)}::{by_urn[urn].name}"

    # The offline run records the engine's own URNs, nested components included.
    assert [u for u, r in by_urn.items() if r.type != STACK_TYPE and engine_urn(u) != u] == []
    return {u for u in wanted if by_urn[u].type != STACK_TYPE}, {
        u: r for u, r in by_urn.items() if r.type != STACK_TYPE
    }


def resolve(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each entry's URN as `pulumi import` resolves it (parent by entry name, root-stack otherwise)."""
    urns: dict[str, str] = {}
    resolved: dict[str, dict[str, Any]] = {}
    for entry in document["resources"]:
        chain = entry["type"]
        if "parent" in entry:
            chain = urns[entry["parent"]].split("::")[2] + "$" + entry["type"]
        urn = f"urn:pulumi:demo::frontdoor::{chain}::{entry.get('logicalName', entry['name'])}"
        urns[entry["name"]] = urn
        resolved[urn] = entry
    return resolved


def test_adopt_imports_every_planned_object_and_reports_exactly_the_planted_ones(
    demo_org: DemoServer,
    demo_org_plants: Plants,
    demo_preview_reused: PreviewResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seeded = demo_org.seeded
    sso = demo_org_plants.client(seeded.identity_center, "sso-admin")
    store = demo_org_plants.client(seeded.identity_center, "identitystore")
    organizations = demo_org_plants.client(seeded.management, "organizations")
    plant_github_provider(demo_org_plants.client(seeded.management, "iam"))
    instance = {"InstanceArn": seeded.instance_arn}
    groups = demo_org.estate.synced_groups

    def assign(principal_type: str, principal_id: str, permission_set_arn: str, account: str) -> None:
        sso.create_account_assignment(
            **instance,
            TargetId=account,
            TargetType="AWS_ACCOUNT",
            PermissionSetArn=permission_set_arn,
            PrincipalType=principal_type,
            PrincipalId=principal_id,
        )

    # Out of the config: a team group's grant made by hand, a group outside the push, a user with a
    # catalogue set, a hand-made set given to a user, an SCP no stack owns.
    assign("GROUP", groups["aws-payments-dev"], seeded.permission_sets["PlatformAdmin"], "100000002009")
    contractors = store.create_group(IdentityStoreId=seeded.identity_store_id, DisplayName="Contractors")
    assign("GROUP", contractors["GroupId"], seeded.permission_sets["ReadOnlyAuditor"], "100000000371")
    clickops = sso.create_permission_set(
        **instance, Name="ClickOpsAdmin", Description="made in the console", SessionDuration="PT8H"
    )["PermissionSet"]["PermissionSetArn"]
    for user, arn, account in (
        ("jane.doe", seeded.permission_sets["PlatformAdmin"], "100000000026"),
        ("bob.vendor", clickops, "100000000335"),
    ):
        user_id = store.create_user(
            IdentityStoreId=seeded.identity_store_id,
            UserName=user,
            DisplayName=user,
            Name={"GivenName": user.split(".")[0], "FamilyName": user.split(".")[1]},
        )["UserId"]
        assign("USER", user_id, arn, account)
    legacy = organizations.create_policy(
        Name="legacy-deny-s3-delete",
        Description="made in the console",
        Type="SERVICE_CONTROL_POLICY",
        Content=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}],
            }
        ),
    )["Policy"]["PolicySummary"]["Id"]
    organizations.attach_policy(PolicyId=legacy, TargetId=SANDBOX_OU)
    # Settings that differ: updated in place, never a replacement.
    sso.update_permission_set(
        **instance, PermissionSetArn=seeded.permission_sets["ReadOnlyAuditor"], SessionDuration="PT12H"
    )

    code, out, err = run_adopt(tmp_path, monkeypatch, capsys)
    assert code == 0, err
    document = json.loads((out / "import.json").read_text())
    resolved = resolve(document)
    wanted, by_urn = planned_urns(demo_preview_reused)
    assert set(resolved) == wanted
    assert document["nameTable"] == {
        "aws-identity-center": "urn:pulumi:demo::frontdoor::pulumi:providers:aws::aws-identity-center",
        "aws-management": "urn:pulumi:demo::frontdoor::pulumi:providers:aws::aws-management",
    }
    for urn, entry in resolved.items():
        planned = by_urn[urn]
        assert entry["type"] == planned.type
        assert entry.get("logicalName", entry["name"]) == planned.name
        if planned.custom:
            assert entry["provider"] == planned.provider.split("::")[-2]
            assert "component" not in entry
        else:
            assert entry["component"] is True and "id" not in entry

    ids = {(e["type"], e.get("logicalName", e["name"])): e.get("id") for e in document["resources"]}
    instance_arn = seeded.instance_arn
    platform = seeded.permission_sets["PlatformAdmin"]
    assert ids[(contracts.PERMISSION_SET, "PlatformAdmin")] == f"{platform},{instance_arn}"
    assert ids[(contracts.MANAGED_ATTACHMENT, "PlatformAdmin/AdministratorAccess")] == (
        f"arn:aws:iam::aws:policy/AdministratorAccess,{platform},{instance_arn}"
    )
    developer = seeded.permission_sets["DeveloperAccess"]
    assert ids[(contracts.INLINE_POLICY, "DeveloperAccess/inline")] == f"{developer},{instance_arn}"
    deny_root = next(name for name in seeded.policies if name.endswith("deny-root-user"))
    assert ids[(contracts.ORG_POLICY, "deny-root-user")] == seeded.policies[deny_root]
    assert ids[(contracts.ORG_POLICY_ATTACHMENT, f"deny-root-user/{SANDBOX_OU}")] == (
        f"{SANDBOX_OU}:{seeded.policies[deny_root]}"
    )
    assert (
        ids[(catalogue.DELEGATED_ADMINISTRATOR, "organization/identity-center")]
        == f"{IDENTITY_CENTER}/sso.amazonaws.com"
    )
    assert ids[(catalogue.OIDC_PROVIDER, "frontdoor-deploy/oidc-provider")] == (
        f"arn:aws:iam::{MANAGEMENT}:oidc-provider/token.actions.githubusercontent.com"
    )
    assignment = next(r for r in demo_preview_reused.run.by_type(contracts.ACCOUNT_ASSIGNMENT))
    principal, kind = assignment.inputs["principalId"], assignment.inputs["principalType"]
    name_of_set = {
        str(r.outputs["arn"]): str(r.inputs["name"])
        for r in demo_preview_reused.run.by_type(contracts.PERMISSION_SET)
    }
    set_arn = seeded.permission_sets[name_of_set[str(assignment.inputs["permissionSetArn"])]]
    assert ids[(contracts.ACCOUNT_ASSIGNMENT, assignment.name)] == (
        f"{principal},{kind},{assignment.inputs['targetId']},AWS_ACCOUNT,{set_arn},{instance_arn}"
    )

    report = json.loads((out / "adoption.json").read_text())
    planted = sorted(
        (item["kind"], item["subject"]) for item in report["items"] if item["kind"] in adoption.OUT_OF_CONFIG
    )
    assert planted == [
        (kinds.FOREIGN_GROUP, "Contractors / ReadOnlyAuditor / 100000000371"),
        (kinds.UNKNOWN_SET, "ClickOpsAdmin"),
        (adoption.SCP_UNMANAGED, f"legacy-deny-s3-delete ({legacy})"),
        (kinds.UNMANAGED, "aws-payments-dev / PlatformAdmin / 100000002009"),
        (kinds.USER, "bob.vendor / ClickOpsAdmin / 100000000335"),
        (kinds.USER, "jane.doe / PlatformAdmin / 100000000026"),
    ]
    proposals = {item["subject"]: item["proposal"] for item in report["items"]}
    assert proposals["aws-payments-dev / PlatformAdmin / 100000002009"] == (
        "teams.payments.grants.PlatformAdmin: add 100000002009 to its targets"
    )
    differs = [
        (i["kind"], i["subject"], i["detail"]) for i in report["items"] if i["kind"] in adoption.DIFFERS
    ]
    assert differs == [(kinds.SET_CHANGED, "ReadOnlyAuditor", "session duration PT12H, planned PT4H")]
    unverified = [(i["subject"], i["detail"]) for i in report["items"] if i["kind"] == import_ids.UNVERIFIED]
    assert unverified == [("abac", "access control attributes not read")]
    assert report["replacements"] == [] and report["refused"] == []


def test_a_renamed_permission_set_stops_adopt_and_says_what_to_change(
    demo_org_spent: DemoServer,
    demo_preview_reused: PreviewResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seeded = demo_org_spent.seeded
    plant_github_provider(seeded.management.client("iam"))
    sso = seeded.identity_center.client("sso-admin")
    instance = {"InstanceArn": seeded.instance_arn}
    billing = next(
        r
        for r in demo_preview_reused.run.by_type(contracts.PERMISSION_SET)
        if r.inputs["name"] == "BillingViewer"
    )
    # The estate's billing set was made by hand as "BillingReadOnly" (same description), not "BillingViewer".
    sso.delete_permission_set(**instance, PermissionSetArn=seeded.permission_sets["BillingViewer"])
    renamed = sso.create_permission_set(
        **instance,
        Name="BillingReadOnly",
        Description=str(billing.inputs["description"]),
        SessionDuration="PT1H",
    )["PermissionSet"]["PermissionSetArn"]
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "import.json").write_text("{}")  # a stale file of an earlier run

    code, out, err = run_adopt(tmp_path, monkeypatch, capsys)
    assert code == 1
    assert err.splitlines() == [
        f"error: permission set BillingViewer: the live permission set BillingReadOnly ({renamed}) has the "
        "same description as the catalogue's BillingViewer, under another name: the name cannot change in "
        "place, so "
        "adopting it would replace it (new AWSReservedSSO_BillingViewer_* roles in every account); rename "
        "permissionSets.BillingViewer to BillingReadOnly in the stack config (and the grants that name it)"
    ]
    assert not (out / "import.json").exists()
    assert "## replacements (adopt stops: change the config first)" in (out / "adoption.md").read_text()


def test_without_an_organization_adopt_writes_nothing_and_exits_2(
    aws: str,
    demo_preview_reused: PreviewResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # `aws` resets the server: the shared demo organization is seeded again for the next test that needs it.
    # The stack's management account, in no organization (another account stops at the management-account
    # check: tests/frontdoor/live/test_live_commands.py).
    as_account(monkeypatch, "100000000026")
    code, out, err = run_adopt(tmp_path, monkeypatch, capsys)
    assert code == 2
    assert err.startswith(
        "error: account 100000000026, call describe_organization: AWSOrganizationsNotInUseException"
    )
    assert err.rstrip().endswith("fix: run against the management account of an AWS Organization")
    assert not out.exists()
