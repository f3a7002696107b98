"""The evaluator's semantics, pinned case by case to the AWS documentation passage each follows.

Every row: the policies, the request, the expected decision (or the construct it must refuse), and
the source. IAM user guide pages are abbreviated as iam:<page> under
https://docs.aws.amazon.com/IAM/latest/UserGuide/<page>.html; Organizations pages as org:<page>
under https://docs.aws.amazon.com/organizations/latest/userguide/<page>.html.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from frontdoor.domain.proof.iam_evaluator import NamedPolicy, Request, UnsupportedPolicy, evaluate

EVAL = "iam:reference_policies_evaluation-logic"
ACTION = "iam:reference_policies_elements_action"
NOT_ACTION = "iam:reference_policies_elements_notaction"
RESOURCE = "iam:reference_policies_elements_resource"
NOT_RESOURCE = "iam:reference_policies_elements_notresource"
OPERATORS = "iam:reference_policies_elements_condition_operators"
CONDITION = "iam:reference_policies_elements_condition"
MULTI = "iam:reference_policies_condition-logic-multiple-context-keys-or-values"
SETS = "iam:reference_policies_condition-single-vs-multi-valued-context-keys"
VARIABLES = "iam:reference_policies_variables"
SCP = "org:orgs_manage_policies_scps_evaluation"
FRONTDOOR = "frontdoor issue 14: constructs the evaluator does not implement fail closed"

BUCKET = "arn:aws:s3:::payments-data"
OWN = "${aws:PrincipalTag/team}"


def doc(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    document: dict[str, Any] = {"Statement": list(statements)}
    if version:
        document["Version"] = version
    return document


def allow(action: Any = "s3:GetObject", resource: Any = "*", **condition: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": action, "Resource": resource}
    if condition:
        statement["Condition"] = condition
    return statement


def deny(action: Any = "s3:GetObject", resource: Any = "*", **condition: Any) -> dict[str, Any]:
    return {**allow(action, resource, **condition), "Effect": "Deny"}


def tags(**values: str | tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    names = {
        "principal": "aws:PrincipalTag/team",
        "resource": "aws:ResourceTag/team",
        "request": "aws:RequestTag/team",
    }
    return {names.get(k, k): (v if isinstance(v, tuple) else (v,)) for k, v in values.items()}


FULL = NamedPolicy("FullAWSAccess", doc(allow("*")))


@dataclass(frozen=True)
class Case:
    name: str
    identity: list[dict[str, Any]]
    request: Request
    expected: str  # allow | explicit-deny | implicit-deny | unsupported:<text in the message>
    source: str
    scps: list[list[dict[str, Any]]] = field(default_factory=list)


def get(resource: str = BUCKET, action: str = "s3:GetObject", **context: Any) -> Request:
    return Request(action, resource, context)


CASES = [
    # --- evaluation order -----------------------------------------------------------------------
    Case(
        "no policy: implicit deny",
        [],
        get(),
        "implicit-deny",
        f"{EVAL}: all requests are implicitly denied by default",
    ),
    Case(
        "matching allow",
        [doc(allow())],
        get(),
        "allow",
        f"{EVAL}: an identity-based policy allow grants the request",
    ),
    Case(
        "explicit deny beats allow",
        [doc(allow(), deny())],
        get(),
        "explicit-deny",
        f"{EVAL}: an explicit deny in any policy overrides any allow",
    ),
    Case(
        "deny in another policy wins",
        [doc(allow()), doc(deny())],
        get(),
        "explicit-deny",
        f"{EVAL}: explicit deny in any applicable policy",
    ),
    Case(
        "allow for another action only",
        [doc(allow("s3:PutObject"))],
        get(),
        "implicit-deny",
        f"{EVAL}: no matching allow -> implicit deny",
    ),
    Case(
        "statement as a single object",
        [{"Version": "2012-10-17", "Statement": allow()}],
        get(),
        "allow",
        "iam:reference_policies_elements_statement: Statement is a single object or an array",
    ),
    # --- Action / NotAction -----------------------------------------------------------------------
    Case(
        "action prefix is case-insensitive",
        [doc(allow("S3:getobject"))],
        get(),
        "allow",
        f"{ACTION}: the prefix and the action name are case insensitive",
    ),
    Case(
        "action wildcard *",
        [doc(allow("s3:Get*"))],
        get(),
        "allow",
        f"{ACTION}: use wildcards (*) to give access to all actions that begin with a name",
    ),
    Case(
        "action wildcard ?",
        [doc(allow("s3:GetObjec?"))],
        get(),
        "allow",
        f"{ACTION}: multi-character (*) and single-character (?) wildcards",
    ),
    Case(
        "action list is OR",
        [doc(allow(["s3:PutObject", "s3:GetObject"]))],
        get(),
        "allow",
        f"{ACTION}: an array of actions; any one matches",
    ),
    Case(
        "NotAction allows all others",
        [doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})],
        get(),
        "allow",
        f"{NOT_ACTION}: matches everything except the listed actions",
    ),
    Case(
        "NotAction excludes the listed",
        [doc({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})],
        get(),
        "implicit-deny",
        f"{NOT_ACTION}: the listed actions are not matched",
    ),
    # --- Resource / NotResource --------------------------------------------------------------------
    Case(
        "resource wildcard",
        [doc(allow(resource="arn:aws:s3:::payments-*"))],
        get(),
        "allow",
        f"{RESOURCE}: wildcards (* and ?) within ARN segments",
    ),
    Case(
        "resource is case-sensitive",
        [doc(allow(resource="arn:aws:s3:::PAYMENTS-data"))],
        get(),
        "implicit-deny",
        f"{RESOURCE}: resource ARNs are case sensitive",
    ),
    Case(
        "NotResource excludes the listed",
        [doc({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": BUCKET})],
        get(),
        "implicit-deny",
        f"{NOT_RESOURCE}: matches every resource except those listed",
    ),
    Case(
        "resource policy variable",
        [doc(allow(resource="arn:aws:s3:::${aws:PrincipalTag/team}-data"))],
        get(**tags(principal="payments")),
        "allow",
        f"{VARIABLES}: variables in the Resource element are replaced by request values",
    ),
    Case(
        "resource variable for another team",
        [doc(allow(resource="arn:aws:s3:::${aws:PrincipalTag/team}-data"))],
        get(**tags(principal="search")),
        "implicit-deny",
        f"{VARIABLES}: the substituted value must match the resource",
    ),
    Case(
        "resource variable with no value",
        [doc(allow(resource="arn:aws:s3:::${aws:PrincipalTag/team}-data"))],
        get(),
        "implicit-deny",
        f"{VARIABLES}: a variable with no value in the request matches nothing",
    ),
    Case(
        "variables literal before 2012-10-17",
        [doc(allow(resource="arn:aws:s3:::${aws:PrincipalTag/team}-data"), version=None)],
        get(**tags(principal="payments")),
        "implicit-deny",
        f"{VARIABLES}: without Version 2012-10-17 variables are treated as literal strings",
    ),
    Case(
        "default value of a variable",
        [doc(allow(resource="arn:aws:s3:::${aws:PrincipalTag/team, 'payments'}-data"))],
        get(),
        "allow",
        f"{VARIABLES}: a default value is used when the key is not present",
    ),
    Case(
        "escaped ${*} is a literal star",
        [doc(allow(resource="arn:aws:s3:::pay${*}"))],
        get("arn:aws:s3:::pay*"),
        "allow",
        f"{VARIABLES}: ${{*}}, ${{?}} and ${{$}} stand for the literal characters",
    ),
    Case(
        "escaped ${*} is not a wildcard",
        [doc(allow(resource="arn:aws:s3:::pay${*}"))],
        get(),
        "implicit-deny",
        f"{VARIABLES}: special characters",
    ),
    # --- String operators -------------------------------------------------------------------------
    Case(
        "StringEquals with variable (ABAC)",
        [doc(allow(StringEquals={"aws:ResourceTag/team": OWN}))],
        get(**tags(principal="payments", resource="payments")),
        "allow",
        "iam:introduction_attribute-based-access-control: aws:ResourceTag matched to ${aws:PrincipalTag}",
    ),
    Case(
        "StringEquals other team",
        [doc(allow(StringEquals={"aws:ResourceTag/team": OWN}))],
        get(**tags(principal="payments", resource="search")),
        "implicit-deny",
        f"{OPERATORS}: StringEquals exact matching",
    ),
    Case(
        "StringEquals is case-sensitive",
        [doc(allow(StringEquals={"aws:ResourceTag/team": OWN}))],
        get(**tags(principal="payments", resource="Payments")),
        "implicit-deny",
        f"{OPERATORS}: StringEquals, case-sensitive",
    ),
    Case(
        "StringEqualsIgnoreCase",
        [doc(allow(StringEqualsIgnoreCase={"aws:ResourceTag/team": OWN}))],
        get(**tags(principal="payments", resource="Payments")),
        "allow",
        f"{OPERATORS}: StringEqualsIgnoreCase",
    ),
    Case(
        "positive operator, key absent",
        [doc(allow(StringEquals={"aws:ResourceTag/team": OWN}))],
        get(**tags(principal="payments")),
        "implicit-deny",
        f"{OPERATORS}: if the key is not present in the request context, the values do not match "
        "and the condition is false",
    ),
    Case(
        "negated operator, key absent",
        [doc(allow(StringNotEquals={"aws:ResourceTag/team": "search"}))],
        get(),
        "allow",
        f"{OPERATORS}: if the condition requires that the key is not matched (e.g. StringNotLike) "
        "and the key is not present, the condition is true",
    ),
    Case(
        "StringNotEquals on other value",
        [doc(deny(StringNotEquals={"aws:ResourceTag/team": OWN}), allow())],
        get(**tags(principal="payments", resource="search")),
        "explicit-deny",
        f"{OPERATORS}: StringNotEquals, negated matching",
    ),
    Case(
        "StringLike * matches any value",
        [doc(allow(StringLike={"aws:ResourceTag/team": "*"}))],
        get(**tags(resource="search")),
        "allow",
        f"{OPERATORS}: StringLike with multi-character wildcards",
    ),
    Case(
        "StringLike ?",
        [doc(allow(StringLike={"aws:ResourceTag/team": "pay?ents"}))],
        get(**tags(resource="payments")),
        "allow",
        f"{OPERATORS}: StringLike single-character wildcard",
    ),
    Case(
        "StringNotLike",
        [doc(allow(StringNotLike={"aws:ResourceTag/team": "pay*"}))],
        get(**tags(resource="payments")),
        "implicit-deny",
        f"{OPERATORS}: StringNotLike, negated case-sensitive matching with wildcards",
    ),
    Case(
        "IfExists passes when absent",
        [doc(allow(StringEqualsIfExists={"aws:ResourceTag/team": OWN}))],
        get(**tags(principal="payments")),
        "allow",
        f"{OPERATORS}: ...IfExists: if the key is not present, evaluate the condition as true",
    ),
    Case(
        "IfExists checks when present",
        [doc(allow(StringEqualsIfExists={"aws:ResourceTag/team": OWN}))],
        get(**tags(principal="payments", resource="search")),
        "implicit-deny",
        f"{OPERATORS}: ...IfExists: if the key is present, process it as specified",
    ),
    Case(
        "condition key names are case-insensitive",
        [doc(allow(StringEquals={"AWS:RESOURCETAG/team": "payments"}))],
        get(**tags(resource="payments")),
        "allow",
        f"{CONDITION}: condition key names are not case-sensitive",
    ),
    Case(
        "values of one key are OR",
        [doc(allow(StringEquals={"aws:ResourceTag/team": ["search", "payments"]}))],
        get(**tags(resource="payments")),
        "allow",
        f"{MULTI}: multiple values for one key are evaluated with a logical OR",
    ),
    Case(
        "keys and operators are AND",
        [
            doc(
                allow(
                    StringEquals={"aws:ResourceTag/team": "payments"}, Null={"aws:PrincipalTag/team": "false"}
                )
            )
        ],
        get(**tags(resource="payments")),
        "implicit-deny",
        f"{MULTI}: multiple operators or keys are evaluated with a logical AND",
    ),
    Case(
        "negated with several values is NOR",
        [doc(allow(StringNotEquals={"aws:ResourceTag/team": ["search", "payments"]}))],
        get(**tags(resource="payments")),
        "implicit-deny",
        f"{MULTI}: a negated operator with several values matches none of them",
    ),
    # --- Null, Bool, Arn, Date ----------------------------------------------------------------------
    Case(
        "Null true: key absent",
        [doc(deny("*", Null={"aws:PrincipalTag/team": "true"}), allow())],
        get(),
        "explicit-deny",
        f"{OPERATORS}: Null true -- the key doesn't exist",
    ),
    Case(
        "Null true: key present",
        [doc(deny("*", Null={"aws:PrincipalTag/team": "true"}), allow())],
        get(**tags(principal="payments")),
        "allow",
        f"{OPERATORS}: Null false -- the key exists",
    ),
    Case(
        "Bool",
        [doc(allow(Bool={"aws:MultiFactorAuthPresent": "true"}))],
        get(**{"aws:MultiFactorAuthPresent": ("true",)}),
        "allow",
        f"{OPERATORS}: Boolean condition operators",
    ),
    Case(
        "ArnLike per component",
        [
            doc(
                deny(
                    "*", ArnLike={"aws:PrincipalARN": "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*"}
                ),
                allow(),
            )
        ],
        get(
            **{
                "aws:PrincipalARN": (
                    "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_Dev_1",
                )
            }
        ),
        "explicit-deny",
        f"{OPERATORS}: ArnLike, each of the six colon-delimited components is checked separately "
        "with wildcards",
    ),
    Case(
        "ArnNotLike exempts the match",
        [doc(deny("*", ArnNotLike={"aws:PrincipalARN": "arn:aws:iam::*:role/BreakGlassAdmin"}), allow())],
        get(**{"aws:PrincipalARN": ("arn:aws:iam::111111111111:role/BreakGlassAdmin",)}),
        "allow",
        f"{OPERATORS}: ArnNotLike, negated ARN matching",
    ),
    Case(
        "ArnLike wildcard does not cross components",
        [doc(allow(ArnLike={"aws:PrincipalARN": "arn:aws:iam::*"}))],
        get(**{"aws:PrincipalARN": ("arn:aws:iam::111111111111:role/x",)}),
        "implicit-deny",
        f"{OPERATORS}: ArnLike compares component by component",
    ),
    Case(
        "DateLessThan",
        [doc(deny("*", DateLessThan={"aws:TokenIssueTime": "2026-06-01T00:00:00Z"}), allow())],
        get(**{"aws:TokenIssueTime": ("2026-05-31T23:00:00Z",)}),
        "explicit-deny",
        f"{OPERATORS}: date condition operators compare dates",
    ),
    Case(
        "DateLessThan later token",
        [doc(deny("*", DateLessThan={"aws:TokenIssueTime": "2026-06-01T00:00:00Z"}), allow())],
        get(**{"aws:TokenIssueTime": ("2026-06-02T00:00:00Z",)}),
        "allow",
        "iam:id_roles_use_revoke-sessions: deny sessions issued before a time with aws:TokenIssueTime",
    ),
    # --- set operators ------------------------------------------------------------------------------
    Case(
        "ForAnyValue one matches",
        [
            doc(
                deny("ec2:CreateTags", **{"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}),
                allow("ec2:CreateTags"),
            )
        ],
        get(action="ec2:CreateTags", **{"aws:TagKeys": ("Name", "team")}),
        "explicit-deny",
        f"{SETS}: ForAnyValue returns true if at least one value in the request matches",
    ),
    Case(
        "ForAnyValue key absent is false",
        [
            doc(
                deny("ec2:CreateTags", **{"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}),
                allow("ec2:CreateTags"),
            )
        ],
        get(action="ec2:CreateTags"),
        "allow",
        f"{SETS}: ForAnyValue returns false if the key is missing",
    ),
    Case(
        "ForAllValues all listed",
        [doc(allow("ec2:CreateTags", **{"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "Name"]}}))],
        get(action="ec2:CreateTags", **{"aws:TagKeys": ("Name", "team")}),
        "allow",
        f"{SETS}: ForAllValues returns true if every value in the request matches",
    ),
    Case(
        "ForAllValues one unlisted",
        [doc(allow("ec2:CreateTags", **{"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}))],
        get(action="ec2:CreateTags", **{"aws:TagKeys": ("Name", "team")}),
        "implicit-deny",
        f"{SETS}: ForAllValues, every value must match",
    ),
    Case(
        "ForAllValues key absent is true",
        [doc(allow("ec2:CreateTags", **{"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}))],
        get(action="ec2:CreateTags"),
        "allow",
        f"{SETS}: ForAllValues also returns true if there are no keys in the request",
    ),
    # --- SCPs ---------------------------------------------------------------------------------------
    Case(
        "SCP deny wins over identity allow",
        [doc(allow("*"))],
        get(),
        "explicit-deny",
        f"{SCP}: an explicit Deny in an SCP overrides any Allow",
        [[doc(allow("*")), doc(deny("s3:*"))]],
    ),
    Case(
        "every SCP level must allow",
        [doc(allow("*"))],
        get(),
        "implicit-deny",
        f"{SCP}: an explicit Allow is needed at every level from the root to the account",
        [[doc(allow("*"))], [doc(allow("ec2:*"))]],
    ),
    Case(
        "SCP allow alone grants nothing",
        [],
        get(),
        "implicit-deny",
        f"{SCP}: SCPs never grant permissions; an identity policy must allow",
        [[doc(allow("*"))]],
    ),
    Case(
        "SCPs allow at every level",
        [doc(allow())],
        get(),
        "allow",
        f"{SCP}: allowed when every level allows and the identity policy allows",
        [[doc(allow("*"))], [doc(allow("s3:*"))]],
    ),
    # --- fail closed --------------------------------------------------------------------------------
    Case(
        "Numeric operators are refused",
        [doc(allow(NumericLessThan={"s3:max-keys": "10"}))],
        get(),
        "unsupported:condition operator 'NumericLessThan'",
        FRONTDOOR,
    ),
    Case(
        "Principal element is refused",
        [doc({**allow(), "Principal": "*"})],
        get(),
        "unsupported:statement element 'Principal'",
        FRONTDOOR,
    ),
    Case(
        "unknown set operator is refused",
        [doc(allow(**{"ForSomeValues:StringEquals": {"aws:TagKeys": "x"}}))],
        get(),
        "unsupported:set operator 'ForSomeValues'",
        FRONTDOOR,
    ),
    Case(
        "multivalued key without a set operator",
        [doc(allow(StringEquals={"aws:TagKeys": "team"}))],
        get(**{"aws:TagKeys": ("a", "b")}),
        "unsupported:multivalued key",
        f"{SETS}: use ForAllValues/ForAnyValue with multivalued keys",
    ),
    Case(
        "unknown Effect is refused",
        [doc({**allow(), "Effect": "Permit"})],
        get(),
        "unsupported:Effect 'Permit'",
        FRONTDOOR,
    ),
    Case(
        "Null with a non-boolean is refused",
        [doc(allow(Null={"aws:PrincipalTag/team": "yes"}))],
        get(),
        "unsupported:Null takes",
        FRONTDOOR,
    ),
]


def test_the_table_is_large_and_every_case_cites_a_source() -> None:
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)
    assert all(case.source.strip() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case) -> None:
    identity = [NamedPolicy(f"identity{i}", document) for i, document in enumerate(case.identity)]
    levels = [
        [NamedPolicy(f"scp{depth}.{i}", document) for i, document in enumerate(level)]
        for depth, level in enumerate(case.scps)
    ]
    if case.expected.startswith("unsupported:"):
        with pytest.raises(UnsupportedPolicy, match=None) as raised:
            evaluate(case.request, identity, levels)
        assert case.expected.removeprefix("unsupported:") in str(raised.value)
        return
    assert evaluate(case.request, identity, levels).decision == case.expected


def test_a_decision_names_the_deciding_statement() -> None:
    policy = NamedPolicy(
        "DeveloperAccess",
        doc({**deny("*", Null={"aws:PrincipalTag/team": "true"}), "Sid": "DenyWithoutTeamTag"}),
    )
    result = evaluate(get(), [policy])
    assert (result.decision, result.policy, result.statement) == (
        "explicit-deny",
        "DeveloperAccess",
        "DenyWithoutTeamTag",
    )


def test_scp_implicit_deny_names_the_level() -> None:
    scps = [[FULL], [NamedPolicy("ec2-only", doc(allow("ec2:*")))]]
    result = evaluate(get(), [NamedPolicy("p", doc(allow()))], scps)
    assert (result.decision, result.policy) == ("implicit-deny", "SCP level 1 (ec2-only)")


# iam:access_policies_boundaries: "the effective permissions for an entity are ... allowed by both
# its identity-based policies and its permissions boundaries"; an explicit deny in either wins.
BOUNDARY = "iam:access_policies_boundaries"
ALLOW_S3 = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}


@pytest.mark.parametrize(
    ("identity", "boundary", "decision", "decided_by"),
    [
        (ALLOW_S3, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, "allow", "identity"),
        (
            ALLOW_S3,
            {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
            "implicit-deny",
            "permissions boundary b",
        ),
        (ALLOW_S3, {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}, "explicit-deny", "b"),
        (
            {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
            ALLOW_S3,
            "implicit-deny",
            "identity policies",
        ),
    ],
)
def test_a_permissions_boundary_intersects_with_the_identity_policies(
    identity: dict[str, Any], boundary: dict[str, Any], decision: str, decided_by: str
) -> None:
    result = evaluate(
        Request("s3:GetObject", BUCKET),
        [NamedPolicy("identity", doc(identity))],
        (),
        NamedPolicy("b", doc(boundary)),
    )
    assert (result.decision, result.policy) == (decision, decided_by), BOUNDARY
