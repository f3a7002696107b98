"""The pack's reading of the IAM reference table agrees with parliament's own expansion, and its notion
of a Resource pattern that leaves another team's resources in reach is exact."""

from __future__ import annotations

import parliament
import pytest
from rules import _iam_reference as reference


@pytest.mark.parametrize(
    "pattern",
    ["ec2:Terminate*", "dynamodb:Delete*", "s3:*Object", "lambda:UpdateFunctionCode", "EC2:describe*", "*"],
)
def test_expansion_is_parliaments(pattern: str) -> None:
    ours = sorted((a.service, a.name) for a in reference.expand(pattern))
    theirs = sorted({(a["service"], a["action"]) for a in parliament.expand_action(pattern)})
    assert ours == theirs


@pytest.mark.parametrize("pattern", ["ec2:Foo", "nosuchservice:Get*", "ec2", "ec2:"])
def test_unknown_actions_expand_to_nothing(pattern: str) -> None:
    assert reference.expand(pattern) == []


def _action(name: str) -> reference.IamAction:
    (action,) = reference.expand(name)
    return action


@pytest.mark.parametrize(
    ("pattern", "action", "covers"),
    [
        ("*", "dynamodb:DeleteTable", True),
        ("not-an-arn", "dynamodb:DeleteTable", True),
        ("arn:aws:dynamodb:*:*:table/*", "dynamodb:DeleteTable", True),
        ("arn:aws:dynamodb:eu-west-1:100000000584:table/*", "dynamodb:DeleteTable", True),
        ("arn:aws:dynamodb:eu-west-1:100000000584:table/orders*", "dynamodb:DeleteTable", True),
        ("arn:aws:dynamodb:*:*:table/orders", "dynamodb:DeleteTable", True),  # every account's orders
        ("arn:aws:dynamodb:eu-west-1:100000000584:table/orders", "dynamodb:DeleteTable", False),
        ("arn:aws:dynamodb:eu-west-1:100000000584:table/orders/index/*", "dynamodb:Query", False),
        ("arn:aws:*:*:*:*", "dynamodb:DeleteTable", True),
        ("arn:aws:s3:::*", "s3:DeleteBucket", True),
        ("arn:aws:s3:::*/*", "s3:PutObject", True),
        ("arn:aws:s3:::acme-medical-docs/*", "s3:PutObject", False),
        ("arn:aws:s3:::acme-medical-docs", "s3:DeleteBucket", False),
        ("arn:aws:s3:::acme-*", "s3:DeleteBucket", True),
        ("arn:aws:ec2:*:*:instance/*", "ec2:TerminateInstances", True),
        ("arn:aws:ec2:*:*:vpc/*", "ec2:TerminateInstances", False),  # not a resource it acts on
        ("arn:aws:sqs:*:*:*", "dynamodb:DeleteTable", False),  # another service
        ("arn:aws:lambda:eu-west-1:100000000584:function:report", "lambda:UpdateFunctionCode", False),
        ("arn:aws:lambda:eu-west-1:100000000584:function:*", "lambda:UpdateFunctionCode", True),
    ],
)
def test_which_patterns_leave_another_teams_resources_in_reach(
    pattern: str, action: str, covers: bool
) -> None:
    assert reference.covers_another_teams_resources(pattern, _action(action)) is covers
