"""Vault-issued, short-lived AWS credentials for the few machines that cannot use OIDC.

Owns the Vault AWS secrets engine mount (`vault.aws.SecretBackend`) with NO static key: Vault acts as
its own IAM role (`ambient`: no key given to the mount) or federates to it with a plugin identity token
(`identity-token`: `role_arn` + `identity_token_audience`, Vault Enterprise 1.16+). Per consumer: one
`vault.aws.SecretBackendRole` with `credential_type="assumed_role"` only, the consumer's TTLs (default
15 minutes, at most 1 hour), `session_tags` carrying the owner team under the stack's team tag key
(the same ABAC tag as people, derived once by the plan), and
`role_arns` listing one target role per account its targets resolve to; and service-managed
`aws.cloudformation.StackSet`s (management account) deploying that target role, trusting only Vault's
role from inside the organization (`frontdoor.domain.documents.machines`): for OU targets one that
auto-deploys, with one unfiltered instance per OU (`<consumer>/ou/<ou id>`); for account targets a
second one, `frontdoor-vault-<consumer>-accounts`, that never auto-deploys, with one instance per account
(`<consumer>/account/<id>`). Auto-deployment ignores account filters, so an account target on an
auto-deploying StackSet would spread the role to every account that joins the organization
(real-api-audit-2, certain 5; frontdoor/domain/planning/machine_plan.py refuses the shapes neither
StackSet can express). Vault resources use the Vault provider, the StackSet the management
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
from frontdoor.domain.planning.machine_plan import ACCOUNT_MODE, OU_MODE, DeploymentTarget, MachinePlan, Mode

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
            for mode in (OU_MODE, ACCOUNT_MODE):
                targets = plan.targets(mode)
                if not targets:
                    continue
                stack_set = self._stack_set(name, plan, mode, template, args, on_management)
                self.stack_sets[stack_set_name(plan.name, accounts=mode == ACCOUNT_MODE)] = stack_set
                for target in targets:
                    self._instance(name, plan.name, target, stack_set, args, on_management)
        self.register_outputs(
            {
                "mountPath": config.mount_path,
                "roles": {n: plan.role_arns() for n, plan in ((p.name, p) for p in args.consumers)},
            }
        )

    def _stack_set(
        self,
        name: str,
        plan: MachinePlan,
        mode: Mode,
        template: str,
        args: VaultAwsAccessArgs,
        opts: pulumi.ResourceOptions,
    ) -> aws.cloudformation.StackSet:
        """The consumer's StackSet of one mode: OU targets auto-deploy (new accounts in the OU get the
        role); account targets never do, since auto-deployment ignores account filters (CloudFormation
        User Guide) and would spread the role to every account that joins the organization.
        `auto_deployment` is ForceNew (terraform-provider-aws stack_set.go): the mode is fixed by the
        config's shape, never by what the program observes."""
        auto = mode == OU_MODE
        return aws.cloudformation.StackSet(
            f"{name}/{plan.name}/stack-set" if auto else f"{name}/{plan.name}/accounts-stack-set",
            name=stack_set_name(plan.name, accounts=not auto),
            description=f"frontdoor: Vault target role for {plan.name} (owner team {plan.spec.owner_team})",
            permission_model="SERVICE_MANAGED",
            auto_deployment=(
                aws.cloudformation.StackSetAutoDeploymentArgs(
                    enabled=True, retain_stacks_on_account_removal=False
                )
                # RetainStacksOnAccountRemoval: "Specify only if Enabled is set to True" (botocore).
                if auto
                else aws.cloudformation.StackSetAutoDeploymentArgs(enabled=False)
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
                opts, pulumi.ResourceOptions(ignore_changes=IGNORED_STACK_SET_CHANGES)
            ),
        )

    def _instance(
        self,
        name: str,
        consumer: str,
        target: DeploymentTarget,
        stack_set: aws.cloudformation.StackSet,
        args: VaultAwsAccessArgs,
        opts: pulumi.ResourceOptions,
    ) -> aws.cloudformation.StackSetInstance:
        """One OU's or one account's instance. Its inputs are fixed by its logical name, so it is never
        replaced; `delete_before_replace` all the same: the instance's id names no account, so a
        create-before-delete replacement's delete would remove the stacks the new one just claimed
        (terraform-provider-aws stack_set_instance.go: deployment_targets ForceNew, Delete with the stored
        targets)."""
        return aws.cloudformation.StackSetInstance(
            f"{name}/{consumer}/{target.key}",
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
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(delete_before_replace=True)),
        )
