"""Drive the CrossGuard pack offline, exactly as the Pulumi CLI does, over the Analyzer gRPC protocol.

The pack (`policy/`) runs as its own process, started the way the CLI's Python analyzer shim starts
it (`python -u -m pulumi.policy <engine> <pack dir>`); it prints its port and serves. This client
then calls `GetAnalyzerInfo`, `Configure` (every policy, with its enforcement level and properties
reconciled like the CLI's `ReconcilePolicyPackConfig`: schema defaults, then the given config),
`Analyze` once per resource and `AnalyzeStack` once with all of them, and stops the process.

Analyze calls are pipelined as gRPC futures over one channel (a bounded window keeps memory flat):
the pack server is one Python process with 4 worker threads, so a window overlaps our
serialization with its evaluation and saves a round trip per resource.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import importlib
import importlib.util
import os
import selectors
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO, Any, cast

import grpc
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.output import Unknown
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from frontdoor.offline.record import RecordedResource, Violation

DEFAULT_PACK_DIR = Path(__file__).resolve().parents[2] / "policy"
STARTUP_TIMEOUT_SECONDS = 30.0
CALL_TIMEOUT_SECONDS = 120.0
ANALYZE_WINDOW = 256  # Analyze calls in flight at once (see _analyze_resources)

SCIM_POLICY = "scim-token-expiry"
SCIM_PROVISIONING = "frontdoor:okta:ScimProvisioning"
SAML_POLICY = "saml-certificate-expiry"
OKTA_SAML_APP = "okta:app/saml:Saml"
SAML_APP_COMPONENT = "frontdoor:okta:IdentityCenterSamlApp"

# The engine's wire encoding of a secret and of an unknown value (pulumi sdk/go/common/resource).
SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

_LEVEL_NAMES = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.REMEDIATE: "remediate",
    analyzer_pb2.DISABLED: "disabled",
}
_LEVELS = {name: value for value, name in _LEVEL_NAMES.items()}
_GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.max_send_message_length", 400 * 1024 * 1024),
]


class AnalyzerError(RuntimeError):
    """The pack could not be started or answered with an error; carries the pack's stderr."""


@dataclass(frozen=True)
class PolicyInfo:
    """One policy as the pack describes it, with the enforcement level it was configured at."""

    name: str
    enforcement: str
    description: str
    kind: str  # "resource" | "stack"


@dataclass(frozen=True)
class AnalysisResult:
    pack_name: str
    pack_version: str
    policies: tuple[PolicyInfo, ...]
    violations: tuple[Violation, ...]
    # Notes about how the pack was run (e.g. the level derived for scim-token-expiry) and, per
    # policy, why it was not applicable.
    diagnostics: tuple[str, ...] = ()

    @property
    def mandatory(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.enforcement == "mandatory")


def analyze(
    resources: Sequence[RecordedResource],
    *,
    pack_dir: Path | None = None,
    config: Mapping[str, Any] | None = None,
    shards: int | None = None,
    packs: Sequence[PackProcess] | None = None,
) -> AnalysisResult:
    """Run the policy pack over the recorded resources as `pulumi preview --policy-pack` would.

    `config` maps a policy id (or "all") to an enforcement level string, or to a dict of properties
    that may include "enforcementLevel". Unknown policy ids and levels raise ValueError. `shards`
    pack processes share the work (default: 2 for stacks of 2,000 resources or more on 2+ cores).
    `packs`, already started by the caller (see `start_packs`), are used instead, all of them; the
    caller closes them.
    """
    if packs:
        ready = [pack.connect() for pack in packs]
        if len(ready) == 1:
            return ready[0].analyze(resources, config or {})
        return analyze_sharded(ready, resources, config or {})
    count = default_shards(len(resources)) if shards is None else shards
    with contextlib.ExitStack() as stack:
        started = [stack.enter_context(PackProcess(pack_dir or DEFAULT_PACK_DIR)) for _ in range(count)]
        return analyze(resources, config=config, packs=started)


def start_packs(stack: contextlib.ExitStack, count: int, pack_dir: Path | None = None) -> list[PackProcess]:
    """Launch `count` pack processes now, closed with `stack`; connect to them later via `analyze`.

    The Pulumi CLI starts its analyzers before it runs the program; `frontdoor preview` does the same,
    so the packs' interpreter start and imports overlap the program instead of following it.
    """
    packs = [PackProcess(pack_dir or DEFAULT_PACK_DIR) for _ in range(count)]
    for pack in packs:
        stack.callback(pack.close)
        pack.start()
    return packs


SHARD_THRESHOLD = 2_000  # below this, a second pack started on demand costs more than it saves


def default_shards(resource_count: int) -> int:
    """Packs started on demand: one per core (at most 2) for large stacks; the pack is CPU-bound."""
    return min(2, os.cpu_count() or 1) if resource_count >= SHARD_THRESHOLD else 1


def preview_shards() -> int:
    """Packs `frontdoor preview` starts before the program: one per core, at most 2.

    Their start overlaps the program, so even a small stack gains from the second one (the
    per-resource Analyze round trips split between them).
    """
    return min(2, os.cpu_count() or 1)


def analyze_sharded(
    packs: Sequence[PackProcess], resources: Sequence[RecordedResource], config: Mapping[str, Any]
) -> AnalysisResult:
    """The same analysis spread over several pack processes, with the same result as one.

    The first process runs every stack policy (its AnalyzeStack decodes the stack once however many
    stack policies run, so splitting them would decode it in every process); the others run the same
    configuration with the stack policies disabled. Resources go to whichever process is free: each
    shard's thread takes the next resource from one shared counter, so the process busy with
    AnalyzeStack simply takes fewer Analyze calls. Violations come back in the single-process order:
    resources in input order, then stack policies in the pack's order.
    """
    lead = packs[0]
    info = lead.analyzer_info()
    reconciled, notes = reconcile_config(info, config, resources, lead.pack_dir)
    stack_names = {p.name for p in info.policies if p.policy_type == analyzer_pb2.POLICY_TYPE_STACK}
    for index, pack in enumerate(packs):
        pack.configure(
            {
                name: ("disabled" if index > 0 and name in stack_names else level, properties)
                for name, (level, properties) in reconciled.items()
            }
        )
    descriptions = {p.name: p.description for p in info.policies}
    positions = _SharedPositions(len(resources))

    def run(index: int) -> tuple[list[tuple[int, list[Violation]]], set[tuple[str, str]], list[Violation]]:
        # Responses are read here, in the shard's thread, while the packs are still working.
        pack = packs[index]
        whole_stack = pack.analyze_stack_future(resources) if index == 0 else None
        found: list[tuple[int, list[Violation]]] = []
        skipped: set[tuple[str, str]] = set()
        for position, response in pack._analyze_resources(resources, positions):
            if response.diagnostics:
                found.append(
                    (position, list(_violations(response, descriptions, default_urn=resources[position].urn)))
                )
            skipped.update(_not_applicable(response))
        stack_found: list[Violation] = []
        if whole_stack is not None:
            stack_response = whole_stack()
            stack_found.extend(_violations(stack_response, descriptions, default_urn=""))
            skipped.update(_not_applicable(stack_response))
        return found, skipped, stack_found

    with ThreadPoolExecutor(max_workers=len(packs)) as pool:
        outcomes = list(pool.map(run, range(len(packs))))
    violations: list[Violation] = []
    per_resource = (item for shard_found, _, _ in outcomes for item in shard_found)
    for _, found in sorted(per_resource, key=lambda item: item[0]):
        violations.extend(found)
    for _, _, stack_found in outcomes:
        violations.extend(stack_found)
    not_applicable = {item for _, skipped, _ in outcomes for item in skipped}
    notes.append(f"analysed by {len(packs)} pack processes")
    notes.extend(
        f"{name}: not applicable ({reason or 'no reason given'})" for name, reason in sorted(not_applicable)
    )
    return _result(info, reconciled, lead.pack_dir, violations, notes)


def _result(
    info: analyzer_pb2.AnalyzerInfo,
    reconciled: Mapping[str, tuple[str, Mapping[str, Any]]],
    pack_dir: Path,
    violations: list[Violation],
    notes: list[str],
) -> AnalysisResult:
    policies = tuple(
        PolicyInfo(
            name=p.name,
            enforcement=reconciled[p.name][0],
            description=p.description,
            kind="stack" if p.policy_type == analyzer_pb2.POLICY_TYPE_STACK else "resource",
        )
        for p in info.policies
    )
    return AnalysisResult(
        pack_name=info.name,
        pack_version=_project_version(pack_dir) or info.version,
        policies=policies,
        violations=tuple(violations),
        diagnostics=tuple(notes),
    )


def policy_pack_config(
    resources: Sequence[RecordedResource],
    config: Mapping[str, Any] | None = None,
    *,
    pack_dir: Path | None = None,
) -> dict[str, Any]:
    """The `--policy-pack-config` JSON for a real CLI run: `config` plus derived enforcement levels."""
    result: dict[str, Any] = {
        k: (dict(v) if isinstance(v, Mapping) else v) for k, v in (config or {}).items()
    }
    for policy, derive in ((SCIM_POLICY, _derived_scim_level), (SAML_POLICY, _derived_saml_level)):
        entry = result.get(policy)
        if isinstance(entry, dict) and "enforcementLevel" in entry:
            continue  # an explicit level wins, as in reconcile_config
        properties = entry if isinstance(entry, dict) else {}
        level = derive(resources, properties, pack_dir or DEFAULT_PACK_DIR)
        if level is not None:
            if isinstance(entry, dict):
                entry["enforcementLevel"] = level
            else:
                result[policy] = level
    return result


class _SharedPositions:
    """0, 1, … n-1 handed out once each to whichever shard thread asks next (thread-safe iterator)."""

    def __init__(self, count: int) -> None:
        self._count = count
        self._next = 0
        self._lock = threading.Lock()

    def __iter__(self) -> Iterator[int]:
        return self

    def __next__(self) -> int:
        with self._lock:
            if self._next >= self._count:
                raise StopIteration
            self._next += 1
            return self._next - 1


class PackProcess:
    """The pack as a running analyzer process plus one gRPC channel to it (a context manager)."""

    def __init__(self, pack_dir: Path, *, python: str | None = None) -> None:
        self.pack_dir = pack_dir.resolve()
        self.python = python or sys.executable
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None

    # ---- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> PackProcess:
        self.start()
        self.connect()
        return self

    def start(self) -> PackProcess:
        """Launch the pack process and return at once (it imports and binds while the caller works)."""
        if self._process is not None:
            return self
        if not (self.pack_dir / "__main__.py").is_file():
            raise AnalyzerError(f"{self.pack_dir} is not a policy pack: it has no __main__.py")
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        # The CLI's shim: python -u -m pulumi.policy <engine address> <program dir>. No engine
        # listens offline; the pack only uses the address to log, which falls back to stderr.
        self._process = subprocess.Popen(
            [self.python, "-u", "-m", "pulumi.policy", "127.0.0.1:0", str(self.pack_dir)],
            cwd=self.pack_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        return self

    def connect(self) -> PackProcess:
        """Wait for the started pack's port and open the channel (closing the process on failure)."""
        if self._stub is not None:
            return self
        if self._process is None:
            raise AnalyzerError("the policy pack process was not started (call start() first)")
        try:
            port = self._read_port()
            self._channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=_GRPC_OPTIONS)
            grpc.channel_ready_future(self._channel).result(timeout=STARTUP_TIMEOUT_SECONDS)
            self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _read_port(self) -> int:
        assert self._process is not None and self._process.stdout is not None
        stdout = self._process.stdout
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        buffer = b""
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            while b"\n" not in buffer:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AnalyzerError(
                        f"policy pack {self.pack_dir} printed no port within {STARTUP_TIMEOUT_SECONDS:.0f}s"
                        f"{self._stderr_tail()}"
                    )
                if not selector.select(timeout=remaining):
                    continue
                chunk = os.read(stdout.fileno(), 4096)
                if not chunk:
                    code = self._process.wait(timeout=5)
                    raise AnalyzerError(
                        f"policy pack {self.pack_dir} exited with code {code} before printing its port"
                        f"{self._stderr_tail()}"
                    )
                buffer += chunk
        line = buffer.split(b"\n", 1)[0].strip()
        try:
            return int(line)
        except ValueError:
            raise AnalyzerError(
                f"policy pack {self.pack_dir} printed {line!r} instead of a port{self._stderr_tail()}"
            ) from None

    def stderr_text(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def _stderr_tail(self) -> str:
        text = self.stderr_text().strip()
        return f"; the pack's stderr:\n{text[-4000:]}" if text else "; the pack wrote nothing to stderr"

    @property
    def stub(self) -> analyzer_pb2_grpc.AnalyzerStub:
        if self._stub is None:
            raise AnalyzerError(
                "the policy pack process is not running (use PackProcess as a context manager)"
            )
        return self._stub

    # ---- protocol -----------------------------------------------------------------------------
    def analyzer_info(self) -> analyzer_pb2.AnalyzerInfo:
        return cast(analyzer_pb2.AnalyzerInfo, self._call("GetAnalyzerInfo", empty_pb2.Empty()))

    def configure(self, policies: Mapping[str, tuple[str, Mapping[str, Any]]]) -> None:
        self._call("Configure", configure_request(policies))

    def analyze(self, resources: Sequence[RecordedResource], config: Mapping[str, Any]) -> AnalysisResult:
        info = self.analyzer_info()
        reconciled, notes = reconcile_config(info, config, resources, self.pack_dir)
        self.configure(reconciled)
        descriptions = {p.name: p.description for p in info.policies}
        violations: list[Violation] = []
        not_applicable: set[tuple[str, str]] = set()
        for position, response in self._analyze_resources(resources):
            violations.extend(_violations(response, descriptions, default_urn=resources[position].urn))
            not_applicable.update(_not_applicable(response))
        response = self.analyze_stack_future(resources)()
        violations.extend(_violations(response, descriptions, default_urn=""))
        not_applicable.update(_not_applicable(response))
        notes.extend(
            f"{name}: not applicable ({reason or 'no reason given'})"
            for name, reason in sorted(not_applicable)
        )
        return _result(info, reconciled, self.pack_dir, violations, notes)

    def analyze_stack_future(
        self, resources: Sequence[RecordedResource]
    ) -> Callable[[], analyzer_pb2.AnalyzeResponse]:
        """Send AnalyzeStack now; the returned callable waits for its answer."""
        future = self.stub.AnalyzeStack.future(stack_request(resources), timeout=CALL_TIMEOUT_SECONDS)

        def answer() -> analyzer_pb2.AnalyzeResponse:
            try:
                return cast(analyzer_pb2.AnalyzeResponse, future.result())
            except grpc.RpcError as error:
                raise AnalyzerError(f"AnalyzeStack failed: {_rpc_text(error)}{self._stderr_tail()}") from None

        return answer

    def _analyze_resources(
        self, resources: Sequence[RecordedResource], positions: Iterable[int] | None = None
    ) -> Iterator[tuple[int, analyzer_pb2.AnalyzeResponse]]:
        """Analyze the resources at `positions` (default: all), up to ANALYZE_WINDOW calls in flight.

        Yields (position, response) in the order the positions were taken.
        """
        in_flight: deque[tuple[int, grpc.Future[analyzer_pb2.AnalyzeResponse]]] = deque()
        method = self.stub.Analyze
        for position in range(len(resources)) if positions is None else positions:
            request = analyze_request(resources[position])
            in_flight.append((position, method.future(request, timeout=CALL_TIMEOUT_SECONDS)))
            if len(in_flight) >= ANALYZE_WINDOW:
                yield self._settle(resources, *in_flight.popleft())
        while in_flight:
            yield self._settle(resources, *in_flight.popleft())

    def _settle(
        self,
        resources: Sequence[RecordedResource],
        position: int,
        future: grpc.Future[analyzer_pb2.AnalyzeResponse],
    ) -> tuple[int, analyzer_pb2.AnalyzeResponse]:
        try:
            return position, future.result()
        except grpc.RpcError as error:
            raise AnalyzerError(
                f"Analyze failed for {resources[position].urn}: {_rpc_text(error)}{self._stderr_tail()}"
            ) from None

    def _call(self, method: str, request: Any) -> Any:
        try:
            return getattr(self.stub, method)(request, timeout=CALL_TIMEOUT_SECONDS)
        except grpc.RpcError as error:
            raise AnalyzerError(f"{method} failed: {_rpc_text(error)}{self._stderr_tail()}") from None


def configure_request(
    policies: Mapping[str, tuple[str, Mapping[str, Any]]],
) -> analyzer_pb2.ConfigureAnalyzerRequest:
    """The Configure request for reconciled (level, properties) per policy, as the CLI sends it."""
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, (level, properties) in policies.items():
        entry = request.policyConfig[name]
        entry.enforcementLevel = _LEVELS[level]
        entry.properties.update(_wire(dict(properties)))
    return request


def stack_request(resources: Sequence[RecordedResource]) -> analyzer_pb2.AnalyzeStackRequest:
    """The AnalyzeStack request the engine sends once with every resource of the stack."""
    return analyzer_pb2.AnalyzeStackRequest(resources=[_stack_resource(r) for r in resources])


def _project_version(pack_dir: Path) -> str | None:
    # Python packs always answer "0.0.1"; the CLI takes the version from PulumiPolicy.yaml.
    try:
        project = yaml.safe_load((pack_dir / "PulumiPolicy.yaml").read_text())
    except (OSError, yaml.YAMLError):
        return None
    version = project.get("version") if isinstance(project, dict) else None
    return str(version) if version else None


def _rpc_text(error: grpc.RpcError) -> str:
    details = getattr(error, "details", None)
    return str(details() if callable(details) else error)


# ---- configuration (the CLI's ReconcilePolicyPackConfig, plus the date-derived SCIM level) -----------
def reconcile_config(
    info: analyzer_pb2.AnalyzerInfo,
    config: Mapping[str, Any],
    resources: Sequence[RecordedResource] = (),
    pack_dir: Path | None = None,
) -> tuple[dict[str, tuple[str, dict[str, Any]]], list[str]]:
    """Per policy: (enforcement level, properties) = schema defaults, then initialConfig, then `config`."""
    result: dict[str, tuple[str, dict[str, Any]]] = {}
    for policy in info.policies:
        schema = json_format.MessageToDict(policy.configSchema.properties)
        defaults = {k: v["default"] for k, v in schema.items() if isinstance(v, dict) and "default" in v}
        result[policy.name] = (_LEVEL_NAMES[policy.enforcementLevel], defaults)
    initial = {
        name: {
            **json_format.MessageToDict(value.properties),
            **({"enforcementLevel": _LEVEL_NAMES[value.enforcementLevel]} if value.enforcementLevel else {}),
        }
        for name, value in info.initialConfig.items()
    }
    explicit_levels: set[str] = set()
    for layer, strict in ((initial, False), (config, True)):
        for name, value in layer.items():
            level, properties = _split_entry(name, value)
            if name == "all":
                if level is not None:
                    result = {k: (level, props) for k, (_, props) in result.items()}
                    explicit_levels.update(result)
                continue
            if name not in result:
                if strict:
                    known = ", ".join(sorted(result))
                    raise ValueError(f"policy config names unknown policy {name!r}; known policies: {known}")
                continue
            current_level, current_props = result[name]
            if level is not None and strict:
                explicit_levels.add(name)
            result[name] = (level or current_level, {**current_props, **properties})
    notes: list[str] = []
    if SCIM_POLICY in result and SCIM_POLICY not in explicit_levels and result[SCIM_POLICY][0] != "disabled":
        derived = _derived_scim_level(resources, result[SCIM_POLICY][1], pack_dir or DEFAULT_PACK_DIR)
        if derived is not None and derived != result[SCIM_POLICY][0]:
            result[SCIM_POLICY] = (derived, result[SCIM_POLICY][1])
            notes.append(f"{SCIM_POLICY}: configured {derived} because the SCIM token has expired")
    if SAML_POLICY in result and SAML_POLICY not in explicit_levels and result[SAML_POLICY][0] != "disabled":
        derived = _derived_saml_level(resources, result[SAML_POLICY][1], pack_dir or DEFAULT_PACK_DIR)
        if derived is not None and derived != result[SAML_POLICY][0]:
            result[SAML_POLICY] = (derived, result[SAML_POLICY][1])
            notes.append(f"{SAML_POLICY}: configured {derived} because the SAML certificate has expired")
    return result, notes


def _split_entry(name: str, value: Any) -> tuple[str | None, dict[str, Any]]:
    if isinstance(value, str):
        return _level(name, value), {}
    if isinstance(value, Mapping):
        properties = {k: v for k, v in value.items() if k != "enforcementLevel"}
        level = value.get("enforcementLevel")
        return (_level(name, level) if level is not None else None), properties
    raise ValueError(f"policy config for {name!r} must be an enforcement level or an object, got {value!r}")


def _level(name: str, value: Any) -> str:
    if value not in _LEVELS:
        raise ValueError(
            f"policy config for {name!r}: enforcement level {value!r} is not one of {sorted(_LEVELS)}"
        )
    return cast(str, value)


def _derived_scim_level(
    resources: Sequence[RecordedResource], properties: Mapping[str, Any], pack_dir: Path
) -> str | None:
    """The level scim-token-expiry must run at, by the rule's own `configured_level` (one source of truth)."""
    expiries = [
        r.inputs["tokenExpiresOn"]
        for r in resources
        if r.type == SCIM_PROVISIONING and r.inputs.get("tokenExpiresOn") is not None
    ]
    if not expiries and "expiresOn" not in properties:
        return None
    try:
        rule = _pack_rule(pack_dir, "scim_token_expiry")
    except (ImportError, OSError):
        return None
    level = rule.configured_level(expiries, properties)
    return cast(str, level.value)


def _derived_saml_level(
    resources: Sequence[RecordedResource], properties: Mapping[str, Any], pack_dir: Path
) -> str | None:
    """The level saml-certificate-expiry must run at, by the rule's own `configured_level`."""
    expiries = [
        str(r.inputs["certificateExpiresOn"])
        for r in resources
        if r.type == SAML_APP_COMPONENT and r.inputs.get("certificateExpiresOn")
    ] + [
        str(key["expiresAt"])
        for r in resources
        if r.type == OKTA_SAML_APP
        for key in (r.outputs.get("keys") or [])
        if isinstance(key, Mapping) and key.get("expiresAt")
    ]
    if not expiries and "expiresOn" not in properties:
        return None
    try:
        rule = _pack_rule(pack_dir, "saml_certificate_expiry")
    except (ImportError, OSError):
        return None
    return cast(str, rule.configured_level(expiries, properties).value)


def _pack_rule(pack_dir: Path, module: str) -> ModuleType:
    """Import one rule module from the pack's `rules` package under a private name (no server starts).

    The package's `__init__` (which imports all the rules) is not run: only the rule and the helpers
    it imports relatively are loaded, which keeps this inside the policy phase cheap.
    """
    package = "_frontdoor_pack_" + hashlib.sha1(str(pack_dir.resolve()).encode()).hexdigest()[:10]
    if package not in sys.modules:
        rules_dir = pack_dir.resolve() / "rules"
        spec = importlib.util.spec_from_file_location(
            package, rules_dir / "__init__.py", submodule_search_locations=[str(rules_dir)]
        )
        if spec is None or spec.loader is None or not (rules_dir / f"{module}.py").is_file():
            raise ImportError(f"no rules package with {module} in {pack_dir}")
        sys.modules[package] = importlib.util.module_from_spec(spec)
    return importlib.import_module(f"{package}.{module}")


# ---- wire encoding -----------------------------------------------------------------------------------
def _wire(value: Any) -> Any:
    """A JSON-able value the way the engine puts it on the wire (tuples as lists, unknowns as sentinels)."""
    if isinstance(value, Mapping):
        return {str(k): _wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [_wire(v) for v in value]
    if isinstance(value, Unknown):
        return UNKNOWN_STRING
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _properties(values: Mapping[str, Any], secret_keys: frozenset[str] | set[str]) -> struct_pb2.Struct:
    wired = _wire(values)
    for key in secret_keys:
        if key in wired:
            wired[key] = {SECRET_SIG_KEY: SECRET_SIG, "value": wired[key]}
    struct = struct_pb2.Struct()
    struct.update(wired)
    return struct


def _options(resource: RecordedResource) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=resource.protect,
        ignoreChanges=resource.ignore_changes,
        deleteBeforeReplace=resource.delete_before_replace,
        deleteBeforeReplaceDefined=resource.delete_before_replace,
        additionalSecretOutputs=resource.additional_secret_outputs,
        aliases=resource.aliases,
        parent=resource.parent_urn,
    )


def _provider(resource: RecordedResource) -> analyzer_pb2.AnalyzerProviderResource | None:
    # A provider reference is "<provider urn>::<provider id>";
    # a URN is "urn:pulumi:<stack>::<project>::<type>::<name>".
    if not resource.provider:
        return None
    urn = resource.provider.rsplit("::", 1)[0]
    parts = urn.split("::")
    if len(parts) < 4:
        return None
    return analyzer_pb2.AnalyzerProviderResource(type=parts[2].split("$")[-1], urn=urn, name=parts[3])


def analyze_request(resource: RecordedResource) -> analyzer_pb2.AnalyzeRequest:
    """The Analyze request the engine sends for one registered resource."""
    return analyzer_pb2.AnalyzeRequest(
        type=resource.type,
        properties=_properties(resource.inputs, resource.secret_inputs),
        urn=resource.urn,
        name=resource.name,
        options=_options(resource),
        provider=_provider(resource),
    )


def _stack_resource(resource: RecordedResource) -> analyzer_pb2.AnalyzerResource:
    # Stack policies see outputs; offline, outputs are the inputs merged with what the engine derived
    # (`outputs`/`id` when the record carries them).
    outputs = cast(Mapping[str, Any], getattr(resource, "outputs", None) or {})
    resource_id = getattr(resource, "id", None)
    values = {**resource.inputs, **outputs, **({"id": resource_id} if resource_id else {})}
    secrets = set(resource.secret_inputs) | set(resource.additional_secret_outputs)
    return analyzer_pb2.AnalyzerResource(
        type=resource.type,
        properties=_properties(values, secrets),
        urn=resource.urn,
        name=resource.name,
        options=_options(resource),
        provider=_provider(resource),
        parent=resource.parent_urn,
        dependencies=resource.dependencies,
        propertyDependencies={
            key: analyzer_pb2.AnalyzerPropertyDependencies(urns=urns)
            for key, urns in resource.property_dependencies.items()
        },
    )


def _not_applicable(response: analyzer_pb2.AnalyzeResponse) -> list[tuple[str, str]]:
    return [(n.policy_name, n.reason) for n in response.not_applicable] if response.not_applicable else []


def _violations(
    response: analyzer_pb2.AnalyzeResponse, descriptions: Mapping[str, str], *, default_urn: str
) -> Iterator[Violation]:
    for diagnostic in response.diagnostics:
        message = diagnostic.message
        # The SDK prefixes every message with the policy description; the rule's own text follows.
        prefix = descriptions.get(diagnostic.policyName, diagnostic.description) + "\n"
        message = message.removeprefix(prefix)
        yield Violation(
            policy=diagnostic.policyName,
            enforcement=_LEVEL_NAMES.get(diagnostic.enforcementLevel, "advisory"),
            urn=diagnostic.urn or default_urn,
            message=message,
        )
