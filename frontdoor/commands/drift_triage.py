"""`frontdoor drift-triage PREVIEW_JSON`: the scheduled drift check, without failing on expected growth.

Reads the stdout of `pulumi preview --refresh --json`, sorts its steps with
frontdoor/domain/reconcile/drift_triage.py and prints both lists. Exit 0 when every change is growth from live
reads (newly synced groups, accounts that joined or left), 1 on drift, 2 on a bad preview file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "drift-triage", help="the refreshed preview of prod: expected growth (exit 0) or drift (exit 1)"
    )
    parser.add_argument("preview", type=Path, help="stdout of `pulumi preview --refresh --json`")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `frontdoor --help` stays fast (cli.py, COMMAND_MODULES).
    from frontdoor.domain.base.errors import ConfigError
    from frontdoor.domain.contracts import ACCOUNT_ASSIGNMENT
    from frontdoor.domain.reconcile.drift_triage import UNCHANGED, Change, triage
    from frontdoor.gate.preview_document import load_preview, urn_name

    try:
        # Unchanged assignments too: they say which groups and accounts the stack already covers.
        document = load_preview(
            args.preview,
            keep=lambda step: step.resource_type == ACCOUNT_ASSIGNMENT or step.op not in UNCHANGED,
        )
    except ConfigError as error:
        print(f"error: bad input\n{error.render()}", file=sys.stderr)
        return 2
    result = triage(Change(step.op, step.resource_type, urn_name(step.urn)) for step in document.steps)
    for title, items in (("Expected (live reads)", result.expected), ("Drift", result.drift)):
        print(f"{title}: {len(items)}")
        for item in items:
            print(f"  {item.change.op} {item.change.type} {item.change.name}: {item.reason}")
    return 1 if result.drift else 0
