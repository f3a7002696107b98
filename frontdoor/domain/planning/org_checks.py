"""The stack config checked against the organization it is about to change.

A config can be valid on its own and still be about another organization: a management account
that is not the organization's, or an Identity Center delegated administrator that is missing or
suspended. Either way every assignment the program plans is wrong, so it stops here (exit 2).
"""

from __future__ import annotations

from frontdoor.domain.base.errors import ConfigIssue
from frontdoor.domain.model.organization import OrganizationConfig
from frontdoor.domain.planning.organization import OrgSnapshot


def organization_issues(
    organization: OrganizationConfig, snapshot: OrgSnapshot, source: str
) -> list[ConfigIssue]:
    """What in `frontdoor:organization` contradicts the organization as read."""
    issues: list[ConfigIssue] = []
    if organization.management_account_id != snapshot.management_account_id:
        issues.append(
            ConfigIssue(
                source,
                "frontdoor:organization.managementAccountId",
                organization.management_account_id,
                f"this is not the organization's management account ({snapshot.management_account_id})",
                "check the stack and the credentials: write the management account id Organizations "
                "reports (aws organizations describe-organization)",
            )
        )
    delegated = snapshot.account_by_id.get(organization.identity_center_account_id)
    if delegated is None:
        issues.append(
            ConfigIssue(
                source,
                "frontdoor:organization.identityCenterAccountId",
                organization.identity_center_account_id,
                "no account with this id in the organization",
                "write the id of the account registered as Identity Center's delegated administrator "
                "(aws organizations list-delegated-administrators --service-principal sso.amazonaws.com)",
            )
        )
    elif delegated.state != "ACTIVE":
        issues.append(
            ConfigIssue(
                source,
                "frontdoor:organization.identityCenterAccountId",
                organization.identity_center_account_id,
                f"the Identity Center delegated administrator account {delegated.name} is {delegated.state}",
                "register an ACTIVE account as delegated administrator and write its id here",
            )
        )
    return issues
