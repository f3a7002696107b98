import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import scp_size_limit as rule
from rules._common import ORG_POLICY

from ..conftest import UNKNOWN, run_resource

COMPLIANT = {"name": "deny-iam-users", "content": "x" * 5_120}


def test_compliant_at_the_limit() -> None:
    assert run_resource(rule.POLICY, ORG_POLICY, COMPLIANT) == []


def test_above_the_limit() -> None:
    assert run_resource(rule.POLICY, ORG_POLICY, {**COMPLIANT, "content": "x" * 5_121}) == [
        'SCP "deny-iam-users" content is 5,121 characters, above the 5,120-character AWS limit; minify it '
        '(json.dumps(doc, separators=(",", ":"))) or split it into several SCPs'
    ]


def test_other_policy_types_are_not_checked() -> None:
    assert (
        run_resource(rule.POLICY, ORG_POLICY, {**COMPLIANT, "type": "TAG_POLICY", "content": "x" * 9_000})
        == []
    )


def test_not_a_string_fails_closed() -> None:
    assert run_resource(rule.POLICY, ORG_POLICY, {**COMPLIANT, "content": 5}) == [
        'SCP "deny-iam-users" content must be a JSON string, got int; pass json.dumps(...)'
    ]


def test_unknown_content_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_resource(rule.POLICY, ORG_POLICY, {**COMPLIANT, "content": UNKNOWN})


def test_not_applicable_type() -> None:
    assert run_resource(rule.POLICY, "aws:iam/policy:Policy", {"content": "x" * 9_000}) == []
