import json
from typing import Any

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
CREATE = {
    "Sid": "Create",
    "Effect": "Allow",
    "Action": ["ec2:RunInstances"],
    "Resource": "*",
    "Condition": {"StringEquals": {"aws:RequestTag/team": "${aws:PrincipalTag/team}"}},
}
MISSING = (
    'inline policy of permission set "res", statement "Team" allows ec2:* on Resource "*" without an ABAC condition; add '
    '"Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}} or scope '
    "Resource to specific ARNs"
)
RESOURCE_FIX = 'use "StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}'
FIX = (
    'add "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}} (a separate '
    "statement for the create actions, on aws:RequestTag), or name the resources in Resource"
)
REFERENCE = "(IAM Service Authorization Reference: a resource type, access level other than List)"
UNSCOPED = "without the team condition,"
REQUEST_ONLY = (
    "with only the request-tag condition, which scopes only actions that create a resource or take a "
    "request tag,"
)
# What each pattern opens, from the pinned reference data (parliament 1.6.4).
EC2_ALL = (
    f"419 actions that act on existing resources {REFERENCE}: ec2:AcceptAddressTransfer (Write), "
    "ec2:AcceptCapacityReservationBillingOwnership (Write), "
    "ec2:AcceptTransitGatewayMulticastDomainAssociations (Write), ..."
)
EC2_NOT_CREATING = (
    f"317 actions that act on existing resources {REFERENCE}: "
    "ec2:AcceptCapacityReservationBillingOwnership (Write), "
    "ec2:AcceptTransitGatewayMulticastDomainAssociations (Write), ec2:AcceptTransitGatewayPeeringAttachment "
    "(Write), ..."
)
S3_GET = f"1 action that acts on existing resources {REFERENCE}: s3:GetObject (Read)"


def reach(label: str, pattern: str, resource: str, condition: str, opened: str, set_name: str = "res") -> str:
    return (
        f'inline policy of permission set "{set_name}", statement {label} allows {pattern} on Resource '
        f"{resource} {condition} so another team's resources are open to {opened}; {FIX}"
    )


def unscoped(label: str = '"Team"') -> list[str]:
    """What STATEMENT's two actions reach when its team clause does not scope it."""
    return [
        reach(label, "ec2:*", '"*"', UNSCOPED, EC2_ALL),
        reach(label, "s3:GetObject", '"*"', UNSCOPED, S3_GET),
    ]


def run(*statements: dict[str, Any]) -> list[str]:
    document = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    return run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": document})


def with_condition(statement: dict[str, Any], condition: Any) -> dict[str, Any]:
    return {**statement, "Condition": condition}


def test_compliant() -> None:
    assert run(STATEMENT, CREATE) == []


def test_single_statement_object_is_read() -> None:
    document = json.dumps({"Version": "2012-10-17", "Statement": STATEMENT})
    assert run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": document}) == []


def test_missing_condition() -> None:
    statement = {k: v for k, v in STATEMENT.items() if k != "Condition"}
    assert run(statement) == [MISSING]


def test_request_tag_alone_does_not_scope_a_service_wide_statement() -> None:
    # A RequestTag equality scopes creates; ec2:TerminateInstances takes no request tag and s3:GetObject
    # creates nothing, so for them it is no scope at all.
    assert run(with_condition(STATEMENT, CREATE["Condition"])) == [
        reach('"Team"', "ec2:*", '"*"', REQUEST_ONLY, EC2_NOT_CREATING),
        reach('"Team"', "s3:GetObject", '"*"', REQUEST_ONLY, S3_GET),
    ]


def test_service_specific_resource_tag_scopes() -> None:
    condition = {"StringEquals": {"secretsmanager:ResourceTag/team": "${aws:PrincipalTag/team}"}}
    assert run({**STATEMENT, "Action": "secretsmanager:*", "Condition": condition}) == []


def test_condition_on_a_different_key_is_refused() -> None:
    condition = {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/costCenter}"}}
    assert run(with_condition(STATEMENT, condition)) == [
        'inline policy of permission set "res", statement "Team" scopes by team with "StringEquals": '
        '{"aws:ResourceTag/team": "${aws:PrincipalTag/costCenter}"}, but its value must be '
        f"${{aws:PrincipalTag/team}} and nothing else; {RESOURCE_FIX}",
        *unscoped(),
    ]


@pytest.mark.parametrize(
    ("operator", "reason"),
    [
        ("StringNotEquals", "StringNotEquals is not the exact equality StringEquals"),
        ("StringLike", "StringLike is not the exact equality StringEquals"),
        ("StringEqualsIgnoreCase", "StringEqualsIgnoreCase is not the exact equality StringEquals"),
        (
            "StringEqualsIfExists",
            "StringEqualsIfExists is true when aws:ResourceTag/team is absent from the request",
        ),
        (
            "ForAllValues:StringEquals",
            "ForAllValues is true when aws:ResourceTag/team is absent from the request",
        ),
        (
            "ForAnyValue:StringEquals",
            "aws:ResourceTag/team is single-valued and takes no set operator (IAM: single-valued vs. "
            "multivalued keys)",
        ),
        (
            "ForAnyValue:StringNotEqualsIfExists",
            "ForAnyValue:StringNotEqualsIfExists is true when aws:ResourceTag/team is absent from the "
            "request",
        ),
    ],
)
def test_operator_other_than_exact_equality_is_refused(operator: str, reason: str) -> None:
    condition = {operator: {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}
    assert run(with_condition(STATEMENT, condition)) == [
        f'inline policy of permission set "res", statement "Team" scopes by team with "{operator}": {{"aws:ResourceTag/team": '
        f'"${{aws:PrincipalTag/team}}"}}, but {reason}; {RESOURCE_FIX}',
        *unscoped(),
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (["${aws:PrincipalTag/team}", "*"], '["${aws:PrincipalTag/team}", "*"]'),
        (["${aws:PrincipalTag/team}", "platform"], '["${aws:PrincipalTag/team}", "platform"]'),
        ("${aws:PrincipalTag/team}*", '"${aws:PrincipalTag/team}*"'),
        ("payments", '"payments"'),
    ],
)
def test_value_other_than_the_variable_alone_is_refused(value: Any, shown: str) -> None:
    condition = {"StringEquals": {"aws:ResourceTag/team": value}}
    assert run(with_condition(STATEMENT, condition), CREATE) == [
        f'inline policy of permission set "res", statement "Team" scopes by team with "StringEquals": {{"aws:ResourceTag/team": '
        f"{shown}}}, but its value must be ${{aws:PrincipalTag/team}} and nothing else; {RESOURCE_FIX}",
        *unscoped(),
    ]


def test_request_tag_clause_of_a_scoped_key_is_judged_even_without_the_variable() -> None:
    # The document scopes by "team" (STATEMENT reads ${aws:PrincipalTag/team}), so a create statement
    # whose RequestTag clause was loosened to a wildcard is a team-scoping clause gone wrong.
    create = with_condition(CREATE, {"StringLike": {"aws:RequestTag/team": "*"}})
    assert run(STATEMENT, create) == [
        'inline policy of permission set "res", statement "Create" scopes by team with "StringLike": {"aws:RequestTag/team": "*"}, '
        "but StringLike is not the exact equality StringEquals; use "
        '"StringEquals": {"aws:RequestTag/team": "${aws:PrincipalTag/team}"}',
        reach(
            '"Create"',
            "ec2:RunInstances",
            '"*"',
            UNSCOPED,
            f"1 action that acts on existing resources {REFERENCE}: ec2:RunInstances (Write)",
        ),
    ]


def test_tag_keys_the_document_does_not_scope_by_are_not_judged() -> None:
    create = with_condition(CREATE, {**CREATE["Condition"], "StringLike": {"aws:RequestTag/project": "a-*"}})
    assert run(STATEMENT, create) == []


def test_multivalued_key_takes_for_any_value() -> None:
    tagged = {"ForAnyValue:StringEquals": {"aws:TagKeys": "${aws:PrincipalTag/team}"}}
    assert run(STATEMENT, with_condition(CREATE, {**CREATE["Condition"], **tagged})) == []
    plain = {"StringEquals": {"aws:TagKeys": "${aws:PrincipalTag/team}"}}
    assert run(STATEMENT, with_condition(CREATE, plain)) == [
        'inline policy of permission set "res", statement "Create" scopes by team with "StringEquals": {"aws:TagKeys": '
        '"${aws:PrincipalTag/team}"}, but aws:TagKeys is multivalued and needs ForAnyValue; use '
        '"ForAnyValue:StringEquals": {"aws:TagKeys": "${aws:PrincipalTag/team}"}',
        reach(
            '"Create"',
            "ec2:RunInstances",
            '"*"',
            UNSCOPED,
            f"1 action that acts on existing resources {REFERENCE}: ec2:RunInstances (Write)",
        ),
    ]


def test_deny_statements_are_not_judged() -> None:
    deny = {
        "Sid": "DenyOthers",
        "Effect": "Deny",
        "Action": "ec2:*",
        "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
    }
    assert run(STATEMENT, deny) == []


@pytest.mark.parametrize("element", ["NotAction", "NotResource"])
def test_allow_with_not_action_or_not_resource_is_refused(element: str) -> None:
    listed = element.removeprefix("Not")
    statement = {k: v for k, v in STATEMENT.items() if k != listed} | {element: ["iam:*", "organizations:*"]}
    assert run(statement) == [
        f'inline policy of permission set "res", statement "Team" is an Allow with {element} ["iam:*", "organizations:*"], which '
        f"grants everything it does not list; name the allowed {listed.lower()}s in {listed} instead"
    ]


def test_deny_with_not_action_is_fine() -> None:
    deny = {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"}
    assert run(STATEMENT, deny) == []


def test_unnamed_statement_is_labelled_by_position() -> None:
    statement = {k: v for k, v in STATEMENT.items() if k not in ("Sid", "Condition")}
    assert run(CREATE, statement) == unscoped("#2")


def test_specific_resources_need_no_condition() -> None:
    statement = {k: v for k, v in STATEMENT.items() if k != "Condition"} | {
        "Resource": "arn:aws:s3:::bucket/*"
    }
    assert run(statement) == []


def test_boolean_condition_values_are_read() -> None:
    condition = {**CONDITION, "Bool": {"aws:SecureTransport": True}}
    assert run(with_condition(STATEMENT, condition)) == []


def test_malformed_condition_fails_closed() -> None:
    assert run({**STATEMENT, "Condition": "team"}) == [
        "cannot check the inline policy: statement Condition must be an object, got 'team'; fix the document "
        "so the pack can verify it"
    ]


def test_malformed_operator_block_fails_closed() -> None:
    assert run({**STATEMENT, "Condition": {"StringEquals": "team"}}) == [
        "cannot check the inline policy: statement Condition operator StringEquals must map keys to values, "
        "got 'team'; fix the document so the pack can verify it"
    ]


def test_unknown_document_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": UNKNOWN})


def test_not_applicable_type() -> None:
    assert run_resource(rule.POLICY, "aws:organizations/policy:Policy", {"inlinePolicy": "x"}) == []
