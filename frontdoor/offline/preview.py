"""The offline preview: validate, run the program under the engine, evaluate the policy pack, report.

Kept apart from the CLI so tests and benchmarks call the same steps the `frontdoor preview` command
runs. Exit codes: 0 clean, 1 a mandatory policy violation, 2 bad config or estate, 3 program failure.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.base.urns import STACK_TYPE, qualified_type
from frontdoor.domain.config.files import provider_settings, read_stack_file
from frontdoor.domain.config.parse import (
    is_break_glass,
    is_monitoring,
    parse_break_glass_config,
    parse_monitoring_config,
    parse_stack_config,
)
from frontdoor.domain.planning.handoff import PreparedPlan, handing
from frontdoor.domain.planning.identity_outputs import identity_output_issues, offline_source
from frontdoor.domain.planning.org_checks import organization_issues
from frontdoor.domain.planning.plan import StackPlan, plan_stack, posture_rule_exclusions
from frontdoor.offline.analyzer import analyze, preview_shards, start_packs
from frontdoor.offline.engine import ProgramRun, run_program
from frontdoor.offline.estate import Estate, estate_file, load_estate
from frontdoor.offline.policy_config import merge, pack_config_from_stack, read_overrides
from frontdoor.offline.project import checkout
from frontdoor.offline.record import RecordedResource, Violation

EXIT_CLEAN, EXIT_VIOLATION, EXIT_CONFIG, EXIT_PROGRAM = 0, 1, 2, 3


@dataclass
class PreviewInputs:
    program_dir: Path
    stack: str
    config_file: Path
    estate_file: Path


@dataclass
class PreviewResult:
    inputs: PreviewInputs
    run: ProgramRun
    estate: Estate  # what the program read, for reports joined with account names and OU paths
    violations: list[Violation] = field(default_factory=list)
    policies_evaluated: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement == "mandatory"]

    @property
    def exit_code(self) -> int:
        return EXIT_VIOLATION if self.mandatory else EXIT_CLEAN

    def as_json(self) -> dict[str, Any]:
        counts = self.run.counts_by_type()
        return {
            "stack": self.inputs.stack,
            "resources": counts,
            "total": sum(counts.values()),
            "components": components_summary(self.run.resources),
            "deferred": self.run.deferred,
            "warnings": self.run.warnings,
            "violations": [v.as_json() for v in self.violations],
            "outputs": {
                name: ("[secret]" if out.secret else out.value) for name, out in self.run.outputs.items()
            },
            "reads": [read.as_json() for read in self.run.reads],
        }


def resolve_inputs(
    stack: str, program_dir: Path | None = None, config_file: Path | None = None, estate: Path | None = None
) -> PreviewInputs:
    program = (program_dir or checkout("the offline preview")).resolve()
    return PreviewInputs(
        program_dir=program,
        stack=stack,
        config_file=config_file or program / "stacks" / f"Pulumi.{stack}.yaml",
        estate_file=estate or estate_file(stack, program),
    )


def is_frontdoor_program(program_dir: Path) -> bool:
    return (program_dir / "Pulumi.yaml").is_file() and "name: frontdoor" in (
        program_dir / "Pulumi.yaml"
    ).read_text()


def prevalidate(
    inputs: PreviewInputs, estate: Estate, values: Mapping[str, Any] | None = None
) -> StackPlan | None:
    """Config and estate checked together before the program runs: nothing is registered on error.

    The plan is made by the same function the program calls (frontdoor/domain/planning/plan.py), from
    the estate's organization, instance and synced groups, and handed to the program
    (frontdoor/domain/planning/handoff.py), so a preview parses and fans out once. `values` are the
    stack file's `frontdoor:` values when the caller has already read them. None for a break-glass or a
    monitoring stack; the monitoring stack's check is the identity stack's outputs in its estate.
    """
    if values is None:
        values = read_stack_file(inputs.config_file)
    if is_break_glass(values):
        parse_break_glass_config(values, str(inputs.config_file))
        return None
    if is_monitoring(values):
        identity_stack = parse_monitoring_config(values, str(inputs.config_file)).monitoring.identity_stack
        source = offline_source(str(inputs.estate_file), identity_stack, inputs.stack)
        issues = identity_output_issues(estate.stack_outputs.get(identity_stack), source)
        if issues:
            raise ConfigError(issues)
        return None
    config = parse_stack_config(values, str(inputs.config_file))
    # The config must be about this organization (management account, delegated administrator).
    organization = organization_issues(config.organization, estate.snapshot(), str(inputs.config_file))
    if organization:
        raise ConfigError(organization)
    reads = estate.reads()
    return plan_stack(config, reads, str(inputs.config_file))  # machines too (same resolver)


def policy_config_for(
    inputs: PreviewInputs, values: Mapping[str, Any], plan: StackPlan | None = None
) -> dict[str, Any]:
    """Pack config derived from the stack config plus `stacks/policy-config.<stack>.json` overrides.

    With `frontdoor:posture` and no plan at hand (`frontdoor policy-config`), the stack's estate is read
    for the accounts its Config rules exclude (its recorders and accounts alone: the config is not
    checked against the organization here, the preview does that)."""
    parsed = plan.config if plan is not None else None
    exclusions = plan.config_rule_exclusions if plan is not None else None
    if plan is None and values and not is_break_glass(values) and not is_monitoring(values):
        parsed = parse_stack_config(values, str(inputs.config_file))
        if parsed.posture is not None:
            estate = load_estate(inputs.estate_file)
            exclusions = posture_rule_exclusions(
                parsed, estate.config_recording, estate.snapshot(), estate.source
            )
    derived = pack_config_from_stack(
        values,
        str(inputs.config_file),
        parsed=parsed,
        excludable_accounts=exclusions.excluded if exclusions else (),
    )
    overrides = read_overrides(inputs.config_file.parent / f"policy-config.{inputs.stack}.json")
    return merge(derived, overrides)


OFFLINE_SECRET = "offline-placeholder-secret"


def _is_secure(value: Any) -> bool:
    """A `{secure: <ciphertext>}` value, as the CLI recognises one (a one-key mapping with a string)."""
    return isinstance(value, Mapping) and set(value) == {"secure"} and isinstance(value["secure"], str)


def _has_secure(value: Any) -> bool:
    if _is_secure(value):
        return True
    if isinstance(value, Mapping):
        return any(_has_secure(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_secure(item) for item in value)
    return False


def _placeholders(value: Any) -> Any:
    if _is_secure(value):
        return OFFLINE_SECRET
    if isinstance(value, Mapping):
        return {key: _placeholders(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_placeholders(item) for item in value]
    return value


def offline_secrets(settings: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """`secure:` values (ciphertext only the real CLI can decrypt) become marked placeholders.

    The program then sees a secret config value, exactly as under `pulumi preview`, and the record
    shows whether it stayed secret wherever it flowed. As the CLI does, a key whose object or list
    holds a `secure:` value anywhere inside is a secret key as a whole (pulumi sdk/go/common/resource/
    config/value.go: an object value is secure when `hasSecureValue` finds one at any depth; the key
    then goes to PULUMI_CONFIG_SECRET_KEYS), so the credential guard refuses it offline too.
    """
    plain: dict[str, Any] = {}
    secret_keys: list[str] = []
    for key, value in settings.items():
        plain[key] = _placeholders(value)
        if _has_secure(value):
            secret_keys.append(key)
    return plain, tuple(secret_keys)


def run_preview(
    inputs: PreviewInputs,
    *,
    evaluate_policies: bool = True,
    progress: Callable[[str], None] | None = None,
    frontdoor_checks: bool | None = None,
    unknown_ids: bool = False,
) -> PreviewResult:
    """The whole offline preview. Raises ConfigError for bad input (exit 2).

    `unknown_ids`: every resource the program creates has an unknown id and unknown computed outputs,
    as in a `pulumi preview` of a stack that does not exist yet (engine.run_program); the pack's rules
    then defer what depends on them, as they would under the CLI."""
    say = progress or (lambda _message: None)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    say(f"reading {inputs.estate_file.name} and {inputs.config_file.name}")
    estate = load_estate(inputs.estate_file)
    settings = provider_settings(inputs.config_file)
    ours = is_frontdoor_program(inputs.program_dir) if frontdoor_checks is None else frontdoor_checks
    values = read_stack_file(inputs.config_file) if ours else {}
    plan = prevalidate(inputs, estate, values) if ours else None
    # The pack config (with stacks/policy-config.<stack>.json) is bad input too: refused before running.
    pack_config = policy_config_for(inputs, values, plan) if evaluate_policies else {}
    timings["validate"] = time.perf_counter() - started
    with contextlib.ExitStack() as packs_open:
        # As the CLI does, the analyzers start before the program runs and load while it runs.
        packs = start_packs(packs_open, preview_shards()) if evaluate_policies else []
        say(f"running the program for stack {inputs.stack} against {inputs.estate_file.name}")
        started = time.perf_counter()
        settings, secret_keys = offline_secrets(settings)
        handed = handing(PreparedPlan(values, plan)) if plan is not None else contextlib.nullcontext()
        with handed:
            run = run_program(
                inputs.program_dir,
                stack=inputs.stack,
                config=settings,
                estate=estate,
                secret_keys=secret_keys,
                unknown_ids=unknown_ids,
            )
        timings["program"] = time.perf_counter() - started
        result = PreviewResult(inputs, run, estate, timings=timings)
        if evaluate_policies:
            say(f"evaluating the policy pack over {len(run.resources)} resources")
            started = time.perf_counter()
            analysis = analyze(run.resources, config=pack_config, packs=packs)
            result.violations = sorted(analysis.violations, key=violation_order)
            result.policies_evaluated = True
            timings["policy"] = time.perf_counter() - started
    return result


def violation_order(violation: Violation) -> tuple[str, str, str, str]:
    """A stable order for violations, whatever order the analyzers answered in."""
    return (violation.policy, violation.urn, violation.enforcement, violation.message)


def components_summary(resources: list[RecordedResource]) -> dict[str, int]:
    """Top-level components (and top-level custom resources by type) with their descendant counts."""
    by_urn = {r.urn: r for r in resources}
    counts: Counter[str] = Counter()
    for resource in resources:
        top = resource
        while top.parent_urn in by_urn:
            top = by_urn[top.parent_urn]
        if top.custom:
            counts[f"(top level) {top.type}"] += 1
        else:
            counts[f"{top.type} {top.name}"] += 1
    return dict(sorted(counts.items()))


def render_tree(resources: list[RecordedResource], *, full: bool = False) -> list[str]:
    """The component tree; leaves are grouped by type with counts unless `full`."""
    children: dict[str, list[RecordedResource]] = {}
    known = {r.urn for r in resources}
    for resource in resources:
        parent = resource.parent_urn if resource.parent_urn in known else STACK_TYPE
        children.setdefault(parent, []).append(resource)
    lines: list[str] = []

    def walk(parent: str, depth: int) -> None:
        kids = sorted(children.get(parent, []), key=lambda r: (r.custom, r.type, r.name))
        leaves: Counter[str] = Counter()
        for kid in kids:
            if kid.urn in children or not kid.custom or full:
                marks = " [protected]" if kid.protect else ""
                lines.append(f"{'  ' * depth}{kid.type} {kid.name}{marks}")
                walk(kid.urn, depth + 1)
            else:
                leaves[kid.type] += 1
        for type_token, count in sorted(leaves.items()):
            lines.append(f"{'  ' * depth}{type_token} x{count}")

    walk(STACK_TYPE, 1)
    return [STACK_TYPE, *lines]


def identity_lines(resources: list[RecordedResource]) -> list[str]:
    """(type, logical name, parent) per resource, sorted: what must not change without a decision.

    The parent is written as its URN is, without the stack and project: its whole qualified type (the
    chain of its own ancestors' types, as the engine writes it: frontdoor/domain/base/urns.py) and its
    name, so a line determines the resource's URN. A changed line is a new URN: Pulumi deletes the old
    resource and creates a new one, which for an assignment, a push mapping or a group is lost access or
    a deleted group. Rename only with an alias.
    """
    by_urn = {r.urn: r for r in resources}

    def parent(resource: RecordedResource) -> str:
        owner = by_urn.get(resource.parent_urn)
        return f"{qualified_type(owner.urn)}::{owner.name}" if owner else "(stack)"

    return sorted(f"{r.type}\t{r.name}\t{parent(r)}" for r in resources)


def render_text(result: PreviewResult, *, full_tree: bool = False) -> str:
    run = result.run
    counts = run.counts_by_type()
    out = [
        f"Offline preview of stack {result.inputs.stack!r} ({result.inputs.estate_file.name}): "
        f"{sum(counts.values())} resources to create",
        "",
        "Resources by type:",
    ]
    width = max((len(t) for t in counts), default=10)
    out += [f"  {type_token:<{width}}  {count:>6}" for type_token, count in counts.items()]
    out += ["", "Resources by component:"]
    out += [f"  {name}: {count}" for name, count in components_summary(run.resources).items()]
    out += ["", "Tree:"]
    out += ["  " + line for line in render_tree(run.resources, full=full_tree)]
    if run.deferred:
        out += [
            "",
            f"Deferred ({len(run.deferred)} groups pushed now, not yet synced by SCIM; their "
            "assignments are made on the next run):",
        ]
        out += [f"  {name}" for name in run.deferred]
    if run.warnings:
        out += ["", "Warnings:"] + [f"  {w}" for w in run.warnings]
    if result.policies_evaluated:
        out += ["", render_violations(result.violations)]
    if run.outputs:
        out += ["", "Outputs:"]
        out += [f"  {k}: {'[secret]' if v.secret else v.value}" for k, v in run.outputs.items()]
    if run.reads:
        out += ["", "Read (not registered):"]
        out += [f"  {read.type} {read.name}: {read.id}" for read in run.reads]
    return "\n".join(out)


def render_violations(violations: list[Violation]) -> str:
    if not violations:
        return "Policies: no violations."
    grouped: dict[str, list[Violation]] = {}
    for violation in violations:
        grouped.setdefault(violation.policy, []).append(violation)
    mandatory = sum(1 for v in violations if v.enforcement == "mandatory")
    lines = [f"Policy violations: {len(violations)} ({mandatory} mandatory)"]
    for policy, items in sorted(grouped.items()):
        lines.append(f"  {policy} [{items[0].enforcement}]")
        for item in items:
            lines.append(f"    {item.urn or '(stack)'}")
            lines.append(f"      {item.message}")
    return "\n".join(lines)


def progress_printer(enabled: bool) -> Callable[[str], None]:
    started = time.perf_counter()

    def say(message: str) -> None:
        if enabled:
            print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    return say


def config_error_text(error: ConfigError) -> str:
    return error.header() + "\n" + error.render()
