"""The registry: every rule's POLICY, in pack order, built without starting the analyzer server.

One rule per module; `build_registry` refuses two rules with the same id, so a copy-pasted module
cannot silently shadow another rule. Rules only read their arguments: the pack's servicer shares one
decoded resource (and one stack view) among all the policies of a request (policy/runtime.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from pulumi_policy import Policy

from . import (
    abac_attributes_consistent,
    abac_condition_required,
    admin_access_restricted,
    assignment_push_groups_separate,
    assignments_to_groups_only,
    critical_resources_protected,
    datadog_monitor_query_type,
    datadog_slo_metric_created,
    github_oidc_trust_pinned,
    identity_monitors_present,
    inline_policy_size_limit,
    managed_policies_per_permission_set,
    no_iam_users,
    no_management_account_assignment,
    no_wildcard_inline_admin,
    okta_push_scope,
    permission_set_explicit_name,
    posture_detectors_present,
    privileged_worker_types,
    push_group_keeps_target,
    saml_certificate_expiry,
    scim_token_expiry,
    scp_attachments_per_target,
    scp_deny_iam_users_at_root,
    scp_size_limit,
    session_duration_limit,
    stack_set_auto_deployment,
    temporary_grant_expiry,
    unused_permission_set,
    vault_assumed_role_only,
    vault_session_tags_pinned,
    vault_ttl_limit,
)

RULE_MODULES: tuple[ModuleType, ...] = (
    # identities
    no_iam_users,
    assignments_to_groups_only,
    no_management_account_assignment,
    github_oidc_trust_pinned,
    temporary_grant_expiry,
    privileged_worker_types,
    # permission sets
    session_duration_limit,
    admin_access_restricted,
    no_wildcard_inline_admin,
    abac_condition_required,
    abac_attributes_consistent,
    inline_policy_size_limit,
    managed_policies_per_permission_set,
    permission_set_explicit_name,
    unused_permission_set,
    # organizations guardrails
    scp_deny_iam_users_at_root,
    scp_size_limit,
    scp_attachments_per_target,
    posture_detectors_present,
    # Okta provisioning plane
    okta_push_scope,
    push_group_keeps_target,
    assignment_push_groups_separate,
    scim_token_expiry,
    saml_certificate_expiry,
    critical_resources_protected,
    # machines (Vault) and observability (Datadog)
    vault_assumed_role_only,
    vault_ttl_limit,
    vault_session_tags_pinned,
    stack_set_auto_deployment,
    identity_monitors_present,
    datadog_monitor_query_type,
    datadog_slo_metric_created,
)


class DuplicatePolicyError(ValueError):
    """Two rules registered under one id."""


def build_registry(policies: Iterable[Policy]) -> list[Policy]:
    registry: list[Policy] = []
    seen: set[str] = set()
    for policy in policies:
        if policy.name in seen:
            raise DuplicatePolicyError(
                f"policy id {policy.name!r} is registered twice; rule ids must be unique"
            )
        seen.add(policy.name)
        registry.append(policy)
    return registry


POLICIES: list[Policy] = build_registry(module.POLICY for module in RULE_MODULES)
