"""First-run stage a in the program: read what the organization reports, register only the plumbing, and
only on a stack whose state holds nothing more.

Before anything is read through the Identity Center provider (which needs the delegation), the
management provider reads trusted access and the root's policy types (`getOrganization`) and the
delegated administrators of Identity Center (`getDelegatedAdministrators`). While a stage-a check fails
(frontdoor/domain/planning/bootstrap.py) the program reads its own stack's state
(frontdoor/program/prior_state.py): a state with nothing beyond stage a gets the organization plumbing
alone (the delegation, once Identity Center's trusted access allows it), each check logged with its
next step and exported as `firstRunChecks` (exit 0); any other state stops the run with
`PreconditionFailed`, because `pulumi up` would delete every resource the gated run leaves out. The
next run, with the checks met, plans the whole stack through the same providers.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.access_platform import TYPE as PLATFORM_TYPE
from components.organization_plumbing import OrganizationPlumbing, OrganizationPlumbingArgs
from components.providers import AwsProviders
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.bootstrap import (
    SSO_PRINCIPAL,
    Check,
    PreconditionFailed,
    can_register_delegation,
    organization_checks,
    organization_ready,
)
from frontdoor.domain.planning.prior_state import may_gate
from frontdoor.program.prior_state import read_prior_state

# The name frontdoor.program.register_stack gives the AccessPlatform.
PLATFORM_NAME = "frontdoor"


def read_organization_checks(config: StackConfig, providers: AwsProviders) -> tuple[list[Check], list[str]]:
    """(failing stage-a checks, trusted-access principals) as the management account reports them."""
    opts = pulumi.InvokeOptions(provider=providers.management)
    organization = aws.organizations.get_organization(opts=opts)
    trusted = list(organization.aws_service_access_principals)
    root_policy_types = [
        policy.type
        for root in organization.roots[:1]
        for policy in root.policy_types
        if policy.status == "ENABLED"
    ]
    delegated = aws.organizations.get_delegated_administrators(service_principal=SSO_PRINCIPAL, opts=opts)
    checks = organization_checks(
        config,
        trusted_access=trusted,
        delegated_administrators={SSO_PRINCIPAL: [a.id for a in delegated.delegated_administrators]},
        root_policy_types=root_policy_types,
        feature_set=organization.feature_set,
    )
    return checks, trusted


def register_organization_stage(config: StackConfig, providers: AwsProviders, *, source: str) -> bool:
    """Stage a alone when it is not complete (True: the caller registers nothing else this run).

    Raises PreconditionFailed when a stage-a check fails on a stack whose state holds more than stage a.
    """
    checks, trusted = read_organization_checks(config, providers)
    if organization_ready(checks):
        return False
    registers_delegation = can_register_delegation(trusted)
    prior = read_prior_state()
    if not may_gate(prior, gated_registers_delegation=registers_delegation):
        raise PreconditionFailed(pulumi.get_stack(), prior, checks, source)
    if registers_delegation:
        # Under a component of the platform's type and name, so the delegation keeps its URN when the
        # next run registers the whole AccessPlatform around it.
        platform = pulumi.ComponentResource(PLATFORM_TYPE, PLATFORM_NAME, None, None)
        OrganizationPlumbing(
            "organization",
            OrganizationPlumbingArgs(
                management_account_id=config.organization.management_account_id,
                identity_center_account_id=config.organization.identity_center_account_id,
                management_provider=providers.management,
                protect=config.protect,
                adopt=config.bootstrap.adopt_delegated_administrator,
            ),
            opts=pulumi.ResourceOptions(parent=platform),
        )
        platform.register_outputs({})
    for check in checks:
        pulumi.log.warn(check.render())
    pulumi.export("firstRunChecks", [check.render() for check in checks])
    return True
