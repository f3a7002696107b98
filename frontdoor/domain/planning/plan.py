"""The stack's plan, made once: config validated, ownership checked, teams, org grants and guardrails
fanned out, with every warning the planning found.

`plan_stack` is the one function that turns a validated `StackConfig` and an organization snapshot
into what the program registers. The offline preview's early check calls it and hands the result to
the program it runs (`prepared`), so one preview parses and fans out once; the program calls it
through `plan_for_program`, which takes the prepared plan when it was made from the same config and
organization. Teams and org grants declared in Python are added with `StackPlan.with_declared`:
validated exactly like the stack file's, all of them before anything registers.

"Deferred" is defined here once (`is_deferred`): a grant whose group SCIM has not synced yet and
which still has assignments to make. An expired grant, or one that reaches no account, is never
deferred: it has nothing to assign (its group is still pushed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from frontdoor.domain.base import clock
from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.config.cross_check import cross_check
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.model.grants import ORGANIZATION_TARGET, Grant, OrgGrant, TeamConfig
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.fanout import GroupGrant, GroupSpec, Resolver, plan_org_grant, plan_team
from frontdoor.domain.planning.guardrails import ScpPlan, plan_guardrails
from frontdoor.domain.planning.machine_plan import MachinePlan, plan_machines
from frontdoor.domain.planning.organization import OrgSnapshot


@dataclass(frozen=True)
class OwnerPlan:
    """One team's or org grant's groups and grants, and the file or Python call that declared it."""

    owner: str  # "team:<name>" | "org:<group>"
    source: str
    groups: tuple[GroupSpec, ...]
    grants: tuple[GroupGrant, ...]


@dataclass(frozen=True)
class DeclaredTeam:
    """A `TeamAccess(...)` written in Python, shape-validated, waiting to be planned."""

    name: str
    team: TeamConfig
    source: str


@dataclass(frozen=True)
class DeclaredOrgGrant:
    group: str
    grant: OrgGrant
    source: str


@dataclass(frozen=True)
class StackPlan:
    """Everything the program registers for the access stack, in a stable order."""

    config: StackConfig  # the stack file's config plus every team and org grant declared in Python
    source: str  # the stack file
    snapshot: OrgSnapshot
    teams: Mapping[str, OwnerPlan]
    org_grants: Mapping[str, OwnerPlan]
    scps: tuple[ScpPlan, ...]
    warnings: tuple[str, ...] = field(default=())
    today: dt.date | None = None
    # frontdoor:machines consumers, resolved by the same fan-out as teams
    # (frontdoor/domain/planning/machine_plan.py).
    machines: tuple[MachinePlan, ...] = ()

    @property
    def owners(self) -> tuple[OwnerPlan, ...]:
        return (
            *(self.teams[n] for n in sorted(self.teams)),
            *(self.org_grants[g] for g in sorted(self.org_grants)),
        )

    @property
    def groups(self) -> tuple[GroupSpec, ...]:
        return tuple(sorted((spec for owner in self.owners for spec in owner.groups), key=lambda s: s.name))

    @property
    def grants(self) -> tuple[GroupGrant, ...]:
        return tuple(grant for owner in self.owners for grant in owner.grants)

    def assignment_count(self, synced_groups: Mapping[str, str]) -> int:
        """Assignments registered now: those of grants whose group is synced."""
        return sum(len(g.accounts) for g in self.grants if not g.expired and g.group in synced_groups)

    def deferred_groups(self, synced_groups: Mapping[str, str]) -> tuple[str, ...]:
        return tuple(sorted({g.group for g in self.grants if is_deferred(g, synced_groups)}))

    def with_declared(
        self, teams: Sequence[DeclaredTeam] = (), org_grants: Sequence[DeclaredOrgGrant] = ()
    ) -> StackPlan:
        """This plan plus teams and org grants declared in Python: all validated, then all planned.

        Raises ConfigError naming each declaration's `TeamAccess(...)`/`OrganizationAccess(...)` call.
        """
        if not teams and not org_grants:
            return self
        config = self.config
        # Only what a declaration adds is its problem (the stack file's config was checked already).
        known = {_issue_key(issue) for issue in cross_check(config, self.source)}
        issues: list[ConfigIssue] = []
        accepted: list[tuple[str, str, str]] = []  # (kind, name, source) planned below
        for declared in teams:
            if declared.name in config.teams:
                issues.append(
                    _declared_twice(
                        self, f"team:{declared.name}", declared.source, "TeamAccess", declared.name
                    )
                )
                continue
            merged = config.model_copy(update={"teams": {**config.teams, declared.name: declared.team}})
            found = [i for i in cross_check(merged, declared.source) if _issue_key(i) not in known]
            issues.extend(found)
            if not found:
                config = merged
                accepted.append(("team", declared.name, declared.source))
        for declared_grant in org_grants:
            if declared_grant.group in config.org_grants:
                issues.append(
                    _declared_twice(
                        self,
                        f"org:{declared_grant.group}",
                        declared_grant.source,
                        "OrganizationAccess",
                        declared_grant.group,
                    )
                )
                continue
            merged = config.model_copy(
                update={"org_grants": {**config.org_grants, declared_grant.group: declared_grant.grant}}
            )
            found = [i for i in cross_check(merged, declared_grant.source) if _issue_key(i) not in known]
            issues.extend(found)
            if not found:
                config = merged
                accepted.append(("org", declared_grant.group, declared_grant.source))
        if issues:
            raise ConfigError(issues)
        new_teams = dict(self.teams)
        new_org_grants = dict(self.org_grants)
        warnings = list(self.warnings)
        for kind, name, source in accepted:
            resolver = Resolver(self.snapshot, source)
            if kind == "team":
                owner = _plan_team(name, config.teams[name], config, resolver, source, self.today)
                new_teams[name] = owner
            else:
                owner = _plan_org_grant(name, config.org_grants[name], config, resolver, source, self.today)
                new_org_grants[name] = owner
            issues.extend(resolver.issues)
            warnings.extend(owner_warnings(owner, config))
        if issues:
            raise ConfigError(issues)
        return replace(
            self, config=config, teams=new_teams, org_grants=new_org_grants, warnings=tuple(warnings)
        )


def _issue_key(issue: ConfigIssue) -> tuple[str, str, str]:
    return (issue.field, repr(issue.value), issue.problem)


def _declared_twice(plan: StackPlan, owner: str, source: str, call: str, name: str) -> ConfigIssue:
    in_file = name in (plan.config.teams if owner.startswith("team:") else plan.config.org_grants)
    return ConfigIssue(
        plan.source if in_file else source,
        f"{call}({name!r})",
        owner,
        "declared twice in one stack",
        "declare each team once" if owner.startswith("team:") else "declare each org grant once",
    )


def is_deferred(grant: GroupGrant, synced_groups: Mapping[str, str]) -> bool:
    """The one definition: SCIM has not synced the group yet and the grant has assignments to make."""
    return not grant.expired and bool(grant.accounts) and grant.group not in synced_groups


def _plan_team(
    name: str, team: TeamConfig, config: StackConfig, resolver: Resolver, source: str, today: dt.date | None
) -> OwnerPlan:
    groups, grants = plan_team(name, team, config, resolver, today)
    return OwnerPlan(f"team:{name}", source, tuple(groups), tuple(grants))


def _plan_org_grant(
    group: str, grant: OrgGrant, config: StackConfig, resolver: Resolver, source: str, today: dt.date | None
) -> OwnerPlan:
    spec, planned = plan_org_grant(group, grant, config, resolver, today)
    return OwnerPlan(f"org:{group}", source, (spec,), (planned,))


def _written_grant(owner: OwnerPlan, grant: GroupGrant, config: StackConfig) -> Grant | None:
    if owner.owner.startswith("team:"):
        team = config.teams.get(owner.owner.removeprefix("team:"))
        return team.grants.get(grant.permission_set) if team else None
    org_grant = config.org_grants.get(grant.group)
    return org_grant.as_grant() if org_grant else None


def owner_warnings(owner: OwnerPlan, config: StackConfig) -> list[str]:
    """What is valid but almost certainly not meant: a grant that reaches no active account."""
    warnings: list[str] = []
    for grant in owner.grants:
        if grant.accounts or grant.expired:
            continue
        written = _written_grant(owner, grant, config)
        if written is not None and ORGANIZATION_TARGET in written.exclude:
            warnings.append(
                f"{grant.field}.exclude: {ORGANIZATION_TARGET!r} excludes every account, so the grant of "
                f"{grant.permission_set} to {grant.group} reaches nothing; remove the grant, or exclude "
                "only the accounts or OUs meant"
            )
        else:
            warnings.append(
                f"{grant.field}: grant of {grant.permission_set} to {grant.group} reaches no active account"
            )
    return warnings


def plan_stack(
    config: StackConfig, snapshot: OrgSnapshot, source: str, today: dt.date | None = None
) -> StackPlan:
    """The stack file's plan: every team, org grant and guardrail resolved; ConfigError lists every
    bad target (and guardrail) at once. Ownership and references were checked when `config` was
    parsed (`parse_stack_config` runs `cross_check`)."""
    day = today or clock.today()
    resolver = Resolver(snapshot, source)
    teams = {
        name: _plan_team(name, team, config, resolver, source, day)
        for name, team in sorted(config.teams.items())
    }
    org_grants = {
        group: _plan_org_grant(group, grant, config, resolver, source, day)
        for group, grant in sorted(config.org_grants.items())
    }
    issues = list(resolver.issues)
    try:
        scps = plan_guardrails(config.guardrails, snapshot, source, config.quotas)
    except ConfigError as error:
        issues.extend(error.issues)
        scps = ()
    machines: tuple[MachinePlan, ...] = ()
    if config.machines is not None:
        try:
            machines = tuple(plan_machines(config.machines, config.teams, snapshot, source))
        except ConfigError as error:
            issues.extend(error.issues)
    if issues:
        raise ConfigError(issues)
    plan = StackPlan(config, source, snapshot, teams, org_grants, scps, today=day, machines=machines)
    warnings = [w for owner in plan.owners for w in owner_warnings(owner, config)]
    return replace(plan, warnings=tuple(warnings))


@dataclass(frozen=True)
class AccessPlan:
    """The access part of a `StackPlan`: groups, grants and the warnings planning found."""

    groups: tuple[GroupSpec, ...]
    grants: tuple[GroupGrant, ...]
    warnings: tuple[str, ...] = field(default=())

    def assignment_count(self) -> int:
        return sum(len(grant.accounts) for grant in self.grants)


def plan_access(
    config: StackConfig, snapshot: OrgSnapshot, source: str, today: dt.date | None = None
) -> AccessPlan:
    """Every group the stack owns and every grant resolved to accounts; ConfigError on bad targets.

    The access part of the one plan (`plan_stack`), for callers that want only groups, grants and
    warnings.
    """
    plan = plan_stack(config, snapshot, source, today)
    return AccessPlan(plan.groups, plan.grants, plan.warnings)


# --- one plan per preview ------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """A plan made by the preview's early check, with the config values it was parsed from."""

    values: Mapping[str, Any]
    plan: StackPlan


_prepared: Prepared | None = None


@contextlib.contextmanager
def prepared(values: Mapping[str, Any], plan: StackPlan) -> Iterator[None]:
    """While the preview runs the program, the program takes this plan instead of making its own."""
    global _prepared
    previous, _prepared = _prepared, Prepared(dict(values), plan)
    try:
        yield
    finally:
        _prepared = previous


def same_organization(left: OrgSnapshot, right: OrgSnapshot) -> bool:
    """The same organization, whatever order the OUs and accounts were listed in."""
    return (
        (left.root_id, left.management_account_id, left.organization_id)
        == (right.root_id, right.management_account_id, right.organization_id)
        and set(left.ous) == set(right.ous)
        and set(left.accounts) == set(right.accounts)
    )


def parse_for_program(values: Mapping[str, Any], source: str) -> StackConfig:
    """The program's config: the prepared one when the values are those the preview parsed."""
    if _prepared is not None and _prepared.values == values:
        return _prepared.plan.config
    return parse_stack_config(values, source)


def plan_for_program(config: StackConfig, snapshot: OrgSnapshot, source: str) -> StackPlan:
    """The program's plan: the prepared one when made from this config and organization."""
    if _prepared is not None:
        plan = _prepared.plan
        if plan.config is config and same_organization(plan.snapshot, snapshot):
            # Valid, so its messages are never shown; the program names the stack file its own way.
            return replace(plan, source=source)
    return plan_stack(config, snapshot, source)
