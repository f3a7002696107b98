"""`frontdoor estate pull --stack S`: the real organization and Identity Center -> stacks/estate.S.yaml.

First checks that the credentials are the stack's management account's (nothing is read or written
otherwise). `--config` and `--estate` name other files than the project's stacks/ (live_common).

Reads Organizations from the management account and Identity Center from its delegated
administrator (by assuming `--role-name` there), the management account's IAM facts (the stack's
deploy and preview roles, the OIDC providers, the break-glass users) and StackSets' organizations
access; with `--config-recorders`, the AWS Config recorder of every ACTIVE account (through
`--audit-role`); with `--stack-state FILE` (a `pulumi stack export`) or `--fresh-stack`, what the
stack's own state holds. A block it does not read this time is carried over from the file it replaces
(said on stderr), never dropped. It builds the estate document, validates it as the offline engine will
(`parse_estate`) and only then replaces the file, in one rename: a failed or partial read writes
nothing. Afterwards `frontdoor preview --stack S` previews against the real organization, without the
Pulumi CLI. Exit codes: frontdoor.commands.live_common.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdoor.commands.live_common import (
    DEFAULT_READ_ROLE,
    EXIT_OK,
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
    from frontdoor.live.aws import LiveSession


@dataclass(frozen=True)
class Pulled:
    text: str
    accounts: int
    ous: int
    groups: int
    calls: int
    minimum_calls: int
    carried: tuple[str, ...] = ()  # blocks kept from the file being replaced
    unknown: tuple[str, ...] = ()  # blocks neither read nor in that file: unknown to the preview


@dataclass(frozen=True)
class PullOptions:
    """What `estate pull` reads beyond the organization and Identity Center, and what it carries over."""

    config: Any  # the stack's StackConfig
    stack_state: Path | None = None  # a `pulumi stack export` file
    fresh_stack: bool = False
    config_recorders: bool = False
    audit_role: str = DEFAULT_READ_ROLE
    existing: Mapping[str, Any] = field(default_factory=dict)  # the estate file being replaced


def pull(
    live: LiveSession,
    *,
    stack: str,
    region: str,
    role_name: str,
    group_prefix: str,
    options: PullOptions,
    say: Callable[[str], None] = lambda _message: None,
) -> Pulled:
    """Read everything, validate the estate; LiveError or ConfigError on any failure."""
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.live.aws import LiveError
    from frontdoor.live.estate_writer import (
        CARRIED_BLOCKS,
        ONLY_SOME_STACKS_READ,
        ManagementFacts,
        estate_document,
        render_estate,
    )
    from frontdoor.live.identity_center import (
        SSO_PRINCIPAL,
        identity_center_session,
        minimum_identity_center_calls,
        read_identity_center,
    )
    from frontdoor.live.management import (
        minimum_config_recording_calls,
        read_config_recording,
        read_oidc_hosts,
        read_roles,
        read_stack_sets_access,
        read_users,
    )
    from frontdoor.live.organization import minimum_organization_calls, read_organization
    from frontdoor.offline.estate import parse_estate

    # A bad --stack-state file stops the pull before the organization is read.
    deployed = deployed_block(options)
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
    config = options.config
    say("management account: roles, OIDC providers, break-glass users, StackSets access")
    role_names = [config.organization.deployer_role_name]
    if config.delivery is not None:
        role_names.append(config.delivery.preview_role_name)
    if config.trail is not None and config.trail.datadog is not None:
        role_names.append(config.trail.datadog.integration_role_name)
    user_names = list(config.guardrails.break_glass_user_names)
    active = sorted(a.id for a in organization.accounts.values() if a.status == "ACTIVE")
    recording = None
    if options.config_recorders:
        say(f"config recorders: {len(active)} accounts through {options.audit_role}")
        recording = read_config_recording(
            live,
            accounts=active,
            management_account=organization.management_account_id,
            region=region,
            audit_role=options.audit_role,
        ).model_dump(by_alias=True, mode="json")
    facts = ManagementFacts(
        stack_sets_access=read_stack_sets_access(live),
        iam_roles=read_roles(live, role_names),
        oidc_providers=read_oidc_hosts(live),
        break_glass_users=read_users(live, user_names),
        config_recording=recording,
        deployed=deployed,
        carried={block: options.existing[block] for block in CARRIED_BLOCKS if block in options.existing},
    )
    document = estate_document(organization, center, region=region, group_prefix=group_prefix, facts=facts)
    text = render_estate(document, stack)
    parse_estate(document, f"estate read from AWS (stack {stack})", read_from_aws=True)
    minimum = minimum_organization_calls(organization) + minimum_identity_center_calls(center)
    if center_live is not live:
        minimum += 1  # AssumeRole into the Identity Center administrator account
    # DescribeOrganizationsAccess, ListOpenIDConnectProviders, a GetRole per role, a GetUser per user.
    minimum += 2 + len(set(role_names)) + len(set(user_names))
    if options.config_recorders:
        minimum += minimum_config_recording_calls(active, organization.management_account_id)
    read = {"configRecording": recording, "deployed": facts.deployed}
    return Pulled(
        text=text,
        accounts=len(organization.accounts),
        ous=len(organization.ous),
        groups=len(document["syncedGroups"]),
        calls=live.call_count,
        minimum_calls=minimum,
        carried=tuple(b for b in CARRIED_BLOCKS if read.get(b) is None and b in options.existing),
        unknown=tuple(
            b
            for b in CARRIED_BLOCKS
            if read.get(b) is None and b not in options.existing and b not in ONLY_SOME_STACKS_READ
        ),
    )


def deployed_block(options: PullOptions) -> dict[str, Any] | None:
    """The `deployed:` block from `--stack-state FILE` (a `pulumi stack export`) or `--fresh-stack`."""
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.base import strict_yaml
    from frontdoor.domain.base.errors import ConfigError, ConfigIssue
    from frontdoor.domain.config.files import read_text_file
    from frontdoor.domain.planning.prior_state import PriorState

    if options.fresh_stack:
        return PriorState(0, False).as_estate()
    if options.stack_state is None:
        return None
    path = options.stack_state
    try:
        export = strict_yaml.loads_json(read_text_file(path, "stack export"))
    except (ValueError, strict_yaml.InputRefused) as error:
        raise ConfigError(
            [
                ConfigIssue(
                    str(path),
                    "(file)",
                    str(error)[:120],
                    "not a `pulumi stack export` JSON document",
                    "write it with `pulumi stack export --stack <stack> --file FILE`",
                )
            ]
        ) from None
    deployment = export.get("deployment") if isinstance(export, dict) else None
    if not isinstance(deployment, dict) or not isinstance(deployment.get("resources", []), list):
        raise ConfigError(
            [
                ConfigIssue(
                    str(path),
                    "deployment.resources",
                    type(deployment).__name__,
                    "a `pulumi stack export` document has deployment.resources, a list",
                    "write it with `pulumi stack export --stack <stack> --file FILE`",
                )
            ]
        )
    return PriorState.from_export(export).as_estate()


def _pull(args: argparse.Namespace) -> int:
    say = progress(args)

    def run() -> int:
        config_file = config_path(args, "estate pull")
        say(f"estate pull: stack {args.stack}, config {config_file}")
        # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
        from frontdoor.live.aws import LiveSession
        from frontdoor.live.estate_writer import write_atomically

        config: Any = load_config(args.stack, config_file)
        region = args.region or config.organization.region
        live = LiveSession(profile=args.profile, region=region, say=say)
        check_management_account(live, config, config_file, say)
        target = estate_path(args, "estate pull")
        options = PullOptions(
            config=config,
            stack_state=Path(args.stack_state) if args.stack_state else None,
            fresh_stack=args.fresh_stack,
            config_recorders=args.config_recorders,
            audit_role=args.audit_role,
            existing=existing_estate(target),
        )
        pulled = pull(
            live,
            stack=args.stack,
            region=region,
            role_name=read_role_name(args, config),
            group_prefix=args.group_prefix or config.okta.push_group_prefix,
            options=options,
            say=say,
        )
        write_atomically(target, pulled.text)
        for block in pulled.carried:
            print(f"kept {block} from the previous {target.name} (not read this time)", file=sys.stderr)
        for block in pulled.unknown:
            print(f"{block}: not read, so unknown: {HOW_TO_READ[block]}", file=sys.stderr)
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
    add_aws_options(
        pull_parser,
        estate_help="the estate file to replace (default <project>/stacks/estate.<stack>.yaml, as preview)",
    )
    pull_parser.add_argument(
        "--group-prefix", help="synced groups to keep (default: the stack's pushGroupPrefix)"
    )
    pull_parser.add_argument("--out", dest="estate", help="the same as --estate")
    state = pull_parser.add_mutually_exclusive_group()
    state.add_argument(
        "--stack-state",
        metavar="FILE",
        help="the stack's state as `pulumi stack export --stack S --file FILE` writes it: fills deployed",
    )
    state.add_argument(
        "--fresh-stack", action="store_true", help="the stack was never applied: deployed holds nothing"
    )
    pull_parser.add_argument(
        "--config-recorders",
        action="store_true",
        help="read every ACTIVE account's AWS Config recorder (through --audit-role): fills configRecording",
    )
    pull_parser.add_argument(
        "--audit-role",
        default=DEFAULT_READ_ROLE,
        help=f"role assumed in each member account for --config-recorders (default {DEFAULT_READ_ROLE})",
    )
    pull_parser.set_defaults(handler=_pull)


# What fills a block `estate pull` did not read (said on stderr when it stays unknown).
HOW_TO_READ = {
    "oktaProfileAttributes": "write the Okta user profile's custom attributes by hand ([] for none)",
    "okta": "write okta.appUserSchema and okta.userSchema from Okta's Schemas API by hand "
    "(stacks/estate.demo.yaml shows the shape)",
    "stackOutputs": "write each referenced stack's `pulumi stack output --json --stack <name>` by hand",
    "configRecording": "pass --config-recorders (and --audit-role)",
    "deployed": "pass --stack-state FILE (pulumi stack export) or --fresh-stack",
}


def existing_estate(path: Path) -> dict[str, Any]:
    """The estate file being replaced, as a mapping ({} when there is none)."""
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.config.files import read_yaml_file

    if not path.is_file():
        return {}
    document = read_yaml_file(path, "estate")
    return document if isinstance(document, dict) else {}
