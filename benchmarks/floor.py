"""The floor: the program's recorded registrations replayed through the bare Pulumi SDK, none of our logic.

`replay(records)` registers, in recorded order (so every parent and provider exists before its
children), one resource per `RecordedResource` with the same type, name, parent, provider, inputs
(secret inputs as secret Outputs), protect / deleteBeforeReplace / retainOnDelete / ignoreChanges /
additionalSecretOutputs and the same dependencies (as `depends_on`): generic `pulumi.CustomResource`,
`pulumi.ProviderResource` and `pulumi.ComponentResource` (each component registers empty outputs, as
ours register theirs). It runs as a Pulumi program (`benchmarks/floor_program/__main__.py`) through
the same `frontdoor.offline.engine.run_program`, so mocks, recording monitor and Stack are the program's own:
what remains between program and floor is config loading and validation, fan-out, our components'
Python, the typed SDK classes (pulumi_aws / pulumi_okta argument handling) and Output plumbing.

Property dependencies are not rebuilt as Outputs: the dependency URNs are passed as `depends_on`,
which the SDK awaits just the same (a cheaper, so conservative, floor).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pulumi

from frontdoor.offline.record import RecordedResource

PROGRAM_DIR = Path(__file__).resolve().parent / "floor_program"
PROVIDER_PREFIX = "pulumi:providers:"

# Set by the floor child before `run_program(PROGRAM_DIR, …)`, so loading them is not timed.
RECORDS: list[RecordedResource] = []


def _options(record: RecordedResource, objects: dict[str, pulumi.Resource]) -> pulumi.ResourceOptions:
    provider = objects.get(record.provider.rsplit("::", 1)[0]) if record.provider else None
    depends_on = [objects[urn] for urn in record.dependencies if urn in objects]
    return pulumi.ResourceOptions(
        parent=objects.get(record.parent_urn),
        provider=provider if isinstance(provider, pulumi.ProviderResource) else None,
        depends_on=depends_on or None,
        protect=record.protect or None,
        delete_before_replace=record.delete_before_replace or None,
        retain_on_delete=record.retain_on_delete or None,
        ignore_changes=list(record.ignore_changes) or None,
        additional_secret_outputs=list(record.additional_secret_outputs) or None,
        aliases=[alias for alias in record.aliases if alias.startswith("urn:")] or None,
    )


def replay(records: Sequence[RecordedResource] | None = None) -> int:
    """Register every record; returns how many were registered."""
    objects: dict[str, pulumi.Resource] = {}
    for record in RECORDS if records is None else records:
        props: dict[str, Any] = {
            key: pulumi.Output.secret(value) if key in record.secret_inputs else value
            for key, value in record.inputs.items()
        }
        opts = _options(record, objects)
        resource: pulumi.Resource
        if record.type.startswith(PROVIDER_PREFIX):
            resource = pulumi.ProviderResource(
                record.type.removeprefix(PROVIDER_PREFIX), record.name, props, opts
            )
        elif record.custom:
            resource = pulumi.CustomResource(record.type, record.name, props, opts)
        else:
            component = pulumi.ComponentResource(record.type, record.name, props, opts)
            component.register_outputs({})
            resource = component
        objects[record.urn] = resource
    return len(objects)
