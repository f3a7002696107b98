"""The Okta provider: named `okta`, pointed at the org, no credential among its inputs."""

from __future__ import annotations

import json

import pulumi
import pytest

from components.okta_provider import okta_provider
from tests.components.okta_mocks import run

PROVIDER = "pulumi:providers:okta"


def test_no_credential_input_reaches_the_provider() -> None:
    # The token comes from OKTA_API_TOKEN in the provider process's environment, never an input: no
    # input at all is a secret, and none of the Okta credential inputs is sent.
    result = run(lambda: okta_provider("acme", "oktapreview.com"))

    (provider,) = result.registered(PROVIDER).values()
    assert provider.name == "okta"
    assert provider.secret_inputs == frozenset()
    inputs = result.inputs(PROVIDER)["okta"]
    assert {"apiToken", "accessToken", "privateKey"} & set(inputs) == set()
    assert inputs["orgName"] == "acme"
    assert inputs["baseUrl"] == "oktapreview.com"


def test_the_environment_s_credentials_never_become_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    # CI runs with OKTA_API_TOKEN set (the provider process reads it itself): a program that passed
    # it on would put the token in the provider's inputs and the state. The offline preview's
    # environment has no token, so only a run with one set can show it stays out.
    environment = {
        "OKTA_API_TOKEN": "00okta-token-from-the-environment",
        "OKTA_ACCESS_TOKEN": "00okta-access-token-from-the-environment",
        "OKTA_API_PRIVATE_KEY": "00okta-private-key-from-the-environment",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    result = run(lambda: okta_provider("acme", "okta.com"))

    inputs = result.inputs(PROVIDER)["okta"]
    assert {"apiToken", "accessToken", "privateKey"} & set(inputs) == set()
    assert not [value for value in environment.values() if value in json.dumps(inputs, default=str)]


def test_children_inherit_the_provider_given_on_the_component() -> None:
    from components.saml_app import IdentityCenterSamlApp, IdentityCenterSamlAppArgs

    def program() -> IdentityCenterSamlApp:
        provider = okta_provider("acme", "okta.com")
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
