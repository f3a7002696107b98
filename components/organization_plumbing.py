"""Register the Identity Center delegated administrator in the Organizations management account.

Owns one `aws.organizations.DelegatedAdministrator` for `sso.amazonaws.com`, created through the
management-account provider and protected: deregistering it takes Identity Center administration
away from the account that runs every permission set and assignment. The component's own props
carry both account ids so the policy pack can tell the management account from the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from frontdoor.domain import contracts

TYPE = contracts.ORGANIZATION_PLUMBING
IDENTITY_CENTER_SERVICE_PRINCIPAL = "sso.amazonaws.com"


@dataclass(frozen=True, kw_only=True)
class OrganizationPlumbingArgs:
    management_account_id: str
    identity_center_account_id: str
    # The management-account provider: only the management account can register delegated admins.
    management_provider: aws.Provider
    # The stack's `protect` setting; True everywhere but throwaway test stacks.
    protect: bool = True
    # Registered by hand already: import it (`<account id>/sso.amazonaws.com`) instead of a create
    # that fails with AccountAlreadyRegisteredException (bootstrap.adoptDelegatedAdministrator).
    adopt: bool = False


class OrganizationPlumbing(pulumi.ComponentResource):
    delegated_administrator: aws.organizations.DelegatedAdministrator

    def __init__(
        self, name: str, args: OrganizationPlumbingArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            TYPE,
            name,
            {
                "managementAccountId": args.management_account_id,
                "identityCenterAccountId": args.identity_center_account_id,
            },
            opts,
        )
        self.delegated_administrator = aws.organizations.DelegatedAdministrator(
            f"{name}/identity-center",
            account_id=args.identity_center_account_id,
            service_principal=IDENTITY_CENTER_SERVICE_PRINCIPAL,
            opts=pulumi.ResourceOptions(
                parent=self,
                # Delegation is an Organizations API: only the management account may call it.
                provider=args.management_provider,
                # Removing the delegation strands Identity Center administration in the management account.
                protect=args.protect,
                import_=(
                    f"{args.identity_center_account_id}/{IDENTITY_CENTER_SERVICE_PRINCIPAL}"
                    if args.adopt
                    else None
                ),
            ),
        )
        self.register_outputs({"delegatedAdministratorAccountId": args.identity_center_account_id})
