"""`frontdoor:organization`, `frontdoor:identityCenter` and `frontdoor:trail`: the management and
Identity Center accounts and the deployer role, the access-control attributes (ABAC) Identity Center
reads, and the organization trail's bucket.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from frontdoor.domain.base.aws_ids import ExternalIdText, RoleNameText
from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.model.fields import REGION_RE, AccountId, Model

ACCESS_CONTROL_ATTRIBUTES_MAX = 50
ABAC_KEY_RE = re.compile(r"^[A-Za-z0-9_.:/=+\-@ ]{1,128}$")
SCIM_PATH_RE = re.compile(r"^\$\{path:[A-Za-z][A-Za-z0-9_.\[\] \"=]*\}$")


class OrganizationConfig(Model):
    """The two accounts that matter and how to reach them."""

    management_account_id: AccountId
    identity_center_account_id: AccountId
    region: str = "us-east-1"
    # Roles assumed by the two explicit providers; absent means the ambient credentials already
    # point at that account (e.g. the CI deploy role in the management account).
    management_role_arn: str | None = None
    identity_center_role_arn: str | None = None
    # The one deployer (frontdoor/domain/documents/deployer.py): the role CI gets through OIDC, the role both
    # providers assume (in each account), the principal every exemption names.
    deployer_role_name: RoleNameText = "frontdoor-deploy"
    max_retries: int = Field(default=25, ge=1, le=100)

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if not REGION_RE.fullmatch(value):
            raise FixHint("not an AWS region name", "use a region such as us-east-1")
        return value

    @model_validator(mode="after")
    def _delegated_admin_is_not_management(self) -> OrganizationConfig:
        if self.management_account_id == self.identity_center_account_id:
            raise FixHint(
                "identityCenterAccountId equals managementAccountId",
                "register a separate delegated administrator account for Identity Center "
                "(day-to-day access work must not happen in the management account)",
                at=("identityCenterAccountId",),
                value=self.identity_center_account_id,
            )
        return self

    @model_validator(mode="after")
    def _roles_are_the_deployer(self) -> OrganizationConfig:
        # Kept for old stack files, but only as the derived value: a second spelling of the deployer
        # is how the trail bucket came to exempt one role while the provider assumed another.
        for key, account, given in (
            ("managementRoleArn", self.management_account_id, self.management_role_arn),
            ("identityCenterRoleArn", self.identity_center_account_id, self.identity_center_role_arn),
        ):
            derived = f"arn:aws:iam::{account}:role/{self.deployer_role_name}"
            if given is not None and given != derived:
                raise FixHint(
                    f"{key} is not the deployer role {derived}",
                    "remove it and set organization.deployerRoleName: the providers, the CI role and every "
                    "exemption derive the deployer from that one value",
                    at=(key,),
                    value=given,
                )
        return self


class IdentityCenterConfig(Model):
    """Attributes for access control (ABAC): session tag key -> SCIM path it is read from."""

    access_control_attributes: dict[str, str] = Field(default_factory=dict)

    @field_validator("access_control_attributes")
    @classmethod
    def _attributes(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > ACCESS_CONTROL_ATTRIBUTES_MAX:
            raise FixHint(
                f"{len(value)} access-control attributes, AWS allows {ACCESS_CONTROL_ATTRIBUTES_MAX}",
                "drop attributes no policy reads",
            )
        for key, source in value.items():
            if not ABAC_KEY_RE.fullmatch(key):
                raise FixHint(
                    "not a valid session tag key", "use letters, digits and _.:/=+-@", at=(key,), value=key
                )
            if not SCIM_PATH_RE.fullmatch(source):
                raise FixHint(
                    "not a SCIM attribute path",
                    'write it as ${path:enterprise.department} (see "attribute mappings" in the '
                    "Identity Center guide)",
                    at=(key,),
                    value=source,
                )
        return value


class TrailDatadogConfig(Model):
    """The AWS half of the path from the trail bucket to Datadog (docs/monitoring-stack.md, "How CloudTrail
    reaches Datadog"): the Datadog Forwarder the bucket notifies, and the role Datadog's integration
    assumes, trusted with the external ID the monitoring stack's integration returns."""

    # The Datadog Forwarder Lambda, in the management account and the organization's Region (cross-checked).
    forwarder_arn: str
    # `pulumi stack output datadogExternalId --stack <monitoring stack>` after the monitoring stack's first
    # `pulumi up`; until then the integration role is not created (nothing can trust an unknown ID).
    # botocore sts externalIdType: 2-1224 characters of [\w+=,.@:/-], \w ASCII (pydantic's `pattern`
    # would read \w as Unicode and admit 'é', which STS refuses).
    integration_external_id: ExternalIdText | None = None
    integration_role_name: RoleNameText = "DatadogIntegrationRole"
    # Datadog's AWS account: 464622532012, or 417141415827 for the US1-FED site (Datadog's trust policy).
    datadog_account_id: Literal["464622532012", "417141415827"] = "464622532012"
    # A role of that name made already (Datadog's CloudFormation template makes one): import it instead of
    # failing with EntityAlreadyExists; unset after the apply that imported it, so its trust converges.
    adopt_integration_role: bool = False


class TrailConfig(Model):
    """The organization CloudTrail: every AssumeRole of every session, in one bucket."""

    bucket_name: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    trail_name: str = "organization-trail"
    datadog: TrailDatadogConfig | None = None
