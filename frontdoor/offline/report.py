"""The access report: who can reach which account, through which group, with which permission set, why.

One row per (group, permission set, account), read from the grants the program recorded under the offline
engine (each AccountAssignments component carries its planned grant as a `GrantRecord`,
frontdoor/domain/contracts.py: group, permission set, account ids, deferred, expiry), not from a second
copy of the fan-out nor by mapping mocked ARNs and principal ids back through the estate. A row is
`deferred` when the program said so (one definition: frontdoor/domain/planning/plan.py `is_deferred`);
otherwise it is `synced` when the component's child AccountAssignment for that account was registered,
and `missing` if it was not (a program bug, shown rather than hidden). Each row is joined with the estate
(account name, OU path; `/` for an account directly under the root), the permission set's registered
session duration and the Okta group rule that fills the group. This is the SOC 2 evidence export:
`frontdoor access-report --format csv`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from frontdoor.domain import contracts
from frontdoor.domain.base.spreadsheet import write_csv
from frontdoor.domain.contracts import GrantRecord
from frontdoor.offline.engine import ProgramRun
from frontdoor.offline.estate import Estate

ASSIGNMENT = contracts.ACCOUNT_ASSIGNMENT
ASSIGNMENTS_COMPONENT = contracts.ACCOUNT_ASSIGNMENTS
PERMISSION_SET = contracts.PERMISSION_SET
OKTA_GROUP = contracts.OKTA_GROUP
OKTA_RULE = contracts.OKTA_RULE
DEFAULT_SESSION = "PT1H"  # what AWS applies when a permission set sets none
ROOT_PATH = "/"  # the OU path of an account directly under the root (an OU named Root is "Root")
ACCOUNT_ID = re.compile(r"[0-9]{12}\Z")

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
    status: str  # "synced" | "deferred" | "missing"
    expires: str | None = None  # time-bound exceptions: the last valid day
    ticket: str | None = None  # … and the change ticket that approved them


def access_rows(run: ProgramRun, estate: Estate) -> list[AccessRow]:
    sets_by_name = {str(r.inputs.get("name")): r for r in run.by_type(PERMISSION_SET)}
    okta_group_names = {r.id: str(r.inputs.get("name")) for r in run.by_type(OKTA_GROUP)}
    rules: dict[str, str] = {}
    for rule in run.by_type(OKTA_RULE):
        for group_id in rule.inputs.get("groupAssignments") or []:
            name = okta_group_names.get(str(group_id))
            if name is not None:
                rules[name] = str(rule.inputs.get("expressionValue", ""))
    accounts = {account.id: account for account in estate.snapshot().accounts}
    registered: dict[str, set[str]] = {}  # component URN -> accounts its child assignments target
    for assignment in run.by_type(ASSIGNMENT):
        registered.setdefault(assignment.parent_urn, set()).add(str(assignment.inputs.get("targetId")))

    rows: list[AccessRow] = []
    for component in run.by_type(ASSIGNMENTS_COMPONENT):
        grant = GrantRecord.from_inputs(component.inputs)
        permission_set = sets_by_name.get(grant.permission_set)
        duration = (
            str(permission_set.inputs.get("sessionDuration") or DEFAULT_SESSION) if permission_set else ""
        )
        confirmed = registered.get(component.urn, set())
        for account_id in grant.account_ids or ():
            status = "deferred" if grant.deferred else "synced" if account_id in confirmed else "missing"
            account = accounts.get(account_id)
            rows.append(
                AccessRow(
                    group=grant.group,
                    permission_set=grant.permission_set,
                    account_id=account_id,
                    account_name=account.name if account else "(not in estate)",
                    ou_path=(account.ou_path or ROOT_PATH) if account else "",
                    session_duration=duration,
                    members_rule=rules.get(grant.group, "(no rule in this stack)"),
                    status=status,
                    expires=grant.expires,
                    ticket=grant.ticket,
                )
            )
    return sorted(rows)


def filter_rows(
    rows: Sequence[AccessRow], *, account: str | None = None, group: str | None = None
) -> list[AccessRow]:
    """`account` is an account id when it is 12 digits, else an account name (never both: an account
    named like another's id must not bring that account's rows along); `group` a group name."""
    by_id = account is not None and ACCOUNT_ID.match(account) is not None
    return [
        r
        for r in rows
        if (account is None or (r.account_id if by_id else r.account_name) == account)
        and (group is None or r.group == group)
    ]


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
        return write_csv(COLUMNS, (asdict(r) for r in rows))
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
