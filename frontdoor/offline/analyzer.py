"""Drive the CrossGuard pack offline, exactly as the Pulumi CLI does, over the Analyzer gRPC protocol.

The pack (`policy/`) runs as its own process, started the way the CLI's Python analyzer shim starts
it (`python -u -m pulumi.policy <engine> <pack dir>`); it prints its port and serves. This client
then calls `GetAnalyzerInfo`, `Configure` (every policy, with its enforcement level and properties
reconciled like the CLI's `ReconcilePolicyPackConfig`: schema defaults, then the given config),
`Analyze` once per resource and `AnalyzeStack` once with all of them, and stops the process.

Three modules: `analyzer_protocol.py` builds the messages and reconciles the config (pure),
`pack_process.py` runs one pack process and its gRPC client, and this module starts the packs,
shards the resources over them and collects the answers.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pulumi.runtime.proto import analyzer_pb2

from frontdoor.offline.analyzer_protocol import not_applicable as decoded_not_applicable
from frontdoor.offline.analyzer_protocol import (
    policy_pack_config as policy_pack_config,  # `frontdoor policy-config` imports it from here
)
from frontdoor.offline.analyzer_protocol import (
    reconcile_config,
)
from frontdoor.offline.analyzer_protocol import violations as decoded_violations
from frontdoor.offline.pack_process import (
    AnalysisResult,
    PackProcess,
    _result,
)
from frontdoor.offline.pack_process import AnalyzerError as AnalyzerError  # callers catch it from here
from frontdoor.offline.project import PACK_DIR
from frontdoor.offline.record import RecordedResource, Violation


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
        started = [stack.enter_context(PackProcess(pack_dir or PACK_DIR)) for _ in range(count)]
        return analyze(resources, config=config, packs=started)


def start_packs(stack: contextlib.ExitStack, count: int, pack_dir: Path | None = None) -> list[PackProcess]:
    """Launch `count` pack processes now, closed with `stack`; connect to them later via `analyze`.

    The Pulumi CLI starts its analyzers before it runs the program; `frontdoor preview` does the same,
    so the packs' interpreter start and imports overlap the program instead of following it.
    """
    packs = [PackProcess(pack_dir or PACK_DIR) for _ in range(count)]
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
