"""The people policy: privileged permission sets reach only the worker types allowed to hold them.

Owns the judgement of one person's reach against the allowed worker types (permission set -> HR
`userType` values, from `frontdoor:people.privilegedWorkerTypes` plus PlatformAdmin and every admin-
tier set: frontdoor/domain/model/people.py). The person report and the auditor's sample show it for
each person; the pack rule `privileged-worker-types` enforces it at preview over the groups the
program registers (policy/rules/privileged_worker_types.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PrivilegedReach:
    """A privileged permission set one person reaches, on how many accounts, and whether they may."""

    permission_set: str
    accounts: int
    allowed: tuple[str, ...]  # worker types allowed to reach it
    worker_type: str  # the person's

    @property
    def permitted(self) -> bool:
        return self.worker_type in self.allowed

    def sentence(self) -> str:
        allowed = ", ".join(self.allowed)
        if self.permitted:
            return (
                f"{self.permission_set} on {self.accounts} account(s): privileged, allowed for {allowed} "
                "(frontdoor:people.privilegedWorkerTypes)"
            )
        return (
            f"people policy violated: {self.permission_set} on {self.accounts} account(s) is for {allowed} "
            f"only, and this person is a {self.worker_type}"
        )


def privileged_reach(
    worker_type: str, reach: Iterable[tuple[str, str]], allowed: Mapping[str, Sequence[str]]
) -> tuple[PrivilegedReach, ...]:
    """Each privileged set in `reach` ((permission set, account id) pairs), in name order."""
    accounts: dict[str, set[str]] = {}
    for permission_set, account_id in reach:
        if permission_set in allowed:
            accounts.setdefault(permission_set, set()).add(account_id)
    return tuple(
        PrivilegedReach(name, len(ids), tuple(allowed[name]), worker_type)
        for name, ids in sorted(accounts.items())
    )
