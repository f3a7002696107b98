"""The frontdoor program: what `__main__.py` runs under `pulumi up` and under the offline engine.

Order matters for fail-safety: the config is validated, the organization and the identity store are
read and every grant and guardrail is resolved BEFORE the first resource (other than the two AWS
providers and the Okta provider the reads need) is registered. Bad input therefore stops the program
with a ConfigError naming the file, the field, the value and the fix.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pulumi

from components.access_platform import AccessPlatform, AccessPlatformArgs
from components.okta_provider import okta_provider
from components.organization_access import OrganizationAccess
from components.providers import aws_providers
from components.team_access import TeamAccess
from frontdoor.config import from_pulumi_config
from frontdoor.fanout import plan_access
from frontdoor.identity_store import read_instance, read_synced_groups
from frontdoor.model import StackConfig
from frontdoor.organization_reader import read_organization
from frontdoor.scp import plan_guardrails


def build_platform(config: StackConfig | None = None) -> AccessPlatform:
    """Validate, read the estate, plan, then register the shared platform (and make it current)."""
    config = config or from_pulumi_config()
    source = f"stacks/Pulumi.{pulumi.get_stack()}.yaml"
    providers = aws_providers(config.organization)
    okta = okta_provider(
        config.okta.org_name, config.okta.base_url, pulumi.Config("okta").get_secret("apiToken")
    )
    snapshot = read_organization(providers.management)
    plan_access(config, snapshot, source)  # every team and org grant checked before registering any
    scps = plan_guardrails(config.guardrails, snapshot, source, config.quotas)
    instance = read_instance(providers.identity_center)
    synced = read_synced_groups(instance.identity_store_id, providers.identity_center)
    return AccessPlatform(
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
