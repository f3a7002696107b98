import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import unused_permission_set as rule
from rules._common import ACCOUNT_ASSIGNMENT, PERMISSION_SET

from ..conftest import UNKNOWN, Res, run_stack

DEVELOPER = Res(PERMISSION_SET, "developer", {"name": "DeveloperAccess", "arn": "arn:ps/developer"})
ASSIGNMENT = Res(
    ACCOUNT_ASSIGNMENT, "a", {"permissionSetArn": "arn:ps/developer", "targetId": "222222222222"}
)


def test_assigned_set_is_compliant() -> None:
    assert run_stack(rule.POLICY, [DEVELOPER, ASSIGNMENT]) == []


def test_unassigned_set() -> None:
    assert run_stack(rule.POLICY, [DEVELOPER]) == [
        (
            DEVELOPER.urn,
            'permission set "DeveloperAccess" is not assigned to any group in any account; assign it (a '
            "grant in a team's access) or delete it",
        )
    ]


def test_unknown_arn_matches_through_property_dependencies() -> None:
    preview = Res(PERMISSION_SET, "developer", {"name": "DeveloperAccess", "arn": UNKNOWN})
    assignment = Res(
        ACCOUNT_ASSIGNMENT,
        "a",
        {"permissionSetArn": UNKNOWN},
        property_dependencies={"permissionSetArn": [preview.urn]},
    )
    assert run_stack(rule.POLICY, [preview, assignment]) == []


def test_unresolvable_unknown_arn_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [DEVELOPER, Res(ACCOUNT_ASSIGNMENT, "a", {"permissionSetArn": UNKNOWN})])


def test_is_advisory() -> None:
    assert rule.ENFORCEMENT.value == "advisory"
