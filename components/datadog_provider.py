"""The explicit Datadog provider the DatadogMonitors component is created with (through its opts).

No key is passed here, and none belongs in a stack config: the provider plugin reads the API and
application keys from `DD_API_KEY` / `DD_APP_KEY` in its environment (pulumi-datadog 5.17.0's provider
docs; the Terraform provider it bridges falls back to those variables, then `DATADOG_API_KEY` /
`DATADOG_APP_KEY`, when `api_key` / `app_key` are unset: datadog/provider.go), which the monitoring
deploy job alone sets. `validate` stays on so a missing or wrong key fails at the start of
`pulumi up`, not half-way through.
"""

from __future__ import annotations

import pulumi
import pulumi_datadog as datadog

PROVIDER_NAME = "datadog"


def datadog_provider(api_url: str, *, opts: pulumi.ResourceOptions | None = None) -> datadog.Provider:
    """The provider named `datadog` for one Datadog site (e.g. "https://api.datadoghq.eu/")."""
    return datadog.Provider(
        PROVIDER_NAME,
        api_url=api_url,
        validate="true",
        http_client_retry_enabled="true",
        opts=opts,
    )
