import json

import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import abac_condition_required as rule
from rules._common import INLINE_POLICY

from ..conftest import UNKNOWN, run_resource

CONDITION = {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}
STATEMENT = {
    "Sid": "Team",
    "Effect": "Allow",
    "Action": ["ec2:*", "s3:GetObject"],
    "Resource": "*",
    "Condition": CONDITION,
}


def run(statement: dict[str, object]) -> list[str]:
    document = json.dumps({"Version": "2012-10-17", "Statement": statement})
    return run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": document})


def test_compliant() -> None:
    assert run(STATEMENT) == []


def test_missing_condition() -> None:
    statement = {k: v for k, v in STATEMENT.items() if k != "Condition"}
    assert run(statement) == [
        'inline policy statement "Team" allows ec2:* on Resource "*" without an ABAC condition; add '
        '"Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}} or scope '
        "Resource to specific ARNs"
    ]


def test_condition_on_a_different_key_does_not_count() -> None:
    condition = {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/costCenter}"}}
    assert len(run({**STATEMENT, "Condition": condition})) == 1


def test_specific_resources_need_no_condition() -> None:
    statement = {k: v for k, v in STATEMENT.items() if k != "Condition"} | {
        "Resource": "arn:aws:s3:::bucket/*"
    }
    assert run(statement) == []


def test_malformed_condition_fails_closed() -> None:
    assert run({**STATEMENT, "Condition": "team"}) == [
        "cannot check the inline policy: statement Condition must be an object, got 'team'; fix the document "
        "so the pack can verify it"
    ]


def test_unknown_document_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": UNKNOWN})


def test_not_applicable_type() -> None:
    assert run_resource(rule.POLICY, "aws:organizations/policy:Policy", {"inlinePolicy": "x"}) == []
