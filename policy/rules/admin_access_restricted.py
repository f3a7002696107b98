"""AdministratorAccess is attached only to allow-listed permission sets (default: PlatformAdmin), to
no role a StackSet deploys, and to an IAM group only beside the deny-without-MFA policy.

Three kinds of attachment are judged; nothing else is (an `aws:iam/policyAttachment`, a role's or a
user's attachment outside a StackSet are not read here; IAM users are no-iam-users'):

- permission sets, below;
- StackSet templates (`aws:cloudformation/stackSet:StackSet` `templateBody`, JSON as frontdoor renders
  it): an `AWS::IAM::Role` whose `ManagedPolicyArns` names AdministratorAccess (a literal ARN or an
  `Fn::Sub` over `${AWS::Partition}`) is refused: a machine consumer's target role gets the
  `managedPolicyArns`/`policyStatements` it needs, never every action in every account it reaches;
- IAM groups (`aws:iam/groupPolicyAttachment`): the break-glass group may hold AdministratorAccess
  only with a `aws:iam/groupPolicy` on the same group denying every action on every resource under
  `BoolIfExists {"aws:MultiFactorAuthPresent": "false"}` (components/break_glass.py,
  frontdoor/domain/documents/break_glass.py `require_mfa_policy`): without it a leaked password alone
  is an administrator. The group is matched by the `group` property (its name) or its dependencies.

Attachments carry `permissionSetArn`, not the set's name, so this is a stack rule: the ARN is
resolved to the PermissionSet resource in the same stack (equal to its `arn` output, or through the
property's dependencies when the ARN is still unknown at preview). An attachment that cannot be
resolved is a violation (fail closed): the pack cannot prove the set is allowed.

Unknown at preview: an unknown `managedPolicyArn(s)` or permission set name defers the rule (SDK
advisory "can't run policy during preview"); unknown ARNs are resolved through dependencies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from ._common import (
    ADMIN_POLICY_ARN,
    MANAGED_ATTACHMENT,
    MANAGED_ATTACHMENTS_EXCLUSIVE,
    PERMISSION_SET,
    StackResource,
    config_str_list,
    defer,
    display,
    is_unknown,
    of_type,
    resolve,
    stack_view,
    statements,
    string_list,
    unknown_at,
)

STACK_SET = "aws:cloudformation/stackSet:StackSet"
IAM_GROUP = "aws:iam/group:Group"
GROUP_POLICY_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
MFA_KEY = "aws:multifactorauthpresent"  # condition keys are case-insensitive

NAME = "admin-access-restricted"
DESCRIPTION = (
    "AdministratorAccess is attached only to allow-listed permission sets, to no StackSet-deployed role, and "
    "to an IAM group only beside a deny-without-MFA policy."
)
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "allowedPermissionSets": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["PlatformAdmin"],
            "description": "Permission set names that may carry AdministratorAccess.",
        }
    }
)


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    try:
        allowed = config_str_list(config, "allowedPermissionSets", ["PlatformAdmin"])
    except ValueError as error:
        return [(None, f"cannot check AdministratorAccess attachments: {error}; fix the pack config")]
    permission_sets = of_type(resources, PERMISSION_SET)
    result: list[tuple[str | None, str]] = []
    for attachment in of_type(resources, MANAGED_ATTACHMENT, MANAGED_ATTACHMENTS_EXCLUSIVE):
        if not _attaches_admin(attachment):
            continue
        target = resolve(attachment, "permissionSetArn", permission_sets, "arn")
        if target is None:
            arn = display(attachment.props.get("permissionSetArn"))
            result.append(
                (
                    attachment.urn,
                    f"AdministratorAccess is attached to permission set arn {arn}, which matches no "
                    "PermissionSet in this stack, so the pack cannot prove it is allow-listed; manage the "
                    "permission set in this stack or remove the attachment",
                )
            )
            continue
        name = target.props.get("name")
        defer(name, f"{target.urn}.name")
        if name not in allowed:
            result.append(
                (
                    attachment.urn,
                    f'AdministratorAccess is attached to permission set "{name}", which is not in '
                    f"allowedPermissionSets {allowed}; attach a narrower policy or add the set to "
                    "allowedPermissionSets in the pack config",
                )
            )
    result.extend(_group_findings(resources))
    templates, unknown = _stack_set_findings(resources)
    result.extend(templates)
    if unknown and not result:
        unknown_at(unknown[0])  # a template unknown at preview: the update run judges it
    return result


def _is_admin_arn(value: Any) -> bool:
    if isinstance(value, Mapping) and set(value) == {"Fn::Sub"}:
        value = value["Fn::Sub"]
        value = value.replace("${AWS::Partition}", "aws") if isinstance(value, str) else value
    return isinstance(value, str) and ADMIN_POLICY_ARN.match(value) is not None


def _stack_set_findings(
    resources: Sequence[StackResource],
) -> tuple[list[tuple[str | None, str]], list[str]]:
    result: list[tuple[str | None, str]] = []
    unknown: list[str] = []
    for stack_set in of_type(resources, STACK_SET):
        body = stack_set.props.get("templateBody")
        if is_unknown(body):
            unknown.append(f"{stack_set.urn}.templateBody")
            continue
        try:
            template = json.loads(body) if isinstance(body, str) else None
        except json.JSONDecodeError:
            template = None  # a YAML template: not one frontdoor renders, and not read here
        blocks = template.get("Resources") if isinstance(template, Mapping) else None
        for logical, block in (blocks or {}).items() if isinstance(blocks, Mapping) else ():
            if not isinstance(block, Mapping) or block.get("Type") != "AWS::IAM::Role":
                continue
            properties = block.get("Properties") or {}
            arns = properties.get("ManagedPolicyArns") if isinstance(properties, Mapping) else None
            if isinstance(arns, list) and any(_is_admin_arn(a) for a in arns):
                name = stack_set.props.get("name") or stack_set.name
                result.append(
                    (
                        stack_set.urn,
                        f'AdministratorAccess is attached to role {logical} of StackSet "{name}", which '
                        "deploys it to every account it targets: give the consumer the managedPolicyArns or "
                        "policyStatements it needs instead",
                    )
                )
    return result, unknown


def _group_findings(resources: Sequence[StackResource]) -> list[tuple[str | None, str]]:
    groups = of_type(resources, IAM_GROUP)

    def group_of(holder: StackResource) -> str | None:
        target = resolve(holder, "group", groups, "name")
        if target is not None:
            return target.urn
        value = holder.props.get("group")
        defer(value, f"{holder.urn}.group")
        return f"name:{value}" if isinstance(value, str) else None

    guarded = {group_of(p) for p in of_type(resources, GROUP_POLICY) if _denies_without_mfa(p)}
    result: list[tuple[str | None, str]] = []
    for attachment in of_type(resources, GROUP_POLICY_ATTACHMENT):
        arn = attachment.props.get("policyArn")
        defer(arn, f"{attachment.urn}.policyArn")
        if not _is_admin_arn(arn) or group_of(attachment) in guarded:
            continue
        result.append(
            (
                attachment.urn,
                f"AdministratorAccess is attached to IAM group {display(attachment.props.get('group'))} with "
                "no group policy denying every action without MFA, so a password alone makes an "
                'administrator; add a GroupPolicy denying "*" on "*" under "BoolIfExists": '
                '{"aws:MultiFactorAuthPresent": "false"} (break_glass.require_mfa_policy)',
            )
        )
    return result


def _denies_without_mfa(policy: StackResource) -> bool:
    """A Deny of every action on every resource while MFA is absent or false, and nothing narrower."""
    document = policy.props.get("policy")
    defer(document, f"{policy.urn}.policy")
    try:
        found = statements(document)
        for statement in found:
            if statement.get("Effect") != "Deny" or "NotAction" in statement or "NotResource" in statement:
                continue
            if string_list(statement.get("Action"), "Action") != ["*"]:
                continue
            if string_list(statement.get("Resource"), "Resource") != ["*"]:
                continue
            condition = statement.get("Condition")
            if not isinstance(condition, Mapping) or list(condition) != ["BoolIfExists"]:
                continue
            keys = condition["BoolIfExists"]
            if isinstance(keys, Mapping) and {k.lower(): v for k, v in keys.items()} in (
                {MFA_KEY: "false"},
                {MFA_KEY: ["false"]},
            ):
                return True
    except ValueError:
        return False  # unreadable: it cannot be shown to deny anything
    return False


def _attaches_admin(attachment: StackResource) -> bool:
    if attachment.type == MANAGED_ATTACHMENT:
        arns: Any = [attachment.props.get("managedPolicyArn")]
    else:
        arns = attachment.props.get("managedPolicyArns") or []
        defer(arns, f"{attachment.urn}.managedPolicyArns")
    for arn in arns:
        defer(arn, f"{attachment.urn}.managedPolicyArn")
        if isinstance(arn, str) and ADMIN_POLICY_ARN.match(arn):
            return True
    return False


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    for urn, message in findings(stack_view(args.resources), args.get_config()):
        report(message, urn)


POLICY = StackValidationPolicy(
    name=NAME,
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=ENFORCEMENT,
    config_schema=CONFIG_SCHEMA,
)
