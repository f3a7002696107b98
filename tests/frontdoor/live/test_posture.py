"""`frontdoor posture` against the local AWS API server: a 140-account org with planted IAM users.

Every account's credential report is generated and read through the audit role with real boto3
calls; the scan must find exactly the planted users and classify each right. moto 5.2.5 cannot
plant a root access key (its credential report has no `<root_account>` row and its account summary
always says AccountAccessKeysPresent 0), so root keys are covered by the classification tests in
tests/frontdoor/domain/reconcile/test_posture.py, and the test below that needs one is skipped saying so.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.posture_demo import README, migration_list, readme_block, readme_section
from benchmarks.posture_demo import seed as seed_demo_org
from benchmarks.seed_org import (
    BREAK_GLASS_NAMES,
    BREAK_GLASS_PATH,
    PEOPLE_CSV,
    PLANTED,
    SeededOrg,
    account_credentials,
    clients,
    plant_users,
    seed_organization,
)
from frontdoor.commands.cli import main
from frontdoor.live.aws import LiveSession
from frontdoor.live.posture import scan
from tests.frontdoor.live.demo_server import for_management_account

REPO = Path(__file__).resolve().parents[3]


def _expected(org: SeededOrg, *, with_people: bool = False) -> set[tuple[str, str, str]]:
    out = set()
    for plant, kind in PLANTED:
        if plant.account not in org.accounts:
            continue
        if with_people and plant.user == "mkumar":
            kind = "to-migrate"  # matched to Mohan Kumar by the local part of his login
        out.add((org.accounts[plant.account], plant.user, kind))
    return out


def _stacks(tmp_path: Path, org: SeededOrg) -> tuple[Path, Path]:
    """The demo access stack exempting the seeded break-glass users, and a break-glass stack for the
    seeded org's management account."""
    glass = tmp_path / "Pulumi.breakglass.yaml"
    names = ", ".join(BREAK_GLASS_NAMES)
    access = tmp_path / "Pulumi.demo.yaml"
    demo = (REPO / "stacks" / "Pulumi.demo.yaml").read_text()
    assert demo.count("breakGlassUserNames: [breakglass-1, breakglass-2]") == 1
    access.write_text(
        demo.replace("breakGlassUserNames: [breakglass-1, breakglass-2]", f"breakGlassUserNames: [{names}]")
    )
    glass.write_text(
        "config:\n"
        "  frontdoor:organization:\n"
        f'    managementAccountId: "{org.management_id}"\n'
        '    identityCenterAccountId: "100000000299"\n'
        "  frontdoor:breakGlass:\n"
        f"    userNames: [{names}]\n"
        f"    path: {BREAK_GLASS_PATH}\n"
        "    alertEmails: [security-oncall@acme-medical.example]\n"
    )
    access = for_management_account(access, org.management_id, tmp_path / "access.yaml")
    return access, glass


def test_the_140_account_org_gives_exactly_the_planted_migration_list(
    aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    org = seed_demo_org(aws)  # seed_organization(140) + plant_users, with moto's ids seeded
    access, glass = _stacks(tmp_path, org)
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE_CSV)
    code = main(
        [
            *("posture", "--config", str(access), "--break-glass-config", str(glass)),
            *("--format", "json", "--people", str(people)),
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    document = json.loads(captured.out)
    assert document["accounts_scanned"] == sorted(org.accounts.values()) and len(org.accounts) == 140
    assert document["accounts_failed"] == []
    assert document["violation"] is True
    found = {(r["account_id"], r["user"], r["classification"]) for r in document["findings"]}
    assert found == _expected(org, with_people=True)
    assert document["summary"] == {"break-glass": 2, "machine": 3, "stale": 1, "to-migrate": 9}
    rows = {(r["account_id"], r["user"]): r for r in document["findings"]}
    jane = rows[(org.accounts["payments-prod1"], "jane.doe")]
    assert {k: jane[k] for k in ("person", "console_password", "mfa", "last_used", "proposed_action")} == {
        "person": "jane.doe@acme-medical.example",
        "console_password": "enabled",
        "mfa": "no",
        "last_used": "never",
        "proposed_action": "move jane.doe@acme-medical.example to Okta + Identity Center "
        "(their team's group), then delete the user",
    }
    assert jane["access_keys"] == "key1 age 0d, last used never"
    alex = sorted(r["access_keys"] for (_, user), r in rows.items() if user == "contractor-alex")
    assert alex == [
        "key1 age 0d, last used never",
        "key1 age 0d, last used never",
        "key1 age 0d, last used never; key2 age 0d, last used never",
    ]
    glass_rows = [r for r in document["findings"] if r["classification"] == "break-glass"]
    assert {(r["account_id"], r["path"], r["mfa"], r["proposed_action"]) for r in glass_rows} == {
        (org.management_id, BREAK_GLASS_PATH, "yes", "keep (break-glass)")
    }
    # 139 role assumptions (the management account is read with the caller's own credentials), and
    # per account: generate (STARTED), generate again (COMPLETE), get; plus the organization listing.
    assert captured.err.splitlines()[-1] == (
        "posture: 140 accounts, 562 API calls, 13 finding(s) to act on, 0 account(s) failed"
    )
    assert "posture: 140/140 accounts" in captured.err
    # The README shows this org's migration list as the command prints it (demo stacks, markdown).
    code, output = migration_list(org.management_id)
    assert readme_block(code, output) == readme_section(README.read_text()), (
        "README.md's posture block is stale: run .venv/bin/python -m benchmarks.posture_demo --write"
    )


def test_without_a_people_export_a_keys_only_user_is_a_machine(aws: str) -> None:
    org = seed_organization(7)  # up to data-prod1
    plants = tuple(p for p in PLANTED if p[0].account in org.accounts)
    plant_users(org, plants)
    result = scan(
        LiveSession(),
        break_glass_names=BREAK_GLASS_NAMES,
        break_glass_path=BREAK_GLASS_PATH,
        poll_seconds=0.01,
    )
    assert {(f.account_id, f.user, f.classification) for f in result.findings} == _expected(org)
    assert ("mkumar", "machine", None) in {(f.user, f.classification, f.person) for f in result.findings}
    jane = next(f for f in result.findings if f.user == "jane.doe")
    assert jane.action == "find the owner, move them to Okta + Identity Center, then delete the user"


def test_one_account_failing_is_reported_and_the_rest_are_scanned(aws: str) -> None:
    org = seed_organization(4)
    plant_users(org, tuple(p for p in PLANTED if p[0].account in org.accounts))
    # Every report but one is fresh; with no time to wait, that account's report is still STARTED.
    slow = org.accounts["search-dev1"]
    for account_id in org.accounts.values():
        if account_id != slow:
            clients("iam", account_credentials(account_id, org.management_id)).generate_credential_report()
    result = scan(
        LiveSession(), break_glass_names=BREAK_GLASS_NAMES, break_glass_path=BREAK_GLASS_PATH, wait_seconds=0
    )
    assert [(f.account_id, f.message) for f in result.failures] == [
        (
            slow,
            f"account {slow}, call generate_credential_report: the credential report was still STARTED "
            "after 0s; fix: run again in a few minutes (AWS builds it asynchronously)",
        )
    ]
    assert {(f.account_id, f.user, f.classification) for f in result.findings} == {
        item for item in _expected(org) if item[0] != slow
    }


def test_only_break_glass_users_exit_0(aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeded = seed_organization(3)
    plant_users(seeded, tuple(p for p in PLANTED if p[1] == "break-glass"))
    access, glass = _stacks(tmp_path, seeded)
    code = main(["posture", "--config", str(access), "--break-glass-config", str(glass), "--quiet"])
    captured = capsys.readouterr()
    out = captured.out
    assert code == 0, captured.err
    assert out.splitlines()[0] == "IAM users and keys: 3 of 3 accounts scanned, 2 finding(s): 2 break-glass"
    # Without a break-glass stack named, the access stack's own guardrails say who is break-glass.
    code = main(["posture", "--config", str(access), "--format", "json", "--quiet"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert document["violation"] is False
    assert document["summary"] == {"break-glass": 2}


def test_without_break_glass_users_in_the_access_stack_posture_stops(
    aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    access = tmp_path / "Pulumi.demo.yaml"
    demo = (REPO / "stacks" / "Pulumi.demo.yaml").read_text()
    access.write_text(
        demo.replace("breakGlassUserNames: [breakglass-1, breakglass-2]", "breakGlassUserNames: []")
    )
    code = main(["posture", "--config", str(access)])
    assert code == 2
    assert capsys.readouterr().err.splitlines()[1:] == [
        "error: bad input, nothing was registered",
        f"{access}: frontdoor:guardrails.breakGlassUserNames: names no break-glass user, so which IAM users "
        "to keep is unknown (got []). Fix: set it to the break-glass stack's frontdoor:breakGlass.userNames "
        "(with breakGlassPath), or pass --break-glass-stack NAME / --break-glass-config FILE",
    ]


def test_a_break_glass_stack_with_other_users_than_the_access_stack_exits_2(
    aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    glass = tmp_path / "Pulumi.breakglass.yaml"
    glass.write_text(
        (REPO / "stacks" / "Pulumi.breakglass.yaml")
        .read_text()
        .replace("userNames: [breakglass-1, breakglass-2]", "userNames: [breakglass-1, emergency-2]")
    )
    demo = REPO / "stacks" / "Pulumi.demo.yaml"
    code = main(["posture", "--break-glass-config", str(glass), "--config", str(demo)])
    assert code == 2
    assert capsys.readouterr().err.splitlines()[1:] == [
        "error: bad input, nothing was registered",
        f"{demo}: frontdoor:guardrails.breakGlassUserNames: differs from the break-glass stack's users "
        f"['breakglass-1', 'emergency-2'] ({glass}: frontdoor:breakGlass.userNames) (got ['breakglass-1', "
        "'breakglass-2']). Fix: set both to the same names, or the SCP exemptions and this scan keep "
        "different users",
    ]


def test_a_path_mismatch_between_the_stacks_exits_2(
    aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    glass = tmp_path / "Pulumi.breakglass.yaml"
    glass.write_text(
        (REPO / "stacks" / "Pulumi.breakglass.yaml")
        .read_text()
        .replace("path: /breakglass/", "path: /emergency/")
    )
    code = main(
        ["posture", "--break-glass-config", str(glass), "--config", str(REPO / "stacks" / "Pulumi.demo.yaml")]
    )
    assert code == 2
    demo = REPO / "stacks" / "Pulumi.demo.yaml"
    assert capsys.readouterr().err.splitlines()[1:] == [
        "error: bad input, nothing was registered",
        f"{demo}: frontdoor:guardrails.breakGlassPath: differs from the break-glass stack's path "
        f"'/emergency/' ({glass}: frontdoor:breakGlass.path) (got '/breakglass/'). Fix: set both to the "
        "same path, or the Guard rule and this scan judge different users",
    ]


@pytest.mark.skip(reason="moto 5.2.5 cannot create root access keys: no <root_account> report row")
def test_a_root_access_key_is_found() -> None:
    raise AssertionError("unreachable")
