"""The HR export: columns mapped to Okta attributes, every bad row named (file, row, column, value, fix)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.people.hr_export import (
    describe_whitespace,
    export_attributes,
    load_export,
    whitespace_issues,
)

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


@pytest.mark.parametrize(
    ("column", "value"), [("status", "Active"), ("status", "TERMINATED"), ("userType", "Employee")]
)
def test_a_case_variant_of_status_or_worker_type_is_refused(tmp_path: Path, column: str, value: str) -> None:
    """Exact values only: an 'Active' accepted would be a terminated person (Person.active compares
    exactly), an 'Employee' a worker type no people policy allows."""
    cells = {"status": "active", "userType": "employee", column: value}
    path = _csv(
        tmp_path, HEADER + f"ana@x.example,ana@x.example,E1,{cells['status']},,,,,,{cells['userType']}\n"
    )
    allowed = "active, terminated" if column == "status" else "employee, contractor"
    what = "HR status" if column == "status" else "worker type"
    assert _errors(path) == [
        f"{path}: row 1, column {column}: unknown {what} (got {value!r}). Fix: use one of {allowed}"
    ]


def test_the_groups_column_is_a_semicolon_list_of_names_or_ids(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "login,email,employeeNumber,status,userType,groups\n"
        "ana@x.example,ana@x.example,E1,active,employee, aws-platform-admin ;;00g1emaKYZTWRYYRRTSK\n",
    )
    (ana,) = load_export(path).people
    assert ana.groups == frozenset({"aws-platform-admin", "00g1emaKYZTWRYYRRTSK"})
    assert "groups" not in ana.profile


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


# --- values as Okta holds them (issue 26) ------------------------------------------------------------

OKTA_KEEPS = (
    'Okta keeps imported values as written and compares them exactly (support.okta.com "Group Rule '
    'Expression Is Case Sensitive": "treat blank spaces as distinct characters")'
)


def test_values_are_kept_exactly_as_written(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        HEADER
        + "ana@x.example,ana@x.example,E1,active,\u00a0Security,telemetry ,Platform Engineer , ,,employee\n",
    )
    export = load_export(path)
    (ana,) = export.people
    assert (ana.profile["department"], ana.profile["team"], ana.profile["title"]) == (
        "\u00a0Security",
        "telemetry ",
        "Platform Engineer ",
    )
    assert ana.profile["costCenter"] == " "  # whitespace is a value, only an empty cell is null
    assert export.find("  ANA@x.example ") is ana  # a lookup trims: it is not a rule value


def test_a_login_or_email_with_whitespace_is_refused_as_okta_refuses_it(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        HEADER
        + "ana@x.example ,ana@x.example,E1,active,,,,,,employee\n"
        + "bea@x.example,\u00a0bea@x.example,E2,active,,,,,,employee\n",
    )
    assert _errors(path) == [
        f"{path}: row 1, column login: the login has a trailing U+0020 SPACE: Okta refuses such a login on "
        'import (support.okta.com "Cannot Confirm Active Directory User to Okta Due to Email Format": '
        "\"login field failed validation\", doesNotMatchPattern) (got 'ana@x.example '). "
        "Fix: remove the whitespace from the login in HR",
        f"{path}: row 2, column email: the email has a leading U+00A0 NO-BREAK SPACE: Okta refuses such an "
        'email on import (support.okta.com "Cannot Confirm Active Directory User to Okta Due to Email '
        'Format": "email field failed validation", doesNotMatchPattern) (got \'\\xa0bea@x.example\'). '
        "Fix: remove the whitespace from the email in HR",
    ]


def test_a_padded_status_or_worker_type_says_whitespace_not_unknown(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + "ana@x.example,ana@x.example,E1,active ,,,,,,\u00a0contractor\n")
    assert _errors(path) == [
        f"{path}: row 1, column status: HR status 'active' with a trailing U+0020 SPACE: {OKTA_KEEPS} "
        "(got 'active '). Fix: remove the whitespace in HR; use exactly one of active, terminated",
        f"{path}: row 1, column userType: worker type 'contractor' with a leading U+00A0 NO-BREAK SPACE: "
        f"{OKTA_KEEPS} (got '\\xa0contractor'). Fix: remove the whitespace in HR; use exactly one of "
        "employee, contractor",
    ]


def test_json_values_okta_cannot_hold_as_strings_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "hr.json"
    record = {"login": "a@x.example", "email": "a@x.example", "employeeNumber": 1234, "status": "active",
              "userType": "employee", "team": True, "title": 1.0, "costCenter": {"code": "CC-1"},
              "department": ["Security", " Finance "], "tags": ["pci", 3], "manager": ""}  # fmt: skip
    path.write_text(json.dumps([record]))
    fix = 'Fix: write it as a JSON string, e.g. "1234"; a list of strings for an array attribute'
    assert _errors(path) == [
        f"{path}: row 1, column employeeNumber: a JSON number where Okta's profile holds a string "
        f"(employeeNumber is a string attribute) (got 1234). {fix}",
        f"{path}: row 1, column team: a JSON true/false: frontdoor reads HR values as Okta's string (or "
        f"string array) attributes (got True). {fix}",
        f"{path}: row 1, column title: a JSON number where Okta's profile holds a string (title is a string "
        f"attribute) (got 1.0). {fix}",
        f"{path}: row 1, column costCenter: a JSON object where Okta's profile holds a string (costCenter "
        f"is a string attribute) (got {{'code': 'CC-1'}}). {fix}",
        f"{path}: row 1, column department: a JSON list where Okta's profile holds a string (department is "
        f"a string attribute) (got ['Security', ' Finance ']). {fix}",
        f"{path}: row 1, column tags: a list holding a non-string: an array attribute holds strings (got "
        f"['pci', 3]). {fix}",
    ]


def test_the_id_column_is_configurable_required_and_unique(tmp_path: Path) -> None:
    header = "login,email,personId,status,userType\n"
    path = _csv(tmp_path, header + "a@x.example,a@x.example,W-1 ,active,employee\n")
    (person,) = load_export(path, "personId").people
    assert (person.employee_number, person.identity) == ("W-1 ", "w-1")
    assert _errors_with(path, "employeeNumber") == [
        f"{path}: (header): the export has no employeeNumber column (got 'login,email,personId,status,"
        "userType'). Fix: add the employeeNumber column (README: People)"
    ]
    duplicate = _csv(tmp_path, header + "a@x.example,a@x.example,W-1,active,employee\n"
                     "b@x.example,b@x.example,w-1,active,employee\n", "dup.csv")  # fmt: skip
    assert _errors_with(duplicate, "personId") == [
        f"{duplicate}: row 2, column personId: duplicate personId: row 1 has the same (got 'w-1'). "
        "Fix: each person appears once; merge or correct rows 1 and 2"
    ]
    no_column = _csv(tmp_path, HEADER + ANA, "no-id.csv")
    assert _errors_with(no_column, "personId") == [
        f"{no_column}: (header): the export has no personId column (frontdoor:people.idColumn: people are "
        f"matched by it) (got {HEADER.strip()!r}). Fix: add the personId column (README: People)"
    ]


def _errors_with(path: Path, id_column: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_export(path, id_column)
    return [issue.render() for issue in caught.value.issues]


@pytest.mark.parametrize(
    ("value", "described"),
    [
        ("Platform Engineer", None),
        ("Zoë Brontë", None),
        ("Platform Engineer ", "a trailing U+0020 SPACE"),
        ("\tpayments", "a leading U+0009 control character"),
        ("telemetry\u00a0", "a trailing U+00A0 NO-BREAK SPACE"),
        ("Platform\u00a0Engineer", "U+00A0 NO-BREAK SPACE at character 9"),
        ("pay\u200bments", "U+200B ZERO WIDTH SPACE at character 4"),
        ("\u200bpayments", "a leading U+200B ZERO WIDTH SPACE"),
        (" \u3000", "only whitespace (U+0020 SPACE, U+3000 IDEOGRAPHIC SPACE)"),
        ("Staff  Engineer", None),  # two plain spaces inside: visible, and compared as written
    ],
)
def test_describe_whitespace(value: str, described: str | None) -> None:
    assert describe_whitespace(value) == described


def test_whitespace_warnings_name_the_cell_and_the_rules_reading_it(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "Username,Work Email,Employee_ID,Worker Status,Worker Type,Business Title,team\n"
        "ana@x.example,ana@x.example,E1,active,employee,Platform Engineer ,platform\n"
        "bea@x.example,bea@x.example,E2,active,employee,Analyst,mobile\u00a0\n",
    )
    export = load_export(path)
    readers = {"title": ("aws-platform-admin",), "team": ("aws-mobile-dev", "aws-platform-admin")}
    assert [i.render() for i in whitespace_issues(export, readers)] == [
        f"{path}: row 1, column Business Title: the value has a trailing U+0020 SPACE; {OKTA_KEEPS}, so the "
        "rules of aws-platform-admin compare user.title with it as written (got 'Platform Engineer '). Fix: "
        "remove the whitespace in HR (frontdoor evaluates the value as Okta holds it)",
        f"{path}: row 2, column team: the value has a trailing U+00A0 NO-BREAK SPACE; {OKTA_KEEPS}, so the "
        "rules of aws-mobile-dev, aws-platform-admin compare user.team with it as written (got "
        "'mobile\\xa0'). Fix: remove the whitespace in HR (frontdoor evaluates the value as Okta holds it)",
    ]
    assert whitespace_issues(export, {"department": ("aws-x",)}) == []  # no rule reads a padded cell


def test_a_padded_element_of_an_array_attribute_a_rule_reads_is_warned(tmp_path: Path) -> None:
    path = tmp_path / "hr.json"
    row = {"login": "ana@x.example", "email": "ana@x.example", "employeeNumber": "E1", "status": "active",
           "userType": "employee", "tags": ["sox ", "pci"]}  # fmt: skip
    path.write_text(json.dumps([row]))
    issues = whitespace_issues(load_export(path), {"tags": ("aws-sox",)})
    assert [(i.field, i.value) for i in issues] == [("row 1, column tags", "sox ")]
