"""AccountAssignments: one GROUP assignment per account, natural-key names, deferred until SCIM sync."""

from __future__ import annotations

from components.account_assignments import AccountAssignments, AccountAssignmentsArgs
from components.permission_set import PermissionSet, PermissionSetArgs
from frontdoor.domain.model.catalogue import reference_permission_sets
from frontdoor.domain.planning.fanout import GroupGrant
from frontdoor.domain.planning.organization import Account
from frontdoor.domain.planning.plan import OwnerPlan, settled
from tests.components.conftest import INSTANCE_ARN, Recorder, make_providers, provider_ref

COMPONENT = "frontdoor:aws:AccountAssignments"
ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment"
GROUP_ID = "9067b2a1-1234-5678-9abc-def012345678"
PS_ARN = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-ReadOnlyAuditor"

ACCOUNTS = (
    Account("333333333333", "payments-dev", "ACTIVE", "Workloads/Dev", ("ou-ab12-dev00001",)),
    Account("444444444444", "payments-prod", "ACTIVE", "Workloads/Prod", ("ou-ab12-prod0001",)),
)
GRANT = GroupGrant(
    group="aws-payments-readonly",
    permission_set="ReadOnlyAuditor",
    owner="team:payments",
    members='user.department == "Payments"',
    accounts=ACCOUNTS,
    field="frontdoor:teams.payments.grants.ReadOnlyAuditor",
)


def _build(synced: dict[str, str], grant: GroupGrant = GRANT) -> tuple[PermissionSet, AccountAssignments]:
    """The grant as the plan hands it over, settled against the groups `synced` (the one listing)."""
    (grant,) = settled(OwnerPlan(grant.owner, "test", (), (grant,)), synced).grants
    providers = make_providers()
    permission_set = PermissionSet(
        "ReadOnlyAuditor",
        PermissionSetArgs(
            name="ReadOnlyAuditor",
            config=reference_permission_sets()["ReadOnlyAuditor"],
            instance_arn=INSTANCE_ARN,
            provider=providers.identity_center,
        ),
    )
    assignments = AccountAssignments(
        f"{grant.group}/{grant.permission_set}",
        AccountAssignmentsArgs(
            grant=grant,
            instance_arn=INSTANCE_ARN,
            permission_set_arn=permission_set.arn,
            attachments=permission_set.attachments,
            provider=providers.identity_center,
        ),
    )
    return permission_set, assignments


def test_one_group_assignment_per_account(recorder: Recorder) -> None:
    _, component = recorder.run(lambda: _build({"aws-payments-readonly": GROUP_ID, "aws-other": "x"}))
    parent = recorder.one(COMPONENT)
    expected = {
        "aws-payments-readonly/ReadOnlyAuditor/333333333333",
        "aws-payments-readonly/ReadOnlyAuditor/444444444444",
    }
    assert recorder.children_of(parent) == {(ASSIGNMENT, name) for name in expected}
    assert set(component.assignment_names) == expected
    assert component.deferred is False
    by_target = {r.inputs["targetId"]: r.inputs for r in recorder.of_type(ASSIGNMENT)}
    assert by_target == {
        account.id: {
            "instanceArn": INSTANCE_ARN,
            "permissionSetArn": PS_ARN,
            "principalType": "GROUP",
            "principalId": GROUP_ID,
            "targetType": "AWS_ACCOUNT",
            "targetId": account.id,
        }
        for account in ACCOUNTS
    }
    assert recorder.warnings() == []


def test_assignments_depend_on_every_attachment(recorder: Recorder) -> None:
    recorder.run(lambda: _build({"aws-payments-readonly": GROUP_ID}))
    attachment_urns = {
        recorder.by_name("ReadOnlyAuditor/ReadOnlyAccess").urn,
        recorder.by_name("ReadOnlyAuditor/SecurityAudit").urn,
    }
    ic = provider_ref(recorder, "aws-identity-center")
    for assignment in recorder.of_type(ASSIGNMENT):
        assert attachment_urns <= set(assignment.dependencies)
        assert assignment.provider == ic


def test_unsynced_group_is_deferred_with_a_warning(recorder: Recorder) -> None:
    _, component = recorder.run(lambda: _build({"aws-someone-else": GROUP_ID}))
    assert recorder.of_type(ASSIGNMENT) == []
    assert recorder.children_of(recorder.one(COMPONENT)) == set()
    assert component.deferred is True
    assert component.assignment_names == ()
    assert recorder.warnings() == [
        "group 'aws-payments-readonly' is not in the Identity Center identity store yet (SCIM has not "
        "synced it): it is pushed now, and its 2 assignment(s) of ReadOnlyAuditor are made on the next "
        "run after SCIM sync"
    ]
    # The listing was read before; the component never looks a group up on its own.
    assert recorder.mocks.calls == []


def test_grant_reaching_no_account_registers_nothing(recorder: Recorder) -> None:
    empty = GroupGrant(GRANT.group, GRANT.permission_set, GRANT.owner, GRANT.members, (), GRANT.field)
    _, component = recorder.run(lambda: _build({"aws-payments-readonly": GROUP_ID}, empty))
    assert recorder.of_type(ASSIGNMENT) == []
    assert component.deferred is False
