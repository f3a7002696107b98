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

Config `expectedSubjects` (role name -> list of `sub` values; `frontdoor policy-config` derives it from
`frontdoor:delivery`: the deploy role's environments, the preview role's branches and pull requests)
names frontdoor's own roles: their GitHub statements must pin `sub` under StringEquals to exactly those
values, so `repo:OWNER/REPO:*` (any branch or pull request of the repository may deploy) is refused
there. A role not listed keeps the one-repository check only: any pattern after the repository passes.

Every role trusting GitHub Actions must also keep `maxSessionDuration` at or under `maxSessionSeconds`
(default 14400: the 4-hour session README "Deploying for real" asks for; IAM's own range is 1-12 h),
and every other Allow statement of its trust that names an account root (`arn:…:iam::<account>:root`,
which trusts every principal of that account its IAM policies allow) must pin `aws:PrincipalArn` under
ArnEquals/StringEquals (or ArnLike/StringLike without a wildcard) to exact ARNs, as the deployer's
self-assumption does (frontdoor/domain/documents/deployer.py `self_assume_statement`).
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
        },
        "expectedSubjects": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Role name -> the exact token subjects its GitHub trust must pin (StringEquals).",
        },
        "maxSessionSeconds": {
            "type": "integer",
            "description": "Longest maxSessionDuration of a role trusting GitHub Actions (default 14400).",
        },
    }
)
DEFAULT_MAX_SESSION_SECONDS = 4 * 3600
_ROOT = re.compile(r"^arn:[^:]+:iam::[0-9]{12}:root$|^[0-9]{12}$")
PRINCIPAL_ARN_KEY = "aws:principalarn"
# Operators whose values name the principals the statement is limited to (IAM condition operators).
_PIN_OPERATORS = {"arnequals", "arnlike", "stringequals", "stringlike"}
GITHUB_HOST = "token.actions.githubusercontent.com"
STS_AUDIENCE = "sts.amazonaws.com"
PINNING_OPERATORS = ("StringEquals", "StringLike")
_PROVIDER = re.compile(r":oidc-provider/(token\.actions\.githubusercontent\.com(?:/[^/\s]+)?)$")
_SUBJECT = re.compile(r"^repo:([^/:*?\s]+)/([^/:*?\s]+):.+$")


def findings(props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    try:
        allowed = config_str_list(config, "allowedRepositories") if "allowedRepositories" in config else None
        expected = _expected_subjects(config, props.get("name"))
        cap = config.get("maxSessionSeconds", DEFAULT_MAX_SESSION_SECONDS)
        if isinstance(cap, bool) or not isinstance(cap, int):
            raise ValueError(f"maxSessionSeconds must be an integer, got {cap!r}")
    except ValueError as error:
        return [f"cannot check the GitHub OIDC trust: {error}; fix the pack config"]
    try:
        messages = _findings(props.get("assumeRolePolicy"), allowed, expected)
    except ValueError as error:
        return [
            f"cannot check the role's trust policy: {error}; fix the document so the pack can verify that it "
            "does not trust every GitHub repository"
        ]
    session = props.get("maxSessionDuration")
    # Numbers cross the engine's protobuf Struct as floats (43200.0): compare the number, not its type.
    is_number = isinstance(session, int | float) and not isinstance(session, bool)
    if messages is not TRUSTS_NO_GITHUB and is_number and float(session or 0) > cap:
        messages.append(
            f"the role trusts GitHub Actions with maxSessionDuration {int(session or 0)} seconds, over the "
            f"{cap}-second cap (the deploy workflow asks for {DEFAULT_MAX_SESSION_SECONDS // 3600} hours, "
            'README "Deploying for real"); a leaked workflow token\'s session lives that long: lower '
            "max_session_duration"
        )
    return list(messages)


def _expected_subjects(config: Mapping[str, Any], role_name: Any) -> list[str] | None:
    table = config.get("expectedSubjects")
    if table is None or not isinstance(role_name, str):
        return None
    if not isinstance(table, Mapping):
        raise ValueError(f"expectedSubjects must be an object, got {table!r}")
    if role_name not in table:
        return None
    return config_str_list(table, role_name)


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


class _NoGitHub(list[str]):
    """The findings of a trust that names no GitHub provider: nothing else of the role is judged."""


TRUSTS_NO_GITHUB = _NoGitHub()


def _findings(document: Any, allowed: list[str] | None, expected: list[str] | None) -> list[str]:
    messages: list[str] = []
    others: list[tuple[str, Mapping[str, Any]]] = []
    trusts_github = False
    for index, statement in enumerate(statements(document)):
        issuers = _issuers(statement)
        label = statement_label(statement, index)
        if statement.get("Effect") != "Allow":
            continue
        if not issuers:
            others.append((label, statement))
            continue
        trusts_github = True
        condition = statement.get("Condition") or {}
        if not isinstance(condition, Mapping):
            raise ValueError(f"statement {label} Condition must be an object")
        for issuer in sorted(set(issuers)):
            messages.extend(_issuer_findings(label, issuer, condition, allowed))
            if expected is not None:
                messages.extend(_expected_findings(label, issuer, condition, expected))
    if not trusts_github:
        return TRUSTS_NO_GITHUB
    for label, other in others:
        messages.extend(_root_findings(label, other))
    return messages


def _expected_findings(
    label: str, issuer: str, condition: Mapping[str, Any], expected: list[str]
) -> list[str]:
    """frontdoor's own role: `sub` exactly the subjects frontdoor:delivery derives, under StringEquals."""
    sub_key = f"{issuer}:sub".lower()
    pinned: list[str] = []
    loose: list[str] = []
    for operator, block in condition.items():
        if not isinstance(block, Mapping):
            continue
        for name, value in block.items():
            if isinstance(name, str) and name.lower() == sub_key:
                (pinned if operator == "StringEquals" else loose).extend(
                    string_list(value, f"Condition {operator} {name}")
                )
    if not loose and sorted(set(pinned)) == sorted(set(expected)):
        return []
    got = ", ".join(sorted({*pinned, *loose})) or "nothing"
    return [
        f"trust statement {label} pins {issuer}:sub to {got}; this role's token subjects, from "
        f"frontdoor:delivery, are exactly {', '.join(sorted(set(expected)))} under StringEquals, so no other "
        "branch, environment or pull request can assume it: restore the derived trust policy "
        "(frontdoor/domain/documents/github_oidc.py trust_policy)"
    ]


def _root_findings(label: str, statement: Mapping[str, Any]) -> list[str]:
    """An account-root principal beside the GitHub trust must be narrowed to exact principal ARNs."""
    principal = statement.get("Principal")
    if principal == "*":
        roots = ["*"]
    elif isinstance(principal, Mapping):
        names = string_list(principal.get("AWS"), "Principal.AWS")
        roots = [n for n in names if n == "*" or _ROOT.match(n)]
    else:
        roots = []
    if not roots:
        return []
    condition = statement.get("Condition") or {}
    if not isinstance(condition, Mapping):
        raise ValueError(f"statement {label} Condition must be an object")
    pins: list[str] = []
    for operator, block in condition.items():
        if str(operator).lower() not in _PIN_OPERATORS or not isinstance(block, Mapping):
            continue
        for name, value in block.items():
            if isinstance(name, str) and name.lower() == PRINCIPAL_ARN_KEY:
                pins.extend(string_list(value, f"Condition {operator} {name}"))
    if pins and not any("*" in p or "?" in p for p in pins):
        return []
    return [
        f"trust statement {label} trusts {', '.join(roots)}, every principal its account's IAM policies "
        "allow, without pinning aws:PrincipalArn to exact ARNs; a role trusting GitHub Actions must "
        'not be assumable by anyone else of the account: add "ArnEquals": {"aws:PrincipalArn": '
        '"<the one role that assumes it>"}'
    ]


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
