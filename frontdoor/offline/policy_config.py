"""Policy-pack configuration derived from a stack's config, so the pack judges what the stack declares.

The same dict is what the offline engine passes to Configure and what `frontdoor policy-config` writes
for `pulumi preview --policy-pack policy --policy-pack-config <file>`. A stack may add or override
entries in `stacks/policy-config.<stack>.json` (rule id -> level or properties), e.g. to allow-list
a break-glass IAM user or to lower a session cap.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from frontdoor.domain.base import clock, strict_yaml
from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.config.files import read_text_file
from frontdoor.domain.config.parse import (
    is_break_glass,
    is_monitoring,
    parse_break_glass_config,
    parse_monitoring_config,
    parse_stack_config,
)
from frontdoor.domain.config.people_policy import people_policy_config
from frontdoor.domain.contracts import (
    PRIVILEGED_WORKER_TYPES_RULE,
    SAML_CERTIFICATE_RULE,
    SCIM_TOKEN_RULE,
    ExpiryRule,
)
from frontdoor.domain.documents.github_oidc import token_subjects
from frontdoor.domain.model.stack import StackConfig
from frontdoor.offline.policy_overrides import override_issues
from frontdoor.offline.project import PACK_DIR

# The pack beside this project (as the analyzer starts it).


def pack_config_from_stack(
    values: Mapping[str, Any],
    source: str = "stack config",
    *,
    parsed: StackConfig | None = None,
    excludable_accounts: Sequence[str] = (),
) -> dict[str, Any]:
    """Rule id -> properties: facts the rules need that only the stack config knows.

    `parsed` is the config the preview already validated (its plan's), so it is not parsed again.
    `excludable_accounts` are the accounts without a recorder of IAM users (the plan's, from the
    estate's configRecording): the only accounts the posture Config rules may exclude.
    """
    if not values:
        return {}
    if is_break_glass(values):
        glass = parse_break_glass_config(values, source)
        # The one stack allowed IAM users: exactly these, by name.
        return {"no-iam-users": {"breakGlassUsers": list(glass.break_glass.user_names)}}
    if is_monitoring(values):
        # The monitoring stack registers Datadog resources only: no rule needs a fact from its config
        # (identity-monitors-present judges the monitors it registers). Validated all the same.
        parse_monitoring_config(values, source)
        return {}
    config = parsed if parsed is not None else parse_stack_config(values, source)
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
    abac_tag_keys = sorted({ps.abac.tag_key for ps in config.permission_sets.values() if ps.abac})
    if abac_tag_keys:
        # The keys the ABAC sets scope by: an equality on any other principal tag scopes nothing by team.
        derived["abac-condition-required"] = {"tagKeys": abac_tag_keys}
    if config.posture is not None:
        # The stack declares the IAM-user detectors: they must exist, exempting only break-glass.
        derived["posture-detectors-present"] = {
            "required": True,
            "breakGlassPath": config.guardrails.break_glass_path,
            "breakGlassUsers": list(config.guardrails.break_glass_user_names),
            "excludableAccounts": sorted(excludable_accounts),
        }
    delivery = config.delivery
    if delivery is not None:
        # The exact token subjects of frontdoor's own GitHub roles, as components/access_platform.py
        # builds them: the deploy role trusts the deploy environments, the preview role the preview
        # branches and pull requests. The rule compares each role's trust to these, exactly.
        derived["github-oidc-trust-pinned"] = {
            "expectedSubjects": {
                config.organization.deployer_role_name: list(
                    token_subjects(delivery.repository, environments=delivery.deploy_environments)
                ),
                delivery.preview_role_name: list(
                    token_subjects(
                        delivery.repository, branches=delivery.preview_branches, pull_requests=True
                    )
                ),
            }
        }
    expires_on = config.okta.scim_token_expires_on
    if expires_on is not None:
        # The same date the ScimProvisioning component carries; from config, so the real CLI's pack
        # config can be written without running the program.
        derived[SCIM_TOKEN_RULE.name] = {"expiresOn": expires_on.isoformat()}
    certificate_expires_on = config.okta.saml_certificate_expires_on
    if certificate_expires_on is not None:
        derived[SAML_CERTIFICATE_RULE.name] = {"expiresOn": certificate_expires_on.isoformat()}
    people = people_policy_config(config, source)
    if people is not None:
        # Who the HR export puts in each group granting a privileged set: the pack cannot evaluate rules.
        derived[PRIVILEGED_WORKER_TYPES_RULE] = people
    return derived


def derived_scim_level(token_expiries: Sequence[Any], properties: Mapping[str, Any]) -> str | None:
    """The level rule scim-token-expiry must run at; None when the stack has no SCIM token.

    Mandatory once a token has expired (the preview must block), and when a date or `warnDays` is
    unreadable (the rule reports that, and it must block too); advisory otherwise. It is the rule's own
    function (`contracts.SCIM_TOKEN_RULE.level`, the pack's copy of which its `configured_level`
    calls), so the analyzer stays a protocol driver that loads no rule file.
    """
    return _derived_level(SCIM_TOKEN_RULE, token_expiries, properties)


def derived_saml_level(certificate_expiries: Sequence[Any], properties: Mapping[str, Any]) -> str | None:
    """The level rule saml-certificate-expiry must run at; None when no certificate expiry is known.

    As for the SCIM token: mandatory once a certificate has expired or a date is unreadable, else
    advisory (`contracts.SAML_CERTIFICATE_RULE.level`, the rule's `configured_level`).
    """
    return _derived_level(SAML_CERTIFICATE_RULE, certificate_expiries, properties)


def _derived_level(rule: ExpiryRule, expiries: Sequence[Any], properties: Mapping[str, Any]) -> str | None:
    if not expiries and "expiresOn" not in properties:
        return None
    return rule.level(expiries, properties, clock.today)


def read_overrides(path: Path) -> dict[str, Any]:
    """`stacks/policy-config.<stack>.json` if present: rule id -> level string or properties."""
    if not path.exists():
        return {}
    text = read_text_file(path, "policy config")
    try:
        document = strict_yaml.loads_json(text)
    except strict_yaml.InputRefused as refused:
        raise ConfigError(
            [ConfigIssue(str(path), f"line {refused.line}", refused.value, refused.problem, refused.fix)]
        ) from None
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
    issues = override_issues(document, str(path), PACK_DIR)
    if issues:
        raise ConfigError(issues)
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
