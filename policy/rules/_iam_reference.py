"""What the IAM Service Authorization Reference says about an action: its access level, the resource
types (ARN formats) it authorizes against, and whether it takes a request tag.

The data is `_iam_actions.json` beside this file, generated from parliament's `iam_definition.json`
(frontdoor/offline/pack_iam_actions.py, `make pack-contracts`): the pack cannot import parliament,
a dev-only dependency of the program. Loaded once per pack process, on first use.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_TABLE = Path(__file__).resolve().parent / "_iam_actions.json"


@dataclass(frozen=True)
class IamAction:
    service: str
    name: str
    levels: str  # the reference's access levels, by initial: L(ist) R(ead) W(rite) T(agging) P(ermissions)
    arn_formats: tuple[str, ...]  # of the resource types it authorizes against; () = no resource-level
    takes_request_tag: bool  # it accepts aws:RequestTag/${TagKey}

    @property
    def full_name(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def list_only(self) -> bool:
        return self.levels == "L"

    @property
    def level_names(self) -> str:
        names = {"L": "List", "R": "Read", "W": "Write", "T": "Tagging", "P": "Permissions management"}
        return "/".join(names[level] for level in self.levels)


@functools.cache
def _table() -> dict[str, Any]:
    return json.loads(_TABLE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def source() -> str:
    """Where the table comes from, for messages."""
    return str(_table()["source"])


@functools.cache
def _service_actions(service: str) -> tuple[IamAction, ...]:
    entry = _table()["services"][service]
    resources: dict[str, list[str]] = entry["resources"]
    actions = []
    for name, value in entry["actions"].items():
        types: list[str] = value[1] if len(value) > 1 else []
        formats = tuple(f for t in types for f in resources.get(t, []))
        actions.append(IamAction(service, name, value[0], formats, len(value) > 2 and bool(value[2])))
    return tuple(actions)


def expand(pattern: str) -> list[IamAction]:
    """The actions an Action element's pattern names (IAM matches action names without regard to case,
    with * and ?); [] when the reference lists none: an unknown action, service or misspelling."""
    service_pattern, _, name_pattern = pattern.lower().partition(":")
    if pattern == "*":
        service_pattern, name_pattern = "*", "*"
    elif not name_pattern:
        return []
    return [
        action
        for service in sorted(_table()["services"])
        if fnmatch.fnmatchcase(service, service_pattern)
        for action in _service_actions(service)
        if fnmatch.fnmatchcase(action.name.lower(), name_pattern)
    ]


def covers_another_teams_resources(pattern: str, action: IamAction) -> bool:
    """Whether a Resource element's pattern can match resources of the action that another team may own:
    "*", or an ARN pattern that, for some resource type of the action, leaves the account or the
    resource's own name open (a wildcard in the account field, or in the name that follows the type's
    fixed prefix: `table/*`, `*/*`, `instance/*`, `*`). A pattern that names the resource (a literal
    name in a literal account, or in a service whose ARNs carry no account, like S3 buckets) does not:
    it is one resource, the same for every team the set serves, written into the set on purpose.
    A pattern that is not an ARN is treated as "*" (fail closed)."""
    if pattern == "*":
        return True
    fields = pattern.split(":", 5)
    if len(fields) < 6 or fields[0] != "arn":
        return True
    _, _, service, _, account, resource = fields
    for arn_format in action.arn_formats:
        format_fields = arn_format.split(":", 5)
        if len(format_fields) < 6 or not fnmatch.fnmatchcase(format_fields[2], service.lower() or "-"):
            continue
        format_account, format_resource = format_fields[4], format_fields[5]
        if bool(format_account) != bool(account) and not _wild(account):
            continue  # an account where the type has none, or none where it has one: no match
        name_open = _name_open(resource, format_resource)
        if name_open is None:
            continue  # another resource type
        if name_open or (format_account and _wild(account)):
            return True
    return False


def _wild(text: str) -> bool:
    return "*" in text or "?" in text


def _name_open(resource: str, format_resource: str) -> bool | None:
    """Whether the pattern's resource part leaves the resource's name open for this ARN format; None when
    it cannot match the format's resource type at all."""
    fixed = format_resource.split("${", 1)[0]  # the type's literal prefix: "table/", "function:", ""
    literal = re.split(r"[*?]", resource, maxsplit=1)[0]
    if _wild(resource) and fixed.lower().startswith(literal.lower()):
        return True  # the wildcard comes at or before the name
    if not resource.lower().startswith(fixed.lower()):
        return None
    name = re.split(r"[/:]", resource[len(fixed) :], maxsplit=1)[0]
    return _wild(name)
