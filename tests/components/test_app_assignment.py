"""AppAssignment: the never-pushed assignment group, its stable bucketed rules, one additive app grant."""

from __future__ import annotations

import pytest

from components.app_assignment import (
    TYPE,
    AppAssignment,
    AppAssignmentArgs,
    bucket_of,
    bucket_rule_name,
    buckets,
    member_of_any,
)
from tests.components.okta_mocks import APP_ID, run

GROUP = "okta:group/group:Group"
RULE = "okta:group/rule:Rule"
APP_GROUP = "okta:app/groupAssignment:GroupAssignment"
PLURAL_ASSIGNMENTS = "okta:index/appGroupAssignments:AppGroupAssignments"
PUSH = "okta:index/pushGroup:PushGroup"
ASSIGNMENT_GROUP = "app-aws-identity-center-users"
PUSHED = {"aws-payments-dev": "grp-pay-dev", "aws-payments-prod": "grp-pay-prod", "aws-data-dev": "grp-data"}


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


def test_single_rule_reads_membership_of_every_pushed_group_by_id() -> None:
    rule = run(lambda: _build(bucket_digits=0)).inputs(RULE)[f"{ASSIGNMENT_GROUP}-rule"]
    assert rule == {
        "name": f"{ASSIGNMENT_GROUP}-rule",
        "expressionType": "urn:okta:expression:1.0",
        # ids in the order of their sorted group names: no diff from dict order
        "expressionValue": 'isMemberOfAnyGroup("grp-data", "grp-pay-dev", "grp-pay-prod")',
        "groupAssignments": [f"{ASSIGNMENT_GROUP}-id"],
        "removeAssignedUsers": True,
        "status": "ACTIVE",
    }


def test_bucketed_rules_cover_every_group_once_and_target_only_the_assignment_group() -> None:
    result = run(_build)
    rules = result.inputs(RULE)
    expected = {bucket_rule_name(ASSIGNMENT_GROUP, bucket_of(name, 1)) for name in PUSHED}
    assert set(rules) == expected
    assert set(result.result.rule_names) == expected
    seen: list[str] = []
    for rule in rules.values():
        assert rule["groupAssignments"] == [f"{ASSIGNMENT_GROUP}-id"]
        assert rule["removeAssignedUsers"] is True
        ids = rule["expressionValue"].removeprefix("isMemberOfAnyGroup(").removesuffix(")")
        seen += [part.strip('"') for part in ids.split(", ")]
    assert sorted(seen) == sorted(PUSHED.values())


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
    assert member_of_any(["00g1", "00g2"]) == 'isMemberOfAnyGroup("00g1", "00g2")'
