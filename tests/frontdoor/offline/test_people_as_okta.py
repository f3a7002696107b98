"""People exactly as Okta sees them, on the demo: whitespace, case and non-breaking-space variants of HR
cells through the person report and jml; renames matched by HR id; guarded names; the --strict switch.

Okta's `==` is exact ("Group rule expressions are not only case sensitive but also treat blank spaces
as distinct characters", support.okta.com "Group Rule Expression Is Case Sensitive") and its imports
keep the value as written, so a padded or re-cased cell matches no rule that compares it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from frontdoor.domain.base.spreadsheet import write_csv
from frontdoor.domain.people.hr_export import COLUMNS
from frontdoor.offline import people_demo

REPO = Path(__file__).resolve().parents[3]
CURRENT = REPO / people_demo.CURRENT_FILE
SOFIA = "sofia.moreau@acme-medical.example"  # platform, Platform Engineer, employee: row 224
VERA = "vera.castro@acme-medical.example"  # telemetry: row 43
OKTA_KEEPS = (
    'Okta keeps imported values as written and compares them exactly (support.okta.com "Group Rule '
    'Expression Is Case Sensitive": "treat blank spaces as distinct characters")'
)
Cli = Callable[..., tuple[int, str, str]]


def demo_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(CURRENT.open(newline="")))


def export(tmp_path: Path, name: str, changes: dict[str, dict[str, str]]) -> Path:
    """The demo export with the given people's cells changed (login -> {column: value})."""
    rows = demo_rows()
    for row in rows:
        row.update(changes.get(row["login"], {}))
    path = tmp_path / name
    path.write_text(write_csv(COLUMNS, rows))
    return path


def groups_reading(cli: Cli, attribute: str) -> list[str]:
    """The demo groups whose rule reads `user.<attribute>`, from the group-level report (independent of
    the person report's own list)."""
    _, out, _ = cli("access-report", "--format", "json")
    groups = {r["group"] for r in json.loads(out) if f"user.{attribute} " in r["members_rule"]}
    # The app's assignment group grants the AWS app, no account (no rows): its rules are the OR of every
    # group rule above, so it reads whatever they read.
    return sorted(groups | {"app-aws-identity-center-users"} if groups else groups)


def person(cli: Cli, path: Path, login: str, *flags: str) -> tuple[int, dict[str, Any] | None, str]:
    code, out, err = cli(
        "access-report", "--people", str(path), "--person", login, "--format", "json", *flags
    )
    return code, (json.loads(out)[0] if out else None), err


def test_a_trailing_space_nbsp_or_case_in_team_matches_no_rule_and_is_named(cli: Cli, tmp_path: Path) -> None:
    code, exact, err = person(cli, CURRENT, VERA)
    assert (code, err) == (0, "")
    assert exact is not None and [g["group"] for g in exact["groups"]] == [
        "app-aws-identity-center-users",
        "aws-telemetry-dev",
        "aws-telemetry-readonly",
    ]
    assert len(exact["access"]) == 65
    readers = ", ".join(r for r in groups_reading(cli, "team"))
    for team, described in (
        ("telemetry ", "a trailing U+0020 SPACE"),
        ("telemetry\u00a0", "a trailing U+00A0 NO-BREAK SPACE"),
        ("Telemetry", None),  # a case difference is visible: Okta's == is case-sensitive, nothing to warn
    ):
        path = export(tmp_path, "hr.csv", {VERA: {"team": team}})
        code, report, err = person(cli, path, VERA)
        assert code == 0 and report is not None
        assert (report["groups"], report["access"], report["reaches_nothing"]) == ([], [], True), team
        assert report["note"] == "active, but no group rule matches this record: reaches nothing"
        expected = (
            []
            if described is None
            else [
                f"warning: {path}: row 43, column team: the value has {described}; {OKTA_KEEPS}, so the "
                f"rules of {readers} compare user.team with it as written (got {team!r}). Fix: remove the "
                "whitespace in HR (frontdoor evaluates the value as Okta holds it)"
            ]
        )
        assert err.splitlines() == expected, team


def test_strict_turns_the_warnings_into_errors(cli: Cli, tmp_path: Path) -> None:
    path = export(tmp_path, "hr.csv", {SOFIA: {"title": "Platform Engineer "}})
    code, report, err = person(cli, path, SOFIA, "--strict")
    assert (code, report) == (2, None)
    readers = ", ".join(groups_reading(cli, "title"))
    assert readers == "app-aws-identity-center-users, aws-platform-admin"
    lines = err.splitlines()
    assert lines == [
        "error: bad input, nothing was registered",
        f"{path}: row 224, column title: the value has a trailing U+0020 SPACE; {OKTA_KEEPS}, so the rules "
        f"of {readers} compare user.title with it as written (got 'Platform Engineer '). Fix: remove the "
        "whitespace in HR (frontdoor evaluates the value as Okta holds it)",
    ]
    code, _, err = cli("jml", str(CURRENT), str(path), "--strict")
    assert code == 2 and err.splitlines()[1] == lines[1]


def test_a_padded_title_is_not_a_platform_engineer_and_fixing_it_is_a_guarded_gain(
    cli: Cli, tmp_path: Path
) -> None:
    padded = export(tmp_path, "padded.csv", {SOFIA: {"title": "Platform Engineer "}})
    code, report, _ = person(cli, padded, SOFIA)
    assert code == 0 and report is not None
    assert [g["group"] for g in report["groups"]] == []  # Okta would not add her either
    code, out, err = cli("jml", str(padded), str(CURRENT), "--fail-on-gain", "PlatformAdmin")
    assert code == 1
    lines = out.splitlines()
    assert lines[:5] == [
        f"mover: {SOFIA} (E100224)",
        "  title: 'Platform Engineer ' -> 'Platform Engineer'",
        "  joins app-aws-identity-center-users, aws-platform-admin",
        lines[3],
        lines[4],
    ]
    gained = [line for line in lines if line.startswith("  + PlatformAdmin on ")]
    assert len(gained) == 127
    assert lines[-1] == "0 joiners, 1 movers, 0 leavers, 270 unchanged; 127 grants gained, 0 lost"
    blocked = [line for line in err.splitlines() if line.startswith("blocked: ")]
    assert len(blocked) == 127 and blocked[0].startswith(f"blocked: {SOFIA} gains PlatformAdmin on ")
    assert [line for line in err.splitlines() if line.startswith("warning: ")] == [
        line for line in err.splitlines() if line.startswith(f"warning: {padded}: row 224, column title: ")
    ]


def test_a_rename_under_the_same_employee_number_is_a_mover_without_access_change(
    cli: Cli, tmp_path: Path
) -> None:
    renamed = "sofia.moreau-blanc@acme-medical.example"
    path = export(tmp_path, "renamed.csv", {SOFIA: {"login": renamed, "email": renamed}})
    code, out, err = cli("jml", str(CURRENT), str(path), "--fail-on-gain", "PlatformAdmin")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"mover: {renamed} (E100224)",
        f"  email: '{SOFIA}' -> '{renamed}'",
        f"  login: '{SOFIA}' -> '{renamed}'",
        "  no change of AWS access",
        "0 joiners, 1 movers, 0 leavers, 270 unchanged; 0 grants gained, 0 lost",
    ]


def test_a_new_hr_id_under_the_same_login_is_a_leaver_and_a_joiner_that_say_so(
    cli: Cli, tmp_path: Path
) -> None:
    path = export(tmp_path, "rehired.csv", {SOFIA: {"employeeNumber": "E900001"}})
    code, out, _ = cli("jml", str(CURRENT), str(path), "--format", "json")
    assert code == 0
    changes = {c["kind"]: c for c in json.loads(out)["changes"]}
    assert sorted(changes) == ["joiner", "leaver"]
    assert changes["joiner"]["note"] == (
        "the same login or email is a leaver under E100224: people are matched by their HR id, which changed "
        "(e.g. a contractor hired as an employee); if this is one person, the access above is what the new "
        "id gains or loses"
    )
    assert changes["leaver"]["note"].startswith("the same login or email is a joiner under E900001: ")


def test_a_misspelt_guard_is_refused_before_the_program_runs(cli: Cli) -> None:
    guards = ("PlatfromAdmin", "PlatformAdmin", "platformadmin")
    code, out, err = cli("jml", str(CURRENT), str(CURRENT), *(f"--fail-on-gain={name}" for name in guards))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "error: bad input, nothing was registered",
        *(
            f"{REPO}/stacks/Pulumi.demo.yaml: --fail-on-gain: not a permission set of the stack's catalogue "
            f"(frontdoor:permissionSets): a guard on it would never fire (got {name!r}). Fix: use one of "
            "BillingViewer, DeveloperAccess, PlatformAdmin, ReadOnlyAuditor"
            for name in ("PlatfromAdmin", "platformadmin")  # names are exact: a case variant never fires
        ),
    ]


def test_the_people_policy_is_stated_per_person(cli: Cli) -> None:
    code, out, _ = cli(
        "access-report", "--person", "nikos.berg2@acme-medical.example,dara.garcia@acme-medical.example"
    )
    assert code == 0
    assert (
        "ReadOnlyAuditor on 131 account(s): privileged, allowed for employee, contractor "
        "(frontdoor:people.privilegedWorkerTypes)."
    ) in out.splitlines()
    code, out, _ = cli("access-report", "--person", SOFIA, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["people_policy"] for r in rows if r["permission_set"] == "PlatformAdmin"} == {
        "privileged: allowed for employee"
    }
