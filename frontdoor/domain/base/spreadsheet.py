"""CSV cells a spreadsheet shows as text: the one escaping rule of every CSV export we write.

The access report (`frontdoor access-report --format csv`) and the migration list (`frontdoor
posture --format csv`) both go to auditors' spreadsheets; both escape their cells here.
"""

from __future__ import annotations

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: formula triggers get a leading quote (OWASP CSV injection).

    A members expression is free text written by whoever edits the stack file, and IAM user names
    may start with `+`, `=`, `@` or `-`; `=HYPERLINK(…)` must reach an auditor's spreadsheet as text,
    not as a link that runs.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
