"""`frontdoor calendar`: every dated item of every stack, with days left; exit 1 when any is past.

The things that expire silently and take sign-in or provisioning down with them (the SCIM bearer
token, the Okta SAML signing certificate), time-bound grants and the quarterly break-glass test, read
from the stack configs (`stacks/Pulumi.<stack>.yaml`, all of them unless `--stack` is given, or the
files given with `--config`). "Today"
is `FRONTDOOR_TODAY` when set (frontdoor.domain.base.clock). Exit codes: 0 nothing past, 1 something is
past its date, 2 a stack config is bad (file, field, value and fix are printed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_PAST = 1
EXIT_CONFIG = 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "calendar",
        help="every dated item (SCIM token, SAML certificate, grants, break-glass test) with days left",
    )
    parser.add_argument("--stack", action="append", help="a stack name (repeatable; default: every stack)")
    parser.add_argument(
        "--stacks-dir", help="where the Pulumi.<stack>.yaml files are (default: the project's stacks/)"
    )
    parser.add_argument(
        "--config",
        action="append",
        metavar="FILE",
        help="a stack config file to read instead of the stacks directory's (repeatable)",
    )
    parser.add_argument("--warn-days", type=int, default=30, help="days before a date counts as due soon")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=_calendar)


def _calendar(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.base import clock
    from frontdoor.domain.base.errors import ConfigError
    from frontdoor.domain.config.files import read_stack_file
    from frontdoor.domain.config.parse import (
        is_break_glass,
        is_monitoring,
        parse_break_glass_config,
        parse_monitoring_config,
        parse_stack_config,
    )
    from frontdoor.domain.planning.expiry import CalendarItem, access_stack_items, break_glass_items
    from frontdoor.offline.project import checkout

    if args.config:
        files = [(_stack_name(Path(f)), Path(f)) for f in args.config]
    else:
        try:
            # The project's stacks/, wherever the command runs (run elsewhere, a relative default read
            # an empty directory: "no dated items", exit 0).
            directory = (
                Path(args.stacks_dir) if args.stacks_dir else checkout("`frontdoor calendar`") / "stacks"
            )
        except ConfigError as error:
            print("error: bad input\n" + error.render(), file=sys.stderr)
            return EXIT_CONFIG
        if not directory.is_dir():
            print(
                f"error: --stacks-dir {directory}: not a directory; fix: name the directory holding "
                "the Pulumi.<stack>.yaml files",
                file=sys.stderr,
            )
            return EXIT_CONFIG
        names = args.stack or sorted(
            p.name[len("Pulumi.") : -len(".yaml")] for p in directory.glob("Pulumi.*.yaml")
        )
        files = [(name, directory / f"Pulumi.{name}.yaml") for name in names]
    items: list[CalendarItem] = []
    try:
        for name, path in files:
            values = read_stack_file(path)
            if is_break_glass(values):
                items += break_glass_items(name, parse_break_glass_config(values, str(path)))
            elif is_monitoring(values):
                parse_monitoring_config(values, str(path))  # validated; the monitors carry no date
            else:
                items += access_stack_items(name, parse_stack_config(values, str(path)))
    except ConfigError as error:
        print("error: bad input\n" + error.render(), file=sys.stderr)
        return EXIT_CONFIG
    today = clock.today()
    items.sort(key=lambda item: (item.due, item.stack, item.kind, item.name))
    rows = [
        {
            "due": item.due.isoformat(),
            "daysLeft": item.days_left(today),
            "status": item.status(today, args.warn_days),
            "stack": item.stack,
            "kind": item.kind,
            "name": item.name,
            "action": item.action,
        }
        for item in items
    ]
    if args.json:
        print(json.dumps({"today": today.isoformat(), "items": rows}, indent=2))
    else:
        print(render(rows, today.isoformat()))
    return EXIT_PAST if any(row["status"] == "past" for row in rows) else EXIT_OK


def _stack_name(path: Path) -> str:
    """`Pulumi.prod.yaml` -> prod (Pulumi's naming); any other file is named by its stem."""
    name = path.name
    if name.startswith("Pulumi.") and name.endswith(".yaml"):
        return name[len("Pulumi.") : -len(".yaml")]
    return path.stem


def render(rows: list[dict[str, object]], today: str) -> str:
    if not rows:
        return f"Expiry calendar as of {today}: no dated items"
    header = ("due", "days left", "status", "stack", "kind", "item")
    table = [header] + [
        (str(r["due"]), str(r["daysLeft"]), str(r["status"]), str(r["stack"]), str(r["kind"]), str(r["name"]))
        for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header) - 1)]
    lines = [f"Expiry calendar as of {today}:"]
    for line in table:
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False)) + "  " + line[-1]
        )
    past = [r for r in rows if r["status"] == "past"]
    for row in past:
        lines.append(f"PAST: {row['name']} ({row['stack']}) was due {row['due']}: {row['action']}")
    return "\n".join(line.rstrip() for line in lines)
