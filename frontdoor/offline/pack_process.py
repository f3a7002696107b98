"""One policy pack process and the client that speaks the Analyzer gRPC protocol to it.

`PackProcess` starts the pack the way the CLI's Python analyzer shim does (`python -u -m
pulumi.policy <engine> <pack dir>`), reads the port it prints, then calls `GetAnalyzerInfo`,
`Configure`, `Analyze` (pipelined as gRPC futures over one channel, a bounded window keeping memory
flat) and `AnalyzeStack`, and stops the process. The messages are built by `analyzer_protocol`;
`analyzer` starts several of these and shards the resources over them.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
