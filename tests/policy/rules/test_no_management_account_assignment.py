import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import no_management_account_assignment as rule
from rules._common import ACCOUNT_ASSIGNMENT, ORGANIZATION_PLUMBING, PERMISSION_SET

from ..conftest import UNKNOWN, Res, run_stack

PLUMBING = Res(ORGANIZATION_PLUMBING, "org", {"managementAccountId": "111111111111"})
DEVELOPER = Res(PERMISSION_SET, "developer", {"name": "DeveloperAccess", "arn": "arn:ps/developer"})


def assignment(target: str) -> Res:
    return Res(
        ACCOUNT_ASSIGNMENT, f"a-{target}", {"permissionSetArn": "arn:ps/developer", "targetId": target}
    )


def test_member_account_assignment_is_compliant() -> None:
    assert run_stack(rule.POLICY, [PLUMBING, DEVELOPER, assignment("222222222222")]) == []


def test_management_account_assignment() -> None:
    bad = assignment("111111111111")
    assert run_stack(rule.POLICY, [PLUMBING, DEVELOPER, bad]) == [
        (
            bad.urn,
            'account assignment grants permission set "DeveloperAccess" in the management account '
            "111111111111, where SCPs do not apply; assign it to member accounts only, or add the set to "
            "allowedPermissionSets in the pack config",
        )
    ]


def test_allow_listed_set_and_config_account() -> None:
    config = {"managementAccountId": "111111111111", "allowedPermissionSets": ["DeveloperAccess"]}
    assert run_stack(rule.POLICY, [DEVELOPER, assignment("111111111111")], config) == []


def test_unknown_management_account_fails_closed() -> None:
    assert run_stack(rule.POLICY, [DEVELOPER, assignment("222222222222")]) == [
        (
            None,
            "the stack has account assignments but no management account id is known; set "
            "managementAccountId in the pack config or pass it to OrganizationPlumbing",
        )
    ]


def test_unknown_target_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [PLUMBING, DEVELOPER, assignment(UNKNOWN)])


def test_no_assignments_is_not_applicable() -> None:
    assert run_stack(rule.POLICY, [DEVELOPER]) == []
