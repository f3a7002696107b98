"""The monitoring stack's program: the identity monitors in Datadog, reading the identity stack's outputs.

A stack of its own because the monitors need another vendor's keys and SDK (DESIGN.md: stacks split
where credentials split): no identity-stack run holds Datadog's keys or imports pulumi_datadog, which
alone costs seconds and ~190 MB. What the monitors need from the identity stack (the Okta app label,
the trail's account, the break-glass users) is read through a `pulumi.StackReference`, a read of that
stack's outputs, checked by frontdoor/domain/planning/identity_outputs.py: a missing or malformed output
stops the run (an error in `pulumi up`, which deletes nothing; exit 2 offline), never a default.

The component is registered inside the reference's `apply`: its children's logical names carry the
trail's account id (`identity-monitors/aws-<account>`), which only the read knows. A StackReference is
a read, answered at preview as at update, so the monitors show in `pulumi preview` as well.
"""

from __future__ import annotations

from typing import Any

import pulumi

from components.datadog_monitors import DatadogMonitors, DatadogMonitorsArgs
from components.datadog_provider import datadog_provider
from frontdoor.domain.model.stack import MonitoringStackConfig
from frontdoor.domain.planning.identity_outputs import parse_identity_outputs, stack_reference_source
from frontdoor.program.stack_file import refuse_credentials_in_stack_config

# Kept from the identity stack, so the moved resources' URNs are the ones `pulumi state move` carries
# over (docs/monitoring-stack.md).
MONITORS_NAME = "identity-monitors"
IDENTITY_REFERENCE = "identity"
DATADOG_EXTERNAL_ID = "datadogExternalId"


def build_monitoring(config: MonitoringStackConfig, source: str) -> pulumi.Output[DatadogMonitors]:
    """The identity monitors on the Datadog provider (keys from DD_API_KEY / DD_APP_KEY)."""
    refuse_credentials_in_stack_config()  # datadog:apiKey / appKey included: DD_API_KEY / DD_APP_KEY
    identity_stack = config.monitoring.identity_stack
    identity = pulumi.StackReference(IDENTITY_REFERENCE, stack_name=identity_stack)
    provider = datadog_provider(config.observability.datadog_site)

    def register(outputs: dict[str, Any]) -> DatadogMonitors:
        read = parse_identity_outputs(outputs, stack_reference_source(identity_stack, source))
        return DatadogMonitors(
            MONITORS_NAME,
            DatadogMonitorsArgs(
                config=config.observability,
                app_label=read.okta_app_label,
                trail_account_id=read.trail_account_id,
                break_glass_users=read.break_glass_user_names,
                provider=provider,
            ),
        )

    pulumi.export("identityStack", identity_stack)
    monitors = identity.outputs.apply(register)
    # The identity stack's Datadog integration role trusts it (frontdoor:trail.datadog.integrationExternalId,
    # docs/monitoring-stack.md "How CloudTrail reaches Datadog"). Not a secret: AWS's confused-deputy guard
    # needs it unguessable to other Datadog customers, who never see it, not hidden from this stack's readers.
    pulumi.export(DATADOG_EXTERNAL_ID, monitors.apply(lambda component: component.external_id))
    return monitors
