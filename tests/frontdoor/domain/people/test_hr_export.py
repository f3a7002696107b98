"""The HR export: columns mapped to Okta attributes, every bad row named (file, row, column, value, fix)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.people.hr_export import export_attributes, load_export

HEADER = "login,email,employeeNumber,status,department,team,title,costCenter,manager,userType\n"
ANA = "ana@x.example,ana@x.example,E1,active,Engineering,payments,Staff Engineer,CC-1,,employee\n"
BEA = "bea@x.example,bea@x.example,E2,terminated,Finance,,Analyst,CC-2,ana@x.example,contractor\n"


def _csv(tmp_path: Path, text: str, name: str = "hr.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _errors(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_export(path)
    return [issue.render() for issue in caught.value.issues]


def test_a_valid_export(tmp_path: Path) -> None:
    export = load_export(_csv(tmp_path, HEADER + ANA + BEA))
    ana, bea = export.people
    assert (ana.login, ana.status, ana.worker_type, ana.row) == ("ana@x.example", "active", "employee", 1)
    assert ana.profile["team"] == "payments" and ana.profile["manager"] is None
    assert "status" not in ana.profile  # lifecycle, not a profile attribute rules may read
    assert (bea.active, bea.profile["team"]) == (False, None)
    assert export.find("ANA@x.example") is ana
    assert export.attributes == frozenset(
        {
            "login",
            "email",
            "employeeNumber",
            "department",
            "team",
            "title",
            "costCenter",
            "manager",
            "userType",
        }
    )


def test_workday_headers_map_to_okta_attributes(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "Username,Work Email,Employee_ID,Worker Status,Worker Type,Cost Center,workLocation,groups\n"
        "ana@x.example,ana@x.example,E1,active,employee,CC-1,Berlin,okta-admins;vpn-users\n",
    )
    (ana,) = load_export(path).people
    assert dict(ana.profile) == {
        "login": "ana@x.example",
        "email": "ana@x.example",
        "employeeNumber": "E1",
        "userType": "employee",
        "costCenter": "CC-1",
        "workLocation": "Berlin",
    }
    assert ana.groups == frozenset({"okta-admins", "vpn-users"})
    assert export_attributes(path) == frozenset(
        {"login", "email", "employeeNumber", "userType", "costCenter", "workLocation"}
    )


def test_json_export_with_array_attributes(tmp_path: Path) -> None:
    path = tmp_path / "hr.json"
    rows = [{"login": "a@x.example", "email": "a@x.example", "employeeNumber": "E1", "status": "active",
             "userType": "employee", "tags": ["pci", "sox"], "team": None}]  # fmt: skip
    path.write_text(json.dumps(rows))
    (person,) = load_export(path).people
    assert person.profile["tags"] == ("pci", "sox") and person.profile["team"] is None


def test_every_bad_row_is_named(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        HEADER
        + ANA
        + "Ana@x.example,other@x.example,E3,active,,,,,,employee\n"
        + "cy@x.example,not-an-email,E4,on leave,,,,,,intern\n"
        + ",dee@x.example,,active,,,,,,employee\n",
    )
    assert _errors(path) == [
        f"{path}: row 2, column login: duplicate login: row 1 has the same (got 'Ana@x.example'). "
        "Fix: each person appears once; merge or correct rows 1 and 2",
        f"{path}: row 3, column email: not an email address (got 'not-an-email'). "
        "Fix: write it as name@example.com",
        f"{path}: row 3, column status: unknown HR status (got 'on leave'). "
        "Fix: use one of active, terminated",
        f"{path}: row 3, column userType: unknown worker type (got 'intern'). "
        "Fix: use one of employee, contractor",
        f"{path}: row 4, column login: login is empty (got None). Fix: fill login for every person",
        f"{path}: row 4, column employeeNumber: employeeNumber is empty (got None). "
        "Fix: fill employeeNumber for every person",
    ]


def test_header_problems(tmp_path: Path) -> None:
    path = _csv(tmp_path, "login,email,Employee ID,employeeNumber,status,cost-center!\n")
    assert _errors(path) == [
        f"{path}: (header): column 'employeeNumber' fills employeeNumber, already filled by column "
        "'Employee ID' (got 'employeeNumber'). Fix: keep one of the two columns",
        f"{path}: (header): a custom column must be a valid Okta attribute name (got 'cost-center!'). "
        "Fix: rename it to letters, digits and '_' starting with a letter (e.g. workLocation)",
        f"{path}: (header): the export has no userType column "
        "(got 'login,email,Employee ID,employeeNumber,status,cost-center!'). "
        "Fix: add the userType column (README: People)",
    ]


def test_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    assert _errors(missing) == [
        f"{missing}: (file): HR export file not found (got '{missing}'). Fix: check the path"
    ]
    bad_json = _csv(tmp_path, '{"login": 1}', "hr.json")
    assert _errors(bad_json) == [
        f"{bad_json}: (file): a JSON HR export must be a list of objects, one per person (got 'dict'). "
        'Fix: write [{"login": ..., "email": ..., ...}, ...]'
    ]
