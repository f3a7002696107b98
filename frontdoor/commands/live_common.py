"""What the live commands share: their AWS and file options, the stack config, the management-account
check, the exit codes.

Default files resolve against the frontdoor project (the checkout holding Pulumi.yaml and stacks/),
never the working directory: run from anywhere, `--stack demo` reads the project's
stacks/Pulumi.demo.yaml; `--config` and `--estate` name other files, as for `preview`.

Exit codes of the live commands: 0 clean; 1 a verdict (doctor: something to do; drift: drift found);
2 nothing could be concluded: bad config or arguments, no credentials, not the management account, a
call refused (access denied), throttled beyond the retries, or a role that cannot be assumed. The
message names the account, the call and the fix; never a traceback; `estate pull` writes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_VERDICT, EXIT_CANNOT_READ = 0, 1, 2
DEFAULT_READ_ROLE = "OrganizationAccountAccessRole"


def add_aws_options(parser: argparse.ArgumentParser, *, estate_help: str | None = None) -> None:
    """The options every live command takes; with `estate_help`, `--estate` (a command that reads one)."""
    parser.add_argument("--stack", required=True, help="the stack whose config names the accounts")
    parser.add_argument(
        "--config", help="stack config file (default <project>/stacks/Pulumi.<stack>.yaml, as preview)"
    )
    if estate_help is not None:
        parser.add_argument("--estate", help=estate_help)
    parser.add_argument("--profile", help="AWS profile of the management account (default: boto3's)")
    parser.add_argument(
        "--region", help="Identity Center home region (default: the stack's organization.region)"
    )
    parser.add_argument(
        "--role-name",
        default=None,
        help="role assumed in the Identity Center administrator account (default: the stack's "
        f"delivery.previewRoleName when FRONTDOOR_IDENTITY=preview, else {DEFAULT_READ_ROLE})",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def read_role_name(args: argparse.Namespace, config: Any) -> str:
    """The role read through in the Identity Center account: `--role-name`, else the preview identity's.

    Under FRONTDOOR_IDENTITY=preview (the drift job) the preview role may assume only its namesake
    there (frontdoor/domain/documents/provider_identity.py), never OrganizationAccountAccessRole
    (administrator).
    """
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.documents.provider_identity import PREVIEW, identity_mode

    if args.role_name:
        return str(args.role_name)
    delivery = config.delivery
    if identity_mode(os.environ) == PREVIEW and delivery is not None:
        return str(delivery.preview_role_name)
    return DEFAULT_READ_ROLE


def progress(args: argparse.Namespace) -> Callable[[str], None]:
    def say(message: str) -> None:
        if not args.quiet:
            print(f"... {message}", file=sys.stderr, flush=True)

    return say


def project_root(command: str) -> Path:
    """The frontdoor project the default files live in (ConfigError, exit 2, when installed without one)."""
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.offline.project import checkout

    return checkout(f"`frontdoor {command}` without --config")


def config_path(args: argparse.Namespace, command: str) -> Path:
    """`--config`, else the project's stacks/Pulumi.<stack>.yaml (as `preview` resolves it)."""
    if getattr(args, "config", None):
        return Path(args.config)
    return project_root(command) / "stacks" / f"Pulumi.{args.stack}.yaml"


def estate_path(args: argparse.Namespace, command: str) -> Path:
    """`--estate`, else the project's stacks/estate.<stack>.yaml (as `preview` resolves it)."""
    if getattr(args, "estate", None):
        return Path(args.estate)
    return project_root(command) / "stacks" / f"estate.{args.stack}.yaml"


def load_config(stack: str, path: Path) -> Any:
    """The stack's StackConfig from `path` (ConfigError on bad input)."""
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.base.errors import ConfigError, ConfigIssue
    from frontdoor.domain.config.files import read_stack_file
    from frontdoor.domain.config.parse import MONITORING_KEY, is_monitoring, parse_stack_config

    values = read_stack_file(path)
    if is_monitoring(values):
        raise ConfigError(
            [
                ConfigIssue(
                    str(path),
                    f"frontdoor:{MONITORING_KEY}",
                    stack,
                    "this is the monitoring stack: it reads nothing from AWS (its program reads the identity "
                    "stack's outputs and registers Datadog monitors)",
                    "run the command on the identity stack that frontdoor:monitoring.identityStack names",
                )
            ]
        )
    return parse_stack_config(values, str(path))


def guarded(run: Callable[[], int]) -> int:
    """Run a live command; every failure the user can fix becomes one message and exit 2."""
    try:
        return run()
    except Exception as error:
        # Imported on failure only: boto3 and the engine take a second or more to import, and the
        # command's first progress line (in `run`) must come before that.
        import botocore.exceptions

        from frontdoor.domain.base.errors import ConfigError
        from frontdoor.live.aws import LiveError
        from frontdoor.offline.preview import config_error_text

        if isinstance(error, ConfigError):
            print(config_error_text(error), file=sys.stderr)
        elif isinstance(error, LiveError):
            print(f"error: {error.render()}", file=sys.stderr)
        elif isinstance(error, botocore.exceptions.BotoCoreError):
            print(
                f"error: {type(error).__name__}: {error}: check the profile, region and network",
                file=sys.stderr,
            )
        else:
            raise
        return EXIT_CANNOT_READ


def management_mismatch(
    caller: str, configured: str, config_file: Path | str, *, caller_is: str = "account"
) -> str | None:
    """Why the credentials are not the stack's management account's, or None when they are.

    A live command run with another organization's credentials would read (and `estate pull` would
    write) that organization as if it were the stack's: the ids must match before anything is read.
    `caller` is the credentials' account (GetCallerIdentity), or with caller_is="organization" their
    organization's management account (DescribeOrganization's MasterAccountId).
    """
    if caller == configured:
        return None
    where = (
        f"account {caller}"
        if caller_is == "account"
        else f"the organization whose management account is {caller}"
    )
    return (
        f"these credentials are in {where}, but {config_file} says "
        f"frontdoor:organization.managementAccountId is {configured}: run with a profile of account "
        f"{configured} (--profile), or pass --config with the stack config of account {caller}'s "
        "organization; nothing was read"
    )


def check_management_account(live: Any, config: Any, config_file: Path, say: Callable[[str], None]) -> None:
    """Stop (LiveError, exit 2) unless the caller is the stack's management account: the first call
    every live command makes, before its plan or any read that takes time. One GetCallerIdentity, which
    the organization read reuses (frontdoor.live.organization.caller_account)."""
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.live.aws import LiveError
    from frontdoor.live.organization import caller_account

    configured = str(config.organization.management_account_id)
    say(f"sts: checking these credentials are the management account {configured}'s")
    caller = caller_account(live)
    problem = management_mismatch(caller, configured, config_file)
    if problem is not None:
        raise LiveError(problem, account=caller, operation="GetCallerIdentity")
