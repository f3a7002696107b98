"""`frontdoor posture`: every IAM user and long-lived key in the organization, as a migration list.

Reads the break-glass identity (exact names, path, management account) from the break-glass stack's
config and the posture defaults from the access stack's `frontdoor:posture`; refuses (exit 2) when
the two stacks disagree on the break-glass path, because the Guard rule and this scan would then
judge different users. Exit 0: only break-glass users, no root key. Exit 1: any other IAM user, any
root access key, a break-glass user with a key, or an account that could not be scanned. Exit 2:
bad arguments or config (the message names the file, the field, the value and the fix).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from frontdoor.commands.live_common import management_mismatch, progress, project_root
from frontdoor.domain.base.errors import ConfigError

EXIT_OK, EXIT_FINDINGS, EXIT_CONFIG = 0, 1, 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "posture", help="every IAM user and long-lived key in the organization (boto3, read-only)"
    )
    parser.add_argument("--stack", default="demo", help="the access stack (its frontdoor:posture section)")
    parser.add_argument(
        "--break-glass-stack",
        default="breakglass",
        help="the break-glass stack: stacks/Pulumi.<name>.yaml gives the users' names and path",
    )
    parser.add_argument("--config", help="access stack config file (default stacks/Pulumi.<stack>.yaml)")
    parser.add_argument(
        "--break-glass-config", help="break-glass stack config file (overrides the stack name)"
    )
    parser.add_argument(
        "--role",
        default=None,
        help="role assumed in each member account (default OrganizationAccountAccessRole)",
    )
    parser.add_argument("--format", choices=("md", "csv", "json"), default="md")
    parser.add_argument("--people", help="HR or Okta export (CSV with login and email columns)")
    parser.add_argument(
        "--stale-days",
        type=int,
        default=None,
        help="unused this many days = stale (default: posture config, 90)",
    )
    parser.add_argument("--concurrency", type=int, default=8, help="accounts scanned at once (1-8)")
    parser.add_argument("--profile", help="AWS profile of the management account (default: boto3's)")
    parser.add_argument(
        "--region",
        help="AWS region of the IAM and Organizations calls (default: the stack's organization.region)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(handler=_posture)


def _posture(args: argparse.Namespace) -> int:
    # Within 2 s of start, before the imports below.
    progress(args)(
        f"posture: access stack {args.config or args.stack}, "
        f"break-glass stack {args.break_glass_config or args.break_glass_stack}"
    )
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    import datetime as dt

    from frontdoor.domain.base.input_files import read_text
    from frontdoor.domain.config.files import read_stack_file, stack_file
    from frontdoor.domain.config.parse import parse_break_glass_config, parse_stack_config
    from frontdoor.domain.model.posture import PostureConfig
    from frontdoor.domain.people.hr_export import MAX_EXPORT_BYTES
    from frontdoor.domain.reconcile.posture import parse_people
    from frontdoor.live.aws import LiveError, LiveSession
    from frontdoor.live.posture import (
        DEFAULT_AUDIT_ROLE,
        Progress,
        exit_status,
        management_account_id,
        render,
        scan,
    )
    from frontdoor.offline.preview import config_error_text

    try:
        # Default files are the project's (live_common), wherever the command runs.
        glass_file = (
            Path(args.break_glass_config)
            if args.break_glass_config
            else stack_file(args.break_glass_stack, project_root("posture"))
        )
        glass_stack = parse_break_glass_config(read_stack_file(glass_file), str(glass_file))
        glass = glass_stack.break_glass
        access_file = Path(args.config) if args.config else stack_file(args.stack, project_root("posture"))
        access = parse_stack_config(read_stack_file(access_file), str(access_file))
    except ConfigError as error:
        print(config_error_text(error), file=sys.stderr)
        return EXIT_CONFIG
    posture = access.posture or PostureConfig()
    if access.guardrails.break_glass_path != glass.path:
        print(
            f"{access_file}: frontdoor:guardrails.breakGlassPath: {access.guardrails.break_glass_path!r} "
            "differs from the "
            f"break-glass stack's path {glass.path!r} ({glass_file}: frontdoor:breakGlass.path). "
            "Fix: set both to the same path, or the Guard rule and this scan judge different users",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    stale_days = args.stale_days if args.stale_days is not None else posture.max_credential_usage_days
    if stale_days < 1 or not 1 <= args.concurrency <= 8:
        print("error: --stale-days must be at least 1 and --concurrency 1-8", file=sys.stderr)
        return EXIT_CONFIG
    people = None
    if args.people:
        path = Path(args.people)
        try:
            # The one reader of every people file: UTF-8 or refused by name, strict CSV.
            text = read_text(path, "people file", MAX_EXPORT_BYTES, "export only the login and email columns")
            people = parse_people(text, str(path))
        except ConfigError as error:
            print(config_error_text(error), file=sys.stderr)
            return EXIT_CONFIG
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_CONFIG
    # The stack's region when none is given: with no AWS_DEFAULT_REGION, boto3 has none (NoRegionError).
    region = args.region or access.organization.region
    live = LiveSession(profile=args.profile, region=region, say=progress(args))
    now = dt.datetime.now(dt.UTC)
    try:
        # The organization must be the stack's before any account is scanned (DescribeOrganization,
        # which the scan needs anyway).
        management = management_account_id(live)
        # Both stacks name the management account: the access stack's posture rules and the break-glass
        # stack's users are this organization's only when both ids are its management account's.
        for config_file, configured in (
            (access_file, access.organization.management_account_id),
            (glass_file, glass_stack.organization.management_account_id),
        ):
            mismatch = management_mismatch(management, configured, config_file, caller_is="organization")
            if mismatch is not None:
                print(f"error: call DescribeOrganization: {mismatch}", file=sys.stderr)
                return EXIT_CONFIG
        result = scan(
            live,
            management_id=management,
            role_name=args.role or DEFAULT_AUDIT_ROLE,
            break_glass_names=glass.user_names,
            break_glass_path=glass.path,
            people=people,
            stale_days=stale_days,
            concurrency=args.concurrency,
            now=now,
            progress=Progress(0, enabled=not args.quiet),
        )
    except LiveError as error:
        print(f"error: {error.render()}", file=sys.stderr)
        return EXIT_CONFIG
    print(render(result, args.format, now), end="" if args.format == "csv" else "\n")
    if not args.quiet:
        print(
            f"posture: {len(result.accounts)} accounts, {result.api_calls} API calls, "
            f"{len(result.violations)} finding(s) to act on, {len(result.failures)} account(s) failed",
            file=sys.stderr,
        )
    return exit_status(result)
