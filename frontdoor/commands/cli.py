"""`frontdoor` command line: preview, schema, access-report, policy-config, gate.

Exit codes: 0 clean; 1 a mandatory policy violation (or, for `gate`, a blocked change); 2 bad config,
estate or arguments, with the file, field, value and fix; 3 the program itself failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from types import ModuleType

from frontdoor.commands import calendar
from frontdoor.domain.errors import ConfigError


def _preview(args: argparse.Namespace) -> int:
    from frontdoor.offline.preview import (
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
    from frontdoor.domain.model import StackConfig

    print(json.dumps(StackConfig.model_json_schema(by_alias=True), indent=2))
    return 0


def _access_report(args: argparse.Namespace) -> int:
    from frontdoor.offline.preview import EXIT_CONFIG, config_error_text, resolve_inputs, run_preview
    from frontdoor.offline.report import access_rows, filter_rows, render

    inputs = resolve_inputs(args.stack, None, None, Path(args.estate) if args.estate else None)
    try:
        result = run_preview(inputs, evaluate_policies=False)
    except ConfigError as error:
        print(config_error_text(error), file=sys.stderr)
        return EXIT_CONFIG
    rows = filter_rows(access_rows(result.run, result.estate), account=args.account, group=args.group)
    print(render(rows, args.format), end="" if args.format == "csv" else "\n")
    return 0


def _policy_config(args: argparse.Namespace) -> int:
    """The pack config for `pulumi preview --policy-pack-config`: from the stack config alone."""
    from frontdoor.domain.config import read_stack_file
    from frontdoor.offline.analyzer import policy_pack_config
    from frontdoor.offline.preview import EXIT_CONFIG, config_error_text, policy_config_for, resolve_inputs

    inputs = resolve_inputs(args.stack)
    try:
        derived = policy_config_for(inputs, read_stack_file(inputs.config_file))
    except ConfigError as error:
        print(config_error_text(error), file=sys.stderr)
        return EXIT_CONFIG
    print(json.dumps(policy_pack_config([], derived), indent=2, sort_keys=True))
    return 0


def _identities(args: argparse.Namespace) -> int:
    from frontdoor.offline.preview import (
        EXIT_CONFIG,
        config_error_text,
        identity_lines,
        resolve_inputs,
        run_preview,
    )

    try:
        result = run_preview(resolve_inputs(args.stack), evaluate_policies=False)
    except ConfigError as error:
        print(config_error_text(error), file=sys.stderr)
        return EXIT_CONFIG
    print("\n".join(identity_lines(result.run.resources)))
    return 0


def _gate(args: argparse.Namespace) -> int:
    from frontdoor.commands import gate

    return gate.main(args.gate_args)


# Commands kept in their own module under frontdoor/commands/: each module defines
# `register(commands)`, adds its subparser with `set_defaults(handler=...)`, and imports what it runs
# (boto3, the engine) inside the handler, so `frontdoor --help` stays fast.
COMMAND_MODULES: tuple[ModuleType, ...] = (calendar,)


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

    report = commands.add_parser("access-report", help="who can reach which account, how and why (SOC 2)")
    report.add_argument("--stack", default="demo")
    report.add_argument("--estate", help="simulated estate YAML (default stacks/estate.<stack>.yaml)")
    report.add_argument("--format", choices=("md", "csv", "json"), default="md")
    report.add_argument("--account", help="only rows for this account id or name")
    report.add_argument("--group", help="only rows for this group")
    report.set_defaults(handler=_access_report)

    pack_config = commands.add_parser(
        "policy-config", help="the --policy-pack-config JSON for `pulumi preview --policy-pack policy`"
    )
    pack_config.add_argument("--stack", default="demo")
    pack_config.set_defaults(handler=_policy_config)

    identities = commands.add_parser(
        "identities", help="type, logical name and parent of every resource (the golden snapshot's format)"
    )
    identities.add_argument("--stack", default="demo")
    identities.set_defaults(handler=_identities)

    gate_parser = commands.add_parser(
        "gate", help="fail on deletes or replacements of identity resources in `pulumi preview --json`"
    )
    gate_parser.add_argument(
        "gate_args", nargs=argparse.REMAINDER, help="PREVIEW_JSON [--allow FILE] [--json]"
    )
    gate_parser.set_defaults(handler=_gate)
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code
