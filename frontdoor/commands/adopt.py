"""`frontdoor adopt --stack S [--out DIR]`: bring what exists in AWS under the program, never recreate it.

Runs the program offline for the stack (the plan: every resource with its URN, type, name, parent and
provider), reads the live permission sets with their attachments and inline policies, the
assignments, the SCPs with their attachments, the delegated administrator, the ABAC configuration
and the GitHub OIDC provider, and writes to DIR (default `adopt/<stack>`):
- `import.json` for `pulumi import --file`: one entry per live object the program registers, in the
  provider's import id format, with the components above them and the providers' name table;
- `adoption.md` and `adoption.json`: live objects with no place in the config (with the config that
  would own them), planned objects missing live, differences that are updated in place.
Exit 0 written; 1 a replacement would happen (nothing but the report is written: the message says
what to change in the config) or an entry does not match a resource of the program; 2 could not read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    project_root,
    read_role_name,
)

if TYPE_CHECKING:
    from frontdoor.domain.reconcile.adopt import Adoption
    from frontdoor.domain.reconcile.import_ids import PlannedResource
    from frontdoor.live.aws import LiveSession
    from frontdoor.offline.record import RecordedResource

PROVIDER_TYPE_PREFIX = "pulumi:providers:"


def planned_resource(resource: RecordedResource) -> PlannedResource:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.reconcile.import_ids import PlannedResource

    return PlannedResource(
        urn=resource.urn,
        type=resource.type,
        name=resource.name,
        parent_urn=resource.parent_urn,
        custom=resource.custom,
        provider_urn=resource.provider.rsplit("::", 1)[0] if resource.provider else "",
        inputs=resource.inputs,
        outputs=resource.outputs,
    )


def provider_accounts(planned: list[PlannedResource], default_account: str) -> dict[str, str]:
    """The account each explicit provider acts in: its assumed role's account, else the caller's."""
    accounts: dict[str, str] = {}
    for resource in planned:
        if not resource.type.startswith(PROVIDER_TYPE_PREFIX):
            continue
        roles: Any = resource.inputs.get("assumeRoles") or []
        if isinstance(roles, str):  # provider inputs are registered JSON-encoded
            roles = json.loads(roles)
        role = roles[0] if isinstance(roles, list) and roles else roles
        arn = str(role.get("roleArn") or "") if isinstance(role, dict) else ""
        accounts[resource.urn] = arn.split(":")[4] if arn.count(":") >= 5 else default_account
    return accounts


def adopt_stack(
    live: LiveSession,
    stack: str,
    *,
    config_file: Path,
    estate: Path,
    role_name: str,
    region: str,
    group_prefix: str,
    teams: list[str],
    with_boundary: bool,
    with_abac: bool,
    say: Callable[[str], None],
) -> Adoption:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.reconcile.adopt import adopt
    from frontdoor.domain.reconcile.import_ids import LiveEstate, LiveSet
    from frontdoor.domain.resource_types import OIDC_PROVIDER
    from frontdoor.live.access import permission_set_shape, read_live_access
    from frontdoor.live.adoption import read_abac, read_oidc_providers, read_scps
    from frontdoor.offline.plan import plan_from_preview
    from frontdoor.offline.preview import resolve_inputs, run_preview

    say(f"plan: running the program for stack {stack} offline")
    inputs = resolve_inputs(stack, config_file=config_file, estate=estate)
    result = run_preview(inputs, evaluate_policies=False)
    plan = plan_from_preview(result)
    planned = [planned_resource(r) for r in result.run.resources]

    access = read_live_access(
        live,
        plan,
        region=region,
        role_name=role_name,
        group_prefix=group_prefix,
        with_boundary=with_boundary,
        say=say,
        purpose="adopt",
    )
    organization, center, center_live = access.organization, access.center, access.center_session
    findings = access.findings
    say("organization: every service control policy with its content and targets")
    scps = read_scps(live)

    accounts = provider_accounts(planned, organization.management_account_id)
    accounts[""] = organization.management_account_id  # the default provider: the caller's account
    oidc: dict[str, str] = {}
    for account in sorted(
        {accounts.get(r.provider_urn, accounts[""]) for r in planned if r.type == OIDC_PROVIDER}
    ):
        say(f"iam: OIDC providers of account {account}")
        session = live if account == live.account else live.assume(account, role_name)
        oidc.update(read_oidc_providers(session, account))
    abac = read_abac(center_live, center.instance_arn) if with_abac else None

    sets = {
        ps.name: LiveSet(
            ps.arn,
            ps.name,
            ps.description,
            permission_set_shape(ps, boundaries_read=with_boundary),
        )
        for ps in center.permission_sets.values()
    }
    estate_live = LiveEstate(
        instance_arn=center.instance_arn,
        permission_sets=sets,
        group_names={gid: name for name, gid in center.groups.items()},
        user_names=center.users,
        assignments=frozenset(
            (a.principal_type, a.principal_id, a.permission_set_arn, a.account_id) for a in center.assignments
        ),
        scps=scps,
        delegated_admins=organization.delegated_admins,
        oidc_providers=oidc,
        abac_configured=abac,
        boundaries_read=with_boundary,
    )
    provider_names = {r.urn: r.name for r in planned if r.type.startswith(PROVIDER_TYPE_PREFIX)}
    return adopt(
        planned,
        plan,
        findings,
        estate_live,
        account_of_provider=accounts,
        provider_names=provider_names,
        group_prefix=group_prefix,
        teams=teams,
    )


def write_outputs(adoption: Adoption, stack: str, out: Path, *, with_import: bool) -> list[Path]:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.reconcile.adopt import render_json, render_markdown

    out.mkdir(parents=True, exist_ok=True)
    written = [out / "adoption.md", out / "adoption.json"]
    written[0].write_text(render_markdown(adoption, stack))
    written[1].write_text(render_json(adoption) + "\n")
    target = out / "import.json"
    if with_import:
        target.write_text(json.dumps(adoption.import_file(), indent=2) + "\n")
        written.append(target)
    elif target.exists():
        target.unlink()  # a stale file from an earlier run must not be imported by mistake
    return written


def _adopt(args: argparse.Namespace) -> int:
    say = progress(args)

    def run() -> int:
        config_file = config_path(args, "adopt")
        say(f"adopt: stack {args.stack}, config {config_file}")
        # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
        from frontdoor.live.aws import LiveSession

        config = load_config(args.stack, config_file)
        region = args.region or config.organization.region
        live = LiveSession(profile=args.profile, region=region, say=say)
        # Before the offline plan (~20 s at 2,000 accounts): wrong credentials stop at once.
        check_management_account(live, config, config_file, say)
        adoption = adopt_stack(
            live,
            args.stack,
            config_file=config_file,
            estate=estate_path(args, "adopt"),
            role_name=read_role_name(args, config),
            region=region,
            group_prefix=config.okta.push_group_prefix,
            teams=sorted(config.teams),
            with_boundary=not args.no_boundary,
            with_abac=not args.no_abac,
            say=say,
        )
        out = Path(args.out) if args.out else project_root("adopt") / "adopt" / args.stack
        clean = not adoption.replacements and not adoption.refused
        written = write_outputs(adoption, args.stack, out, with_import=clean)
        for replacement in adoption.replacements:
            print(f"error: {replacement.subject}: {replacement.message}", file=sys.stderr)
        for refused in adoption.refused:
            print(f"error: refused import entry {refused}", file=sys.stderr)
        print("\n".join(str(path) for path in written))
        return EXIT_OK if clean else EXIT_VERDICT

    return guarded(run)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "adopt", help="write import.json and a reconciliation report for what already exists live"
    )
    add_aws_options(
        parser,
        estate_help="the estate the plan is made against (default <project>/stacks/estate.<stack>.yaml)",
    )
    parser.add_argument(
        "--out", help="directory for import.json and the report (default <project>/adopt/<stack>)"
    )
    parser.add_argument(
        "--no-boundary",
        action="store_true",
        help="do not read permissions boundaries (GetPermissionsBoundaryForPermissionSet); boundary "
        "attachments are then listed as not verified and not imported",
    )
    parser.add_argument(
        "--no-abac",
        action="store_true",
        help="do not read the ABAC configuration (DescribeInstanceAccessControlAttributeConfiguration); "
        "it is then listed as not verified and not imported",
    )
    parser.set_defaults(handler=_adopt)
