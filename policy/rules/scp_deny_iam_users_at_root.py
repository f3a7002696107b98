"""An SCP denying iam:CreateUser and iam:CreateAccessKey is attached to the organization root.

Some `aws:organizations/policy:Policy` of type SERVICE_CONTROL_POLICY (absent type = SCP) must have
Deny statements whose Action covers both actions (exactly, `iam:*`, or any matching wildcard), and a
PolicyAttachment with a root `targetId` (`r-...`) must attach it.

Only a statement that denies the actions to everyone counts: its Resource covers every IAM user ARN
(`*`, or a pattern such as `arn:aws:iam::*:user/*`; never NotResource), and its Condition, if any, holds
only exemptions of exact IAM user ARNs (`ArnNotLike`/`ArnNotEquals` on `aws:PrincipalArn`, no wildcard:
the break-glass users, `scp.break_glass_exemptions`). A Deny under any other condition (the
session-revocation SCP's `aws:TokenIssueTime` deny denies nothing to a session issued later), an
exemption by pattern (`arn:aws:iam::*:role/*` exempts every role) or a narrowed Resource
(`user/people/*`) does not stop iam:CreateUser everywhere, so it does not satisfy the rule.

The attachment's `policyId` is matched to the policy's `id` output, or through `policyId`'s
dependencies while ids are unknown.
The rule applies to stacks that manage AWS Organizations or Identity Center resources.

A policy document that cannot be parsed is reported (fail closed). Unknown at preview: if no
qualifying attachment is found and a policy's content or an attachment's target was unknown, the
rule defers (SDK advisory "can't run policy during preview") instead of guessing.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, StackValidationArgs, StackValidationPolicy

from ._common import (
    ORG_POLICY,
    ORG_POLICY_ATTACHMENT,
    SCP_TYPE,
    StackResource,
    action_covers,
    first_run_stage_a,
    is_unknown,
    of_type,
    resolve,
    stack_view,
    statements,
    string_list,
    unknown_at,
)

NAME = "scp-deny-iam-users-at-root"
DESCRIPTION = "An SCP denying iam:CreateUser and iam:CreateAccessKey is attached to the organization root."
ENFORCEMENT = EnforcementLevel.MANDATORY
REQUIRED_DENIES = ("iam:CreateUser", "iam:CreateAccessKey")


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    if not any(r.type.startswith(("aws:organizations/", "aws:ssoadmin/")) for r in resources):
        return []
    if first_run_stage_a(resources):
        return []  # the SCP policy type may not be enabled yet: the SCPs come with the next run
    result: list[tuple[str | None, str]] = []
    unknown: list[str] = []
    denying: list[StackResource] = []
    for policy in of_type(resources, ORG_POLICY):
        if policy.props.get("type", SCP_TYPE) != SCP_TYPE:
            continue
        content = policy.props.get("content")
        if is_unknown(content):
            unknown.append(f"{policy.urn}.content")
            continue
        try:
            if _denies_iam_users(content):
                denying.append(policy)
        except ValueError as error:
            result.append((policy.urn, f"cannot check SCP {policy.name}: {error}; fix the policy document"))
    for attachment in of_type(resources, ORG_POLICY_ATTACHMENT):
        if resolve(attachment, "policyId", denying, "id") is None:
            continue
        target = attachment.props.get("targetId")
        if is_unknown(target):
            unknown.append(f"{attachment.urn}.targetId")
        elif isinstance(target, str) and target.startswith("r-"):
            return result
    if unknown:
        unknown_at(unknown[0])
    result.append(
        (
            None,
            "no SCP denying iam:CreateUser and iam:CreateAccessKey is attached to the organization root "
            '(only Deny statements on Resource "*" count whose only condition exempts IAM users by exact '
            "ARN); attach a deny-IAM-users SCP to the root (r-...) with an organizations PolicyAttachment",
        )
    )
    return result


# Every IAM user ARN, as a literal: a Resource pattern that matches this string covers all of them.
ALL_IAM_USERS = "arn:aws:iam::*:user/*"
# Condition operators that exempt the principals they list (IAM condition operators: ARN condition
# operators; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
EXEMPTING_OPERATORS = frozenset({"arnnotlike", "arnnotequals"})
PRINCIPAL_ARN_KEY = "aws:principalarn"  # condition keys are case-insensitive


def _denies_iam_users(content: Any) -> bool:
    denied: list[str] = []
    for statement in statements(content):
        if statement.get("Effect") == "Deny" and _applies_to_everyone(statement):
            denied.extend(string_list(statement.get("Action"), "Action"))
    return all(any(action_covers(p, action) for p in denied) for action in REQUIRED_DENIES)


def _applies_to_everyone(statement: Mapping[str, Any]) -> bool:
    """The Deny covers every IAM user ARN and exempts, at most, IAM users named by exact ARN."""
    if "NotResource" in statement:
        return False
    resources = string_list(statement.get("Resource"), "Resource")
    if not any(fnmatch.fnmatchcase(ALL_IAM_USERS, pattern) for pattern in resources):
        return False
    condition = statement.get("Condition")
    if condition is None:
        return True
    if not isinstance(condition, Mapping):
        raise ValueError(f"statement Condition must be an object, got {condition!r}")
    for operator, keys in condition.items():
        if operator.lower() not in EXEMPTING_OPERATORS or not isinstance(keys, Mapping):
            return False
        for key, values in keys.items():
            if key.lower() != PRINCIPAL_ARN_KEY:
                return False
            if not all(_exact_user_arn(v) for v in string_list(values, "Condition value")):
                return False
    return True


def _exact_user_arn(value: str) -> bool:
    # ARN condition operators treat * and ? as wildcards, so only a value without them is exact.
    return ":user/" in value and not any(c in value for c in "*?")


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    for urn, message in findings(stack_view(args.resources), args.get_config()):
        report(message, urn)


POLICY = StackValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
