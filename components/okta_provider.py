"""The explicit Okta provider every Okta component is created with (passed in through component opts).

Credentials, in order of preference:

* Production: OAuth 2.0 private-key mode (a service app with a scoped, rotatable key pair instead of
  an admin's long-lived SSWS token). Leave `api_token` out and give the provider process
  `OKTA_API_CLIENT_ID`, `OKTA_API_PRIVATE_KEY`, `OKTA_API_PRIVATE_KEY_ID` and `OKTA_API_SCOPES`
  (e.g. from Pulumi ESC or the CI secret store); the Terraform-bridged provider reads them itself.
  Scopes needed here: okta.apps.manage, okta.groups.manage, okta.policies.manage,
  okta.schemas.manage, okta.profileMappings.manage, okta.userTypes.read.
* Otherwise an API token set with `pulumi config set --secret`, passed as `api_token`. It is wrapped
  in `pulumi.Output.secret` here (belt and braces: the SDK also marks `apiToken` secret), so it is
  encrypted in state and masked in every diff and log.
* `api_token=None` and no OAuth variables: the provider falls back to `OKTA_API_TOKEN` in its
  environment. An explicit provider does not read the `okta:` stack config namespace.
"""

from __future__ import annotations

import pulumi
import pulumi_okta as okta

PROVIDER_NAME = "okta"


def okta_provider(
    org_name: str,
    base_url: str,
    api_token: pulumi.Output[str] | None,
    *,
    opts: pulumi.ResourceOptions | None = None,
) -> okta.Provider:
    """The provider named `okta` for one Okta org (e.g. org_name "acme", base_url "okta.com")."""
    secret_token: pulumi.Output[str] | None = None if api_token is None else pulumi.Output.secret(api_token)
    return okta.Provider(
        PROVIDER_NAME,
        org_name=org_name,
        base_url=base_url,
        api_token=secret_token,
        # Okta rate-limits per minute; back off rather than fail half-way through a fan-out.
        backoff=True,
        opts=opts,
    )
