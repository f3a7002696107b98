"""The auditor's sample: one evidence document answering the SOC 2 access question for named people.

Owns the evidence for "for these people, show one identity sourced from HR, the groups it is in and
why, every AWS account it can reach and why, for how long a session lasts, and that no IAM user
exists for them": built from the person report (frontdoor/offline/people_report.py) and, when given,
the JSON of `frontdoor posture` (IAM users found in the accounts). Written as Markdown, JSON and HTML
(one table per person) with the same content.

The posture input's minimal shape (what this module reads; other keys are carried along):
`[{"account": "<account id or name>", "user": "<IAM user name>", ...}, ...]`, or an object
`{"iamUsers": [<the same items>], "accounts": ["<account id>", ...]}` where `accounts` lists the
accounts that were scanned. An IAM user belongs to a person when its name equals their login, their
email, or the part of either before the "@" (case-insensitive).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.contracts import session_hours
from frontdoor.domain.people.hr_export import Person
from frontdoor.offline.people_report import PersonAccess

QUESTION = (
    "For each sampled person: is there exactly one identity, sourced from HR; which groups is it in "
    "and why; which AWS accounts can it reach, with which permission set, for how long, and why; and "
    "does any IAM user exist for it in any account?"
)


@dataclass(frozen=True)
class IamUser:
    account: str
    user: str
    details: Mapping[str, Any]


@dataclass(frozen=True)
class Posture:
    source: str
    users: tuple[IamUser, ...]
    accounts_scanned: tuple[str, ...]  # empty when the result does not say


def read_posture(path: Path) -> Posture:
    """Read the documented minimal shape; ConfigError (exit 2) naming the item and key otherwise."""
    source = str(path)

    def bad(where: str, value: Any, problem: str) -> ConfigError:
        return ConfigError(
            [
                ConfigIssue(
                    source,
                    where,
                    value,
                    problem,
                    'give the JSON of `frontdoor posture`: [{"account": ..., "user": ...}] or '
                    '{"iamUsers": [...], "accounts": [...]}',
                )
            ]
        )

    if not path.is_file():
        raise ConfigError([ConfigIssue(source, "(file)", source, "posture file not found", "check the path")])
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise bad(
            f"line {error.lineno}, column {error.colno}", None, f"JSON syntax error: {error.msg}"
        ) from None
    accounts: list[Any] = []
    if isinstance(document, dict):
        items, accounts = document.get("iamUsers"), document.get("accounts") or []
        if not isinstance(accounts, list):
            raise bad("accounts", accounts, "accounts must be a list of account ids")
    else:
        items = document
    if not isinstance(items, list):
        raise bad("iamUsers", type(items).__name__, "no list of IAM users")
    users: list[IamUser] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise bad(f"[{index}]", item, "each IAM user must be an object")
        for key in ("account", "user"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise bad(
                    f"[{index}].{key}", item.get(key), f"each IAM user needs a non-empty {key!r} string"
                )
        details = {k: v for k, v in item.items() if k not in ("account", "user")}
        users.append(IamUser(item["account"], item["user"], details))
    return Posture(source, tuple(users), tuple(str(a) for a in accounts))


def users_of(person: Person, posture: Posture) -> list[IamUser]:
    names = {person.login.lower(), person.email.lower()}
    names |= {n.split("@", 1)[0] for n in set(names)}
    return [u for u in posture.users if u.user.lower() in names]


def evidence(
    accesses: Sequence[PersonAccess],
    *,
    stack: str,
    hr_source: str,
    posture: Posture | None,
    generated: str,
) -> dict[str, Any]:
    """The evidence document as data (the JSON form; Markdown and HTML render it)."""
    people: list[dict[str, Any]] = []
    for access in accesses:
        person = access.person
        iam = users_of(person, posture) if posture is not None else None
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
        if iam is not None:
            conclusion += " No IAM user in any account." if not iam else f" {len(iam)} IAM user(s) found."
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
                "iam_users": None if iam is None else [asdict(u) for u in iam],
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
            "accounts_scanned": list(posture.accounts_scanned),
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
        lines += [f"| {k} | {'' if v is None else str(v).replace('|', '/')} |" for k, v in identity.items()]
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
        if entry["iam_users"]:
            parts.append(
                _table(("IAM user", "account"), [(u["user"], u["account"]) for u in entry["iam_users"]])
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
