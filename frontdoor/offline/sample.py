"""The auditor's sample: one evidence document answering the SOC 2 access question for named people.

Owns the evidence for "for these people, show one identity sourced from HR, the groups it is in and
why, every AWS account it can reach and why, for how long a session lasts, and that no IAM user
exists for them": built from the person report (frontdoor/offline/people_report.py) and, when given,
the JSON of `frontdoor posture` (IAM users found in the accounts). Written as Markdown, JSON and HTML
(one table per person) with the same content.

The posture input (read by the strict JSON reader: duplicate keys, nesting and size refused):
- the JSON of `frontdoor posture --format json`: `{"accounts_scanned": ["<account id>", ...],
  "findings": [{"account_id": ..., "user": ...}, ...], ...}`;
- or `{"iamUsers": [{"account": "<account id or name>", "user": "<IAM user name>"}, ...],
  "accounts": ["<scanned account id or name>", ...]}`;
- or the bare list `[{"account": ..., "user": ...}, ...]`, which says nothing of what was scanned.
Account names resolve through the estate; a name or id the estate does not hold is an error. An IAM
user belongs to a person when its name equals their login, their email, or the part of either before
the "@" (case-insensitive).

Coverage is stated, never assumed: "no IAM user" is said only of the accounts the posture file lists
as scanned, the accounts the person reaches that it did not scan are listed, and a posture file that
does not list what it scanned gives "coverage unknown" (absent is unknown, never fine).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from frontdoor.domain.base import strict_json
from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.base.input_files import read_text
from frontdoor.domain.contracts import session_hours
from frontdoor.domain.people.hr_export import Person
from frontdoor.offline.people_report import PersonAccess, shown

MAX_POSTURE_BYTES = 50 * 1024 * 1024
QUESTION = (
    "For each sampled person: is there exactly one identity, sourced from HR; which groups is it in "
    "and why; which AWS accounts can it reach, with which permission set, for how long, and why; and "
    "does any IAM user exist for it in any account?"
)
POSTURE_SHAPE = (
    "give the JSON of `frontdoor posture --format json`, or "
    '{"iamUsers": [{"account": ..., "user": ...}], "accounts": [...]}'
)


@dataclass(frozen=True)
class IamUser:
    account: str  # the account id (as written until `resolve_accounts`)
    user: str
    details: Mapping[str, Any]
    where: str = field(default="", compare=False, repr=False)  # its place in the file, for messages


@dataclass(frozen=True)
class Posture:
    source: str
    users: tuple[IamUser, ...]
    accounts_scanned: tuple[str, ...] | None  # account ids (once resolved); None when the file does not say


def read_posture(path: Path) -> Posture:
    """Read a posture file as written (account ids or names, not yet resolved: `resolve_accounts`);
    ConfigError (exit 2) naming the item and key otherwise. Runs before the program does."""
    source = str(path)

    def bad(where: str, value: Any, problem: str) -> ConfigError:
        return ConfigError([ConfigIssue(source, where, value, problem, POSTURE_SHAPE)])

    text = read_text(path, "posture file", MAX_POSTURE_BYTES, "give the JSON of `frontdoor posture`")
    document = strict_json.loads(text, source, POSTURE_SHAPE)
    scanned: list[Any] | None = None
    if isinstance(document, dict) and "findings" in document:  # `frontdoor posture --format json`
        items, id_key = document.get("findings"), "account_id"
        listed = document.get("accounts_scanned")
        if isinstance(listed, bool) or (listed is not None and not isinstance(listed, list | int)):
            raise bad("accounts_scanned", listed, "accounts_scanned must list the scanned account ids")
        scanned = listed if isinstance(listed, list) else None  # a count (older output) says not which
    elif isinstance(document, dict):
        items, id_key = document.get("iamUsers"), "account"
        scanned = document.get("accounts")
        if scanned is not None and not isinstance(scanned, list):
            raise bad("accounts", scanned, "accounts must be a list of account ids")
    else:
        items, id_key = document, "account"
    if not isinstance(items, list):
        where = "findings" if id_key == "account_id" else "iamUsers"
        raise bad(where, type(items).__name__, "no list of IAM users")
    users: list[IamUser] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise bad(f"[{index}]", item, "each IAM user must be an object")
        for key in (id_key, "user"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise bad(
                    f"[{index}].{key}", item.get(key), f"each IAM user needs a non-empty {key!r} string"
                )
        details = {k: v for k, v in item.items() if k not in (id_key, "user")}
        users.append(IamUser(item[id_key], item["user"], details, f"[{index}].{id_key}"))
    if scanned is not None:
        for index, account in enumerate(scanned):
            if not isinstance(account, str):
                raise bad(f"accounts[{index}]", account, "each scanned account must be an account id string")
    return Posture(source, tuple(users), None if scanned is None else tuple(scanned))


def resolve_accounts(posture: Posture, accounts: Mapping[str, str]) -> Posture:
    """The posture with every account given by id. `accounts`: account id -> name, every account of
    the estate; a name or id it does not hold is an error (the file is about another organization)."""
    by_name: dict[str, str] = {}
    for known_id, name in accounts.items():
        by_name.setdefault(name, known_id)

    def account_id(where: str, value: str) -> str:
        if value in accounts:
            return value
        if value in by_name:
            return by_name[value]
        raise ConfigError(
            [
                ConfigIssue(
                    posture.source,
                    where,
                    value,
                    "not an account id or name of the estate",
                    "give the posture file of this organization, or the estate it was scanned from "
                    "(--estate)",
                )
            ]
        )

    users = tuple(replace(u, account=account_id(u.where, u.account)) for u in posture.users)
    scanned = posture.accounts_scanned
    ids = None if scanned is None else tuple(account_id(f"accounts[{i}]", a) for i, a in enumerate(scanned))
    return Posture(posture.source, users, ids)


def users_of(person: Person, posture: Posture) -> list[IamUser]:
    names = {person.login.lower(), person.email.lower()}
    names |= {n.split("@", 1)[0] for n in set(names)}
    return [u for u in posture.users if u.user.lower() in names]


@dataclass(frozen=True)
class Coverage:
    """Which of the accounts a person reaches the posture file scanned (None: it does not say)."""

    scanned: int | None  # accounts the posture file scanned, all of them
    reached_scanned: tuple[str, ...]
    reached_not_scanned: tuple[str, ...]

    def sentence(self, found: Sequence[IamUser], names: Mapping[str, str]) -> str:
        if self.scanned is None:
            if found:
                return (
                    f"{len(found)} IAM user(s) found; the posture file does not list the accounts it "
                    "scanned: coverage of the others unknown."
                )
            return (
                "No IAM user found, but the posture file does not list the accounts it scanned: "
                "coverage unknown."
            )
        reached = len(self.reached_scanned) + len(self.reached_not_scanned)
        of_reach = f" ({len(self.reached_scanned)} of the {reached} account(s) they reach)" if reached else ""
        text = (
            f"{len(found)} IAM user(s) found."
            if found
            else f"No IAM user in the {self.scanned} account(s) the posture file scanned{of_reach}."
        )
        if self.reached_not_scanned:
            listed = ", ".join(f"{names.get(a, a)} ({a})" for a in self.reached_not_scanned[:5])
            more = (
                f", and {len(self.reached_not_scanned) - 5} more" if len(self.reached_not_scanned) > 5 else ""
            )
            text += (
                f" {len(self.reached_not_scanned)} account(s) they reach were not scanned: {listed}{more}."
            )
        return text


def coverage(access: PersonAccess, posture: Posture) -> Coverage:
    reached = sorted({r.account_id for r in access.rows})
    if posture.accounts_scanned is None:
        return Coverage(None, (), tuple(reached))
    scanned = set(posture.accounts_scanned)
    return Coverage(
        len(scanned),
        tuple(a for a in reached if a in scanned),
        tuple(a for a in reached if a not in scanned),
    )


def evidence(
    accesses: Sequence[PersonAccess],
    *,
    stack: str,
    hr_source: str,
    posture: Posture | None,
    generated: str,
    account_names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The evidence document as data (the JSON form; Markdown and HTML render it).
    `account_names`: account id -> name, for the accounts the posture file did not scan."""
    names = account_names or {}
    people: list[dict[str, Any]] = []
    for access in accesses:
        person = access.person
        iam = users_of(person, posture) if posture is not None else None
        covered = coverage(access, posture) if posture is not None else None
        durations = sorted({r.session_duration for r in access.rows})
        if not person.active:
            conclusion = "Terminated in HR: deactivated in Okta, in no group, reaches no AWS account."
        elif not access.rows:
            conclusion = "Active in HR, but no group rule matches the record: reaches no AWS account."
        else:
            accounts = len({r.account_id for r in access.rows})
            # Groups that grant accounts (the app's assignment group grants the app, no account).
            granting = len({r.group for r in access.rows})
            conclusion = (
                f"Active in HR; access only through {granting} rule-filled group(s), "
                f"{len(access.rows)} grant(s) over {accounts} account(s), sessions of at most "
                f"{max(durations, key=_hours)}."
            )
            timed = sorted({(r.expires, r.ticket) for r in access.rows if r.expires})
            conclusion += "".join(f" Time-bound exception until {e} ({t})." for e, t in timed)
            deferred = sum(r.status == "deferred" for r in access.rows)
            if deferred:
                conclusion += f" {deferred} grant(s) deferred until SCIM syncs the group."
        for judged in access.privileged:
            if not judged.permitted:
                conclusion += f" {judged.sentence()[0].upper()}{judged.sentence()[1:]}."
        if iam is not None and covered is not None:
            conclusion += " " + covered.sentence(iam, names)
        people.append(
            {
                "identity": {
                    "login": person.login,
                    "email": person.email,
                    "employee_number": person.employee_number,
                    "hr_status": person.status,
                    "worker_type": person.worker_type,
                    "department": person.profile.get("department"),
                    "team": person.profile.get("team"),
                    "title": person.profile.get("title"),
                    "manager": person.profile.get("manager"),
                    "source": f"HR export {hr_source}, row {person.row} (Okta profile mastered by HR)",
                },
                "groups": [asdict(m) for m in access.memberships],
                "access": [asdict(r) for r in access.rows],
                "session_durations": durations,
                "iam_users": None
                if iam is None
                else [{"account": u.account, "user": u.user, "details": dict(u.details)} for u in iam],
                "posture_coverage": None
                if covered is None
                else {
                    "accounts_scanned": covered.scanned,
                    "reached_and_scanned": list(covered.reached_scanned),
                    "reached_not_scanned": [
                        {"account_id": a, "account_name": names.get(a, "")}
                        for a in covered.reached_not_scanned
                    ],
                },
                "people_policy": [
                    {
                        "permission_set": p.permission_set,
                        "accounts": p.accounts,
                        "allowed_worker_types": list(p.allowed),
                        "permitted": p.permitted,
                        "statement": p.sentence(),
                    }
                    for p in access.privileged
                ],
                "note": access.note,
                "conclusion": conclusion,
            }
        )
    return {
        "question": QUESTION,
        "generated": generated,
        "stack": stack,
        "hr_export": hr_source,
        "posture": None
        if posture is None
        else {
            "source": posture.source,
            "iam_users": len(posture.users),
            "accounts_scanned": None if posture.accounts_scanned is None else list(posture.accounts_scanned),
        },
        "people": people,
    }


def _hours(duration: str) -> float:
    try:
        return session_hours(duration)
    except ValueError:
        return 0.0


_ACCESS_COLUMNS = (
    "permission_set",
    "account_id",
    "account_name",
    "ou_path",
    "session_duration",
    "group",
    "status",
)


def _notes(row: Mapping[str, Any]) -> str:
    notes = []
    if row["status"] == "deferred":
        notes.append("deferred until SCIM syncs the group")
    if row.get("expires"):
        notes.append(f"time-bound: expires {row['expires']}, ticket {row['ticket']}")
    return "; ".join(notes)


def render_markdown(document: Mapping[str, Any]) -> str:
    lines = [
        f"# Access sample — stack {document['stack']}, {document['generated']}",
        "",
        f"**Question.** {document['question']}",
        "",
        f"HR source: `{document['hr_export']}`. Posture: "
        + (
            f"`{document['posture']['source']}` ({document['posture']['iam_users']} IAM users found)."
            if document["posture"]
            else "not given (pass --posture FILE with the JSON of `frontdoor posture`)."
        ),
        "",
    ]
    for entry in document["people"]:
        identity = entry["identity"]
        lines += [f"## {identity['login']}", "", f"**{entry['conclusion']}**", ""]
        lines += ["| identity | |", "|---|---|"]
        lines += [f"| {k} | {shown(v).replace('|', '/')} |" for k, v in identity.items()]
        lines.append("")
        if entry["people_policy"]:
            lines += [f"- {p['statement']}" for p in entry["people_policy"]]
            lines.append("")
        if entry["groups"]:
            lines += ["| group | why (rule that matched) |", "|---|---|"]
            lines += [f"| {g['group']} | `{g['rule'].replace('|', '/')}` |" for g in entry["groups"]]
            lines.append("")
        if entry["access"]:
            lines += [
                "| " + " | ".join(_ACCESS_COLUMNS) + " | notes |",
                "|" + "---|" * (len(_ACCESS_COLUMNS) + 1),
            ]
            for row in entry["access"]:
                lines.append("| " + " | ".join(str(row[c]) for c in _ACCESS_COLUMNS) + f" | {_notes(row)} |")
            lines.append("")
        if entry["iam_users"]:
            lines += ["| IAM user | account |", "|---|---|"]
            lines += [f"| {u['user']} | {u['account']} |" for u in entry["iam_users"]]
            lines.append("")
        not_scanned = (entry["posture_coverage"] or {}).get("reached_not_scanned") or []
        if not_scanned:
            lines += ["| not scanned by the posture file: account_id | account_name |", "|---|---|"]
            lines += [f"| {a['account_id']} | {a['account_name']} |" for a in not_scanned]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if c is None else str(c))}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(document: Mapping[str, Any]) -> str:
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>Access sample — {html.escape(document['stack'])}</title>",
        "<style>body{font-family:sans-serif}table{border-collapse:collapse;margin:.5em 0}"
        "td,th{border:1px solid #999;padding:2px 6px;text-align:left}</style></head><body>",
        f"<h1>Access sample — stack {html.escape(document['stack'])}, "
        f"{html.escape(document['generated'])}</h1>",
        f"<p><b>Question.</b> {html.escape(document['question'])}</p>",
        f"<p>HR source: <code>{html.escape(document['hr_export'])}</code></p>",
    ]
    for entry in document["people"]:
        identity = entry["identity"]
        parts.append(
            f"<h2>{html.escape(identity['login'])}</h2><p><b>{html.escape(entry['conclusion'])}</b></p>"
        )
        parts.append(_table(("identity", ""), list(identity.items())))
        if entry["groups"]:
            parts.append(
                _table(
                    ("group", "why (rule that matched)"), [(g["group"], g["rule"]) for g in entry["groups"]]
                )
            )
        if entry["access"]:
            parts.append(
                _table(
                    (*_ACCESS_COLUMNS, "notes"),
                    [(*(row[c] for c in _ACCESS_COLUMNS), _notes(row)) for row in entry["access"]],
                )
            )
        if entry["people_policy"]:
            parts.append(
                "<ul>"
                + "".join(f"<li>{html.escape(p['statement'])}</li>" for p in entry["people_policy"])
                + "</ul>"
            )
        if entry["iam_users"]:
            parts.append(
                _table(("IAM user", "account"), [(u["user"], u["account"]) for u in entry["iam_users"]])
            )
        not_scanned = (entry["posture_coverage"] or {}).get("reached_not_scanned") or []
        if not_scanned:
            parts.append(
                _table(
                    ("not scanned by the posture file: account_id", "account_name"),
                    [(a["account_id"], a["account_name"]) for a in not_scanned],
                )
            )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write(document: Mapping[str, Any], out_dir: Path, stem: str = "access-sample") -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, text in (
        (".md", render_markdown(document)),
        (".json", json.dumps(document, indent=2) + "\n"),
        (".html", render_html(document)),
    ):
        path = out_dir / f"{stem}{suffix}"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
