"""`frontdoor posture`'s read side: every ACTIVE account's IAM credential report, in parallel.

Per account: assume the audit role, GenerateCredentialReport until it says COMPLETE (polling with a
bounded back-off: AWS builds the report asynchronously, at most every 4 hours, and answers
LimitExceeded while another generation runs), GetCredentialReport, parse and classify
(`frontdoor.domain.reconcile.posture`). The report is the cheapest complete inventory: one row per user with
password, MFA, both access keys (rotation date, last use, service) and the root user's keys, for
three calls per account after the role assumption. Accounts are scanned by a bounded pool; one
account's failure (role missing, access denied, report never completing) is recorded for that
account and the scan goes on.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, TextIO

import botocore.exceptions

from frontdoor.domain.base.spreadsheet import write_csv
from frontdoor.domain.reconcile.posture import (
    BreakGlassIdentity,
    Finding,
    Person,
    classify,
    parse_credential_report,
)
from frontdoor.live.aws import MAX_CONCURRENCY, LiveError, LiveSession, call, paginate

DEFAULT_AUDIT_ROLE = "OrganizationAccountAccessRole"
# Generation usually finishes within seconds; a minute covers a busy account without hanging the run.
REPORT_WAIT_SECONDS = 60.0


@dataclass(frozen=True)
class ScannedAccount:
    id: str
    name: str


@dataclass(frozen=True)
class AccountFailure:
    account_id: str
    account_name: str
    message: str


@dataclass
class PostureScan:
    accounts: list[ScannedAccount]
    findings: list[Finding] = field(default_factory=list)
    failures: list[AccountFailure] = field(default_factory=list)
    api_calls: int = 0

    @property
    def violations(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.violation]


def active_accounts(live: LiveSession) -> list[ScannedAccount]:
    """Every ACTIVE account of the organization (suspended and closing accounts cannot be assumed into)."""
    organizations = live.client("organizations")
    accounts = [
        ScannedAccount(account["Id"], account["Name"])
        for account in paginate(organizations, "list_accounts", "Accounts")
        if account.get("Status", "ACTIVE") == "ACTIVE"
    ]
    return sorted(accounts, key=lambda account: account.id)


def management_account_id(live: LiveSession) -> str:
    organizations = live.client("organizations")
    organization = call(organizations.describe_organization)["Organization"]
    return str(organization["MasterAccountId"])


def credential_report(
    iam: Any,
    account_id: str,
    *,
    wait_seconds: float = REPORT_WAIT_SECONDS,
    poll_seconds: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """Generate (or reuse a fresh) credential report, poll until COMPLETE, return its CSV."""
    fix = "grant the audit role iam:GenerateCredentialReport and iam:GetCredentialReport"
    delay = poll_seconds
    waited = 0.0
    while True:
        try:
            state = call(iam.generate_credential_report, account=account_id, fix=fix)["State"]
        except LiveError as error:
            if _error_code(error.__cause__) != "LimitExceeded":
                raise
            state = "STARTED"  # another generation is running for this account: wait for it
        if state == "COMPLETE":
            break
        if waited >= wait_seconds:
            raise LiveError(
                f"the credential report was still {state} after {wait_seconds:g}s; fix: run again "
                "in a few minutes (AWS builds it asynchronously)",
                account=account_id,
                operation="generate_credential_report",
            )
        sleep(delay)
        waited += delay
        delay = min(delay * 2, 8.0)
    report = call(iam.get_credential_report, account=account_id, fix=fix)
    content: bytes = report["Content"]
    return content


def _error_code(error: BaseException | None) -> str:
    response = getattr(error, "response", None)
    return str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""


def scan_account(
    live: LiveSession,
    account: ScannedAccount,
    *,
    role_name: str,
    management_id: str,
    break_glass: BreakGlassIdentity,
    people: Sequence[Person] | None,
    stale_days: int,
    now: dt.datetime,
    wait_seconds: float = REPORT_WAIT_SECONDS,
    poll_seconds: float = 0.5,
) -> list[Finding]:
    # The management account cannot be assumed into through OrganizationAccountAccessRole (it has
    # none): the caller's own credentials are the management account's.
    session = (
        live
        if account.id == management_id
        else live.assume(account.id, role_name, session_name="frontdoor-posture")
    )
    iam = session.client("iam")
    content = credential_report(iam, account.id, wait_seconds=wait_seconds, poll_seconds=poll_seconds)
    try:
        rows = parse_credential_report(content)
    except ValueError as error:
        raise LiveError(str(error), account=account.id, operation="get_credential_report") from error
    return classify(
        account.id, account.name, rows, break_glass=break_glass, people=people, stale_days=stale_days, now=now
    )


class Progress:
    """`posture: 57/140 accounts (1 failed)` on stderr: redrawn in place on a terminal, else every 10%."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.done = 0
        self.failed = 0
        self._last_decile = -1
        self._tty = self.stream.isatty()

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.failed += int(failed)
        if not self.enabled:
            return
        text = f"posture: {self.done}/{self.total} accounts" + (
            f" ({self.failed} failed)" if self.failed else ""
        )
        if self._tty:
            self.stream.write(f"\r{text}" + ("\n" if self.done == self.total else ""))
        else:
            decile = self.done * 10 // max(self.total, 1)
            if decile != self._last_decile or self.done == self.total:
                self._last_decile = decile
                self.stream.write(text + "\n")
        self.stream.flush()


def scan(
    live: LiveSession,
    *,
    role_name: str = DEFAULT_AUDIT_ROLE,
    break_glass_names: Sequence[str],
    break_glass_path: str,
    people: Sequence[Person] | None = None,
    stale_days: int = 90,
    concurrency: int = MAX_CONCURRENCY,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    wait_seconds: float = REPORT_WAIT_SECONDS,
    poll_seconds: float = 0.5,
    management_id: str | None = None,
) -> PostureScan:
    """Scan every ACTIVE account; failures are collected per account, never abort the scan.

    `management_id`: the organization's management account when the caller has read it already."""
    moment = now or dt.datetime.now(dt.UTC)
    management_id = management_id or management_account_id(live)
    accounts = active_accounts(live)
    result = PostureScan(accounts=accounts)
    identity = BreakGlassIdentity(management_id, frozenset(break_glass_names), break_glass_path)
    tracker = progress or Progress(len(accounts), enabled=False)
    tracker.total = len(accounts)
    workers = max(1, min(concurrency, MAX_CONCURRENCY))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="posture") as pool:
        futures = {
            pool.submit(
                scan_account,
                live,
                account,
                role_name=role_name,
                management_id=management_id,
                break_glass=identity,
                people=people,
                stale_days=stale_days,
                now=moment,
                wait_seconds=wait_seconds,
                poll_seconds=poll_seconds,
            ): account
            for account in accounts
        }
        for future in as_completed(futures):
            account = futures[future]
            try:
                result.findings.extend(future.result())
                tracker.advance(False)
            except LiveError as error:
                result.failures.append(AccountFailure(account.id, account.name, error.render()))
                tracker.advance(True)
            except botocore.exceptions.BotoCoreError as error:
                # No answer from the API (a read timeout or a dropped connection after botocore's
                # retries): it concerns this account's calls only, so the scan goes on.
                message = (
                    f"account {account.id}: {type(error).__name__}: {error}; fix: run again; if it "
                    "persists, check the network path to the endpoint"
                )
                result.failures.append(AccountFailure(account.id, account.name, message))
                tracker.advance(True)
    result.findings.sort(key=lambda f: (f.account_id, f.classification, f.user))
    result.failures.sort(key=lambda f: f.account_id)
    result.api_calls = live.call_count
    return result


def exit_status(scan: PostureScan) -> int:
    """1 when anything is to act on (a non-break-glass user, a root key, a break-glass user with a
    key) or an account could not be scanned (its users are unknown); 0 otherwise."""
    return 1 if scan.violations or scan.failures else 0


# --- the migration list ------------------------------------------------------------------------------

COLUMNS = (
    "account_id",
    "account_name",
    "user",
    "path",
    "classification",
    "person",
    "console_password",
    "password_last_used",
    "mfa",
    "access_keys",
    "last_used",
    "proposed_action",
)


def _date(moment: dt.datetime | None) -> str:
    return moment.date().isoformat() if moment else "never"


def _keys_text(finding: Finding, now: dt.datetime) -> str:
    """`key1 age 412d, last used 2026-01-02 (s3)`; `; ` between keys; `none` without active keys."""
    parts = []
    for key in finding.keys:
        age = f"age {(now - key.last_rotated).days}d" if key.last_rotated else "age unknown"
        used = f"last used {_date(key.last_used)}"
        service = f" ({key.last_used_service})" if key.last_used_service else ""
        parts.append(f"key{key.slot} {age}, {used}{service}")
    return "; ".join(parts) or "none"


def finding_row(finding: Finding, now: dt.datetime) -> dict[str, str]:
    return {
        "account_id": finding.account_id,
        "account_name": finding.account_name,
        "user": finding.user,
        "path": finding.path,
        "classification": finding.classification,
        "person": finding.person or "",
        "console_password": "enabled" if finding.password_enabled else "none",
        "password_last_used": _date(finding.password_last_used) if finding.password_enabled else "",
        "mfa": "yes" if finding.mfa_active else "no",
        "access_keys": _keys_text(finding, now),
        "last_used": _date(finding.last_used),
        "proposed_action": finding.action,
    }


def render(scan: PostureScan, fmt: str, now: dt.datetime) -> str:
    """The migration list as md (for people), csv (for spreadsheets) or json (for tools)."""
    import json

    rows = [finding_row(finding, now) for finding in scan.findings]
    if fmt == "json":
        failed = {f.account_id for f in scan.failures}
        document = {
            # Which accounts, not how many: the auditor's sample states per person which of the
            # accounts they reach were scanned (frontdoor sample --posture).
            "accounts_scanned": sorted(a.id for a in scan.accounts if a.id not in failed),
            "accounts_failed": [
                {"account_id": f.account_id, "account_name": f.account_name, "error": f.message}
                for f in scan.failures
            ],
            "summary": dict(_summary(scan)),
            "findings": rows,
        }
        return json.dumps(document, indent=2)
    if fmt == "csv":
        # The one writer of every CSV (escaping as the access report): an IAM user or account name
        # may start with = + - @.
        return write_csv(COLUMNS, rows)
    lines = [
        f"IAM users and keys: {len(scan.accounts) - len(scan.failures)} of {len(scan.accounts)} "
        f"accounts scanned, {len(scan.findings)} finding(s): "
        + (", ".join(f"{count} {kind}" for kind, count in _summary(scan)) or "none"),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines.extend("| " + " | ".join(row[c].replace("|", "/") for c in COLUMNS) + " |" for row in rows)
    if scan.failures:
        lines += ["", "Accounts not scanned:"]
        lines.extend(f"- {f.account_id} ({f.account_name}): {f.message}" for f in scan.failures)
    return "\n".join(lines)


def _summary(scan: PostureScan) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for finding in scan.findings:
        counts[finding.classification] = counts.get(finding.classification, 0) + 1
    return sorted(counts.items())
