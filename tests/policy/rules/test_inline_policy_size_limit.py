import json

import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import inline_policy_size_limit as rule
from rules._common import INLINE_POLICY

from ..conftest import UNKNOWN, run_resource


def document(non_whitespace: int) -> str:
    # {"Sid":"<x...>"} is 10 characters plus the padding; whitespace does not count.
    return '{"Sid": "' + "x" * (non_whitespace - 10) + '"}' + " \n" * 500


def test_compliant_at_the_limit() -> None:
    assert run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": document(10_240)}) == []


def test_above_the_limit() -> None:
    assert run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": document(10_241)}) == [
        "inline policy is 10,241 non-whitespace characters, above the 10,240 Identity Center limit; move "
        "statements into a customer-managed policy or shorten the document"
    ]


def test_not_a_string_fails_closed() -> None:
    assert run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": {"Statement": []}}) == [
        "inline policy must be a JSON string, got an object; pass json.dumps(document)"
    ]


def test_unknown_document_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": UNKNOWN})


def test_not_applicable_type() -> None:
    assert (
        run_resource(rule.POLICY, "aws:iam/policy:Policy", {"inlinePolicy": json.dumps("x" * 20_000)}) == []
    )
