"""`frontdoor estate pull --stack S`: the real organization and Identity Center -> stacks/estate.S.yaml.

Reads Organizations from the management account and Identity Center from its delegated
administrator (by assuming `--role-name` there), builds the estate document, validates it as the
offline engine will (`parse_estate`) and only then replaces the file, in one rename: a failed or
partial read writes nothing. Afterwards `frontdoor preview --stack S` previews against the real
organization, without the Pulumi CLI. Exit codes: frontdoor.commands.live_common.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdoor.commands.live_common import (
    EXIT_OK,
    add_aws_options,
    guarded,
    load_config,
    progress,
    read_role_name,
    stack_path,
)

if TYPE_CHECKING:
    from frontdoor.live.aws import LiveSession


@dataclass(frozen=True)
class Pulled:
    text: str
    accounts: int
    ous: int
    groups: int
    calls: int
    minimum_calls: int


def pull(
    live: LiveSession,
    *,
    stack: str,
    region: str,
    role_name: str,
    group_prefix: str,
    say: Callable[[str], None] = lambda _message: None,
) -> Pulled:
    """Read everything, validate the estate; LiveError or ConfigError on any failure."""
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.live.aws import LiveError
    from frontdoor.live.estate_writer import estate_document, render_estate
    from frontdoor.live.identity_center import (
        SSO_PRINCIPAL,
        identity_center_session,
        minimum_identity_center_calls,
        read_identity_center,
    )
    from frontdoor.live.organization import minimum_organization_calls, read_organization
    from frontdoor.offline.estate import parse_estate

    organization = read_organization(live, progress=say)
    admin = organization.delegated_admin_for(SSO_PRINCIPAL)
    center_live = identity_center_session(live, admin, organization.management_account_id, role_name)
    center = read_identity_center(center_live, progress=say)
    if center is None:
        raise LiveError(
            f"no IAM Identity Center instance in region {region}: enable Identity Center in the management "
            f"account (console, region {region}) and register its delegated administrator; or pass --region "
            "with the Identity Center home region",
            account=center_live.account,
            operation="ListInstances",
        )
    document = estate_document(organization, center, region=region, group_prefix=group_prefix)
    text = render_estate(document, stack)
    parse_estate(document, f"estate read from AWS (stack {stack})")
    minimum = minimum_organization_calls(organization) + minimum_identity_center_calls(center)
    if center_live is not live:
        minimum += 1  # AssumeRole into the Identity Center administrator account
    return Pulled(
        text=text,
        accounts=len(organization.accounts),
        ous=len(organization.ous),
        groups=len(document["syncedGroups"]),
        calls=live.call_count,
        minimum_calls=minimum,
    )


def _pull(args: argparse.Namespace) -> int:
    def run() -> int:
        # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
        from frontdoor.live.aws import LiveSession
        from frontdoor.live.estate_writer import write_atomically

        config: Any = load_config(args.stack)
        region = args.region or config.organization.region
        say = progress(args)
        live = LiveSession(profile=args.profile, region=region)
        pulled = pull(
            live,
            stack=args.stack,
            region=region,
            role_name=read_role_name(args, config),
            group_prefix=args.group_prefix or config.okta.push_group_prefix,
            say=say,
        )
        target = Path(args.out) if args.out else stack_path(args.stack, "estate")
        write_atomically(target, pulled.text)
        print(
            f"wrote {target}: {pulled.accounts} accounts, {pulled.ous} OUs, {pulled.groups} synced groups; "
            f"{pulled.calls} API calls (minimum for this estate: {pulled.minimum_calls})"
        )
        return EXIT_OK

    return guarded(run)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    estate = commands.add_parser("estate", help="the estate file: the organization the offline preview reads")
    actions = estate.add_subparsers(dest="estate_action", required=True)
    pull_parser = actions.add_parser(
        "pull", help="read the real organization and Identity Center into stacks/estate.<stack>.yaml"
    )
    add_aws_options(pull_parser)
    pull_parser.add_argument(
        "--group-prefix", help="synced groups to keep (default: the stack's pushGroupPrefix)"
    )
    pull_parser.add_argument("--out", help="write here instead of stacks/estate.<stack>.yaml")
    pull_parser.set_defaults(handler=_pull)
