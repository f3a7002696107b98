"""CSV in and out: the one reader of every CSV file frontdoor takes and the one writer of every CSV it
writes.

Writing (`write_csv`): every cell is quoted, and a cell a spreadsheet would run as a formula gets a
leading `'` (`csv_cell`). The access report, the per-person report, the posture migration list and
the demo HR exports are all written here, so an auditor's spreadsheet never runs a cell.

Reading (`read_csv`, over text from `input_files.read_text`, which has already refused anything but
UTF-8): comma only, as Okta's CSV directory ("Comma is the only delimiter that is currently
supported", help.okta.com "Configure the CSV directory integration import settings"); quotes read
strictly (an unterminated quote is an error, not the rest of the file swallowed into one cell); the
same number of cells on every row as in the header; cells exactly as written (no trimming: Okta does
not trim imported values, see frontdoor/domain/people/hr_export.py). The csv module's field limit
(131,072 characters, process-wide: not raised here) is an error naming the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from frontdoor.domain.base.errors import ConfigError, ConfigIssue

# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets: OWASP "CSV
# Injection" lists = + - @, tab (0x09), carriage return (0x0D) and line feed (0x0A); OWASP ASVS 5.0
# requirement 1.2.10 adds NUL (0x00).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: formula triggers get a leading quote (OWASP CSV injection).

    A members expression is free text written by whoever edits the stack file, an HR login or email
    is whatever HR typed, and IAM user names may start with `+`, `=`, `@` or `-`; `=HYPERLINK(…)`
    must reach an auditor's spreadsheet as text, not as a link that runs.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def write_csv(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    """The CSV text of `rows` (missing keys are empty cells): a header, then one line per row.

    Every cell is quoted (`QUOTE_ALL`, OWASP's "wrap each cell field in double quotes"): in a locale
    whose list separator is `;`, an unquoted `a;=1+2` is split by the spreadsheet into a live `=1+2`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


# --- reading ----------------------------------------------------------------------------------------

_OTHER_DELIMITERS = ((";", "';'"), ("\t", "TAB"), ("|", "'|'"))


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's header and rows, cells exactly as written; `lines[i]` is the line row i starts on."""

    header: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    lines: tuple[int, ...]


def _csv_problem(message: str) -> tuple[str, str]:
    """The csv module's error -> (what it means, the fix)."""
    if message.startswith("field larger than field limit"):
        return (
            "a cell is longer than 131,072 characters, the CSV reader's limit",
            "no HR value is that long: look for a quote that is never closed, or a corrupted line",
        )
    if message == "unexpected end of data":
        return (
            "a quoted cell is never closed: its quote runs to the end of the file",
            'close the quote, or double a quote that belongs inside the cell ("")',
        )
    return (
        f"not readable as CSV ({message})",
        'quote a cell that holds a comma or a quote, and double quotes inside it ("")',
    )


def read_csv(text: str, source: str, *, header_only: bool = False) -> CsvTable:
    """`text` read as CSV; ConfigError (file, line, value, problem, fix) on anything malformed.
    `header_only`: stop after the header row (its checks included)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    start = 1
    try:
        header = next(reader, None)
        if not header:
            raise ConfigError(
                [ConfigIssue(source, "(file)", "", "the file is empty", "export at least a header row")]
            )
        if len(header) == 1:
            for delimiter, name in _OTHER_DELIMITERS:
                if delimiter in header[0]:
                    raise ConfigError(
                        [
                            ConfigIssue(
                                source,
                                "(header)",
                                header[0],
                                f"the columns are separated by {name}, not ','",
                                "export with ',' as the delimiter (Okta's CSV directory reads ',' only)",
                            )
                        ]
                    )
        while not header_only:
            start = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            if not cells:
                continue  # a blank line
            if len(cells) != len(header):
                raise ConfigError(
                    [
                        ConfigIssue(
                            source,
                            f"line {start}",
                            cells,
                            f"{len(cells)} cells, the header has {len(header)}",
                            "quote a cell that holds a comma, and give every row one cell per column",
                        )
                    ]
                )
            rows.append(dict(zip(header, cells, strict=True)))
            lines.append(start)
    except csv.Error as error:
        problem, fix_it = _csv_problem(str(error))
        raise ConfigError([ConfigIssue(source, f"line {start}", str(error), problem, fix_it)]) from None
    return CsvTable(tuple(header), tuple(rows), tuple(lines))
