"""`frontdoor gate PREVIEW_JSON [--allow FILE] [--json]`: the replacement gate's place in the CLI.

Only the arguments live here (argparse, nothing heavy), registered like every command module; the
gate itself (frontdoor/commands/gate/) is imported when the command runs. `gate.main(argv)` parses
the same arguments for callers outside the CLI (CI scripts, tests).
"""

from __future__ import annotations

import argparse

DESCRIPTION = "Fail when a `pulumi preview --json` deletes or replaces an identity resource."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("preview", metavar="PREVIEW_JSON", help="the stdout of `pulumi preview --json`")
    parser.add_argument("--allow", metavar="FILE", help="allow file (YAML or JSON): reviewed exceptions")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON document")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "gate",
        help="fail on deletes or replacements of identity resources in `pulumi preview --json`",
        description=DESCRIPTION,
    )
    add_arguments(parser)
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from frontdoor.commands import gate

    return gate.run(args)
