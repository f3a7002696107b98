"""The shared access platform every TeamAccess finds: Identity Center and Okta pieces owned once.

Owns what exists once per organization: the delegated administration of Identity Center, the
attributes for access control (ABAC), the permission-set catalogue, the SCP guardrails, the CI
deploy roles (GitHub OIDC, no stored keys), the organization CloudTrail and the IAM-user detectors
(`frontdoor:posture`) when configured, and on the
Okta side the app sign-on (MFA) policy, the SAML app, the profile attributes carried to the app user,
and SCIM provisioning (which owns every push mapping). While it is active, `TeamAccess` and
`OrganizationAccess` find it through `current_platform()` instead of being handed the instance ARN,
the catalogue and the estate lookups each time. The platform holds the stack's plan
(frontdoor/domain/planning/plan.py): teams register from their planned grants, and a team declared after the
platform is planned by the same function (`StackPlan.with_declared`). Inside `frontdoor.program.stack()`
the current context is a `Declarations` instead: Python teams are collected there and planned, all of
them, before the platform or any team registers. `finish()` assigns the app to the one assignment
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
from components.posture_detectors import PostureDetectors, PostureDetectorsArgs
from components.profile_attributes import ProfileAttributes, ProfileAttributesArgs
from components.providers import AwsProviders, deployer
from components.saml_app import IdentityCenterSamlApp, IdentityCenterSamlAppArgs
from components.scim_provisioning import ScimProvisioning, ScimProvisioningArgs
from components.sign_on_policy import SignOnPolicy, SignOnPolicyArgs
from frontdoor.domain import contracts
from frontdoor.domain.config.abac_chain import saml_attribute_statements, scim_profile_mappings
from frontdoor.domain.documents.deploy_permissions import deploy_policy
from frontdoor.domain.documents.deployer import self_assume_statement
from frontdoor.domain.documents.provider_identity import (
    PREVIEW_INLINE_POLICY_NAME,
    preview_identity,
    preview_policy,
)
from frontdoor.domain.model.grants import OrgGrant, TeamConfig
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.bootstrap import provisioning_check
from frontdoor.domain.planning.fanout import GroupGrant
from frontdoor.domain.planning.guardrails import ScpPlan
from frontdoor.domain.planning.organization import IdentityCenterInstance, OrgSnapshot
from frontdoor.domain.planning.plan import DeclaredOrgGrant, DeclaredTeam, OwnerPlan, StackPlan, is_deferred

TYPE = contracts.ACCESS_PLATFORM
# The deploy role's sessions outlive the first full apply (README "Deploying for real": the arithmetic).
DEPLOY_SESSION_SECONDS = 4 * 3600


class Declarations:
    """Teams and org grants declared in Python inside `stack()`, before anything registers.

    A `TeamAccess`/`OrganizationAccess` built while this is current validates its shape, records
    itself here and registers later, from the plan, once every declaration has been planned.
    """

    def __init__(self) -> None:
        self.teams: list[tuple[DeclaredTeam, pulumi.ComponentResource]] = []
        self.org_grants: list[tuple[DeclaredOrgGrant, pulumi.ComponentResource]] = []
        self.platform: AccessPlatform | None = None

    def declare_team(self, declared: DeclaredTeam, component: pulumi.ComponentResource) -> None:
        self.teams.append((declared, component))

    def declare_org_grant(self, declared: DeclaredOrgGrant, component: pulumi.ComponentResource) -> None:
        self.org_grants.append((declared, component))


_current: AccessPlatform | Declarations | None = None


def set_current(context: AccessPlatform | Declarations | None) -> None:
    global _current
    _current = context


class NoPlatform(RuntimeError):
    """A TeamAccess was declared before any AccessPlatform: there is nothing to find."""


def current_platform() -> AccessPlatform | Declarations:
    if _current is None:
        raise NoPlatform(
            "TeamAccess needs the stack's AccessPlatform: declare it first "
            "(frontdoor.program.build_platform() does), or pass platform= explicitly"
        )
    return _current


@dataclass(frozen=True, kw_only=True)
class AccessPlatformArgs:
    plan: StackPlan  # the stack file's plan (config, organization snapshot, grants, guardrails)
    instance: IdentityCenterInstance
    # Identity Center groups already synced by SCIM: display name -> group id (one listing).
    synced_groups: Mapping[str, str]
    aws: AwsProviders
    okta: okta.Provider

    @property
    def config(self) -> StackConfig:
        return self.plan.config

    @property
    def source(self) -> str:  # the stack file, named in every error message
        return self.plan.source

    @property
    def snapshot(self) -> OrgSnapshot:
        return self.plan.snapshot

    @property
    def scps(self) -> tuple[ScpPlan, ...]:
        return self.plan.scps


class AccessPlatform(pulumi.ComponentResource):
    permission_sets: dict[str, PermissionSet]
    saml_app: IdentityCenterSamlApp
    provisioning: ScimProvisioning
    profile_attributes: ProfileAttributes | None  # None when no ABAC key is carried by SCIM
    groups: dict[str, BirthrightGroup]
    deferred: list[str]
    assignment_count: int

    def __init__(
        self, name: str, args: AccessPlatformArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        self.args = args
        self.plan = args.plan
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
                adopt=config.bootstrap.adopt_delegated_administrator,
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
                adopt=config.bootstrap.adopt_access_control_attributes,
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
                    deployer_arns=deployer(config.organization).exempt_arns(),
                    break_glass_arns=tuple(
                        f"arn:aws:iam::{management}:user/{name}"
                        for name in config.guardrails.break_glass_user_names
                    ),
                    protect=protect,
                ),
                opts=aws_child,
            )

        if config.posture is not None:
            PostureDetectors(
                "posture",
                PostureDetectorsArgs(
                    config=config.posture,
                    break_glass_user_names=tuple(config.guardrails.break_glass_user_names),
                    management_provider=args.aws.management,
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
                # Only SAML-only keys: Identity Center replaces the assertion's value of a key it configures.
                abac_attributes=saml_attribute_statements(config),
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
        scim_mappings = scim_profile_mappings(config)  # app-user attribute -> Okta expression
        self.profile_attributes = (
            ProfileAttributes(
                "abac-attributes",
                ProfileAttributesArgs(
                    app_id=self.saml_app.app_id,
                    attributes=scim_mappings,
                    adopt=tuple(okta_config.adopt_profile_attributes),
                    protect=protect,
                ),
                opts=okta_child,
            )
            if scim_mappings
            else None
        )
        self.provisioning = ScimProvisioning(
            "scim",
            ScimProvisioningArgs(
                app_id=self.saml_app.app_id,
                push_group_prefix=okta_config.push_group_prefix,
                app_assignment_group=okta_config.app_assignment_group,
                token_expires_on=okta_config.scim_token_expires_on,
                manage_features=okta_config.manage_provisioning_features,
                provisioning_enabled=okta_config.provisioning_enabled,
                protect=protect,
            ),
            opts=okta_child,
        )
        self.groups = {}
        self.deferred = []
        self.assignment_count = 0
        self._finished = False
        set_current(self)

    def profile_schema(self) -> tuple[pulumi.Resource, ...]:
        """What a group rule over profile attributes must wait for: the custom attributes it reads."""
        return tuple(self.profile_attributes.schema) if self.profile_attributes else ()

    def _delivery(self, config: StackConfig, opts: pulumi.ResourceOptions) -> None:
        """The GitHub Actions roles: deploy (protected environments) and read-only preview (PRs)."""
        delivery = config.delivery
        assert delivery is not None
        management = config.organization.management_account_id
        the_deployer = deployer(config.organization)
        deploy = GitHubDeployRole(
            the_deployer.role_name,
            GitHubDeployRoleArgs(
                repository=delivery.repository,
                account_id=management,
                provider=self.args.aws.management,
                environments=tuple(delivery.deploy_environments),
                role_name=the_deployer.role_name,
                # Least privilege, derived from the types the management provider registers
                # (frontdoor/domain/documents/deploy_permissions.py), instead of AdministratorAccess.
                inline_policy=deploy_policy(
                    [the_deployer.management_role_arn, the_deployer.identity_center_role_arn],
                    trail_bucket=config.trail.bucket_name if config.trail else None,
                ),
                max_session_duration=DEPLOY_SESSION_SECONDS,
                # The management provider assumes this same role from the workflow's session.
                extra_trust_statements=(self_assume_statement(the_deployer),),
                adopt_oidc_provider=delivery.adopt_oidc_provider,
                protect=config.protect,
            ),
            opts=opts,
        )
        reader = preview_identity(the_deployer, delivery.preview_role_name)
        GitHubDeployRole(
            delivery.preview_role_name,
            GitHubDeployRoleArgs(
                repository=delivery.repository,
                account_id=management,
                provider=self.args.aws.management,
                branches=tuple(delivery.preview_branches),
                pull_requests=True,
                role_name=delivery.preview_role_name,
                # The reads the preview path makes (not ReadOnlyAccess: every S3 object of the
                # account); the providers assume this same role (and its namesake in the Identity
                # Center account) when FRONTDOOR_IDENTITY=preview; it may assume nothing else.
                inline_policy=preview_policy(
                    reader, trail_bucket=config.trail.bucket_name if config.trail else None
                ),
                inline_policy_name=PREVIEW_INLINE_POLICY_NAME,
                extra_trust_statements=(self_assume_statement(reader),),
                # One GitHub OIDC provider per account: the deploy role's, created (or adopted) first:
                # IAM rejects a trust policy whose Federated principal does not exist yet.
                create_oidc_provider=False,
                oidc_provider=deploy.oidc_provider,
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

    # --- planning for a TeamAccess / OrganizationAccess declared after the platform -------------
    def plan_team(self, name: str, team: TeamConfig, source: str) -> OwnerPlan:
        """Validate a team against the catalogue, the organization and every other owner, then fan out."""
        self.plan = self.plan.with_declared(teams=[DeclaredTeam(name, team, source)])
        return self.plan.teams[name]

    def plan_org_grant(self, group: str, grant: OrgGrant, source: str) -> OwnerPlan:
        self.plan = self.plan.with_declared(org_grants=[DeclaredOrgGrant(group, grant, source)])
        return self.plan.org_grants[group]

    def record(self, group: BirthrightGroup) -> None:
        self.groups[group.group_name] = group

    def record_assignments(self, grant: GroupGrant, count: int) -> None:
        if is_deferred(grant, self.args.synced_groups):
            if grant.group not in self.deferred:
                self.deferred.append(grant.group)
        else:
            self.assignment_count += count

    # --- after every team ------------------------------------------------------------------------
    def finish(self) -> None:
        """Assign the app to the group filled from every pushed group; then the platform is complete."""
        if self._finished:
            return
        self._finished = True
        AppAssignment(
            "app-assignment",
            AppAssignmentArgs(
                app_id=self.saml_app.app_id,
                group_name=self.args.config.okta.app_assignment_group,
                pushed_groups={name: group.members for name, group in sorted(self.groups.items())},
                push_group_prefix=self.args.config.okta.push_group_prefix,
                rule_depends_on=self.profile_schema(),
            ),
            opts=pulumi.ResourceOptions(parent=self, providers=[self.args.okta]),
        )
        # First-run stage d: groups wait for Group Push until the app's provisioning is on.
        for check in provisioning_check(
            self.args.config.okta.provisioning_enabled, len(self.provisioning.waiting)
        ):
            pulumi.log.warn(check.render())
        outputs: dict[str, Any] = {
            "permissionSetArns": {n: ps.arn for n, ps in self.permission_sets.items()},
            "samlAppId": self.saml_app.app_id,
            "deferredGroups": sorted(self.deferred),
        }
        self.register_outputs(outputs)
        if _current is self:
            set_current(None)
