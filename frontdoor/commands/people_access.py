"""`frontdoor access-report --person LOGIN|EMAIL [--people FILE]`: the access report per person.

The `--person`/`--people` flags live on the access-report parser (cli.py); this module runs them:
the program once offline (with `--config` and `--estate` when given: the rules shown and applied are
that stack file's), the HR export, then each person's groups (with the rule that matched), every
(permission set, account, OU, session duration) they reach, and the people policy's verdict on the
privileged sets among them. Cells Okta reads differently from how they look (whitespace a rule
compares, an empty cell a rule tells apart from "") are warnings on stderr. Exit 2 on a bad export, an
unknown person, a rule reading an attribute that exists nowhere, or, with `--strict`, any warning.
"""

from __future__ import annotations

import argparse
import sys

from frontdoor.domain.base.errors import ConfigError


def run(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.offline.people_report import (
        people_access,
        plan_people,
        render,
        select,
        wanted_people,
        warning_lines,
    )
    from frontdoor.offline.preview import EXIT_CONFIG, config_error_text

    if args.account or args.group:
        # A person filtered to one account would read "reaches nothing" where they reach elsewhere.
        print("error: --person/--people cannot be combined with --account or --group", file=sys.stderr)
        return EXIT_CONFIG
    try:
        (plan,) = plan_people(args.stack, args.estate, [args.people], config=args.config, strict=args.strict)
        wanted = wanted_people(args.person)
        people = select(plan.export, wanted) if wanted else list(plan.export.people)
    except ConfigError as error:
        print(config_error_text(error), file=sys.stderr)
        return EXIT_CONFIG
    for line in warning_lines([plan]):
        print(line, file=sys.stderr)
    accesses = people_access(people, plan.rules, plan.rows, plan.privileged)
    print(render(accesses, args.format, plan.export.source), end="")
    return 0
