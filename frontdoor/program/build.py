"""The frontdoor program: what `__main__.py` runs under `pulumi up` and under the offline engine.

Order matters for fail-safety: the config is validated, the organization and the identity store are
read and every grant and guardrail is resolved (one plan: frontdoor/domain/planning/plan.py) BEFORE the first
resource (other than the two AWS providers and the Okta provider the reads need) is registered.
Teams declared in Python inside `with stack():` are planned with the stack file's before anything
registers too. Bad input therefore stops the program with a ConfigError naming the file, the field,
the value and the fix. Every warning of the plan is logged (`pulumi.log.warn`), so the CLI and the
offline preview show it.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pulumi
import pulumi_okta as okta

from components.access_platform import AccessPlatform, AccessPlatformArgs, Declarations, set_current
from components.break_glass import BreakGlass, BreakGlassArgs
from components.okta_provider import okta_provider
from components.organization_access import OrganizationAccess
from components.providers import AwsProviders, aws_providers, deployer, management_provider
from components.team_access import TeamAccess
from frontdoor.domain.config.parse import is_break_glass, parse_break_glass_config, pulumi_config_values
from frontdoor.domain.documents.provider_identity import (
    identity_mode,
    provider_identity,
    refuse_apply,
    refuse_token_in_reach,
)
from frontdoor.domain.model.stack import BreakGlassStackConfig, StackConfig
from frontdoor.domain.planning.organization import IdentityCenterInstance, OrgSnapshot
from frontdoor.domain.planning.plan import StackPlan, parse_for_program, plan_for_program
from frontdoor.program.bootstrap import register_organization_stage
from frontdoor.program.identity_store import read_instance, read_synced_groups
from frontdoor.program.machines_and_monitors import SectionPlans, register_sections
from frontdoor.program.organization_reader import read_organization


def main() -> None:
    """What `__main__.py` runs: the access stack, or the break-glass stack when its config says so."""
    config = load_config()
    if isinstance(config, BreakGlassStackConfig):
        build_break_glass(config)
        return
    # First run: until the organization plumbing is complete, register that stage alone (exit 0).
    providers = stack_providers(config)
    if not register_organization_stage(config, providers):
        build_stack(config, providers)


def stack_providers(config: StackConfig) -> AwsProviders:
    """Both AWS providers, assuming the deployer, or the read-only preview role when
    FRONTDOOR_IDENTITY=preview (pull requests, the drift job); such a run may only preview, and only
    with the Okta deploy token out of the stack config."""
    mode = identity_mode(os.environ)
    refuse_apply(mode, pulumi.runtime.is_dry_run())
    token_in_config = pulumi.Config("okta").get_secret("apiToken") is not None
    refuse_token_in_reach(mode, token_in_config, source=stack_source())
    preview_role = config.delivery.preview_role_name if config.delivery else None
    identity = provider_identity(deployer(config.organization), preview_role, mode, source=stack_source())
    return aws_providers(config.organization, identity)


def stack_source() -> str:
    return f"stacks/Pulumi.{pulumi.get_stack()}.yaml"


def load_config() -> StackConfig | BreakGlassStackConfig:
    """The stack's config as the running program sees it; parsed once per preview (plan.prepared)."""
    values = pulumi_config_values()
    if is_break_glass(values):
        return parse_break_glass_config(values, stack_source())
    return parse_for_program(values, stack_source())


def build_break_glass(config: BreakGlassStackConfig) -> BreakGlass:
    """Emergency IAM users in the management account, in a stack federation changes never touch."""
    org = config.organization
    management = management_provider(org)
    break_glass = BreakGlass(
        "break-glass",
        BreakGlassArgs(
            user_names=tuple(config.break_glass.user_names),
            alert_emails=tuple(config.break_glass.alert_emails),
            alert_regions=tuple(config.break_glass.alert_regions),
            path=config.break_glass.path,
            account_id=org.management_account_id,
            provider=management,
            protect=config.protect,
            scim_token_expiry_region=org.region,
        ),
    )
    pulumi.export("breakGlassUserNames", list(break_glass.user_names))
    pulumi.export("breakGlassAlertTopicArn", break_glass.topic_arn)
    return break_glass


# Collector thresholds while the program registers: a full collection only after 1,000 middle-generation
# ones (the default is 10), as in the policy pack (policy/__main__.py).
GC_THRESHOLDS = (700, 50, 1000)


def tune_garbage_collection() -> None:
    """Keep the cyclic garbage collector from re-scanning what lives as long as the program.

    Registering thousands of resources allocates millions of short-lived objects, so with the default
    thresholds full collections ran again and again, each re-scanning the SDKs' modules, the config,
    the estate and every resource registered so far. Measured at 500 accounts, that was about a third
    of the program's time, with no gain in peak memory (benchmarks/README.md). Garbage is collected
    first, so only live objects are frozen; young garbage is still collected as usual.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@dataclass(frozen=True)
class StackReads:
    """What the program read before registering anything, and the stack file's plan."""

    plan: StackPlan
    providers: AwsProviders
    okta: okta.Provider
    instance: IdentityCenterInstance
    synced_groups: dict[str, str]
    snapshot: OrgSnapshot
    sections: SectionPlans


def read_and_plan(config: StackConfig | None = None, providers: AwsProviders | None = None) -> StackReads:
    """Validate, read the organization and the identity store, plan: nothing but providers registered."""
    tune_garbage_collection()
    if config is None:
        loaded = load_config()
        if not isinstance(loaded, StackConfig):
            raise TypeError("this stack's config is the break-glass stack's: run frontdoor.program.main()")
        config = loaded
    providers = providers or stack_providers(config)
    okta_settings = pulumi.Config("okta")
    okta_client = okta_provider(
        config.okta.org_name, config.okta.base_url, okta_settings.get_secret("apiToken")
    )
    snapshot = read_organization(providers.management)
    # Every team, org grant, guardrail and machine consumer, resolved before anything registers.
    plan = plan_for_program(config, snapshot, stack_source())
    sections = SectionPlans(plan.machines)
    instance = read_instance(providers.identity_center)
    synced = read_synced_groups(instance.identity_store_id, providers.identity_center)
    return StackReads(plan, providers, okta_client, instance, dict(synced), snapshot, sections)


def register_platform(reads: StackReads, plan: StackPlan) -> AccessPlatform:
    for warning in plan.warnings:
        pulumi.log.warn(warning)
    platform = AccessPlatform(
        "frontdoor",
        AccessPlatformArgs(
            plan=plan,
            instance=reads.instance,
            synced_groups=reads.synced_groups,
            aws=reads.providers,
            okta=reads.okta,
        ),
    )
    register_sections(plan.config, reads.sections, reads.snapshot, reads.providers)
    return platform


def build_platform(
    config: StackConfig | None = None, providers: AwsProviders | None = None
) -> AccessPlatform:
    """Validate, read the estate, plan, then register the shared platform (and make it current).

    Teams built after it are planned one at a time as they are declared; `stack()` instead plans
    every Python team before registering anything.
    """
    reads = read_and_plan(config, providers)
    return register_platform(reads, reads.plan)


@contextlib.contextmanager
def stack(config: StackConfig | None = None, providers: AwsProviders | None = None) -> Iterator[Declarations]:
    """The platform and every team and org grant of the stack config; Python-declared teams go inside.

        with stack():
            TeamAccess("payments", members='user.department == "Payments"',
                       grants={"DeveloperAccess": ["Workloads/Dev"]})

    Declare, then register: the teams inside the block are validated and planned with the stack
    file's when the block ends, and only then is anything registered; a bad team stops the run
    before the first resource. The platform is `.platform` of the yielded declarations after the
    block. On exit the app is assigned to every pushed group and the stack outputs are exported.
    """
    reads = read_and_plan(config, providers)
    declarations = Declarations()
    set_current(declarations)
    try:
        yield declarations
    finally:
        set_current(None)
    plan = reads.plan.with_declared(
        [declared for declared, _ in declarations.teams],
        [declared for declared, _ in declarations.org_grants],
    )
    platform = register_platform(reads, plan)
    declarations.platform = platform
    for name in sorted(reads.plan.teams):
        TeamAccess.from_plan(platform, name)
    for group in sorted(reads.plan.org_grants):
        OrganizationAccess.from_plan(platform, group)
    for declared, team in declarations.teams:
        assert isinstance(team, TeamAccess)
        team.register_planned(platform, plan.teams[declared.name])
    for declared_grant, access in declarations.org_grants:
        assert isinstance(access, OrganizationAccess)
        access.register_planned(platform, plan.org_grants[declared_grant.group])
    platform.finish()
    export(platform)


def build_stack(config: StackConfig | None = None, providers: AwsProviders | None = None) -> AccessPlatform:
    """The whole stack from its config: what `__main__.py` runs."""
    with stack(config, providers) as declarations:
        pass
    assert declarations.platform is not None
    return declarations.platform


def export(platform: AccessPlatform) -> None:
    app = platform.saml_app
    # What Identity Center needs from Okta (metadata) and what Okta needs from Identity Center.
    pulumi.export("oktaSamlMetadataUrl", app.metadata_url)
    pulumi.export("oktaSamlCertificate", app.certificate)
    pulumi.export("identityCenterAcsUrl", app.acs_url)
    pulumi.export("identityCenterEntityId", app.entity_id)
    pulumi.export("identityCenterInstanceArn", platform.args.instance.arn)
    pulumi.export("permissionSetArns", {n: ps.arn for n, ps in platform.permission_sets.items()})
    pulumi.export("deferredGroups", sorted(platform.deferred))
    pulumi.export("assignmentCount", platform.assignment_count)
