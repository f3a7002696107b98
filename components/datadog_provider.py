"""The explicit Datadog provider the DatadogMonitors component is created with (through its opts).

The API and application keys come from `pulumi config set --secret datadog:apiKey / datadog:appKey`
(wrapped in `pulumi.Output.secret` here, so they are encrypted in state and masked in every diff), or,
when not given, from `DD_API_KEY` / `DD_APP_KEY` in the provider's environment. `validate` stays on
so a wrong key fails at the start of `pulumi up`, not half-way through.
"""

from __future__ import annotations

import pulumi
import pulumi_datadog as datadog

PROVIDER_NAME = "datadog"


def _secret(value: pulumi.Output[str] | None) -> pulumi.Output[str] | None:
    return None if value is None else pulumi.Output.secret(value)


def datadog_provider(
    api_url: str,
    api_key: pulumi.Output[str] | None,
    app_key: pulumi.Output[str] | None,
    *,
    opts: pulumi.ResourceOptions | None = None,
) -> datadog.Provider:
    """The provider named `datadog` for one Datadog site (e.g. "https://api.datadoghq.eu/")."""
    return datadog.Provider(
        PROVIDER_NAME,
        api_url=api_url,
        api_key=_secret(api_key),
        app_key=_secret(app_key),
        validate="true",
        http_client_retry_enabled="true",
        opts=opts,
    )
