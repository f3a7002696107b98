"""`frontdoor` command line: preview, schema, access-report, policy-config, gate.

Exit codes: 0 clean; 1 a mandatory policy violation (or, for `gate`, a blocked change); 2 bad config,
estate or arguments, with the file, field, value and fix; 3 the program itself failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from frontdoor.errors import ConfigError


def _preview(args: argparse.Namespace) -> int:
    from frontdoor.preview import (
        EXIT_CONFIG,
        EXIT_PROGRAM,
        config_error_text,
        progress_printer,
        render_text,
        resolve_inputs,
        run_preview,
    )

    inputs = resolve_inputs(
        args.stack,
        Path(args.program) if args.program else None,
        Path(args.config) if args.config else None,
        Path(args.estate) if args.estate else None,
    )
    say = progress_printer(not args.quiet and not args.json)
    try:
        result = run_preview(inputs, evaluate_policies=not args.no_policy, progress=say)
    except ConfigError as error:
        print(config_error_text(error), file=sys.stderr)
        return EXIT_CONFIG
    except Exception as error:  # the program crashed: say so plainly, without a traceback
        config_error = _config_error_in_chain(error)
        if config_error is not None:
            print(config_error_text(config_error), file=sys.stderr)
            return EXIT_CONFIG
        print(f"error: the program failed: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_PROGRAM
    if args.json:
        print(json.dumps(result.as_json(), indent=2, sort_keys=False))
    else:
        print(render_text(result, full_tree=args.full_tree))
    return result.exit_code


def _config_error_in_chain(error: BaseException) -> ConfigError | None:
    """The ConfigError a program raised, however the SDK wrapped it (chains may loop: stop on repeat)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ConfigError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _schema(_: argparse.Namespace) -> int:
    from frontdoor.model import StackConfig

    print(json.dumps(StackConfig.model_json_schema(by_alias=True), indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdoor", description=__doc__.splitlines()[0] if __doc__ else None
    )
    commands = parser.add_subparsers(dest="command", required=True)

    preview = commands.add_parser("preview", help="offline preview: run the program and the policy pack")
    preview.add_argument("--stack", default="demo", help="stack name (stacks/Pulumi.<stack>.yaml)")
    preview.add_argument("--estate", help="simulated estate YAML (default stacks/estate.<stack>.yaml)")
    preview.add_argument("--program", help="a Pulumi Python program directory (default: this project)")
    preview.add_argument("--config", help="stack config file (default <program>/stacks/Pulumi.<stack>.yaml)")
    preview.add_argument("--json", action="store_true", help="print one JSON document")
    preview.add_argument("--no-policy", action="store_true", help="skip the policy pack")
    preview.add_argument("--full-tree", action="store_true", help="list every resource in the tree")
    preview.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    preview.set_defaults(handler=_preview)

    schema = commands.add_parser("schema", help="print the stack config JSON Schema (for editors)")
    schema.set_defaults(handler=_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code
