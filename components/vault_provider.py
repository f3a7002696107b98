"""The explicit Vault provider the VaultAwsAccess component is created with (passed through its opts).

No Vault credential ever passes through the program, its config or the state (the program refuses
`vault:token` and every `vault:authLogin*` in the stack config: frontdoor/domain/documents/
provider_credentials.py):

* CI: `auth_login_jwt {role, mount}` (`login`), the role of the run's identity (deploy or preview);
  the provider reads the job's GitHub OIDC token from TERRAFORM_VAULT_AUTH_JWT itself
  (terraform-provider-vault v5.10.1 internal/provider/auth_jwt.go), so `jwt` is left unset.
* A workstation (`login` None): VAULT_TOKEN in the provider's environment.

`skip_child_token` stays off: the provider works with a child token of its own, revoked when the run
ends. That child token is non-renewable, its TTL and explicit max TTL `max_lease_ttl_seconds`
(meta.go createChildToken; default 1200 s): set to the deploy session's 4 hours, so a Vault resource
registered late in a long `pulumi up` does not fail on an expired token. Vault still revokes it with its
parent, the JWT login's token (hashicorp/vault#1526), so the deploy Vault role's token_ttl must be 4 hours
too (docs/first-run.md "Vault login"). The login happens in the provider's `namespace`: the block sets no
namespace of its own (meta.go), so the JWT mount must live there.
"""

from __future__ import annotations

import pulumi
import pulumi_vault as vault

from frontdoor.domain.documents.provider_credentials import VaultJwtLogin

PROVIDER_NAME = "vault"
# The deploy job's AWS session (components/access_platform.py DEPLOY_SESSION_SECONDS, deploy.yml
# role-duration-seconds): the Vault child token lives as long.
CHILD_TOKEN_SECONDS = 4 * 3600


def vault_provider(
    address: str,
    namespace: str | None,
    login: VaultJwtLogin | None,
    *,
    opts: pulumi.ResourceOptions | None = None,
) -> vault.Provider:
    """The provider named `vault` for one Vault server (e.g. address "https://vault.example.com:8200")."""
    return vault.Provider(
        PROVIDER_NAME,
        address=address,
        namespace=namespace,
        auth_login_jwt=(
            None if login is None else vault.ProviderAuthLoginJwtArgs(role=login.role, mount=login.mount)
        ),
        max_lease_ttl_seconds=CHILD_TOKEN_SECONDS,
        # Vault answers 412/5xx while a performance standby catches up: retry rather than fail the run.
        max_retries=5,
        opts=opts,
    )
