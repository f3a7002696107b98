"""Recording mocks for component tests: every registration with its inputs AND its options.

`MockMonitor.RegisterResource` sees the raw request, so a subclass records what `Mocks.new_resource`
never gets: parent, provider, protect and dependencies. Invokes are answered from a small estate
(one Identity Center instance, a list of synced groups); an unmocked invoke fails loudly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pulumi
import pytest
from pulumi.runtime.mocks import MockMonitor

INSTANCE_ARN = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
IDENTITY_STORE_ID = "d-1234567890"
MANAGEMENT_ACCOUNT = "111111111111"
IDENTITY_CENTER_ACCOUNT = "222222222222"
STACK_TYPE = "pulumi:pulumi:Stack"

T = TypeVar("T")


@dataclass(frozen=True)
class Registration:
    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    provider: str
    protect: bool
    dependencies: tuple[str, ...]
    delete_before_replace: bool = False


def urn_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.instances: dict[str, Any] = {"arns": [INSTANCE_ARN], "identityStoreIds": [IDENTITY_STORE_ID]}
        self.groups: list[dict[str, Any]] = []
        self.calls: list[pulumi.runtime.MockCallArgs] = []
        # Resource name -> the id of its `import` resource option, for resources adopted, not created.
        self.imports: dict[str, str] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        if args.resource_id:
            self.imports[args.name] = args.resource_id
        outputs = dict(args.inputs)
        if args.typ == "aws:ssoadmin/permissionSet:PermissionSet":
            outputs["arn"] = f"arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-{args.name}"
        return f"{args.name}-id", outputs

    # The SDK accepts a bare dict (no check failures) although its annotation only names the tuple form.
    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        self.calls.append(args)
        if args.token == "aws:ssoadmin/getInstances:getInstances":
            return dict(self.instances)
        if args.token == "aws:identitystore/getGroups:getGroups":
            return {"identityStoreId": args.args["identityStoreId"], "groups": list(self.groups)}
        raise NotImplementedError(args.token)


class RecordingMonitor(MockMonitor):
    def __init__(self, mocks: RecordingMocks) -> None:
        super().__init__(mocks)
        self.registrations: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type != STACK_TYPE:
            self.registrations.append(
                Registration(
                    type=request.type,
                    name=request.name,
                    urn=response.urn,
                    parent=request.parent,
                    custom=request.custom,
                    inputs=pulumi.runtime.rpc.deserialize_properties(request.object),
                    provider=request.provider,
                    protect=request.protect,
                    dependencies=tuple(request.dependencies),
                    delete_before_replace=bool(request.deleteBeforeReplace),
                )
            )
        return response


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Recorder:
    mocks: RecordingMocks
    monitor: RecordingMonitor
    log: _ListHandler
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def registrations(self) -> list[Registration]:
        return self.monitor.registrations

    def run(self, program: Callable[[], T]) -> T:
        """Run `program` under the mocks and return its result once EVERY registration finished."""
        holder: list[T] = []

        @pulumi.runtime.test  # type: ignore[untyped-decorator]
        def _program() -> None:
            holder.append(program())

        _program()
        return holder[0]

    def of_type(self, type_: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == type_]

    def one(self, type_: str) -> Registration:
        (found,) = self.of_type(type_)
        return found

    def by_name(self, name: str) -> Registration:
        (found,) = [r for r in self.registrations if r.name == name]
        return found

    def children_of(self, parent: Registration) -> set[tuple[str, str]]:
        return {(r.type, r.name) for r in self.registrations if r.parent == parent.urn}

    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.log.records if r.levelno == logging.WARNING]


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    mocks = RecordingMocks()
    monitor = RecordingMonitor(mocks)
    logger = logging.getLogger(f"frontdoor.tests.{id(mocks)}")
    logger.propagate = False
    handler = _ListHandler()
    logger.addHandler(handler)
    # preview=False: values the mocks do not return are None, not unknown, so nothing is skipped.
    pulumi.runtime.set_mocks(
        mocks, project="frontdoor", stack="test", preview=False, logger=logger, monitor=monitor
    )
    yield Recorder(mocks, monitor, handler)
    logger.removeHandler(handler)


def organization_config(**overrides: Any) -> Any:
    from frontdoor.domain.model.organization import OrganizationConfig

    values: dict[str, Any] = {
        "management_account_id": MANAGEMENT_ACCOUNT,
        "identity_center_account_id": IDENTITY_CENTER_ACCOUNT,
        "region": "eu-west-1",
        "identity_center_role_arn": f"arn:aws:iam::{IDENTITY_CENTER_ACCOUNT}:role/frontdoor-deploy",
    }
    values.update(overrides)
    return OrganizationConfig(**values)


def make_providers() -> Any:
    """The two explicit providers, built the way the program builds them (call inside `run`)."""
    from components.providers import aws_providers

    return aws_providers(organization_config())


def provider_ref(recorder: Recorder, name: str) -> str:
    """The `urn::id` reference children carry for the provider registered under `name`."""
    provider = recorder.by_name(name)
    return f"{provider.urn}::{name}-id"
