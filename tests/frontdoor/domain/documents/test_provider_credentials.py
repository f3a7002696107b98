"""No provider credential in the stack config, in any mode; the table pinned to the installed SDKs; the
Vault provider's login per identity."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.documents.provider_credentials import (
    PROVIDER_CREDENTIAL_KEYS,
    SDK_SECRET_KEYS,
    VaultJwtLogin,
    credential_keys_in_config,
    refuse_credentials_in_config,
    vault_login,
)
from frontdoor.domain.model.machines import VaultCiLogin

PACKAGES = {"aws": "pulumi_aws", "okta": "pulumi_okta", "datadog": "pulumi_datadog", "vault": "pulumi_vault"}
LOGIN = VaultCiLogin(
    mount="github-actions", deployer_role="frontdoor-deploy", preview_role="frontdoor-preview"
)
CI = {"TERRAFORM_VAULT_AUTH_JWT": "eyJhbGciOi.header.sig"}


def _package(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None, name
    return Path(spec.origin).parent


def _sdk_secret_keys(name: str) -> tuple[str, ...]:
    """The keys the SDK's Provider marks secret (`additional_secret_outputs=[...]` in provider.py)."""
    text = (_package(name) / "provider.py").read_text()
    found = re.search(r"additional_secret_outputs=\[([^\]]*)\]", text)
    return tuple(sorted(re.findall(r'"(\w+)"', found.group(1)))) if found else ()


def _sdk_config_keys(name: str) -> set[str]:
    """Every `<provider>:<key>` the SDK's config module reads."""
    text = (_package(name) / "config" / "vars.py").read_text()
    return set(re.findall(r"__config__\.get\w*\('(\w+)'\)", text))


@pytest.mark.parametrize("provider", sorted(PACKAGES))
def test_the_table_holds_exactly_the_keys_each_installed_sdk_marks_secret(provider: str) -> None:
    # An SDK upgrade that marks a new key secret fails here until the table lists it.
    assert _sdk_secret_keys(PACKAGES[provider]) == SDK_SECRET_KEYS[provider]


def test_every_listed_key_is_a_config_key_of_its_sdk() -> None:
    for key in sorted(PROVIDER_CREDENTIAL_KEYS):
        provider, name = key.split(":")
        assert name in _sdk_config_keys(PACKAGES[provider]), key


def test_vault_token_is_unmarked_by_its_sdk_and_listed_here() -> None:
    # What the table exists for: pulumi-vault 7.14.0 would keep `vault:token` in plain text.
    assert _sdk_secret_keys("pulumi_vault") == ()
    assert {"vault:token", "vault:authLoginJwt", "vault:headers", "aws:assumeRoleWithWebIdentity"} <= (
        PROVIDER_CREDENTIAL_KEYS
    )


def test_every_vault_login_block_the_installed_sdk_reads_is_listed() -> None:
    # Each auth_login* block can carry its login secret in the config (jwt, password, AWS keys, GCP
    # credentials, a Kerberos token, the generic block's parameters), and pulumi-vault marks none of
    # them secret: every one the installed SDK's config module reads must be refused, not only the
    # JWT block the program itself uses. An SDK upgrade that adds a login method fails here.
    logins = {f"vault:{key}" for key in _sdk_config_keys("pulumi_vault") if key.startswith("authLogin")}
    assert len(logins) >= 12
    assert logins <= PROVIDER_CREDENTIAL_KEYS, sorted(logins - PROVIDER_CREDENTIAL_KEYS)


def test_finds_the_listed_keys_and_every_secret_value() -> None:
    found = credential_keys_in_config(
        [
            "vault:token",
            "datadog:apiKey",
            "frontdoor:okta",
            "vault:address",
            "frontdoor:extra",
            "okta:orgName",
        ],
        secret_keys=["frontdoor:extra"],
    )
    assert found == ["datadog:apiKey", "frontdoor:extra", "vault:token"]


def test_plain_config_passes() -> None:
    refuse_credentials_in_config(
        ["vault:address", "aws:region", "okta:orgName", "frontdoor:okta"], [], source="s.yaml"
    )


def test_each_credential_is_refused_with_the_variable_to_use_instead_and_never_echoed() -> None:
    with pytest.raises(ConfigError) as raised:
        refuse_credentials_in_config(
            ["okta:apiToken", "datadog:appKey", "vault:token", "aws:region"],
            ["okta:apiToken"],
            source="stacks/Pulumi.prod.yaml",
        )
    problem = (
        "a provider credential in the stack config: every pull-request preview can decrypt and print it, "
        "whatever identity the run has"
    )
    assert str(raised.value).splitlines() == [
        f"stacks/Pulumi.prod.yaml: datadog:appKey: {problem} (got '[set]'). Fix: `pulumi config rm "
        "datadog:appKey`; provide it from DD_APP_KEY (docs/first-run.md)",
        f"stacks/Pulumi.prod.yaml: okta:apiToken: {problem} (got '[secret]'). Fix: `pulumi config rm "
        "okta:apiToken`; provide it from OKTA_API_TOKEN (docs/first-run.md)",
        f"stacks/Pulumi.prod.yaml: vault:token: {problem} (got '[set]'). Fix: `pulumi config rm "
        "vault:token`; provide it from the Vault JWT login (frontdoor:machines.vault.ciLogin, the token in "
        "TERRAFORM_VAULT_AUTH_JWT) or VAULT_TOKEN on a workstation (docs/first-run.md)",
    ]


def test_a_secret_under_any_other_key_is_refused_too() -> None:
    with pytest.raises(ConfigError) as raised:
        refuse_credentials_in_config(["frontdoor:webhook"], ["frontdoor:webhook"], source="s.yaml")
    assert str(raised.value).endswith(
        "Fix: `pulumi config rm frontdoor:webhook`; provide it from the environment of the GitHub "
        "environment whose job needs it (docs/first-run.md)"
    )


def test_ci_logs_in_with_the_role_of_its_identity() -> None:
    assert vault_login(LOGIN, "deployer", CI, source="s.yaml") == VaultJwtLogin(
        "frontdoor-deploy", "github-actions"
    )
    assert vault_login(LOGIN, "preview", CI, source="s.yaml") == VaultJwtLogin(
        "frontdoor-preview", "github-actions"
    )


def test_a_workstation_logs_in_with_its_token() -> None:
    assert vault_login(LOGIN, "deployer", {"VAULT_TOKEN": "hvs.x"}, source="s.yaml") is None
    assert vault_login(LOGIN, "preview", {"VAULT_TOKEN": "hvs.x"}, source="s.yaml") is None
    assert vault_login(None, "deployer", {}, source="s.yaml") is None


def test_a_preview_without_any_vault_login_is_refused() -> None:
    with pytest.raises(ConfigError) as raised:
        vault_login(LOGIN, "preview", {"TERRAFORM_VAULT_AUTH_JWT": " "}, source="s.yaml")
    assert str(raised.value) == (
        "environment: TERRAFORM_VAULT_AUTH_JWT: a preview-identity run has no Vault login (got None). Fix: "
        "fetch the job's GitHub OIDC token for the Vault audience into TERRAFORM_VAULT_AUTH_JWT in the step "
        "that runs pulumi (.github/workflows/preview.yml), or export VAULT_TOKEN on a workstation"
    )


def test_a_ci_token_without_the_login_in_the_stack_is_refused() -> None:
    with pytest.raises(ConfigError) as raised:
        vault_login(None, "deployer", CI, source="stacks/Pulumi.demo.yaml")
    assert str(raised.value) == (
        "stacks/Pulumi.demo.yaml: frontdoor:machines.vault.ciLogin: TERRAFORM_VAULT_AUTH_JWT holds a CI "
        "token but the stack names no Vault JWT login (got None). Fix: add ciLogin {mount, deployerRole, "
        "previewRole} under frontdoor:machines.vault (docs/first-run.md, Vault login)"
    )


@pytest.mark.parametrize("role", ["frontdoor-deploy", "a", "ci.preview_1"])
def test_vault_role_names_vault_accepts(role: str) -> None:
    assert VaultCiLogin(deployer_role=role, preview_role=role).deployer_role == role


@pytest.mark.parametrize("role", ["", "-deploy", "deploy.", "team/deploy", "dé"])
def test_vault_role_names_vault_refuses(role: str) -> None:
    with pytest.raises(ValueError, match="not a Vault role name"):
        VaultCiLogin(deployer_role=role, preview_role="frontdoor-preview")
