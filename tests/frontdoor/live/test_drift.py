"""`frontdoor drift` against the demo organization seeded with its plan, then with planted drift."""

from __future__ import annotations

import json
from pathlib import Path

import botocore.config
import pytest

from frontdoor.commands.cli import main
from frontdoor.domain.reconcile import drift as kinds
from frontdoor.offline.preview import PreviewResult
from frontdoor.offline.report import access_rows
from tests.frontdoor.live.demo_server import DemoServer, Plants, cwd_with_stacks, stack_files

SANDBOX_OU = "ou-a1b2-0a771c36"


def run_drift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    """`frontdoor drift`, planning with the session's demo preview (the test takes `demo_preview_reused`)."""
    cwd = cwd_with_stacks(tmp_path)
    (cwd / "stacks" / "estate.demo.yaml").write_text(
        (Path(__file__).parents[3] / "stacks" / "estate.demo.yaml").read_text()
    )
    monkeypatch.chdir(cwd)
    # moto 5.2.5 does not implement GetPermissionsBoundaryForPermissionSet (it answers 500): see
    # test_the_local_server_cannot_read_a_permissions_boundary.
    code = main(
        ["drift", "--stack", "demo", "--format", "json", "--quiet", "--no-boundary", *stack_files(cwd)]
    )
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else {}, err


def rows(demo: PreviewResult) -> tuple[int, int]:
    all_rows = access_rows(demo.run, demo.estate)
    return sum(r.status == "synced" for r in all_rows), sum(r.status != "synced" for r in all_rows)


def test_the_seeded_plan_has_no_drift_only_pending_sync(
    demo_org: DemoServer,
    demo_preview_reused: PreviewResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    synced, deferred = rows(demo_preview_reused)
    code, report, err = run_drift(tmp_path, monkeypatch, capsys)
    assert code == 0, err
    assert report["drift"] == 0
    assert report["counts"] == {kinds.PENDING: deferred, kinds.PRESENT: synced}
    assert report["calls"] == report["minimumCalls"], err + json.dumps(report["callsByOperation"])


def test_drift_finds_exactly_the_planted_items(
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
    instance = {"InstanceArn": seeded.instance_arn}
    groups = demo_org.estate.synced_groups
    permission_sets = dict(seeded.permission_sets)  # and the one made by hand below

    def assign(principal_type: str, principal_id: str, permission_set: str, account: str) -> None:
        sso.create_account_assignment(
            **instance,
            TargetId=account,
            TargetType="AWS_ACCOUNT",
            PermissionSetArn=permission_sets[permission_set],
            PrincipalType=principal_type,
            PrincipalId=principal_id,
        )

    # Unmanaged group assignments, made in the console.
    assign("GROUP", groups["aws-payments-dev"], "PlatformAdmin", "100000002009")
    assign("GROUP", groups["aws-telemetry-readonly"], "ReadOnlyAuditor", "100000000102")
    # A group that did not come through the aws-* push.
    contractors = store.create_group(IdentityStoreId=seeded.identity_store_id, DisplayName="Contractors")[
        "GroupId"
    ]
    assign("GROUP", contractors, "ReadOnlyAuditor", "100000000371")
    # Two assignments to single users, one through a permission set made by hand.
    clickops = sso.create_permission_set(**instance, Name="ClickOpsAdmin", SessionDuration="PT8H")
    permission_sets["ClickOpsAdmin"] = clickops["PermissionSet"]["PermissionSetArn"]
    for user, permission_set, account in (
        ("jane.doe", "PlatformAdmin", "100000000026"),
        ("bob.vendor", "ClickOpsAdmin", "100000000335"),
    ):
        user_id = store.create_user(
            IdentityStoreId=seeded.identity_store_id,
            UserName=user,
            DisplayName=user,
            Name={"GivenName": user.split(".")[0], "FamilyName": user.split(".")[1]},
        )["UserId"]
        assign("USER", user_id, permission_set, account)
    # A catalogue permission set edited out of band: longer sessions and an extra managed policy.
    auditor = {**instance, "PermissionSetArn": permission_sets["ReadOnlyAuditor"]}
    sso.update_permission_set(**auditor, SessionDuration="PT12H")
    sso.attach_managed_policy_to_permission_set(
        **auditor, ManagedPolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    # A planned assignment removed by hand.
    sso.delete_account_assignment(
        **instance,
        TargetId="100000001047",
        TargetType="AWS_ACCOUNT",
        PermissionSetArn=permission_sets["DeveloperAccess"],
        PrincipalType="GROUP",
        PrincipalId=groups["aws-quality-dev"],
    )
    # An SCP detached from an OU.
    deny_root = next(name for name in seeded.policies if name.endswith("deny-root-user"))
    organizations.detach_policy(PolicyId=seeded.policies[deny_root], TargetId=SANDBOX_OU)

    code, report, err = run_drift(tmp_path, monkeypatch, capsys)
    assert code == 1, err
    drift = [(f["kind"], f["subject"], f["detail"]) for f in report["findings"] if f["kind"] != kinds.PENDING]
    assert drift == [
        (
            kinds.FOREIGN_GROUP,
            "Contractors / ReadOnlyAuditor / 100000000371",
            "group outside the 'aws-' prefix",
        ),
        (
            kinds.SET_CHANGED,
            "ReadOnlyAuditor",
            "managed policy arn:aws:iam::aws:policy/AdministratorAccess attached outside the code",
        ),
        (kinds.SET_CHANGED, "ReadOnlyAuditor", "session duration PT12H, planned PT4H"),
        (kinds.UNKNOWN_SET, "ClickOpsAdmin", "exists in Identity Center, not in the catalogue"),
        (
            kinds.MISSING,
            "aws-quality-dev / DeveloperAccess / 100000001047",
            "planned, not in Identity Center",
        ),
        (kinds.SCP_DETACHED, f"{deny_root} -> {SANDBOX_OU}", "planned, not attached"),
        (
            kinds.UNMANAGED,
            "aws-payments-dev / PlatformAdmin / 100000002009",
            "present in Identity Center, not in the plan",
        ),
        (
            kinds.UNMANAGED,
            "aws-telemetry-readonly / ReadOnlyAuditor / 100000000102",
            "present in Identity Center, not in the plan",
        ),
        (kinds.USER, "bob.vendor / ClickOpsAdmin / 100000000335", "assigned to a single user, not a group"),
        (kinds.USER, "jane.doe / PlatformAdmin / 100000000026", "assigned to a single user, not a group"),
    ]
    assert report["drift"] == 10
    assert report["calls"] == report["minimumCalls"]


def test_a_deleted_scp_was_never_created_and_a_disabled_policy_type_is_its_own_finding(
    demo_org_spent: DemoServer,
    demo_preview_reused: PreviewResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seeded = demo_org_spent.seeded
    organizations = seeded.management.client("organizations")
    deny_root = next(name for name in seeded.policies if name.endswith("deny-root-user"))
    targets = [
        t["TargetId"]
        for t in organizations.list_targets_for_policy(PolicyId=seeded.policies[deny_root])["Targets"]
    ]
    for target in targets:
        organizations.detach_policy(PolicyId=seeded.policies[deny_root], TargetId=target)
    scp_kinds = {kinds.SCP_DETACHED, kinds.SCP_NEVER_CREATED, kinds.SCP_POLICY_TYPE_DISABLED}

    # Detached from every target but still there: detached, not never created (the policy is found by
    # name whether or not anything holds it).
    code, report, err = run_drift(tmp_path, monkeypatch, capsys)
    assert code == 1, err
    assert [(f["kind"], f["subject"]) for f in report["findings"] if f["kind"] in scp_kinds] == [
        (kinds.SCP_DETACHED, f"{deny_root} -> {target}") for target in sorted(targets)
    ]

    organizations.delete_policy(PolicyId=seeded.policies[deny_root])
    code, report, err = run_drift(tmp_path, monkeypatch, capsys)
    assert code == 1, err
    assert [(f["kind"], f["subject"], f["detail"]) for f in report["findings"] if f["kind"] in scp_kinds] == [
        (
            kinds.SCP_NEVER_CREATED,
            deny_root,
            "no SCP of this name exists in the organization "
            f"(planned on {', '.join(sorted(targets))}): never created, or deleted by hand; "
            "`pulumi up` creates and attaches it",
        )
    ]
    assert report["drift"] == 1

    root = demo_org_spent.estate.organization.root_id
    organizations.disable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    code, report, err = run_drift(tmp_path, monkeypatch, capsys)
    assert code == 1, err
    planned = sorted(seeded.policies)
    assert [(f["kind"], f["subject"], f["detail"]) for f in report["findings"] if f["kind"] in scp_kinds] == [
        (
            kinds.SCP_POLICY_TYPE_DISABLED,
            f"SERVICE_CONTROL_POLICY on {root}",
            "the SCP policy type is not enabled on the root, so none of the "
            f"{len(planned)} planned SCPs exists ({', '.join(planned)}); enable it (`aws organizations "
            f"enable-policy-type --root-id {root} --policy-type SERVICE_CONTROL_POLICY`, docs/first-run.md "
            "step a2), "
            "then `pulumi up` creates and attaches them",
        )
    ]
    assert report["drift"] == 1
    assert report["calls"] == report["minimumCalls"]


@pytest.mark.xfail(
    strict=True,
    reason="moto 5.2.5 does not implement sso-admin GetPermissionsBoundaryForPermissionSet (HTTP 500, "
    "NotImplementedError); drift runs with --no-boundary against it. When moto gains the call this "
    "test passes, fails as XPASS(strict), and the drift tests drop --no-boundary.",
)
def test_the_local_server_cannot_read_a_permissions_boundary(demo_org: DemoServer) -> None:
    seeded = demo_org.seeded
    sso = seeded.identity_center.client(
        "sso-admin", config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 1})
    )
    answer = sso.get_permissions_boundary_for_permission_set(
        InstanceArn=seeded.instance_arn, PermissionSetArn=seeded.permission_sets["PlatformAdmin"]
    )
    assert "PermissionsBoundary" in answer
