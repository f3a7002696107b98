"""Joiners, movers and leavers between two HR exports, with hand-written rules and rows (no program run;
the demo's JML is tests/frontdoor/offline/test_people_demo.py)."""

from __future__ import annotations

from frontdoor.domain.people.group_rules import GroupRules
from frontdoor.domain.people.hr_export import Person, parse_people
from frontdoor.offline.jml import compare
from frontdoor.offline.report import AccessRow

HEADER = ["login", "email", "employeeNumber", "status", "team", "userType"]
PLATFORM, PAYMENTS = 'user.team == "platform"', 'user.team == "payments"'
RULES = GroupRules.from_mapping({"aws-platform-admin": PLATFORM, "aws-pay": PAYMENTS})
ADMIN = "aws-platform-admin"
ROWS = [
    AccessRow(ADMIN, "PlatformAdmin", "100000000001", "prod", "Workloads", "PT1H", PLATFORM, "synced"),
    AccessRow("aws-pay", "Dev", "100000000002", "dev", "Workloads", "PT1H", PAYMENTS, "synced"),
]  # fmt: skip


def _people(*rows: tuple[str, str, str, str]) -> tuple[Person, ...]:
    """(login, HR id, status, team) per person."""
    cells = [
        {"login": login, "email": login, "employeeNumber": number, "status": status, "team": team,
         "userType": "employee"}
        for login, number, status, team in rows
    ]  # fmt: skip
    return parse_people(HEADER, cells, "hr.csv").people


def test_a_joiner_and_a_rehire_under_a_new_id_gain_what_they_reach() -> None:
    """--fail-on-gain reads JmlReport.gains: joiners count, not only movers."""
    before = _people(
        ("ana@x.example", "E1", "active", "payments"), ("cy@x.example", "E3", "active", "platform")
    )
    after = _people(
        ("ana@x.example", "E1", "active", "payments"),
        ("bo@x.example", "E2", "active", "platform"),  # a joiner
        ("cy@x.example", "E7", "active", "platform"),  # rehired under a new id: a leaver E3 and a joiner E7
    )
    report = compare(before, after, RULES, ROWS)
    assert [(c.login, c.kind, c.employee_number) for c in report.changes] == [
        ("bo@x.example", "joiner", "E2"),
        ("cy@x.example", "leaver", "E3"),
        ("cy@x.example", "joiner", "E7"),
    ]
    gains = [(login, g.permission_set, g.account_id) for login, g in report.gains("PlatformAdmin")]
    assert gains == [
        ("bo@x.example", "PlatformAdmin", "100000000001"),
        ("cy@x.example", "PlatformAdmin", "100000000001"),
    ]
    assert report.gains("platformadmin") == []  # the set's name as the catalogue spells it


def test_a_padded_hr_id_still_matches_the_same_person_across_exports() -> None:
    """README: whitespace is trimmed to match ids across exports (an id is a lookup, not a rule's value)."""
    before = _people(("ana@x.example", "E1", "active", "payments"))
    after = _people(("ana@x.example", " e1 ", "active", "payments"))
    report = compare(before, after, RULES, ROWS)
    assert (report.changes, report.unchanged) == ((), 1)
