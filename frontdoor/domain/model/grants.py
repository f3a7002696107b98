"""`frontdoor:teams` and `frontdoor:orgGrants`: who is in a group (an Okta members expression) and
which permission sets it is granted on which targets (`*`, OU paths or ids, account ids), with the names
of the Okta groups and rules they become.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from frontdoor.domain.base.aws_ids import ACCOUNT_ID, OU_ID
from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.model.fields import Model
from frontdoor.domain.people.okta_expression import ExpressionError, parse

OKTA_RULE_NAME_MAX = 50
OKTA_GROUP_NAME_MAX = 255
RULE_SUFFIX = "-rule"
TEAM_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,29}$")
ORGANIZATION_TARGET = "*"


def classify_target(target: str) -> Literal["organization", "account", "ou-id", "ou-path"]:
    """How a grant target string is read: `*`, a 12-digit account, an `ou-…` id, or an OU path."""
    if target == ORGANIZATION_TARGET:
        return "organization"
    if ACCOUNT_ID.accepts(target):
        return "account"
    if OU_ID.accepts(target):
        return "ou-id"
    return "ou-path"


def check_members_expression(expression: str) -> str:
    """Reject Okta expressions that cannot work as group-rule conditions before Okta does."""
    text = expression.strip()
    if not text:
        raise FixHint(
            "the members expression is empty",
            'write an Okta expression over HR attributes, e.g. user.department == "Payments"',
        )
    if text.count('"') % 2:
        raise FixHint("the members expression has an unbalanced double quote", "close every string literal")
    depth = 0
    for char in re.sub(r'"[^"]*"', "", text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth:
        raise FixHint("the members expression has unbalanced parentheses", "match every ( with a )")
    if re.search(r"\b(Convert|Time)\.", text):
        raise FixHint(
            "Okta group rules do not support the Convert and Time functions",
            "compare string profile attributes directly (technical-facts.md §6)",
        )
    if not re.search(r"\buser\.\w+|isMemberOf\w*\(", text):
        raise FixHint(
            "the members expression reads no user attribute or group membership",
            "reference a profile attribute such as user.department or user.team, "
            'e.g. user.team == "payments"',
        )
    try:
        parse(text)  # the Okta expression grammar and the subset we evaluate (okta_expression.py)
    except ExpressionError as error:
        raise FixHint(error.problem, error.fix) from None
    return text


def check_targets(value: list[str]) -> list[str]:
    """Grant targets and excludes: well-formed and each listed once."""
    for index, target in enumerate(value):
        if not target or target != target.strip() or target.startswith("/") or target.endswith("/"):
            raise FixHint(
                "malformed target",
                'write OU paths like "Workloads/Prod", OU ids like "ou-ab12-cdef3456", 12-digit '
                'account ids, or "*" for the whole organization',
                at=(index,),
                value=target,
            )
    if len(set(value)) != len(value):
        raise FixHint("a target is listed twice", "list each target once")
    return value


class Grant(Model):
    """A permission set granted on targets: `*` (the organization), OU paths or ids, account ids."""

    targets: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)
    include_management_account: bool = False
    members: str | None = None
    # A time-bound exception: planned until `expires` (inclusive), left out after, with the change
    # ticket that approved it (ServiceNow and the like) carried into the access report.
    expires: dt.date | None = None
    ticket: str | None = Field(default=None, min_length=1, max_length=64)

    @model_validator(mode="after")
    def _exception_has_ticket(self) -> Grant:
        check_time_bound(self.expires, self.ticket)
        return self

    @field_validator("targets", "exclude")
    @classmethod
    def _targets(cls, value: list[str]) -> list[str]:
        return check_targets(value)

    @field_validator("members")
    @classmethod
    def _members(cls, value: str | None) -> str | None:
        return None if value is None else check_members_expression(value)


def check_time_bound(expires: dt.date | None, ticket: str | None) -> None:
    if (expires is None) != (ticket is None):
        raise FixHint(
            "a time-bound grant needs both expires and ticket",
            "give the change ticket that approved it (ticket: CHG0012345) and the last day it is valid "
            "(expires: YYYY-MM-DD), or neither for a standing grant",
            at=("ticket" if ticket is None else "expires",),
            value=None,
        )


def _as_grant(value: Any) -> Any:
    return {"targets": value} if isinstance(value, list) else value


class TeamConfig(Model):
    """One team: who is in it (an Okta expression over HR attributes) and what it is granted."""

    members: str
    grants: dict[str, Grant] = Field(min_length=1)
    description: str | None = None

    @field_validator("members")
    @classmethod
    def _members(cls, value: str) -> str:
        return check_members_expression(value)

    @field_validator("grants", mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        # `DeveloperAccess: [Workloads/Dev]` is shorthand for `DeveloperAccess: {targets: [...]}`.
        if not isinstance(value, Mapping):
            return value
        for name, grant in value.items():
            if not isinstance(grant, list | Mapping):
                raise FixHint(
                    "a grant is a list of targets or a mapping with targets:",
                    f"write {name}: [Workloads/Dev] (a YAML list, even for one target)",
                    at=(name,),
                    value=grant,
                )
        return {k: _as_grant(v) for k, v in value.items()}


class OrgGrant(Model):
    """An organization-wide grant owned by no team: platform admins, auditors, billing."""

    members: str
    permission_set: str
    targets: list[str] = Field(default_factory=lambda: [ORGANIZATION_TARGET], min_length=1)
    exclude: list[str] = Field(default_factory=list)
    include_management_account: bool = False
    description: str | None = None
    expires: dt.date | None = None
    ticket: str | None = Field(default=None, min_length=1, max_length=64)

    @field_validator("members")
    @classmethod
    def _members(cls, value: str) -> str:
        return check_members_expression(value)

    @field_validator("targets", "exclude")
    @classmethod
    def _targets(cls, value: list[str]) -> list[str]:
        return check_targets(value)

    @model_validator(mode="after")
    def _exception_has_ticket(self) -> OrgGrant:
        check_time_bound(self.expires, self.ticket)
        return self

    def as_grant(self) -> Grant:
        return Grant(
            targets=self.targets,
            exclude=self.exclude,
            include_management_account=self.include_management_account,
            members=self.members,
            expires=self.expires,
            ticket=self.ticket,
        )


def team_group_name(prefix: str, team: str, tier: str) -> str:
    """The Okta (and, after SCIM, Identity Center) group of a team's tier: aws-<team>-<tier>."""
    return f"{prefix}{team}-{tier}"


def rule_name(group: str) -> str:
    return f"{group}{RULE_SUFFIX}"
