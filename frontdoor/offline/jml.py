"""Joiners, movers and leavers between two HR exports, and the AWS access each gains and loses.

Owns the comparison of two person reports (frontdoor/offline/people_report.py) made with the same
rules and group-level rows: a joiner is active now and was absent or terminated before; a leaver was
active and is now terminated or gone; a mover is active in both and an attribute change moved them
into or out of a group. Gained and lost access are differences of (permission set, account) pairs,
so a grant that only changes the group it comes through is neither gained nor lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from frontdoor.domain.people.hr_export import Person
from frontdoor.offline.people_report import GroupRules, PersonAccess, person_access, rows_by_group
from frontdoor.offline.report import AccessRow

Kind = Literal["joiner", "mover", "leaver"]


@dataclass(frozen=True, order=True)
class Grant:
    permission_set: str
    account_id: str
    account_name: str
    ou_path: str
    groups: tuple[str, ...]  # the groups it comes through


@dataclass(frozen=True)
class Change:
    login: str
    kind: Kind
    attributes: Mapping[str, tuple[Any, Any]]  # attribute -> (before, after), movers only
    groups_joined: tuple[str, ...]
    groups_left: tuple[str, ...]
    gained: tuple[Grant, ...]
    lost: tuple[Grant, ...]


@dataclass(frozen=True)
class JmlReport:
    changes: tuple[Change, ...]
    unchanged: int
    summary: dict[str, int] = field(default_factory=dict)

    def gains(self, permission_set: str) -> list[tuple[str, Grant]]:
        return [(c.login, g) for c in self.changes for g in c.gained if g.permission_set == permission_set]


def _grants(access: PersonAccess | None, pairs: Iterable[tuple[str, str]]) -> tuple[Grant, ...]:
    if access is None:
        return ()
    wanted = set(pairs)
    found: dict[tuple[str, str], list[AccessRow]] = {}
    for row in access.rows:
        key = (row.permission_set, row.account_id)
        if key in wanted:
            found.setdefault(key, []).append(row)
    return tuple(
        sorted(
            Grant(
                key[0], key[1], rows[0].account_name, rows[0].ou_path, tuple(sorted({r.group for r in rows}))
            )
            for key, rows in found.items()
        )
    )


def compare(
    before: Sequence[Person], after: Sequence[Person], rules: GroupRules, rows: Iterable[AccessRow]
) -> JmlReport:
    grouped = rows_by_group(rows)
    old = {p.key: person_access(p, rules, grouped) for p in before}
    new = {p.key: person_access(p, rules, grouped) for p in after}
    changes: list[Change] = []
    unchanged = 0
    for key in sorted(old.keys() | new.keys()):
        was, now = old.get(key), new.get(key)
        was_active = was is not None and was.person.active
        now_active = now is not None and now.person.active
        kind: Kind | None = None
        if now_active and not was_active:
            kind = "joiner"
        elif was_active and not now_active:
            kind = "leaver"
        elif was_active and now_active and was is not None and now is not None and was.groups != now.groups:
            kind = "mover"
        if kind is None:
            unchanged += 1
            continue
        old_reach = was.reach() if was is not None else frozenset()
        new_reach = now.reach() if now is not None else frozenset()
        old_groups = was.groups if was is not None else frozenset()
        new_groups = now.groups if now is not None else frozenset()
        attributes: dict[str, tuple[Any, Any]] = {}
        if kind == "mover" and was is not None and now is not None:
            for name in sorted(was.person.profile.keys() | now.person.profile.keys()):
                a, b = was.person.profile.get(name), now.person.profile.get(name)
                if a != b:
                    attributes[name] = (a, b)
        login = (now or was).person.login  # type: ignore[union-attr]
        changes.append(
            Change(
                login=login,
                kind=kind,
                attributes=attributes,
                groups_joined=tuple(sorted(new_groups - old_groups)),
                groups_left=tuple(sorted(old_groups - new_groups)),
                gained=_grants(now, new_reach - old_reach),
                lost=_grants(was, old_reach - new_reach),
            )
        )
    summary = {
        "joiners": sum(c.kind == "joiner" for c in changes),
        "movers": sum(c.kind == "mover" for c in changes),
        "leavers": sum(c.kind == "leaver" for c in changes),
        "unchanged": unchanged,
        "grants_gained": sum(len(c.gained) for c in changes),
        "grants_lost": sum(len(c.lost) for c in changes),
    }
    return JmlReport(tuple(changes), unchanged, summary)


def summary_line(report: JmlReport) -> str:
    s = report.summary
    return (
        f"{s['joiners']} joiners, {s['movers']} movers, {s['leavers']} leavers, {s['unchanged']} unchanged; "
        f"{s['grants_gained']} grants gained, {s['grants_lost']} lost"
    )


def as_json(report: JmlReport) -> dict[str, Any]:
    return {
        "summary": report.summary,
        "changes": [
            {**asdict(c), "attributes": {k: list(v) for k, v in c.attributes.items()}} for c in report.changes
        ],
    }


def _grant_lines(sign: str, grants: Sequence[Grant]) -> list[str]:
    return [
        f"  {sign} {g.permission_set} on {g.account_name} ({g.account_id}, {g.ou_path}) "
        f"via {', '.join(g.groups)}"
        for g in grants
    ]


def render_text(report: JmlReport) -> str:
    lines: list[str] = []
    for change in report.changes:
        lines.append(f"{change.kind}: {change.login}")
        for name, (before, after) in change.attributes.items():
            lines.append(f"  {name}: {before!r} -> {after!r}")
        if change.groups_joined:
            lines.append(f"  joins {', '.join(change.groups_joined)}")
        if change.groups_left:
            lines.append(f"  leaves {', '.join(change.groups_left)}")
        lines.extend(_grant_lines("+", change.gained))
        lines.extend(_grant_lines("-", change.lost))
        if not change.gained and not change.lost:
            lines.append("  no change of AWS access")
    lines.append(summary_line(report))
    return "\n".join(lines)


def render(report: JmlReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(report), indent=2)
    return render_text(report)
