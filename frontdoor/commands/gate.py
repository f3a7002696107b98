"""`frontdoor gate PREVIEW_JSON [--allow FILE] [--json]`: the replacement gate's command.

The arguments are here (argparse, nothing heavy), registered like every command module; the gate
itself (frontdoor/gate/) is imported when the command runs. `main(argv)` parses the same arguments for
callers outside the CLI (CI scripts, tests). Exit codes: 0 pass, 1 blocked, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

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
    parser.set_defaults(handler=run)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="frontdoor gate", description=DESCRIPTION)
    add_arguments(parser)  # the same arguments as `frontdoor gate`
    return parser


def main(argv: Sequence[str] | None = None, *, today: date | None = None) -> int:
    """`frontdoor gate PREVIEW_JSON [--allow FILE] [--json]`: 0 pass, 1 blocked, 2 bad input."""
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.gate.evaluate import EXIT_BAD_INPUT  # imported when called, as in `run`

    try:
        args = _parser().parse_args(list(argv) if argv is not None else None)
    except SystemExit as stop:  # argparse has printed usage and the error
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    return run(args, today=today)


def run(args: argparse.Namespace, *, today: date | None = None) -> int:
    """The gate over parsed arguments (`preview`, `allow`, `json`): 0 pass, 1 blocked, 2 bad input."""
    # The gate is imported when the command runs: its modules (pydantic, PyYAML) take ~0.4 s to
    # import, which `frontdoor --help` and every other command must not pay.
    from frontdoor.domain.base import clock
    from frontdoor.domain.base.errors import ConfigError
    from frontdoor.gate.allow import load_allow
    from frontdoor.gate.evaluate import EXIT_BAD_INPUT, evaluate
    from frontdoor.gate.preview_document import load_preview
    from frontdoor.gate.render import as_json, bad_input_json, render_text

    try:
        preview = load_preview(Path(args.preview))
        allow = load_allow(Path(args.allow) if args.allow else None)
    except ConfigError as error:
        print("frontdoor gate: bad input\n" + error.render(), file=sys.stderr)
        if args.json:
            print(json.dumps(bad_input_json(error), indent=2))
        return EXIT_BAD_INPUT
    # The clock honours FRONTDOOR_TODAY, so an auditor can replay the gate of a past day.
    result = evaluate(preview, allow, today=today if today is not None else clock.today())
    print(json.dumps(as_json(result), indent=2) if args.json else render_text(result))
    return result.exit_code
