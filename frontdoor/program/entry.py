"""What `__main__.py` runs: the program of the stack this is, decided from its config alone.

Three stacks share the project: the identity stack (the access plane), the break-glass stack
(`frontdoor:breakGlass`) and the monitoring stack (`frontdoor:monitoring`). Which one runs is decided
here, from the `frontdoor:` config values, before any provider SDK is imported: each program module
imports only its own SDKs, so an identity or break-glass run never imports pulumi_datadog, and the
monitoring run never imports pulumi_okta or pulumi_vault (a test runs each in a fresh process).
"""

from __future__ import annotations

import pulumi

from frontdoor.domain.config.parse import (
    is_break_glass,
    is_monitoring,
    parse_break_glass_config,
    parse_monitoring_config,
    pulumi_config_values,
)


def main() -> None:
    values = pulumi_config_values()
    source = f"stacks/Pulumi.{pulumi.get_stack()}.yaml"
    # Imported in the branch that runs it: importing a stack's program imports its provider SDKs.
    if is_break_glass(values):
        from frontdoor.program.break_glass import build_break_glass

        build_break_glass(parse_break_glass_config(values, source))
    elif is_monitoring(values):
        from frontdoor.program.monitoring import build_monitoring

        build_monitoring(parse_monitoring_config(values, source), source)
    else:
        from frontdoor.program.build import main as identity_main

        identity_main()
