"""Vault-issued AWS sessions are short: default and max STS TTL at or under `maxSeconds` (1 hour).

STS credentials cannot be revoked per lease (vault#9728): the TTL is the only bound on how long a
leaked credential works. So every Vault AWS role must set `maxStsTtl` (without it, a caller may ask
for whatever the target role's MaxSessionDuration allows, up to 12 hours) at or under `maxSeconds`,
and `defaultStsTtl`, when set, at or under `maxStsTtl`.

Config: `maxSeconds` (default 3600, at most 3600: Vault's AssumeRole is role chaining, which STS caps at
one hour, `CHAINED_SESSION_MAX_SECONDS`). Unknown at preview: an unknown TTL defers the rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from ._common import VAULT_AWS_ROLE, config_number, defer, format_number, plain
from ._contracts import CHAINED_SESSION_MAX_SECONDS, MachineRole

NAME = "vault-ttl-limit"
DESCRIPTION = "Vault AWS roles set max_sts_ttl (and default_sts_ttl) at or under maxSeconds (default 3600)."
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "maxSeconds": {
            "type": "integer",
            "minimum": 900,
            "maximum": CHAINED_SESSION_MAX_SECONDS,
            "default": CHAINED_SESSION_MAX_SECONDS,
        }
    }
)


def findings(props: Mapping[str, Any], name: str, config: Mapping[str, Any]) -> list[str]:
    try:
        limit = config_number(config, "maxSeconds", CHAINED_SESSION_MAX_SECONDS)
    except ValueError as error:
        return [f"cannot check Vault TTLs: {error}; fix the pack config"]
    machine_role = MachineRole.from_inputs(plain(props))
    defer(machine_role.name, "name")
    role = f'Vault AWS role "{machine_role.name or name}"'
    maximum = machine_role.max_sts_ttl
    default = machine_role.default_sts_ttl
    defer(maximum, "maxStsTtl")
    defer(default, "defaultStsTtl")
    shown_limit = format_number(limit)
    if not isinstance(maximum, int | float) or isinstance(maximum, bool) or maximum <= 0:
        return [
            f"{role} sets no max_sts_ttl, so a caller may ask for up to the target role's maximum session "
            f"(12 hours); set max_sts_ttl to at most {shown_limit} seconds"
        ]
    result: list[str] = []
    if maximum > limit:
        result.append(
            f"{role} allows sessions of {format_number(maximum)} seconds (max_sts_ttl), over the limit of "
            f"{shown_limit}: STS credentials cannot be revoked, so keep them short; lower max_sts_ttl"
        )
    ceiling = min(maximum, limit)
    if isinstance(default, int | float) and not isinstance(default, bool) and default > ceiling:
        result.append(
            f"{role} issues sessions of {format_number(default)} seconds by default (default_sts_ttl), "
            f"over {format_number(ceiling)}; lower default_sts_ttl (900 is frontdoor's default)"
        )
    return result


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != VAULT_AWS_ROLE:
        return
    for message in findings(args.props, args.name, args.get_config()):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME,
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=ENFORCEMENT,
    config_schema=CONFIG_SCHEMA,
)
