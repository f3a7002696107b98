"""What the offline engine records for every registered resource.

This is the one shape shared by the engine (which fills it from the mock monitor), the policy
analyzer client (which sends it over gRPC the way the CLI does), the access report and the tests.
Inputs are the engine's camelCase property names, exactly what CrossGuard sees as `props`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RecordedResource:
    """One resource registration as the engine saw it."""

    type: str
    name: str
    urn: str
    custom: bool
    parent_urn: str
    inputs: Mapping[str, Any]
    # Top-level input keys whose value was a Pulumi secret when registered.
    secret_inputs: frozenset[str] = frozenset()
    protect: bool = False
    delete_before_replace: bool = False
    retain_on_delete: bool = False
    aliases: tuple[str, ...] = ()
    provider: str = ""
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ignore_changes: tuple[str, ...] = ()
    additional_secret_outputs: tuple[str, ...] = ()
    # What the (simulated) provider answered: the id and the output properties, camelCase.
    id: str = ""
    outputs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Violation:
    """One policy violation as the analyzer reported it."""

    policy: str
    enforcement: str  # "advisory" | "mandatory" | "remediate" | "disabled"
    urn: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {
            "policy": self.policy,
            "enforcement": self.enforcement,
            "urn": self.urn,
            "message": self.message,
        }
