"""The Analyzer protocol's messages and the pack config, as the Pulumi CLI builds them: pure functions.

Requests: `Configure` (every policy with its enforcement level and properties), `Analyze` (one
resource: inputs, with secrets and unknowns in the engine's wire encoding) and `AnalyzeStack` (every
resource, outputs merged). Responses: violations and not-applicable notes. Configuration:
`reconcile_config` is the CLI's `ReconcilePolicyPackConfig` (schema defaults, then the pack's initial
config, then the given config) plus the one level the preview derives, scim-token-expiry's, by
`policy_config.derived_scim_level` (no rule file is loaded). `analyzer.py` drives the processes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from google.protobuf import json_format, struct_pb2
from pulumi.output import Unknown
from pulumi.runtime.proto import analyzer_pb2

from frontdoor.domain.contracts import (
    OKTA_SAML_APP,
    SAML_APP_COMPONENT,
    SAML_CERTIFICATE_RULE,
    SCIM_PROVISIONING,
    SCIM_TOKEN_RULE,
    SamlCertificateExpiry,
    ScimTokenExpiry,
)
from frontdoor.offline.policy_config import derived_saml_level, derived_scim_level
from frontdoor.offline.record import RecordedResource, Violation

SCIM_POLICY = SCIM_TOKEN_RULE.name
SAML_POLICY = SAML_CERTIFICATE_RULE.name

# The engine's wire encoding of a secret and of an unknown value (pulumi sdk/go/common/resource).
SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

LEVEL_NAMES = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.REMEDIATE: "remediate",
    analyzer_pb2.DISABLED: "disabled",
}
LEVELS = {name: value for value, name in LEVEL_NAMES.items()}


@dataclass(frozen=True)
class PolicyInfo:
    """One policy as the pack describes it, with the enforcement level it was configured at."""

    name: str
    enforcement: str
    description: str
    kind: str  # "resource" | "stack"


def policy_pack_config(
    resources: Sequence[RecordedResource],
    config: Mapping[str, Any] | None = None,
    *,
    pack_dir: Path | None = None,
) -> dict[str, Any]:
    """The `--policy-pack-config` JSON for a real CLI run: `config` plus derived enforcement levels."""
    result: dict[str, Any] = {
        k: (dict(v) if isinstance(v, Mapping) else v) for k, v in (config or {}).items()
    }
    for policy, derive in ((SCIM_POLICY, _derived_scim_level), (SAML_POLICY, _derived_saml_level)):
        entry = result.get(policy)
        if isinstance(entry, dict) and "enforcementLevel" in entry:
            continue  # an explicit level wins, as in reconcile_config
        properties = entry if isinstance(entry, dict) else {}
        level = derive(resources, properties)
        if level is not None:
            if isinstance(entry, dict):
                entry["enforcementLevel"] = level
            else:
                result[policy] = level
    return result


def configure_request(
    policies: Mapping[str, tuple[str, Mapping[str, Any]]],
) -> analyzer_pb2.ConfigureAnalyzerRequest:
    """The Configure request for reconciled (level, properties) per policy, as the CLI sends it."""
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, (level, properties) in policies.items():
        entry = request.policyConfig[name]
        entry.enforcementLevel = LEVELS[level]
        entry.properties.update(_wire(dict(properties)))
    return request


def stack_request(resources: Sequence[RecordedResource]) -> analyzer_pb2.AnalyzeStackRequest:
    """The AnalyzeStack request the engine sends once with every resource of the stack."""
    return analyzer_pb2.AnalyzeStackRequest(resources=[_stack_resource(r) for r in resources])


# ---- configuration (the CLI's ReconcilePolicyPackConfig, plus the date-derived SCIM level) -----------
def reconcile_config(
    info: analyzer_pb2.AnalyzerInfo,
    config: Mapping[str, Any],
    resources: Sequence[RecordedResource] = (),
    pack_dir: Path | None = None,
) -> tuple[dict[str, tuple[str, dict[str, Any]]], list[str]]:
    """Per policy: (enforcement level, properties) = schema defaults, then initialConfig, then `config`."""
    result: dict[str, tuple[str, dict[str, Any]]] = {}
    for policy in info.policies:
        schema = json_format.MessageToDict(policy.configSchema.properties)
        defaults = {k: v["default"] for k, v in schema.items() if isinstance(v, dict) and "default" in v}
        result[policy.name] = (LEVEL_NAMES[policy.enforcementLevel], defaults)
    initial = {
        name: {
            **json_format.MessageToDict(value.properties),
            **({"enforcementLevel": LEVEL_NAMES[value.enforcementLevel]} if value.enforcementLevel else {}),
        }
        for name, value in info.initialConfig.items()
    }
    explicit_levels: set[str] = set()
    for layer, strict in ((initial, False), (config, True)):
        for name, value in layer.items():
            level, properties = _split_entry(name, value)
            if name == "all":
                if level is not None:
                    result = {k: (level, props) for k, (_, props) in result.items()}
                    explicit_levels.update(result)
                continue
            if name not in result:
                if strict:
                    known = ", ".join(sorted(result))
                    raise ValueError(f"policy config names unknown policy {name!r}; known policies: {known}")
                continue
            current_level, current_props = result[name]
            if level is not None and strict:
                explicit_levels.add(name)
            result[name] = (level or current_level, {**current_props, **properties})
    notes: list[str] = []
    for dated, derive, what in (
        (SCIM_POLICY, _derived_scim_level, "the SCIM token"),
        (SAML_POLICY, _derived_saml_level, "the SAML certificate"),
    ):
        if dated in result and dated not in explicit_levels and result[dated][0] != "disabled":
            derived = derive(resources, result[dated][1])
            if derived is not None and derived != result[dated][0]:
                result[dated] = (derived, result[dated][1])
                notes.append(f"{dated}: configured {derived} because {what} has expired")
    return result, notes


def _split_entry(name: str, value: Any) -> tuple[str | None, dict[str, Any]]:
    if isinstance(value, str):
        return _level(name, value), {}
    if isinstance(value, Mapping):
        properties = {k: v for k, v in value.items() if k != "enforcementLevel"}
        level = value.get("enforcementLevel")
        return (_level(name, level) if level is not None else None), properties
    raise ValueError(f"policy config for {name!r} must be an enforcement level or an object, got {value!r}")


def _level(name: str, value: Any) -> str:
    if value not in LEVELS:
        raise ValueError(
            f"policy config for {name!r}: enforcement level {value!r} is not one of {sorted(LEVELS)}"
        )
    return cast(str, value)


def _derived_scim_level(resources: Sequence[RecordedResource], properties: Mapping[str, Any]) -> str | None:
    """The level scim-token-expiry must run at, derived by offline/policy_config (no rule file loaded)."""
    tokens = [ScimTokenExpiry.from_inputs(r.inputs) for r in resources if r.type == SCIM_PROVISIONING]
    expiries = [token.expires_on for token in tokens if token.expires_on is not None]
    return derived_scim_level(expiries, properties)


def _derived_saml_level(resources: Sequence[RecordedResource], properties: Mapping[str, Any]) -> str | None:
    """The level saml-certificate-expiry must run at: frontdoor's SAML app components' expiry dates,
    then every Okta SAML app's signing keys (as the rule reads them)."""
    certificates = [
        SamlCertificateExpiry.from_inputs(r.inputs) for r in resources if r.type == SAML_APP_COMPONENT
    ]
    expiries = [str(certificate.expires_on) for certificate in certificates if certificate.expires_on] + [
        str(key["expiresAt"])
        for r in resources
        if r.type == OKTA_SAML_APP
        for key in (r.outputs.get("keys") or [])
        if isinstance(key, Mapping) and key.get("expiresAt")
    ]
    return derived_saml_level(expiries, properties)


# ---- wire encoding -----------------------------------------------------------------------------------
def _wire(value: Any) -> Any:
    """A JSON-able value the way the engine puts it on the wire (tuples as lists, unknowns as sentinels)."""
    if isinstance(value, Mapping):
        return {str(k): _wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [_wire(v) for v in value]
    if isinstance(value, Unknown):
        return UNKNOWN_STRING
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _properties(values: Mapping[str, Any], secret_keys: frozenset[str] | set[str]) -> struct_pb2.Struct:
    wired = _wire(values)
    for key in secret_keys:
        if key in wired:
            wired[key] = {SECRET_SIG_KEY: SECRET_SIG, "value": wired[key]}
    struct = struct_pb2.Struct()
    struct.update(wired)
    return struct


def _options(resource: RecordedResource) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=resource.protect,
        ignoreChanges=resource.ignore_changes,
        deleteBeforeReplace=resource.delete_before_replace,
        deleteBeforeReplaceDefined=resource.delete_before_replace,
        additionalSecretOutputs=resource.additional_secret_outputs,
        aliases=resource.aliases,
        parent=resource.parent_urn,
    )


def _provider(resource: RecordedResource) -> analyzer_pb2.AnalyzerProviderResource | None:
    # A provider reference is "<provider urn>::<provider id>";
    # a URN is "urn:pulumi:<stack>::<project>::<type>::<name>".
    if not resource.provider:
        return None
    urn = resource.provider.rsplit("::", 1)[0]
    parts = urn.split("::")
    if len(parts) < 4:
        return None
    return analyzer_pb2.AnalyzerProviderResource(type=parts[2].split("$")[-1], urn=urn, name=parts[3])


def analyze_request(resource: RecordedResource) -> analyzer_pb2.AnalyzeRequest:
    """The Analyze request the engine sends for one registered resource."""
    return analyzer_pb2.AnalyzeRequest(
        type=resource.type,
        properties=_properties(resource.inputs, resource.secret_inputs),
        urn=resource.urn,
        name=resource.name,
        options=_options(resource),
        provider=_provider(resource),
    )


def _stack_resource(resource: RecordedResource) -> analyzer_pb2.AnalyzerResource:
    # Stack policies see outputs; offline, outputs are the inputs merged with what the engine derived
    # (`outputs`/`id` when the record carries them).
    outputs = cast(Mapping[str, Any], getattr(resource, "outputs", None) or {})
    resource_id = getattr(resource, "id", None)
    values = {**resource.inputs, **outputs, **({"id": resource_id} if resource_id else {})}
    secrets = set(resource.secret_inputs) | set(resource.additional_secret_outputs)
    return analyzer_pb2.AnalyzerResource(
        type=resource.type,
        properties=_properties(values, secrets),
        urn=resource.urn,
        name=resource.name,
        options=_options(resource),
        provider=_provider(resource),
        parent=resource.parent_urn,
        dependencies=resource.dependencies,
        propertyDependencies={
            key: analyzer_pb2.AnalyzerPropertyDependencies(urns=urns)
            for key, urns in resource.property_dependencies.items()
        },
    )


def not_applicable(response: analyzer_pb2.AnalyzeResponse) -> list[tuple[str, str]]:
    return [(n.policy_name, n.reason) for n in response.not_applicable] if response.not_applicable else []


def violations(
    response: analyzer_pb2.AnalyzeResponse, descriptions: Mapping[str, str], *, default_urn: str
) -> Iterator[Violation]:
    for diagnostic in response.diagnostics:
        message = diagnostic.message
        # The SDK prefixes every message with the policy description; the rule's own text follows.
        prefix = descriptions.get(diagnostic.policyName, diagnostic.description) + "\n"
        message = message.removeprefix(prefix)
        yield Violation(
            policy=diagnostic.policyName,
            enforcement=LEVEL_NAMES.get(diagnostic.enforcementLevel, "advisory"),
            urn=diagnostic.urn or default_urn,
            message=message,
        )
