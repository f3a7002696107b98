"""BirthrightGroup: a named group, one rule that targets only it and cleans up, and its push mapping."""

from __future__ import annotations

import pytest

from components.birthright_group import TYPE, BirthrightGroup, BirthrightGroupArgs
from components.scim_provisioning import TYPE as SCIM_TYPE
from components.scim_provisioning import ScimProvisioning, ScimProvisioningArgs
from frontdoor.domain.planning.fanout import GroupSpec
from tests.components.okta_mocks import APP_ID, run

GROUP = "okta:group/group:Group"
RULE = "okta:group/rule:Rule"
PUSH = "okta:index/pushGroup:PushGroup"
MEMBERS = 'user.department == "Payments"'
SPEC = GroupSpec(name="aws-payments-dev", owner="team:payments", members=MEMBERS, field="teams.payments")


def _scim() -> ScimProvisioning:
    return ScimProvisioning("scim", ScimProvisioningArgs(app_id=APP_ID, app_assignment_group="app-aws-users"))


def _build(spec: GroupSpec = SPEC) -> BirthrightGroup:
    return BirthrightGroup(spec.name, BirthrightGroupArgs(spec=spec, provisioning=_scim()))


def test_exact_children() -> None:
    result = run(_build)
    parent = (TYPE, "aws-payments-dev")
    assert result.tree() == {
        (SCIM_TYPE, "scim", None),
        (TYPE, "aws-payments-dev", None),
        (GROUP, "aws-payments-dev", parent),
        (RULE, "aws-payments-dev-rule", parent),
        # Push mappings all live under the provisioning component, which guards them.
        (PUSH, "aws-payments-dev-push", (SCIM_TYPE, "scim")),
    }


def test_group_is_named_explicitly_and_names_its_owner() -> None:
    group = run(_build).inputs(GROUP)["aws-payments-dev"]
    assert group["name"] == "aws-payments-dev"
    assert "team:payments" in group["description"]


def test_rule_fills_exactly_this_group_and_removes_members_on_delete() -> None:
    rule = run(_build).inputs(RULE)["aws-payments-dev-rule"]
    assert rule == {
        "name": "aws-payments-dev-rule",
        "expressionType": "urn:okta:expression:1.0",
        "expressionValue": MEMBERS,
        "groupAssignments": ["aws-payments-dev-id"],
        "removeAssignedUsers": True,
        "status": "ACTIVE",
    }


def test_push_targets_the_same_name_and_keeps_the_aws_group() -> None:
    result = run(_build, outputs=lambda g: {"group": g.group_id, "pushed": g.push.source_group_id})
    push = result.inputs(PUSH)["aws-payments-dev-push"]
    assert push["sourceGroupId"] == "aws-payments-dev-id"
    assert push["targetGroupName"] == "aws-payments-dev"
    assert push["deleteTargetGroupOnDestroy"] is False
    assert result.registered(PUSH)["aws-payments-dev-push"].protect is True
    assert result.values == {"group": "aws-payments-dev-id", "pushed": "aws-payments-dev-id"}
    assert result.result.group_name == "aws-payments-dev"


def test_unprefixed_group_is_refused_before_anything_is_registered() -> None:
    spec = GroupSpec(name="payments-dev", owner="team:payments", members=MEMBERS, field="teams.payments")

    with pytest.raises(ValueError, match="only groups named aws-"):
        run(lambda: _build(spec))


def test_assignment_group_can_never_become_a_birthright_group() -> None:
    spec = GroupSpec(name="app-aws-users", owner="org:x", members=MEMBERS, field="orgGrants.x")

    with pytest.raises(ValueError, match="never pushed"):
        run(lambda: _build(spec))


@pytest.mark.parametrize(
    ("name", "members", "message"),
    [
        ("aws-" + "x" * 45, MEMBERS, "50-character"),
        ("aws-payments-dev", 'user.team == "payments', "double quote"),
    ],
)
def test_rejects_names_and_expressions_okta_would_reject(name: str, members: str, message: str) -> None:
    spec = GroupSpec(name=name, owner="team:payments", members=members, field="teams.payments")

    with pytest.raises(ValueError, match=message):
        run(lambda: _build(spec))
