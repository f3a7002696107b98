"""Inline Allow statements that are scoped by team use the one condition that really scopes them.

One DeveloperAccess set is safe for every team only if each Allow that is meant to follow the team
compares the resource's (or the request's) tag with the caller's own, exactly. So, in an inline
policy's Allow statements:

- A statement allowing a whole service ("ec2:*") on Resource "*" carries a clause
  `StringEquals {"aws:ResourceTag/<k>": "${aws:PrincipalTag/<k>}"}` (or a service's own
  `<service>:ResourceTag/<k>`, e.g. `secretsmanager:ResourceTag/tag-key` in the IAM service
  authorization reference). Action "*" is no-wildcard-inline-admin's business.
- Every clause that scopes by team (its value names `${aws:PrincipalTag/...}`, or its key is a
  resource or request tag of a key the document scopes by) is that equality and nothing else:
  `StringNotEquals` inverts it, `...IfExists` passes when the tag is absent, `StringLike` with a
  wildcard or a second value beside the variable lets other values through, and `ForAllValues` on a
  single-valued key is true when the key is missing. The IAM user guide ("Single-valued vs.
  multivalued context keys") says not to use a set operator with a single-valued key such as
  `aws:ResourceTag/<k>`; a multivalued key (`aws:TagKeys`) takes `ForAnyValue:StringEquals`.
- An Allow with `NotAction` or `NotResource` grants everything it does not list, which no tag
  condition was written to bound; it is refused.

A document that cannot be parsed is reported (fail closed). Unknown at preview: an unknown
`inlinePolicy` defers the rule (SDK advisory "can't run policy during preview").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from ._common import INLINE_POLICY, statement_label, statements, string_list

NAME = "abac-condition-required"
DESCRIPTION = (
    'Service-wide wildcard actions on Resource "*" carry a ResourceTag = PrincipalTag condition; every '
    "team-scoping condition is exactly that equality; no Allow uses NotAction or NotResource."
)
ENFORCEMENT = EnforcementLevel.MANDATORY

_SERVICE_WILDCARD = re.compile(r"^[a-z0-9-]+:\*$", re.IGNORECASE)
# Resource tags: the global key and the services' own (`secretsmanager:ResourceTag/tag-key`, ...).
_RESOURCE_TAG = re.compile(r"^[a-z0-9-]+:ResourceTag/(.+)$", re.IGNORECASE)
_REQUEST_TAG = re.compile(r"^aws:RequestTag/(.+)$", re.IGNORECASE)
_PRINCIPAL_TAG_KEY = re.compile(r"^aws:PrincipalTag/(.+)$", re.IGNORECASE)
_PRINCIPAL_TAG_VARIABLE = re.compile(r"\$\{aws:PrincipalTag/([^}]+)\}", re.IGNORECASE)
# Multivalued keys among those a team-scoping clause may use (IAM global condition keys: "Multivalued").
_MULTIVALUED_KEYS = frozenset({"aws:tagkeys"})
_SET_OPERATORS = ("ForAnyValue:", "ForAllValues:")


@dataclass(frozen=True)
class _Clause:
    operator: str
    key: str
    values: list[str]

    @property
    def tag_key(self) -> str | None:
        """The tag key of a resource or request tag condition key, else None."""
        match = _RESOURCE_TAG.match(self.key) or _REQUEST_TAG.match(self.key)
        return match.group(1) if match else None


def findings(props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    try:
        return _findings(props.get("inlinePolicy"))
    except ValueError as error:
        return [f"cannot check the inline policy: {error}; fix the document so the pack can verify it"]


def _findings(document: Any) -> list[str]:
    parsed = statements(document)
    scoped_keys = _scoped_tag_keys(parsed)
    messages = []
    for index, statement in enumerate(parsed):
        if statement.get("Effect") != "Allow":
            continue
        label = statement_label(statement, index)
        for element in ("NotAction", "NotResource"):
            if element in statement:
                listed = element.removeprefix("Not")
                messages.append(
                    f"inline policy statement {label} is an Allow with {element} "
                    f"{_shown(string_list(statement[element], element))}, which grants everything it "
                    f"does not list; name the allowed {listed.lower()}s in {listed} instead"
                )
        clauses = _clauses(statement.get("Condition"))
        scoping = [c for c in clauses if _scopes_by_team(c, scoped_keys)]
        for clause in scoping:
            reason = _refusal(clause)
            if reason:
                messages.append(
                    f"inline policy statement {label} scopes by team with "
                    f'"{clause.operator}": {{"{clause.key}": {_shown(clause.values)}}}, but {reason}; '
                    f"use {_fix(clause)}"
                )
        if _service_wide(statement) and not any(_RESOURCE_TAG.match(clause.key) for clause in scoping):
            wildcards = [
                a for a in string_list(statement.get("Action"), "Action") if _SERVICE_WILDCARD.match(a)
            ]
            messages.append(
                f"inline policy statement {label} allows "
                f'{", ".join(wildcards)} on Resource "*" without an ABAC condition; add '
                '"Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}} '
                "or scope Resource to specific ARNs"
            )
    return messages


def _service_wide(statement: Mapping[str, Any]) -> bool:
    return "*" in string_list(statement.get("Resource"), "Resource") and any(
        _SERVICE_WILDCARD.match(a) for a in string_list(statement.get("Action"), "Action")
    )


def _scoped_tag_keys(parsed: list[dict[str, Any]]) -> set[str]:
    """The tag keys (lower case) the document scopes by: those it reads from the principal's tags."""
    keys: set[str] = set()
    for statement in parsed:
        for clause in _clauses(statement.get("Condition")):
            principal = _PRINCIPAL_TAG_KEY.match(clause.key)
            if principal:
                keys.add(principal.group(1).lower())
            for value in clause.values:
                keys.update(k.lower() for k in _PRINCIPAL_TAG_VARIABLE.findall(value))
    return keys


def _clauses(condition: Any) -> list[_Clause]:
    if condition is None:
        return []
    if not isinstance(condition, Mapping):
        raise ValueError(f"statement Condition must be an object, got {condition!r}")
    clauses = []
    for operator, block in condition.items():
        if not isinstance(block, Mapping):
            raise ValueError(
                f"statement Condition operator {operator} must map keys to values, got {block!r}"
            )
        for key, value in block.items():
            items = value if isinstance(value, list) else [value]
            clauses.append(_Clause(operator, key, string_list([_text(v) for v in items], "Condition value")))
    return clauses


def _text(value: Any) -> Any:
    """A JSON boolean or number condition value as IAM compares it ({"Bool": {"aws:SecureTransport":
    false}}); anything else as it is (string_list refuses what is not a string)."""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value) if isinstance(value, int | float) else value


def _scopes_by_team(clause: _Clause, scoped_keys: set[str]) -> bool:
    if any(_PRINCIPAL_TAG_VARIABLE.search(value) for value in clause.values):
        return True
    tag_key = clause.tag_key
    return tag_key is not None and tag_key.lower() in scoped_keys


def _refusal(clause: _Clause) -> str | None:
    """Why a team-scoping clause does not scope by team, or None when it is the exact equality."""
    operator = clause.operator
    set_operator = next((p for p in _SET_OPERATORS if operator.startswith(p)), None)
    base = operator.removeprefix(set_operator) if set_operator else operator
    multivalued = clause.key.lower() in _MULTIVALUED_KEYS
    if base.endswith("IfExists"):
        return f"{operator} is true when {clause.key} is absent from the request"
    if base != "StringEquals":
        return f"{operator} is not the exact equality StringEquals"
    if set_operator == "ForAllValues:":
        return f"ForAllValues is true when {clause.key} is absent from the request"
    if set_operator and not multivalued:
        return (
            f"{clause.key} is single-valued and takes no set operator "
            "(IAM: single-valued vs. multivalued keys)"
        )
    if not set_operator and multivalued:
        return f"{clause.key} is multivalued and needs ForAnyValue"
    expected = _variable(clause)
    if clause.values != [expected]:
        return f"its value must be {expected} and nothing else"
    return None


def _variable(clause: _Clause) -> str:
    """The principal-tag variable the clause's key must equal: the same tag key."""
    tag_key = clause.tag_key
    if tag_key is not None:
        return "${aws:PrincipalTag/" + tag_key + "}"
    named = [k for value in clause.values for k in _PRINCIPAL_TAG_VARIABLE.findall(value)]
    return "${aws:PrincipalTag/" + (named[0] if named else "<key>") + "}"


def _fix(clause: _Clause) -> str:
    operator = "ForAnyValue:StringEquals" if clause.key.lower() in _MULTIVALUED_KEYS else "StringEquals"
    return f'"{operator}": {{"{clause.key}": "{_variable(clause)}"}}'


def _shown(value: Any) -> str:
    items = [value] if isinstance(value, str) else list(value)
    return "[" + ", ".join(f'"{item}"' for item in items) + "]" if len(items) != 1 else f'"{items[0]}"'


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != INLINE_POLICY:
        return
    for message in findings(args.props, args.get_config()):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
