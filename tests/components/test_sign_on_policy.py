"""SignOnPolicy: a deny-by-default policy plus one allow rule that needs two factors incl. a possession."""

from __future__ import annotations

import json

import pytest

from components.sign_on_policy import TYPE, SignOnPolicy, SignOnPolicyArgs
from tests.components.okta_mocks import run

POLICY = "okta:index/appSignonPolicy:AppSignonPolicy"
RULE = "okta:index/appSignonPolicyRule:AppSignonPolicyRule"


def _build(**overrides: object) -> SignOnPolicy:
    return SignOnPolicy("aws-sign-on", SignOnPolicyArgs(**overrides))  # type: ignore[arg-type]


def test_exact_children() -> None:
    result = run(_build)
    parent = (TYPE, "aws-sign-on")
    assert result.tree() == {
        (TYPE, "aws-sign-on", None),
        (POLICY, "aws-sign-on", parent),
        (RULE, "aws-sign-on-mfa", parent),
    }


def test_policy_denies_by_default() -> None:
    policy = run(_build).inputs(POLICY)["aws-sign-on"]
    assert policy["catchAll"] is False
    assert policy["name"] == "AWS IAM Identity Center"
    assert policy["description"]


def test_rule_requires_two_factors_with_a_possession_factor() -> None:
    result = run(lambda: _build(reauthenticate_every="PT2H", groups_included=["grp-assign"]))
    rule = result.inputs(RULE)["aws-sign-on-mfa"]
    assert rule["access"] == "ALLOW"
    assert rule["factorMode"] == "2FA"
    assert [json.loads(c) for c in rule["constraints"]] == [{"possession": {"required": True}}]
    assert rule["reAuthenticationFrequency"] == "PT2H"
    assert rule["groupsIncluded"] == ["grp-assign"]
    assert rule["policyId"] == "aws-sign-on-id"
    assert rule["status"] == "ACTIVE"


def test_rule_without_groups_sends_no_group_condition() -> None:
    rule = run(_build).inputs(RULE)["aws-sign-on-mfa"]
    assert "groupsIncluded" not in rule
    assert rule["reAuthenticationFrequency"] == "PT8H"


def test_policy_id_is_exposed() -> None:
    result = run(_build, outputs=lambda c: {"policy": c.policy_id})
    assert result.values == {"policy": "aws-sign-on-id"}


@pytest.mark.parametrize("bad", ["8h", "PT", "P1D", "PT8H "])
def test_rejects_a_malformed_reauthentication_interval(bad: str) -> None:
    with pytest.raises(ValueError, match="ISO-8601"):
        SignOnPolicyArgs(reauthenticate_every=bad)
