"""The optional sections of the access stack: Vault-issued machine credentials and Datadog monitoring.

The machine consumers are planned with the stack's one plan (frontdoor/domain/planning/plan.py: a bad
consumer target stops the program like a bad team grant); `register_sections` registers the components
after the platform, each with its own explicit provider (Vault, Datadog) beside the management
account's AWS provider.
"""

from __future__ import annotations

import pulumi

from components.datadog_monitors import DatadogMonitors, DatadogMonitorsArgs
from components.datadog_provider import datadog_provider
from components.providers import AwsProviders
from components.vault_aws_access import VaultAwsAccess, VaultAwsAccessArgs
from components.vault_provider import vault_provider
from frontdoor.domain.planning.plan import StackPlan


def register_sections(plan: StackPlan, providers: AwsProviders) -> None:
    config = plan.config
    machines = config.machines
    if machines is not None:
        vault = vault_provider(
            machines.vault.address, machines.vault.namespace, pulumi.Config("vault").get_secret("token")
        )
        VaultAwsAccess(
            "machines",
            VaultAwsAccessArgs(
                vault_config=machines.vault,
                consumers=plan.machines,
                organization_id=plan.snapshot.organization_id,
                region=config.organization.region,
                vault=vault,
                management_provider=providers.management,
                protect=config.protect,
            ),
        )
    observability = config.observability
    if observability is not None:
        settings = pulumi.Config("datadog")
        datadog = datadog_provider(
            observability.datadog_site, settings.get_secret("apiKey"), settings.get_secret("appKey")
        )
        DatadogMonitors(
            "identity-monitors",
            DatadogMonitorsArgs(
                config=observability,
                app_label=config.okta.app_label,
                trail_account_id=config.organization.management_account_id,
                break_glass_users=tuple(config.guardrails.break_glass_user_names),
                provider=datadog,
            ),
        )
