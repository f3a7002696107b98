"""Every ABAC key a policy uses (`aws:PrincipalTag/<key>`) reaches the session by ONE consistent chain.

Compares values, not key names. For a key used in a permission set inline policy or an organizations
policy, the registered resources must describe exactly one of:

- SCIM: Identity Center's InstanceAccessControlAttributes sources the key from `${path:<p>}`, `<p>` is
  the identity-store path of an AWS app-user attribute `<a>` (core or enterprise: Identity Center's SCIM
  stores nothing else), an Okta profile mapping of this stack writes `<a>`, and NO SAML statement
  `AccessControl:<key>` exists (Identity Center replaces an asserted value of a key it configures with
  the identity store's: "If a SAML assertion passes any of these attributes, IAM Identity Center
  replaces the attribute value with the value from the identity store",
  CreateInstanceAccessControlAttributeConfiguration).
- SAML only: a statement `https://aws.amazon.com/SAML/Attributes/AccessControl:<key>` on the SAML app,
  and the key NOT configured in Identity Center.

Anything else makes `aws:PrincipalTag/<key>` carry another attribute (a department instead of a team)
or nothing: one violation per broken hop, on the first policy that uses the key.

Malformed attribute lists, statements or mappings are reported (fail closed). Unknown at preview: an
unknown policy document, attribute list, statement list or mapping list defers the rule (SDK advisory
"can't run policy during preview").
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
from ._contracts import SCIM_ATTRIBUTE_PATHS

NAME = "abac-attributes-consistent"
DESCRIPTION = "Each ABAC key used by policies reaches the session by one chain: SCIM mapping or SAML only."
ENFORCEMENT = EnforcementLevel.MANDATORY
_PRINCIPAL_TAG = re.compile(r"aws:PrincipalTag/([A-Za-z0-9_.:/=+\-@]+)")
_DOCUMENTS = {INLINE_POLICY: "inlinePolicy", ORG_POLICY: "content"}

# Identity-store path -> the AWS app-user attribute Okta pushes into it over SCIM: the program's table
# (`_contracts.SCIM_ATTRIBUTE_PATHS`, which the stack's abacChains are checked against), read backwards.
SCIM_PATH_ATTRIBUTES: dict[str, str] = {path: attribute for attribute, path in SCIM_ATTRIBUTE_PATHS.items()}


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
        sources = _identity_center_sources(resources)
        statements = _saml_statements(resources)
        mapped = _profile_mappings(resources)
    except ValueError as error:
        return [(None, f"cannot check ABAC attributes: {error}")]
    result: list[tuple[str | None, str]] = []
    for key, urn in sorted(used.items()):
        for message in _chain_problems(key, sources.get(key), statements.get(key), mapped):
            result.append((urn, message))
    return result


def _chain_problems(
    key: str, source: str | None, statement: str | None, mapped: Mapping[str, str]
) -> list[str]:
    tag = f"aws:PrincipalTag/{key}"
    saml_name = f"{SAML_ACCESS_CONTROL_PREFIX}{key}"
    if source is None:
        if statement is not None:
            return []  # SAML only: the assertion's value becomes the session tag
        return [
            f'ABAC key "{key}" is used as {tag} but reaches no session: Identity Center does not configure '
            f'it and the SAML app sends no "{saml_name}"; map it by SCIM (an Okta profile mapping into an '
            'app-user attribute such as division, and {"key": "' + key + '", "values": [{"sources": '
            '["${path:enterprise.division}"]}]} in the access-control attributes) or send it by SAML only'
        ]
    problems = []
    attribute = SCIM_PATH_ATTRIBUTES.get(source)
    if attribute is None:
        problems.append(
            f'ABAC key "{key}" is sourced from {source} in Identity Center, which no Okta app-user '
            "attribute fills over SCIM; source it from the path of the attribute Okta maps it into, "
            "e.g. ${path:enterprise.division}"
        )
    elif attribute not in mapped:
        problems.append(
            f'ABAC key "{key}" is sourced from {source} in Identity Center, but no Okta profile mapping '
            f'writes the app user\'s "{attribute}", so {tag} carries whatever HR put in {attribute}; add '
            f'a profile mapping entry {{"id": "{attribute}", "expression": "user.{key}"}} or source '
            f"{key} from the attribute the mapping writes"
        )
    if statement is not None:
        written = mapped.get(attribute) if attribute is not None else None
        carried = f" (the mapping writes {written})" if written is not None else ""
        problems.append(
            f'ABAC key "{key}" is sent by SAML as "{saml_name}" = {statement}, but Identity Center also '
            f"sources it from {source}{carried} and replaces the asserted value, so the statement is "
            "dead; remove the statement, or remove the key from the access-control attributes to "
            "carry it by SAML only"
        )
    return problems


def _identity_center_sources(resources: Sequence[StackResource]) -> dict[str, str]:
    sources: dict[str, str] = {}
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
            values = attribute.get("values")
            defer(values, f"{resource.urn}.attributes.values")
            found = [
                source
                for value in (values if isinstance(values, list) else [])
                for source in (value.get("sources") or [] if isinstance(value, Mapping) else [])
            ]
            defer(found, f"{resource.urn}.attributes.values.sources")
            if len(found) != 1 or not isinstance(found[0], str):
                raise ValueError(
                    f"{resource.name} attribute {key!r} needs exactly one source, got {values!r}"
                )
            sources[key] = found[0]
    return sources


def _saml_statements(resources: Sequence[StackResource]) -> dict[str, str]:
    statements: dict[str, str] = {}
    for app in of_type(resources, OKTA_SAML_APP):
        entries = app.props.get("attributeStatements") or []
        defer(entries, f"{app.urn}.attributeStatements")
        for entry in entries if isinstance(entries, list) else []:
            name = entry.get("name") if isinstance(entry, Mapping) else None
            if isinstance(name, str) and name.startswith(SAML_ACCESS_CONTROL_PREFIX):
                values = entry.get("values") if isinstance(entry, Mapping) else None
                shown = ", ".join(str(v) for v in values) if isinstance(values, list) else "(no value)"
                statements[name.removeprefix(SAML_ACCESS_CONTROL_PREFIX)] = shown
    return statements


def _profile_mappings(resources: Sequence[StackResource]) -> dict[str, str]:
    """App-user attribute -> Okta expression written into it, over every profile mapping."""
    mapped: dict[str, str] = {}
    for mapping in of_type(resources, OKTA_PROFILE_MAPPING):
        entries = mapping.props.get("mappings") or []
        defer(entries, f"{mapping.urn}.mappings")
        if not isinstance(entries, list):
            raise ValueError(f"{mapping.name} mappings must be a list of {{id, expression}}, got {entries!r}")
        for entry in entries:
            target = entry.get("id") if isinstance(entry, Mapping) else None
            if isinstance(target, str):
                expression = entry.get("expression") if isinstance(entry, Mapping) else None
                mapped[target] = str(expression)
    return mapped


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    for urn, message in findings(stack_view(args.resources), args.get_config()):
        report(message, urn)


POLICY = StackValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
