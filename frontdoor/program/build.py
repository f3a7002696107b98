"""The identity stack's program: what `__main__.py` runs, under `pulumi up` and under the offline engine,
for a stack that is neither the break-glass nor the monitoring stack (frontdoor/program/entry.py decides).

One way through, in the order that makes it fail safe: take the plan the offline preview handed over,
if any (frontdoor/domain/planning/handoff.py: the one seam, read once here) → load and validate the
stack config → create the two AWS providers and the Okta provider the reads need → check first-run
stage a (frontdoor/program/bootstrap.py: on a stack with nothing beyond stage a in its state, register
that stage alone; on a deployed stack, stop) → read the organization, the Identity Center instance and
the groups SCIM has synced → plan, completely (one plan: frontdoor/domain/planning/plan.py; every
grant's accounts and deferral decided) → plan the teams declared in Python inside `with stack():` with
it → check that the plan registers no less than the stack's state holds because of an observation (a
group with assignments that SCIM no longer syncs, provisioning off with push mappings in the state:
`PreconditionFailed`) → only then register: the platform, the optional sections, one component per
team and org grant from its planned data, the stack outputs from the plan. Bad input therefore stops
the program with a ConfigError naming the file, the field, the value and the fix, before the first
resource other than the providers. Every warning of the plan is logged (`pulumi.log.warn`), so the CLI
and the offline preview show it.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_okta as okta

from components.access_platform import AccessPlatform, AccessPlatformArgs
from components.okta_provider import okta_provider
from components.organization_access import OrganizationAccessArgs, OrganizationAccessComponent
from components.providers import AwsProviders, aws_providers, deployer
from components.team_access import TeamAccessArgs, TeamAccessComponent
from frontdoor.domain.config.parse import (
    is_break_glass,
    is_monitoring,
    parse_stack_config,
    pulumi_config_values,
)
from frontdoor.domain.documents.provider_identity import (
    identity_mode,
    provider_identity,
    refuse_apply,
)
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.bootstrap import (
    PreconditionFailed,
    require_provisioning_decision,
    shrink_checks,
)
from frontdoor.domain.planning.declarations import Declarations, DeclaredOrgGrant, DeclaredTeam, declaring
from frontdoor.domain.planning.handoff import PreparedPlan, handed, handed_facts
from frontdoor.domain.planning.identity_outputs import (
    BREAK_GLASS_USER_NAMES,
    OKTA_APP_LABEL,
    TRAIL_ACCOUNT_ID,
)
from frontdoor.domain.planning.organization import StackReads
from frontdoor.domain.planning.plan import StackPlan, plan_stack
from frontdoor.domain.planning.pulled import estate_path, read_pulled_facts
from frontdoor.program.bootstrap import PLATFORM_NAME, register_organization_stage
from frontdoor.program.identity_store import read_instance, read_synced_groups
from frontdoor.program.machines import register_machines
from frontdoor.program.organization_reader import read_organization
from frontdoor.program.prior_state import read_prior_state
from frontdoor.program.stack_file import refuse_credentials_in_stack_config, stack_source


def main() -> None:
    """The identity stack: the whole access plane, or only first-run stage a while its checks fail."""
    prepared = handed()
    config = load_config(prepared)
    # First run: until the organization plumbing is complete, register that stage alone (exit 0), on a
    # stack whose state holds nothing more; a deployed stack stops instead.
    providers = stack_providers(config)
    if not register_organization_stage(config, providers, source=stack_source()):
        register_stack(read_and_plan(config, providers, prepared))


def stack_providers(config: StackConfig) -> AwsProviders:
    """Both AWS providers, assuming the deployer, or the read-only preview role when
    FRONTDOOR_IDENTITY=preview (pull requests, the drift job); such a run may only preview. In every
    mode, a stack config holding a provider credential stops the run first."""
    refuse_credentials_in_stack_config()
    require_provisioning_decision(config.okta.provisioning_enabled, stack_source())
    mode = identity_mode(os.environ)
    refuse_apply(mode, pulumi.runtime.is_dry_run())
    preview_role = config.delivery.preview_role_name if config.delivery else None
    identity = provider_identity(deployer(config.organization), preview_role, mode, source=stack_source())
    return aws_providers(config.organization, identity)


def load_config(prepared: PreparedPlan | None = None) -> StackConfig:
    """The stack's config as the running program sees it: the prepared one when the preview parsed
    these very values (one parse per preview), else parsed here."""
    values = pulumi_config_values()
    if is_break_glass(values) or is_monitoring(values):
        raise TypeError(
            f"{stack_source()} is the config of the break-glass or the monitoring stack, not of an identity "
            "stack: run frontdoor.program.entry.main(), which runs the program of the stack it is"
        )
    parsed = prepared.config_for(values) if prepared is not None else None
    return parsed if parsed is not None else parse_stack_config(values, stack_source())


# Collector thresholds while the program registers: a full collection only after 1,000 middle-generation
# ones (the default is 10), as in the policy pack (policy/__main__.py).
GC_THRESHOLDS = (700, 50, 1000)


def tune_garbage_collection() -> None:
    """Keep the cyclic garbage collector from re-scanning what lives as long as the program.

    Registering thousands of resources allocates millions of short-lived objects, so with the default
    thresholds full collections ran again and again, each re-scanning the SDKs' modules, the config,
    the estate and every resource registered so far. Measured at 500 accounts, that was about a third
    of the program's time, with no gain in peak memory (benchmarks/README.md). The young generations are
    collected first, so what the config, the estate and the plan left behind is not frozen; young
    garbage is still collected as usual afterwards. Not a full collection: the old generation holds what
    the imports left alive, and scanning it again cost 0.09 s CPU at every preview (0.4 s while the
    Datadog SDK was imported) to find nothing (benchmarks/README.md, 2026-12-07).
    """
    gc.collect(1)
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@dataclass(frozen=True)
class PlannedStack:
    """The stack file's complete plan, and the providers it was read through: nothing registered yet
    but the providers."""

    plan: StackPlan
    providers: AwsProviders
    okta: okta.Provider

    def with_declared(
        self, teams: Sequence[DeclaredTeam] = (), org_grants: Sequence[DeclaredOrgGrant] = ()
    ) -> PlannedStack:
        """Plus the teams and org grants declared in Python, planned with the same reads."""
        return PlannedStack(self.plan.with_declared(teams, org_grants), self.providers, self.okta)


def read_stack(providers: AwsProviders) -> StackReads:
    """What the plan depends on, read before planning: the organization, the instance, the synced groups,
    and the facts no data source reads (the AWS Config recorders, from the stack's estate file)."""
    snapshot = read_organization(providers.management)
    instance = read_instance(providers.identity_center)
    synced = read_synced_groups(instance.identity_store_id, providers.identity_center)
    facts = handed_facts() or read_pulled_facts(estate_path(pulumi.get_stack()))
    return StackReads(snapshot, instance, synced, facts.config_recording, facts.source)


def read_and_plan(
    config: StackConfig | None = None,
    providers: AwsProviders | None = None,
    prepared: PreparedPlan | None = None,
) -> PlannedStack:
    """Validate, read, plan: nothing but providers registered."""
    tune_garbage_collection()
    refuse_credentials_in_stack_config()  # also when the caller passes its own providers
    if config is None:
        config = load_config(prepared)
    require_provisioning_decision(config.okta.provisioning_enabled, stack_source())
    providers = providers or stack_providers(config)
    # The token comes from the provider's environment (OKTA_API_TOKEN), never the stack config.
    okta_client = okta_provider(config.okta.org_name, config.okta.base_url)
    reads = read_stack(providers)
    # Every team, org grant, guardrail and machine consumer, resolved before anything registers.
    plan = prepared.plan_for(config, reads, stack_source()) if prepared is not None else None
    return PlannedStack(plan or plan_stack(config, reads, stack_source()), providers, okta_client)


def refuse_shrinking(plan: StackPlan) -> None:
    """Stop when the plan would register less than the stack's state holds because of an observation.

    The state is read only when the plan defers a group or provisioning is off (the two ways an
    observation or a stage flag drops resources); a clean run never reads it.
    """
    # Unset stopped the run before the plan (require_provisioning_decision).
    provisioning = plan.config.okta.provisioning_enabled is True
    if not plan.deferred_groups and provisioning:
        return
    prior = read_prior_state()
    checks = shrink_checks(prior, plan.deferred_groups, provisioning)
    if checks:
        raise PreconditionFailed(pulumi.get_stack(), prior, checks, plan.source)


def register_stack(planned: PlannedStack) -> AccessPlatform:
    """Everything the plan holds, each component from its planned data; then the stack outputs."""
    plan = planned.plan
    refuse_shrinking(plan)
    for warning in plan.warnings:
        pulumi.log.warn(warning)
    platform = AccessPlatform(
        PLATFORM_NAME, AccessPlatformArgs(plan=plan, aws=planned.providers, okta=planned.okta)
    )
    register_machines(plan, planned.providers)
    for team in plan.teams.values():
        TeamAccessComponent(team.name, TeamAccessArgs(plan=team, wiring=platform.wiring))
    for org_grant in plan.org_grants.values():
        OrganizationAccessComponent(
            org_grant.name, OrganizationAccessArgs(plan=org_grant, wiring=platform.wiring)
        )
    export(platform, plan)
    return platform


@contextlib.contextmanager
def stack(config: StackConfig | None = None, providers: AwsProviders | None = None) -> Iterator[Declarations]:
    """The platform and every team and org grant of the stack config; Python-declared teams go inside.

        with stack():
            TeamAccess("payments", members='user.department == "Payments"',
                       grants={"DeveloperAccess": ["Workloads/Dev"]})

    Read and plan, declare, then register: the stack file is planned before the block, the teams
    declared inside it are validated and planned with it when the block ends, and only then is
    anything registered; a bad team stops the run before the first resource. The block yields what it
    collected (`Declarations`: plain data). While first-run stage a is not complete, the run registers
    that stage alone (as `main()` does) and the block's declarations wait for a later run.
    """
    gated, config, providers = _first_run_stage(config, providers)
    if gated:
        with declaring() as declarations:
            yield declarations
        return
    planned = read_and_plan(config, providers, handed())
    with declaring() as declarations:
        yield declarations
    register_stack(planned.with_declared(declarations.teams, declarations.org_grants))


def _first_run_stage(
    config: StackConfig | None, providers: AwsProviders | None
) -> tuple[bool, StackConfig, AwsProviders]:
    """(whether this run registered first-run stage a alone, the config, the providers)."""
    if config is None:
        loaded = load_config(handed())
        if not isinstance(loaded, StackConfig):
            raise TypeError("this stack's config is the break-glass stack's: run frontdoor.program.main()")
        config = loaded
    providers = providers or stack_providers(config)
    return register_organization_stage(config, providers, source=stack_source()), config, providers


def build_stack(
    config: StackConfig | None = None,
    providers: AwsProviders | None = None,
    *,
    teams: Sequence[DeclaredTeam] = (),
    org_grants: Sequence[DeclaredOrgGrant] = (),
) -> AccessPlatform | None:
    """The whole stack from its config, plus teams and org grants declared as data
    (`frontdoor.domain.planning.declarations.declared_team(...)`): `stack()` without a block. None when
    first-run stage a is not complete and this run registered that stage alone."""
    gated, config, providers = _first_run_stage(config, providers)
    if gated:
        return None
    planned = read_and_plan(config, providers, handed())
    return register_stack(planned.with_declared(teams, org_grants))


def export(platform: AccessPlatform, plan: StackPlan) -> None:
    app = platform.saml_app
    # What Identity Center needs from Okta (metadata) and what Okta needs from Identity Center.
    pulumi.export("oktaSamlMetadataUrl", app.metadata_url)
    pulumi.export("oktaSamlCertificate", app.certificate)
    pulumi.export("identityCenterAcsUrl", app.acs_url)
    pulumi.export("identityCenterEntityId", app.entity_id)
    pulumi.export("identityCenterInstanceArn", plan.instance.arn)
    pulumi.export("permissionSetArns", {n: ps.arn for n, ps in platform.permission_sets.items()})
    pulumi.export("deferredGroups", list(plan.deferred_groups))
    pulumi.export("assignmentCount", plan.assignment_count)
    # What the monitoring stack reads through its StackReference (frontdoor/program/monitoring.py).
    config = plan.config
    pulumi.export(OKTA_APP_LABEL, config.okta.app_label)
    pulumi.export(TRAIL_ACCOUNT_ID, config.organization.management_account_id)
    pulumi.export(BREAK_GLASS_USER_NAMES, list(config.guardrails.break_glass_user_names))
