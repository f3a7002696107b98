"""ScimProvisioning: token expiry on the component's inputs, guarded and non-destructive push mappings."""

from __future__ import annotations

import datetime as dt

import pytest

from components.scim_provisioning import TYPE, ScimProvisioning, ScimProvisioningArgs
from tests.components.okta_mocks import APP_ID, run

PUSH = "okta:index/pushGroup:PushGroup"
FEATURES = "okta:app/features:Features"
ASSIGNMENT_GROUP = "app-aws-identity-center-users"


def _build(**overrides: object) -> ScimProvisioning:
    args: dict[str, object] = {"app_id": APP_ID, "app_assignment_group": ASSIGNMENT_GROUP} | overrides
    return ScimProvisioning("scim", ScimProvisioningArgs(**args))  # type: ignore[arg-type]


def test_token_expiry_and_prefix_are_component_inputs() -> None:
    result = run(lambda: _build(token_expires_on=dt.date(2027, 3, 31)))
    assert result.inputs(TYPE)["scim"] == {"tokenExpiresOn": "2027-03-31", "pushGroupPrefix": "aws-"}
    assert result.result.token_expires_on == "2027-03-31"


def test_untracked_token_expiry_is_absent_not_invented() -> None:
    result = run(_build)
    assert result.inputs(TYPE)["scim"].get("tokenExpiresOn") is None


def test_no_children_by_default_and_no_token_anywhere() -> None:
    result = run(_build)
    assert result.tree() == {(TYPE, "scim", None)}
    assert all(not r.secret_inputs for r in result.monitor.registrations)


def test_push_mapping_never_deletes_the_identity_center_group_and_is_protected() -> None:
    def program() -> ScimProvisioning:
        scim = _build()
        scim.push("aws-payments-dev", "grp-payments-dev")
        return scim

    result = run(program)
    assert result.tree() == {(TYPE, "scim", None), (PUSH, "aws-payments-dev-push", (TYPE, "scim"))}
    assert result.inputs(PUSH)["aws-payments-dev-push"] == {
        "appId": APP_ID,
        "sourceGroupId": "grp-payments-dev",
        "status": "ACTIVE",
        "targetGroupName": "aws-payments-dev",
        "deleteTargetGroupOnDestroy": False,
    }
    push = result.registered(PUSH)["aws-payments-dev-push"]
    assert push.protect is True
    assert push.retain_on_delete is None
    assert set(result.result.pushes) == {"aws-payments-dev"}


@pytest.mark.parametrize(
    ("group", "message"),
    [
        (ASSIGNMENT_GROUP, "app assignment group"),
        ("payments-dev", "only groups named aws-"),
        ("aws-", "only groups named aws-"),
        ("AWS-payments-dev", "only groups named aws-"),
    ],
)
def test_push_guard_refuses_groups_outside_the_prefix(group: str, message: str) -> None:
    def program() -> None:
        _build().push(group, "grp")

    with pytest.raises(ValueError, match=message):
        run(program)


def test_push_guard_refuses_pushing_twice() -> None:
    def program() -> None:
        scim = _build()
        scim.push("aws-a-dev", "grp-1")
        scim.push("aws-a-dev", "grp-2")

    with pytest.raises(ValueError, match="already pushed"):
        run(program)


def test_prefixed_assignment_group_is_rejected_up_front() -> None:
    with pytest.raises(ValueError, match="cannot assign and push"):
        ScimProvisioningArgs(app_id=APP_ID, app_assignment_group="aws-users")


def test_features_only_when_asked_for() -> None:
    result = run(lambda: _build(manage_features=True))
    assert result.tree() == {(TYPE, "scim", None), (FEATURES, "scim-user-provisioning", (TYPE, "scim"))}
    features = result.inputs(FEATURES)["scim-user-provisioning"]
    assert features["name"] == "USER_PROVISIONING"
    assert features["status"] == "ENABLED"
    assert features["capabilities"] == {
        "create": {"lifecycleCreate": {"status": "ENABLED"}},
        "update": {"profile": {"status": "ENABLED"}, "lifecycleDeactivate": {"status": "ENABLED"}},
    }
