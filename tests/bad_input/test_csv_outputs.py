"""Every CSV frontdoor writes, over the OWASP payload list: no cell reaches a spreadsheet as a formula.

The writers: the access report (`access-report --format csv`), the person report (`access-report
--person/--people --format csv`), the posture migration list (`posture --format csv`) and the demo HR
exports (`python -m frontdoor.offline.people_demo`). Each gets every payload of
tests/fixtures/people/csv_injection_payloads.json in every string cell it writes; reading the output
back, each cell is the payload with a leading `'` when a spreadsheet would run it, else unchanged. The
person report is also run as a command over an HR export carrying the payloads its reader accepts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import frontdoor.offline.preview
from frontdoor.commands.cli import main
from frontdoor.domain.people.hr_export import COLUMNS, Person
from frontdoor.domain.reconcile.posture import Finding
from frontdoor.live import posture
from frontdoor.offline import people_demo, people_report, report
from frontdoor.offline.people_report import PersonAccess
from frontdoor.offline.report import AccessRow

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PAYLOADS: list[dict[str, Any]] = json.loads(
    (REPO / "tests" / "fixtures" / "people" / "csv_injection_payloads.json").read_text()
)["payloads"]
IDS = [repr(p["payload"])[:30] for p in PAYLOADS]


def expected(payload: str, neutralise: bool) -> str:
    return ("'" if neutralise else "") + payload


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def access_row(value: str) -> AccessRow:
    return AccessRow(value, value, value, value, value, value, value, value, value, value)


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_the_access_report(payload: dict[str, Any]) -> None:
    header, row = cells(report.render([access_row(payload["payload"])], "csv"))
    assert header == list(report.COLUMNS)
    assert row == [expected(payload["payload"], payload["neutralise"])] * len(header)


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_the_person_report(payload: dict[str, Any]) -> None:
    value = payload["payload"]
    person = Person(value, value, value, value, value, {}, frozenset(), 1)
    accesses = [
        PersonAccess(person, (), (access_row(value),), ""),  # a row per grant
        PersonAccess(person, (), (), value),  # the note row of someone who reaches nothing
    ]
    header, granted, nothing = cells(people_report.render(accesses, "csv", "hr.csv"))
    assert header == list(people_report.PERSON_COLUMNS)
    shown = expected(value, payload["neutralise"])
    # The note is a sentence of ours around the value (it never starts with it); no people policy here.
    assert granted == [shown] * (len(header) - 2) + [f"time-bound exception until {value} ({value})", ""]
    assert nothing == [shown] * 4 + [""] * (len(header) - 6) + [shown, ""]


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_the_posture_migration_list(payload: dict[str, Any]) -> None:
    value = payload["payload"]
    finding = Finding(value, value, value, value, "machine", value, False, None, False, (), None, value, True)
    scan = posture.PostureScan(accounts=[], findings=[finding])
    header, row = cells(posture.render(scan, "csv", dt.datetime(2026, 11, 28, tzinfo=dt.UTC)))
    assert header == list(posture.COLUMNS)
    by_column = dict(zip(header, row, strict=True))
    shown = expected(value, payload["neutralise"])
    written_from_the_payload = ("account_id", "account_name", "user", "path", "person", "proposed_action")
    assert {c: by_column[c] for c in written_from_the_payload} == dict.fromkeys(
        written_from_the_payload, shown
    )


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_the_demo_hr_export(payload: dict[str, Any]) -> None:
    header, row = cells(people_demo.to_csv([dict.fromkeys(COLUMNS, payload["payload"])]))
    assert (header, row) == (
        list(COLUMNS),
        [expected(payload["payload"], payload["neutralise"])] * len(COLUMNS),
    )


def test_the_demo_hr_exports_hold_no_cell_the_writer_would_change() -> None:
    """people_demo writes through the neutralising writer; its own data must pass through it unchanged."""
    for path in (REPO / people_demo.CURRENT_FILE, REPO / people_demo.PREVIOUS_FILE):
        for row in csv.reader(path.open(newline="")):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n", "\0")) for cell in row)


@pytest.fixture
def person_report_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """The person report's command over the demo's plan (its rows are not the subject here)."""
    from frontdoor.offline.preview import resolve_inputs, run_preview

    demo = run_preview(resolve_inputs("demo"), evaluate_policies=False)
    monkeypatch.setattr(frontdoor.offline.preview, "run_preview", lambda *_a, **_k: demo)
    monkeypatch.chdir(REPO)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_the_person_report_command_over_an_export_of_payload_logins(
    person_report_cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    """Logins are HR free text (only the email is pattern-checked): every payload the HR reader accepts
    as a login is written neutralised. The reader refuses the others first: a login starting with
    whitespace (Okta refuses it on import) and one holding NUL (not a text file)."""
    accepted = [p for p in PAYLOADS if p["payload"] == p["payload"].strip() and "\0" not in p["payload"]]
    assert len(accepted) == len(PAYLOADS) - 7
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")  # HR's file, not ours: written raw
    writer.writerow(["login", "email", "employeeNumber", "status", "userType", "team"])
    for index, payload in enumerate(accepted):
        writer.writerow(
            [payload["payload"], f"p{index}@x.example", f"E{index}", "active", "employee", "payments"]
        )
    export = tmp_path / "hr.csv"
    export.write_text(buffer.getvalue())
    code, out, err = person_report_cli("access-report", "--people", str(export), "--format", "csv")
    assert (code, err) == (0, "")
    header, *rows = cells(out)
    logins = {row[header.index("email")]: row[header.index("login")] for row in rows}
    assert logins == {
        f"p{index}@x.example": expected(p["payload"], p["neutralise"]) for index, p in enumerate(accepted)
    }
