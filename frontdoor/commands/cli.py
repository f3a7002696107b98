"""`frontdoor` command line: preview, schema, access-report, policy-config, gate.

Exit codes: 0 clean; 1 a mandatory policy violation (or, for `gate`, a blocked change); 2 bad config,
estate or arguments, with the file, field, value and fix; 3 the program itself failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from frontdoor.commands import (
    adopt,
    bootstrap_roles,
    calendar,
    canary,
    doctor,
    drift,
    drift_triage,
    estate,
    gate,
    jml,
    people_access,
    posture,
    sample,
)
from frontdoor.domain.base.errors import ConfigError


def _preview(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.offline.preview import (
        PreviewResult,
        progress_printer,
        render_text,
        resolve_inputs,
        run_preview,
    )

    say = progress_printer(not args.quiet and not args.json)

    def preview() -> PreviewResult:
        inputs = resolve_inputs(args.stack, _path(args.program), _path(args.config), _path(args.estate))
        return run_preview(
            inputs, evaluate_policies=not args.no_policy, progress=say, unknown_ids=args.unknown_ids
        )

    outcome = _guarded(preview)
    if isinstance(outcome, _Failure):
        outcome.report(json_document={"stack": args.stack} if args.json else None)
        return outcome.code
    result = outcome
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


EXIT_CONFIG, EXIT_PROGRAM = 2, 3
# Exit code when whoever reads our output (`| head`) closed the pipe: what a shell reports for SIGPIPE.
EXIT_BROKEN_PIPE = 141
_T = TypeVar("_T")


@dataclass(frozen=True)
class _Failure:
    """Why a command could not produce its output: bad input (exit 2) or a failed program (exit 3)."""

    code: int
    text: str
    issues: tuple[dict[str, Any], ...] = ()

    def report(self, json_document: dict[str, Any] | None = None) -> None:
        if json_document is not None:
            error = {"exit_code": self.code, "message": self.text, "issues": list(self.issues)}
            print(json.dumps({**json_document, "error": error}, indent=2))
        print(self.text, file=sys.stderr)


def _guarded(run: Callable[[], _T]) -> _T | _Failure:
    """Run a command's work; bad input anywhere becomes exit 2 with its message, never a traceback."""
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.offline.preview import config_error_text

    try:
        return run()
    except Exception as error:  # the program crashed: say so plainly, without a traceback
        config_error = _config_error_in_chain(error)
        if config_error is not None:
            return _Failure(
                EXIT_CONFIG,
                config_error_text(config_error),
                tuple(
                    {
                        "file": i.file,
                        "field": i.field,
                        "value": repr(i.value),
                        "problem": i.problem,
                        "fix": i.fix,
                    }
                    for i in config_error.issues
                ),
            )
        return _Failure(EXIT_PROGRAM, f"error: the program failed: {type(error).__name__}: {error}")


def _schema(_: argparse.Namespace) -> int:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.config.schema import stack_file_schema

    print(json.dumps(stack_file_schema(), indent=2))
    return 0


def _access_report(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.offline.preview import resolve_inputs, run_preview
    from frontdoor.offline.report import access_rows, empty_filter_message, filter_rows, render

    if args.person or args.people:
        return people_access.run(args)
    say = _report_progress(args)
    outcome = _guarded(
        lambda: run_preview(
            resolve_inputs(args.stack, None, _path(args.config), _path(args.estate)),
            evaluate_policies=False,
            progress=say,
        )
    )
    if isinstance(outcome, _Failure):
        outcome.report()
        return outcome.code
    rows = filter_rows(access_rows(outcome.run, outcome.estate), account=args.account, group=args.group)
    if not rows and (args.account is not None or args.group is not None):
        print(empty_filter_message(account=args.account, group=args.group), file=sys.stderr)
        return 1
    print(render(rows, args.format), end="" if args.format == "csv" else "\n")
    return 0


def _report_progress(args: argparse.Namespace) -> Callable[[str], None]:
    """Phase lines on stderr for the reports: on a terminal by default (a 2,000-account run takes
    a while), `--progress` forces them, `--quiet` silences them. stdout carries only the report."""
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.offline.preview import progress_printer

    return progress_printer(not args.quiet and (args.progress or sys.stderr.isatty()))


def _add_progress_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress", action="store_true", help="phase lines on stderr (default: on a terminal)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _policy_config(args: argparse.Namespace) -> int:
    """The pack config for `pulumi preview --policy-pack-config`: from the stack config alone."""
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.config.files import read_stack_file
    from frontdoor.offline.analyzer import policy_pack_config
    from frontdoor.offline.preview import policy_config_for, resolve_inputs

    def derive() -> dict[str, Any]:
        inputs = resolve_inputs(args.stack, None, _path(args.config))
        return policy_config_for(inputs, read_stack_file(inputs.config_file))

    outcome = _guarded(derive)
    if isinstance(outcome, _Failure):
        outcome.report()
        return outcome.code
    derived = outcome
    print(json.dumps(policy_pack_config([], derived), indent=2, sort_keys=True))
    return 0


def _identities(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.offline.preview import identity_lines, resolve_inputs, run_preview

    say = _report_progress(args)
    outcome = _guarded(
        lambda: run_preview(
            resolve_inputs(args.stack, None, _path(args.config), _path(args.estate)),
            evaluate_policies=False,
            progress=say,
        )
    )
    if isinstance(outcome, _Failure):
        outcome.report()
        return outcome.code
    print("\n".join(identity_lines(outcome.run.resources)))
    return 0


# Commands kept in their own module under frontdoor/commands/: each module defines
# `register(commands)`, adds its subparser with `set_defaults(handler=...)`, and imports what it runs
# (boto3, the engine) inside the handler, so `frontdoor --help` stays fast.
COMMAND_MODULES: tuple[ModuleType, ...] = (
    gate,
    drift_triage,
    canary,
    estate,
    doctor,
    drift,
    posture,
    jml,
    sample,
    calendar,
    adopt,
    bootstrap_roles,
)


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
    preview.add_argument(
        "--unknown-ids",
        action="store_true",
        help="leave every created resource's id and computed outputs unknown, as `pulumi preview` of a "
        "stack it will create has them: the pack's rules that need them defer (advisory)",
    )
    preview.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    preview.set_defaults(handler=_preview)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of stacks/Pulumi.<stack>.yaml as written (for editors and CI)"
    )
    schema.set_defaults(handler=_schema)

    report = commands.add_parser("access-report", help="who can reach which account, how and why (SOC 2)")
    report.add_argument("--stack", default="demo")
    report.add_argument("--estate", help="simulated estate YAML (default stacks/estate.<stack>.yaml)")
    report.add_argument("--config", help="stack config file (default stacks/Pulumi.<stack>.yaml)")
    report.add_argument("--format", choices=("md", "csv", "json"), default="md")
    report.add_argument("--account", help="only rows for this account id or name")
    report.add_argument("--group", help="only rows for this group")
    _add_progress_flags(report)
    report.add_argument(
        "--person", action="append", help="per person: LOGIN or EMAIL (repeatable, or comma-separated)"
    )
    report.add_argument("--people", metavar="FILE", help="HR export (CSV/JSON; default frontdoor:people)")
    report.add_argument(
        "--strict",
        action="store_true",
        help="per person: a cell Okta reads differently from how it looks is an error (exit 2), for CI",
    )
    report.set_defaults(handler=_access_report)

    pack_config = commands.add_parser(
        "policy-config", help="the --policy-pack-config JSON for `pulumi preview --policy-pack policy`"
    )
    pack_config.add_argument("--stack", default="demo")
    pack_config.add_argument("--config", help="stack config file (default stacks/Pulumi.<stack>.yaml)")
    pack_config.set_defaults(handler=_policy_config)

    identities = commands.add_parser(
        "identities", help="type, logical name and parent of every resource (the golden snapshot's format)"
    )
    identities.add_argument("--stack", default="demo")
    identities.add_argument("--estate", help="simulated estate YAML (default stacks/estate.<stack>.yaml)")
    identities.add_argument("--config", help="stack config file (default stacks/Pulumi.<stack>.yaml)")
    _add_progress_flags(identities)
    identities.set_defaults(handler=_identities)

    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (`| head`) has what it wanted. Point stdout at /dev/null so the interpreter's
        # final flush does not raise again, and exit as a shell reports SIGPIPE, without a traceback.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code
