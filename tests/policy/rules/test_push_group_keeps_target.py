import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import push_group_keeps_target as rule
from rules._common import OKTA_PUSH_GROUP

from ..conftest import UNKNOWN, run_resource

COMPLIANT = {"appId": "0oa1", "sourceGroupId": "00g1", "deleteTargetGroupOnDestroy": False}
CONSEQUENCE = (
    "which deletes the Identity Center group and its account assignments when the mapping is destroyed; "
    "set delete_target_group_on_destroy=False"
)


def test_compliant() -> None:
    assert run_resource(rule.POLICY, OKTA_PUSH_GROUP, COMPLIANT) == []


def test_absent_means_provider_default_true() -> None:
    props = {k: v for k, v in COMPLIANT.items() if k != "deleteTargetGroupOnDestroy"}
    assert run_resource(rule.POLICY, OKTA_PUSH_GROUP, props) == [
        f"push group mapping leaves deleteTargetGroupOnDestroy unset (provider default true), {CONSEQUENCE}"
    ]


def test_true_is_a_violation() -> None:
    assert run_resource(rule.POLICY, OKTA_PUSH_GROUP, {**COMPLIANT, "deleteTargetGroupOnDestroy": True}) == [
        f"push group mapping sets deleteTargetGroupOnDestroy true, {CONSEQUENCE}"
    ]


def test_non_boolean_fails_closed() -> None:
    assert run_resource(
        rule.POLICY, OKTA_PUSH_GROUP, {**COMPLIANT, "deleteTargetGroupOnDestroy": "false"}
    ) == [
        "push group mapping has deleteTargetGroupOnDestroy 'false', which is not a boolean; "
        "set delete_target_group_on_destroy=False"
    ]


def test_unknown_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_resource(rule.POLICY, OKTA_PUSH_GROUP, {**COMPLIANT, "deleteTargetGroupOnDestroy": UNKNOWN})


def test_not_applicable_type() -> None:
    assert run_resource(rule.POLICY, "okta:group/group:Group", {}) == []
