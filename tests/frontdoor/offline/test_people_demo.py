"""People on the demo: the person report agrees with the group-level report; jml and the auditor's sample.

The demo stack runs once per session (tests/conftest.py `demo`); the CLI commands below reuse that run
(`demo_preview_reused`) instead of starting the program again.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from frontdoor.offline import people_demo
from frontdoor.offline.people_report import rules_from_run
from frontdoor.offline.preview import PreviewResult

REPO = Path(__file__).resolve().parents[3]
CURRENT = REPO / people_demo.CURRENT_FILE
PREVIOUS = REPO / people_demo.PREVIOUS_FILE
TEAMS = set(people_demo.TEAMS)


def test_the_committed_exports_are_what_the_generator_writes(tmp_path: Path) -> None:
    (tmp_path / "stacks").mkdir()
    for written in people_demo.write_demo(tmp_path):
        assert written.read_text() == (REPO / written.relative_to(tmp_path)).read_text()
    rows = list(csv.DictReader(CURRENT.open()))
    assert 250 <= len(rows) <= 400
    assert sum(r["userType"] == "contractor" for r in rows) >= 20
    assert sorted(r["login"] for r in rows if r["status"] == "terminated") == sorted(people_demo.LEAVERS)


APP_ASSIGNMENT_GROUP = "app-aws-identity-center-users"


def _expected_groups(row: dict[str, str]) -> set[str]:
    """The demo's rules, written out by hand from stacks/Pulumi.demo.yaml (the independent side)."""
    if row["status"] != "active":
        return set()
    groups: set[str] = set()
    if row["team"] in TEAMS:
        groups |= {f"aws-{row['team']}-dev", f"aws-{row['team']}-readonly"}
    if row["department"] == "Regulatory Affairs":
        groups.add("aws-regulatory-readonly")
    if row["team"] == "regulatory":
        groups.discard("aws-regulatory-dev")  # regulatory is granted ReadOnlyAuditor only
    if row["team"] == "platform" and row["title"] == "Platform Engineer" and row["userType"] == "employee":
        groups.add("aws-platform-admin")
    if row["department"] in ("Security", "Internal Audit"):
        groups.add("aws-security-auditors")
    if row["login"] == people_demo.JANE:
        groups.add("aws-incident-4711-admin")
    if row["department"] == "Finance":
        groups.add("aws-billing-readonly")
    if groups:
        # The app's assignment group is filled by rules over the same expressions (F8): it grants
        # the AWS app, no account access.
        groups.add(APP_ASSIGNMENT_GROUP)
    return groups


def _key(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True)


def test_each_person_reaches_exactly_the_union_of_their_groups_rows(
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    code, out, _ = cli("access-report", "--format", "json")
    assert code == 0
    group_rows: dict[str, list[dict[str, Any]]] = {}
    for row in json.loads(out):
        group_rows.setdefault(row["group"], []).append(row)
    code, out, err = cli("access-report", "--people", str(CURRENT), "--format", "json")
    assert (code, err) == (0, "")
    people = {p["login"]: p for p in json.loads(out)}
    rows = {r["login"]: r for r in csv.DictReader(CURRENT.open())}
    assert set(people) == set(rows)
    members = 0
    for login, person in people.items():
        expected = _expected_groups(rows[login])
        assert {g["group"] for g in person["groups"]} == expected, login
        union = sorted((r for g in expected for r in group_rows.get(g, [])), key=_key)
        assert sorted(person["access"], key=_key) == union, login
        members += bool(expected)
    assert members > 230


def test_a_person_by_email_with_the_time_bound_exception(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = cli("access-report", "--person", people_demo.JANE, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(out.splitlines()))
    exception = [r for r in rows if r["group"] == "aws-incident-4711-admin"]
    assert [(r["permission_set"], r["account_name"], r["expires"], r["ticket"]) for r in exception] == [
        ("PlatformAdmin", "payments-prod1", "2026-12-05", "CHG0041234"),
        ("PlatformAdmin", "payments-prod2", "2026-12-05", "CHG0041234"),
    ]
    assert {r["note"] for r in exception} == {"time-bound exception until 2026-12-05 (CHG0041234)"}
    assert {r["members_rule"] for r in exception} == {f'user.login == "{people_demo.JANE}"'}


def test_deferred_grants_are_marked(cli: Callable[..., tuple[int, str, str]]) -> None:
    portal = next(r["login"] for r in csv.DictReader(CURRENT.open()) if r["team"] == "patient-portal")
    _, out, _ = cli("access-report", "--person", portal, "--format", "json")
    (person,) = json.loads(out)
    assert person["access"] and {r["status"] for r in person["access"]} == {"deferred"}


def test_a_leaver_reaches_nothing_and_the_report_says_so(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = cli("access-report", "--person", ",".join(people_demo.LEAVERS))
    assert code == 0
    for login in people_demo.LEAVERS:
        assert f"## {login}" in out
    assert (
        out.count("**terminated in HR: deactivated in Okta, removed from every group; reaches nothing.**")
        == 2
    )
    assert "| permission_set |" not in out


def test_an_unknown_person_exits_2(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, err = cli("access-report", "--person", "nobody@acme-medical.example")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "error: bad input, nothing was registered",
        "stacks/people.demo.csv: --person: no person with this login or email in the HR export "
        "(got 'nobody@acme-medical.example'). Fix: check the spelling, or pass the export that lists "
        "them with --people FILE",
    ]


def test_jml_between_last_week_and_this_week(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, err = cli("jml", str(PREVIOUS), str(CURRENT), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    kinds = {c["login"]: c["kind"] for c in report["changes"]}
    assert kinds == {
        people_demo.MOVER: "mover",
        people_demo.JOINER: "joiner",
        **dict.fromkeys(people_demo.LEAVERS, "leaver"),
    }
    mover = next(c for c in report["changes"] if c["kind"] == "mover")
    assert mover["groups_joined"] == ["aws-platform-admin"]  # the platform team has no team grants
    assert {g["permission_set"] for g in mover["gained"]} == {"PlatformAdmin"}
    assert mover["groups_left"] == ["aws-payments-dev", "aws-payments-readonly"]
    assert mover["attributes"]["team"] == ["payments", "platform"]
    for leaver in (c for c in report["changes"] if c["kind"] == "leaver"):
        assert leaver["gained"] == [] and leaver["lost"]
    summary = report["summary"]
    assert (summary["joiners"], summary["movers"], summary["leavers"]) == (1, 1, 2)
    assert summary["unchanged"] == len(list(csv.DictReader(CURRENT.open()))) - 4


def _account(line: str) -> str:
    """`  + PlatformAdmin on audit-logs (1000…, Workloads/Shared) via g` -> `audit-logs (1000…`."""
    return line.split(" on ", 1)[1].split(", ")[0]


def test_jml_fails_on_a_guarded_gain(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, err = cli("jml", str(PREVIOUS), str(CURRENT), "--fail-on-gain", "PlatformAdmin")
    assert code == 1
    assert out.splitlines()[-1].startswith("1 joiners, 1 movers, 2 leavers, ")
    gained = [line for line in out.splitlines() if line.startswith("  + PlatformAdmin on ")]
    assert len(gained) > 100  # every account outside the Security OU
    assert err.splitlines() == [
        f"blocked: {people_demo.MOVER} gains PlatformAdmin on {_account(line)})" for line in gained
    ]
    code, _, err = cli("jml", str(PREVIOUS), str(CURRENT), "--fail-on-gain", "BillingViewer")
    assert (code, err) == (0, "")


def test_the_auditors_sample(cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    posture = tmp_path / "posture.json"
    posture.write_text(
        json.dumps(
            {"accounts": ["100000002009"], "iamUsers": [{"account": "100000002009", "user": "jane.doe"}]}
        )
    )
    wanted = f"{people_demo.JANE},{people_demo.LEAVERS[0]}"
    code, out, err = cli(
        "sample", "--people", wanted, "--posture", str(posture), "--out", str(tmp_path / "ev")
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == [
        str(tmp_path / "ev" / f"access-sample.{s}") for s in ("md", "json", "html")
    ]
    document = json.loads((tmp_path / "ev" / "access-sample.json").read_text())
    leaver, jane = document["people"]  # sorted by login
    assert (
        jane["identity"]["source"]
        == "HR export stacks/people.demo.csv, row 267 (Okta profile mastered by HR)"
    )
    assert jane["iam_users"] == [{"account": "100000002009", "user": "jane.doe", "details": {}}]
    assert jane["conclusion"] == (
        "Active in HR; access only through 3 rule-filled group(s), 57 grant(s) over 55 account(s), "
        "sessions of at most PT4H. Time-bound exception until 2026-12-05 (CHG0041234). 1 IAM user(s) found. "
        "54 account(s) they reach were not scanned: payments-dev1 (100000000584), payments-dev2 "
        "(100000000663), devices-firmware-dev1 (100000000683), devices-firmware-dev2 (100000000687), "
        "telemetry-dev1 (100000000759), and 49 more."
    )
    coverage = jane["posture_coverage"]
    assert (coverage["accounts_scanned"], coverage["reached_and_scanned"]) == (1, ["100000002009"])
    assert len(coverage["reached_not_scanned"]) == 54
    assert jane["people_policy"] == [
        {
            "permission_set": "PlatformAdmin",
            "accounts": 2,
            "allowed_worker_types": ["employee"],
            "permitted": True,
            "statement": "PlatformAdmin on 2 account(s): privileged, allowed for employee "
            "(frontdoor:people.privilegedWorkerTypes)",
        },
        {
            "permission_set": "ReadOnlyAuditor",
            "accounts": 22,
            "allowed_worker_types": ["employee", "contractor"],
            "permitted": True,
            "statement": "ReadOnlyAuditor on 22 account(s): privileged, allowed for employee, contractor "
            "(frontdoor:people.privilegedWorkerTypes)",
        },
    ]
    assert jane["session_durations"] == ["PT1H", "PT4H"]
    assert leaver["conclusion"] == (
        "Terminated in HR: deactivated in Okta, in no group, reaches no AWS account. "
        "No IAM user in the 1 account(s) the posture file scanned."
    )
    html = (tmp_path / "ev" / "access-sample.html").read_text()
    assert html.count("<table>") >= 5 and "CHG0041234" in html
    markdown = (tmp_path / "ev" / "access-sample.md").read_text()
    assert "**Terminated in HR" in markdown
    assert "| 100000000584 | payments-dev1 |" in markdown  # the accounts not scanned, listed


def _posture_json(scanned: list[str], failed: list[str], users: list[tuple[str, str]]) -> str:
    """What `frontdoor posture --format json` writes, by its own renderer."""
    import datetime as dt

    from frontdoor.domain.reconcile.posture import Finding
    from frontdoor.live.posture import AccountFailure, PostureScan, ScannedAccount, render

    now = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
    scan = PostureScan(
        accounts=[ScannedAccount(a, f"account-{a}") for a in scanned + failed],
        findings=[
            Finding(
                account,
                f"account-{account}",
                user,
                "/",
                "to-migrate",
                None,
                True,
                None,
                False,
                (),
                None,
                "move them",
                True,
            )
            for account, user in users
        ],
        failures=[AccountFailure(a, f"account-{a}", "AccessDenied") for a in failed],
    )
    return render(scan, "json", now)


def test_the_sample_reads_what_posture_writes_and_states_its_coverage(
    cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    platform = "sofia.moreau@acme-medical.example"  # a Platform Engineer: PlatformAdmin on 127 accounts
    posture = tmp_path / "posture.json"
    # 7 of the accounts she reaches scanned, one failed (listed under accounts_failed, not scanned).
    posture.write_text(
        _posture_json(
            [
                "100000000584",
                "100000000663",
                "100000000683",
                "100000000687",
                "100000000759",
                "100000000761",
                "100000000769",
            ],
            ["100000000806"],
            [("100000000584", "dara.garcia")],
        )
    )
    assert json.loads(posture.read_text())["accounts_scanned"][0] == "100000000584"
    code, _, err = cli("sample", "--people", platform, "--posture", str(posture), "--out", str(tmp_path))
    assert (code, err) == (0, "")
    (entry,) = json.loads((tmp_path / "access-sample.json").read_text())["people"]
    assert entry["conclusion"].endswith(
        "No IAM user in the 7 account(s) the posture file scanned (7 of the 127 account(s) they reach). "
        "120 account(s) they reach were not scanned: network-hub (100000000335), shared-services "
        "(100000000371), ci-cd (100000000375), dns (100000000399), backup (100000000473), and 115 more."
    )
    not_scanned = [a["account_id"] for a in entry["posture_coverage"]["reached_not_scanned"]]
    assert len(not_scanned) == 120 and "100000000806" in not_scanned  # failed: not scanned
    assert not set(not_scanned) & set(json.loads(posture.read_text())["accounts_scanned"])
    # The bare list says nothing of what was scanned: coverage unknown, never "none found".
    posture.write_text(json.dumps([{"account": "payments-dev1", "user": "someone.else"}]))
    code, _, err = cli("sample", "--people", platform, "--posture", str(posture), "--out", str(tmp_path))
    assert (code, err) == (0, "")
    (entry,) = json.loads((tmp_path / "access-sample.json").read_text())["people"]
    assert entry["conclusion"].endswith(
        "No IAM user found, but the posture file does not list the accounts it scanned: coverage unknown."
    )


def test_a_bad_posture_file_exits_2(cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    posture = tmp_path / "posture.json"
    fix = (
        "Fix: give the JSON of `frontdoor posture --format json`, or "
        '{"iamUsers": [{"account": ..., "user": ...}], "accounts": [...]}'
    )
    for document, line in (
        (
            [{"account": "100000002009"}],
            f"{posture}: [0].user: each IAM user needs a non-empty 'user' string (got None). {fix}",
        ),
        (
            [{"account": "payments-dev9", "user": "x"}],
            f"{posture}: [0].account: not an account id or name of the estate (got 'payments-dev9'). Fix: "
            "give the posture file of this organization, or the estate it was scanned from (--estate)",
        ),
        (
            {"accounts_scanned": ["100000002009", "999999999999"], "findings": []},
            f"{posture}: accounts[1]: not an account id or name of the estate (got '999999999999'). Fix: "
            "give the posture file of this organization, or the estate it was scanned from (--estate)",
        ),
    ):
        posture.write_text(json.dumps(document))
        code, _, err = cli("sample", "--people", people_demo.JANE, "--posture", str(posture))
        assert code == 2
        assert err.splitlines()[1:] == [line]


def test_person_and_account_filters_do_not_combine(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, err = cli("access-report", "--person", people_demo.JANE, "--account", "payments-prod1")
    assert (code, out) == (2, "")
    assert err == "error: --person/--people cannot be combined with --account or --group\n"


def test_the_differential_tests_rule_fixture_is_the_demos_registered_rules(demo: PreviewResult) -> None:
    """tests/fixtures/people/demo_rules.json (the differential test's rules) = what the demo registers."""
    fixture = json.loads((REPO / "tests" / "fixtures" / "people" / "demo_rules.json").read_text())
    assert fixture == rules_from_run(demo.run)
