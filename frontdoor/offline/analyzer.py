"""Drive the CrossGuard pack offline, exactly as the Pulumi CLI does, over the Analyzer gRPC protocol.

The pack (`policy/`) runs as its own process, started the way the CLI's Python analyzer shim starts
it (`python -u -m pulumi.policy <engine> <pack dir>`); it prints its port and serves. This client
then calls `GetAnalyzerInfo`, `Configure` (every policy, with its enforcement level and properties
reconciled like the CLI's `ReconcilePolicyPackConfig`: schema defaults, then the given config),
`Analyze` once per resource and `AnalyzeStack` once with all of them, and stops the process.

The messages and the config reconciliation are pure functions in `analyzer_protocol.py`; this module
starts the pack processes, shards the resources over them and collects the answers.

Analyze calls are pipelined as gRPC futures over one channel (a bounded window keeps memory flat):
the pack server is one Python process with 4 worker threads, so a window overlaps our
serialization with its evaluation and saves a round trip per resource.
"""

from __future__ import annotations

import contextlib
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
from typing import IO, Any, cast

import grpc
import yaml
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from frontdoor.offline.analyzer_protocol import (
    PolicyInfo,
    analyze_request,
    configure_request,
    reconcile_config,
    stack_request,
)
from frontdoor.offline.analyzer_protocol import not_applicable as decoded_not_applicable
from frontdoor.offline.analyzer_protocol import (
    policy_pack_config as policy_pack_config,  # `frontdoor policy-config` imports it from here
)
from frontdoor.offline.analyzer_protocol import violations as decoded_violations
from frontdoor.offline.record import RecordedResource, Violation

DEFAULT_PACK_DIR = Path(__file__).resolve().parents[2] / "policy"
STARTUP_TIMEOUT_SECONDS = 30.0
CALL_TIMEOUT_SECONDS = 120.0
ANALYZE_WINDOW = 256  # Analyze calls in flight at once (see _analyze_resources)

_GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.max_send_message_length", 400 * 1024 * 1024),
]


class AnalyzerError(RuntimeError):
    """The pack could not be started or answered with an error; carries the pack's stderr."""


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
                    (
                        position,
                        list(decoded_violations(response, descriptions, default_urn=resources[position].urn)),
                    )
                )
            skipped.update(decoded_not_applicable(response))
        stack_found: list[Violation] = []
        if whole_stack is not None:
            stack_response = whole_stack()
            stack_found.extend(decoded_violations(stack_response, descriptions, default_urn=""))
            skipped.update(decoded_not_applicable(stack_response))
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
            violations.extend(decoded_violations(response, descriptions, default_urn=resources[position].urn))
            not_applicable.update(decoded_not_applicable(response))
        response = self.analyze_stack_future(resources)()
        violations.extend(decoded_violations(response, descriptions, default_urn=""))
        not_applicable.update(decoded_not_applicable(response))
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
