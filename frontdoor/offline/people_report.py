"""Who has what, and why, per person: HR record -> Okta groups (by rule) -> the group-level access rows.

Owns the person view of the access report. The group rules are the ones the program registered
(`okta.group.Rule` expression -> the Okta group it fills), evaluated by the Okta expression evaluator
over each person's HR record; a person's access is exactly the union of the group-level rows
(frontdoor/offline/report.py `access_rows`) of the groups their record puts them in. A terminated
person is deactivated in Okta, which removes them from every group: they reach nothing, and the
report says so. How the rules are evaluated over a record is frontdoor/domain/people/group_rules.py;
`isMemberOf…` reads the groups the export lists for a person (its optional `groups` column).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.base.spreadsheet import write_csv
from frontdoor.domain.config.files import read_stack_file, stack_relative_path
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.model.people import PeopleConfig, privileged_worker_types
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.people.group_rules import GroupRules, Membership
from frontdoor.domain.people.hr_export import (
    DEFAULT_ID_COLUMN,
    HrExport,
    Person,
    describe_whitespace,
    load_export,
    whitespace_issues,
)
from frontdoor.domain.people.okta_profile import profile_attributes
from frontdoor.domain.people.privileged_access import PrivilegedReach, privileged_reach
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
    "people_policy",
)
EMPTY_IS_AMBIGUOUS = (
    'Okta holds null for an attribute never set and "" for one set and then cleared '
    '(developer.okta.com/docs/reference/okta-expression-language, "Check for null and blank attributes"); '
    "an empty cell cannot say which"
)


@dataclass(frozen=True)
class PersonAccess:
    person: Person
    memberships: tuple[Membership, ...]
    rows: tuple[AccessRow, ...]
    note: str  # why the person reaches nothing, or ""
    privileged: tuple[PrivilegedReach, ...] = ()  # the privileged sets reached (people policy)

    @property
    def groups(self) -> frozenset[str]:
        return frozenset(m.group for m in self.memberships)

    def reach(self) -> frozenset[tuple[str, str]]:
        """(permission set, account id) pairs: what the person can sign in to, whichever group gives it."""
        return frozenset((r.permission_set, r.account_id) for r in self.rows)


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
    person: Person,
    rules: GroupRules,
    grouped: Mapping[str, Sequence[AccessRow]],
    privileged: Mapping[str, Sequence[str]] | None = None,
) -> PersonAccess:
    """`privileged`: permission set -> worker types allowed (the people policy); None: not judged."""
    memberships = rules.groups_for(person)
    rows = sorted({row for m in memberships for row in grouped.get(m.group, ())})
    note = ""
    if not person.active:
        note = TERMINATED_NOTE
    elif not rows:
        note = NO_GROUP_NOTE
    reach = privileged_reach(
        person.worker_type, ((r.permission_set, r.account_id) for r in rows), privileged or {}
    )
    return PersonAccess(person, memberships, tuple(rows), note, reach)


def people_access(
    people: Iterable[Person],
    rules: GroupRules,
    rows: Iterable[AccessRow],
    privileged: Mapping[str, Sequence[str]] | None = None,
) -> list[PersonAccess]:
    grouped = rows_by_group(rows)
    return [person_access(p, rules, grouped, privileged) for p in sorted(people, key=lambda p: p.key)]


@dataclass(frozen=True)
class AmbiguousEmpty:
    """An active person's empty cells that one rule decides differently as null and as ""."""

    person: Person
    group: str
    rule: str
    attributes: tuple[str, ...]


def ambiguous_empty_cells(export: HrExport, rules: GroupRules) -> list[AmbiguousEmpty]:
    """Each (active person, rule) whose outcome depends on whether the empty cells the rule reads are
    null or "" in Okta (every combination tried): the report reads them as null, Okta may hold either."""
    found: list[AmbiguousEmpty] = []
    for person in export.people:
        if not person.active:
            continue
        empty = sorted(
            name for name in export.attributes if name in person.profile and person.profile[name] is None
        )
        if not empty:
            continue
        for group, text, rule in rules.rules:
            read = [name for name in empty if name in rule.reads.attributes]
            if not read:
                continue
            outcomes = set()
            for fill in itertools.product((None, ""), repeat=len(read)):
                profile = {**person.profile, **dict(zip(read, fill, strict=True))}
                outcomes.add(rule.evaluate(profile, person.groups))
            if len(outcomes) > 1:
                found.append(AmbiguousEmpty(person, group, text, tuple(read)))
    return found


def ambiguous_empty_issues(export: HrExport, rules: GroupRules) -> list[ConfigIssue]:
    """`ambiguous_empty_cells` as warnings naming the row, the columns and the rule."""
    return [
        ConfigIssue(
            export.source,
            f"row {cell.person.row}, column {', '.join(export.column(name) for name in cell.attributes)}",
            "",
            f"empty; {EMPTY_IS_AMBIGUOUS}, and the rule of {cell.group} ({cell.rule}) decides differently "
            "for the two; this report reads it as null",
            'write the rule to decide the same for both (e.g. user.x == null OR user.x == ""), '
            "or fill the cell in HR",
        )
        for cell in ambiguous_empty_cells(export, rules)
    ]


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
        policy = {p.permission_set: p for p in access.privileged}
        if not access.rows:
            flat.append({**dict.fromkeys(PERSON_COLUMNS), **base, "note": access.note})
            continue
        for row in access.rows:
            judged = policy.get(row.permission_set)
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
                    "people_policy": "" if judged is None else _policy_cell(judged),
                }
            )
    return flat


def _policy_cell(judged: PrivilegedReach) -> str:
    allowed = ", ".join(judged.allowed)
    if judged.permitted:
        return f"privileged: allowed for {allowed}"
    return f"violation: {judged.permission_set} is for {allowed} only, this person is a {judged.worker_type}"


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
            "privileged_access": [
                {
                    "permission_set": p.permission_set,
                    "accounts": p.accounts,
                    "allowed_worker_types": list(p.allowed),
                    "permitted": p.permitted,
                }
                for p in a.privileged
            ],
        }
        for a in accesses
    ]


def _md_cell(value: Any) -> str:
    return str(value if value is not None else "").replace("|", "\\|")


def shown(value: Any) -> str:
    """An HR value for a reader: as written, quoted when it carries whitespace a reader cannot see."""
    if value is None or value == "":
        return "-"
    if isinstance(value, str) and describe_whitespace(value) is not None:
        return repr(value)
    return str(value)


def render_markdown(accesses: Sequence[PersonAccess], source: str) -> str:
    lines: list[str] = []
    for access in accesses:
        person = access.person
        lines.append(f"## {person.login}")
        lines.append("")
        lines.append(
            f"HR record (row {person.row} of {source}): {person.status}, {person.worker_type}, "
            f"employee id {person.employee_number}, "
            f"department {shown(person.profile.get('department'))}, "
            f"team {shown(person.profile.get('team'))}, "
            f"title {shown(person.profile.get('title'))}."
        )
        lines.append("")
        if access.note:
            lines.append(f"**{access.note}.**")
            lines.append("")
        for judged in access.privileged:
            lines.append(f"**{judged.sentence()}.**" if not judged.permitted else f"{judged.sentence()}.")
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
        return write_csv(PERSON_COLUMNS, flat_rows(accesses))
    return render_markdown(accesses, source)


# --- the planning step the people commands share ---------------------------------------------------


@dataclass(frozen=True)
class PeoplePlan:
    rules: GroupRules
    rows: tuple[AccessRow, ...]
    export: HrExport
    # Cells Okta reads differently from how a reader of the export would: whitespace a rule compares,
    # empty cells a rule tells apart (null or ""). Warnings, or errors under --strict.
    warnings: tuple[ConfigIssue, ...] = ()
    privileged: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # the people policy
    permission_sets: frozenset[str] = frozenset()  # the stack's catalogue
    accounts: Mapping[str, str] = field(
        default_factory=dict
    )  # account id -> name, every account of the estate
    config_file: str = ""


def export_path(explicit: str | None, people: PeopleConfig | None, config_file: Path) -> Path:
    """`--people FILE`, else the stack's `frontdoor:people.export` (relative to the stack file's project);
    ConfigError when neither is given."""
    if explicit:
        return Path(explicit)
    if people is not None:
        return stack_relative_path(config_file, people.export)
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


def stack_config(config_file: Path) -> StackConfig:
    """The stack file, validated (ConfigError otherwise): the people commands read its people settings
    and catalogue before the program runs."""
    return parse_stack_config(read_stack_file(config_file), str(config_file))


def plan_people(
    stack: str,
    estate: str | None,
    people_files: Sequence[str | None],
    *,
    config: str | None = None,
    strict: bool = False,
    guarded_sets: tuple[str, Sequence[str]] = ("", ()),
) -> tuple[PeoplePlan, ...]:
    """Run the program once offline (with the `--config`/`--estate` given), then read each HR export
    (None: the stack's own). `strict`: the warnings are errors (ConfigError). `guarded_sets`: (option,
    names) that must be permission sets of the catalogue, checked before anything runs."""
    inputs = resolve_inputs(stack, None, Path(config) if config else None, Path(estate) if estate else None)
    parsed = stack_config(inputs.config_file)
    option, names = guarded_sets
    unknown = [
        ConfigIssue(
            str(inputs.config_file),
            option,
            name,
            "not a permission set of the stack's catalogue (frontdoor:permissionSets): a guard on it "
            "would never fire",
            f"use one of {', '.join(sorted(parsed.permission_sets))}",
        )
        for name in names
        if name not in parsed.permission_sets
    ]
    if unknown:
        raise ConfigError(unknown)
    id_column = parsed.people.id_column if parsed.people is not None else DEFAULT_ID_COLUMN
    paths = [export_path(f, parsed.people, inputs.config_file) for f in people_files]
    exports = [load_export(p, id_column) for p in paths]  # bad exports stop before the program runs
    result = run_preview(inputs, evaluate_policies=False)
    rules = GroupRules.from_mapping(rules_from_run(result.run))
    profile = profile_attributes(parsed.okta.abac_attributes.values())
    rows = tuple(access_rows(result.run, result.estate))
    privileged = privileged_worker_types(
        parsed.people, {name: ps.tier for name, ps in parsed.permission_sets.items()}
    )
    accounts = {account.id: account.name for account in result.estate.snapshot().accounts}
    plans = []
    for export in exports:
        check_rule_attributes(rules, export, profile)
        warnings = (*whitespace_issues(export, rules.readers()), *ambiguous_empty_issues(export, rules))
        if strict and warnings:
            raise ConfigError(warnings)
        plans.append(
            PeoplePlan(
                rules,
                rows,
                export,
                warnings,
                privileged,
                frozenset(parsed.permission_sets),
                accounts,
                str(inputs.config_file),
            )
        )
    return tuple(plans)


def warning_lines(plans: Iterable[PeoplePlan]) -> list[str]:
    """The plans' warnings as stderr lines (`--strict` turns them into errors, exit 2)."""
    return [f"warning: {issue.render()}" for plan in plans for issue in plan.warnings]
