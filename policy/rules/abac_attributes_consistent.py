"""Every ABAC key a policy uses (`aws:PrincipalTag/<key>`) is carried end to end.

A key used in a permission set inline policy or an organizations policy must be (1) mapped in
Identity Center's InstanceAccessControlAttributes and (2) sent by Okta: a SAML attribute statement
named `https://aws.amazon.com/SAML/Attributes/AccessControl:<key>` on the SAML app, or an Okta
profile mapping to the app user attribute `<key>` (SCIM). A gap either denies everyone or, with
negative conditions, over-grants. Each missing link is reported separately, on the first policy
that uses the key.

Malformed attribute lists are reported (fail closed). Unknown at preview: an unknown policy
document, attribute list or statement list defers the rule (SDK advisory "can't run policy during
preview").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, StackValidationArgs, StackValidationPolicy

from ._common import (
    ACCESS_CONTROL_ATTRIBUTES,
    INLINE_POLICY,
    OKTA_PROFILE_MAPPING,
    OKTA_SAML_APP,
    ORG_POLICY,
    SAML_ACCESS_CONTROL_PREFIX,
    StackResource,
    defer,
    of_type,
    stack_view,
)

NAME = "abac-attributes-consistent"
DESCRIPTION = "ABAC keys used by policies are mapped in Identity Center and sent by Okta."
ENFORCEMENT = EnforcementLevel.MANDATORY
_PRINCIPAL_TAG = re.compile(r"aws:PrincipalTag/([A-Za-z0-9_.:/=+\-@]+)")
_DOCUMENTS = {INLINE_POLICY: "inlinePolicy", ORG_POLICY: "content"}


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    used: dict[str, str] = {}  # key -> urn of the first policy using it
    for policy in of_type(resources, *_DOCUMENTS):
        document = policy.props.get(_DOCUMENTS[policy.type])
        defer(document, f"{policy.urn}.{_DOCUMENTS[policy.type]}")
        for key in _PRINCIPAL_TAG.findall(document if isinstance(document, str) else ""):
            used.setdefault(key, policy.urn)
    if not used:
        return []
    try:
        mapped = _identity_center_keys(resources)
        sent = _okta_keys(resources)
    except ValueError as error:
        return [(None, f"cannot check ABAC attributes: {error}")]
    result: list[tuple[str | None, str]] = []
    for key, urn in sorted(used.items()):
        if key not in mapped:
            result.append(
                (
                    urn,
                    f'ABAC key "{key}" is used as aws:PrincipalTag/{key} but is not mapped in Identity '
                    f'Center\'s InstanceAccessControlAttributes; add {{"key": "{key}", "values": '
                    '[{"sources": ["${path:...}"]}]} to the access-control attributes',
                )
            )
        if key not in sent:
            result.append(
                (
                    urn,
                    f'ABAC key "{key}" is used as aws:PrincipalTag/{key} but Okta does not send it; add a '
                    f'SAML attribute statement named "{SAML_ACCESS_CONTROL_PREFIX}{key}" to the AWS app, or '
                    f'map it to the app user attribute "{key}" with an Okta profile mapping',
                )
            )
    return result


def _identity_center_keys(resources: Sequence[StackResource]) -> set[str]:
    keys = set()
    for resource in of_type(resources, ACCESS_CONTROL_ATTRIBUTES):
        attributes = resource.props.get("attributes") or []
        defer(attributes, f"{resource.urn}.attributes")
        if not isinstance(attributes, list):
            raise ValueError(
                f"{resource.name} attributes must be a list of {{key, values}}, got {attributes!r}"
            )
        for attribute in attributes:
            key = attribute.get("key") if isinstance(attribute, Mapping) else None
            defer(key, f"{resource.urn}.attributes.key")
            if not isinstance(key, str):
                raise ValueError(f"{resource.name} has an attribute without a string key: {attribute!r}")
            keys.add(key)
    return keys


def _okta_keys(resources: Sequence[StackResource]) -> set[str]:
    keys = set()
    for app in of_type(resources, OKTA_SAML_APP):
        statements = app.props.get("attributeStatements") or []
        defer(statements, f"{app.urn}.attributeStatements")
        for statement in statements if isinstance(statements, list) else []:
            name = statement.get("name") if isinstance(statement, Mapping) else None
            if isinstance(name, str) and name.startswith(SAML_ACCESS_CONTROL_PREFIX):
                keys.add(name.removeprefix(SAML_ACCESS_CONTROL_PREFIX))
    for mapping in of_type(resources, OKTA_PROFILE_MAPPING):
        entries = mapping.props.get("mappings") or []
        defer(entries, f"{mapping.urn}.mappings")
        for entry in entries if isinstance(entries, list) else []:
            target = entry.get("id") if isinstance(entry, Mapping) else None
            if isinstance(target, str):
                keys.add(target)
    return keys


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    for urn, message in findings(stack_view(args.resources), args.get_config()):
        report(message, urn)


POLICY = StackValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
