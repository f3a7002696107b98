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
