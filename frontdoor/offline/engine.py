"""The offline engine: run the real Pulumi program under the SDK's mocks, answering from an estate.

No CLI, cloud account or Okta tenant: the Pulumi SDK's mock monitor stands in for the engine. Invokes
(Organizations, Identity Center, identity store, caller identity) are answered from a simulated estate;
every registered resource is recorded with its type, name, parent, inputs (secret-ness kept) and the
options that matter. Resource ids and computed outputs are derived deterministically from the inputs.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
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
from frontdoor.offline import api_rules
from frontdoor.offline.estate import Estate
from frontdoor.offline.record import RecordedResource

PROJECT = "frontdoor"
REPO_ROOT = Path(__file__).resolve().parents[2]
PUSH_GROUP = contracts.OKTA_PUSH_GROUP
ASSIGNMENTS_COMPONENT = contracts.ACCOUNT_ASSIGNMENTS
STACK_TYPE = "pulumi:pulumi:Stack"
_SECRET_SIG = rpc._special_secret_sig  # the marker the SDK wraps secret values in
_SIG_KEY = rpc._special_sig_key


class UnansweredInvoke(RuntimeError):
    """The program called a data source the estate cannot answer: fail loudly, never guess."""


@dataclass(frozen=True)
class StackOutput:
    value: Any
    secret: bool


@dataclass
class ProgramRun:
    """What one run of a program registered and exported."""

    stack: str
    resources: list[RecordedResource]
    outputs: dict[str, StackOutput]
    warnings: list[str]
    deferred: list[str]
    invokes: list[str] = field(default_factory=list)

    def by_type(self, type_token: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_token]

    def counts_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for resource in self.resources:
            counts[resource.type] = counts.get(resource.type, 0) + 1
        return dict(sorted(counts.items()))


def _unwrap(value: Any) -> tuple[Any, bool]:
    """A deserialized input with the SDK's secret wrappers removed, and whether any was found."""
    if isinstance(value, dict):
        if value.get(_SIG_KEY) == _SECRET_SIG:
            inner, _ = _unwrap(value.get("value"))
            return inner, True
        found = False
        out: dict[str, Any] = {}
        for key, item in value.items():
            out[key], secret = _unwrap(item)
            found = found or secret
        return out, found
    if isinstance(value, list):
        items = [_unwrap(item) for item in value]
        return [item for item, _ in items], any(secret for _, secret in items)
    return value, False


def _alias_text(alias: Any) -> str:
    if alias.urn:
        return str(alias.urn)
    spec = alias.spec
    return f"name={spec.name} type={spec.type} parent={spec.parentUrn or ('<root>' if spec.noParent else '')}"


class EstateMocks(pulumi.runtime.Mocks):
    """Answers the program's invokes from an estate; derives ids and outputs of new resources."""

    def __init__(self, estate: Estate, config: Mapping[str, Any] | None = None) -> None:
        self.estate = estate
        self.config = config or {}
        self.invokes: list[str] = []
        self._accounts = estate.all_accounts()
        self._children = estate.ou_children()

    # --- invokes -----------------------------------------------------------------------------
    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        self.invokes.append(args.token)
        answer = self._answers().get(args.token)
        if answer is None:
            raise UnansweredInvoke(
                f"the offline engine has no answer for invoke {args.token}; add it to "
                "frontdoor/offline/engine.py EstateMocks or avoid the data source"
            )
        result: dict[str, Any] = answer(dict(args.args))
        return result

    def _answers(self) -> dict[str, Any]:
        return {
            "aws:organizations/getOrganization:getOrganization": self._organization,
            "aws:organizations/getOrganizationalUnits:getOrganizationalUnits": self._ous,
            "aws:organizations/getOrganizationalUnitChildAccounts:getOrganizationalUnitChildAccounts": (
                self._child_accounts
            ),
            "aws:organizations/getOrganizationalUnitDescendantAccounts:"
            "getOrganizationalUnitDescendantAccounts": self._descendant_accounts,
            "aws:organizations/getDelegatedAdministrators:getDelegatedAdministrators": self._delegated,
            "aws:ssoadmin/getInstances:getInstances": self._instances,
            "aws:identitystore/getGroups:getGroups": self._groups,
            "aws:identitystore/getGroup:getGroup": self._group,
            "aws:index/getCallerIdentity:getCallerIdentity": self._caller,
            "okta:user/getUserProfileMappingSource:getUserProfileMappingSource": self._okta_user_type,
        }

    def _okta_user_type(self, _: dict[str, Any]) -> dict[str, Any]:
        # The Okta org's default user type: the source of the Okta user -> app user profile mapping.
        return {"id": "oty1defaultuser00000", "name": "user", "type": "user"}

    def _account(self, account: Any) -> dict[str, Any]:
        org = self.estate.organization
        return {
            "id": account.id,
            "name": account.name,
            "arn": f"arn:aws:organizations::{org.management_account.id}:account/{org.id}/{account.id}",
            "email": account.email or f"{account.name}@example.invalid",
            "state": account.state,
            "status": "SUSPENDED" if account.state != "ACTIVE" else "ACTIVE",
            "joinedMethod": "CREATED",
            "joinedTimestamp": "2024-01-01T00:00:00Z",
        }

    def _organization(self, _: dict[str, Any]) -> dict[str, Any]:
        org = self.estate.organization
        management = org.management_account
        accounts = [self._account(account) for account, _ in self._accounts]
        return {
            "id": org.id,
            "arn": f"arn:aws:organizations::{management.id}:organization/{org.id}",
            "featureSet": "ALL",
            "masterAccountId": management.id,
            "masterAccountArn": f"arn:aws:organizations::{management.id}:account/{org.id}/{management.id}",
            "masterAccountEmail": management.email or "",
            "masterAccountName": management.name,
            "accounts": accounts,
            "nonMasterAccounts": [a for a in accounts if a["id"] != management.id],
            "awsServiceAccessPrincipals": sorted(org.aws_service_access_principals),
            "enabledPolicyTypes": ["SERVICE_CONTROL_POLICY"],
            "roots": [
                {
                    "id": org.root_id,
                    "name": "Root",
                    "arn": f"arn:aws:organizations::{management.id}:root/{org.id}/{org.root_id}",
                    "policyTypes": [{"status": "ENABLED", "type": "SERVICE_CONTROL_POLICY"}],
                }
            ],
        }

    def _ous(self, args: dict[str, Any]) -> dict[str, Any]:
        parent = str(args.get("parentId"))
        if parent not in self._children:
            raise UnansweredInvoke(f"getOrganizationalUnits: no OU or root {parent!r} in the estate")
        org = self.estate.organization
        return {
            "id": parent,
            "parentId": parent,
            "children": [
                {
                    "id": ou.id,
                    "name": ou.name,
                    "arn": f"arn:aws:organizations::{org.management_account.id}:ou/{org.id}/{ou.id}",
                }
                for ou in self._children[parent]
            ],
        }

    def _child_accounts(self, args: dict[str, Any]) -> dict[str, Any]:
        parent = str(args.get("parentId"))
        return {
            "id": parent,
            "parentId": parent,
            "accounts": [self._account(a) for a, parent_id in self._accounts if parent_id == parent],
        }

    def _descendant_accounts(self, args: dict[str, Any]) -> dict[str, Any]:
        parent = str(args.get("parentId"))
        wanted = {parent}
        frontier = [parent]
        while frontier:
            for ou in self._children.get(frontier.pop(), []):
                wanted.add(ou.id)
                frontier.append(ou.id)
        return {
            "id": parent,
            "parentId": parent,
            "accounts": [self._account(a) for a, parent_id in self._accounts if parent_id in wanted],
        }

    def _delegated(self, args: dict[str, Any]) -> dict[str, Any]:
        principal = str(args.get("servicePrincipal") or "")
        accounts = api_rules.delegated_administrators(self.estate, self.config).get(principal, [])
        known = {account.id: account for account, _ in self._accounts}
        return {
            "id": principal,
            "servicePrincipal": principal,
            "delegatedAdministrators": [
                {
                    **self._account(known[account_id]),
                    "delegationEnabledDate": "2024-01-01T00:00:00Z",
                }
                for account_id in accounts
                if account_id in known
            ],
        }

    def _instances(self, _: dict[str, Any]) -> dict[str, Any]:
        center = self.estate.identity_center
        if not api_rules.identity_center_readable(self.estate, self.config):
            # sso-admin ListInstances from an account that is not the delegated administrator: empty.
            return {"id": center.region, "region": center.region, "arns": [], "identityStoreIds": []}
        return {
            "id": center.region,
            "region": center.region,
            "arns": [center.instance_arn],
            "identityStoreIds": [center.identity_store_id],
        }

    def _group_record(self, name: str, group_id: str) -> dict[str, Any]:
        return {
            "groupId": group_id,
            "displayName": name,
            "description": "synced by SCIM from Okta",
            "externalIds": [{"id": f"okta-{group_id[-12:]}", "issuer": "okta"}],
            "identityStoreId": self.estate.identity_center.identity_store_id,
        }

    def _groups(self, _: dict[str, Any]) -> dict[str, Any]:
        store = self.estate.identity_center.identity_store_id
        groups = [self._group_record(n, g) for n, g in sorted(self.estate.synced_groups.items())]
        return {"id": store, "identityStoreId": store, "groups": groups}

    def _group(self, args: dict[str, Any]) -> dict[str, Any]:
        identifier = args.get("alternateIdentifier") or {}
        unique = identifier.get("uniqueAttribute") or identifier.get("unique_attribute") or {}
        name = unique.get("attributeValue") or unique.get("attribute_value")
        group_id = self.estate.synced_groups.get(str(name))
        if group_id is None:
            raise UnansweredInvoke(
                f"getGroup: no Identity Center group named {name!r} has been synced by SCIM"
            )
        record = self._group_record(str(name), group_id)
        record["id"] = group_id
        return record

    def _caller(self, _: dict[str, Any]) -> dict[str, Any]:
        account = self.estate.organization.management_account.id
        return {
            "id": account,
            "accountId": account,
            "arn": f"arn:aws:sts::{account}:assumed-role/frontdoor-deploy/offline",
            "userId": "AROAOFFLINE:offline",
        }

    # --- resources ---------------------------------------------------------------------------
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        inputs, _ = _unwrap(dict(args.inputs))
        state = dict(args.inputs)
        resource_id = f"{args.name}-id"
        if args.typ == "aws:ssoadmin/permissionSet:PermissionSet":
            instance = str(inputs.get("instanceArn", "")).rsplit("/", 1)[-1]
            state["arn"] = f"arn:aws:sso:::permissionSet/{instance}/ps-{_digest(args.name)[:16]}"
        elif args.typ == "aws:organizations/policy:Policy":
            resource_id = f"p-{_digest(args.name)[:8]}"
            state["arn"] = f"arn:aws:organizations::policy/{resource_id}"
        elif args.typ.startswith("okta:"):
            resource_id = f"0oa{_digest(args.typ + args.name)[:17]}"
            if args.typ == "okta:app/saml:Saml":
                state["metadataUrl"] = (
                    f"https://{self.estate.organization.id}.okta.invalid/app/{resource_id}/sso/saml/metadata"
                )
                state["entityUrl"] = f"http://www.okta.com/{resource_id}"
                state["certificate"] = "MIIC-offline-certificate"
        state["id"] = resource_id
        return resource_id, state


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


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
        self._lock = threading.Lock()
        self._urns: set[str] = set()
        self.duplicates: list[str] = []
        # The real APIs' rules (frontdoor/offline/api_rules.py), judged as each resource registers.
        self.api_context = api_context
        self.api_violations: list[api_rules.Violation] = []

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # The real engine does not qualify top-level types with the root Stack's type; the SDK's mock
        # monitor does. Matching the engine keeps URNs comparable with `pulumi preview --json`.
        if parent.split("::")[2:3] == [STACK_TYPE]:
            parent = ""
        return str(super().make_urn(parent, type_, name))

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
        outputs, _ = _unwrap(dict(registration.state)) if registration else ({}, False)
        raw = rpc.deserialize_properties(request.object)
        inputs: dict[str, Any] = {}
        secrets: set[str] = set()
        for key, value in raw.items():
            inputs[key], secret = _unwrap(value)
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
) -> ProgramRun:
    """Run `program_dir/__main__.py` under mocks and return everything it registered.

    `config` holds namespaced keys as in the stack file (`frontdoor:teams`, `aws:region`, …).
    ConfigError raised by the program propagates unchanged: the caller reports it with exit 2.
    """
    mocks = EstateMocks(estate, config)
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
        mocks, project=project, stack=stack, preview=True, logger=logger, monitor=monitor
    )
    root = pulumi_settings.get_root_resource()

    @pulumi.runtime.test  # type: ignore[untyped-decorator]  # SDK decorator: waits for every registration
    def program() -> None:
        with _program_path(program_dir):
            runpy.run_path(str(program_dir / "__main__.py"), run_name="__main__")

    thresholds = gc.get_threshold()
    try:
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
    if monitor.api_violations:
        raise api_rules.ApiRulesViolated(monitor.api_violations)
    outputs = _resolve_outputs(getattr(root, "outputs", {}))
    # Warnings arrive from the SDK's log calls asynchronously: sorted, so every output is stable.
    deferred = _deferred(monitor.records, estate)
    return ProgramRun(
        stack, list(monitor.records), outputs, sorted(collector.messages), deferred, mocks.invokes
    )


def _deferred(records: list[RecordedResource], estate: Estate) -> list[str]:
    """Groups whose assignments wait for SCIM. For a frontdoor program, its own verdict (the
    AccountAssignments components carry `deferred`, frontdoor/domain/planning/plan.py `is_deferred`: an
    expired grant is never deferred); for any other program, every pushed group not synced yet."""
    flagged = [r for r in records if r.type == ASSIGNMENTS_COMPONENT]
    if flagged:
        return sorted({str(r.inputs.get("group")) for r in flagged if r.inputs.get("deferred")})
    pushed = {str(r.inputs.get("targetGroupName") or r.name) for r in records if r.type == PUSH_GROUP}
    return sorted(name for name in pushed if name not in estate.synced_groups)


def _resolve_outputs(outputs: Mapping[str, Any]) -> dict[str, StackOutput]:
    resolved: dict[str, StackOutput] = {}
    for name, value in outputs.items():
        output = pulumi.Output.from_input(value)

        async def settle(output: pulumi.Output[Any] = output) -> tuple[Any, bool]:
            return await output.future(), await output.is_secret()

        settled, secret = _sync_await(settle())
        resolved[name] = StackOutput(settled, bool(secret))
    return dict(sorted(resolved.items()))


__all__ = ["ConfigError", "EstateMocks", "ProgramRun", "RecordingMonitor", "StackOutput", "run_program"]
