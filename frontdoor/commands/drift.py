"""`frontdoor drift --stack S [--format md|json]`: live access against the plan, the daily job.

The plan is the offline engine's run of the real program against stacks/estate.S.yaml (pull it
first: `frontdoor estate pull`); the live side is every assignment of every principal in Identity
Center, every permission set with its policies, and the SCP attachments of the plan's policies.
`pulumi preview --refresh` only sees what is in the state; this sees what is not (console clicks,
assignments to single users). Exit 0 no drift, 1 drift, 2 could not read (live_common).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from frontdoor.commands.live_common import (
    EXIT_OK,
    EXIT_VERDICT,
    add_aws_options,
    check_management_account,
    config_path,
    estate_path,
    guarded,
    load_config,
    progress,
    read_role_name,
)

if TYPE_CHECKING:
    from frontdoor.domain.reconcile.drift import Plan


def read_plan(stack: str, config_file: Path, estate: Path, say: Callable[[str], None]) -> Plan:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.offline.plan import plan_from_preview
    from frontdoor.offline.preview import resolve_inputs, run_preview

    say(f"plan: running the program for stack {stack} offline")
    inputs = resolve_inputs(stack, config_file=config_file, estate=estate)
    return plan_from_preview(run_preview(inputs, evaluate_policies=False))


def _drift(args: argparse.Namespace) -> int:
    say = progress(args)

    def run() -> int:
        config_file = config_path(args, "drift")
        say(f"drift: stack {args.stack}, config {config_file}")
        # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
        from frontdoor.domain.reconcile.drift import render_json, render_markdown
        from frontdoor.live.access import drift
        from frontdoor.live.aws import LiveSession

        config = load_config(args.stack, config_file)
        region = args.region or config.organization.region
        live = LiveSession(profile=args.profile, region=region, say=say)
        # Before the offline plan (~20 s at 2,000 accounts): wrong credentials stop at once.
        check_management_account(live, config, config_file, say)
        plan = read_plan(args.stack, config_file, estate_path(args, "drift"), say)
        report = drift(
            live,
            plan,
            region=region,
            role_name=read_role_name(args, config),
            group_prefix=config.okta.push_group_prefix,
            with_boundary=not args.no_boundary,
            say=say,
        )
        print(render_json(report) if args.format == "json" else render_markdown(report, args.stack), end="")
        return EXIT_VERDICT if report.drift else EXIT_OK

    return guarded(run)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("drift", help="live Identity Center access and SCPs against the plan")
    add_aws_options(
        parser,
        estate_help="the estate the plan is made against (default <project>/stacks/estate.<stack>.yaml)",
    )
    parser.add_argument("--format", choices=("md", "json"), default="md")
    parser.add_argument(
        "--no-boundary",
        action="store_true",
        help="do not read permissions boundaries (GetPermissionsBoundaryForPermissionSet): for an endpoint "
        "that lacks the call or a read role not allowed it; the report then says "
        "boundaries were not compared",
    )
    parser.set_defaults(handler=_drift)
