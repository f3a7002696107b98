"""`frontdoor sample --people a@x,b@x [--posture FILE] [--out DIR]`: the auditor's access sample.

Writes one evidence document, as Markdown, JSON and HTML, answering the SOC 2 access question for
the named people (frontdoor/offline/sample.py says what it contains, the posture inputs it reads and
how it states their coverage). Runs on a fresh clone against the demo stack and its HR export, or the
stack of `--config`/`--estate`. Exit 2 on a bad export, posture file or an unknown person, and with
`--strict` on a cell Okta reads differently from how it looks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from frontdoor.domain.base.errors import ConfigError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("sample", help="the auditor's sample: evidence of access for named people")
    parser.add_argument(
        "--people",
        required=True,
        metavar="LOGIN,...",
        help="logins or emails, comma-separated (repeatable)",
        action="append",
    )
    parser.add_argument("--hr-export", metavar="FILE", help="HR export (CSV/JSON; default frontdoor:people)")
    parser.add_argument("--posture", metavar="FILE", help="JSON of `frontdoor posture` (IAM users found)")
    parser.add_argument("--out", default="evidence", help="directory for access-sample.{md,json,html}")
    parser.add_argument("--stack", default="demo")
    parser.add_argument("--estate", help="simulated estate YAML (default stacks/estate.<stack>.yaml)")
    parser.add_argument("--config", help="stack config file (default stacks/Pulumi.<stack>.yaml)")
    parser.add_argument(
        "--strict", action="store_true", help="a cell Okta reads differently from how it looks is an error"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.base.clock import today
    from frontdoor.offline import sample
    from frontdoor.offline.people_report import (
        people_access,
        plan_people,
        select,
        wanted_people,
        warning_lines,
    )
    from frontdoor.offline.preview import EXIT_CONFIG, config_error_text

    try:
        posture = sample.read_posture(Path(args.posture)) if args.posture else None  # before the run
        (plan,) = plan_people(
            args.stack, args.estate, [args.hr_export], config=args.config, strict=args.strict
        )
        people = select(plan.export, wanted_people(args.people), "--people")
        if posture is not None:
            posture = sample.resolve_accounts(posture, plan.accounts)
    except ConfigError as error:
        print(config_error_text(error), file=sys.stderr)
        return EXIT_CONFIG
    for line in warning_lines([plan]):
        print(line, file=sys.stderr)
    accesses = people_access(people, plan.rules, plan.rows, plan.privileged)
    document = sample.evidence(
        accesses,
        stack=args.stack,
        hr_source=plan.export.source,
        posture=posture,
        generated=today().isoformat(),
        account_names=plan.accounts,
    )
    for path in sample.write(document, Path(args.out)):
        print(path)
    for entry in document["people"]:
        print(f"{entry['identity']['login']}: {entry['conclusion']}")
    return 0
