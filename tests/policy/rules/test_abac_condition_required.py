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
    'inline policy of permission set "res", '
    'statement "Team" allows ec2:* on Resource "*" without an ABAC condition; add '
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
        f'inline policy of permission set "res", '
        f'statement "Team" scopes by team with "{operator}": {{"aws:ResourceTag/team": '
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
        f'inline policy of permission set "res", '
        f'statement "Team" scopes by team with "StringEquals": {{"aws:ResourceTag/team": '
        f"{shown}}}, but its value must be ${{aws:PrincipalTag/team}} and nothing else; {RESOURCE_FIX}",
        *unscoped(),
    ]


def test_request_tag_clause_of_a_scoped_key_is_judged_even_without_the_variable() -> None:
    # The document scopes by "team" (STATEMENT reads ${aws:PrincipalTag/team}), so a create statement
    # whose RequestTag clause was loosened to a wildcard is a team-scoping clause gone wrong.
    create = with_condition(CREATE, {"StringLike": {"aws:RequestTag/team": "*"}})
    assert run(STATEMENT, create) == [
        'inline policy of permission set "res", '
        'statement "Create" scopes by team with "StringLike": {"aws:RequestTag/team": "*"}, '
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
        'inline policy of permission set "res", '
        'statement "Create" scopes by team with "StringEquals": {"aws:TagKeys": '
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
        f'inline policy of permission set "res", '
        f'statement "Team" is an Allow with {element} ["iam:*", "organizations:*"], which '
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


# --- reach: every Allow of a team-scoped document that can act on another team's resources -------------
def named(sid: str, action: Any, resource: Any, condition: Any = None) -> dict[str, Any]:
    statement = {"Sid": sid, "Effect": "Allow", "Action": action, "Resource": resource}
    return statement if condition is None else {**statement, "Condition": condition}


def opened(*actions: str) -> str:
    count = "1 action that acts" if len(actions) == 1 else f"{len(actions)} actions that act"
    return f"{count} on existing resources {REFERENCE}: {', '.join(actions)}"


EC2_INSTANCE_EXAMPLES = (
    "ec2:AssociateAddress (Write), ec2:AssociateIamInstanceProfile (Write), "
    "ec2:AttachClassicLinkVpc (Write), ..."
)


@pytest.mark.parametrize(
    ("resource", "count", "examples"),
    [
        # 3 fewer than "*": the acm certificate and iam role actions of ec2 are not ec2 ARNs.
        ("arn:aws:ec2:*:*:*", 416, EC2_ALL.split("List): ", 1)[1]),
        ("arn:*:ec2:*:*:*", 416, EC2_ALL.split("List): ", 1)[1]),
        ("arn:aws:ec2:*:*:instance/*", 48, EC2_INSTANCE_EXAMPLES),
        # One account is no partition: several teams share a dev account.
        ("arn:aws:ec2:eu-west-1:100000000584:instance/*", 48, EC2_INSTANCE_EXAMPLES),
    ],
)
def test_a_pattern_covering_every_resource_of_a_type_is_as_broad_as_star(
    resource: str, count: int, examples: str
) -> None:
    assert run(STATEMENT, named("Ec2", "ec2:*", resource)) == [
        reach(
            '"Ec2"',
            "ec2:*",
            f'"{resource}"',
            UNSCOPED,
            f"{count} actions that act on existing resources {REFERENCE}: {examples}",
        )
    ]


@pytest.mark.parametrize(
    ("action", "resource", "reached"),
    [
        (
            "ec2:Terminate*",
            "*",
            ("ec2:TerminateClientVpnConnections (Write)", "ec2:TerminateInstances (Write)"),
        ),
        ("dynamodb:DeleteTable", "*", ("dynamodb:DeleteTable (Write)",)),
        ("EC2:terminateinstances", "*", ("ec2:TerminateInstances (Write)",)),  # IAM ignores the case
        ("lambda:UpdateFunctionCode", "*", ("lambda:UpdateFunctionCode (Write)",)),
        ("s3:PutObject", "arn:aws:s3:::*/*", ("s3:PutObject (Write)",)),
        ("s3:GetObject", "arn:aws:s3:::acme-*/*", ("s3:GetObject (Read)",)),
        ("dynamodb:GetItem", "arn:aws:dynamodb:*:*:table/orders", ("dynamodb:GetItem (Read)",)),
        ("ecr:BatchGetImage", "not-an-arn", ("ecr:BatchGetImage (Read)",)),
    ],
)
def test_a_narrower_action_or_pattern_without_the_condition_is_refused(
    action: str, resource: str, reached: tuple[str, ...]
) -> None:
    assert run(STATEMENT, named("Extra", action, resource)) == [
        reach('"Extra"', action, f'"{resource}"', UNSCOPED, opened(*reached))
    ]


def test_dynamodb_deletes_on_every_table_are_refused() -> None:
    assert run(STATEMENT, named("Extra", "dynamodb:Delete*", "arn:aws:dynamodb:*:*:table/*")) == [
        reach(
            '"Extra"',
            "dynamodb:Delete*",
            '"arn:aws:dynamodb:*:*:table/*"',
            UNSCOPED,
            f"5 actions that act on existing resources {REFERENCE}: dynamodb:DeleteBackup (Write), "
            "dynamodb:DeleteItem (Write), dynamodb:DeleteResourcePolicy (Permissions management), ...",
        )
    ]


def test_only_the_patterns_that_reach_are_named() -> None:
    resources = ["arn:aws:s3:::acme-medical-docs/*", "arn:aws:s3:::*/*"]
    assert run(STATEMENT, named("Extra", "s3:GetObject", resources)) == [
        reach('"Extra"', "s3:GetObject", '"arn:aws:s3:::*/*"', UNSCOPED, S3_GET)
    ]


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("ec2:DescribeVolumes", "*"),  # List
        ("ec2:Describe*", "*"),  # every ec2 Describe is List
        ("ecr:GetAuthorizationToken", "*"),  # no resource type
        ("sqs:ListQueues", "*"),  # Read, but no resource type
        ("ecr:DescribeRepositories", "*"),  # the named navigation read
        ("s3:GetObject", "arn:aws:s3:::acme-medical-docs/*"),  # objects of one named bucket
        ("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:100000000584:table/orders"),  # one named table
        ("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:100000000584:function:report:*"),
    ],
)
def test_list_unscopable_and_named_resource_grants_need_no_condition(action: str, resource: str) -> None:
    assert run(STATEMENT, named("Extra", action, resource)) == []


def test_null_false_beside_the_equality_is_accepted() -> None:
    condition = {**CONDITION, "Null": {"aws:ResourceTag/team": "false"}}
    assert run(with_condition(STATEMENT, condition)) == []


def test_null_true_on_the_team_key_is_refused() -> None:
    condition = {**CONDITION, "Null": {"aws:ResourceTag/team": "true"}}
    assert run(with_condition(STATEMENT, condition)) == [
        'inline policy of permission set "res", statement "Team" scopes by team with "Null": '
        '{"aws:ResourceTag/team": "true"}, but Null "true" matches requests in which aws:ResourceTag/team '
        f"is absent; {RESOURCE_FIX}"
    ]


def test_the_request_tag_equality_scopes_creates_and_tag_actions_only() -> None:
    creates = ["ec2:RunInstances", "ec2:CreateTags", "s3:CreateBucket", "dynamodb:CreateTable"]
    assert run(STATEMENT, {**CREATE, "Action": creates}) == []
    assert run(STATEMENT, {**CREATE, "Action": [*creates, "dynamodb:DeleteTable"]}) == [
        reach('"Create"', "dynamodb:DeleteTable", '"*"', REQUEST_ONLY, opened("dynamodb:DeleteTable (Write)"))
    ]


def test_a_service_specific_resource_tag_equality_scopes_any_action() -> None:
    condition = {"StringEquals": {"secretsmanager:ResourceTag/team": "${aws:PrincipalTag/team}"}}
    assert run(STATEMENT, named("Secrets", "secretsmanager:GetSecretValue", "*", condition)) == []


def test_an_unknown_action_fails_closed_unless_the_statement_is_scoped() -> None:
    assert run(STATEMENT, named("Extra", ["ec2:TerminateInstancez", "ec2:Describe*"], "*")) == [
        'inline policy of permission set "res", statement "Extra" allows ec2:TerminateInstancez, which the '
        "pack's IAM Service Authorization Reference data (parliament 1.6.4 iam_definition.json) does not "
        f"list, so the pack cannot tell which resources it reaches; correct the action's name, or {FIX}"
    ]
    assert run(STATEMENT, named("Extra", "ec2:TerminateInstancez", "*", CONDITION)) == []


def test_a_statement_without_resource_is_judged_as_star() -> None:
    statement = {"Sid": "Extra", "Effect": "Allow", "Action": "dynamodb:DeleteTable"}
    assert run(STATEMENT, statement) == [
        reach('"Extra"', "dynamodb:DeleteTable", '"*"', UNSCOPED, opened("dynamodb:DeleteTable (Write)"))
    ]


def test_a_document_that_reads_no_principal_tag_is_judged_only_for_service_wide_wildcards() -> None:
    # Not team-scoped: nothing in it follows a team, so only the earlier service-wide claim applies.
    assert run(named("Extra", "dynamodb:DeleteTable", "*")) == []


def test_the_set_is_named_from_the_programs_inline_policy_name() -> None:
    document = json.dumps(
        {"Version": "2012-10-17", "Statement": [STATEMENT, named("X", "s3:GetObject", "*")]}
    )
    assert run_resource(
        rule.POLICY, INLINE_POLICY, {"inlinePolicy": document}, name="DeveloperAccess/inline"
    ) == [reach('"X"', "s3:GetObject", '"*"', UNSCOPED, S3_GET, set_name="DeveloperAccess")]


def test_the_resources_a_launch_uses_are_exempt_exactly_as_the_template_names_them() -> None:
    # The ABAC template's LaunchWithSupportingResources and CreateSecurityGroupInVpc (contracts'
    # SUPPORTING_RESOURCES): the AMI, subnet, security group and key pair of ec2:RunInstances and the VPC of
    # ec2:CreateSecurityGroup carry no request tag and a public AMI no team tag.
    launch = {
        "Sid": "LaunchWithSupportingResources",
        "Effect": "Allow",
        "Action": "ec2:RunInstances",
        "Resource": [
            "arn:aws:ec2:*::image/*",
            "arn:aws:ec2:*:*:key-pair/*",
            "arn:aws:ec2:*:*:security-group/*",
            "arn:aws:ec2:*:*:subnet/*",
        ],
    }
    vpc = {
        "Sid": "CreateSecurityGroupInVpc",
        "Effect": "Allow",
        "Action": "ec2:CreateSecurityGroup",
        "Resource": "arn:aws:ec2:*:*:vpc/*",
    }
    assert run(STATEMENT, CREATE, launch, vpc) == []


def test_a_launch_on_another_supporting_type_or_another_action_on_them_is_judged() -> None:
    # A snapshot is another team's disk contents; deleting a subnet is no launch.
    snapshot = {
        "Sid": "Launch",
        "Effect": "Allow",
        "Action": "ec2:RunInstances",
        "Resource": ["arn:aws:ec2:*:*:subnet/*", "arn:aws:ec2:*:*:snapshot/*"],
    }
    delete = {
        "Sid": "Subnets",
        "Effect": "Allow",
        "Action": "ec2:DeleteSubnet",
        "Resource": "arn:aws:ec2:*:*:subnet/*",
    }
    assert run(STATEMENT, snapshot, delete) == [
        reach(
            '"Launch"',
            "ec2:RunInstances",
            '"arn:aws:ec2:*:*:snapshot/*"',
            UNSCOPED,
            f"1 action that acts on existing resources {REFERENCE}: ec2:RunInstances (Write)",
        ),
        reach(
            '"Subnets"',
            "ec2:DeleteSubnet",
            '"arn:aws:ec2:*:*:subnet/*"',
            UNSCOPED,
            f"1 action that acts on existing resources {REFERENCE}: ec2:DeleteSubnet (Write)",
        ),
    ]


SHARED_KEY = with_condition(
    STATEMENT, {"StringEquals": {"aws:ResourceTag/costCenter": "${aws:PrincipalTag/costCenter}"}}
)


def test_with_the_stacks_tag_keys_an_equality_on_another_principal_tag_scopes_nothing() -> None:
    # A cost centre several teams share: the statement reaches every team of that cost centre.
    document = json.dumps({"Version": "2012-10-17", "Statement": [SHARED_KEY, CREATE]})
    got = run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": document}, config={"tagKeys": ["team"]})
    assert got == [
        reach('"Team"', "ec2:*", '"*"', UNSCOPED, EC2_ALL),
        reach('"Team"', "s3:GetObject", '"*"', UNSCOPED, S3_GET),
    ]


def test_without_the_stacks_tag_keys_the_documents_own_keys_are_taken_as_written() -> None:
    # Another program's pack config names no ABAC key: the document's keys are all it has.
    assert run(SHARED_KEY, CREATE) == []


def test_the_stacks_tag_keys_compare_regardless_of_case() -> None:
    document = json.dumps({"Version": "2012-10-17", "Statement": [STATEMENT, CREATE]})
    assert (
        run_resource(rule.POLICY, INLINE_POLICY, {"inlinePolicy": document}, config={"tagKeys": ["Team"]})
        == []
    )
