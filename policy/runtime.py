"""The pack's analyzer servicer: the SDK's, except that a resource is decoded once per request.

`pulumi_policy` 1.21.0's servicer decodes a resource's properties (protobuf Struct → dict →
`deserialize_properties` → unknown-checking proxy) once per *policy*: every `Analyze` call decodes
the resource once for each of the pack's resource policies, and `AnalyzeStack` decodes the whole
stack once for each stack policy. Profiled at 2,000 accounts, that decoding was most of the pack's
time: a copy of the pack whose rules did nothing cost as much as the real one (benchmarks/README.md).

`DecodeOnceServicer` keeps the SDK's servicer (configuration, enforcement levels, reporting,
GetAnalyzerInfo, Remediate) and overrides only `Analyze` and `AnalyzeStack`, with the SDK's own
loop, levels, not-applicable and unknown-value handling, but one decoded view shared by every
policy of the request. That is safe only because no rule writes to what it is given: the SDK's
proxies would let a rule assign into `props`, and here a later policy of the same request would see
the change. Rules in this pack read only (rule authors: keep it so). `tests/policy/test_runtime.py`
asserts that every response is identical to the SDK servicer's, field for field, over the demo stack
and a stack that breaks every rule.

The SDK builds its servicer inside `PolicyPack.__init__`, which then serves forever, so `serve`
installs this class as the module's servicer for the pack process it runs in (policy/__main__.py) and
nowhere else. The override is tied to the pinned SDK version: `SDK_VERSION` must match the installed
pulumi_policy, or the pack refuses to start rather than run a port of a servicer it was not checked
against.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Mapping
from importlib import metadata
from inspect import isawaitable
from typing import Any, NamedTuple, cast

from google.protobuf import json_format
from pulumi.runtime import proto
from pulumi_policy import policy as sdk
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

SDK_VERSION = "1.21.0"  # the pulumi_policy whose Analyze / AnalyzeStack these overrides follow


class _Decoded(NamedTuple):
    props: Mapping[str, Any]
    opts: sdk.PolicyResourceOptions
    provider: sdk.PolicyProviderResource | None


class DecodeOnceServicer(sdk._PolicyAnalyzerServicer):
    """The SDK's analyzer servicer, decoding each resource once per request instead of once per policy."""

    def _sdk_state(self, name: str) -> Any:
        # The SDK keeps its state in name-mangled attributes (`__policies` …); read, never written.
        return getattr(self, f"_PolicyAnalyzerServicer__{name}")

    @property
    def _policies(self) -> list[sdk.Policy]:
        return cast(list[sdk.Policy], self._sdk_state("policies"))

    @property
    def _stack_tags(self) -> Mapping[str, str]:
        return cast(Mapping[str, str], self._sdk_state("stack_tags"))

    def _decode(self, resource: Any) -> _Decoded:
        # Exactly the SDK's decoding of a request's resource (Analyze and AnalyzeStack alike).
        props = unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(resource.properties)))
        return _Decoded(props, self._get_resource_options(resource), self._get_provider_resource(resource))

    def Analyze(self, request: Any, _context: Any) -> proto.AnalyzeResponse:
        self._configure_runtime_settings()  # type: ignore[no-untyped-call]
        response = proto.AnalyzeResponse()
        decoded: _Decoded | None = None
        for policy in self._policies:
            level = self._get_enforcement_level(policy)
            if level == sdk.EnforcementLevel.DISABLED or not isinstance(policy, sdk.ResourceValidationPolicy):
                continue
            if not policy.has_validation():
                # A remediation-only policy (the SDK's reason, verbatim).
                not_applicable = proto.PolicyNotApplicable(
                    policy_name=policy.name, reason="Policy does not implement validate"
                )
                response.not_applicable.append(not_applicable)
                continue
            if level == sdk.EnforcementLevel.REMEDIATE:
                level = sdk.EnforcementLevel.MANDATORY
            report = self._create_report_violation(
                response, policy.name, policy.description, level, policy.severity
            )
            if decoded is None:
                decoded = self._decode(request)
            args = sdk.ResourceValidationArgs(
                request.type,
                decoded.props,
                request.urn,
                request.name,
                decoded.opts,
                decoded.provider,
                self._get_policy_config(policy.name),
                self._stack_tags,
            )
            self._run(policy, functools.partial(policy.validate, args, report), response)
        return response

    def AnalyzeStack(self, request: Any, _context: Any) -> proto.AnalyzeResponse:
        self._configure_runtime_settings()  # type: ignore[no-untyped-call]
        response = proto.AnalyzeResponse()
        resources: list[sdk.PolicyResource] | None = None
        for policy in self._policies:
            level = self._get_enforcement_level(policy)
            if level == sdk.EnforcementLevel.DISABLED or not isinstance(policy, sdk.StackValidationPolicy):
                continue
            if level == sdk.EnforcementLevel.REMEDIATE:
                level = sdk.EnforcementLevel.MANDATORY
            report = self._create_report_violation(
                response, policy.name, policy.description, level, policy.severity
            )
            if resources is None:
                resources = self._stack_resources(request)
            args = sdk.StackValidationArgs(resources, self._get_policy_config(policy.name), self._stack_tags)
            self._run(policy, functools.partial(policy.validate, args, report), response)
        return response

    def _stack_resources(self, request: Any) -> list[sdk.PolicyResource]:
        """The request's resources with parents and dependencies linked, as the SDK builds them."""
        built: list[tuple[sdk.PolicyResource, Any]] = []
        by_urn: dict[str, sdk.PolicyResource] = {}
        for r in request.resources:
            decoded = self._decode(r)
            resource = sdk.PolicyResource(
                r.type, decoded.props, r.urn, r.name, decoded.opts, decoded.provider, None, [], {}
            )
            built.append((resource, r))
            by_urn[resource.urn] = resource
        for resource, r in built:
            if r.parent is not None and r.parent in by_urn:
                resource.parent = by_urn[r.parent]
            resource.dependencies.extend(by_urn[d] for d in r.dependencies if d in by_urn)
            for key, urns in r.propertyDependencies.items():
                resource.property_dependencies[key] = [by_urn[d] for d in urns.urns if d in by_urn]
        return [resource for resource, _ in built]

    def _run(self, policy: sdk.Policy, validate: Callable[[], Any], response: proto.AnalyzeResponse) -> None:
        """Call one policy's validate with the SDK's handling of async rules, unknowns and not-applicable."""
        try:
            result = validate()
            if isawaitable(result):
                loop = asyncio.new_event_loop()
                loop.run_until_complete(asyncio.Task(result, loop=loop))  # type: ignore[arg-type]
                loop.close()
        except UnknownValueError as error:
            name = self._sdk_state("policy_pack_name")
            version = self._sdk_state("policy_pack_version")
            response.diagnostics.append(
                proto.AnalyzeDiagnostic(
                    policyName=policy.name,
                    policyPackName=name,
                    policyPackVersion=version,
                    message=(
                        f"can't run policy '{policy.name}' from policy pack "
                        f"'{name}@v{version}' during preview: {error.message}"
                    ),
                    urn="",
                    description=policy.description,
                    enforcementLevel=self._map_enforcement_level(sdk.EnforcementLevel.ADVISORY),
                )
            )
        except sdk._NotApplicableError as error:
            response.not_applicable.append(
                proto.PolicyNotApplicable(policy_name=policy.name, reason=error.reason or "")
            )


def check_sdk_version(installed: str | None = None) -> None:
    """Refuse to serve with a pulumi_policy other than the one the overrides were ported from."""
    found = installed if installed is not None else metadata.version("pulumi-policy")
    if found != SDK_VERSION:
        raise RuntimeError(
            f"policy/runtime.py follows pulumi_policy {SDK_VERSION}'s servicer, but {found} is installed: "
            f"port DecodeOnceServicer.Analyze/AnalyzeStack to {found} "
            f"(and run tests/policy/test_runtime.py), or pin pulumi-policy=={SDK_VERSION}"
        )


def serve(**pack: Any) -> None:
    """`PolicyPack(**pack)` (which serves forever) with `DecodeOnceServicer` as its servicer."""
    check_sdk_version()
    sdk._PolicyAnalyzerServicer = DecodeOnceServicer  # type: ignore[misc]
    sdk.PolicyPack(**pack)
