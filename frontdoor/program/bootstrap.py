"""First-run stage a in the program: read what the organization reports, register only the plumbing.

Before anything is read through the Identity Center provider (which needs the delegation), the
management provider reads trusted access (`getOrganization`) and the delegated administrators of
Identity Center (`getDelegatedAdministrators`). While a stage-a check fails (frontdoor/domain/
bootstrap.py), the stack registers the organization plumbing alone (the delegation, once Identity
Center's trusted access allows it), logs each check with its next step, exports them as
`firstRunChecks`, and stops there: exit 0, nothing else planned. The next run, with the checks met,
plans the whole stack through the same providers.
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
    can_register_delegation,
    organization_checks,
    organization_ready,
)

# The name frontdoor.program.register_stack gives the AccessPlatform.
PLATFORM_NAME = "frontdoor"


def read_organization_checks(config: StackConfig, providers: AwsProviders) -> tuple[list[Check], list[str]]:
    """(failing stage-a checks, trusted-access principals) as the management account reports them."""
    opts = pulumi.InvokeOptions(provider=providers.management)
    trusted = list(aws.organizations.get_organization(opts=opts).aws_service_access_principals)
    delegated = aws.organizations.get_delegated_administrators(service_principal=SSO_PRINCIPAL, opts=opts)
    checks = organization_checks(
        trusted_access=trusted,
        delegated_administrators={SSO_PRINCIPAL: [a.id for a in delegated.delegated_administrators]},
        identity_center_account_id=config.organization.identity_center_account_id,
        trail_configured=config.trail is not None,
    )
    return checks, trusted


def register_organization_stage(config: StackConfig, providers: AwsProviders) -> bool:
    """Stage a alone when it is not complete (True: the caller plans nothing else this run)."""
    checks, trusted = read_organization_checks(config, providers)
    if organization_ready(checks):
        return False
    if can_register_delegation(trusted):
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
