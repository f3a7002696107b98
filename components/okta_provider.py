"""The explicit Okta provider every Okta component is created with (passed in through component opts).

Credentials come from the provider process's environment only, never from the stack config (the
program refuses any credential there: frontdoor/domain/documents/provider_credentials.py), so nothing
here takes a token and none reaches the provider's inputs or the state:

* Production: OAuth 2.0 private-key mode (a service app with a scoped, rotatable key pair instead of
  an admin's long-lived SSWS token): `OKTA_API_CLIENT_ID`, `OKTA_API_PRIVATE_KEY`,
  `OKTA_API_PRIVATE_KEY_ID` and `OKTA_API_SCOPES` from the GitHub environment's secrets; the
  Terraform-bridged provider reads them itself. Scopes needed here: okta.apps.manage,
  okta.groups.manage, okta.policies.manage, okta.schemas.manage, okta.profileMappings.manage,
  okta.userTypes.read.
* Otherwise `OKTA_API_TOKEN` (the deploy job: the `prod` environment's secret; PR previews and the
  drift job: a read-only administrator's token, `OKTA_READONLY_API_TOKEN`). An explicit provider does
  not read the `okta:` stack config namespace's credentials.
"""

from __future__ import annotations

import pulumi
import pulumi_okta as okta

PROVIDER_NAME = "okta"


def okta_provider(
    org_name: str,
    base_url: str,
    *,
    opts: pulumi.ResourceOptions | None = None,
) -> okta.Provider:
    """The provider named `okta` for one Okta org (e.g. org_name "acme", base_url "okta.com")."""
    return okta.Provider(
        PROVIDER_NAME,
        org_name=org_name,
        base_url=base_url,
        # Okta rate-limits per minute; back off rather than fail half-way through a fan-out.
        backoff=True,
        opts=opts,
    )
