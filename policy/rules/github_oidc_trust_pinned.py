"""A role that trusts GitHub Actions' OIDC provider trusts one repository, never all of GitHub.

Applies to `aws:iam/role:Role` whose `assumeRolePolicy` has an Allow statement with a federated
principal `…:oidc-provider/token.actions.githubusercontent.com` (or a GitHub Enterprise issuer under
it, `…githubusercontent.com/<slug>`, whose condition keys carry the same prefix). Each such statement
must, under `StringEquals` or `StringLike`:

- pin `<issuer>:aud` to exactly `sts.amazonaws.com`;
- pin `<issuer>:sub`, and every `sub` value must name one repository: `repo:<owner>/<repo>:<rest>` with
  no `*` or `?` in owner or repo (`<rest>` may be a pattern under StringLike: the repository is what
  bounds the trust). `repo:*`, `*`, `repo:acme/*:…`, a missing `sub` or one only under an
  `…IfExists` operator are violations.

Config `allowedRepositories` (optional list of "owner/repo") restricts the repositories further.
Condition keys are matched case-insensitively, as IAM does. A policy that cannot be parsed is a
violation (fail closed: the pack cannot tell whether it trusts GitHub). Unknown at preview: an
unknown `assumeRolePolicy` (built from another resource's output) defers the rule (SDK advisory
"can't run policy during preview"; the update run judges the real value). frontdoor's
GitHubDeployRole derives the provider ARN from the account id, so its trust policy is known at
preview.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from ._common import IAM_ROLE, config_str_list, statement_label, statements, string_list

NAME = "github-oidc-trust-pinned"
DESCRIPTION = (
    "Roles trusting GitHub Actions OIDC pin the audience to sts.amazonaws.com and the subject to one "
    "repository."
)
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "allowedRepositories": {
            "type": "array",
            "items": {"type": "string"},
            "description": 'Repositories ("owner/repo") allowed to assume AWS roles; unset allows any one.',
        }
    }
)
GITHUB_HOST = "token.actions.githubusercontent.com"
STS_AUDIENCE = "sts.amazonaws.com"
PINNING_OPERATORS = ("StringEquals", "StringLike")
_PROVIDER = re.compile(r":oidc-provider/(token\.actions\.githubusercontent\.com(?:/[^/\s]+)?)$")
_SUBJECT = re.compile(r"^repo:([^/:*?\s]+)/([^/:*?\s]+):.+$")


def findings(props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    try:
        allowed = config_str_list(config, "allowedRepositories") if "allowedRepositories" in config else None
    except ValueError as error:
        return [f"cannot check the GitHub OIDC trust: {error}; fix the pack config"]
    try:
        return _findings(props.get("assumeRolePolicy"), allowed)
    except ValueError as error:
        return [
            f"cannot check the role's trust policy: {error}; fix the document so the pack can verify that it "
            "does not trust every GitHub repository"
        ]


def _issuers(statement: Mapping[str, Any]) -> list[str]:
    principal = statement.get("Principal")
    if not isinstance(principal, Mapping):
        return []
    issuers = []
    for arn in string_list(principal.get("Federated"), "Principal.Federated"):
        match = _PROVIDER.search(arn)
        if match:
            issuers.append(match.group(1))
    return issuers


def _values(condition: Mapping[str, Any], key: str) -> tuple[list[str], bool]:
    """Values of `key` (case-insensitive) under the pinning operators, and whether any was found."""
    values: list[str] = []
    found = False
    for operator in PINNING_OPERATORS:
        block = condition.get(operator)
        if block is None:
            continue
        if not isinstance(block, Mapping):
            raise ValueError(f"Condition {operator} must be an object, got {block!r}")
        for name, value in block.items():
            if isinstance(name, str) and name.lower() == key:
                found = True
                values.extend(string_list(value, f"Condition {operator} {name}"))
    return values, found


def _findings(document: Any, allowed: list[str] | None) -> list[str]:
    messages: list[str] = []
    for index, statement in enumerate(statements(document)):
        issuers = _issuers(statement)
        if statement.get("Effect") != "Allow" or not issuers:
            continue
        label = statement_label(statement, index)
        condition = statement.get("Condition") or {}
        if not isinstance(condition, Mapping):
            raise ValueError(f"statement {label} Condition must be an object")
        for issuer in sorted(set(issuers)):
            messages.extend(_issuer_findings(label, issuer, condition, allowed))
    return messages


def _issuer_findings(
    label: str, issuer: str, condition: Mapping[str, Any], allowed: list[str] | None
) -> list[str]:
    messages: list[str] = []
    aud_key, sub_key = f"{issuer}:aud".lower(), f"{issuer}:sub".lower()
    audiences, has_audience = _values(condition, aud_key)
    if not has_audience or not audiences or any(a != STS_AUDIENCE for a in audiences):
        shown = ", ".join(audiences) if audiences else "missing"
        messages.append(
            f"trust statement {label} lets GitHub Actions assume the role without pinning the audience "
            f'({issuer}:aud is {shown}); add "StringEquals": {{"{issuer}:aud": "{STS_AUDIENCE}"}}'
        )
    subjects, has_subject = _values(condition, sub_key)
    example = f'"StringEquals": {{"{issuer}:sub": "repo:OWNER/REPO:environment:prod"}}'
    if not has_subject or not subjects:
        messages.append(
            f"trust statement {label} lets every GitHub repository assume the role ({issuer}:sub is not "
            f"pinned under StringEquals or StringLike); add {example}"
        )
        return messages
    for subject in subjects:
        match = _SUBJECT.match(subject)
        if match is None:
            messages.append(
                f'trust statement {label} pins {issuer}:sub to "{subject}", which does not name one '
                'repository (expected "repo:OWNER/REPO:..." with no wildcard in OWNER or REPO); '
                f"use {example}"
            )
            continue
        repository = f"{match.group(1)}/{match.group(2)}"
        if allowed is not None and repository not in allowed:
            permitted = ", ".join(allowed) or "none"
            messages.append(
                f'trust statement {label} lets repository "{repository}" assume the role, which is not in '
                f"allowedRepositories ({permitted}); trust an allowed repository or add it to the pack config"
            )
    return messages


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != IAM_ROLE:
        return
    for message in findings(args.props, args.get_config()):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME,
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=ENFORCEMENT,
    config_schema=CONFIG_SCHEMA,
)
