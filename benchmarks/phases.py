"""One measurement of one phase in this fresh process (`python -m benchmarks.run --child KIND`), so that
its peak RSS is its own: the program, the floor (with and without the program's collector tuning) and
the policy pack (benchmarks/run.py says what each is and drives them).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import pickle
import resource
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment"


def _status_kb(field: str) -> int:
    """A /proc/self/status field in kB (VmHWM: peak resident set); ru_maxrss where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


# SDK subpackages that pulumi_aws / pulumi_okta import on first use, during the program: imported up
# front like every other module, so that no measurement times an import. The program child reports any
# module still first imported inside its timed run (`imported_while_timed`).
LAZY_SDK_PACKAGES = (
    "pulumi_aws.identitystore",
    "pulumi_aws.organizations",
    "pulumi_okta.app",
    "pulumi_okta.group",
    "pulumi_okta.profile",
    "pulumi_okta.user",
)


def _warm_imports() -> float:
    """Import the SDKs and our modules up front (a fixed cost, not scaling); returns the seconds taken."""
    started = time.perf_counter()
    import pulumi_aws  # noqa: F401
    import pulumi_okta  # noqa: F401

    import components.team_access  # noqa: F401
    import frontdoor.domain.people.okta_expression_tables  # (imported on the first parse)
    import frontdoor.offline.engine
    import frontdoor.program.build  # (frontdoor.program itself imports its names on use)
    import frontdoor.program.entry  # noqa: F401

    for name in LAZY_SDK_PACKAGES:
        # A lazily loaded module runs on its first attribute access (importlib.util.LazyLoader).
        getattr(importlib.import_module(name), "__all__", None)
    return time.perf_counter() - started


def child_program(args: argparse.Namespace) -> dict[str, Any]:
    imports = _warm_imports()
    # Imported here, after the timed _warm_imports, so what is measured below excludes imports.
    from frontdoor.domain.config.files import provider_settings, read_stack_file
    from frontdoor.domain.config.parse import parse_stack_config
    from frontdoor.domain.planning.handoff import PreparedPlan, handing
    from frontdoor.domain.planning.plan import plan_access
    from frontdoor.offline.engine import run_program
    from frontdoor.offline.estate import load_estate
    from frontdoor.offline.preview import prevalidate, resolve_inputs

    baseline_kb = _status_kb("VmRSS")
    imported = set(sys.modules)
    started = time.perf_counter()
    cpu_started = time.process_time()  # every thread's CPU: the SDK registers from a thread pool
    inputs = resolve_inputs(args.stack, REPO_ROOT, args.config, args.estate)
    estate = load_estate(inputs.estate_file)
    settings = provider_settings(inputs.config_file)
    loaded = time.perf_counter()
    values = read_stack_file(inputs.config_file)
    plan = prevalidate(inputs, estate, values)
    validated = time.perf_counter()
    # As the preview does: the program takes the early check's plan instead of planning again.
    with handing(PreparedPlan(values, plan)) if plan is not None else contextlib.nullcontext():
        run = run_program(inputs.program_dir, stack=inputs.stack, config=settings, estate=estate)
    finished = time.perf_counter()
    cpu_seconds = time.process_time() - cpu_started
    peak_kb = _status_kb("VmHWM")
    imported_while_timed = sorted(set(sys.modules) - imported)
    config = parse_stack_config(read_stack_file(inputs.config_file), str(inputs.config_file))
    planned = plan_access(config, estate.snapshot(), str(inputs.config_file)).assignment_count()
    if args.records is not None and not args.records.exists():
        with args.records.open("wb") as stream:
            pickle.dump(run.resources, stream, protocol=pickle.HIGHEST_PROTOCOL)
    return {
        "seconds": finished - started,
        "cpu_seconds": cpu_seconds,
        "load_seconds": loaded - started,
        "validate_seconds": validated - loaded,
        "run_program_seconds": finished - validated,
        "import_seconds": imports,
        "imported_while_timed": imported_while_timed,
        "baseline_rss_kb": baseline_kb,
        "peak_rss_kb": peak_kb,
        "resources": len(run.resources),
        "assignment_resources": sum(1 for r in run.resources if r.type == ASSIGNMENT),
        "planned_assignments": planned,
        "deferred_groups": len(run.deferred),
        "warnings": len(run.warnings),
    }


def _load_records(path: Path) -> list[Any]:
    with path.open("rb") as stream:
        records: list[Any] = pickle.load(stream)
    return records


def child_floor(args: argparse.Namespace, *, frozen: bool = False) -> dict[str, Any]:
    """The floor; `frozen`: with the program's collector tuning at the start (the like-for-like floor)."""
    imports = _warm_imports()
    # Imported here, after the timed _warm_imports, so what is measured below excludes imports.
    from benchmarks import floor
    from frontdoor.domain.config.files import provider_settings
    from frontdoor.offline.engine import run_program
    from frontdoor.offline.estate import load_estate
    from frontdoor.program import tune_garbage_collection

    records = _load_records(args.records)
    estate = load_estate(args.estate)
    # The stack's config, as the program's run gets it: the engine's API rules judge records against
    # it (e.g. Group Push needs frontdoor:okta.provisioningEnabled); the floor program reads none of it.
    settings = provider_settings(args.config)
    floor.RECORDS[:] = records
    baseline_kb = _status_kb("VmRSS")
    started = time.perf_counter()
    cpu_started = time.process_time()
    if frozen:
        # Exactly what our program does before its first registration (the engine undoes it after).
        tune_garbage_collection()
    run = run_program(floor.PROGRAM_DIR, stack=args.stack, config=settings, estate=estate)
    finished = time.perf_counter()
    cpu_seconds = time.process_time() - cpu_started
    peak_kb = _status_kb("VmHWM")
    same = {r.urn for r in run.resources} == {r.urn for r in records}
    return {
        "seconds": finished - started,
        "cpu_seconds": cpu_seconds,
        "import_seconds": imports,
        "baseline_rss_kb": baseline_kb,
        "peak_rss_kb": peak_kb,
        "resources": len(run.resources),
        "same_urns": same,
    }


def child_policy(args: argparse.Namespace) -> dict[str, Any]:
    # Imported in the measuring process, not by whoever imports this module.
    from frontdoor.domain.config.files import read_stack_file
    from frontdoor.offline import analyzer
    from frontdoor.offline.preview import policy_config_for, resolve_inputs

    records = _load_records(args.records)
    inputs = resolve_inputs(args.stack, REPO_ROOT, args.config, args.estate)
    config = policy_config_for(inputs, read_stack_file(inputs.config_file))
    # As `frontdoor preview` does: the packs it starts before the program (analyzer.preview_shards),
    # whose start overlaps the program there. Here the start is timed on its own (startup_seconds),
    # then the evaluation `frontdoor preview` waits for after the program (seconds).
    shards = analyzer.preview_shards()
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        packs = analyzer.start_packs(stack, shards)
        for pack in packs:
            pack.connect()
        ready = time.perf_counter()
        result = analyzer.analyze(records, config=config, packs=packs)
        analyzed = time.perf_counter()
        # AnalyzeStack overlaps the Analyze calls above; timed once more on its own for the breakdown.
        packs[0].analyze_stack_future(records)()
        stack_alone = time.perf_counter() - analyzed
    return {
        "seconds": analyzed - ready,
        "startup_seconds": ready - started,
        "analyze_stack_seconds": stack_alone,
        "pack_processes": shards,
        "client_peak_rss_kb": _status_kb("VmHWM"),
        # The pack servers are this process's only children (the largest one's peak).
        "server_peak_rss_kb": int(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss),
        "resources": len(records),
        "policies": len(result.policies),
        "violations": len(result.violations),
        "mandatory": len(result.mandatory),
    }


def child_floor_frozen(args: argparse.Namespace) -> dict[str, Any]:
    return child_floor(args, frozen=True)


CHILDREN = {
    "program": child_program,
    "floor": child_floor,
    "floor_frozen": child_floor_frozen,
    "policy": child_policy,
}
