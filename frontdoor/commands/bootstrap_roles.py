"""`frontdoor bootstrap-roles --stack S`: the roles the providers assume, printed for an administrator.

Print-only (nothing is called): for the management account, the GitHub OIDC provider and the deploy
and preview roles exactly as the stack registers them (trust, inline policy, session length); for the
Identity Center account, the namesakes the Identity Center provider assumes. Each with the AWS CLI
commands that create it, in order. An administrator runs them once, before the first apply (the providers
assume these roles before any resource, so the stack cannot create its own deployer first), then sets
`delivery.adoptOidcProvider`, `adoptDeployRole` and `adoptPreviewRole` for the apply that imports them
(docs/first-run.md step 0). `--out DIR` also writes the documents and a `commands.sh` there.
Exit codes: 0 printed, 2 bad config.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_CONFIG = 0, 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "bootstrap-roles",
        help="print the deploy and preview roles (trust, policy, AWS CLI commands) to create before the "
        "first run",
    )
    parser.add_argument("--stack", required=True, help="the access stack whose roles to print")
    parser.add_argument("--config", help="the stack file (default: stacks/Pulumi.<stack>.yaml)")
    parser.add_argument("--out", help="also write the documents and commands.sh into this directory")
    parser.set_defaults(handler=_bootstrap_roles)


def _bootstrap_roles(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.base.errors import ConfigError
    from frontdoor.domain.config.files import read_stack_file, stack_file
    from frontdoor.domain.config.parse import is_break_glass, parse_stack_config

    path = Path(args.config) if args.config else stack_file(args.stack)
    try:
        values = read_stack_file(path)
        if is_break_glass(values):
            print(
                f"error: {path} is the break-glass stack: its provider assumes the deployer of the access "
                "stack; "
                "run bootstrap-roles for the access stack",
                file=sys.stderr,
            )
            return EXIT_CONFIG
        config = parse_stack_config(values, str(path))
    except ConfigError as error:
        print("error: bad input\n" + error.render(), file=sys.stderr)
        return EXIT_CONFIG
    text, files = render(config)
    print(text)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (out / name).write_text(content + "\n", encoding="utf-8")
        print(f"\nwrote {len(files)} files into {out}")
    return EXIT_OK


def render(config: object) -> tuple[str, dict[str, str]]:
    """The printed walk-through and the files (documents, commands.sh) of one access stack's roles."""
    from frontdoor.domain.documents.delivery_roles import (
        RoleDocuments,
        identity_center_roles,
        management_roles,
        oidc_provider_command,
    )
    from frontdoor.domain.model.stack import StackConfig

    assert isinstance(config, StackConfig)
    org = config.organization
    lines: list[str] = []
    files: dict[str, str] = {}
    script = [
        "#!/bin/sh",
        "# frontdoor bootstrap-roles: run each block with credentials of the account it names",
        "set -e",
    ]

    def role(documents: RoleDocuments) -> None:
        lines.append(f"role {documents.arn}")
        for name, content in documents.files().items():
            files[name] = content
            lines.append(f"  {name}:")
            lines.extend(f"    {line}" for line in content.splitlines())
        if documents.note:
            lines.append(f"  note: {documents.note}")
        for command in documents.commands():
            lines.append(f"  $ {command}")
            script.append(command)

    management = management_roles(config)
    lines.append(
        f"# Management account {org.management_account_id} (an administrator of the management account runs "
        "these, once, before the first apply)"
    )
    script.append(f"# management account {org.management_account_id}")
    if management:
        lines.append(f"oidc provider: $ {oidc_provider_command()}")
        script.append(oidc_provider_command())
        for documents in management:
            role(documents)
        lines.append(
            "then set frontdoor:delivery adoptOidcProvider, adoptDeployRole and adoptPreviewRole: true for "
            "the "
            "apply that imports them, and unset them after it (docs/first-run.md step 0)"
        )
    else:
        lines.append(
            f"no frontdoor:delivery: create {org.deployer_role_name} as you deploy (the providers assume "
            "it), "
            "it is not managed by this stack"
        )
    lines.append("")
    lines.append(
        f"# Identity Center account {org.identity_center_account_id} (through an administrator role there, "
        "e.g. OrganizationAccountAccessRole)"
    )
    script.append(f"# Identity Center account {org.identity_center_account_id}")
    for documents in identity_center_roles(config):
        role(documents)
    files["commands.sh"] = "\n".join(script)
    return "\n".join(lines), files
