"""The one CSV writer (quoted, formula-neutralised) and the one CSV reader (strict, exact cells).

The payloads are tests/fixtures/people/csv_injection_payloads.json: OWASP "CSV Injection"
(owasp.org/www-community/attacks/CSV_Injection: cells must not begin with = + - @ TAB CR LF), OWASP ASVS
5.0 1.2.10 (adds NUL), PayloadsAllTheThings' DDE payloads and the issue's own; each says whether a
spreadsheet would run it (then it must reach the file with a leading `'`) or not (then unchanged).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.base.spreadsheet import FORMULA_TRIGGERS, csv_cell, read_csv, write_csv

PAYLOADS: list[dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parents[3] / "fixtures" / "people" / "csv_injection_payloads.json").read_text()
)["payloads"]


def expected_cell(payload: dict[str, Any]) -> str:
    return ("'" if payload["neutralise"] else "") + payload["payload"]


def test_the_triggers_are_owasps_and_asvss() -> None:
    assert FORMULA_TRIGGERS == ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: repr(p["payload"])[:40])
def test_every_payload_reaches_the_file_as_text(payload: dict[str, Any]) -> None:
    text = write_csv(("a", "b"), [{"a": payload["payload"], "b": "x"}])
    header, row = csv.reader(io.StringIO(text, newline=""))
    assert (header, row) == (["a", "b"], [expected_cell(payload), "x"])
    assert csv_cell(payload["payload"]) == expected_cell(payload)


def test_every_cell_is_quoted_so_a_semicolon_locale_cannot_split_one() -> None:
    assert write_csv(("a", "n", "none"), [{"a": "a;=1+2", "n": 3}]) == '"a","n","none"\n"a;=1+2","3",""\n'


ROWS = 'login,title\n"a@x.example"," Platform Engineer "\nb@x.example,"Manager, ""Payments"""\n'


def test_cells_are_read_exactly_as_written_with_their_lines() -> None:
    table = read_csv(ROWS, "hr.csv")
    assert table.header == ("login", "title")
    assert table.rows == (
        {"login": "a@x.example", "title": " Platform Engineer "},
        {"login": "b@x.example", "title": 'Manager, "Payments"'},
    )
    assert table.lines == (2, 3)
    assert read_csv(ROWS, "hr.csv", header_only=True).rows == ()


def test_only_an_empty_line_is_skipped_a_row_of_blank_cells_is_a_row() -> None:
    """A row of spaces is data (the HR export then names its padded login), never dropped unseen."""
    table = read_csv("login,title\n\n \t, \n", "hr.csv")
    assert (table.rows, table.lines) == (({"login": " \t", "title": " "},), (3,))


def issue(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        read_csv(text, "hr.csv")
    (found,) = caught.value.issues
    return found.render()


def test_an_unterminated_quote_is_named_at_the_row_it_opens() -> None:
    assert issue('login,team\na@x.example,"payments\nb@x.example,payments\nc@x.example,mobile\n') == (
        "hr.csv: line 2: a quoted cell is never closed: its quote runs to the end of the file (got "
        "'unexpected end of data'). Fix: close the quote, or double a quote that belongs inside the cell "
        '("")'
    )


def test_a_row_with_another_cell_count_is_refused() -> None:
    assert issue("login,title\na@x.example,Manager, Payments\n") == (
        "hr.csv: line 2: 3 cells, the header has 2 (got ['a@x.example', 'Manager', ' Payments']). "
        "Fix: quote a cell that holds a comma, and give every row one cell per column"
    )


@pytest.mark.parametrize(("delimiter", "name"), [(";", "';'"), ("\t", "TAB"), ("|", "'|'")])
def test_another_delimiter_is_named(delimiter: str, name: str) -> None:
    header = delimiter.join(("login", "email", "status"))
    assert issue(f"{header}\na{delimiter}b{delimiter}c\n") == (
        f"hr.csv: (header): the columns are separated by {name}, not ',' (got {header!r}). "
        "Fix: export with ',' as the delimiter (Okta's CSV directory reads ',' only)"
    )


def test_a_cell_over_the_field_limit_names_its_line() -> None:
    text = "login,title\na@x.example,x\nb@x.example," + "x" * 131_073 + "\n"
    assert issue(text) == (
        "hr.csv: line 3: a cell is longer than 131,072 characters, the CSV reader's limit (got 'field larger "
        "than field limit (131072)'). Fix: no HR value is that long: look for a quote that is never "
        "closed, or a corrupted line"
    )


def test_a_stray_quote_and_an_empty_file() -> None:
    assert issue('login,title\na@x.example,"Manager" Payments\n') == (
        "hr.csv: line 2: not readable as CSV (',' expected after '\"') (got '\\',\\' expected after "
        "\\'\"\\''). "
        'Fix: quote a cell that holds a comma or a quote, and double quotes inside it ("")'
    )
    assert issue("") == "hr.csv: (file): the file is empty (got ''). Fix: export at least a header row"


def test_what_excel_writes_as_csv_utf8_is_read_as_written() -> None:
    """CRLF line ends, a quoted header, a blank line at the end: benign, read exactly."""
    table = read_csv('"login","title"\r\na@x.example,"Platform Engineer "\r\n\r\n', "hr.csv")
    assert (table.header, table.rows, table.lines) == (
        ("login", "title"),
        ({"login": "a@x.example", "title": "Platform Engineer "},),
        (2,),
    )
