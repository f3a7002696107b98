"""The IAM actions of each service, the resource types each applies to, and each type's ARN form.

The canary asks every action a set's inline policy names (wildcards expanded) of another team's
resources, and asks a create with the ARN the new resource will have: both need the Service
Authorization Reference's tables. `parse_catalogue` reads them in the shape parliament ships them
(`parliament/iam_definition.json`: per service `prefix`, `privileges` with `access_level` and
`resource_types` (`table*` = required), `resources` with `arn` and `condition_keys`). Pure: the
command loads the file (frontdoor/offline/iam_actions.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True)
class ActionInfo:
    name: str  # "dynamodb:DeleteTable"
    access_level: str  # List | Read | Write | Tagging | Permissions management
    resource_types: tuple[str, ...]  # in the reference's order; "" (no resource) left out
    required: tuple[str, ...]  # the types marked `*`
    request_tag_types: tuple[str, ...]  # the types whose row lists aws:RequestTag/${TagKey}

    @property
    def service(self) -> str:
        return self.name.split(":", 1)[0]

    @property
    def reads(self) -> bool:
        return self.access_level in ("List", "Read")


@dataclass(frozen=True)
class ActionCatalogue:
    source: str  # "" when no catalogue is installed
    actions: Mapping[str, tuple[ActionInfo, ...]] = field(default_factory=dict)  # service -> actions
    arns: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (service, type) -> ARN form

    def expand(self, pattern: str) -> list[ActionInfo] | None:
        """The actions an Action pattern names (IAM matches them case-insensitively); None when its
        service is in no catalogue entry (a service the canary cannot model)."""
        service = pattern.partition(":")[0]
        services = [s for s in self.actions if _glob(service or "*", s)]
        if not services:
            return None
        return [a for s in services for a in self.actions[s] if _glob(pattern, a.name)]

    def action(self, name: str) -> ActionInfo | None:
        found = [
            a for a in self.actions.get(name.split(":", 1)[0].lower(), ()) if a.name.lower() == name.lower()
        ]
        return found[0] if found else None

    def permissions_management(self, service: str, resource_type: str) -> list[str]:
        """The actions of the reference's "Permissions management" access level on the type: those that
        change who may access it (a resource policy, an ACL, a role's policies or trust)."""
        return [
            a.name
            for a in self.actions.get(service, ())
            if a.access_level == "Permissions management" and resource_type in a.resource_types
        ]

    def arn(self, service: str, resource_type: str, name: str, account: str, region: str) -> str | None:
        """The type's ARN form with the partition, region and account filled and every name part `name`."""
        form = self.arns.get((service, resource_type))
        if form is None:
            return None
        fixed = {"Partition": "aws", "Region": region, "Account": account}
        # A revision or version number is a number (a task definition's `family:1`); every name is `name`.
        return _PLACEHOLDER.sub(
            lambda m: fixed.get(m.group(1), "1" if m.group(1).endswith(("Number", "Version")) else name), form
        )


def _glob(pattern: str, value: str) -> bool:
    return _compiled(pattern).fullmatch(value) is not None


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(regex, re.IGNORECASE | re.DOTALL)


def parse_catalogue(source: str, services: Iterable[Mapping[str, Any]]) -> ActionCatalogue:
    """The catalogue from the reference's tables (one entry per service; a prefix may span entries)."""
    actions: dict[str, dict[str, ActionInfo]] = {}
    arns: dict[tuple[str, str], str] = {}
    for entry in services:
        prefix = str(entry["prefix"])
        for resource in entry.get("resources", ()):
            arns.setdefault((prefix, str(resource["resource"])), str(resource["arn"]))
        for privilege in entry.get("privileges", ()):
            rows = [r for r in privilege.get("resource_types", ()) if r.get("resource_type")]
            types = tuple(str(r["resource_type"]).rstrip("*") for r in rows)
            info = ActionInfo(
                f"{prefix}:{privilege['privilege']}",
                str(privilege.get("access_level", "")),
                types,
                tuple(
                    str(r["resource_type"]).rstrip("*") for r in rows if str(r["resource_type"]).endswith("*")
                ),
                tuple(
                    str(r["resource_type"]).rstrip("*")
                    for r in rows
                    if "aws:RequestTag/${TagKey}" in r.get("condition_keys", ())
                ),
            )
            actions.setdefault(prefix, {}).setdefault(info.name, info)
    return ActionCatalogue(
        source, {s: tuple(sorted(a.values(), key=lambda i: i.name)) for s, a in sorted(actions.items())}, arns
    )
