"""The offline engine: run the real Pulumi program under the SDK's mocks, answering from an estate.

No CLI, cloud account or Okta tenant: the Pulumi SDK's mock monitor stands in for the engine. Invokes
(Organizations, Identity Center, identity store, caller identity) are answered from a simulated estate
(frontdoor/offline/estate_mocks.py); every registered resource is recorded with its type, name,
parent, inputs (secret-ness kept) and the options that matter, and every read of another stack's
outputs (`pulumi.StackReference`) with what it read. Resource ids and computed outputs are derived
deterministically from the inputs.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import runpy
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.sync_await import _sync_await

from frontdoor.domain import contracts
from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.base.urns import child_urn
from frontdoor.domain.contracts import GrantRecord
from frontdoor.domain.planning.handoff import handing_facts
from frontdoor.domain.planning.pulled import EstateUnknown, PulledFacts
from frontdoor.offline import api_rules
from frontdoor.offline.estate import Estate
from frontdoor.offline.estate_mocks import EstateMocks, unwrap_secrets
from frontdoor.offline.record import RecordedResource

PROJECT = "frontdoor"
# A self-managed backend's organization name (pulumi.get_organization() under it): the program names its
# own stack `<organization>/<project>/<stack>` when it reads its state.
ORGANIZATION = "organization"
PUSH_GROUP = contracts.OKTA_PUSH_GROUP
ASSIGNMENTS_COMPONENT = contracts.ACCOUNT_ASSIGNMENTS


@dataclass(frozen=True)
class StackOutput:
    value: Any
    secret: bool


@dataclass(frozen=True)
class RecordedRead:
    """A resource the program read rather than registered: a StackReference (type, name, URN) and the
    id it read, the referenced stack's name."""

    type: str
    name: str
    urn: str
    id: str

    def as_json(self) -> dict[str, str]:
        return {"type": self.type, "name": self.name, "urn": self.urn, "id": self.id}


@dataclass
class ProgramRun:
    """What one run of a program registered, read and exported."""

    stack: str
    resources: list[RecordedResource]
    outputs: dict[str, StackOutput]
    warnings: list[str]
    deferred: list[str]
    invokes: list[str] = field(default_factory=list)
    reads: list[RecordedRead] = field(default_factory=list)

    def by_type(self, type_token: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_token]

    def counts_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for resource in self.resources:
            counts[resource.type] = counts.get(resource.type, 0) + 1
        return dict(sorted(counts.items()))


def _alias_text(alias: Any) -> str:
    if alias.urn:
        return str(alias.urn)
    spec = alias.spec
    return f"name={spec.name} type={spec.type} parent={spec.parentUrn or ('<root>' if spec.noParent else '')}"


class DuplicateUrn(RuntimeError):
    """Two registrations of one URN: the real engine fails the update with this message."""

    def __init__(self, urn: str) -> None:
        super().__init__(
            f"Duplicate resource URN '{urn}'; try giving it a unique name (a resource, or a whole "
            "stack such as `main()` and `with stack():` together in __main__.py, registered twice)"
        )
        self.urn = urn


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The SDK's mock monitor, also keeping each registration's options, parent and secret inputs."""

    def __init__(self, mocks: pulumi.runtime.Mocks, api_context: api_rules.Context | None = None) -> None:
        super().__init__(mocks)
        self.records: list[RecordedResource] = []
        self.reads: list[RecordedRead] = []
        self._lock = threading.Lock()
        self._urns: set[str] = set()
        self.duplicates: list[str] = []
        # The real APIs' rules (frontdoor/offline/api_rules.py), judged as each resource registers.
        self.api_context = api_context
        self.api_violations: list[api_rules.Violation] = []

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The URN the Pulumi engine writes (pkg/resource/deploy/deployment.go `generateURN`): the
        parent's whole qualified type, `Grandparent$Parent$Child`, unless the parent is the root Stack,
        which qualifies nothing. The SDK's mock monitor keeps only the parent's own type
        (`Parent$Child`), so its URNs of nested components matched nothing a real `pulumi preview
        --json`, the gate, drift-triage or `pulumi import` sees."""
        stack_project = f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}"
        return child_urn(stack_project, parent, type_, name)

    def ReadResource(self, request: Any) -> Any:
        # A read is not a registration: it is kept apart from the records (the pack is not given it; what
        # the real engine hands analyzers for reads is not verified here) and reported beside them.
        response = super().ReadResource(request)  # type: ignore[no-untyped-call]
        read = RecordedRead(type=request.type, name=request.name, urn=response.urn, id=request.id)
        with self._lock:
            self.reads.append(read)
        return response

    def RegisterResource(self, request: Any) -> Any:
        if request.type != "pulumi:pulumi:Stack":
            urn = self.make_urn(request.parent, request.type, request.name)
            with self._lock:
                if urn in self._urns:
                    # The real engine refuses a second registration of one URN; the SDK's mock
                    # monitor would silently overwrite the first. Noted here, raised when the program
                    # has finished (raising inside the SDK's futures leaves them unretrieved).
                    self.duplicates.append(urn)
                self._urns.add(urn)
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type == "pulumi:pulumi:Stack":
            return response
        registration = self.resources.get(response.urn)
        outputs, _ = unwrap_secrets(dict(registration.state)) if registration else ({}, False)
        raw = rpc.deserialize_properties(request.object)
        inputs: dict[str, Any] = {}
        secrets: set[str] = set()
        for key, value in raw.items():
            inputs[key], secret = unwrap_secrets(value)
            if secret:
                secrets.add(key)
        record = RecordedResource(
            type=request.type,
            name=request.name,
            urn=response.urn,
            custom=bool(request.custom),
            parent_urn=request.parent,
            inputs=inputs,
            secret_inputs=frozenset(secrets),
            protect=bool(request.protect),
            delete_before_replace=bool(request.deleteBeforeReplace),
            retain_on_delete=bool(request.retainOnDelete),
            aliases=tuple(_alias_text(alias) for alias in request.aliases),
            provider=request.provider,
            dependencies=tuple(request.dependencies),
            property_dependencies={k: tuple(v.urns) for k, v in request.propertyDependencies.items()},
            ignore_changes=tuple(request.ignoreChanges),
            additional_secret_outputs=tuple(request.additionalSecretOutputs),
            id=str(registration.id or "") if registration else "",
            outputs=outputs,
        )
        with self._lock:
            self.records.append(record)
            if self.api_context is not None:
                self.api_violations.extend(api_rules.check(record, self.api_context, request.importId))
        return response


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _config_strings(values: Mapping[str, Any]) -> dict[str, str]:
    """Pulumi passes structured config to programs as JSON strings, plain strings as they are."""
    return {key: value if isinstance(value, str) else json.dumps(value) for key, value in values.items()}


@contextlib.contextmanager
def _program_path(program_dir: Path) -> Iterator[None]:
    sys.path.insert(0, str(program_dir))
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(str(program_dir))


def run_program(
    program_dir: Path,
    *,
    stack: str,
    config: Mapping[str, Any],
    estate: Estate,
    secret_keys: tuple[str, ...] = (),
    project: str = PROJECT,
    unknown_ids: bool = False,
) -> ProgramRun:
    """Run `program_dir/__main__.py` under mocks and return everything it registered.

    `config` holds namespaced keys as in the stack file (`frontdoor:teams`, `aws:region`, …).
    ConfigError raised by the program propagates unchanged: the caller reports it with exit 2.
    With `unknown_ids`, every resource the program creates (not imports) gets an unknown id and unknown
    computed outputs, as in a `pulumi preview` of a stack that does not exist yet; by default the engine
    derives them (EstateMocks), so the report and the access report can name what was planned.
    """
    mocks = EstateMocks(estate, config, unknown_ids=unknown_ids)
    monitor = RecordingMonitor(mocks, api_rules.Context(estate, config))
    collector = _WarningCollector()
    logger = logging.getLogger(f"frontdoor.offline.engine.{stack}")
    logger.handlers = [collector]
    logger.propagate = False
    pulumi.runtime.set_all_config(_config_strings(config), list(secret_keys))
    pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]  # a fresh Stack per run
    # Preview semantics, as `pulumi preview`: an output the mocks do not answer is unknown (not None),
    # `apply` does not run on it, and an input built from it reaches the pack as the engine's unknown
    # sentinel, so rules defer on it rather than judging "None". The mocks answer every output the
    # frontdoor program reads, so its plan is the same as with preview=False.
    pulumi.runtime.set_mocks(
        mocks,
        project=project,
        stack=stack,
        preview=True,
        logger=logger,
        monitor=monitor,
        organization=ORGANIZATION,
    )
    root = pulumi_settings.get_root_resource()

    @pulumi.runtime.test  # type: ignore[untyped-decorator]  # SDK decorator: waits for every registration
    def program() -> None:
        with _program_path(program_dir):
            runpy.run_path(str(program_dir / "__main__.py"), run_name="__main__")

    thresholds = gc.get_threshold()
    try:
        # The facts the program takes from its estate file rather than a data source: this estate's.
        with handing_facts(PulledFacts(estate.source, estate.config_recording)):
            program()
    except ConfigError as error:
        # Raised by the program itself (prevalidation already passed): say how far it got.
        error.registered = len(monitor.records)
        error.program_file = str(program_dir / "__main__.py")
        raise
    finally:
        # Under the CLI the program has a process of its own; here many run in one, so the collector
        # settings the program changed (frontdoor.program.tune_garbage_collection) are put back.
        gc.unfreeze()
        gc.set_threshold(*thresholds)
    if monitor.duplicates:
        raise DuplicateUrn(monitor.duplicates[0])
    unknowns = monitor.api_context.unknowns if monitor.api_context else {}
    if unknowns:
        # A rule needed a fact the estate does not hold: stop naming it (exit 2), judge nothing as fine.
        raise EstateUnknown([issue for unknown in unknowns.values() for issue in unknown.issues])
    if monitor.api_violations:
        raise api_rules.ApiRulesViolated(monitor.api_violations)
    outputs = _resolve_outputs(getattr(root, "outputs", {}))
    # Warnings arrive from the SDK's log calls asynchronously: sorted, so every output is stable.
    deferred = _deferred(monitor.records, estate)
    # Engine rule 7, judged on the completed run: a deployed stack never shrinks because of an observation.
    shrunk = api_rules.stage_gate_only_fresh(estate.deployed, outputs, deferred, f"{project}-{stack}")
    if shrunk:
        raise api_rules.ApiRulesViolated(shrunk)
    reads = sorted(monitor.reads, key=lambda read: read.urn)
    return ProgramRun(
        stack, list(monitor.records), outputs, sorted(collector.messages), deferred, mocks.invokes, reads
    )


def _deferred(records: list[RecordedResource], estate: Estate) -> list[str]:
    """Groups whose assignments wait for SCIM. For a frontdoor program, its own verdict (the
    AccountAssignments components carry `deferred`, frontdoor/domain/planning/plan.py `is_deferred`: an
    expired grant is never deferred); for any other program, every pushed group not synced yet."""
    flagged = [r for r in records if r.type == ASSIGNMENTS_COMPONENT]
    if flagged:
        grants = [GrantRecord.from_inputs(r.inputs) for r in flagged]
        return sorted({str(grant.group) for grant in grants if grant.deferred})
    pushed = {str(r.inputs.get("targetGroupName") or r.name) for r in records if r.type == PUSH_GROUP}
    synced = estate.synced_groups or {}
    return sorted(name for name in pushed if name not in synced)


def _resolve_outputs(outputs: Mapping[str, Any]) -> dict[str, StackOutput]:
    resolved: dict[str, StackOutput] = {}
    for name, value in outputs.items():
        output = pulumi.Output.from_input(value)

        async def settle(output: pulumi.Output[Any] = output) -> tuple[Any, bool]:
            return await output.future(), await output.is_secret()

        settled, secret = _sync_await(settle())
        resolved[name] = StackOutput(settled, bool(secret))
    return dict(sorted(resolved.items()))


__all__ = [
    "ConfigError",
    "EstateMocks",
    "ProgramRun",
    "RecordedRead",
    "RecordingMonitor",
    "StackOutput",
    "run_program",
]
