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
    "no SCP denying iam:CreateUser and iam:CreateAccessKey is attached to the organization root; attach a "
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
