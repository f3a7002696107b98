"""IAM users and long-lived keys found live, classified: the credential-report model and `classify`.

The detectors deployed as code are configured by `frontdoor:posture` (frontdoor/domain/model/posture.py)
and written out in frontdoor/domain/documents/posture_detectors.py (the Guard rule). Here, all pure:
the credential-report model and `classify`, which turns one account's report into the migration
list rows `frontdoor posture` prints: break-glass (the break-glass stack's users, by exact name and
  path, in the management account only), to-migrate (a human), machine (keys only), stale (no
  credential used for N days), and root keys.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from frontdoor.domain.base.spreadsheet import read_csv
from frontdoor.domain.contracts import BREAK_GLASS_PATH

ROOT_USER = "<root_account>"  # the credential report's row for the account root


# --- the credential report ------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessKey:
    slot: int  # 1 or 2: the credential report has two key columns per user
    active: bool
    last_rotated: dt.datetime | None
    last_used: dt.datetime | None
    last_used_service: str | None


@dataclass(frozen=True)
class CredentialRow:
    """One user's row of an IAM credential report (GetCredentialReport, CSV)."""

    user: str
    arn: str
    created: dt.datetime | None
    password_enabled: bool
    password_last_used: dt.datetime | None
    mfa_active: bool
    keys: tuple[AccessKey, ...]

    @property
    def path(self) -> str:
        """`/breakglass/` for arn:aws:iam::123456789012:user/breakglass/name (IAM ARNs carry the path)."""
        resource = self.arn.split(":", 5)[-1]  # user/<path>/<name> or user/<name>
        inner = resource.split("/")[1:-1]
        return "/" + "".join(f"{part}/" for part in inner)

    @property
    def active_keys(self) -> tuple[AccessKey, ...]:
        return tuple(key for key in self.keys if key.active)

    def last_used(self) -> dt.datetime | None:
        used = [self.password_last_used, *(key.last_used for key in self.active_keys)]
        present = [moment for moment in used if moment is not None]
        return max(present) if present else None


def _moment(value: str) -> dt.datetime | None:
    """The report writes ISO 8601 times, or N/A / no_information / not_supported for none."""
    text = value.strip()
    if not text or not text[0].isdigit():
        return None
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _flag(value: str) -> bool:
    return value.strip().lower() == "true"


def _text(value: str) -> str | None:
    text = value.strip()
    return None if text in ("", "N/A", "no_information", "not_supported") else text


def parse_credential_report(content: str | bytes) -> list[CredentialRow]:
    """Every row of the report, the root row included (user `<root_account>`)."""
    text = content.decode() if isinstance(content, bytes) else content
    reader = csv.DictReader(io.StringIO(text))
    missing = {"user", "arn", "password_enabled", "mfa_active", "access_key_1_active"} - set(
        reader.fieldnames or ()
    )
    if missing:
        raise ValueError(f"not an IAM credential report: columns {sorted(missing)} are missing")
    rows: list[CredentialRow] = []
    for record in reader:
        keys = tuple(
            AccessKey(
                slot=slot,
                active=_flag(record.get(f"access_key_{slot}_active", "")),
                last_rotated=_moment(record.get(f"access_key_{slot}_last_rotated", "")),
                last_used=_moment(record.get(f"access_key_{slot}_last_used_date", "")),
                last_used_service=_text(record.get(f"access_key_{slot}_last_used_service", "")),
            )
            for slot in (1, 2)
        )
        rows.append(
            CredentialRow(
                user=record["user"],
                arn=record["arn"],
                created=_moment(record.get("user_creation_time", "")),
                # The root row says not_supported: its console password is not reported.
                password_enabled=_flag(record.get("password_enabled", "")),
                password_last_used=_moment(record.get("password_last_used", "")),
                mfa_active=_flag(record.get("mfa_active", "")),
                keys=keys,
            )
        )
    return rows


# --- people (an HR or Okta export) ------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    login: str
    email: str


def parse_people(content: str, source: str) -> list[Person]:
    """A CSV with `login` and `email` columns (an Okta user export has both); other columns are ignored.

    Read by the one CSV reader of every people file (frontdoor/domain/base/spreadsheet.py: ConfigError
    naming the line for a malformed file); values are trimmed here because they only look a person up.
    """
    table = read_csv(content, source)
    columns = {name.strip().lower(): name for name in table.header}
    if not {"login", "email"} <= columns.keys():
        raise ValueError(
            f"{source}: the people file needs a header with `login` and `email` columns "
            f"(got {sorted(columns) or 'no header'}); export users from Okta or HR as CSV"
        )
    people: list[Person] = []
    for record in table.rows:
        login, email = record[columns["login"]].strip(), record[columns["email"]].strip()
        if login or email:
            people.append(Person(login=login, email=email))
    return people


def match_person(user: str, people: Iterable[Person]) -> Person | None:
    """The person an IAM user name belongs to: equal to their login or email, or to either's local part."""
    name = user.lower()
    for person in people:
        keys = {person.login.lower(), person.email.lower()}
        keys |= {key.split("@", 1)[0] for key in list(keys) if "@" in key}
        if name in keys - {""}:
            return person
    return None


# A person's name as IAM user names usually spell it: first.last, first_last, flast@…, an email.
PERSONAL_NAME_RE = re.compile(r"^[a-z]+[._-][a-z]+(@.+)?$|^[^@]+@[^@]+\.[a-z]+$", re.IGNORECASE)
MACHINE_HINT_RE = re.compile(
    r"(^|[._-])(svc|service|bot|ci|cd|deploy|backup|jenkins|terraform|sync|api|app)($|[._-])", re.IGNORECASE
)


# --- classification ---------------------------------------------------------------------------------

Classification = Literal["break-glass", "to-migrate", "machine", "stale", "root-key"]


@dataclass(frozen=True)
class BreakGlassIdentity:
    """The break-glass stack's users: exact names and path, in the management account only."""

    account_id: str
    user_names: frozenset[str]
    path: str = BREAK_GLASS_PATH


def break_glass_users(
    access_names: Sequence[str],
    access_path: str,
    access_source: str,
    glass: tuple[Sequence[str], str, str] | None = None,
) -> tuple[frozenset[str], str]:
    """(user names, path) of the break-glass users the scan keeps: the access stack's own
    frontdoor:guardrails (what its SCP exemptions and Guard rule exempt), never another stack's by
    default. `glass` is (names, path, source) of a break-glass stack named on the command line: it
    must then agree with the access stack, or the scan and the Guard rule would judge different users.
    ConfigError when the access stack names none (unknown, not "no break-glass users") or they disagree.
    """
    from frontdoor.domain.base.errors import ConfigError, ConfigIssue

    if glass is not None:
        names, path, source = glass
        if path != access_path:
            raise ConfigError(
                [
                    ConfigIssue(
                        access_source,
                        "frontdoor:guardrails.breakGlassPath",
                        access_path,
                        f"differs from the break-glass stack's path {path!r} ({source}: "
                        "frontdoor:breakGlass.path)",
                        "set both to the same path, or the Guard rule and this scan judge different users",
                    )
                ]
            )
        if access_names and sorted(access_names) != sorted(names):
            raise ConfigError(
                [
                    ConfigIssue(
                        access_source,
                        "frontdoor:guardrails.breakGlassUserNames",
                        list(access_names),
                        f"differs from the break-glass stack's users {sorted(names)} ({source}: "
                        "frontdoor:breakGlass.userNames)",
                        "set both to the same names, or the SCP exemptions and this scan keep different "
                        "users",
                    )
                ]
            )
        return frozenset(names), path
    if not access_names:
        raise ConfigError(
            [
                ConfigIssue(
                    access_source,
                    "frontdoor:guardrails.breakGlassUserNames",
                    [],
                    "names no break-glass user, so which IAM users to keep is unknown",
                    "set it to the break-glass stack's frontdoor:breakGlass.userNames (with breakGlassPath), "
                    "or pass --break-glass-stack NAME / --break-glass-config FILE",
                )
            ]
        )
    return frozenset(access_names), access_path


@dataclass(frozen=True)
class Finding:
    """One row of the migration list: who, where, what credential, last used, proposed action."""

    account_id: str
    account_name: str
    user: str
    path: str
    classification: Classification
    person: str | None
    password_enabled: bool
    password_last_used: dt.datetime | None
    mfa_active: bool
    keys: tuple[AccessKey, ...]
    last_used: dt.datetime | None
    action: str
    violation: bool  # counts towards exit 1
    notes: tuple[str, ...] = field(default=())


def _date_text(moment: dt.datetime | None) -> str:
    return moment.date().isoformat() if moment else "unknown"


def _days(moment: dt.datetime | None, now: dt.datetime) -> int | None:
    return None if moment is None else (now - moment).days


def classify(
    account_id: str,
    account_name: str,
    rows: Sequence[CredentialRow],
    *,
    break_glass: BreakGlassIdentity,
    people: Sequence[Person] | None,
    stale_days: int,
    now: dt.datetime,
) -> list[Finding]:
    """The migration list rows of one account's credential report."""
    findings: list[Finding] = []
    for row in rows:
        if row.user == ROOT_USER:
            if row.active_keys:
                findings.append(
                    _finding(
                        account_id,
                        account_name,
                        row,
                        "root-key",
                        None,
                        "delete the root user's access keys (Security credentials of the root user); "
                        "nothing should sign requests as root",
                        True,
                    )
                )
            continue
        is_break_glass = (
            account_id == break_glass.account_id
            and row.user in break_glass.user_names
            and row.path == break_glass.path
        )
        if is_break_glass:
            notes: list[str] = []
            if row.active_keys:
                notes.append("has access keys: break-glass is console password + MFA only")
            if not row.mfa_active:
                notes.append("no MFA device: enrol one (docs/break-glass-runbook.md)")
            action = "keep (break-glass)" if not notes else "fix: " + "; ".join(notes)
            findings.append(
                _finding(account_id, account_name, row, "break-glass", None, action, bool(row.active_keys))
            )
            continue
        person = match_person(row.user, people) if people is not None else None
        who = (person.login or person.email) if person else None
        personal_name = bool(PERSONAL_NAME_RE.match(row.user)) and not MACHINE_HINT_RE.search(row.user)
        human = person is not None or row.password_enabled or (people is None and personal_name)
        last_used = row.last_used()
        idle_days = _days(last_used or row.created, now)
        kind: Classification
        if not row.password_enabled and not row.active_keys:
            kind = "stale"
            action = "delete the user: it has no console password and no active access key"
        elif idle_days is None or idle_days >= stale_days:
            kind = "stale"
            action = (
                f"delete the user: no credential used for {stale_days}+ days (last {_date_text(last_used)})"
                if last_used is not None
                else f"delete the user: no credential used since it was created {_date_text(row.created)}"
            )
        elif human:
            kind = "to-migrate"
            action = (
                f"move {who} to Okta + Identity Center (their team's group), then delete the user"
                if who
                else "find the owner, move them to Okta + Identity Center, then delete the user"
            )
        else:
            kind = "machine"
            action = (
                "replace the keys with a role (GitHub OIDC or Vault-issued credentials), then delete the user"
            )
        findings.append(_finding(account_id, account_name, row, kind, who, action, True))
    return findings


def _finding(
    account_id: str,
    account_name: str,
    row: CredentialRow,
    kind: Classification,
    person: str | None,
    action: str,
    violation: bool,
) -> Finding:
    return Finding(
        account_id=account_id,
        account_name=account_name,
        user=row.user,
        path=row.path if row.user != ROOT_USER else "",
        classification=kind,
        person=person,
        password_enabled=row.password_enabled,
        password_last_used=row.password_last_used,
        mfa_active=row.mfa_active,
        keys=row.active_keys,
        last_used=row.last_used(),
        action=action,
        violation=violation,
    )
