"""AppAssignment: the never-pushed assignment group, its stable bucketed rules, one additive app grant."""

from __future__ import annotations

import pytest

from components.app_assignment import (
    TYPE,
    AppAssignment,
    AppAssignmentArgs,
    any_of,
    bucket_of,
    bucket_rule_name,
    buckets,
)
from tests.components.okta_mocks import APP_ID, run

GROUP = "okta:group/group:Group"
RULE = "okta:group/rule:Rule"
APP_GROUP = "okta:app/groupAssignment:GroupAssignment"
PLURAL_ASSIGNMENTS = "okta:index/appGroupAssignments:AppGroupAssignments"
PUSH = "okta:index/pushGroup:PushGroup"
ASSIGNMENT_GROUP = "app-aws-identity-center-users"
PUSHED = {
    "aws-payments-dev": 'user.team == "payments"',
    "aws-payments-prod": 'user.team == "payments"',
    "aws-data-dev": 'user.department == "Data"',
}


def _build(pushed: dict[str, str] = PUSHED, **overrides: object) -> AppAssignment:
    args: dict[str, object] = {"app_id": APP_ID, "group_name": ASSIGNMENT_GROUP, "pushed_groups": pushed}
    return AppAssignment("app-assignment", AppAssignmentArgs(**(args | overrides)))  # type: ignore[arg-type]


def test_exact_children_with_a_single_rule() -> None:
    result = run(lambda: _build(bucket_digits=0))
    parent = (TYPE, "app-assignment")
    assert result.tree() == {
        (TYPE, "app-assignment", None),
        (GROUP, ASSIGNMENT_GROUP, parent),
        (RULE, f"{ASSIGNMENT_GROUP}-rule", parent),
        (APP_GROUP, f"{ASSIGNMENT_GROUP}-app", parent),
    }


def test_assignment_group_is_never_pushed_and_the_grant_is_per_pair() -> None:
    result = run(_build)
    types = {r.type for r in result.monitor.registrations}
    assert PUSH not in types
    assert PLURAL_ASSIGNMENTS not in types
    assert result.inputs(GROUP)[ASSIGNMENT_GROUP]["name"] == ASSIGNMENT_GROUP
    assert result.inputs(APP_GROUP)[f"{ASSIGNMENT_GROUP}-app"] == {
        "appId": APP_ID,
        "groupId": f"{ASSIGNMENT_GROUP}-id",
        "retainAssignment": False,
    }


def test_single_rule_reads_the_hr_attributes_never_a_rule_filled_group() -> None:
    rule = run(lambda: _build(bucket_digits=0)).inputs(RULE)[f"{ASSIGNMENT_GROUP}-rule"]
    assert rule == {
        "name": f"{ASSIGNMENT_GROUP}-rule",
        "expressionType": "urn:okta:expression:1.0",
        # each expression once, sorted: no diff from dict order, no cascade over rule-filled groups
        "expressionValue": '(user.department == "Data") OR (user.team == "payments")',
        "groupAssignments": [f"{ASSIGNMENT_GROUP}-id"],
        "removeAssignedUsers": True,
        "status": "ACTIVE",
    }
    assert "isMemberOf" not in rule["expressionValue"]


def test_bucketed_rules_cover_every_group_once_and_target_only_the_assignment_group() -> None:
    result = run(_build)
    rules = result.inputs(RULE)
    expected = {bucket_rule_name(ASSIGNMENT_GROUP, bucket_of(name, 1)) for name in PUSHED}
    assert set(rules) == expected
    assert set(result.result.rule_names) == expected
    for bucket, rule in rules.items():
        assert rule["groupAssignments"] == [f"{ASSIGNMENT_GROUP}-id"]
        assert rule["removeAssignedUsers"] is True
        members = [
            e for n, e in PUSHED.items() if bucket_rule_name(ASSIGNMENT_GROUP, bucket_of(n, 1)) == bucket
        ]
        assert rule["expressionValue"] == any_of(members)


def test_adding_a_group_touches_only_its_own_bucket() -> None:
    names = [f"aws-team{i:03}-dev" for i in range(300)]
    before = buckets(names, 1, 100)
    after = buckets([*names, "aws-newteam-dev"], 1, 100)
    changed = {key for key in after if after[key] != before.get(key)}
    assert changed == {bucket_of("aws-newteam-dev", 1)}
    assert set(before) <= set(after)


def test_overfull_bucket_stops_the_program_instead_of_re_bucketing() -> None:
    with pytest.raises(ValueError, match="raise bucket_digits to 1"):
        buckets([f"aws-g{i}" for i in range(4)], 0, 3)


def test_pushed_group_that_is_the_assignment_group_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be pushed"):
        _build({**PUSHED, ASSIGNMENT_GROUP: "grp-x"})


def test_assignment_group_with_the_push_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="push prefix"):
        AppAssignmentArgs(app_id=APP_ID, group_name="aws-users", pushed_groups={})


def test_expression_form() -> None:
    assert any_of(['user.a == "x"', 'user.b == "y"', 'user.a == "x"']) == '(user.a == "x") OR (user.b == "y")'
    assert any_of(['user.a == "x"']) == 'user.a == "x"'
