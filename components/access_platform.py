"""The shared access platform: Identity Center and Okta pieces owned once, and what teams attach to.

Owns what exists once per organization: the delegated administration of Identity Center, the
attributes for access control (ABAC), the permission-set catalogue, the SCP guardrails, the CI
deploy roles (GitHub OIDC, no stored keys), the organization CloudTrail and the IAM-user detectors
(`frontdoor:posture`) when configured, and on the Okta side the app sign-on (MFA) policy, the SAML
app, the profile attributes carried to the app user, SCIM provisioning (which owns every push
mapping) and the app's assignment group, filled from every group the plan pushes. It is built from
the stack's complete plan (frontdoor/domain/planning/plan.py), so its outputs (the deferred groups)
are the plan's. What a team's or org grant's resources attach to (the Okta provider, SCIM
provisioning, the profile schema, the permission sets and their providers) it hands out as plain
values, `wiring`: `TeamAccess` and `OrganizationAccess` components take it as an argument and never
find, read or write the platform.
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
from frontdoor.domain.documents.break_glass import break_glass_user_arns
from frontdoor.domain.documents.delivery_roles import DEPLOY_SESSION_SECONDS
from frontdoor.domain.documents.deploy_permissions import access_deploy_policy
from frontdoor.domain.documents.deployer import self_assume_statement
from frontdoor.domain.documents.provider_identity import (
    PREVIEW_INLINE_POLICY_NAME,
    preview_identity,
    preview_policy,
)
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.bootstrap import provisioning_check
from frontdoor.domain.planning.guardrails import ScpPlan
from frontdoor.domain.planning.organization import IdentityCenterInstance, OrgSnapshot
from frontdoor.domain.planning.plan import StackPlan

TYPE = contracts.ACCESS_PLATFORM


@dataclass(frozen=True, kw_only=True)
class AccessPlatformArgs:
    plan: StackPlan  # the complete plan: config, what was read (organization, instance), every grant
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
    def instance(self) -> IdentityCenterInstance:
        return self.plan.instance

    @property
    def scps(self) -> tuple[ScpPlan, ...]:
        return self.plan.scps


@dataclass(frozen=True, kw_only=True)
class GrantWiring:
    """What a team's or org grant's resources attach to, handed over by the platform as plain values."""

    okta: okta.Provider
    provisioning: ScimProvisioning  # owns every push mapping
    # The profile attributes group rules read (ProfileAttributes.schema): created before the rules.
    rule_depends_on: tuple[pulumi.Resource, ...]
    instance_arn: str
    permission_sets: Mapping[str, PermissionSet]
    # Permission set name -> the provider its assignments are made with (management for sets granted there).
    assignment_providers: Mapping[str, aws.Provider]


class AccessPlatform(pulumi.ComponentResource):
    permission_sets: dict[str, PermissionSet]
    saml_app: IdentityCenterSamlApp
    provisioning: ScimProvisioning
    profile_attributes: ProfileAttributes | None  # None when no ABAC key is carried by SCIM
    app_assignment: AppAssignment
    wiring: GrantWiring

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
                    # The break-glass stack's users, path included (their ARN is what aws:PrincipalArn holds).
                    break_glass_arns=break_glass_user_arns(
                        management,
                        config.guardrails.break_glass_path,
                        config.guardrails.break_glass_user_names,
                    ),
                    datadog=config.trail.datadog,
                    protect=protect,
                ),
                opts=aws_child,
            )

        if config.posture is not None:
            PostureDetectors(
                "posture",
                PostureDetectorsArgs(
                    config=config.posture,
                    break_glass_path=config.guardrails.break_glass_path,
                    break_glass_user_names=tuple(config.guardrails.break_glass_user_names),
                    management_provider=args.aws.management,
                    excluded_accounts=(
                        args.plan.config_rule_exclusions.excluded if args.plan.config_rule_exclusions else ()
                    ),
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
                    create_app_user=tuple(okta_config.create_app_user_properties),
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
                provisioning_enabled=okta_config.provisioning_enabled is True,
                protect=protect,
            ),
            opts=okta_child,
        )
        self.app_assignment = AppAssignment(
            "app-assignment",
            AppAssignmentArgs(
                app_id=self.saml_app.app_id,
                group_name=okta_config.app_assignment_group,
                # Every group the plan pushes, with the expression that fills it.
                pushed_groups={spec.name: spec.members for spec in self.plan.groups},
                push_group_prefix=okta_config.push_group_prefix,
                rule_depends_on=self.profile_schema(),
            ),
            opts=okta_child,
        )
        # First-run stage d: groups wait for Group Push until the app's provisioning is on.
        provisioning_enabled = okta_config.provisioning_enabled is True  # unset stopped the program
        waiting = 0 if provisioning_enabled else len(self.plan.groups)
        for check in provisioning_check(provisioning_enabled, waiting):
            pulumi.log.warn(check.render())
        self.wiring = GrantWiring(
            okta=args.okta,
            provisioning=self.provisioning,
            rule_depends_on=self.profile_schema(),
            instance_arn=args.instance.arn,
            permission_sets=self.permission_sets,
            assignment_providers={name: self.provider_for(name) for name in self.permission_sets},
        )
        outputs: dict[str, Any] = {
            "permissionSetArns": {n: ps.arn for n, ps in self.permission_sets.items()},
            "samlAppId": self.saml_app.app_id,
            "deferredGroups": list(self.plan.deferred_groups),
        }
        self.register_outputs(outputs)

    def profile_schema(self) -> tuple[pulumi.Resource, ...]:
        """What a group rule over profile attributes must wait for: the custom attributes it reads."""
        return tuple(self.profile_attributes.schema) if self.profile_attributes else ()

    def _delivery(self, config: StackConfig, opts: pulumi.ResourceOptions) -> None:
        """The GitHub Actions roles: deploy (protected environments) and read-only preview (PRs)."""
        delivery = config.delivery
        assert delivery is not None
        for adopted, flag in (
            (delivery.adopt_deploy_role, "adoptDeployRole"),
            (delivery.adopt_preview_role, "adoptPreviewRole"),
            (delivery.adopt_oidc_provider, "adoptOidcProvider"),
        ):
            if adopted:
                pulumi.log.warn(
                    f"frontdoor:delivery.{flag} is set: the object is imported as it exists; unset the flag "
                    "once this apply has succeeded (docs/first-run.md step 0)"
                )
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
                # Least privilege, derived from the types the management provider registers, IAM writes
                # on exact ARNs (frontdoor/domain/documents/deploy_permissions.py), instead of
                # AdministratorAccess.
                inline_policy=access_deploy_policy(config, the_deployer),
                max_session_duration=DEPLOY_SESSION_SECONDS,
                # The management provider assumes this same role from the workflow's session.
                extra_trust_statements=(self_assume_statement(the_deployer),),
                adopt_oidc_provider=delivery.adopt_oidc_provider,
                adopt_role=delivery.adopt_deploy_role,
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
                inline_policy=preview_policy(config, reader),
                inline_policy_name=PREVIEW_INLINE_POLICY_NAME,
                extra_trust_statements=(self_assume_statement(reader),),
                # One GitHub OIDC provider per account: the deploy role's, created (or adopted) first:
                # IAM rejects a trust policy whose Federated principal does not exist yet.
                create_oidc_provider=False,
                oidc_provider=deploy.oidc_provider,
                adopt_role=delivery.adopt_preview_role,
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
