"""Shared mocks for the Okta component tests: record every registration, with its resource options.

`run(program)` installs fresh mocks (preview=False, so values the mock does not return are None, not
unknown and silently skipped), runs `program` inside `pulumi.runtime.test` and returns only after
every registration finished, so assertions about sibling resources see all of them.
`RecordingMonitor` sees what the Mocks interface hides: `protect`, the parent URN, dependencies and
which inputs travelled to the engine as secrets (the raw protobuf carries the secret signature).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pulumi
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.rpc import _special_secret_sig, _special_sig_key

T = TypeVar("T")

APP_ID = "saml-app-id"
DEFAULT_USER_TYPE_ID = "oty1defaultuser"
METADATA_URL = "https://acme.okta.com/app/exk1/sso/saml/metadata"
CERTIFICATE = "MIIDpDCCAoygAwIBAgIGAY"


@dataclass(frozen=True)
class Registration:
    type: str
    name: str
    parent: tuple[str, str] | None  # (type, name) of the parent; None for the stack itself
    custom: bool
    protect: bool | None  # None: not set on the resource
    retain_on_delete: bool | None
    dependencies: tuple[str, ...]
    secret_inputs: frozenset[str]
    ignore_changes: tuple[str, ...] = ()


def _split_urn(urn: str) -> tuple[str, str]:
    *_, qualified_type, name = urn.split("::")
    return qualified_type.split("$")[-1], name


def _is_secret(value: Any) -> bool:
    # Read-only lookups: indexing a protobuf map with a missing key would insert it into the request.
    if not value.HasField("struct_value"):
        return False
    signature = value.struct_value.fields.get(_special_sig_key)
    return signature is not None and signature.string_value == _special_secret_sig


class RecordingMonitor(MockMonitor):
    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registrations: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:
        if request.type != "pulumi:pulumi:Stack":
            secret = frozenset(key for key, value in request.object.fields.items() if _is_secret(value))
            parent = _split_urn(request.parent) if request.parent else None
            self.registrations.append(
                Registration(
                    type=request.type,
                    name=request.name,
                    parent=None if parent and parent[0] == "pulumi:pulumi:Stack" else parent,
                    custom=request.custom,
                    protect=request.protect if request.HasField("protect") else None,
                    retain_on_delete=request.retainOnDelete if request.HasField("retainOnDelete") else None,
                    dependencies=tuple(request.dependencies),
                    secret_inputs=secret,
                    ignore_changes=tuple(request.ignoreChanges),
                )
            )
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]  # untyped in the SDK


class OktaMocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []
        self.calls: list[pulumi.runtime.MockCallArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.resources.append(args)
        outputs = dict(args.inputs)  # camelCase engine keys
        if args.typ == "okta:app/saml:Saml":
            outputs |= {"metadataUrl": METADATA_URL, "certificate": CERTIFICATE, "metadata": "<xml/>"}
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        self.calls.append(args)
        if args.token == "okta:user/getUserProfileMappingSource:getUserProfileMappingSource":
            return {"id": DEFAULT_USER_TYPE_ID, "name": "user", "type": "user"}, []
        raise NotImplementedError(f"unmocked invoke {args.token}")  # fail loudly


@dataclass
class Run(Generic[T]):
    result: T
    mocks: OktaMocks
    monitor: RecordingMonitor
    values: dict[str, Any] = field(default_factory=dict)

    def inputs(self, typ: str) -> dict[str, dict[str, Any]]:
        """Logical name -> inputs of every resource of `typ`."""
        return {r.name: r.inputs for r in self.mocks.resources if r.typ == typ}

    def registered(self, typ: str) -> dict[str, Registration]:
        return {r.name: r for r in self.monitor.registrations if r.type == typ}

    def tree(self) -> set[tuple[str, str, tuple[str, str] | None]]:
        """(type, logical name, parent) for every resource: the exact child set."""
        return {(r.type, r.name, r.parent) for r in self.monitor.registrations}


def run(
    program: Callable[[], T], outputs: Callable[[T], dict[str, pulumi.Output[Any]]] | None = None
) -> Run[T]:
    """Build `program` under fresh mocks; `outputs` names Output values to resolve into `Run.values`."""
    mocks = OktaMocks()
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project="frontdoor", stack="test", preview=False, monitor=monitor)
    holder: dict[str, Any] = {}

    @pulumi.runtime.test  # type: ignore[untyped-decorator]  # untyped in the SDK
    def program_under_test() -> pulumi.Output[Any] | None:
        holder["result"] = result = program()
        if outputs is None:
            return None
        named = outputs(result)
        keys = sorted(named)
        return pulumi.Output.all(*(named[k] for k in keys)).apply(
            lambda values: holder.__setitem__("values", dict(zip(keys, values, strict=True)))
        )

    program_under_test()
    return Run(holder["result"], mocks, monitor, holder.get("values", {}))
