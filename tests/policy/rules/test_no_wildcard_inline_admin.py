import json

import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import no_wildcard_inline_admin as rule
from rules._common import INLINE_POLICY

from ..conftest import UNKNOWN, run_resource

STATEMENT = {"Sid": "Dev", "Effect": "Allow", "Action": ["ec2:Describe*"], "Resource": "*"}


def run(statement: dict[str, object]) -> list[str]:
    document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    return run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": document})


def test_compliant() -> None:
    assert run(STATEMENT) == []


def test_action_star_on_resource_star() -> None:
    assert run({**STATEMENT, "Action": ["s3:GetObject", "*"]}) == [
        'inline policy statement "Dev" allows Action "*" on Resource "*" (full administrator access); grant '
        "specific service actions, or attach AdministratorAccess to an allow-listed permission set instead"
    ]


def test_not_action_on_resource_star() -> None:
    statement = {k: v for k, v in STATEMENT.items() if k != "Action"} | {"NotAction": "iam:*"}
    assert run(statement) == [
        'inline policy statement "Dev" allows every action except NotAction [iam:*] on Resource "*"; list '
        "the allowed actions with Action instead of NotAction"
    ]


def test_deny_star_is_compliant() -> None:
    assert run({**STATEMENT, "Effect": "Deny", "Action": "*"}) == []


def test_malformed_json_fails_closed() -> None:
    assert run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": "{not json"}) == [
        "cannot check the inline policy: policy document is not valid JSON (Expecting property name enclosed "
        "in double quotes: line 1 column 2 (char 1)); fix the document so the pack can verify it"
    ]


def test_unknown_document_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": UNKNOWN})


def test_not_applicable_type() -> None:
    assert run_resource(rule.POLICY, "aws:iam/policy:Policy", {"inlinePolicy": "{not json"}) == []
