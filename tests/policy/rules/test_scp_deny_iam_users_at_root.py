import json

import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import scp_deny_iam_users_at_root as rule
from rules._common import (
    ACCESS_PLATFORM,
    DELEGATED_ADMINISTRATOR,
    ORG_POLICY,
    ORG_POLICY_ATTACHMENT,
    ORGANIZATION_PLUMBING,
)

from ..conftest import UNKNOWN, Res, run_stack

CONTENT = json.dumps(
    {"Statement": [{"Effect": "Deny", "Action": ["iam:CreateUser", "iam:CreateAccessKey"], "Resource": "*"}]}
)
SCP = Res(ORG_POLICY, "deny-iam-users", {"id": "p-1", "name": "deny-iam-users", "content": CONTENT})
ROOT = Res(ORG_POLICY_ATTACHMENT, "deny-iam-users-root", {"policyId": "p-1", "targetId": "r-ab12"})
MISSING = (
    None,
    "no SCP denying iam:CreateUser and iam:CreateAccessKey is attached to the organization root (only Deny "
    'statements on Resource "*" count whose only condition exempts IAM users by exact ARN); attach a '
    "deny-IAM-users SCP to the root (r-...) with an organizations PolicyAttachment",
)


def test_compliant() -> None:
    assert run_stack(rule.POLICY, [SCP, ROOT]) == []


def test_iam_wildcard_covers_both_actions() -> None:
    content = json.dumps({"Statement": {"Effect": "Deny", "Action": "iam:Create*", "Resource": "*"}})
    assert (
        run_stack(rule.POLICY, [Res(ORG_POLICY, "deny-iam-users", {**SCP.props, "content": content}), ROOT])
        == []
    )


def test_attached_to_an_ou_only() -> None:
    ou = Res(
        ORG_POLICY_ATTACHMENT, "deny-iam-users-root", {"policyId": "p-1", "targetId": "ou-ab12-abcdefgh"}
    )
    assert run_stack(rule.POLICY, [SCP, ou]) == [MISSING]


def test_policy_missing_an_action() -> None:
    content = json.dumps({"Statement": [{"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}]})
    assert run_stack(
        rule.POLICY, [Res(ORG_POLICY, "deny-iam-users", {**SCP.props, "content": content}), ROOT]
    ) == [MISSING]


def test_allow_does_not_count() -> None:
    content = CONTENT.replace("Deny", "Allow")
    assert run_stack(
        rule.POLICY, [Res(ORG_POLICY, "deny-iam-users", {**SCP.props, "content": content}), ROOT]
    ) == [MISSING]


def test_malformed_policy_fails_closed() -> None:
    bad = Res(ORG_POLICY, "deny-iam-users", {**SCP.props, "content": "nope"})
    assert run_stack(rule.POLICY, [bad, ROOT]) == [
        (
            bad.urn,
            "cannot check SCP deny-iam-users: policy document is not valid JSON (Expecting value: line 1 "
            "column 1 (char 0)); fix the policy document",
        ),
        MISSING,
    ]


def test_unknown_policy_id_matches_through_property_dependencies() -> None:
    preview_scp = Res(ORG_POLICY, "deny-iam-users", {**SCP.props, "id": UNKNOWN})
    attachment = Res(
        ORG_POLICY_ATTACHMENT,
        "root",
        {"policyId": UNKNOWN, "targetId": "r-ab12"},
        property_dependencies={"policyId": [preview_scp.urn]},
    )
    assert run_stack(rule.POLICY, [preview_scp, attachment]) == []


def test_unknown_content_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [Res(ORG_POLICY, "deny-iam-users", {**SCP.props, "content": UNKNOWN}), ROOT])


def test_stack_without_aws_resources_is_not_applicable() -> None:
    assert run_stack(rule.POLICY, [Res("okta:group/group:Group", "g", {"name": "aws-x"})]) == []


STAGE_A = [
    Res("pulumi:providers:aws", "aws-management", {}),
    Res(ACCESS_PLATFORM, "frontdoor", {}),
    Res(ORGANIZATION_PLUMBING, "organization", {}),
    Res(DELEGATED_ADMINISTRATOR, "identity-center-delegated-admin", {"accountId": "100000000299"}),
]


def test_a_stack_holding_first_run_stage_a_alone_waits_for_the_scps() -> None:
    # docs/first-run.md stage a: the delegation is applied before the SCP policy type is enabled.
    assert run_stack(rule.POLICY, STAGE_A) == []


def test_anything_beyond_stage_a_needs_the_root_scp() -> None:
    assert run_stack(rule.POLICY, [*STAGE_A, SCP]) == [MISSING]
    # The delegation alone, without the platform's plumbing, is not a first run's stage a.
    assert run_stack(rule.POLICY, [STAGE_A[0], STAGE_A[3]]) == [MISSING]


GLASS = "arn:aws:iam::100000000299:user/break-glass/breakglass-1"
ACTIONS = ["iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:CreateUser", "iam:UpdateLoginProfile"]


def _deny(**fields: object) -> dict[str, object]:
    return {"Sid": "DenyIamUserCredentials", "Effect": "Deny", "Action": ACTIONS, "Resource": "*", **fields}


def _with(*statement: dict[str, object]) -> list[Res]:
    content = json.dumps({"Version": "2012-10-17", "Statement": list(statement)})
    return [Res(ORG_POLICY, "deny-iam-users", {**SCP.props, "content": content}), ROOT]


# What a session-revocation SCP at the root holds: it denies nothing to sessions issued after the epoch.
REVOKE = {
    "Sid": "RevokeSessions",
    "Effect": "Deny",
    "Action": "*",
    "Resource": "*",
    "Condition": {"DateLessThan": {"aws:TokenIssueTime": "2026-12-01T00:00:00Z"}},
}


def test_break_glass_exemption_by_exact_arn_counts() -> None:
    # The benign shape frontdoor renders: two break-glass users exempted by full ARN.
    other = GLASS.replace("breakglass-1", "breakglass-2")
    assert (
        run_stack(rule.POLICY, _with(_deny(Condition={"ArnNotLike": {"aws:PrincipalArn": [GLASS, other]}})))
        == []
    )
    assert run_stack(rule.POLICY, _with(_deny(Resource=ALL_USERS))) == []


ALL_USERS = "arn:aws:iam::*:user/*"


def test_mutant_m43_exempting_every_role_does_not_count() -> None:
    exempt = {"ArnNotLike": {"aws:PrincipalArn": [GLASS, "arn:aws:iam::*:role/*"]}}
    assert run_stack(rule.POLICY, _with(_deny(Condition=exempt))) == [MISSING]


def test_mutant_m44_narrowed_resource_does_not_count() -> None:
    assert run_stack(rule.POLICY, _with(_deny(Resource="arn:aws:iam::*:user/people/*"))) == [MISSING]
    assert run_stack(rule.POLICY, _with({**_deny(), "NotResource": "arn:x", "Resource": None})) == [MISSING]


def test_mutant_m46_a_conditional_deny_all_does_not_stand_in_for_create_user() -> None:
    without_create_user = _deny(Action=[a for a in ACTIONS if a != "iam:CreateUser"])
    assert run_stack(rule.POLICY, _with(without_create_user, REVOKE)) == [MISSING]
    assert run_stack(rule.POLICY, _with(REVOKE)) == [MISSING]


def test_mutant_m45_only_the_revocation_scp_at_the_root() -> None:
    revoke = Res(
        ORG_POLICY,
        "session-revocation",
        {"id": "p-2", "name": "session-revocation", "content": json.dumps({"Statement": [REVOKE]})},
    )
    at_root = Res(ORG_POLICY_ATTACHMENT, "session-revocation-root", {"policyId": "p-2", "targetId": "r-ab12"})
    on_ou = Res(
        ORG_POLICY_ATTACHMENT, "deny-iam-users-ou", {"policyId": "p-1", "targetId": "ou-ab12-abcdefgh"}
    )
    assert run_stack(rule.POLICY, [SCP, revoke, at_root, on_ou]) == [MISSING]


def test_other_conditions_on_the_principal_do_not_count() -> None:
    for condition in (
        {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::100000000299:user/break-glass/*"}},
        {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::100000000299:role/BreakGlass"}},
        {"StringNotEquals": {"aws:PrincipalAccount": "100000000299"}},
    ):
        assert run_stack(rule.POLICY, _with(_deny(Condition=condition))) == [MISSING], condition
