"""`frontdoor sample --people a@x,b@x [--posture FILE] [--out DIR]`: the auditor's access sample.

Writes one evidence document, as Markdown, JSON and HTML, answering the SOC 2 access question for
the named people (frontdoor/offline/sample.py says what it contains and the posture input's shape).
Runs on a fresh clone against the demo stack and its HR export. Exit 2 on a bad export, posture file
or an unknown person.
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
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.base.clock import today
    from frontdoor.offline import sample
    from frontdoor.offline.people_report import people_access, plan_people, select, wanted_people
    from frontdoor.offline.preview import EXIT_CONFIG, config_error_text

    try:
        posture = sample.read_posture(Path(args.posture)) if args.posture else None
        (plan,) = plan_people(args.stack, args.estate, [args.hr_export])
        people = select(plan.export, wanted_people(args.people), "--people")
    except ConfigError as error:
        print(config_error_text(error), file=sys.stderr)
        return EXIT_CONFIG
    accesses = people_access(people, plan.rules, plan.rows)
    document = sample.evidence(
        accesses,
        stack=args.stack,
        hr_source=plan.export.source,
        posture=posture,
        generated=today().isoformat(),
    )
    for path in sample.write(document, Path(args.out)):
        print(path)
    for entry in document["people"]:
        print(f"{entry['identity']['login']}: {entry['conclusion']}")
    return 0
