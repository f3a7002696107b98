"""People as input: the HR export (CSV or JSON, Workday-style fields) read into validated records.

Owns the export's columns and how they become Okta profile attributes (the names group rules read:
`employeeNumber`, `costCenter`, `userType` …; Workday-style headers such as `Employee_ID`,
`Cost Center` or `Worker Type` are accepted and mapped), the per-row validation (every problem names
the file, the row, the column, the value and the fix; duplicate logins, emails and ids are refused).
The `frontdoor:people` stack setting that names the export is frontdoor/domain/model/people.py.

Values are read exactly as HR wrote them, never trimmed. Okta does not trim imported values: its
import of `' user@domain.com'` fails validation with the space still in it (support.okta.com "Cannot
Confirm Active Directory User to Okta Due to Email Format"), and a group rule's `==` is exact: "Group
rule expressions are not only case sensitive but also treat blank spaces as distinct characters"
(support.okta.com "Group Rule Expression Is Case Sensitive"). So a title `"Platform Engineer "` does
not match `user.title == "Platform Engineer"`, in Okta or here. Whitespace is trimmed only to look a
person up by login or email (`HrExport.find`) and to match a person across exports by id. Because
Okta refuses such an import, a login or email with surrounding whitespace is an error; a value with
whitespace a rule reads is a warning (`whitespace_issues`), an error under `--strict`.

An empty cell is null. Okta holds null for an attribute never set and `""` for one that was set and
cleared ("Check for null and blank attributes", developer.okta.com/docs/reference/okta-expression-
language): an export cannot tell the two apart, so a rule that decides differently for them is
reported by the people report (frontdoor/offline/people_report.py `ambiguous_empty_issues`).

JSON values must be strings (or null): every attribute of Okta's base user profile is a string (Okta
Users API, UserSchemaBaseProperties), and a JSON `true` or `{"code": …}` has no single string Okta
would store, so it is refused rather than turned into `"True"` or a Python repr. A list of strings is
an array attribute, accepted for custom attributes and the `groups` column only.

HR status is not a profile attribute: it drives the Okta lifecycle. A terminated person is
deactivated, Okta removes a deactivated user from every group and stops evaluating rules for them
(help.okta.com "About group rules": rules do not evaluate users in Pending or Inactive state), and
SCIM deprovisions them from Identity Center: a terminated person reaches nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontdoor.domain.base import strict_json
from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.base.input_files import read_text
from frontdoor.domain.base.spreadsheet import read_csv
from frontdoor.domain.people.okta_profile import OKTA_BASE_ATTRIBUTES

# Okta profile attribute each export column fills, in the order the demo export writes them.
COLUMNS = (
    "login",
    "email",
    "employeeNumber",
    "status",
    "firstName",
    "lastName",
    "department",
    "team",
    "title",
    "costCenter",
    "manager",
    "userType",
)
REQUIRED_COLUMNS = ("login", "email", "status", "userType")
DEFAULT_ID_COLUMN = "employeeNumber"  # the HR id people are matched by across exports (frontdoor:people)
# Optional: Okta groups assigned outside rules (names or ids), ";"-separated; an active person is a member
# of each (frontdoor/domain/people/group_rules.py).
GROUPS_COLUMN = "groups"
STATUSES = ("active", "terminated")
WORKER_TYPES = ("employee", "contractor")
MAX_EXPORT_BYTES = 50 * 1024 * 1024
MAX_ISSUES = 50
# Workday-style header (lowercased, without spaces, '_' and '-') -> the Okta attribute it maps to.
HEADER_ALIASES = {
    **{c.lower(): c for c in COLUMNS},
    "employeeid": "employeeNumber",
    "workerid": "employeeNumber",
    "workertype": "userType",
    "workerstatus": "status",
    "employmentstatus": "status",
    "workemail": "email",
    "username": "login",
    "legalfirstname": "firstName",
    "legallastname": "lastName",
    "jobtitle": "title",
    "businesstitle": "title",
    "managerlogin": "manager",
    GROUPS_COLUMN: GROUPS_COLUMN,
}
_CUSTOM_COLUMN_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Characters a person cannot see that make two values differ: zero-width ones (str.isspace() is false
# for them, so str.strip() keeps them) besides every whitespace character.
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
JSON_VALUE_FIX = 'write it as a JSON string, e.g. "1234"; a list of strings for an array attribute'
JSON_SHAPE = 'write a list of flat objects, [{"login": ..., "email": ..., ...}, ...]'
OKTA_KEEPS_IT = (
    'Okta keeps imported values as written and compares them exactly (support.okta.com "Group Rule '
    'Expression Is Case Sensitive": "treat blank spaces as distinct characters")'
)

Value = str | tuple[str, ...] | None


@dataclass(frozen=True)
class Person:
    """One HR record: identity, lifecycle status, and the profile attributes rules read."""

    login: str
    email: str
    employee_number: str  # the value of the id column (frontdoor:people.idColumn)
    status: str  # "active" | "terminated"
    worker_type: str  # "employee" | "contractor"
    profile: Mapping[str, Value]  # Okta attribute -> value as written (None when empty); no `status`
    groups: frozenset[str] = frozenset()
    row: int = 0

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def key(self) -> str:
        """Okta logins are case-insensitive: the person's login as Okta compares it."""
        return self.login.lower()

    @property
    def identity(self) -> str:
        """The person across exports (jml): their HR id, as `identity_of` matches it."""
        return identity_of(self.employee_number)


def identity_of(id_value: str) -> str:
    """An HR id as people are matched by it: trimmed and case-folded (a lookup, not a rule's value)."""
    return id_value.strip().lower()


@dataclass(frozen=True)
class HrExport:
    source: str
    attributes: frozenset[str]  # the profile attributes its columns fill
    people: tuple[Person, ...]
    _index: Mapping[str, Person] = field(default_factory=dict, repr=False, compare=False)
    columns: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)  # attribute -> header
    id_column: str = DEFAULT_ID_COLUMN

    def find(self, login_or_email: str) -> Person | None:
        return self._index.get(login_or_email.strip().lower())

    def column(self, attribute: str) -> str:
        """The export's header that fills `attribute` (a Workday name such as `Cost Center`)."""
        return self.columns.get(attribute, attribute)


def describe_whitespace(value: str) -> str | None:
    """What invisible difference `value` carries, in words, or None: surrounding whitespace (a space,
    a tab, a non-breaking space …), a whitespace other than a plain space inside it, or a zero-width
    character anywhere."""

    def name(char: str) -> str:
        return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"

    def odd(char: str) -> bool:
        return char.isspace() or char in _ZERO_WIDTH

    if value and all(odd(c) for c in value):
        return "only whitespace (" + ", ".join(sorted({name(c) for c in value})) + ")"
    found: list[str] = []
    if value and odd(value[0]):
        found.append(f"a leading {name(value[0])}")
    if value and odd(value[-1]):
        found.append(f"a trailing {name(value[-1])}")
    for index, char in enumerate(value[1:-1], start=2):
        if (char.isspace() and char != " ") or char in _ZERO_WIDTH:
            found.append(f"{name(char)} at character {index}")
    return ", ".join(found) or None


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).lower()


def map_columns(
    header: Sequence[str], source: str, id_column: str = DEFAULT_ID_COLUMN
) -> tuple[dict[str, str], list[ConfigIssue]]:
    """Export header -> profile attribute; issues for unusable, duplicate or missing columns."""
    mapping: dict[str, str] = {}
    issues: list[ConfigIssue] = []
    seen: dict[str, str] = {}
    for column in header:
        name = HEADER_ALIASES.get(_normalise_header(column))
        if name is None:
            if not _CUSTOM_COLUMN_RE.match(column):
                issues.append(
                    ConfigIssue(
                        source,
                        "(header)",
                        column,
                        "a custom column must be a valid Okta attribute name",
                        "rename it to letters, digits and '_' starting with a letter (e.g. workLocation)",
                    )
                )
                continue
            name = column
        if name in seen:
            issues.append(
                ConfigIssue(
                    source,
                    "(header)",
                    column,
                    f"column {column!r} fills {name}, already filled by column {seen[name]!r}",
                    "keep one of the two columns",
                )
            )
            continue
        seen[name] = column
        mapping[column] = name
    for required in (*REQUIRED_COLUMNS[:2], id_column, *REQUIRED_COLUMNS[2:]):
        if required not in seen:
            why = "" if required != id_column else " (frontdoor:people.idColumn: people are matched by it)"
            issues.append(
                ConfigIssue(
                    source,
                    "(header)",
                    ",".join(header),
                    f"the export has no {required} column" + (why if id_column != DEFAULT_ID_COLUMN else ""),
                    f"add the {required} column (README: People)",
                )
            )
    return mapping, issues


def _json_records(text: str, source: str) -> tuple[list[str], list[Mapping[str, Any]]]:
    document = strict_json.loads(text, source, JSON_SHAPE)
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    "(file)",
                    type(document).__name__,
                    "a JSON HR export must be a list of objects, one per person",
                    'write [{"login": ..., "email": ..., ...}, ...]',
                )
            ]
        )
    header = list(dict.fromkeys(str(key) for item in document for key in item))
    return header, document


def _read(path: Path, *, header_only: bool = False) -> tuple[list[str], list[Mapping[str, Any]]]:
    source = str(path)
    text = read_text(path, "HR export", MAX_EXPORT_BYTES, "export only the fields the rules read")
    if not text.strip():
        raise ConfigError(
            [ConfigIssue(source, "(file)", "", "HR export is empty", "export at least a header")]
        )
    if path.suffix.lower() == ".json":
        return _json_records(text, source)
    table = read_csv(text, source, header_only=header_only)
    return list(table.header), list(table.rows)


def export_attributes(path: Path, id_column: str = DEFAULT_ID_COLUMN) -> frozenset[str]:
    """The profile attributes an export's columns fill (a CSV's header only: validation runs on every
    preview); ConfigError if the file cannot be read or its header is unusable."""
    header, _ = _read(path, header_only=True)
    mapping, issues = map_columns(header, str(path), id_column)
    if issues:
        raise ConfigError(issues)
    return frozenset(mapping.values()) - {GROUPS_COLUMN, "status"}


_JSON_TYPE = {bool: "true/false", int: "number", float: "number", dict: "object", list: "list"}


def _cell(value: Any, attribute: str, id_column: str) -> tuple[Value, str | None]:
    """(the profile value, the problem if Okta could not hold it): strings as written, "" as null."""
    if value is None:
        return None, None
    if isinstance(value, str):
        return (value or None), None
    strings_only = attribute in OKTA_BASE_ATTRIBUTES or attribute in (*REQUIRED_COLUMNS, id_column)
    if isinstance(value, list) and not strings_only:
        if all(isinstance(item, str) for item in value):
            return tuple(value), None
        return None, "a list holding a non-string: an array attribute holds strings"
    kind = _JSON_TYPE.get(type(value), type(value).__name__)
    if strings_only:
        return None, f"a JSON {kind} where Okta's profile holds a string ({attribute} is a string attribute)"
    return None, f"a JSON {kind}: frontdoor reads HR values as Okta's string (or string array) attributes"


def _value_problems(values: Mapping[str, Value], id_column: str) -> list[tuple[str, str, str]]:
    """(attribute, problem, fix) for each value of one row Okta or the lifecycle cannot use."""
    problems: list[tuple[str, str, str]] = []
    for required in (*REQUIRED_COLUMNS[:2], id_column, *REQUIRED_COLUMNS[2:]):
        if values.get(required) is None:
            problems.append((required, f"{required} is empty", f"fill {required} for every person"))
    for name, such in (("login", "such a login"), ("email", "such an email")):
        value = values.get(name)
        if isinstance(value, str) and value != value.strip():
            problems.append(
                (
                    name,
                    f"the {name} has {describe_whitespace(value)}: Okta refuses {such} on import "
                    '(support.okta.com "Cannot Confirm Active Directory User to Okta Due to Email Format": '
                    f'"{name} field failed validation", doesNotMatchPattern)',
                    f"remove the whitespace from the {name} in HR",
                )
            )
    email = values.get("email")
    if isinstance(email, str) and email == email.strip() and not _EMAIL_RE.match(email):
        problems.append(("email", "not an email address", "write it as name@example.com"))
    for name, allowed, what in (("status", STATUSES, "HR status"), ("userType", WORKER_TYPES, "worker type")):
        value = values.get(name)
        if not isinstance(value, str) or value in allowed:
            continue
        if value.strip() in allowed:
            problems.append(
                (
                    name,
                    f"{what} {value.strip()!r} with {describe_whitespace(value)}: {OKTA_KEEPS_IT}",
                    f"remove the whitespace in HR; use exactly one of {', '.join(allowed)}",
                )
            )
        else:
            problems.append((name, f"unknown {what}", f"use one of {', '.join(allowed)}"))
    return problems


def parse_people(
    header: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    source: str,
    id_column: str = DEFAULT_ID_COLUMN,
) -> HrExport:
    """Validate every row; ConfigError lists each problem (file, row, column, value, fix)."""
    mapping, issues = map_columns(header, source, id_column)
    if issues:
        raise ConfigError(issues)
    column_of = {name: column for column, name in mapping.items()}
    people: list[Person] = []
    first_row: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(rows, start=1):
        values: dict[str, Value] = {}
        typed: dict[str, tuple[Any, str]] = {}  # attribute -> (JSON value, why Okta cannot hold it)
        for column, cell in raw.items():
            if column in mapping:
                values[mapping[column]], problem = _cell(cell, mapping[column], id_column)
                if problem is not None:
                    typed[mapping[column]] = (cell, problem)
        found = [(name, cell, problem, JSON_VALUE_FIX) for name, (cell, problem) in typed.items()]
        found += [
            (n, values.get(n), p, f) for n, p, f in _value_problems(values, id_column) if n not in typed
        ]
        for unique in ("login", "email", id_column):
            value = values.get(unique)
            if isinstance(value, str):
                previous = first_row.setdefault((unique, value.strip().lower()), number)
                if previous != number:
                    found.append(
                        (
                            unique,
                            value,
                            f"duplicate {unique}: row {previous} has the same",
                            f"each person appears once; merge or correct rows {previous} and {number}",
                        )
                    )
        issues += [
            ConfigIssue(source, f"row {number}, column {column_of.get(name, name)}", value, problem, fix)
            for name, value, problem, fix in found
        ]
        if len(issues) >= MAX_ISSUES:
            break
        if issues:
            continue
        group_cell = values.pop(GROUPS_COLUMN, None)
        groups = (
            frozenset(group_cell)
            if isinstance(group_cell, tuple)
            else frozenset(g.strip() for g in (group_cell or "").split(";") if g.strip())
        )
        profile = {name: value for name, value in values.items() if name != "status"}
        people.append(
            Person(
                login=str(values["login"]),
                email=str(values["email"]),
                employee_number=str(values[id_column]),
                status=str(values["status"]),
                worker_type=str(values["userType"]),
                profile=profile,
                groups=groups,
                row=number,
            )
        )
    if issues:
        raise ConfigError(issues[:MAX_ISSUES])
    index: dict[str, Person] = {}
    for person in people:
        index[person.email.lower()] = person
    for person in people:  # a login wins over another person's email of the same text
        index[person.login.lower()] = person
    attributes = frozenset(mapping.values()) - {GROUPS_COLUMN, "status"}
    return HrExport(source, attributes, tuple(people), index, column_of, id_column)


def load_export(path: Path, id_column: str = DEFAULT_ID_COLUMN) -> HrExport:
    """Read and validate a CSV (header row) or JSON (list of objects) HR export."""
    header, rows = _read(path)
    return parse_people(header, rows, str(path), id_column)


def whitespace_issues(export: HrExport, readers: Mapping[str, Sequence[str]]) -> list[ConfigIssue]:
    """One warning per cell a rule reads whose value carries whitespace or a zero-width character.

    `readers`: attribute -> the groups whose rules read it. The value is evaluated as written (Okta
    keeps it), so each of those rules compares it exactly, which a reader of the export cannot see.
    """
    found: list[ConfigIssue] = []
    for person in export.people:
        for attribute in sorted(person.profile):
            value = person.profile[attribute]
            groups = readers.get(attribute)
            if not groups:
                continue
            for text in (value,) if isinstance(value, str) else (value or ()):
                described = describe_whitespace(text)
                if described is None:
                    continue
                found.append(
                    ConfigIssue(
                        export.source,
                        f"row {person.row}, column {export.column(attribute)}",
                        text,
                        f"the value has {described}; {OKTA_KEEPS_IT}, so the rules of "
                        f"{', '.join(sorted(groups))} compare user.{attribute} with it as written",
                        "remove the whitespace in HR (frontdoor evaluates the value as Okta holds it)",
                    )
                )
    return found
