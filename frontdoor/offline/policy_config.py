"""Policy-pack configuration derived from a stack's config, so the pack judges what the stack declares.

The same dict is what the offline engine passes to Configure and what `frontdoor policy-config` writes
for `pulumi preview --policy-pack policy --policy-pack-config <file>`. A stack may add or override
entries in `stacks/policy-config.<stack>.json` (rule id -> level or properties), e.g. to allow-list
a break-glass IAM user or to lower a session cap.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from frontdoor.domain.config import is_break_glass, parse_break_glass_config, parse_stack_config
from frontdoor.domain.errors import ConfigError, ConfigIssue


def pack_config_from_stack(values: Mapping[str, Any], source: str = "stack config") -> dict[str, Any]:
    """Rule id -> properties: facts the rules need that only the stack config knows."""
    if not values:
        return {}
    if is_break_glass(values):
        glass = parse_break_glass_config(values, source)
        # The one stack allowed IAM users: exactly these, by name.
        return {"no-iam-users": {"breakGlassUsers": list(glass.break_glass.user_names)}}
    config = parse_stack_config(values, source)
    grants_on_management = sorted(
        {g.permission_set for g in config.org_grants.values() if g.include_management_account}
        | {
            name
            for team in config.teams.values()
            for name, grant in team.grants.items()
            if grant.include_management_account
        }
    )
    derived: dict[str, Any] = {
        "no-iam-users": {"breakGlassUsers": list(config.guardrails.break_glass_user_names)},
        "no-management-account-assignment": {
            "managementAccountId": config.organization.management_account_id,
            # Only grants that say includeManagementAccount: true in the stack may reach it.
            "allowedPermissionSets": grants_on_management,
        },
        "okta-push-scope": {"prefix": config.okta.push_group_prefix},
        "managed-policies-per-permission-set": {
            "maxPerPermissionSet": config.quotas.managed_policies_per_permission_set
        },
        "scp-attachments-per-target": {"maxPerTarget": config.quotas.scps_per_target},
    }
    expires_on = config.okta.scim_token_expires_on
    if expires_on is not None:
        # The same date the ScimProvisioning component carries; from config, so the real CLI's pack
        # config can be written without running the program.
        derived["scim-token-expiry"] = {"expiresOn": expires_on.isoformat()}
    certificate_expires_on = config.okta.saml_certificate_expires_on
    if certificate_expires_on is not None:
        derived["saml-certificate-expiry"] = {"expiresOn": certificate_expires_on.isoformat()}
    return derived


def read_overrides(path: Path) -> dict[str, Any]:
    """`stacks/policy-config.<stack>.json` if present: rule id -> level string or properties."""
    if not path.is_file():
        return {}
    try:
        document = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise ConfigError(
            [
                ConfigIssue(
                    str(path), f"line {error.lineno}", error.msg, "not valid JSON", "fix the JSON syntax"
                )
            ]
        ) from None
    if not isinstance(document, dict):
        raise ConfigError(
            [
                ConfigIssue(
                    str(path), "(file)", type(document).__name__, "must be a JSON object", "map rule ids"
                )
            ]
        )
    return document


def merge(derived: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: dict(v) if isinstance(v, Mapping) else v for k, v in derived.items()}
    for rule, value in overrides.items():
        base = merged.get(rule)
        if isinstance(value, Mapping) and isinstance(base, dict):
            base.update(value)
        elif isinstance(value, str) and isinstance(base, dict):
            base["enforcementLevel"] = value
        else:
            merged[rule] = dict(value) if isinstance(value, Mapping) else value
    return merged
