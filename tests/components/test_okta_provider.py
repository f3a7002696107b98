"""The Okta provider: named `okta`, pointed at the org, its API token a secret on the wire to the engine."""

from __future__ import annotations

import pulumi

from components.okta_provider import okta_provider
from tests.components.okta_mocks import run

PROVIDER = "pulumi:providers:okta"


def test_api_token_is_sent_as_a_secret_and_nothing_else_is() -> None:
    # A plain (non-secret) Output goes in, so the marking must be added on the way: by okta_provider and,
    # redundantly, by the SDK's Provider class. This checks the end-to-end property, not which layer adds it.
    result = run(lambda: okta_provider("acme", "okta.com", pulumi.Output.from_input("00abc-token")))

    (provider,) = result.registered(PROVIDER).values()
    assert provider.name == "okta"
    # The detector reads the raw protobuf: orgName (a plain input) is the negative control.
    assert provider.secret_inputs == {"apiToken"}
    inputs = result.inputs(PROVIDER)["okta"]
    assert inputs["orgName"] == "acme"
    assert inputs["baseUrl"] == "okta.com"


def test_without_a_token_no_api_token_input_is_sent() -> None:
    result = run(lambda: okta_provider("acme", "oktapreview.com", None))

    inputs = result.inputs(PROVIDER)["okta"]
    assert "apiToken" not in inputs
    assert result.registered(PROVIDER)["okta"].secret_inputs == frozenset()
    assert inputs["baseUrl"] == "oktapreview.com"


def test_children_inherit_the_provider_given_on_the_component() -> None:
    from components.saml_app import IdentityCenterSamlApp, IdentityCenterSamlAppArgs

    def program() -> IdentityCenterSamlApp:
        provider = okta_provider("acme", "okta.com", None)
        args = IdentityCenterSamlAppArgs(
            acs_url="https://acs.example",
            entity_id="https://entity.example",
            abac_attributes={"team": "user.team"},
        )
        return IdentityCenterSamlApp("aws", args, pulumi.ResourceOptions(provider=provider))

    result = run(program)
    (saml,) = [r for r in result.mocks.resources if r.typ == "okta:app/saml:Saml"]
    # The mock monitor prefixes top-level URNs with the Stack type; the reference is "<urn>::<id>".
    assert (
        saml.provider
        == "urn:pulumi:test::frontdoor::pulumi:pulumi:Stack$pulumi:providers:okta::okta::okta-id"
    )
