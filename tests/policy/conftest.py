"""Builders for CrossGuard arguments: rules run exactly as the SDK calls them, without a server.

Props are wrapped in the SDK's unknown-checking proxy, as the analyzer does, so a test that puts the
engine's unknown sentinel (`UNKNOWN`) into props sees what a preview would.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pulumi_policy import (
    Policy,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

PACK_DIR = Path(__file__).resolve().parents[2] / "policy"
if str(PACK_DIR) not in sys.path:
    sys.path.insert(0, str(PACK_DIR))

# What the SDK's deserializer hands a policy for a value unknown during preview.
UNKNOWN = UNKNOWN_STRING_VALUE


def urn(resource_type: str, name: str) -> str:
    return f"urn:pulumi:demo::frontdoor::{resource_type}::{name}"


def options(*, protect: bool = False) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def resource_args(
    resource_type: str,
    props: Mapping[str, Any],
    *,
    name: str = "res",
    config: Mapping[str, Any] | None = None,
    protect: bool = False,
) -> ResourceValidationArgs:
    return ResourceValidationArgs(
        resource_type,
        unknown_checking_proxy(dict(props)),
        urn(resource_type, name),
        name,
        options(protect=protect),
        None,
        config,
    )


def run_resource(
    policy: Policy,
    resource_type: str,
    props: Mapping[str, Any],
    *,
    name: str = "res",
    config: Mapping[str, Any] | None = None,
    protect: bool = False,
) -> list[str]:
    assert isinstance(policy, ResourceValidationPolicy)
    messages: list[str] = []
    args = resource_args(resource_type, props, name=name, config=config, protect=protect)
    policy.validate(args, lambda message, _urn=None: messages.append(message))
    return messages


class Res:
    """A stack resource spec: type, name, props (outputs) and optional dependencies by URN."""

    def __init__(
        self,
        resource_type: str,
        name: str,
        props: Mapping[str, Any],
        *,
        property_dependencies: Mapping[str, Sequence[str]] | None = None,
        dependencies: Sequence[str] = (),
        protect: bool = False,
    ) -> None:
        self.type = resource_type
        self.name = name
        self.urn = urn(resource_type, name)
        self.props = dict(props)
        self.property_dependencies = dict(property_dependencies or {})
        self.dependencies = list(dependencies)
        self.protect = protect


def stack_args(resources: Sequence[Res], config: Mapping[str, Any] | None = None) -> StackValidationArgs:
    built = {
        r.urn: PolicyResource(
            r.type,
            unknown_checking_proxy(r.props),
            r.urn,
            r.name,
            options(protect=r.protect),
            None,
            None,
            [],
            {},
        )
        for r in resources
    }
    for spec in resources:
        resource = built[spec.urn]
        resource.dependencies = [built[u] for u in spec.dependencies if u in built]
        resource.property_dependencies = {
            k: [built[u] for u in urns if u in built] for k, urns in spec.property_dependencies.items()
        }
    return StackValidationArgs(list(built.values()), config)


def run_stack(
    policy: Policy, resources: Sequence[Res], config: Mapping[str, Any] | None = None
) -> list[tuple[str | None, str]]:
    assert isinstance(policy, StackValidationPolicy)
    reported: list[tuple[str | None, str]] = []
    policy.validate(stack_args(resources, config), lambda message, u=None: reported.append((u, message)))
    return reported
