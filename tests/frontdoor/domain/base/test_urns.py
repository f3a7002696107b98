"""URNs as the Pulumi engine writes them: the parent's whole qualified type, never just its own."""

from __future__ import annotations

from frontdoor.domain.base.urns import child_urn, qualified_type, stack_project_prefix

SP = "urn:pulumi:prod::frontdoor"
STACK = f"{SP}::pulumi:pulumi:Stack::frontdoor-prod"
PLATFORM = f"{SP}::frontdoor:index:AccessPlatform::frontdoor"


def test_a_child_carries_the_whole_chain_of_its_ancestors() -> None:
    plumbing = child_urn(SP, PLATFORM, "frontdoor:aws:OrganizationPlumbing", "organization")
    assert (
        plumbing == f"{SP}::frontdoor:index:AccessPlatform$frontdoor:aws:OrganizationPlumbing::organization"
    )
    delegation = child_urn(
        SP, plumbing, "aws:organizations/delegatedAdministrator:DelegatedAdministrator", "organization/ic"
    )
    # pulumi/pulumi deployment.go generateURN: parentType = parent.QualifiedType(), G$P$C. The SDK's mock
    # monitor would have written frontdoor:aws:OrganizationPlumbing$aws:organizations/... here.
    assert qualified_type(delegation) == (
        "frontdoor:index:AccessPlatform$frontdoor:aws:OrganizationPlumbing$"
        "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
    )
    assert stack_project_prefix(delegation) == SP


def test_the_root_stack_and_no_parent_qualify_nothing() -> None:
    assert child_urn(SP, STACK, "frontdoor:index:AccessPlatform", "frontdoor") == PLATFORM
    assert child_urn(SP, None, "frontdoor:index:AccessPlatform", "frontdoor") == PLATFORM
    assert child_urn(SP, "", "frontdoor:index:AccessPlatform", "frontdoor") == PLATFORM
