"""`frontdoor jml OLD_EXPORT NEW_EXPORT [--fail-on-gain PERMISSION_SET]`: joiners, movers, leavers.

Both HR exports are evaluated against the same plan (the program run once offline, with `--config`
and `--estate` when given): each joiner, mover and leaver with the groups joined and left and the AWS
access gained and lost, account by account, then the summary counts. People are matched by their HR
id (`frontdoor:people.idColumn`), so a rename is a mover. Exit 0; 1 when `--fail-on-gain` names a
permission set someone gains (a reviewer's guard for PlatformAdmin); 2 on a bad export, a
`--fail-on-gain` name that is not in the catalogue (a misspelt guard would never fire), or, with
`--strict`, a cell Okta reads differently from how it looks (whitespace, an ambiguous empty cell).
"""

from __future__ import annotations

import argparse
import sys

from frontdoor.domain.base.errors import ConfigError

EXIT_GAINED = 1


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "jml",
        help="joiners, movers and leavers between two HR exports, with the AWS access each gains and loses",
    )
    parser.add_argument("old", metavar="OLD_EXPORT", help="the earlier HR export (CSV or JSON)")
    parser.add_argument("new", metavar="NEW_EXPORT", help="the later HR export (CSV or JSON)")
    parser.add_argument("--stack", default="demo")
    parser.add_argument("--estate", help="simulated estate YAML (default stacks/estate.<stack>.yaml)")
    parser.add_argument("--config", help="stack config file (default stacks/Pulumi.<stack>.yaml)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--strict", action="store_true", help="a cell Okta reads differently from how it looks is an error"
    )
    parser.add_argument(
        "--fail-on-gain",
        action="append",
        default=[],
        metavar="PERMISSION_SET",
        help="exit 1 when anyone gains this permission set (repeatable)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.offline.jml import compare, render
    from frontdoor.offline.people_report import plan_people, warning_lines
    from frontdoor.offline.preview import EXIT_CONFIG, config_error_text

    try:
        before, after = plan_people(
            args.stack,
            args.estate,
            [args.old, args.new],
            config=args.config,
            strict=args.strict,
            guarded_sets=("--fail-on-gain", args.fail_on_gain),
        )
    except ConfigError as error:
        print(config_error_text(error), file=sys.stderr)
        return EXIT_CONFIG
    for line in warning_lines((before, after)):
        print(line, file=sys.stderr)
    report = compare(before.export.people, after.export.people, after.rules, after.rows)
    print(render(report, args.format))
    blocked = [(login, grant) for name in args.fail_on_gain for login, grant in report.gains(name)]
    for login, grant in blocked:
        print(
            f"blocked: {login} gains {grant.permission_set} on {grant.account_name} ({grant.account_id})",
            file=sys.stderr,
        )
    return EXIT_GAINED if blocked else 0
