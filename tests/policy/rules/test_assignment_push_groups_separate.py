from rules import assignment_push_groups_separate as rule
from rules._common import OKTA_APP_GROUP_ASSIGNMENTS, OKTA_GROUP, OKTA_GROUP_ASSIGNMENT, OKTA_PUSH_GROUP

from ..conftest import UNKNOWN, Res, run_stack

PUSHED = Res(OKTA_GROUP, "payments-dev", {"id": "00g1", "name": "aws-payments-dev"})
ASSIGNED = Res(OKTA_GROUP, "aws-users", {"id": "00g2", "name": "aws-app-users"})
PUSH = Res(OKTA_PUSH_GROUP, "push", {"sourceGroupId": "00g1"})
MESSAGE = (
    'Okta group "aws-payments-dev" is both pushed to Identity Center and assigned to the app; Okta does not '
    "support both on one group: assign the app through a separate group"
)


def test_separate_groups_are_compliant() -> None:
    assignment = Res(OKTA_GROUP_ASSIGNMENT, "assign", {"groupId": "00g2"})
    assert run_stack(rule.POLICY, [PUSHED, ASSIGNED, PUSH, assignment]) == []


def test_same_group_pushed_and_assigned() -> None:
    assignment = Res(OKTA_GROUP_ASSIGNMENT, "assign", {"groupId": "00g1"})
    assert run_stack(rule.POLICY, [PUSHED, ASSIGNED, PUSH, assignment]) == [(PUSH.urn, MESSAGE)]


def test_same_group_in_app_group_assignments() -> None:
    bulk = Res(OKTA_APP_GROUP_ASSIGNMENTS, "bulk", {"groups": [{"id": "00g2"}, {"id": "00g1"}]})
    assert run_stack(rule.POLICY, [PUSHED, ASSIGNED, PUSH, bulk]) == [(PUSH.urn, MESSAGE)]


def test_unknown_ids_compare_through_dependencies() -> None:
    group = Res(OKTA_GROUP, "payments-dev", {"id": UNKNOWN, "name": "aws-payments-dev"})
    push = Res(
        OKTA_PUSH_GROUP,
        "push",
        {"sourceGroupId": UNKNOWN},
        property_dependencies={"sourceGroupId": [group.urn]},
    )
    assignment = Res(
        OKTA_GROUP_ASSIGNMENT, "assign", {"groupId": UNKNOWN}, property_dependencies={"groupId": [group.urn]}
    )
    assert run_stack(rule.POLICY, [group, push, assignment]) == [(push.urn, MESSAGE)]


def test_unknown_ids_without_dependencies_are_skipped() -> None:
    push = Res(OKTA_PUSH_GROUP, "push", {"sourceGroupId": UNKNOWN})
    assignment = Res(OKTA_GROUP_ASSIGNMENT, "assign", {"groupId": UNKNOWN})
    assert run_stack(rule.POLICY, [push, assignment]) == []


def test_no_push_groups_is_not_applicable() -> None:
    assert run_stack(rule.POLICY, [PUSHED, Res(OKTA_GROUP_ASSIGNMENT, "assign", {"groupId": "00g1"})]) == []
