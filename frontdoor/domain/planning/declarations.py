"""Teams and org grants written in Python: validated as data, collected by the open `with stack():` block.

`TeamAccess("payments", members=..., grants=...)` in a program's `__main__.py` is a declaration, not a
resource: it is validated here exactly like `frontdoor:teams.payments` in a stack file (the same model,
the same messages, naming the call) and becomes a `DeclaredTeam`. Inside `with stack():` it is collected
into that block's `Declarations`; when the block ends the program plans every declaration together with
the stack file's (`StackPlan.with_declared`) and registers nothing unless all of them are valid.

Why an open block at all: the documented form `with stack(): TeamAccess(...)` passes nothing from the
`with` to the call, so the call must find the block. `declaring()` sets it for exactly the length of
the block (a context variable, like `decimal.localcontext`), and holds nothing but the declarations
themselves: no plan, no provider, no component. A declaration outside any block is an error, never
silently dropped. A program that prefers no ambient state at all hands declarations to
`frontdoor.program.build_stack(teams=..., org_grants=...)` as plain data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.config.pydantic_issues import issue_from_pydantic
from frontdoor.domain.model.grants import ORGANIZATION_TARGET, TEAM_NAME_RE, OrgGrant, TeamConfig

GrantSpec = Sequence[str] | Mapping[str, Any]


@dataclass(frozen=True)
class DeclaredTeam:
    """A `TeamAccess(...)` written in Python, shape-validated, waiting to be planned."""

    name: str
    team: TeamConfig
    source: str


@dataclass(frozen=True)
class DeclaredOrgGrant:
    """An `OrganizationAccess(...)` written in Python, shape-validated, waiting to be planned."""

    group: str
    grant: OrgGrant
    source: str


@dataclass
class Declarations:
    """What one `with stack():` block declared, in the order it was written."""

    teams: list[DeclaredTeam] = field(default_factory=list)
    org_grants: list[DeclaredOrgGrant] = field(default_factory=list)


def team_source(name: str) -> str:
    return f"TeamAccess({name!r})"


def org_grant_source(group: str) -> str:
    return f"OrganizationAccess({group!r})"


def team_config(
    name: str, members: str, grants: Mapping[str, GrantSpec], description: str | None
) -> TeamConfig:
    """The Python form validated exactly like `frontdoor:teams.<name>` in a stack file."""
    source = team_source(name)
    if not TEAM_NAME_RE.match(name):
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    "name",
                    name,
                    "team name is not a lowercase slug",
                    "use lowercase letters, digits and '-', starting with a letter, at most 30 characters",
                )
            ]
        )
    raw: dict[str, Any] = {"members": members, "grants": {k: _plain(v) for k, v in grants.items()}}
    if description is not None:
        raw["description"] = description
    try:
        return TeamConfig.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(
            [issue_from_pydantic(source, e, namespace=f"frontdoor:teams.{name}") for e in error.errors()]
        ) from None


def _plain(value: GrantSpec) -> Any:
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str) else value


def declared_team(
    name: str, *, members: str, grants: Mapping[str, GrantSpec], description: str | None = None
) -> DeclaredTeam:
    return DeclaredTeam(name, team_config(name, members, grants, description), team_source(name))


def declared_org_grant(
    group: str,
    *,
    members: str,
    permission_set: str,
    targets: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    include_management_account: bool = False,
    description: str | None = None,
    expires: dt.date | None = None,
    ticket: str | None = None,
) -> DeclaredOrgGrant:
    """The Python form validated exactly like `frontdoor:orgGrants.<group>` in a stack file."""
    source = org_grant_source(group)
    try:
        grant = OrgGrant(
            members=members,
            permission_set=permission_set,
            targets=list(targets or [ORGANIZATION_TARGET]),
            exclude=list(exclude or []),
            include_management_account=include_management_account,
            description=description,
            expires=expires,
            ticket=ticket,
        )
    except ValidationError as error:
        raise ConfigError(
            [issue_from_pydantic(source, e, namespace=f"frontdoor:orgGrants.{group}") for e in error.errors()]
        ) from None
    return DeclaredOrgGrant(group, grant, source)


_open_block: ContextVar[Declarations | None] = ContextVar("frontdoor_open_stack_block", default=None)


@contextlib.contextmanager
def declaring() -> Iterator[Declarations]:
    """The `with stack():` block: what is declared inside it is collected here, and only here."""
    declarations = Declarations()
    token = _open_block.set(declarations)
    try:
        yield declarations
    finally:
        _open_block.reset(token)


def declare(declared: DeclaredTeam | DeclaredOrgGrant) -> None:
    """Add a declaration to the open `with stack():` block; ConfigError when no block is open."""
    block = _open_block.get()
    if block is None:
        call = "TeamAccess" if isinstance(declared, DeclaredTeam) else "OrganizationAccess"
        raise ConfigError(
            [
                ConfigIssue(
                    declared.source,
                    "with stack()",
                    declared.name if isinstance(declared, DeclaredTeam) else declared.group,
                    f"{call}(...) is declared outside a `with stack():` block, so nothing would register it",
                    f"write it inside `with stack():` (from frontdoor.program import stack), or pass it to "
                    f"build_stack({'teams' if call == 'TeamAccess' else 'org_grants'}=[...])",
                )
            ]
        )
    if isinstance(declared, DeclaredTeam):
        block.teams.append(declared)
    else:
        block.org_grants.append(declared)
