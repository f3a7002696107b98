"""OrganizationPlumbing: the delegated administrator, on the management provider, protected."""

from __future__ import annotations

from components.organization_plumbing import OrganizationPlumbing, OrganizationPlumbingArgs
from tests.components.conftest import (
    IDENTITY_CENTER_ACCOUNT,
    MANAGEMENT_ACCOUNT,
    Recorder,
    make_providers,
    provider_ref,
)

COMPONENT = "frontdoor:aws:OrganizationPlumbing"
DELEGATED_ADMIN = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"


def _build(protect: bool = True) -> OrganizationPlumbing:
    providers = make_providers()
    return OrganizationPlumbing(
        "organization",
        OrganizationPlumbingArgs(
            management_account_id=MANAGEMENT_ACCOUNT,
            identity_center_account_id=IDENTITY_CENTER_ACCOUNT,
            management_provider=providers.management,
            protect=protect,
        ),
    )


def test_children_and_props(recorder: Recorder) -> None:
    recorder.run(_build)
    component = recorder.one(COMPONENT)
    assert component.inputs == {
        "managementAccountId": MANAGEMENT_ACCOUNT,
        "identityCenterAccountId": IDENTITY_CENTER_ACCOUNT,
    }
    assert recorder.children_of(component) == {(DELEGATED_ADMIN, "organization/identity-center")}


def test_delegation_is_for_identity_center_in_the_admin_account(recorder: Recorder) -> None:
    recorder.run(_build)
    delegation = recorder.one(DELEGATED_ADMIN)
    assert delegation.inputs == {
        "accountId": IDENTITY_CENTER_ACCOUNT,
        "servicePrincipal": "sso.amazonaws.com",
    }
    assert delegation.provider == provider_ref(recorder, "aws-management")
    assert delegation.protect is True


def test_protect_follows_the_stack_setting(recorder: Recorder) -> None:
    recorder.run(lambda: _build(protect=False))
    assert recorder.one(DELEGATED_ADMIN).protect is False
