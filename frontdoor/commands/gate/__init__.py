"""The replacement gate: fail CI when a real `pulumi preview --json` deletes or replaces identity.

Unit tests run the program under mocks, and mocks cannot prove that a URN survived a refactor
(research/reliability-anchors.md §1). The preview of the real stack can: any `delete` or replace
of an identity resource in it is an outage or an over-grant about to happen (F2 rename without
alias, F3 permission-set replacement cascade, F4 computed ForceNew inputs, F11 push mapping
removed, F12 SCP detached). The gate reads that preview and blocks each such step unless an
allow file names it with a reason. Exit codes: 0 pass, 1 blocked, 2 bad input.

The package, one concern per module: `identity_types` (what is gated and why), `strict_json` (the
streaming, duplicate-refusing JSON reader), `preview_document` (the preview), `allow` (the allow
file), `evaluate` (the decision), `render` (text and JSON output); this module is the command.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from frontdoor.commands import gate_command
from frontdoor.commands.gate.allow import AllowEntry, AllowList, load_allow, pattern_problem
from frontdoor.commands.gate.evaluate import (
    EXIT_BAD_INPUT,
    EXIT_BLOCKED,
    EXIT_PASS,
    GatedChange,
    GateResult,
    evaluate,
)
from frontdoor.commands.gate.identity_types import (
    DELETE_OPS,
    HARMLESS_OPS,
    IDENTITY_TYPE_PREFIXES,
    IDENTITY_TYPES,
    REPLACE_OPS,
    identity_reason,
)
from frontdoor.commands.gate.preview_document import (
    MISSING,
    PreviewDocument,
    PreviewStep,
    load_preview,
    urn_name,
    urn_type,
)
from frontdoor.commands.gate.render import as_json, render_text
from frontdoor.domain.base import clock
from frontdoor.domain.base.errors import ConfigError

__all__ = [
    "DELETE_OPS",
    "EXIT_BAD_INPUT",
    "EXIT_BLOCKED",
    "EXIT_PASS",
    "HARMLESS_OPS",
    "IDENTITY_TYPES",
    "IDENTITY_TYPE_PREFIXES",
    "REPLACE_OPS",
    "AllowEntry",
    "AllowList",
    "GateResult",
    "GatedChange",
    "PreviewDocument",
    "PreviewStep",
    "as_json",
    "evaluate",
    "identity_reason",
    "load_allow",
    "load_preview",
    "main",
    "pattern_problem",
    "render_text",
    "run",
    "urn_name",
    "urn_type",
]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="frontdoor gate", description=gate_command.DESCRIPTION)
    gate_command.add_arguments(parser)  # the same arguments as `frontdoor gate`
    return parser


def _bad_input_json(error: ConfigError) -> dict[str, Any]:
    return {
        "passed": False,
        "exitCode": EXIT_BAD_INPUT,
        "errors": [
            {
                "file": issue.file,
                "field": issue.field,
                "value": None if issue.value is MISSING else repr(issue.value),
                "problem": issue.problem,
                "fix": issue.fix,
            }
            for issue in error.issues
        ],
    }


def main(argv: Sequence[str] | None = None, *, today: date | None = None) -> int:
    """`frontdoor gate PREVIEW_JSON [--allow FILE] [--json]`: 0 pass, 1 blocked, 2 bad input."""
    try:
        args = _parser().parse_args(list(argv) if argv is not None else None)
    except SystemExit as stop:  # argparse has printed usage and the error
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    return run(args, today=today)


def run(args: argparse.Namespace, *, today: date | None = None) -> int:
    """The gate over parsed arguments (`preview`, `allow`, `json`): 0 pass, 1 blocked, 2 bad input."""
    try:
        preview = load_preview(Path(args.preview))
        allow = load_allow(Path(args.allow) if args.allow else None)
    except ConfigError as error:
        print("frontdoor gate: bad input\n" + error.render(), file=sys.stderr)
        if args.json:
            print(json.dumps(_bad_input_json(error), indent=2))
        return EXIT_BAD_INPUT
    # The clock honours FRONTDOOR_TODAY, so an auditor can replay the gate of a past day.
    result = evaluate(preview, allow, today=today if today is not None else clock.today())
    print(json.dumps(as_json(result), indent=2) if args.json else render_text(result))
    return result.exit_code
