"""The explicit Vault provider the VaultAwsAccess component is created with (passed through its opts).

Authentication, in order of preference:

* Production: the provider's own login (`auth_login_jwt` from CI's OIDC token, `auth_login_aws` from
  the deploy role) configured through its environment (`VAULT_ADDR`, `TERRAFORM_VAULT_AUTH_*`), so
  no Vault token is ever stored. Leave `token` out.
* Otherwise a token set with `pulumi config set --secret vault:token`, passed here as `token`; it is
  wrapped in `pulumi.Output.secret` so it is encrypted in state and masked in every diff.

`skip_child_token` stays off: the provider then works with a short-lived child token of its own,
revoked when the run ends.
"""

from __future__ import annotations

import pulumi
import pulumi_vault as vault

PROVIDER_NAME = "vault"


def vault_provider(
    address: str,
    namespace: str | None,
    token: pulumi.Output[str] | None,
    *,
    opts: pulumi.ResourceOptions | None = None,
) -> vault.Provider:
    """The provider named `vault` for one Vault server (e.g. address "https://vault.example.com:8200")."""
    secret_token: pulumi.Output[str] | None = None if token is None else pulumi.Output.secret(token)
    return vault.Provider(
        PROVIDER_NAME,
        address=address,
        namespace=namespace,
        token=secret_token,
        # Vault answers 412/5xx while a performance standby catches up: retry rather than fail the run.
        max_retries=5,
        opts=opts,
    )
