"""The stack's plan, made once and completely: config validated, ownership checked, teams, org grants,
guardrails and machine consumers fanned out, every grant's deferral decided, with every warning the
planning found.

`plan_stack` is the one function that turns a validated `StackConfig` and what the program read before
planning (`StackReads`: the organization, the Identity Center instance, the synced groups) into what
the program registers. Each planned grant carries its accounts, its assignments' logical names, its
members, and whether it waits for SCIM; each owner's plan carries what its component registers; the
exported counts are the plan's. Components only wire it. The offline preview makes the plan before it
runs the program and hands it over (frontdoor/domain/planning/handoff.py), so one preview parses and
fans out once. Teams and org grants declared in Python are added with `StackPlan.with_declared`:
validated exactly like the stack file's, all of them before anything registers.

"Deferred" is defined here once (`is_deferred`): a grant whose group SCIM has not synced yet and
which still has assignments to make. An expired grant, or one that reaches no account, is never
deferred: it has nothing to assign (its group is still pushed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from frontdoor.domain.base import clock
from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.config.abac_chain import abac_tag_key
from frontdoor.domain.config.cross_check import cross_check
from frontdoor.domain.documents.abac_policy import s3_resource_tag_warnings
from frontdoor.domain.documents.inline_policy import inline_policy_document
from frontdoor.domain.model.grants import ORGANIZATION_TARGET, OrgGrant, TeamConfig
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.config_recording import BLOCK as CONFIG_RECORDING
from frontdoor.domain.planning.config_recording import (
    ConfigRecording,
    RuleExclusions,
    config_rule_exclusions,
    region_mismatch,
)
from frontdoor.domain.planning.declarations import DeclaredOrgGrant, DeclaredTeam
from frontdoor.domain.planning.fanout import GroupGrant, GroupSpec, Resolver, plan_org_grant, plan_team
from frontdoor.domain.planning.guardrails import ScpPlan, plan_guardrails
from frontdoor.domain.planning.machine_plan import MachinePlan, plan_machines
from frontdoor.domain.planning.organization import IdentityCenterInstance, OrgSnapshot, StackReads
from frontdoor.domain.planning.pulled import EstateUnknown


@dataclass(frozen=True)
class OwnerPlan:
    """One team's or org grant's groups and grants, and the file or Python call that declared it: all
    its TeamAccess or OrganizationAccess component registers."""

    owner: str  # "team:<name>" | "org:<group>"
    source: str
    groups: tuple[GroupSpec, ...]
    grants: tuple[GroupGrant, ...]
    members: str = ""  # the team's (or org grant's) members expression, the component's input

    @property
    def name(self) -> str:
        """The team's name, or the org grant's group."""
        return self.owner.split(":", 1)[1]

    @property
    def account_ids(self) -> list[str]:
        return sorted({account.id for grant in self.grants for account in grant.accounts})


@dataclass(frozen=True)
class StackPlan:
    """Everything the program registers for the access stack, in a stable order."""

    config: StackConfig  # the stack file's config plus every team and org grant declared in Python
    source: str  # the stack file
    reads: StackReads  # what the plan was made from: organization, instance, synced groups
    teams: Mapping[str, OwnerPlan]
    org_grants: Mapping[str, OwnerPlan]
    scps: tuple[ScpPlan, ...]
    warnings: tuple[str, ...] = field(default=())
    today: dt.date | None = None
    # frontdoor:machines consumers, resolved by the same fan-out as teams
    # (frontdoor/domain/planning/machine_plan.py).
    machines: tuple[MachinePlan, ...] = ()
    # frontdoor:posture: the accounts the AWS Config organization rules exclude (no recorder of IAM users).
    config_rule_exclusions: RuleExclusions | None = None

    @property
    def snapshot(self) -> OrgSnapshot:
        return self.reads.snapshot

    @property
    def instance(self) -> IdentityCenterInstance:
        return self.reads.instance

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

    @property
    def assignment_count(self) -> int:
        """Assignments registered now: those of grants whose group is synced."""
        return sum(len(g.accounts) for g in self.grants if not g.expired and g.principal_id is not None)

    @property
    def deferred_groups(self) -> tuple[str, ...]:
        return tuple(sorted({g.group for g in self.grants if g.deferred}))

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
        synced = self.reads.synced_groups
        for kind, name, source in accepted:
            resolver = Resolver(self.snapshot, source)
            if kind == "team":
                owner = _plan_team(name, config.teams[name], config, resolver, source, self.today)
                new_teams[name] = owner = settled(owner, synced)
            else:
                owner = _plan_org_grant(name, config.org_grants[name], config, resolver, source, self.today)
                new_org_grants[name] = owner = settled(owner, synced)
            issues.extend(resolver.issues)
            warnings.extend(owner_warnings(owner))
        if issues:
            raise ConfigError(issues)
        owners = [*new_teams.values(), *new_org_grants.values()]
        added = precondition_warnings(config, [grant for owner in owners for grant in owner.grants])
        warnings.extend(w for w in added if w not in warnings)
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


def settled(owner: OwnerPlan, synced_groups: Mapping[str, str]) -> OwnerPlan:
    """The owner's grants as this run registers them: each with its group's id when SCIM has synced
    it, and deferred (decided here, once) when it has not."""
    grants = tuple(
        replace(
            grant,
            principal_id=synced_groups.get(grant.group),
            deferred=is_deferred(grant, synced_groups),
        )
        for grant in owner.grants
    )
    return replace(owner, grants=grants)


def _plan_team(
    name: str, team: TeamConfig, config: StackConfig, resolver: Resolver, source: str, today: dt.date | None
) -> OwnerPlan:
    groups, grants = plan_team(name, team, config, resolver, today)
    return OwnerPlan(f"team:{name}", source, tuple(groups), tuple(grants), team.members)


def _plan_org_grant(
    group: str, grant: OrgGrant, config: StackConfig, resolver: Resolver, source: str, today: dt.date | None
) -> OwnerPlan:
    spec, planned = plan_org_grant(group, grant, config, resolver, today)
    return OwnerPlan(f"org:{group}", source, (spec,), (planned,), grant.members)


def owner_warnings(owner: OwnerPlan) -> list[str]:
    """What is valid but almost certainly not meant: a grant that reaches no active account."""
    warnings: list[str] = []
    for grant in owner.grants:
        if grant.accounts or grant.expired:
            continue
        if ORGANIZATION_TARGET in grant.exclude:
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


@dataclass(frozen=True)
class _FannedOut:
    teams: dict[str, OwnerPlan]
    org_grants: dict[str, OwnerPlan]
    scps: tuple[ScpPlan, ...]
    machines: tuple[MachinePlan, ...]


def _fan_out(config: StackConfig, snapshot: OrgSnapshot, source: str, day: dt.date) -> _FannedOut:
    """Every team, org grant, guardrail and machine consumer resolved against the organization;
    ConfigError lists every bad target (and guardrail) at once."""
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
            machines = tuple(
                plan_machines(config.machines, config.teams, snapshot, source, tag_key=abac_tag_key(config))
            )
        except ConfigError as error:
            issues.extend(error.issues)
    if issues:
        raise ConfigError(issues)
    return _FannedOut(teams, org_grants, scps, machines)


def plan_stack(
    config: StackConfig, reads: StackReads, source: str, today: dt.date | None = None
) -> StackPlan:
    """The stack file's plan, from what the program read: every team, org grant and guardrail resolved,
    every grant's deferral decided; ConfigError lists every bad target (and guardrail) at once.
    Ownership and references were checked when `config` was parsed (`parse_stack_config` runs
    `cross_check`)."""
    day = today or clock.today()
    fanned = _fan_out(config, reads.snapshot, source, day)
    synced = reads.synced_groups
    plan = StackPlan(
        config,
        source,
        reads,
        {name: settled(owner, synced) for name, owner in fanned.teams.items()},
        {group: settled(owner, synced) for group, owner in fanned.org_grants.items()},
        fanned.scps,
        today=day,
        machines=fanned.machines,
    )
    warnings = [w for owner in plan.owners for w in owner_warnings(owner)]
    warnings.extend(precondition_warnings(config, plan.grants))
    exclusions = posture_rule_exclusions(config, reads.config_recording, reads.snapshot, reads.facts_source)
    if exclusions is not None:
        excluded = exclusions.warning(config.organization.region)
        warnings.extend([excluded] if excluded else [])
    return replace(plan, warnings=tuple(warnings), config_rule_exclusions=exclusions)


def precondition_warnings(config: StackConfig, grants: Sequence[GroupGrant]) -> list[str]:
    """What the granted sets' documents need of resources the program does not manage: an S3 grant
    through a bucket's tags works only on buckets whose owner enabled ABAC
    (abac_policy.s3_resource_tag_warnings). A set nobody is granted reaches nothing: not warned."""
    granted = sorted({grant.permission_set for grant in grants if not grant.expired})
    return [
        warning
        for name in granted
        if name in config.permission_sets
        for warning in s3_resource_tag_warnings(name, inline_policy_document(config.permission_sets[name]))
    ]


def posture_rule_exclusions(
    config: StackConfig, recording: ConfigRecording | None, snapshot: OrgSnapshot, facts_source: str
) -> RuleExclusions | None:
    """With `frontdoor:posture`, the accounts its AWS Config organization rules must exclude: those that
    do not record AWS::IAM::User in the rules' region (frontdoor/domain/planning/config_recording.py).
    Unknown recorders stop the run: including an account without one fails the rule's creation. Needs
    the estate's recorders and accounts only (`frontdoor policy-config` reads nothing else of it)."""
    if config.posture is None:
        return None
    if recording is None:
        raise EstateUnknown.of(
            facts_source,
            CONFIG_RECORDING,
            "the AWS Config organization rules of frontdoor:posture must exclude every account without a "
            "recorder of AWS::IAM::User, or their creation fails (NoAvailableConfigurationRecorderException)",
        )
    mismatch = region_mismatch(recording, config.organization.region)
    if mismatch:
        raise ConfigError(
            [
                ConfigIssue(
                    facts_source,
                    f"{CONFIG_RECORDING}.region",
                    recording.region,
                    mismatch,
                    f"pull it again in {config.organization.region}: frontdoor estate pull --stack <stack> "
                    f"--config-recorders --region {config.organization.region}",
                )
            ]
        )
    active = [account.id for account in snapshot.accounts if account.state == "ACTIVE"]
    return config_rule_exclusions(active, recording)


@dataclass(frozen=True)
class AccessPlan:
    """The access part of a plan: groups, grants resolved to accounts, and the warnings planning found.

    Made without the identity store (no deferral decided): for the checks that need only who reaches
    which account (doctor, canary, benchmarks)."""

    groups: tuple[GroupSpec, ...]
    grants: tuple[GroupGrant, ...]
    warnings: tuple[str, ...] = field(default=())

    def assignment_count(self) -> int:
        return sum(len(grant.accounts) for grant in self.grants)


def plan_access(
    config: StackConfig, snapshot: OrgSnapshot, source: str, today: dt.date | None = None
) -> AccessPlan:
    """Every group the stack owns and every grant resolved to accounts; ConfigError on bad targets
    (the same fan-out as `plan_stack`, guardrails and machine consumers checked too)."""
    fanned = _fan_out(config, snapshot, source, today or clock.today())
    owners = [fanned.teams[n] for n in sorted(fanned.teams)]
    owners += [fanned.org_grants[g] for g in sorted(fanned.org_grants)]
    groups = tuple(sorted((spec for owner in owners for spec in owner.groups), key=lambda s: s.name))
    grants = tuple(grant for owner in owners for grant in owner.grants)
    return AccessPlan(groups, grants, tuple(w for owner in owners for w in owner_warnings(owner)))
