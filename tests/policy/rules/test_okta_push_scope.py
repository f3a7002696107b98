import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import okta_push_scope as rule
from rules._common import OKTA_GROUP, OKTA_PUSH_GROUP

from ..conftest import UNKNOWN, Res, run_stack

GROUP = Res(OKTA_GROUP, "payments-dev", {"id": "00g1", "name": "aws-payments-dev"})
PUSH = Res(
    OKTA_PUSH_GROUP, "push-payments-dev", {"sourceGroupId": "00g1", "deleteTargetGroupOnDestroy": False}
)


def test_compliant() -> None:
    assert run_stack(rule.POLICY, [GROUP, PUSH]) == []


def test_group_without_prefix() -> None:
    group = Res(OKTA_GROUP, "payments-dev", {"id": "00g1", "name": "Engineering"})
    assert run_stack(rule.POLICY, [group, PUSH]) == [
        (
            PUSH.urn,
            'push group mapping pushes Okta group "Engineering", whose name lacks the "aws-" prefix; push '
            "only aws-* groups (rename the group or remove the mapping)",
        )
    ]


def test_prefix_is_configurable() -> None:
    assert len(run_stack(rule.POLICY, [GROUP, PUSH], {"prefix": "sso-"})) == 1


def test_target_group_name_without_prefix() -> None:
    push = Res(OKTA_PUSH_GROUP, "push-payments-dev", {**PUSH.props, "targetGroupName": "payments"})
    assert run_stack(rule.POLICY, [GROUP, push]) == [
        (
            push.urn,
            'push group mapping names its target group "payments", which lacks the "aws-" prefix; drop '
            "target_group_name or give it the prefix",
        )
    ]


def test_unresolvable_source_fails_closed() -> None:
    assert run_stack(rule.POLICY, [PUSH]) == [
        (
            PUSH.urn,
            'push group mapping pushes Okta group id "00g1", which is no okta Group in this stack, so its '
            'name cannot be checked for the "aws-" prefix; manage the group in this stack',
        )
    ]


def test_unknown_id_resolves_through_property_dependencies() -> None:
    group = Res(OKTA_GROUP, "payments-dev", {"id": UNKNOWN, "name": "aws-payments-dev"})
    push = Res(
        OKTA_PUSH_GROUP,
        "push",
        {"sourceGroupId": UNKNOWN},
        property_dependencies={"sourceGroupId": [group.urn]},
    )
    assert run_stack(rule.POLICY, [group, push]) == []


def test_unknown_group_name_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [Res(OKTA_GROUP, "payments-dev", {"id": "00g1", "name": UNKNOWN}), PUSH])


def test_no_push_groups_is_not_applicable() -> None:
    assert run_stack(rule.POLICY, [GROUP]) == []
