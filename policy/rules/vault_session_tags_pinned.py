"""Vault machine sessions carry the owner team's tag, and the target role refuses any other team's.

frontdoor/domain/documents/machines.py promises two things for every Vault consumer: its
`vault.aws.SecretBackendRole` sets `session_tags={<team tag key>: <owner team>}` (Vault >= 1.17.2),
so a machine session is scoped by the same `aws:PrincipalTag/<key>` as people; and the target role the
StackSet deploys trusts Vault only with `sts:TagSession` and `StringEquals {"aws:RequestTag/<key>":
<owner team>}`, so Vault (or anyone holding its role) cannot mint a session tagged for another team.
Without the tag, every ABAC condition the machine meets is decided by an absent key; without the pin,
the trust accepts whatever tag the caller asks for. This rule checks both, joining a Vault role to the
target role by its `role_arns` (`arn:aws:iam::<account>:role<Path><RoleName>`) and the AWS::IAM::Role
in a StackSet's template with that path and name:

- an assumed_role Vault role with no session tag (or an empty key or value) is refused; when the stack
  configures ABAC keys (InstanceAccessControlAttributes), each session tag key must be one of them;
- every Allow statement of the target role's trust policy allows `sts:TagSession` and pins
  `aws:RequestTag/<key>` to exactly the session tag's value under `StringEquals` (no IfExists, no Like,
  no second value), for every session tag of the Vault role.

A target role no StackSet of this stack creates is refused: frontdoor deploys every consumer's target
role in its own StackSets (components/vault_aws_access.py), so a `role_arns` entry naming any other role
(`OrganizationAccountAccessRole`, an administrator in every member account) is a role whose trust and
permissions frontdoor neither wrote nor can judge. There is no allow-list of outside roles. Unknown at
preview: an unknown session tag map or role ARN list defers the rule; an unknown template defers it
only when a role it might hold is looked for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, StackValidationArgs, StackValidationPolicy

from ._common import (
    ACCESS_CONTROL_ATTRIBUTES,
    STACK_SET,
    VAULT_AWS_ROLE,
    StackResource,
    defer,
    is_unknown,
    of_type,
    stack_view,
    unknown_at,
)

NAME = "vault-session-tags-pinned"
DESCRIPTION = (
    "Vault AWS roles set the owner team as a session tag, and their target roles' trust pins that tag."
)
ENFORCEMENT = EnforcementLevel.MANDATORY

ASSUMED_ROLE = "assumed_role"
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:(role/.+)$")


def findings(resources: Sequence[StackResource]) -> list[tuple[str | None, str]]:
    abac_keys = _abac_keys(resources)
    templates = _template_roles(resources)
    messages: list[tuple[str | None, str]] = []
    unmatched: list[tuple[StackResource, str, str]] = []
    for vault_role in of_type(resources, VAULT_AWS_ROLE):
        props = vault_role.props
        if props.get("credentialType") != ASSUMED_ROLE:
            continue  # vault-assumed-role-only refuses the other types
        name = f'Vault AWS role "{props.get("name") or vault_role.name}"'
        tags = props.get("sessionTags")
        defer(tags, "sessionTags")
        problem = _session_tags_problem(tags, abac_keys)
        if problem or not isinstance(tags, Mapping):
            messages.append((vault_role.urn, f"{name} {problem}"))
            continue
        arns = props.get("roleArns") or []
        defer(arns, "roleArns")
        roles: list[str] = []  # each target role once: one ARN per account names the same template role
        for arn in arns if isinstance(arns, list) else []:
            defer(arn, "roleArns")
            match = _ROLE_ARN.match(arn) if isinstance(arn, str) else None
            if match and match.group(1) not in roles:
                roles.append(match.group(1))
        for role in roles:
            deployed = templates.get(role)
            if not deployed:
                unmatched.append((vault_role, name, role))
                continue
            for stack_set, trust in deployed:
                for reason in _trust_problems(trust, tags):
                    messages.append(
                        (
                            stack_set.urn,
                            f"the target role {role} of {name} (StackSet "
                            f'"{stack_set.props.get("name") or stack_set.name}") {reason}',
                        )
                    )
    if unmatched and any(is_unknown(s.props.get("templateBody")) for s in of_type(resources, STACK_SET)):
        unknown_at("templateBody")
    for vault_role, name, role in unmatched:
        messages.append(
            (
                vault_role.urn,
                f"{name} assumes {role}, which no StackSet of this stack deploys, so frontdoor neither wrote "
                "nor can judge its trust (the team tag pin) or its permissions; name the target role the "
                "consumer's StackSet creates (role/vault/vault-<consumer>)",
            )
        )
    return messages


def _abac_keys(resources: Sequence[StackResource]) -> set[str] | None:
    """The ABAC keys Identity Center passes on as session tags, or None when the stack sets none."""
    keys: set[str] = set()
    for resource in of_type(resources, ACCESS_CONTROL_ATTRIBUTES):
        attributes = resource.props.get("attributes")
        defer(attributes, "attributes")
        for attribute in attributes or []:
            if isinstance(attribute, Mapping) and isinstance(attribute.get("key"), str):
                keys.add(attribute["key"])
    return keys or None


def _session_tags_problem(tags: Any, abac_keys: set[str] | None) -> str | None:
    if not isinstance(tags, Mapping) or not tags:
        return (
            "sets no session_tags, so its sessions carry no team tag and every ABAC condition they meet is "
            "decided by an absent key; set session_tags={<team tag key>: <owner team>}"
        )
    for key, value in tags.items():
        defer(value, f"sessionTags.{key}")
        if not key or not isinstance(value, str) or not value:
            return (
                f"sets session tag {json.dumps(key)} to {json.dumps(value)}; both must be non-empty: "
                "set session_tags={<team tag key>: <owner team>}"
            )
        if abac_keys is not None and key not in abac_keys:
            return (
                f"sets session tag {json.dumps(key)}, which is not an ABAC key of this stack "
                f"({', '.join(sorted(abac_keys))}), so no policy reads it; tag the session with the "
                "team tag key"
            )
    return None


def _template_roles(resources: Sequence[StackResource]) -> dict[str, list[tuple[StackResource, Any]]]:
    """`role<Path><RoleName>` -> [(a StackSet, the role's trust policy in its template)] for each
    AWS::IAM::Role with a literal name in a StackSet template (a consumer's OU and account StackSets
    deploy the same role)."""
    found: dict[str, list[tuple[StackResource, Any]]] = {}
    for stack_set in of_type(resources, STACK_SET):
        body = stack_set.props.get("templateBody")
        if not isinstance(body, str) or is_unknown(body):
            continue
        try:
            template = json.loads(body)
        except json.JSONDecodeError:
            continue  # a YAML template: not one frontdoor renders
        blocks = template.get("Resources") if isinstance(template, Mapping) else None
        for block in (blocks or {}).values():
            if not isinstance(block, Mapping) or block.get("Type") != "AWS::IAM::Role":
                continue
            properties = block.get("Properties") or {}
            role_name, path = properties.get("RoleName"), properties.get("Path", "/")
            if isinstance(role_name, str) and isinstance(path, str):
                found.setdefault(f"role{path}{role_name}", []).append(
                    (stack_set, properties.get("AssumeRolePolicyDocument"))
                )
    return found


def _trust_problems(trust: Any, tags: Mapping[str, str]) -> list[str]:
    statements = trust.get("Statement") if isinstance(trust, Mapping) else None
    statements = [statements] if isinstance(statements, Mapping) else statements
    if not isinstance(statements, list) or not all(isinstance(s, Mapping) for s in statements):
        return ["has no readable trust policy statements; render the trust policy as frontdoor does"]
    problems = []
    for index, statement in enumerate(statements):
        if statement.get("Effect") != "Allow":
            continue
        sid = statement.get("Sid")
        label = f'"{sid}"' if isinstance(sid, str) and sid else f"#{index + 1}"
        actions = statement.get("Action")
        actions = [actions] if isinstance(actions, str) else actions if isinstance(actions, list) else []
        if "sts:TagSession" not in actions:
            problems.append(
                f"trust statement {label} does not allow sts:TagSession, so Vault's session tags are "
                'refused; add "sts:TagSession" to its Action'
            )
        condition = statement.get("Condition")
        equals = condition.get("StringEquals") if isinstance(condition, Mapping) else None
        equals = equals if isinstance(equals, Mapping) else {}
        for key, value in tags.items():
            pinned = equals.get(f"aws:RequestTag/{key}")
            if pinned != value and pinned != [value]:
                shown = "nothing" if pinned is None else json.dumps(pinned)
                problems.append(
                    f"trust statement {label} pins aws:RequestTag/{key} to {shown}, so Vault could mint a "
                    f"session tagged for another team; add "
                    f'"StringEquals": {{"aws:RequestTag/{key}": {json.dumps(value)}}}'
                )
    return problems


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    for urn, message in findings(stack_view(args.resources)):
        report(message, urn)


POLICY = StackValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
