"""People as input: the HR export (CSV or JSON, Workday-style fields) read into validated records.

Owns the export's columns and how they become Okta profile attributes (the names group rules read:
`employeeNumber`, `costCenter`, `userType` …; Workday-style headers such as `Employee_ID`,
`Cost Center` or `Worker Type` are accepted and mapped), the per-row validation (every problem names
the file, the row, the column, the value and the fix; duplicate logins, emails and employee ids are
refused). The `frontdoor:people` stack setting that names the export is frontdoor/domain/model/people.py.

HR status is not a profile attribute: it drives the Okta lifecycle. A terminated person is
deactivated, Okta removes a deactivated user from every group and stops evaluating rules for them
(help.okta.com "About group rules": rules do not evaluate users in Pending or Inactive state), and
SCIM deprovisions them from Identity Center: a terminated person reaches nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontdoor.domain.base.errors import ConfigError, ConfigIssue

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
REQUIRED_COLUMNS = ("login", "email", "employeeNumber", "status", "userType")
GROUPS_COLUMN = "groups"  # optional: Okta groups assigned outside rules (names or ids), ";"-separated
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


Value = str | tuple[str, ...] | None


@dataclass(frozen=True)
class Person:
    """One HR record: identity, lifecycle status, and the profile attributes rules read."""

    login: str
    email: str
    employee_number: str
    status: str  # "active" | "terminated"
    worker_type: str  # "employee" | "contractor"
    profile: Mapping[str, Value]  # Okta attribute -> value (None when empty); no `status`
    groups: frozenset[str] = frozenset()
    row: int = 0

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def key(self) -> str:
        """Okta logins are case-insensitive: the person's identity across exports."""
        return self.login.lower()


@dataclass(frozen=True)
class HrExport:
    source: str
    attributes: frozenset[str]  # the profile attributes its columns fill
    people: tuple[Person, ...]
    _index: Mapping[str, Person] = field(default_factory=dict, repr=False, compare=False)

    def find(self, login_or_email: str) -> Person | None:
        return self._index.get(login_or_email.strip().lower())


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).lower()


def map_columns(header: Sequence[str], source: str) -> tuple[dict[str, str], list[ConfigIssue]]:
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
    for required in REQUIRED_COLUMNS:
        if required not in seen:
            issues.append(
                ConfigIssue(
                    source,
                    "(header)",
                    ",".join(header),
                    f"the export has no {required} column",
                    f"add the {required} column (README: People)",
                )
            )
    return mapping, issues


def _rows(path: Path, source: str) -> tuple[list[str], list[Mapping[str, Any]]]:
    if not path.is_file():
        raise ConfigError(
            [ConfigIssue(source, "(file)", str(path), "HR export file not found", "check the path")]
        )
    if path.stat().st_size > MAX_EXPORT_BYTES:
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    "(file)",
                    f"{path.stat().st_size} bytes",
                    f"HR export is larger than {MAX_EXPORT_BYTES} bytes",
                    "export only the fields the rules read",
                )
            ]
        )
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if not text.strip():
        raise ConfigError(
            [ConfigIssue(source, "(file)", "", "HR export is empty", "export at least a header")]
        )
    if path.suffix.lower() == ".json":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ConfigError(
                [
                    ConfigIssue(
                        source,
                        f"line {error.lineno}, column {error.colno}",
                        text.splitlines()[error.lineno - 1] if text.splitlines() else "",
                        f"JSON syntax error: {error.msg}",
                        "fix the JSON at that position",
                    )
                ]
            ) from None
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
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def export_attributes(path: Path) -> frozenset[str]:
    """The profile attributes an export's columns fill (its header only); ConfigError if unreadable."""
    if path.suffix.lower() != ".json" and path.is_file() and path.stat().st_size:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            header = next(csv.reader(handle), [])  # the header row only: validation runs on every preview
    else:
        header, _ = _rows(path, str(path))
    mapping, issues = map_columns(header, str(path))
    if issues:
        raise ConfigError(issues)
    return frozenset(mapping.values()) - {GROUPS_COLUMN, "status"}


def _cell(value: Any) -> Value:
    if value is None:
        return None
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    text = str(value).strip()
    return text or None


def parse_people(header: Sequence[str], rows: Iterable[Mapping[str, Any]], source: str) -> HrExport:
    """Validate every row; ConfigError lists each problem (file, row, column, value, fix)."""
    mapping, issues = map_columns(header, source)
    if issues:
        raise ConfigError(issues)
    column_of = {name: column for column, name in mapping.items()}
    people: list[Person] = []
    first_row: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(rows, start=1):
        values = {mapping[c]: _cell(v) for c, v in raw.items() if c in mapping}

        def issue(
            name: str, problem: str, fix: str, row: int = number, values: dict[str, Value] = values
        ) -> None:
            issues.append(
                ConfigIssue(
                    source, f"row {row}, column {column_of.get(name, name)}", values.get(name), problem, fix
                )
            )

        for required in REQUIRED_COLUMNS:
            if not isinstance(values.get(required), str):
                issue(required, f"{required} is empty", f"fill {required} for every person")
        login, email = values.get("login"), values.get("email")
        if isinstance(email, str) and not _EMAIL_RE.match(email):
            issue("email", "not an email address", "write it as name@example.com")
        status, worker_type = values.get("status"), values.get("userType")
        if isinstance(status, str) and status not in STATUSES:
            issue("status", "unknown HR status", f"use one of {', '.join(STATUSES)}")
        if isinstance(worker_type, str) and worker_type not in WORKER_TYPES:
            issue("userType", "unknown worker type", f"use one of {', '.join(WORKER_TYPES)}")
        for unique in ("login", "email", "employeeNumber"):
            value = values.get(unique)
            if isinstance(value, str):
                previous = first_row.setdefault((unique, value.lower()), number)
                if previous != number:
                    issue(
                        unique,
                        f"duplicate {unique}: row {previous} has the same",
                        f"each person appears once; merge or correct rows {previous} and {number}",
                    )
        if len(issues) >= MAX_ISSUES:
            break
        if not all(isinstance(values.get(c), str) for c in REQUIRED_COLUMNS):
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
                login=str(login),
                email=str(email),
                employee_number=str(values["employeeNumber"]),
                status=str(status),
                worker_type=str(worker_type),
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
    return HrExport(source, attributes, tuple(people), index)


def load_export(path: Path) -> HrExport:
    """Read and validate a CSV (header row) or JSON (list of objects) HR export."""
    header, rows = _rows(path, str(path))
    return parse_people(header, rows, str(path))
