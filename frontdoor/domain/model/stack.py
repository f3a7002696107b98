"""The typed stack model: everything a stack's config may say, validated before anything is registered.

Field names are the camelCase keys written in `stacks/Pulumi.<stack>.yaml` (under the `frontdoor:`
namespace); Python code reads them as snake_case. Every model is frozen and rejects unknown keys, so a
typo is an error, never a silently ignored setting. Limits come from shared/research/technical-facts.md
(AWS sso-admin and Organizations API models, Okta's group-rule restrictions).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.model.abac_chain import AbacChain
from frontdoor.domain.model.bootstrap import BootstrapConfig
from frontdoor.domain.model.break_glass import BreakGlassConfig
from frontdoor.domain.model.delivery import DeliveryConfig
from frontdoor.domain.model.fields import Model
from frontdoor.domain.model.grants import TEAM_NAME_RE, OrgGrant, TeamConfig
from frontdoor.domain.model.guardrails import GuardrailsConfig
from frontdoor.domain.model.machines import MachinesConfig
from frontdoor.domain.model.monitoring import MonitoringSettings
from frontdoor.domain.model.observability import ObservabilityConfig
from frontdoor.domain.model.okta import OktaConfig
from frontdoor.domain.model.organization import IdentityCenterConfig, OrganizationConfig, TrailConfig
from frontdoor.domain.model.people import PeopleConfig
from frontdoor.domain.model.permission_sets import PermissionSetConfig, check_permission_set_name
from frontdoor.domain.model.posture import PostureConfig
from frontdoor.domain.model.quotas import Quotas

# The key of the monitors' section, which only the monitoring stack may hold.
OBSERVABILITY_KEY = "observability"


class StackConfig(Model):
    """Everything under the `frontdoor:` namespace of one stack's config."""

    organization: OrganizationConfig
    identity_center: IdentityCenterConfig = Field(default_factory=IdentityCenterConfig)
    okta: OktaConfig
    permission_sets: dict[str, PermissionSetConfig] = Field(min_length=1)
    teams: dict[str, TeamConfig] = Field(default_factory=dict)
    org_grants: dict[str, OrgGrant] = Field(default_factory=dict)
    guardrails: GuardrailsConfig = Field(default_factory=GuardrailsConfig)
    quotas: Quotas = Field(default_factory=Quotas)
    delivery: DeliveryConfig | None = None
    trail: TrailConfig | None = None
    bootstrap: BootstrapConfig = Field(default_factory=BootstrapConfig)
    posture: PostureConfig | None = None
    people: PeopleConfig | None = None
    machines: MachinesConfig | None = None
    protect: bool = True
    # One declared path per ABAC key, Okta -> Identity Center (frontdoor/domain/config/abac_chain.py).
    abac_chains: dict[str, AbacChain] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _monitors_moved(cls, values: Any) -> Any:
        # Ignoring the block would not be safe: an identity stack that no longer registers the monitors
        # deletes them at its next `pulumi up` unless their state was moved to the monitoring stack first.
        if isinstance(values, dict) and OBSERVABILITY_KEY in values:
            raise FixHint(
                "the Datadog monitors moved to their own stack, the monitoring stack: an identity stack no "
                "longer registers them",
                "move this block to the monitoring stack's file (stacks/Pulumi.<stack>-monitoring.yaml; the "
                "demo's is stacks/Pulumi.monitoring.yaml) beside frontdoor:monitoring.identityStack naming "
                "this stack; on a deployed stack move the monitors' state first (`pulumi state move`, "
                "docs/monitoring-stack.md), then delete the block here",
                at=(OBSERVABILITY_KEY,),
                value=f"frontdoor:{OBSERVABILITY_KEY}",
            )
        return values

    @field_validator("permission_sets")
    @classmethod
    def _set_names(cls, value: dict[str, PermissionSetConfig]) -> dict[str, PermissionSetConfig]:
        for name in value:
            check_permission_set_name(name)
        return value

    @field_validator("teams")
    @classmethod
    def _team_names(cls, value: dict[str, TeamConfig]) -> dict[str, TeamConfig]:
        for name in value:
            if not TEAM_NAME_RE.fullmatch(name):
                raise FixHint(
                    "team name is not a lowercase slug",
                    "use lowercase letters, digits and '-', starting with a letter, at most 30 characters",
                    at=(name,),
                    value=name,
                )
        return value


class BreakGlassStackConfig(Model):
    """The break-glass stack's config: the management account and its emergency users, nothing else."""

    organization: OrganizationConfig
    break_glass: BreakGlassConfig
    protect: bool = True

    @model_validator(mode="after")
    def _own_deployer(self) -> BreakGlassStackConfig:
        # The management provider of this stack assumes breakGlass.deployerRoleName; a role ARN spelt for
        # the access stack's deployer here would say otherwise.
        if self.organization.management_role_arn is not None:
            raise FixHint(
                "the break-glass stack deploys as breakGlass.deployerRoleName, not the access stack's "
                "deployer this names",
                "remove organization.managementRoleArn from the break-glass stack",
                at=("organization", "managementRoleArn"),
                value=self.organization.management_role_arn,
            )
        if self.break_glass.deployer_role_name == self.organization.deployer_role_name:
            raise FixHint(
                "the break-glass stack would deploy as the access stack's deployer, which then needs "
                "every user and group action to create administrators",
                "give the break-glass stack its own role (default frontdoor-breakglass-deploy)",
                at=("breakGlass", "deployerRoleName"),
                value=self.break_glass.deployer_role_name,
            )
        return self


class MonitoringStackConfig(Model):
    """The monitoring stack's config: the identity stack it watches and the Datadog monitors."""

    monitoring: MonitoringSettings
    observability: ObservabilityConfig
