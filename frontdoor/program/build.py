"""The frontdoor program: what `__main__.py` runs under `pulumi up` and under the offline engine.

Order matters for fail-safety: the config is validated, the organization and the identity store are
read and every grant and guardrail is resolved BEFORE the first resource (other than the two AWS
providers and the Okta provider the reads need) is registered. Bad input therefore stops the program
with a ConfigError naming the file, the field, the value and the fix.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

import pulumi

from components.access_platform import AccessPlatform, AccessPlatformArgs
from components.break_glass import BreakGlass, BreakGlassArgs
from components.okta_provider import okta_provider
from components.organization_access import OrganizationAccess
from components.providers import aws_providers, management_provider
from components.team_access import TeamAccess
from frontdoor.domain.config import from_pulumi_config
from frontdoor.domain.fanout import plan_access
from frontdoor.domain.model import BreakGlassStackConfig, StackConfig
from frontdoor.domain.scp import plan_guardrails
from frontdoor.program.identity_store import read_instance, read_synced_groups
from frontdoor.program.machines_and_monitors import plan_sections, register_sections
from frontdoor.program.organization_reader import read_organization


def main() -> None:
    """What `__main__.py` runs: the access stack, or the break-glass stack when its config says so."""
    config = from_pulumi_config()
    if isinstance(config, BreakGlassStackConfig):
        build_break_glass(config)
    else:
        build_stack(config)


def build_break_glass(config: BreakGlassStackConfig) -> BreakGlass:
    """Emergency IAM users in the management account, in a stack federation changes never touch."""
    org = config.organization
    management = management_provider(org)
    break_glass = BreakGlass(
        "break-glass",
        BreakGlassArgs(
            user_names=tuple(config.break_glass.user_names),
            alert_emails=tuple(config.break_glass.alert_emails),
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


def build_platform(config: StackConfig | None = None) -> AccessPlatform:
    """Validate, read the estate, plan, then register the shared platform (and make it current)."""
    tune_garbage_collection()
    if config is None:
        loaded = from_pulumi_config()
        if not isinstance(loaded, StackConfig):
            raise TypeError("this stack's config is the break-glass stack's: run frontdoor.program.main()")
        config = loaded
    source = f"stacks/Pulumi.{pulumi.get_stack()}.yaml"
    providers = aws_providers(config.organization)
    okta = okta_provider(
        config.okta.org_name, config.okta.base_url, pulumi.Config("okta").get_secret("apiToken")
    )
    snapshot = read_organization(providers.management)
    plan_access(config, snapshot, source)  # every team and org grant checked before registering any
    scps = plan_guardrails(config.guardrails, snapshot, source, config.quotas)
    sections = plan_sections(config, snapshot, source)
    instance = read_instance(providers.identity_center)
    synced = read_synced_groups(instance.identity_store_id, providers.identity_center)
    platform = AccessPlatform(
        "frontdoor",
        AccessPlatformArgs(
            config=config,
            source=source,
            snapshot=snapshot,
            scps=scps,
            instance=instance,
            synced_groups=synced,
            aws=providers,
            okta=okta,
        ),
    )
    register_sections(config, sections, snapshot, providers)
    return platform


@contextlib.contextmanager
def stack(config: StackConfig | None = None) -> Iterator[AccessPlatform]:
    """The platform and every team and org grant of the stack config; Python-declared teams go inside.

        with stack():
            TeamAccess("payments", members='user.department == "Payments"',
                       grants={"DeveloperAccess": ["Workloads/Dev"]})

    On exit the app is assigned to every pushed group and the stack outputs are exported.
    """
    platform = build_platform(config)
    stack_config = platform.args.config
    for name, team in sorted(stack_config.teams.items()):
        TeamAccess(
            name,
            members=team.members,
            grants={k: g.model_dump(by_alias=True, exclude_defaults=True) for k, g in team.grants.items()},
            description=team.description,
        )
    for group, grant in sorted(stack_config.org_grants.items()):
        OrganizationAccess(
            group,
            members=grant.members,
            permission_set=grant.permission_set,
            targets=grant.targets,
            exclude=grant.exclude,
            include_management_account=grant.include_management_account,
            description=grant.description,
            expires=grant.expires,
            ticket=grant.ticket,
        )
    yield platform
    platform.finish()
    export(platform)


def build_stack(config: StackConfig | None = None) -> AccessPlatform:
    """The whole stack from its config: what `__main__.py` runs."""
    with stack(config) as platform:
        return platform


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
