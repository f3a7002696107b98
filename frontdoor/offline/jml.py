"""Joiners, movers and leavers between two HR exports, and the AWS access each gains and loses.

Owns the comparison of two person reports (frontdoor/offline/people_report.py) made with the same
rules and group-level rows. People are matched by their HR id (`frontdoor:people.idColumn`, by default
employeeNumber), not by login, so a rename is one person: a joiner is active now and was absent or
terminated before; a leaver was active and is now terminated or gone; a mover is active in both and
an attribute change moved them into or out of a group, or their login changed (the change is listed).
Values are compared as Okta holds them: `"Platform Engineer "` to `"Platform Engineer"` is a change.
Gained and lost access are differences of (permission set, account) pairs, so a grant that only
changes the group it comes through is neither gained nor lost. A leaver and a joiner with the same
login or email but different ids (a contractor hired as an employee gets a new id) are said to be so,
not guessed to be one person.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from frontdoor.domain.people.group_rules import GroupRules
from frontdoor.domain.people.hr_export import Person, identity_of
from frontdoor.offline.people_report import PersonAccess, person_access, rows_by_group
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
    employee_number: str = ""  # the HR id the two exports are matched by
    note: str = ""  # e.g. a leaver and a joiner who share a login under different ids


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
    old = {p.identity: person_access(p, rules, grouped) for p in before}
    new = {p.identity: person_access(p, rules, grouped) for p in after}
    changes: list[Change] = []
    unchanged = 0
    for key in sorted(old.keys() | new.keys(), key=lambda k: ((new.get(k) or old[k]).person.key, k)):
        was, now = old.get(key), new.get(key)
        was_active = was is not None and was.person.active
        now_active = now is not None and now.person.active
        kind: Kind | None = None
        if now_active and not was_active:
            kind = "joiner"
        elif was_active and not now_active:
            kind = "leaver"
        elif (
            was is not None
            and now is not None
            and was_active
            and now_active
            and (was.groups != now.groups or was.person.login != now.person.login)
        ):
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
        person = (now or was).person  # type: ignore[union-attr]
        changes.append(
            Change(
                login=person.login,
                kind=kind,
                attributes=attributes,
                groups_joined=tuple(sorted(new_groups - old_groups)),
                groups_left=tuple(sorted(old_groups - new_groups)),
                gained=_grants(now, new_reach - old_reach),
                lost=_grants(was, old_reach - new_reach),
                employee_number=person.employee_number,
            )
        )
    changes = _note_same_person_new_id(changes, before, after)
    summary = {
        "joiners": sum(c.kind == "joiner" for c in changes),
        "movers": sum(c.kind == "mover" for c in changes),
        "leavers": sum(c.kind == "leaver" for c in changes),
        "unchanged": unchanged,
        "grants_gained": sum(len(c.gained) for c in changes),
        "grants_lost": sum(len(c.lost) for c in changes),
    }
    return JmlReport(tuple(changes), unchanged, summary)


def _note_same_person_new_id(
    changes: list[Change], before: Sequence[Person], after: Sequence[Person]
) -> list[Change]:
    """A leaver and a joiner sharing a login or email under two ids: say so on both, match neither."""
    by_id = {
        "leaver": {p.identity: p for p in before},
        "joiner": {p.identity: p for p in after},
    }

    def names(change: Change) -> set[str]:
        person = by_id[change.kind].get(identity_of(change.employee_number))
        return set() if person is None else {person.login.lower(), person.email.lower()}

    noted: list[Change] = []
    for change in changes:
        if change.kind == "mover":
            noted.append(change)
            continue
        other = "joiner" if change.kind == "leaver" else "leaver"
        twins = sorted(c.employee_number for c in changes if c.kind == other and names(c) & names(change))
        if twins:
            note = (
                f"the same login or email is a {other} under {', '.join(twins)}: people are matched by "
                "their HR id, which changed (e.g. a contractor hired as an employee); if this is one "
                "person, the access above is what the new id gains or loses"
            )
            change = replace(change, note=note)
        noted.append(change)
    return noted


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
        lines.append(f"{change.kind}: {change.login} ({change.employee_number})")
        if change.note:
            lines.append(f"  note: {change.note}")
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
