"""Objects that exist already are adopted with the `import` option, by the id their provider imports."""

from __future__ import annotations

import pytest

from components.github_deploy_role import GitHubDeployRole, GitHubDeployRoleArgs
from components.organization_plumbing import OrganizationPlumbing, OrganizationPlumbingArgs
from components.profile_attributes import HR_OWNED_INPUTS, ProfileAttributes, ProfileAttributesArgs
from tests.components.conftest import IDENTITY_CENTER_ACCOUNT, MANAGEMENT_ACCOUNT, Recorder, make_providers
from tests.components.okta_mocks import APP_ID, run

OIDC_ARN = f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"


def _deploy_role(**overrides: object) -> GitHubDeployRole:
    args = GitHubDeployRoleArgs(
        repository="acme/frontdoor",
        account_id=MANAGEMENT_ACCOUNT,
        provider=make_providers().management,
        environments=("prod",),
        **overrides,  # type: ignore[arg-type]
    )
    return GitHubDeployRole("deploy", args)


def test_an_existing_github_oidc_provider_is_imported_by_its_arn(recorder: Recorder) -> None:
    recorder.run(lambda: _deploy_role(adopt_oidc_provider=True))
    assert recorder.mocks.imports == {"deploy/oidc-provider": OIDC_ARN}


def test_the_oidc_provider_is_created_by_default(recorder: Recorder) -> None:
    recorder.run(_deploy_role)
    assert recorder.mocks.imports == {}


def test_a_hand_registered_delegation_is_imported(recorder: Recorder) -> None:
    def build(adopt: bool) -> OrganizationPlumbing:
        return OrganizationPlumbing(
            "organization",
            OrganizationPlumbingArgs(
                management_account_id=MANAGEMENT_ACCOUNT,
                identity_center_account_id=IDENTITY_CENTER_ACCOUNT,
                management_provider=make_providers().management,
                adopt=adopt,
            ),
        )

    recorder.run(lambda: build(True))
    assert recorder.mocks.imports == {
        "organization/identity-center": f"{IDENTITY_CENTER_ACCOUNT}/sso.amazonaws.com"
    }


def test_an_hr_fed_attribute_is_imported_and_every_custom_attribute_protected() -> None:
    result = run(
        lambda: ProfileAttributes(
            "abac",
            ProfileAttributesArgs(
                app_id=APP_ID, attributes={"team": "user.team", "squad": "user.squad"}, adopt=("team",)
            ),
        )
    )
    imports = {r.name: r.resource_id for r in result.mocks.resources if r.resource_id}
    assert imports == {"okta-user.team": "team"}
    properties = result.registered("okta:index/userSchemaProperty:UserSchemaProperty")
    assert {name: r.protect for name, r in properties.items()} == {
        "okta-user.squad": True,
        "okta-user.team": True,
    }
    assert len(result.result.schema) == 2  # what group rules over these attributes wait for
    # HR's definition stays HR's: the import and every later run ignore what HR owns; type and
    # permissions stay declared (the engine refuses an adoption whose live values differ).
    assert properties["okta-user.team"].ignore_changes == HR_OWNED_INPUTS
    assert properties["okta-user.squad"].ignore_changes == ()
    assert {"type", "permissions", "index"}.isdisjoint(HR_OWNED_INPUTS)


def test_adopting_an_attribute_nothing_reads_is_refused() -> None:
    with pytest.raises(ValueError, match=r"adopt lists \['tema'\], which no attribute reads"):
        ProfileAttributesArgs(app_id=APP_ID, attributes={"team": "user.team"}, adopt=("tema",))


def test_hr_owned_inputs_are_every_user_property_input_but_index_type_and_permissions() -> None:
    # A pulumi-okta input left out of the list would be compared on import and rewritten since CLI 3.174.
    import inspect
    import re

    import pulumi_okta as okta

    names = set(inspect.signature(okta.UserSchemaPropertyArgs.__init__).parameters) - {"__self__", "self"}
    camel = {re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name) for name in names}
    assert set(HR_OWNED_INPUTS) == camel - {"index", "type", "permissions"}
    assert len(HR_OWNED_INPUTS) == len(set(HR_OWNED_INPUTS))
