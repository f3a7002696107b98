"""What `estate pull`, `doctor` and `drift` share: their AWS options, the stack config, the exit codes.

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


def add_aws_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", required=True, help="the stack whose config names the accounts")
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


def load_config(stack: str) -> Any:
    """The stack's StackConfig (ConfigError on bad input)."""
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.base.errors import ConfigError, ConfigIssue
    from frontdoor.domain.config.files import read_stack_file, stack_file
    from frontdoor.domain.config.parse import MONITORING_KEY, is_monitoring, parse_stack_config

    path = stack_file(stack)
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
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    import botocore.exceptions

    from frontdoor.domain.base.errors import ConfigError
    from frontdoor.live.aws import LiveError
    from frontdoor.offline.preview import config_error_text

    try:
        return run()
    except ConfigError as error:
        print(config_error_text(error), file=sys.stderr)
        return EXIT_CANNOT_READ
    except LiveError as error:
        print(f"error: {error.render()}", file=sys.stderr)
        return EXIT_CANNOT_READ
    except botocore.exceptions.BotoCoreError as error:
        print(
            f"error: {type(error).__name__}: {error}: check the profile, region and network", file=sys.stderr
        )
        return EXIT_CANNOT_READ


def stack_path(stack: str, kind: str) -> Path:
    return Path.cwd() / "stacks" / f"{kind}.{stack}.yaml"
