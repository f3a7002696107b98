"""The access report: who can reach which account, through which group, with which permission set, why.

One row per (group, permission set, account), built from what the program registered under the
offline engine, not from a second copy of the fan-out: the AccountAssignment resources (status
`synced`) and, for groups SCIM has not synced yet, the grants their AccountAssignments components
carry (status `deferred`). Each row is joined with the estate (account name, OU path), the permission
set's registered session duration and the Okta group rule that fills the group. This is the SOC 2
evidence export: `frontdoor access-report --format csv`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from frontdoor.offline.engine import ProgramRun
from frontdoor.offline.estate import Estate
from frontdoor.offline.record import RecordedResource

ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment"
ASSIGNMENTS_COMPONENT = "frontdoor:aws:AccountAssignments"
PERMISSION_SET = "aws:ssoadmin/permissionSet:PermissionSet"
OKTA_GROUP = "okta:group/group:Group"
OKTA_RULE = "okta:group/rule:Rule"
DEFAULT_SESSION = "PT1H"  # what AWS applies when a permission set sets none

COLUMNS = (
    "group",
    "permission_set",
    "account_id",
    "account_name",
    "ou_path",
    "session_duration",
    "members_rule",
    "status",
    "expires",
    "ticket",
)


@dataclass(frozen=True, order=True)
class AccessRow:
    group: str
    permission_set: str
    account_id: str
    account_name: str
    ou_path: str
    session_duration: str
    members_rule: str
    status: str  # "synced" | "deferred"
    expires: str | None = None  # time-bound exceptions: the last valid day
    ticket: str | None = None  # … and the change ticket that approved them


def access_rows(run: ProgramRun, estate: Estate) -> list[AccessRow]:
    sets_by_arn: dict[str, RecordedResource] = {
        str(r.outputs.get("arn")): r for r in run.by_type(PERMISSION_SET)
    }
    sets_by_name = {str(r.inputs.get("name")): r for r in sets_by_arn.values()}
    okta_group_names = {r.id: str(r.inputs.get("name")) for r in run.by_type(OKTA_GROUP)}
    rules: dict[str, str] = {}
    for rule in run.by_type(OKTA_RULE):
        for group_id in rule.inputs.get("groupAssignments") or []:
            name = okta_group_names.get(str(group_id))
            if name is not None:
                rules[name] = str(rule.inputs.get("expressionValue", ""))
    synced_names = {group_id: name for name, group_id in estate.synced_groups.items()}
    accounts = {account.id: account for account in estate.snapshot().accounts}

    def row(
        group: str,
        permission_set: RecordedResource | None,
        set_name: str,
        account_id: str,
        status: str,
        grant: RecordedResource | None,
    ) -> AccessRow:
        account = accounts.get(account_id)
        duration = (
            str(permission_set.inputs.get("sessionDuration") or DEFAULT_SESSION) if permission_set else ""
        )
        return AccessRow(
            group=group,
            permission_set=set_name,
            account_id=account_id,
            account_name=account.name if account else "(not in estate)",
            ou_path=(account.ou_path or "Root") if account else "",
            session_duration=duration,
            members_rule=rules.get(group, "(no rule in this stack)"),
            status=status,
            expires=grant.inputs.get("expires") if grant else None,
            ticket=grant.inputs.get("ticket") if grant else None,
        )

    components = {c.urn: c for c in run.by_type(ASSIGNMENTS_COMPONENT)}
    rows: list[AccessRow] = []
    for assignment in run.by_type(ASSIGNMENT):
        permission_set = sets_by_arn.get(str(assignment.inputs.get("permissionSetArn")))
        set_name = str(permission_set.inputs.get("name")) if permission_set else "(unknown permission set)"
        principal = str(assignment.inputs.get("principalId"))
        group = synced_names.get(principal, principal)
        grant = components.get(assignment.parent_urn)
        rows.append(
            row(group, permission_set, set_name, str(assignment.inputs.get("targetId")), "synced", grant)
        )
    for component in components.values():
        if not component.inputs.get("deferred"):
            continue
        group = str(component.inputs.get("group"))
        set_name = str(component.inputs.get("permissionSet"))
        for account_id in component.inputs.get("accountIds") or []:
            rows.append(
                row(group, sets_by_name.get(set_name), set_name, str(account_id), "deferred", component)
            )
    return sorted(rows)


def filter_rows(
    rows: Sequence[AccessRow], *, account: str | None = None, group: str | None = None
) -> list[AccessRow]:
    """`account` matches an id or a name; `group` a group name."""
    return [
        r
        for r in rows
        if (account is None or account in (r.account_id, r.account_name))
        and (group is None or r.group == group)
    ]


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: formula triggers get a leading quote (OWASP CSV injection).

    A members expression is free text written by whoever edits the stack file; `=HYPERLINK(…)` in it
    must reach an auditor's spreadsheet as text, not as a link that runs.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def empty_filter_message(*, account: str | None = None, group: str | None = None) -> str:
    """What to say when a filtered report is empty: which filter matched nothing."""
    filters = [f"--account {account!r}" for _ in [account] if account is not None]
    filters += [f"--group {group!r}" for _ in [group] if group is not None]
    return (
        f"no access rows match {' and '.join(filters)}: no group reaches that account, or no such "
        "account or group in this stack (an account matches by id or name, a group by its full name)"
    )


def render(rows: Sequence[AccessRow], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(r) for r in rows], indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([[csv_cell(getattr(r, c)) for c in COLUMNS] for r in rows])
        return buffer.getvalue()
    header = "| " + " | ".join(COLUMNS) + " |"
    lines = [header, "|" + "---|" * len(COLUMNS)]
    for r in rows:
        cells = [str(getattr(r, c) or "").replace("|", "\\|") for c in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    synced = sum(1 for r in rows if r.status == "synced")
    lines.append("")
    lines.append(
        f"{len(rows)} rows: {synced} synced, {len(rows) - synced} deferred until SCIM syncs their group."
    )
    return "\n".join(lines)
