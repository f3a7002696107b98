"""`frontdoor canary`: every permission set a team holds, every team against every other team, offline.

Loads the stack config and the estate (bad input: exit 2, as `preview`), resolves the accounts each
set is granted on and the SCPs attached above them, reads the AWS managed policies' documents from the
moto it finds (frontdoor.offline.managed_policies), and runs frontdoor.domain.proof.canary. Prints the
claim of exactly what was checked and the cross-team reach granted on purpose. Exit 0 when every
expectation holds, 1 naming each failing team pair and request, or each team whose tag chain is not
proven (or a construct the evaluator cannot judge: it fails closed); 4 when every request passed but a
document or action a checked set carries could not be evaluated (absent is unknown, never fine: a
customer managed policy, an AWS managed policy moto does not ship, a NotAction), naming each and its
fix. `--live` also asks IAM's policy
simulator the ABAC sets' questions (with the caller's credentials, e.g. the read-only role) and exits 1
on any disagreement, 3 when the simulator cannot be reached.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frontdoor.domain.proof.canary import CanaryResult, CanaryRun
    from frontdoor.live.simulator import Disagreement

EXIT_CLEAN, EXIT_FAILED, EXIT_CONFIG, EXIT_LIVE, EXIT_UNKNOWN = 0, 1, 2, 3, 4


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "canary",
        help="team canary: every set a team holds, against every other team's resources",
        description=(
            "Exit 0 every request got its answer; 1 a request did not (a leak), or a tag chain is not "
            "proven; 2 bad config; 3 --live could not reach the simulator; 4 no leak found, but a "
            "document or action a checked set carries could not be evaluated (unknown, never fine): "
            "each is printed with its fix."
        ),
    )
    parser.add_argument("--stack", default="demo", help="stack name (stacks/Pulumi.<stack>.yaml)")
    parser.add_argument("--config", help="stack config file (default stacks/Pulumi.<stack>.yaml)")
    parser.add_argument("--estate", help="simulated estate YAML (default stacks/estate.<stack>.yaml)")
    parser.add_argument("--format", choices=("md", "json"), default="md")
    parser.add_argument(
        "--live", action="store_true", help="also ask iam:SimulateCustomPolicy and report disagreements"
    )
    parser.add_argument("--profile", help="AWS profile for --live (default: boto3's settings)")
    parser.set_defaults(handler=_canary)


def _canary(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.base.errors import ConfigError
    from frontdoor.domain.config.files import read_stack_file, stack_file
    from frontdoor.domain.config.parse import (
        is_break_glass,
        is_monitoring,
        parse_break_glass_config,
        parse_monitoring_config,
        parse_stack_config,
    )
    from frontdoor.domain.planning.guardrails import plan_guardrails
    from frontdoor.domain.planning.org_checks import organization_issues
    from frontdoor.domain.planning.plan import plan_access
    from frontdoor.domain.proof.canary import checked_permission_sets, run_canary, scp_chains
    from frontdoor.domain.proof.iam_evaluator import UnsupportedPolicy
    from frontdoor.offline.estate import estate_file, load_estate
    from frontdoor.offline.iam_actions import iam_action_catalogue
    from frontdoor.offline.managed_policies import aws_managed_policy_documents
    from frontdoor.offline.project import checkout

    try:
        # The same defaults as `preview`, without loading the engine (the canary runs no program).
        config_file = Path(args.config) if args.config else stack_file(args.stack, checkout("the canary"))
        source = str(config_file)
        values = read_stack_file(config_file)
        if is_break_glass(values):
            # A break-glass stack grants no permission set: validated as preview validates it, and
            # then there is nothing for the canary to judge.
            parse_break_glass_config(values, source)
            print(
                f"{source}: a break-glass stack assigns no permission set: nothing to check", file=sys.stderr
            )
            return 0
        if is_monitoring(values):
            parse_monitoring_config(values, source)
            print(
                f"{source}: a monitoring stack assigns no permission set: nothing to check", file=sys.stderr
            )
            return 0
        config = parse_stack_config(values, source)
        estate = Path(args.estate) if args.estate else estate_file(args.stack, checkout("the canary"))
        snapshot = load_estate(estate).snapshot()
        # As `preview` (prevalidate): the config must be about this organization before anything else.
        organization = organization_issues(config.organization, snapshot, source)
        if organization:
            raise ConfigError(organization)
        plan = plan_access(config, snapshot, source)
        scps = plan_guardrails(config.guardrails, snapshot, source, config.quotas)
    except ConfigError as error:
        print(error.header() + "\n" + error.render(), file=sys.stderr)
        return EXIT_CONFIG
    chains = {
        name: scp_chains(
            snapshot,
            scps,
            {a.id: a for g in plan.grants if g.permission_set == name for a in g.accounts}.values(),
        )
        for name in checked_permission_sets(config)
    }
    managed_source, managed = aws_managed_policy_documents()

    accounts = {
        name: len(
            {
                a.id
                for g in plan.grants
                if g.permission_set == name and g.owner.startswith("team:")
                for a in g.accounts
            }
        )
        for name in chains
    } | {
        f"org:{g.owner.removeprefix('org:')}": len(g.accounts)
        for g in plan.grants
        if g.owner.startswith("org:")
    }
    try:
        run = run_canary(
            config,
            chains,
            managed=managed,
            managed_source=managed_source,
            accounts=accounts,
            catalogue=iam_action_catalogue(),
        )
    except UnsupportedPolicy as error:
        print(f"error: the canary cannot judge this policy, so it fails closed: {error}", file=sys.stderr)
        return EXIT_FAILED
    disagreements: list[Disagreement] = []
    live_error = None
    results = run.results
    if args.live:
        live_error = _live(results, run, args.profile, disagreements)
    print(_render(args.stack, run, disagreements if args.live else None, args.format))
    if live_error:
        print(f"error: {live_error}", file=sys.stderr)
        return EXIT_LIVE
    failed = not run.passed or bool(disagreements)
    if failed:
        return EXIT_FAILED
    if run.unknown:
        # A leak outranks an unknown: exit 1 says more. Exit 4 tells a pipeline "unproven", not "leak".
        print(
            f"error: the canary could not evaluate {len(run.unknown)} of what the checked sets carry, so "
            "it proves nothing about them (absent is unknown, never fine):\n"
            + "\n".join(f"- {what}" for what in run.unknown),
            file=sys.stderr,
        )
        return EXIT_UNKNOWN
    return EXIT_CLEAN


def _live(
    results: list[CanaryResult], run: CanaryRun, profile: str | None, disagreements: list[Disagreement]
) -> str | None:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.live.aws import LiveError, LiveSession
    from frontdoor.live.simulator import compare, groups, live_decisions, simulate

    session = LiveSession(profile=profile)
    try:
        client = session.client("iam")
        # Every set the offline canary evaluated, with the documents it evaluated (SCPs aside).
        for group in groups(results, run.sets):
            decisions = live_decisions(simulate(client, group))
            disagreements.extend(compare(group, run.sets[group.permission_set], decisions))
    except LiveError as error:
        return error.render()
    return None


def _render(
    stack: str,
    run: CanaryRun,
    disagreements: list[Disagreement] | None,
    form: str,
) -> str:
    from frontdoor.domain.proof.canary import claim

    results = run.results
    failures = [r for r in results if not r.passed]
    teams = sorted({r.case.team for r in results if r.case.team and not r.case.org_grant})
    pairs = {(r.case.team, r.case.other) for r in results if r.case.probe == "other" and not r.case.listed}
    checked = claim(run)
    if form == "json":
        document: dict[str, Any] = {
            "stack": stack,
            "permissionSets": sorted(run.sets),
            "teams": teams,
            "teamPairs": len(pairs),
            "cases": len(results),
            "passed": len(results) - len(failures),
            "checked": checked,
            "chainFailures": list(run.chain_failures),
            "unknown": run.unknown,
            "failures": [_failure_json(r) for r in failures],
        }
        if disagreements is not None:
            document["live"] = {"disagreements": [d.describe() for d in disagreements]}
        return json.dumps(document, indent=2)
    by_probe = Counter(r.case.probe for r in results if not r.case.listed)
    lines = [
        f"# Team canary: {stack}",
        "",
        f"{len(teams)} teams, {len(pairs)} ordered team pairs, {len(results)} requests "
        f"({', '.join(f'{probe} {n}' for probe, n in sorted(by_probe.items()))}; "
        f"{len(results) - sum(by_probe.values())} listed).",
        "",
        *checked,
        "",
    ]
    if failures or run.chain_failures:
        lines.append(f"FAILED: {len(failures) + len(run.chain_failures)} expectations")
        lines += [f"- {failure}" for failure in run.chain_failures]
        lines += [f"- {r.describe()}" for r in failures[:200]]
        if len(failures) > 200:
            lines.append(f"- … and {len(failures) - 200} more (--format json lists all)")
    else:
        lines.append(
            f"PASSED: every one of the {len(results) - sum(1 for r in results if r.case.listed)} "
            "checked requests got the answer above."
        )
    if disagreements is not None:
        lines.append("")
        if disagreements:
            lines.append(f"IAM policy simulator disagrees on {len(disagreements)} requests:")
            lines += [f"- {d.describe()}" for d in disagreements]
        else:
            lines.append("IAM policy simulator agrees on every request.")
    return "\n".join(lines)


def _failure_json(result: CanaryResult) -> dict[str, Any]:
    case = result.case
    return {
        "permissionSet": case.permission_set,
        "team": case.team,
        "other": case.other,
        "account": case.account_id,
        "probe": case.probe,
        "action": case.request.action,
        "resource": case.request.resource,
        "context": {k: list(v) for k, v in sorted(case.request.context.items())},
        "expected": "allow" if case.expect_allowed else "deny",
        "got": result.evaluation.decision,
        "decidedBy": result.evaluation.statement,
        "message": result.describe(),
    }
