"""Who has what, and why, per person: HR record -> Okta groups (by rule) -> the group-level access rows.

Owns the person view of the access report. The group rules are the ones the program registered
(`okta.group.Rule` expression -> the Okta group it fills), evaluated by the Okta expression evaluator
over each person's HR record; a person's access is exactly the union of the group-level rows
(frontdoor/offline/report.py `access_rows`) of the groups their record puts them in. A terminated
person is deactivated in Okta, which removes them from every group: they reach nothing, and the
report says so. Rules are not evaluated over groups other rules fill (Okta warns against cascading
rules); `isMemberOf…` reads the groups the export lists for a person (its optional `groups` column).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.model.okta import default_abac_attributes
from frontdoor.domain.people.hr_export import HrExport, Person, load_export
from frontdoor.domain.people.okta_expression import parse
from frontdoor.domain.people.okta_expression_evaluation import Expression
from frontdoor.domain.people.okta_profile import profile_attributes
from frontdoor.offline.preview import resolve_inputs, run_preview
from frontdoor.offline.report import OKTA_GROUP, OKTA_RULE, AccessRow, access_rows

TERMINATED_NOTE = "terminated in HR: deactivated in Okta, removed from every group; reaches nothing"
NO_GROUP_NOTE = "active, but no group rule matches this record: reaches nothing"
PERSON_COLUMNS = (
    "login",
    "email",
    "hr_status",
    "worker_type",
    "group",
    "members_rule",
    "permission_set",
    "account_id",
    "account_name",
    "ou_path",
    "session_duration",
    "status",
    "expires",
    "ticket",
    "note",
)


@dataclass(frozen=True)
class Membership:
    group: str
    rule: str  # the members expression that matched


@dataclass(frozen=True)
class PersonAccess:
    person: Person
    memberships: tuple[Membership, ...]
    rows: tuple[AccessRow, ...]
    note: str  # why the person reaches nothing, or ""

    @property
    def groups(self) -> frozenset[str]:
        return frozenset(m.group for m in self.memberships)

    def reach(self) -> frozenset[tuple[str, str]]:
        """(permission set, account id) pairs: what the person can sign in to, whichever group gives it."""
        return frozenset((r.permission_set, r.account_id) for r in self.rows)


@dataclass(frozen=True)
class GroupRules:
    """The program's group rules, parsed once: group -> (expression text, evaluator)."""

    rules: tuple[tuple[str, str, Expression], ...]

    @classmethod
    def from_mapping(cls, rules: Mapping[str, str]) -> GroupRules:
        return cls(tuple((group, text, parse(text)) for group, text in sorted(rules.items())))

    def groups_for(self, person: Person) -> tuple[Membership, ...]:
        if not person.active:
            return ()
        profile, direct = person.profile, person.groups
        return tuple(Membership(g, text) for g, text, rule in self.rules if rule.evaluate(profile, direct))

    def attributes(self) -> frozenset[str]:
        return frozenset().union(*(rule.reads.attributes for _, _, rule in self.rules))


def rules_from_run(run: Any) -> dict[str, str]:
    """Okta group name -> the expression that fills it, from the registered resources.

    A group filled by several rules (the app's assignment group is spread over hash buckets,
    components/app_assignment.py) holds everyone any of them adds: their expressions joined by OR.
    """
    names = {r.id: str(r.inputs.get("name")) for r in run.by_type(OKTA_GROUP)}
    expressions: dict[str, list[tuple[str, str]]] = {}
    for rule in run.by_type(OKTA_RULE):
        for group_id in rule.inputs.get("groupAssignments") or []:
            name = names.get(str(group_id))
            if name is not None:
                text = str(rule.inputs.get("expressionValue", ""))
                expressions.setdefault(name, []).append((str(rule.inputs.get("name")), text))
    return {
        group: texts[0][1] if len(texts) == 1 else " OR ".join(f"({text})" for _, text in sorted(texts))
        for group, texts in expressions.items()
    }


def rows_by_group(rows: Iterable[AccessRow]) -> dict[str, list[AccessRow]]:
    grouped: dict[str, list[AccessRow]] = {}
    for row in rows:
        grouped.setdefault(row.group, []).append(row)
    return grouped


def person_access(
    person: Person, rules: GroupRules, grouped: Mapping[str, Sequence[AccessRow]]
) -> PersonAccess:
    memberships = rules.groups_for(person)
    rows = sorted({row for m in memberships for row in grouped.get(m.group, ())})
    note = ""
    if not person.active:
        note = TERMINATED_NOTE
    elif not rows:
        note = NO_GROUP_NOTE
    return PersonAccess(person, memberships, tuple(rows), note)


def people_access(
    people: Iterable[Person], rules: GroupRules, rows: Iterable[AccessRow]
) -> list[PersonAccess]:
    grouped = rows_by_group(rows)
    return [person_access(p, rules, grouped) for p in sorted(people, key=lambda p: p.key)]


def wanted_people(values: list[str] | None) -> list[str]:
    """`--person a --person b,c` -> [a, b, c]."""
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def select(export: HrExport, wanted: Sequence[str], source: str = "--person") -> list[Person]:
    """The people named by login or email; ConfigError (exit 2) naming every one not in the export."""
    found: list[Person] = []
    missing: list[ConfigIssue] = []
    for key in wanted:
        person = export.find(key)
        if person is None:
            missing.append(
                ConfigIssue(
                    export.source,
                    source,
                    key,
                    "no person with this login or email in the HR export",
                    "check the spelling, or pass the export that lists them with --people FILE",
                )
            )
        elif person not in found:
            found.append(person)
    if missing:
        raise ConfigError(missing)
    return found


def check_rule_attributes(rules: GroupRules, export: HrExport, known_profile: frozenset[str]) -> None:
    """Refuse rules reading an attribute neither the Okta profile nor the export's columns has."""
    known = known_profile | export.attributes
    issues = [
        ConfigIssue(
            export.source,
            f"rule of {group}",
            text,
            f"user.{name} is not an attribute of the Okta profile or a column of the HR export",
            "add the column to the export, or correct the rule",
        )
        for group, text, rule in rules.rules
        for name in sorted(rule.reads.attributes - known)
    ]
    if issues:
        raise ConfigError(issues)


# --- rendering -------------------------------------------------------------------------------------


def flat_rows(accesses: Sequence[PersonAccess]) -> list[dict[str, Any]]:
    """One row per (person, group, permission set, account); one row with the note for nobody-reach."""
    flat: list[dict[str, Any]] = []
    for access in accesses:
        person = access.person
        base = {
            "login": person.login,
            "email": person.email,
            "hr_status": person.status,
            "worker_type": person.worker_type,
        }
        rules = {m.group: m.rule for m in access.memberships}
        if not access.rows:
            flat.append({**dict.fromkeys(PERSON_COLUMNS), **base, "note": access.note})
            continue
        for row in access.rows:
            flat.append(
                {
                    **base,
                    "group": row.group,
                    "members_rule": rules.get(row.group, row.members_rule),
                    "permission_set": row.permission_set,
                    "account_id": row.account_id,
                    "account_name": row.account_name,
                    "ou_path": row.ou_path,
                    "session_duration": row.session_duration,
                    "status": row.status,
                    "expires": row.expires,
                    "ticket": row.ticket,
                    "note": "deferred: assigned on the next run after SCIM syncs the group"
                    if row.status == "deferred"
                    else (f"time-bound exception until {row.expires} ({row.ticket})" if row.expires else ""),
                }
            )
    return flat


def as_json(accesses: Sequence[PersonAccess], source: str) -> list[dict[str, Any]]:
    return [
        {
            "login": a.person.login,
            "email": a.person.email,
            "employee_number": a.person.employee_number,
            "hr_status": a.person.status,
            "worker_type": a.person.worker_type,
            "source": source,
            "groups": [asdict(m) for m in a.memberships],
            "access": [asdict(r) for r in a.rows],
            "reaches_nothing": not a.rows,
            "note": a.note,
        }
        for a in accesses
    ]


def _md_cell(value: Any) -> str:
    return str(value if value is not None else "").replace("|", "\\|")


def render_markdown(accesses: Sequence[PersonAccess], source: str) -> str:
    lines: list[str] = []
    for access in accesses:
        person = access.person
        lines.append(f"## {person.login}")
        lines.append("")
        lines.append(
            f"HR record (row {person.row} of {source}): {person.status}, {person.worker_type}, "
            f"employee id {person.employee_number}, "
            f"department {person.profile.get('department') or '-'}, "
            f"team {person.profile.get('team') or '-'}, "
            f"title {person.profile.get('title') or '-'}."
        )
        lines.append("")
        if access.note:
            lines.append(f"**{access.note}.**")
            lines.append("")
        if access.memberships:
            lines.append("| group | rule that matched |")
            lines.append("|---|---|")
            lines.extend(f"| {_md_cell(m.group)} | `{_md_cell(m.rule)}` |" for m in access.memberships)
            lines.append("")
        if access.rows:
            columns = ("permission_set", "account_id", "account_name", "ou_path", "session_duration", "group")
            lines.append("| " + " | ".join(columns) + " | notes |")
            lines.append("|" + "---|" * (len(columns) + 1))
            for row in access.rows:
                notes = []
                if row.status == "deferred":
                    notes.append("deferred until SCIM syncs the group")
                if row.expires:
                    notes.append(f"expires {row.expires}, ticket {row.ticket}")
                cells = [_md_cell(getattr(row, c)) for c in columns]
                lines.append("| " + " | ".join(cells) + f" | {'; '.join(notes)} |")
            accounts = len({r.account_id for r in access.rows})
            lines.append("")
            lines.append(f"{len(access.rows)} grants over {accounts} accounts.")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render(accesses: Sequence[PersonAccess], fmt: str, source: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(accesses, source), indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(PERSON_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat_rows(accesses))
        return buffer.getvalue()
    return render_markdown(accesses, source)


# --- the planning step the people commands share ---------------------------------------------------


@dataclass(frozen=True)
class PeoplePlan:
    rules: GroupRules
    rows: tuple[AccessRow, ...]
    export: HrExport


def export_path(explicit: str | None, config_values: Mapping[str, Any], config_file: Path) -> Path:
    """`--people FILE`, else the stack's `frontdoor:people.export`; ConfigError when neither is given."""
    if explicit:
        return Path(explicit)
    people = config_values.get("people")
    if isinstance(people, Mapping) and isinstance(people.get("export"), str):
        return Path(people["export"])
    raise ConfigError(
        [
            ConfigIssue(
                str(config_file),
                "frontdoor:people.export",
                None,
                "no HR export given",
                "pass --people FILE (CSV or JSON) or set frontdoor:people: {export: FILE} in the stack",
            )
        ]
    )


def plan_people(stack: str, estate: str | None, people_files: Sequence[str | None]) -> tuple[PeoplePlan, ...]:
    """Run the program once offline, then read each HR export (None: the stack's own)."""
    inputs = resolve_inputs(stack, None, None, Path(estate) if estate else None)
    values = read_stack_file(inputs.config_file)
    paths = [export_path(f, values, inputs.config_file) for f in people_files]
    exports = [load_export(p) for p in paths]  # bad exports stop before the program runs
    result = run_preview(inputs, evaluate_policies=False)
    rules = GroupRules.from_mapping(rules_from_run(result.run))
    okta = values.get("okta") if isinstance(values.get("okta"), Mapping) else {}
    sources = (okta or {}).get("abacAttributes") or default_abac_attributes()
    profile = profile_attributes(str(v) for v in sources.values())
    rows = tuple(access_rows(result.run, result.estate))
    plans = []
    for export in exports:
        check_rule_attributes(rules, export, profile)
        plans.append(PeoplePlan(rules, rows, export))
    return tuple(plans)
