"""The shared access platform every TeamAccess finds: Identity Center and Okta pieces owned once.

Owns what exists once per organization: the delegated administration of Identity Center, the
attributes for access control (ABAC), the permission-set catalogue, the SCP guardrails, the CI
deploy roles (GitHub OIDC, no stored keys) and the organization CloudTrail when configured, and on the
Okta side the app sign-on (MFA) policy, the SAML app, the profile attributes carried to the app user,
and SCIM provisioning (which owns every push mapping). While it is active, `TeamAccess` and
`OrganizationAccess` find it through `current_platform()` instead of being handed the instance ARN,
the catalogue and the estate lookups each time. `finish()` assigns the app to the one assignment
group filled from every pushed group, once all teams have registered theirs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_okta as okta

from components.access_control_attributes import AccessControlAttributes, AccessControlAttributesArgs
from components.app_assignment import AppAssignment, AppAssignmentArgs
from components.birthright_group import BirthrightGroup
from components.github_deploy_role import GitHubDeployRole, GitHubDeployRoleArgs
from components.guardrails import Guardrails, GuardrailsArgs
from components.organization_plumbing import OrganizationPlumbing, OrganizationPlumbingArgs
from components.organization_trail import OrganizationTrail, OrganizationTrailArgs
from components.permission_set import PermissionSet, PermissionSetArgs
from components.profile_attributes import ProfileAttributes, ProfileAttributesArgs
from components.providers import AwsProviders
from components.saml_app import IdentityCenterSamlApp, IdentityCenterSamlAppArgs
from components.scim_provisioning import ScimProvisioning, ScimProvisioningArgs
from components.sign_on_policy import SignOnPolicy, SignOnPolicyArgs
from frontdoor.domain.config import cross_check
from frontdoor.domain.errors import ConfigError, ConfigIssue
from frontdoor.domain.fanout import GroupGrant, GroupSpec, Resolver, plan_org_grant, plan_team
from frontdoor.domain.model import OrgGrant, StackConfig, TeamConfig
from frontdoor.domain.organization import IdentityCenterInstance, OrgSnapshot
from frontdoor.domain.scp import ScpPlan

TYPE = "frontdoor:index:AccessPlatform"

_current: AccessPlatform | None = None


class NoPlatform(RuntimeError):
    """A TeamAccess was declared before any AccessPlatform: there is nothing to find."""


def current_platform() -> AccessPlatform:
    if _current is None:
        raise NoPlatform(
            "TeamAccess needs the stack's AccessPlatform: declare it first "
            "(frontdoor.program.build_platform() does), or pass platform= explicitly"
        )
    return _current


@dataclass(frozen=True, kw_only=True)
class AccessPlatformArgs:
    config: StackConfig
    source: str  # the stack file, named in every error message
    snapshot: OrgSnapshot
    scps: tuple[ScpPlan, ...]
    instance: IdentityCenterInstance
    # Identity Center groups already synced by SCIM: display name -> group id (one listing).
    synced_groups: Mapping[str, str]
    aws: AwsProviders
    okta: okta.Provider


class AccessPlatform(pulumi.ComponentResource):
    permission_sets: dict[str, PermissionSet]
    saml_app: IdentityCenterSamlApp
    provisioning: ScimProvisioning
    groups: dict[str, BirthrightGroup]
    deferred: list[str]
    assignment_count: int

    def __init__(
        self, name: str, args: AccessPlatformArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        self.args = args
        config = args.config
        aws_child = pulumi.ResourceOptions(parent=self)
        okta_child = pulumi.ResourceOptions(parent=self, providers=[args.okta])
        protect = config.protect

        OrganizationPlumbing(
            "organization",
            OrganizationPlumbingArgs(
                management_account_id=config.organization.management_account_id,
                identity_center_account_id=config.organization.identity_center_account_id,
                management_provider=args.aws.management,
                protect=protect,
            ),
            opts=aws_child,
        )
        AccessControlAttributes(
            "abac",
            AccessControlAttributesArgs(
                instance_arn=args.instance.arn,
                attributes=config.identity_center.access_control_attributes,
                provider=args.aws.identity_center,
                protect=protect,
            ),
            opts=aws_child,
        )
        self.permission_sets = {
            set_name: PermissionSet(
                set_name,
                PermissionSetArgs(
                    name=set_name,
                    config=set_config,
                    instance_arn=args.instance.arn,
                    provider=self.provider_for(set_name),
                ),
                opts=aws_child,
            )
            for set_name, set_config in sorted(config.permission_sets.items())
        }
        Guardrails(
            "guardrails",
            GuardrailsArgs(plans=args.scps, management_provider=args.aws.management, protect=protect),
            opts=aws_child,
        )

        management = config.organization.management_account_id
        if config.delivery is not None:
            self._delivery(config, aws_child)
        if config.trail is not None:
            OrganizationTrail(
                "organization-trail",
                OrganizationTrailArgs(
                    bucket_name=config.trail.bucket_name,
                    trail_name=config.trail.trail_name,
                    organization_id=args.snapshot.organization_id,
                    management_account_id=management,
                    region=config.organization.region,
                    management_provider=args.aws.management,
                    deployer_arns=tuple(
                        f"arn:aws:iam::{management}:role/{name}" for name in self._deployer_role_names()
                    ),
                    break_glass_arns=tuple(
                        f"arn:aws:iam::{management}:user/{name}"
                        for name in config.guardrails.break_glass_user_names
                    ),
                    protect=protect,
                ),
                opts=aws_child,
            )

        okta_config = config.okta
        sign_on = SignOnPolicy(
            "aws-sign-on",
            SignOnPolicyArgs(
                name=okta_config.app_label, reauthenticate_every=okta_config.mfa_reauthenticate_every
            ),
            opts=okta_child,
        )
        self.saml_app = IdentityCenterSamlApp(
            "aws-identity-center",
            IdentityCenterSamlAppArgs(
                label=okta_config.app_label,
                acs_url=okta_config.acs_url,
                entity_id=okta_config.entity_id,
                abac_attributes=okta_config.abac_attributes,
                authentication_policy=sign_on.policy_id,
                protect=protect,
                certificate_expires_on=(
                    okta_config.saml_certificate_expires_on.isoformat()
                    if okta_config.saml_certificate_expires_on
                    else None
                ),
            ),
            opts=okta_child,
        )
        ProfileAttributes(
            "abac-attributes",
            ProfileAttributesArgs(app_id=self.saml_app.app_id, attributes=okta_config.abac_attributes),
            opts=okta_child,
        )
        self.provisioning = ScimProvisioning(
            "scim",
            ScimProvisioningArgs(
                app_id=self.saml_app.app_id,
                push_group_prefix=okta_config.push_group_prefix,
                app_assignment_group=okta_config.app_assignment_group,
                token_expires_on=okta_config.scim_token_expires_on,
                manage_features=okta_config.manage_provisioning_features,
                protect=protect,
            ),
            opts=okta_child,
        )
        self.groups = {}
        self.deferred = []
        self.assignment_count = 0
        self._group_owners: dict[str, str] = {}
        self._owners: set[str] = set()
        self._finished = False
        global _current
        _current = self

    def _deployer_role_names(self) -> list[str]:
        delivery = self.args.config.delivery
        return [delivery.deploy_role_name] if delivery else []

    def _delivery(self, config: StackConfig, opts: pulumi.ResourceOptions) -> None:
        """The GitHub Actions roles: deploy (protected environments) and read-only preview (PRs)."""
        delivery = config.delivery
        assert delivery is not None
        management = config.organization.management_account_id
        GitHubDeployRole(
            delivery.deploy_role_name,
            GitHubDeployRoleArgs(
                repository=delivery.repository,
                account_id=management,
                provider=self.args.aws.management,
                environments=tuple(delivery.deploy_environments),
                role_name=delivery.deploy_role_name,
                managed_policy_arns=("arn:aws:iam::aws:policy/AdministratorAccess",),
                protect=config.protect,
            ),
            opts=opts,
        )
        GitHubDeployRole(
            delivery.preview_role_name,
            GitHubDeployRoleArgs(
                repository=delivery.repository,
                account_id=management,
                provider=self.args.aws.management,
                branches=tuple(delivery.preview_branches),
                pull_requests=True,
                role_name=delivery.preview_role_name,
                managed_policy_arns=("arn:aws:iam::aws:policy/ReadOnlyAccess",),
                # One GitHub OIDC provider per account: the deploy role's.
                create_oidc_provider=False,
                protect=config.protect,
            ),
            opts=opts,
        )

    def provider_for(self, permission_set: str) -> aws.Provider:
        """The management provider for sets granted on the management account, else Identity Center's."""
        set_config = self.args.config.permission_sets[permission_set]
        return (
            self.args.aws.management
            if set_config.managed_from_management_account
            else self.args.aws.identity_center
        )

    # --- planning for TeamAccess / OrganizationAccess (pure, before they register anything) ---------
    def plan_team(self, name: str, team: TeamConfig, source: str) -> tuple[list[GroupSpec], list[GroupGrant]]:
        """Validate a team against the catalogue, the organization and every other owner, then fan out."""
        config = self.args.config
        if config.teams.get(name) != team:
            merged = config.model_copy(update={"teams": {**config.teams, name: team}})
            issues = cross_check(merged, source)
            if issues:
                raise ConfigError(issues)
        resolver = Resolver(self.args.snapshot, source)
        groups, grants = plan_team(name, team, config, resolver)
        resolver.raise_if_any()
        self._claim(f"team:{name}", [spec.name for spec in groups], source, f"TeamAccess({name!r})")
        return groups, grants

    def plan_org_grant(self, group: str, grant: OrgGrant, source: str) -> tuple[GroupSpec, GroupGrant]:
        config = self.args.config
        if config.org_grants.get(group) != grant:
            merged = config.model_copy(update={"org_grants": {**config.org_grants, group: grant}})
            issues = cross_check(merged, source)
            if issues:
                raise ConfigError(issues)
        resolver = Resolver(self.args.snapshot, source)
        spec, planned = plan_org_grant(group, grant, config, resolver)
        resolver.raise_if_any()
        self._claim(f"org:{group}", [group], source, f"OrganizationAccess({group!r})")
        return spec, planned

    def _claim(self, owner: str, groups: list[str], source: str, where: str) -> None:
        issues: list[ConfigIssue] = []
        if owner in self._owners:
            issues.append(
                ConfigIssue(source, where, owner, "declared twice in one stack", "declare each team once")
            )
        for group in groups:
            previous = self._group_owners.get(group)
            if previous is not None and previous != owner:
                issues.append(
                    ConfigIssue(
                        source,
                        where,
                        group,
                        f"group {group!r} is already owned by {previous}",
                        "rename the team or the tier so that each group has one owner",
                    )
                )
        if issues:
            raise ConfigError(issues)
        self._owners.add(owner)
        for group in groups:
            self._group_owners[group] = owner

    def record(self, group: BirthrightGroup) -> None:
        self.groups[group.group_name] = group

    def record_assignments(self, *, deferred: bool, group: str, count: int) -> None:
        if deferred and group not in self.deferred:
            self.deferred.append(group)
        if not deferred:
            self.assignment_count += count

    # --- after every team ------------------------------------------------------------------------
    def finish(self) -> None:
        """Assign the app to the group filled from every pushed group; then the platform is complete."""
        global _current
        if self._finished:
            return
        self._finished = True
        AppAssignment(
            "app-assignment",
            AppAssignmentArgs(
                app_id=self.saml_app.app_id,
                group_name=self.args.config.okta.app_assignment_group,
                pushed_groups={name: group.group_id for name, group in sorted(self.groups.items())},
                push_group_prefix=self.args.config.okta.push_group_prefix,
            ),
            opts=pulumi.ResourceOptions(parent=self, providers=[self.args.okta]),
        )
        outputs: dict[str, Any] = {
            "permissionSetArns": {n: ps.arn for n, ps in self.permission_sets.items()},
            "samlAppId": self.saml_app.app_id,
            "deferredGroups": sorted(self.deferred),
        }
        self.register_outputs(outputs)
        if _current is self:
            _current = None
