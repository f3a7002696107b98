"""`frontdoor doctor --stack S`: the first-run preconditions, checked live, each failing one with its fix.

Reads the organization (management account), Identity Center (its delegated administrator, or the
account the stack names), the permission sets there, the management account's IAM OIDC providers and
the stack's deploy and preview roles, and StackSets' organizations access when the stack has machine
consumers, then prints one line per check (frontdoor.live.doctor). Exit 0 all clear, 1 something to do,
2 bad config or nothing could be read (live_common).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from frontdoor.commands.live_common import (
    add_aws_options,
    check_management_account,
    config_path,
    guarded,
    load_config,
    progress,
    read_role_name,
)

if TYPE_CHECKING:
    from frontdoor.live.aws import LiveSession
    from frontdoor.live.doctor import Check


def examine(
    live: LiveSession,
    config: Any,
    *,
    source: str,
    region: str,
    role_name: str,
    say: Callable[[str], None] = lambda _message: None,
) -> list[Check]:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.planning.bootstrap import required_trusted_access
    from frontdoor.domain.planning.plan import plan_access
    from frontdoor.live.aws import call, paginate
    from frontdoor.live.doctor import (
        DoctorInputs,
        collision_checks,
        identity_center_checks,
        organization_checks,
        role_checks,
    )
    from frontdoor.live.identity_center import (
        SSO_PRINCIPAL,
        identity_center_session,
        read_identity_center,
    )
    from frontdoor.live.management import read_roles, read_stack_sets_access
    from frontdoor.live.organization import org_snapshot, read_organization

    organization = read_organization(live, progress=say)
    access = plan_access(config, org_snapshot(organization), source)
    inputs = DoctorInputs(
        identity_center_account_id=config.organization.identity_center_account_id,
        region=region,
        group_prefix=config.okta.push_group_prefix,
        pushed_groups=frozenset(group.name for group in access.groups),
        catalogue=frozenset(config.permission_sets),
        manages_delegation=True,  # components/organization_plumbing.py registers it
        creates_oidc_provider=config.delivery is not None,  # components/github_deploy_role.py
        trusted_access=required_trusted_access(config),
        deployer_role=config.organization.deployer_role_name,
        preview_role=config.delivery.preview_role_name if config.delivery else None,
        adopted_roles=frozenset(
            name
            for name, adopted in (
                (
                    config.organization.deployer_role_name,
                    config.delivery and config.delivery.adopt_deploy_role,
                ),
                (
                    config.delivery.preview_role_name if config.delivery else "",
                    config.delivery and config.delivery.adopt_preview_role,
                ),
            )
            if adopted
        ),
        creates_roles=config.delivery is not None,  # components/access_platform.py `_delivery`
        adopts_delegation=config.bootstrap.adopt_delegated_administrator,
    )
    say("iam: the roles the providers assume")
    roles = read_roles(live, [inputs.deployer_role, *([inputs.preview_role] if inputs.preview_role else [])])
    stack_sets_access = read_stack_sets_access(live) if config.machines is not None else None
    admin = organization.delegated_admin_for(SSO_PRINCIPAL)
    center = None
    set_names: list[str] = []
    if admin is not None or organization.trusted_services:
        # The instance belongs to the management account; only its delegated administrator sees it too.
        # Before the delegation the stack's Identity Center account sees none (ListInstances answers an
        # empty list there), so it is read where `estate pull` reads it.
        center_account = admin or organization.management_account_id
        center_live = identity_center_session(
            live, center_account, organization.management_account_id, role_name
        )
        center = read_identity_center(center_live, progress=say)
        if center is not None:
            say("identity center: permission set names")
            sso = center_live.client("sso-admin")
            for arn in paginate(
                sso,
                "list_permission_sets",
                "PermissionSets",
                account=center_live.account,
                InstanceArn=center.instance_arn,
            ):
                described = call(
                    sso.describe_permission_set,
                    account=center_live.account,
                    InstanceArn=center.instance_arn,
                    PermissionSetArn=arn,
                )
                set_names.append(str(described["PermissionSet"]["Name"]))
    say("iam: OIDC providers of the management account")
    providers = [
        str(p["Arn"])
        for p in call(live.client("iam").list_open_id_connect_providers, account=live.account).get(
            "OpenIDConnectProviderList", []
        )
    ]
    return [
        *role_checks(inputs, roles),
        *organization_checks(organization, inputs, stack_sets_access),
        *identity_center_checks(inputs, organization, center),
        *collision_checks(inputs, organization, center, providers, set_names),
    ]


def _doctor(args: argparse.Namespace) -> int:
    say = progress(args)

    def run() -> int:
        config_file = config_path(args, "doctor")
        say(f"doctor: stack {args.stack}, config {config_file}")
        # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
        from frontdoor.live.aws import LiveSession
        from frontdoor.live.doctor import exit_code

        config = load_config(args.stack, config_file)
        region = args.region or config.organization.region
        live = LiveSession(profile=args.profile, region=region, say=say)
        check_management_account(live, config, config_file, say)
        checks = examine(
            live,
            config,
            source=str(config_file),
            region=region,
            role_name=read_role_name(args, config),
            say=say,
        )
        for check in checks:
            print(check.render())
        code = exit_code(checks)
        print("all clear" if code == 0 else f"{sum(c.status == 'todo' for c in checks)} thing(s) to do")
        return code

    return guarded(run)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "doctor", help="check the first-run preconditions against the live organization"
    )
    add_aws_options(parser)
    parser.set_defaults(handler=_doctor)
