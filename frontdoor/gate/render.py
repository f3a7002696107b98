"""The gate's output: the text report for people and the JSON document for bots (`--json`).

Changes are listed in a stable order (by URN), whatever order the preview gave its steps in.
"""

from __future__ import annotations

from typing import Any

from frontdoor.domain.base.errors import ConfigError
from frontdoor.gate.evaluate import EXIT_BAD_INPUT, EXIT_PASS, GatedChange, GateResult, entry_json
from frontdoor.gate.preview_document import MISSING


def as_json(result: GateResult) -> dict[str, Any]:
    """The result as one JSON document (`--json`)."""
    return {
        "passed": result.exit_code == EXIT_PASS,
        "exitCode": result.exit_code,
        "preview": result.source,
        "steps": result.steps,
        "allowFile": result.allow_source,
        "blocked": [change.as_json() for change in result.blocked],
        "allowed": [change.as_json() for change in result.allowed],
        "previewErrors": list(result.preview_errors),
        "expiredAllows": [entry_json(entry) for entry in result.expired],
        "unusedAllows": [entry_json(entry) for entry in result.unused],
    }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _change_lines(change: GatedChange) -> list[str]:
    lines = [
        f"  {change.kind:<8} {change.type}",
        f"    urn:     {change.urn}",
        f"    ops:     {', '.join(change.ops)}",
    ]
    if change.reasons:
        lines.append(f"    reasons: {'; '.join(change.reasons)}")
    elif change.kind == "delete":
        lines.append("    reasons: removed from the program, or its URN changed")
    lines.append(f"    why:     {change.why}")
    if change.allowed_by is None:
        lines.append(f"    fix:     {change.fix}")
    else:
        entry = change.allowed_by
        until = f", until {entry.expires.isoformat()}" if entry.expires else ""
        lines.append(f"    allowed: {entry.reason} (entry {entry.urn}{until})")
    return lines


def render_text(result: GateResult) -> str:
    """The human report: verdict, then each blocked change with its reasons and fix."""
    where = f"{result.source}, {_plural(result.steps, 'step')}"
    blocked, allowed = result.blocked, result.allowed
    if result.exit_code == EXIT_PASS:
        head = f"frontdoor gate: PASS: no identity resource is deleted or replaced ({where})"
    else:
        parts = []
        if blocked:
            parts.append(f"{_plural(len(blocked), 'identity resource')} would be deleted or replaced")
        if result.preview_errors:
            parts.append(f"the preview reported {_plural(len(result.preview_errors), 'error')}")
        head = f"frontdoor gate: BLOCKED: {' and '.join(parts)} ({where})"
    lines = [head]
    if result.preview_errors:
        lines += ["", "preview errors (the step list may be incomplete; fix them and preview again):"]
        lines += ["  " + message.replace("\n", "\n    ") for message in result.preview_errors]
    if blocked:
        lines += ["", f"blocked ({len(blocked)}):"]
        for change in blocked:
            lines += _change_lines(change)
    if allowed:
        lines += ["", f"allowed by {result.allow_source} ({len(allowed)}):"]
        for change in allowed:
            lines += _change_lines(change)
    if result.expired:
        lines += ["", f"expired allow entries, ignored (today is {result.today.isoformat()}):"]
        lines += [f"  {entry.urn} (expired {entry.expires})" for entry in result.expired]
    if result.unused:
        lines += ["", "allow entries that matched nothing (remove them once the change has shipped):"]
        lines += [f"  {entry.urn}" for entry in result.unused]
    return "\n".join(lines)


def bad_input_json(error: ConfigError) -> dict[str, Any]:
    """The JSON document of a gate that could not read its input: every issue, exit code 2."""
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
