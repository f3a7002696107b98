"""`frontdoor:monitoring`: the monitoring stack's own setting, the identity stack whose outputs it reads.

The monitors themselves are `frontdoor:observability` (model/observability.py), which only a monitoring
stack may hold (stack.py `MonitoringStackConfig`): the monitors need Datadog's keys and SDK, which no
identity-stack run should hold or import.
"""

from __future__ import annotations

import re

from pydantic import field_validator

from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.model.fields import Model

# "Stack names may only contain alphanumeric characters, hyphens, underscores, or periods", written
# `stack`, `org/stack` or `org/project/stack` (pulumi.com/docs/iac/concepts/stacks); a DIY backend
# takes the last form with the organization `organization`.
_NAME_PART = r"[A-Za-z0-9_.-]+"
STACK_NAME_RE = re.compile(rf"^(?:{_NAME_PART}/){{0,2}}{_NAME_PART}$")


class MonitoringSettings(Model):
    """Which identity stack the monitors watch: its outputs are read through a StackReference."""

    identity_stack: str

    @field_validator("identity_stack")
    @classmethod
    def _stack_name(cls, value: str) -> str:
        if not STACK_NAME_RE.fullmatch(value):
            raise FixHint(
                "not a Pulumi stack name",
                "write the identity stack as org/project/stack (letters, digits, '-', '_' and '.' in each "
                'part), e.g. "acme-medical/frontdoor/prod"; on a DIY backend "organization/frontdoor/prod"',
            )
        return value
