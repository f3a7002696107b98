"""The Vault provider's registered inputs: the JWT login per identity, the 4-hour child token, no token."""

from __future__ import annotations

import json

from components.vault_provider import vault_provider
from frontdoor.domain.documents.provider_credentials import VaultJwtLogin
from tests.components.okta_mocks import run

PROVIDER = "pulumi:providers:vault"
ADDRESS = "https://vault.example.com:8200"


def test_ci_logs_in_with_the_role_and_mount_and_never_a_token() -> None:
    result = run(
        lambda: vault_provider(ADDRESS, None, VaultJwtLogin(role="frontdoor-deploy", mount="github-actions"))
    )

    inputs = result.inputs(PROVIDER)["vault"]
    # The SDK sends auth_login_* blocks as JSON strings; `jwt` stays unset: the provider reads it from
    # TERRAFORM_VAULT_AUTH_JWT, so it is in no input and no state.
    assert json.loads(inputs["authLoginJwt"]) == {"mount": "github-actions", "role": "frontdoor-deploy"}
    assert inputs["maxLeaseTtlSeconds"] == "14400"
    assert inputs["address"] == ADDRESS
    assert "token" not in inputs
    assert result.registered(PROVIDER)["vault"].secret_inputs == frozenset()


def test_a_workstation_has_no_login_block_and_no_token_input() -> None:
    result = run(lambda: vault_provider(ADDRESS, "admin/team", None))

    inputs = result.inputs(PROVIDER)["vault"]
    assert {key for key in inputs if key.startswith("authLogin")} == set()
    assert "token" not in inputs
    assert inputs["maxLeaseTtlSeconds"] == "14400"
    assert inputs["namespace"] == "admin/team"
