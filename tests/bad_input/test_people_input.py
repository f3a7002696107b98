"""Broken HR exports: every people command exits 2 with the exact message, before the program runs."""

from __future__ import annotations

from pathlib import Path

import pytest

import frontdoor.offline.preview
from frontdoor.commands.cli import main

HERE = Path(__file__).resolve().parent / "people"
REPO = HERE.parents[2]

EXPECTED = {
    "duplicate_login.csv": [
        "{file}: row 2, column login: duplicate login: row 1 has the same (got 'ANA@x.example'). "
        "Fix: each person appears once; merge or correct rows 1 and 2",
    ],
    "bad_status.csv": [
        "{file}: row 1, column status: unknown HR status (got 'on-leave'). "
        "Fix: use one of active, terminated",
    ],
    "missing_columns.csv": [
        "{file}: (header): the export has no employeeNumber column (got 'login,email,status'). "
        "Fix: add the employeeNumber column (README: People)",
        "{file}: (header): the export has no userType column (got 'login,email,status'). "
        "Fix: add the userType column (README: People)",
    ],
    "bad_worker_type.json": [
        "{file}: row 1, column userType: unknown worker type (got 'intern'). "
        "Fix: use one of employee, contractor",
    ],
    # Issue 26: each of these was a traceback, a silent repair or a misleading message.
    "huge_cell.csv": [
        "{file}: line 3: a cell is longer than 131,072 characters, the CSV reader's limit (got 'field larger "
        "than field limit (131072)'). Fix: no HR value is that long: look for a quote that is never "
        "closed, or a corrupted line",
    ],
    "deep.json": [
        "{file}: (file): the document nests deeper than 64 levels (got 'more than 64 levels'). Fix: write a "
        'list of flat objects, [{"login": ..., "email": ..., ...}, ...]',
    ],
    "latin1.csv": [
        "{file}: line 2, byte 63: not UTF-8 (in Windows-1252 this byte is 'é': the file looks like "
        "Windows-1252 or Latin-1) (got '0xE9'). Fix: save it as UTF-8 (Excel: \"CSV UTF-8 (Comma "
        'delimited)")',
    ],
    "utf16.csv": [
        "{file}: (file): the file is UTF-16 LE, not UTF-8 (got 'byte-order mark FF FE'). Fix: save it as "
        'UTF-8 (Excel: "CSV UTF-8 (Comma delimited)")',
    ],
    "nul_byte.csv": [
        "{file}: line 2, byte 43: the file holds NUL bytes: UTF-16 or UTF-32 without a byte-order mark, or "
        "not a text file (got 'NUL byte'). Fix: save it as UTF-8 (Excel: \"CSV UTF-8 (Comma delimited)\")",
    ],
    "semicolon.csv": [
        "{file}: (header): the columns are separated by ';', not ',' (got 'login;email;employeeNumber;status;"
        "department;team;title;costCenter;manager;userType'). Fix: export with ',' as the delimiter (Okta's "
        "CSV directory reads ',' only)",
    ],
    "unterminated_quote.csv": [
        "{file}: line 2: a quoted cell is never closed: its quote runs to the end of the file (got "
        "'unexpected end of data'). Fix: close the quote, or double a quote that belongs inside the cell "
        '("")',
    ],
    "extra_cell.csv": [
        "{file}: line 2: 11 cells, the header has 10 (got ['ana@x.example', 'ana@x.example', 'E1', 'active', "
        "'Engineering', 'payments', 'Manager', ' Payments', 'CC-1', '', 'em...). Fix: quote a cell that "
        "holds a comma, and give every row one cell per column",
    ],
    "duplicate_key.json": [
        "{file}: line 1, column 123: duplicate key 'status' (first at line 1, column 79): JSON readers keep "
        "only one of the two, silently (got 'status'). Fix: remove one of the two",
    ],
    "typed_values.json": [
        "{file}: row 1, column team: a JSON true/false: frontdoor reads HR values as Okta's string (or "
        'string array) attributes (got True). Fix: write it as a JSON string, e.g. "1234"; a list of '
        "strings for an array attribute",
        "{file}: row 1, column costCenter: a JSON object where Okta's profile holds a string (costCenter is "
        "a string attribute) (got {'code': 'CC-1'}). Fix: write it as a JSON string, e.g. \"1234\"; a list "
        "of strings for an array attribute",
    ],
    "padded_login.csv": [
        "{file}: row 1, column login: the login has a trailing U+0020 SPACE: Okta refuses such a login on "
        'import (support.okta.com "Cannot Confirm Active Directory User to Okta Due to Email Format": '
        "\"login field failed validation\", doesNotMatchPattern) (got 'ana@x.example '). Fix: remove the "
        "whitespace from the login in HR",
    ],
}
POSTURE = {  # `sample --posture FILE`: refused before the program runs, as an HR export is
    "deep.json": "{file}: (file): the document nests deeper than 64 levels (got 'more than 64 levels'). Fix: "
    'give the JSON of `frontdoor posture --format json`, or {"iamUsers": [{"account": ..., "user": ...}], '
    '"accounts": [...]}',
    "duplicate_key.json": "{file}: line 1, column 123: duplicate key 'status' (first at line 1, column 79): "
    "JSON readers keep only one of the two, silently (got 'status'). Fix: remove one of the two",
    "latin1.csv": "{file}: line 2, byte 63: not UTF-8 (in Windows-1252 this byte is 'é': the file looks "
    "like Windows-1252 or Latin-1) (got '0xE9'). Fix: save it as UTF-8 (Excel: \"CSV UTF-8 (Comma "
    'delimited)")',
    "utf16.csv": "{file}: (file): the file is UTF-16 LE, not UTF-8 (got 'byte-order mark FF FE'). Fix: save "
    'it as UTF-8 (Excel: "CSV UTF-8 (Comma delimited)")',
}


@pytest.fixture
def engine_never_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the program ran although the HR export is broken")

    monkeypatch.setattr(frontdoor.offline.preview, "run_preview", forbidden)
    monkeypatch.chdir(REPO)


def test_every_file_has_an_expectation() -> None:
    assert sorted(p.name for p in HERE.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize(
    "command",
    [
        ["access-report", "--people", "{file}"],
        ["jml", "{file}", "stacks/people.demo.csv"],
        ["sample", "--people", "jane.doe@acme-medical.example", "--hr-export", "{file}"],
    ],
)
def test_a_broken_export_exits_2(
    name: str, command: list[str], capsys: pytest.CaptureFixture[str], engine_never_runs: None
) -> None:
    path = str(HERE / name)
    code = main([part.replace("{file}", path) for part in command])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert captured.err.splitlines() == [
        "error: bad input, nothing was registered",
        *(line.replace("{file}", path) for line in EXPECTED[name]),
    ]


@pytest.mark.parametrize("name", sorted(POSTURE))
def test_a_broken_posture_file_exits_2_before_the_program_runs(
    name: str, capsys: pytest.CaptureFixture[str], engine_never_runs: None
) -> None:
    path = str(HERE / name)
    code = main(["sample", "--people", "jane.doe@acme-medical.example", "--posture", path])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert captured.err.splitlines() == [
        "error: bad input, nothing was registered",
        POSTURE[name].replace("{file}", path),
    ]


# `posture --people FILE` reads its people file through the same reader; the refusal comes before any
# AWS call (no credentials or endpoint are needed to see it).
POSTURE_PEOPLE = [
    "huge_cell.csv",
    "latin1.csv",
    "utf16.csv",
    "nul_byte.csv",
    "semicolon.csv",
    "unterminated_quote.csv",
    "extra_cell.csv",
]


@pytest.mark.parametrize("name", POSTURE_PEOPLE)
def test_posture_reads_its_people_file_through_the_same_reader(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    path = str(HERE / name)
    code = main(["posture", "--stack", "demo", "--people", path, "--quiet"])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert captured.err.splitlines() == [
        "error: bad input, nothing was registered",
        *(line.replace("{file}", path) for line in EXPECTED[name]),
    ]
