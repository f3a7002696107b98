import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import assignments_to_groups_only as rule
from rules._common import ACCOUNT_ASSIGNMENT

from ..conftest import UNKNOWN, run_resource

COMPLIANT = {"principalType": "GROUP", "principalId": "g-1", "targetId": "222222222222"}


def test_group_assignment_is_compliant() -> None:
    assert rule.findings(COMPLIANT, {}) == []
    assert run_resource(rule.POLICY, ACCOUNT_ASSIGNMENT, COMPLIANT) == []


def test_user_assignment_is_a_violation() -> None:
    assert run_resource(rule.POLICY, ACCOUNT_ASSIGNMENT, {**COMPLIANT, "principalType": "USER"}) == [
        'account assignment has principalType "USER"; only GROUP principals may be assigned: assign the '
        'person\'s Okta group (synced to Identity Center by SCIM) with principal_type="GROUP"'
    ]


def test_missing_principal_type_is_a_violation() -> None:
    props = {k: v for k, v in COMPLIANT.items() if k != "principalType"}
    assert rule.findings(props, {})[0].startswith("account assignment has principalType missing;")


def test_unknown_principal_type_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_resource(rule.POLICY, ACCOUNT_ASSIGNMENT, {**COMPLIANT, "principalType": UNKNOWN})


def test_not_applicable_type() -> None:
    assert (
        run_resource(rule.POLICY, "aws:ssoadmin/permissionSet:PermissionSet", {"principalType": "USER"}) == []
    )
