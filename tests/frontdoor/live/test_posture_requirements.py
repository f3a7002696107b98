"""Issue 16's requirements of `frontdoor posture` not covered by tests/frontdoor/live/test_posture.py.

Bounded concurrency, the progress line on a terminal and off one, the stale threshold, the exit
status on a root key, and CSV cells escaped as the access report's. AWS reads go through boto3 to
the local server of tests/frontdoor/live/conftest.py; the concurrency is observed through botocore's own
event hooks on the session the scan uses, not through a client of ours.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
import time
from pathlib import Path
from typing import Any

import botocore.exceptions
import pytest

from benchmarks.seed_org import (
    BREAK_GLASS_NAMES,
    BREAK_GLASS_PATH,
    PLANTED,
    account_credentials,
    clients,
    plant_users,
    seed_organization,
)
from frontdoor.commands.cli import main
from frontdoor.domain.reconcile.posture import BreakGlassIdentity, classify, parse_credential_report
from frontdoor.live.aws import LiveSession
from frontdoor.live.posture import PostureScan, Progress, ScannedAccount, exit_status, scan
from tests.frontdoor.live.demo_server import for_management_account

REPO = Path(__file__).resolve().parents[3]
ACCESS = REPO / "stacks" / "Pulumi.demo.yaml"
GLASS = REPO / "stacks" / "Pulumi.breakglass.yaml"


def test_no_more_accounts_are_read_at_once_than_the_concurrency(aws: str) -> None:
    org = seed_organization(6)
    live = LiveSession()
    lock = threading.Lock()
    in_flight = 0
    most = 0
    threads: set[str] = set()

    def before(**_: Any) -> None:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
            threads.add(threading.current_thread().name)
        time.sleep(0.05)  # holds the call open so that any third concurrent call would overlap

    def after(**_: Any) -> None:
        nonlocal in_flight
        with lock:
            in_flight -= 1

    # Registered on the boto3 session: every client the scan creates from it (the assumed roles'
    # included) inherits them.
    live.session.events.register("before-call.iam", before)
    live.session.events.register("after-call.iam", after)
    result = scan(
        live,
        break_glass_names=BREAK_GLASS_NAMES,
        break_glass_path=BREAK_GLASS_PATH,
        concurrency=2,
        poll_seconds=0.01,
    )
    assert len(result.accounts) == len(org.accounts) == 6
    assert result.failures == []
    assert most == 2
    assert len(threads) == 2 and all(name.startswith("posture") for name in threads)


def test_an_account_whose_calls_time_out_is_reported_and_the_rest_are_scanned(aws: str) -> None:
    org = seed_organization(4)
    plant_users(org, tuple(p for p in PLANTED if p[0].account in org.accounts))
    live = LiveSession()
    failed: list[str] = []

    def time_out_once(context: dict[str, Any], **_: Any) -> None:
        # What botocore raises once its retries of a read timeout are spent; the first account to get
        # there is the one that fails.
        if not failed:
            failed.append(threading.current_thread().name)
            raise botocore.exceptions.ReadTimeoutError(endpoint_url=aws)

    live.session.events.register("before-call.iam.GetCredentialReport", time_out_once)
    result = scan(
        live, break_glass_names=BREAK_GLASS_NAMES, break_glass_path=BREAK_GLASS_PATH, poll_seconds=0.01
    )
    assert len(result.failures) == 1
    lost = result.failures[0].account_id
    assert result.failures[0].message == (
        f'account {lost}: ReadTimeoutError: Read timeout on endpoint URL: "{aws}"; fix: run again; if it '
        "persists, check the network path to the endpoint"
    )
    expected = {(org.accounts[p.account], p.user) for p, _ in PLANTED if p.account in org.accounts}
    assert {(f.account_id, f.user) for f in result.findings} == {item for item in expected if item[0] != lost}
    assert exit_status(result) == 1


def test_the_stale_threshold_is_the_number_of_days_given(aws: str) -> None:
    org = seed_organization(4)  # management, payments-dev1, payments-prod1, search-dev1
    plant_users(org, tuple(p for p in PLANTED if p[0].account in org.accounts))
    # Every planted credential was created today and never used: 30 days from now they are 30 days idle.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=30, hours=1)

    def kinds(stale_days: int) -> dict[str, str]:
        result = scan(
            LiveSession(),
            break_glass_names=BREAK_GLASS_NAMES,
            break_glass_path=BREAK_GLASS_PATH,
            stale_days=stale_days,
            now=later,
            poll_seconds=0.01,
        )
        return {f"{f.account_name}/{f.user}": f.classification for f in result.findings}

    assert kinds(31) == {
        "master/breakglass-1": "break-glass",
        "master/breakglass-2": "break-glass",
        "master/breakglass-3": "to-migrate",
        "master/legacy-admin": "to-migrate",
        "payments-dev1/breakglass-1": "to-migrate",
        "payments-prod1/jane.doe": "to-migrate",
        "search-dev1/contractor-alex": "to-migrate",
    }
    # Break-glass users are never stale: they exist to be unused.
    assert kinds(30) == {
        "master/breakglass-1": "break-glass",
        "master/breakglass-2": "break-glass",
        "master/breakglass-3": "stale",
        "master/legacy-admin": "stale",
        "payments-dev1/breakglass-1": "stale",
        "payments-prod1/jane.doe": "stale",
        "search-dev1/contractor-alex": "stale",
    }


def test_csv_cells_a_spreadsheet_would_run_are_escaped(
    aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    org = seed_organization(2)
    organizations = clients("organizations")
    hostile = organizations.create_account(AccountName="=HYPERLINK(1)", Email="aws+x@acme-medical.example")
    account_id = hostile["CreateAccountStatus"]["AccountId"]
    iam = clients("iam", account_credentials(account_id, org.management_id))
    iam.create_user(UserName="@ops")
    iam.create_login_profile(UserName="@ops", Password="Correct-Horse-Battery-9")
    iam.create_user(UserName="+1=2")
    iam.create_access_key(UserName="+1=2")
    access = for_management_account(ACCESS, org.management_id, tmp_path / "access.yaml")
    glass = for_management_account(GLASS, org.management_id, tmp_path / "glass.yaml")
    code = main(
        ["posture", "--config", str(access), "--break-glass-config", str(glass), "--format", "csv", "--quiet"]
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert code == 1
    assert sorted((r["account_name"], r["user"], r["classification"]) for r in rows) == [
        ("'=HYPERLINK(1)", "'+1=2", "machine"),
        ("'=HYPERLINK(1)", "'@ops", "to-migrate"),
    ]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--stale-days", "0"], "error: --stale-days must be at least 1 and --concurrency 1-8\n"),
        (["--concurrency", "9"], "error: --stale-days must be at least 1 and --concurrency 1-8\n"),
    ],
)
def test_out_of_range_flags_exit_2(
    flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["posture", "--config", str(ACCESS), "--break-glass-config", str(GLASS), *flags])
    progress = f"... posture: access stack {ACCESS}, break-glass stack {GLASS}\n"
    assert (code, capsys.readouterr().err) == (2, progress + message)


ROOT_KEY_REPORT = (
    "user,arn,user_creation_time,password_enabled,password_last_used,mfa_active,access_key_1_active,"
    "access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_service,"
    "access_key_2_active\n"
    "<root_account>,arn:aws:iam::111111111111:root,2019-01-01T00:00:00+00:00,not_supported,N/A,true,"
    "true,2020-05-05T00:00:00+00:00,N/A,N/A,false\n"
    "breakglass-1,arn:aws:iam::111111111111:user/breakglass/breakglass-1,2024-01-01T00:00:00+00:00,"
    "true,N/A,true,false,N/A,N/A,N/A,false\n"
)


def test_a_root_access_key_alone_exits_1_and_break_glass_alone_exits_0() -> None:
    # moto cannot plant a root key (tests/frontdoor/live/test_posture.py), so this goes through the parser and
    # the classifier the scan uses, then the command's exit status.
    rows = parse_credential_report(ROOT_KEY_REPORT)
    glass = BreakGlassIdentity("111111111111", frozenset({"breakglass-1"}), "/breakglass/")
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    findings = classify(
        "111111111111", "management", rows, break_glass=glass, people=None, stale_days=90, now=now
    )
    account = [ScannedAccount("111111111111", "management")]
    assert [(f.user, f.classification) for f in findings] == [
        ("<root_account>", "root-key"),
        ("breakglass-1", "break-glass"),
    ]
    assert exit_status(PostureScan(account, findings=findings)) == 1
    assert (
        exit_status(PostureScan(account, findings=[f for f in findings if f.user != "<root_account>"])) == 0
    )


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_redraws_one_line_on_a_terminal() -> None:
    stream = _Terminal()
    progress = Progress(3, stream=stream)
    for failed in (False, True, False):
        progress.advance(failed)
    assert stream.getvalue() == (
        "\rposture: 1/3 accounts\rposture: 2/3 accounts (1 failed)\rposture: 3/3 accounts (1 failed)\n"
    )


def test_progress_off_a_terminal_is_a_line_per_tenth_and_off_when_quiet() -> None:
    stream = io.StringIO()
    progress = Progress(20, stream=stream)
    for _ in range(20):
        progress.advance(False)
    assert stream.getvalue().splitlines() == [f"posture: {n}/20 accounts" for n in (1, *range(2, 21, 2))]
    quiet = io.StringIO()
    silent = Progress(20, stream=quiet, enabled=False)
    silent.advance(True)
    assert (quiet.getvalue(), silent.done, silent.failed) == ("", 1, 1)
