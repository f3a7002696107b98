"""The optional machines section of the identity stack: Vault-issued AWS credentials for machines.

The machine consumers are planned with the stack's one plan (frontdoor/domain/planning/plan.py: a bad
consumer target stops the program like a bad team grant); `register_machines` registers the component
after the platform, with its own explicit Vault provider beside the management account's AWS provider.
(The Datadog monitors are the monitoring stack's: frontdoor/program/monitoring.py.)
"""

from __future__ import annotations

import os

from components.providers import AwsProviders
from components.vault_aws_access import VaultAwsAccess, VaultAwsAccessArgs
from components.vault_provider import vault_provider
from frontdoor.domain.documents.provider_credentials import vault_login
from frontdoor.domain.documents.provider_identity import identity_mode
from frontdoor.domain.planning.plan import StackPlan


def register_machines(plan: StackPlan, providers: AwsProviders) -> None:
    config = plan.config
    machines = config.machines
    if machines is None:
        return
    # The login of this run's identity; the token itself is the environment's, never the config's.
    login = vault_login(machines.vault.ci_login, identity_mode(os.environ), os.environ, source=plan.source)
    vault = vault_provider(machines.vault.address, machines.vault.namespace, login)
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
