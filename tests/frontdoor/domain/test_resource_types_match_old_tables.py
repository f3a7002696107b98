"""Once, in the commit that switches: each table derived from the catalogue is the literal one it replaces.

The six tables that retyped the type tokens still stand in their modules at this commit; the next one
derives them from frontdoor/domain/resource_types.py and deletes them (and this file).
"""

from __future__ import annotations

from pathlib import Path

from frontdoor.domain import contracts
from frontdoor.domain import resource_types as catalogue
from frontdoor.domain.documents import deploy_permissions, provider_identity
from frontdoor.domain.reconcile import import_ids
from frontdoor.gate import identity_types
from frontdoor.offline import api_arguments, api_rules, estate_mocks, plan
from frontdoor.offline.estate import load_estate


def test_the_engines_botocore_tables() -> None:
    assert catalogue.string_arguments() == api_arguments.STRING_ARGUMENTS
    assert catalogue.tag_arguments() == api_arguments.TAG_ARGUMENTS
    assert catalogue.UNSENT_INPUTS == api_arguments.NOT_SENT
    assert catalogue.unsent_arguments() == api_arguments.NOT_SENT_BY_TYPE


def test_the_engines_named_rules_apply_to_the_types_their_guards_named() -> None:
    guarded = {
        api_rules.federated_principal_exists: api_arguments.ROLE,
        api_rules.organization_trail_needs_trusted_access: api_arguments.TRAIL,
        api_rules.delegation_needs_trusted_access: api_arguments.DELEGATED_ADMINISTRATOR,
        api_rules.push_group_needs_provisioning: api_rules.PUSH_GROUP,
        api_rules.group_rule_attributes_exist: api_rules.GROUP_RULE,
        api_rules.existing_attribute_is_adopted: api_rules.USER_SCHEMA_PROPERTY,
        api_rules.group_rule_no_cascade: api_rules.GROUP_RULE,
    }
    named = {
        api_rules.federated_principal_exists: catalogue.FEDERATED_PRINCIPAL_EXISTS,
        api_rules.organization_trail_needs_trusted_access: catalogue.ORGANIZATION_TRAIL_TRUSTED_ACCESS,
        api_rules.delegation_needs_trusted_access: catalogue.DELEGATION_TRUSTED_ACCESS,
        api_rules.push_group_needs_provisioning: catalogue.PUSH_GROUP_NEEDS_PROVISIONING,
        api_rules.group_rule_attributes_exist: catalogue.GROUP_RULE_ATTRIBUTE_EXISTS,
        api_rules.existing_attribute_is_adopted: catalogue.EXISTING_ATTRIBUTE_ADOPTED,
        api_rules.group_rule_no_cascade: catalogue.GROUP_RULE_NO_CASCADE,
    }
    derived = {(token, rule_id) for token in catalogue.CATALOGUE for rule_id in catalogue.engine_rules(token)}
    assert derived == {(guarded[rule], named[rule]) for rule in guarded}
    # In the order RULES ran them (the group rule's two).
    order = [named[rule] for rule in api_rules.RULES if rule in named]
    for token in catalogue.CATALOGUE:
        rules = list(catalogue.engine_rules(token))
        assert rules == [r for r in order if r in rules]
    tokens = {api_rules.PUSH_GROUP: contracts.OKTA_PUSH_GROUP, api_rules.GROUP_RULE: contracts.OKTA_RULE}
    assert all(old == new for old, new in tokens.items())
    assert api_rules.USER_SCHEMA_PROPERTY == catalogue.OKTA_USER_SCHEMA_PROPERTY
    assert (api_arguments.ROLE, api_arguments.OIDC_PROVIDER, api_arguments.TRAIL) == (
        contracts.IAM_ROLE,
        catalogue.OIDC_PROVIDER,
        catalogue.TRAIL,
    )
    assert api_arguments.DELEGATED_ADMINISTRATOR == catalogue.DELEGATED_ADMINISTRATOR


def test_the_deploy_and_preview_policies_tables() -> None:
    assert catalogue.deploy_actions() == deploy_permissions.ACTIONS
    derived_from_actions = {
        token for token in deploy_permissions.ACTIONS if token.startswith("aws:ssoadmin/")
    }
    hand_written = {
        token: reads
        for token, reads in provider_identity.IDENTITY_CENTER_READS.items()
        if token != provider_identity.LIVE_READS and token not in derived_from_actions
    }
    assert catalogue.identity_center_reads() == hand_written


def test_the_gates_tables() -> None:
    assert catalogue.gated_types() == dict(identity_types.IDENTITY_TYPES)
    assert dict(catalogue.GATED_FAMILIES) == dict(identity_types.IDENTITY_TYPE_PREFIXES)


def test_the_engines_invokes() -> None:
    estate = load_estate(Path(__file__).resolve().parents[3] / "stacks" / "estate.demo.yaml")
    answers = estate_mocks.EstateMocks(estate)._answers()
    assert set(answers) == catalogue.DATA_SOURCE_TOKENS


def test_adopt_and_drift_tokens() -> None:
    assert catalogue.adoptable() == set(import_ids.ADOPTABLE)
    assert (
        import_ids.PERMISSION_SET,
        import_ids.MANAGED,
        import_ids.CUSTOMER_MANAGED,
        import_ids.INLINE,
        import_ids.BOUNDARY,
        import_ids.ASSIGNMENT,
        import_ids.ABAC,
        import_ids.SCP_POLICY,
        import_ids.SCP_ATTACHMENT,
        import_ids.DELEGATED_ADMIN,
        import_ids.OIDC_PROVIDER,
    ) == (
        contracts.PERMISSION_SET,
        contracts.MANAGED_ATTACHMENT,
        contracts.CUSTOMER_MANAGED_ATTACHMENT,
        contracts.INLINE_POLICY,
        catalogue.PERMISSIONS_BOUNDARY_ATTACHMENT,
        contracts.ACCOUNT_ASSIGNMENT,
        contracts.ACCESS_CONTROL_ATTRIBUTES,
        contracts.ORG_POLICY,
        contracts.ORG_POLICY_ATTACHMENT,
        catalogue.DELEGATED_ADMINISTRATOR,
        catalogue.OIDC_PROVIDER,
    )
    assert (
        plan.MANAGED,
        plan.CUSTOMER_MANAGED,
        plan.INLINE,
        plan.BOUNDARY,
        plan.SCP_POLICY,
        plan.SCP_ATTACHMENT,
    ) == (
        contracts.MANAGED_ATTACHMENT,
        contracts.CUSTOMER_MANAGED_ATTACHMENT,
        contracts.INLINE_POLICY,
        catalogue.PERMISSIONS_BOUNDARY_ATTACHMENT,
        contracts.ORG_POLICY,
        contracts.ORG_POLICY_ATTACHMENT,
    )
