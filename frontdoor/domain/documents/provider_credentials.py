"""Provider credentials come from the environment only: never from the stack config, in any mode.

Why: a stack-config value is decrypted for whoever runs `pulumi preview` with the stack's access token,
and a pull request controls the program, so a PR can print any key of the config, whatever the program
itself reads and whatever identity its AWS role has. So the config holds no credential at all, and each
credential comes from the environment of the one GitHub *environment* (deployment-branch rule) whose
job needs it (.github/workflows/*.yml; docs/first-run.md "Credentials").

What counts as a credential key (`PROVIDER_CREDENTIAL_KEYS`):
- the keys each provider SDK marks secret itself (`additional_secret_outputs` in its provider.py;
  tests/frontdoor/domain/documents/test_provider_credentials.py pins this table to the installed SDKs,
  so an SDK upgrade that adds one fails the test);
- the keys the SDKs leave unmarked that still carry a credential: pulumi-vault 7.14.0 marks none
  (`vault:token` is plain text in its schema, terraform-provider-vault v5.10.1 provider.go declares
  `token` without Sensitive), its `authLogin*` blocks carry the login secret (jwt, password, AWS keys,
  ...) and `headers` is Sensitive in the Terraform schema; `aws:assumeRoleWithWebIdentity` holds a
  `webIdentityToken`.
Besides those, every value the CLI passes as a secret (`secure:` in the stack file), whatever its key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.documents.provider_identity import PREVIEW
from frontdoor.domain.model.machines import VaultCiLogin

# provider -> the config keys its SDK marks secret (provider.py `additional_secret_outputs`), as installed:
# pulumi-aws 7.51.1, pulumi-okta 7.0.1, pulumi-datadog 5.17.0, pulumi-vault 7.14.0.
SDK_SECRET_KEYS: Mapping[str, tuple[str, ...]] = {
    "aws": ("accessKey", "secretKey", "token"),
    "okta": ("accessToken", "apiToken", "privateKey"),
    "datadog": ("apiKey", "appKey", "awsAccessKeyId", "awsSecretAccessKey", "awsSessionToken", "bearerToken"),
    "vault": (),
}
UNMARKED_CREDENTIAL_KEYS: Mapping[str, tuple[str, ...]] = {
    "aws": ("assumeRoleWithWebIdentity",),
    "vault": (
        "token",
        "authLogin",
        "authLoginAws",
        "authLoginAzure",
        "authLoginCert",
        "authLoginGcp",
        "authLoginJwt",
        "authLoginKerberos",
        "authLoginOci",
        "authLoginOidc",
        "authLoginRadius",
        "authLoginTokenFile",
        "authLoginUserpass",
        "headers",
    ),
}
PROVIDER_CREDENTIAL_KEYS: frozenset[str] = frozenset(
    f"{provider}:{key}"
    for table in (SDK_SECRET_KEYS, UNMARKED_CREDENTIAL_KEYS)
    for provider, keys in table.items()
    for key in keys
)

_AWS_ROLE = (
    "the workflow's OIDC role (aws-actions/configure-aws-credentials), or AWS_PROFILE on a workstation"
)
# Where each credential comes from instead: the variable the provider process reads when the config
# leaves the key unset (terraform-provider-okta config.go, terraform-provider-datadog utils.go
# APIKeyEnvVars/APPKeyEnvVars, terraform-provider-vault meta.go GetToken and auth_jwt.go).
ENVIRONMENT_INSTEAD: Mapping[str, str] = {
    "okta:apiToken": "OKTA_API_TOKEN",
    "okta:accessToken": "OKTA_ACCESS_TOKEN",
    "okta:privateKey": "OKTA_API_PRIVATE_KEY",
    "vault:token": "the Vault JWT login (frontdoor:machines.vault.ciLogin, the token in "
    "TERRAFORM_VAULT_AUTH_JWT) or VAULT_TOKEN on a workstation",
    "vault:authLoginJwt": "frontdoor:machines.vault.ciLogin (the program builds the login block; the token "
    "comes from TERRAFORM_VAULT_AUTH_JWT)",
    "datadog:apiKey": "DD_API_KEY",
    "datadog:appKey": "DD_APP_KEY",
    "datadog:bearerToken": "DD_BEARER_TOKEN",
    "aws:accessKey": _AWS_ROLE,
    "aws:secretKey": _AWS_ROLE,
    "aws:token": _AWS_ROLE,
}
_ELSEWHERE = "the environment of the GitHub environment whose job needs it"


def credential_keys_in_config(config_keys: Iterable[str], secret_keys: Iterable[str]) -> list[str]:
    """The config keys that hold a credential: every listed provider key, and every secret value."""
    present = set(config_keys)
    return sorted((present & PROVIDER_CREDENTIAL_KEYS) | (present & set(secret_keys)))


def fix_for(key: str) -> str:
    """`pulumi config rm` the key, and where the credential comes from instead."""
    instead = ENVIRONMENT_INSTEAD.get(key, _ELSEWHERE)
    return f"`pulumi config rm {key}`; provide it from {instead} (docs/first-run.md)"


def refuse_credentials_in_config(
    config_keys: Iterable[str], secret_keys: Iterable[str], *, source: str
) -> None:
    """Any credential in the stack config is bad input (exit 2), in every mode, before any provider.

    In every mode, not only under the preview identity: the risk is the key's presence in the stack
    file (any PR preview decrypts it), not the mode of the run that notices it. The value is never
    echoed; the message names the key, the stack file and the variable to use instead.
    """
    secret = set(secret_keys)
    found = credential_keys_in_config(config_keys, secret)
    if found:
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    key,
                    "[secret]" if key in secret else "[set]",
                    "a provider credential in the stack config: every pull-request preview can decrypt "
                    "and print it, whatever identity the run has",
                    fix_for(key),
                )
                for key in found
            ]
        )


# The Vault provider's login (terraform-provider-vault v5.10.1, which pulumi-vault 7.11+ bridges):
# `auth_login_jwt {role, mount}` with `jwt` unset reads the token from TERRAFORM_VAULT_AUTH_JWT
# (internal/provider/auth_jwt.go); with a login block, a VAULT_TOKEN in the environment is cleared for
# the login (meta.go); without one the token is VAULT_TOKEN, else the token helper (meta.go GetToken).
JWT_ENV = "TERRAFORM_VAULT_AUTH_JWT"
VAULT_TOKEN_ENV = "VAULT_TOKEN"
CI_LOGIN_FIELD = "frontdoor:machines.vault.ciLogin"


@dataclass(frozen=True)
class VaultJwtLogin:
    """The provider's `auth_login_jwt` block: the role and mount only; the token is the environment's."""

    role: str
    mount: str


def vault_login(
    login: VaultCiLogin | None, mode: str, environ: Mapping[str, str], *, source: str
) -> VaultJwtLogin | None:
    """The Vault provider's JWT login for this run's identity, or None when it logs in with VAULT_TOKEN.

    - TERRAFORM_VAULT_AUTH_JWT set (CI): the role of this run's identity (`mode`, provider_identity.py
      `identity_mode`); the stack must name the login (ciLogin), or the token would go unused.
    - Otherwise VAULT_TOKEN (a workstation): no login block.
    - Neither, under the preview identity: exit 2 naming the workflow step; a PR preview must not fall
      back to a token helper on the runner.
    """
    if environ.get(JWT_ENV, "").strip():
        if login is None:
            raise ConfigError(
                [
                    ConfigIssue(
                        source,
                        CI_LOGIN_FIELD,
                        None,
                        f"{JWT_ENV} holds a CI token but the stack names no Vault JWT login",
                        "add ciLogin {mount, deployerRole, previewRole} under frontdoor:machines.vault "
                        "(docs/first-run.md, Vault login)",
                    )
                ]
            )
        role = login.preview_role if mode == PREVIEW else login.deployer_role
        return VaultJwtLogin(role=role, mount=login.mount)
    if mode == PREVIEW and not environ.get(VAULT_TOKEN_ENV, "").strip():
        raise ConfigError(
            [
                ConfigIssue(
                    "environment",
                    JWT_ENV,
                    None,
                    "a preview-identity run has no Vault login",
                    f"fetch the job's GitHub OIDC token for the Vault audience into {JWT_ENV} in the step "
                    f"that runs pulumi (.github/workflows/preview.yml), or export {VAULT_TOKEN_ENV} on a "
                    "workstation",
                )
            ]
        )
    return None
