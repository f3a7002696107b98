"""Triage of a refreshed preview of a deployed stack: growth the live reads bring, versus drift.

The desired state is partly read live (the OU tree, the accounts, the groups SCIM has synced), so a
refreshed preview of a stack that nobody touched still plans changes: assignments of a group SCIM has
just synced (deferred at the last deploy), assignments on an account new in a targeted OU, deletions
of assignments on an account that left, was suspended or closed. `--expect-no-changes` failed on each
of them (real-api-audit item 10). `triage` sorts the planned changes: those are expected growth, and
everything else (an update, a replacement, an assignment missing on one account while its group keeps
the others, any change to another type) is drift.

Assignment logical names are `<group>/<permission set>/<account id>` (frontdoor/domain/planning/fanout.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from frontdoor.domain.contracts import ACCOUNT_ASSIGNMENT

UNCHANGED = frozenset({"same", "read", "refresh"})


@dataclass(frozen=True)
class Change:
    op: str
    type: str
    name: str


@dataclass(frozen=True)
class Triaged:
    change: Change
    reason: str


@dataclass(frozen=True)
class Triage:
    expected: tuple[Triaged, ...]
    drift: tuple[Triaged, ...]


def _group_and_account(name: str) -> tuple[str, str]:
    group, _, rest = name.partition("/")
    return group, rest.rsplit("/", 1)[-1]


def triage(changes: Iterable[Change]) -> Triage:
    """Expected growth from live reads, and drift, among the planned changes."""
    steps = list(changes)
    kept = [_group_and_account(c.name) for c in steps if c.type == ACCOUNT_ASSIGNMENT and c.op in UNCHANGED]
    groups_kept = {group for group, _ in kept}
    accounts_kept = {account for _, account in kept}
    expected: list[Triaged] = []
    drift: list[Triaged] = []
    for change in steps:
        if change.op in UNCHANGED or change.type == "pulumi:pulumi:Stack":
            continue
        if change.type == ACCOUNT_ASSIGNMENT and change.op == "create":
            group, account = _group_and_account(change.name)
            if group not in groups_kept:
                expected.append(
                    Triaged(change, f"group {group} newly synced by SCIM: its deferred assignments")
                )
            elif account not in accounts_kept:
                expected.append(Triaged(change, f"account {account} is new in a targeted OU"))
            else:
                drift.append(
                    Triaged(
                        change,
                        f"{group} keeps its other assignments and account {account} keeps others: "
                        "this one was deleted outside the pipeline",
                    )
                )
        elif change.type == ACCOUNT_ASSIGNMENT and change.op == "delete":
            _, account = _group_and_account(change.name)
            if account not in accounts_kept:
                expected.append(
                    Triaged(change, f"account {account} left the targeted OUs, or was suspended or closed")
                )
            else:
                drift.append(
                    Triaged(change, f"account {account} keeps other assignments: not an account change")
                )
        else:
            drift.append(Triaged(change, f"{change.op} of a resource: changed outside the pipeline"))
    return Triage(tuple(expected), tuple(drift))
