"""Vault-issued, short-lived AWS credentials for the few machines that cannot use OIDC.

Owns the Vault AWS secrets engine mount (`vault.aws.SecretBackend`) with NO static key: Vault acts as
its own IAM role (`ambient`: no key given to the mount) or federates to it with a plugin identity token
(`identity-token`: `role_arn` + `identity_token_audience`, Vault Enterprise 1.16+). Per consumer: one
`vault.aws.SecretBackendRole` with `credential_type="assumed_role"` only, the consumer's TTLs (default
15 minutes, at most 1 hour), `session_tags` carrying the owner team under the stack's team tag key
(the same ABAC tag as people, derived once by the plan), and
`role_arns` listing one target role per account its targets resolve to; and one service-managed
`aws.cloudformation.StackSet` (management account, auto-deployment on) with its instances, deploying
that target role to those accounts, trusting only Vault's role from inside the organization
(`frontdoor.domain.documents.machines`). Vault resources use the Vault provider, the StackSet the management
provider. Nothing here creates an IAM user or an access key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_vault as vault

from frontdoor.domain.documents.machines import render_template, role_template, stack_set_name
from frontdoor.domain.model.machines import VaultConfig
from frontdoor.domain.planning.machine_plan import MachinePlan

TYPE = "frontdoor:vault:VaultAwsAccess"
# Service-managed StackSets deploy with the organization's service-linked roles: the administration
# role is AWS's to set, and the provider shows a perpetual diff on it unless it is ignored
# (terraform-provider-aws docs for aws_cloudformation_stack_set, SERVICE_MANAGED).
IGNORED_STACK_SET_CHANGES = ["administrationRoleArn"]


@dataclass(frozen=True, kw_only=True)
class VaultAwsAccessArgs:
    vault_config: VaultConfig
    consumers: Sequence[MachinePlan]
    organization_id: str
    region: str  # where the StackSet and its instances live (IAM roles are global)
    vault: vault.Provider
    management_provider: aws.Provider
    protect: bool = True


class VaultAwsAccess(pulumi.ComponentResource):
    backend: vault.aws.SecretBackend
    roles: dict[str, vault.aws.SecretBackendRole]
    stack_sets: dict[str, aws.cloudformation.StackSet]
    templates: dict[str, str]

    def __init__(
        self, name: str, args: VaultAwsAccessArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.vault_config
        on_vault = pulumi.ResourceOptions(parent=self, provider=args.vault, protect=args.protect)
        on_management = pulumi.ResourceOptions(
            parent=self, provider=args.management_provider, protect=args.protect
        )
        federated = config.credential_source == "identity-token"
        self.backend = vault.aws.SecretBackend(
            f"{name}/{config.mount_path}",
            path=config.mount_path,
            description="frontdoor: short-lived AWS credentials for machines (assumed_role only)",
            region=config.region,
            # No access_key/secret_key: Vault's own IAM role (ambient) or plugin WIF (identity-token).
            role_arn=config.vault_role_arn if federated else None,
            identity_token_audience=config.identity_token_audience if federated else None,
            default_lease_ttl_seconds=900,
            max_lease_ttl_seconds=3600,
            namespace=config.namespace,
            opts=on_vault,
        )
        self.roles = {}
        self.stack_sets = {}
        self.templates = {}
        for plan in args.consumers:
            spec = plan.spec
            role = plan.role  # the record the pack reads back (MachineRole.from_inputs)
            self.roles[plan.name] = vault.aws.SecretBackendRole(
                f"{name}/{plan.name}",
                backend=self.backend.path,
                name=role.name,
                credential_type=role.credential_type,
                role_arns=list(role.role_arns),
                default_sts_ttl=role.default_sts_ttl,
                max_sts_ttl=role.max_sts_ttl,
                session_tags=dict(role.session_tags),
                namespace=config.namespace,
                opts=on_vault,
            )
            template = render_template(
                role_template(plan.name, spec, config.vault_role_arn, args.organization_id, plan.tag_key)
            )
            self.templates[plan.name] = template
            stack_set = aws.cloudformation.StackSet(
                f"{name}/{plan.name}/stack-set",
                name=stack_set_name(plan.name),
                description=f"frontdoor: Vault target role for {plan.name} (owner team {spec.owner_team})",
                permission_model="SERVICE_MANAGED",
                auto_deployment=aws.cloudformation.StackSetAutoDeploymentArgs(
                    enabled=True, retain_stacks_on_account_removal=False
                ),
                call_as="SELF",
                capabilities=["CAPABILITY_NAMED_IAM"],
                managed_execution=aws.cloudformation.StackSetManagedExecutionArgs(active=True),
                operation_preferences=aws.cloudformation.StackSetOperationPreferencesArgs(
                    failure_tolerance_percentage=0, max_concurrent_percentage=25
                ),
                template_body=template,
                tags=plan.stack_set_tags,
                region=args.region,
                opts=pulumi.ResourceOptions.merge(
                    on_management, pulumi.ResourceOptions(ignore_changes=IGNORED_STACK_SET_CHANGES)
                ),
            )
            self.stack_sets[plan.name] = stack_set
            for target in plan.deployment_targets:
                aws.cloudformation.StackSetInstance(
                    f"{name}/{plan.name}/{target.key}",
                    stack_set_name=stack_set.name,
                    call_as="SELF",
                    deployment_targets=aws.cloudformation.StackSetInstanceDeploymentTargetsArgs(
                        organizational_unit_ids=list(target.organizational_unit_ids),
                        accounts=list(target.accounts) or None,
                        account_filter_type=target.account_filter_type,
                    ),
                    stack_set_instance_region=args.region,
                    retain_stack=False,
                    region=args.region,
                    opts=on_management,
                )
        self.register_outputs(
            {
                "mountPath": config.mount_path,
                "roles": {n: plan.role_arns() for n, plan in ((p.name, p) for p in args.consumers)},
            }
        )
