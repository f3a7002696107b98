"""The JSON Schema of a stack file as written: `stacks/Pulumi.<stack>.yaml`, whole.

Editors and CI validate the file people edit, so the schema describes that file, not the model
behind it: the `config:` mapping with namespaced keys (`frontdoor:teams`, `aws:region`, secure
values), every documented form (`DeveloperAccess: [Workloads/Dev]` is shorthand for
`DeveloperAccess: {targets: [...]}`), and the three kinds of stack: the access stack (StackConfig),
the break-glass stack (BreakGlassStackConfig) and the monitoring stack (MonitoringStackConfig). Built
from the pydantic models, so it cannot drift.
"""

from __future__ import annotations

import copy
from typing import Any

from frontdoor.domain.model.stack import BreakGlassStackConfig, MonitoringStackConfig, StackConfig

NAMESPACE = "frontdoor"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Settings of other namespaces (aws:region, okta:orgName, okta:apiToken: {secure: ...}) are the
# providers' own: any value, but the key must be namespaced.
OTHER_NAMESPACE_KEY = r"^(?!frontdoor:)[A-Za-z][A-Za-z0-9_.-]*:[A-Za-z0-9_.:-]+$"


def _namespaced(model_schema: dict[str, Any], title: str) -> dict[str, Any]:
    """A model's top-level properties as `frontdoor:<key>` entries of `config:`."""
    return {
        "title": title,
        "type": "object",
        "properties": {f"{NAMESPACE}:{key}": value for key, value in model_schema["properties"].items()},
        "required": [f"{NAMESPACE}:{key}" for key in model_schema.get("required", [])],
        "patternProperties": {OTHER_NAMESPACE_KEY: {}},
        "additionalProperties": False,
    }


def _grant_shorthand(definitions: dict[str, Any]) -> None:
    """A team's grant may be a list of targets: the validator reads it as {targets: [...]}."""
    team = definitions["TeamConfig"]["properties"]["grants"]
    team["additionalProperties"] = {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}, "minItems": 1},
            {"$ref": "#/$defs/Grant"},
        ]
    }


def stack_file_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of a whole `Pulumi.<stack>.yaml`."""
    access = StackConfig.model_json_schema(by_alias=True)
    glass = BreakGlassStackConfig.model_json_schema(by_alias=True)
    monitoring = MonitoringStackConfig.model_json_schema(by_alias=True)
    definitions: dict[str, Any] = copy.deepcopy(access.get("$defs", {}))
    for other in (glass, monitoring):
        for name, definition in other.get("$defs", {}).items():
            definitions.setdefault(name, definition)
    _grant_shorthand(definitions)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "Pulumi.<stack>.yaml (frontdoor)",
        "description": "A frontdoor stack file: provider settings and frontdoor:<key> values under config:.",
        "type": "object",
        "properties": {
            "config": {
                "oneOf": [
                    _namespaced(access, "access stack (StackConfig)"),
                    _namespaced(glass, "break-glass stack (BreakGlassStackConfig)"),
                    _namespaced(monitoring, "monitoring stack (MonitoringStackConfig)"),
                ]
            },
            # What Pulumi itself allows beside config: in a stack file.
            "secretsprovider": {"type": "string"},
            "encryptedkey": {"type": "string"},
            "encryptionsalt": {"type": "string"},
        },
        "required": ["config"],
        "additionalProperties": False,
        "$defs": definitions,
    }
