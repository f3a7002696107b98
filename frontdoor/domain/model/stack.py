"""The typed stack model: everything a stack's config may say, validated before anything is registered.

Field names are the camelCase keys written in `stacks/Pulumi.<stack>.yaml` (under the `frontdoor:`
namespace); Python code reads them as snake_case. Every model is frozen and rejects unknown keys, so a
typo is an error, never a silently ignored setting. Limits come from shared/research/technical-facts.md
(AWS sso-admin and Organizations API models, Okta's group-rule restrictions).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic.alias_generators import to_camel

from frontdoor.domain.base import aws_patterns
from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.config.abac_chain import AbacChain
from frontdoor.domain.contracts import (  # shared with the policy pack: one home, pinned by a test
    INLINE_POLICY_NON_WHITESPACE_MAX as INLINE_POLICY_NON_WHITESPACE_MAX,
)
from frontdoor.domain.contracts import (
    MANAGED_POLICIES_PER_SET_DEFAULT,
    SCPS_PER_TARGET_MAX,
    SESSION_DURATION,
    SESSION_MAX_HOURS,
    SESSION_MIN_HOURS,
    session_hours,
)
from frontdoor.domain.contracts import (
    SCP_CONTENT_MAX as SCP_CONTENT_MAX,
)
from frontdoor.domain.documents.abac_policy import abac_statements
from frontdoor.domain.documents.break_glass import DEFAULT_ALERT_REGIONS
from frontdoor.domain.documents.machines import MachinesConfig
from frontdoor.domain.documents.observability import ObservabilityConfig
from frontdoor.domain.people.hr_export import PeopleConfig
from frontdoor.domain.people.okta_expression import ExpressionError, parse
from frontdoor.domain.planning.bootstrap import BootstrapConfig
from frontdoor.domain.reconcile.posture import PostureConfig

# --- limits (technical-facts.md §5, §6) ---------------------------------------------------------
PERMISSION_SET_NAME_MAX = 32
PERMISSION_SET_DESCRIPTION_MAX = 700
RELAY_STATE_MAX = 240
OKTA_RULE_NAME_MAX = 50
OKTA_GROUP_NAME_MAX = 255
ACCESS_CONTROL_ATTRIBUTES_MAX = 50
RULE_SUFFIX = "-rule"

ACCOUNT_ID_RE = re.compile(r"^[0-9]{12}$")
OU_ID_RE = re.compile(r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$")
ROOT_ID_RE = re.compile(r"^r-[0-9a-z]{4,32}$")
PERMISSION_SET_NAME_RE = re.compile(r"^[A-Za-z0-9_+=,.@-]+$")
TEAM_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,29}$")
TIER_RE = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
ABAC_KEY_RE = re.compile(r"^[A-Za-z0-9_.:/=+\-@ ]{1,128}$")
SCIM_PATH_RE = re.compile(r"^\$\{path:[A-Za-z][A-Za-z0-9_.\[\] \"=]*\}$")
ISO_HOURS_RE = SESSION_DURATION  # the session-duration grammar lives in contracts.py
REGION_RE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")
AWS_MANAGED_ARN_RE = re.compile(r"^arn:aws(-[a-z]{1,5}){0,3}:iam::aws:policy/[A-Za-z0-9_+=,.@/-]+$")

IAM_USER_NAME_RE = re.compile(r"^[A-Za-z0-9_+=,.@-]{1,64}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TAGS_MAX, TAG_KEY_MAX, TAG_VALUE_MAX = 50, 128, 256
OKTA_PROPERTY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
OKTA_DURATION_RE = re.compile(r"^PT(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+S)?$")

ORGANIZATION_TARGET = "*"

AccountId = Annotated[str, StringConstraints(pattern=ACCOUNT_ID_RE.pattern)]


class Model(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True, validate_default=True
    )


# --- small parsers shared with components and policy rules --------------------------------------


def non_whitespace_length(document: str) -> int:
    return len(re.sub(r"\s", "", document))


def classify_target(target: str) -> Literal["organization", "account", "ou-id", "ou-path"]:
    """How a grant target string is read: `*`, a 12-digit account, an `ou-…` id, or an OU path."""
    if target == ORGANIZATION_TARGET:
        return "organization"
    if ACCOUNT_ID_RE.fullmatch(target):
        return "account"
    if OU_ID_RE.fullmatch(target):
        return "ou-id"
    return "ou-path"


def check_members_expression(expression: str) -> str:
    """Reject Okta expressions that cannot work as group-rule conditions before Okta does."""
    text = expression.strip()
    if not text:
        raise FixHint(
            "the members expression is empty",
            'write an Okta expression over HR attributes, e.g. user.department == "Payments"',
        )
    if text.count('"') % 2:
        raise FixHint("the members expression has an unbalanced double quote", "close every string literal")
    depth = 0
    for char in re.sub(r'"[^"]*"', "", text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth:
        raise FixHint("the members expression has unbalanced parentheses", "match every ( with a )")
    if re.search(r"\b(Convert|Time)\.", text):
        raise FixHint(
            "Okta group rules do not support the Convert and Time functions",
            "compare string profile attributes directly (technical-facts.md §6)",
        )
    if not re.search(r"\buser\.\w+|isMemberOf\w*\(", text):
        raise FixHint(
            "the members expression reads no user attribute or group membership",
            "reference a profile attribute such as user.department or user.team, "
            'e.g. user.team == "payments"',
        )
    try:
        parse(text)  # the Okta expression grammar and the subset we evaluate (okta_expression.py)
    except ExpressionError as error:
        raise FixHint(error.problem, error.fix) from None
    return text


def _check_iam_user_names(names: list[str]) -> list[str]:
    for index, name in enumerate(names):
        if not IAM_USER_NAME_RE.fullmatch(name):
            raise FixHint(
                "not an IAM user name",
                "use 1-64 ASCII letters, digits and _+=,.@-",
                at=(index,),
                value=name,
            )
    if len(set(names)) != len(names):
        raise FixHint("a user name is listed twice", "list each user once")
    return names


def _check_tags(tags: dict[str, str]) -> dict[str, str]:
    """IAM Identity Center's TagResource limits: 50 tags, keys 1-128, values 0-256, no aws: prefix."""
    if len(tags) > TAGS_MAX:
        raise FixHint(f"{len(tags)} tags, AWS allows {TAGS_MAX} per resource", "drop tags", value=len(tags))
    for key, tag_value in tags.items():
        if not 1 <= len(key) <= TAG_KEY_MAX:
            raise FixHint(
                f"tag key is {len(key)} characters, AWS allows 1-{TAG_KEY_MAX}",
                "shorten the key",
                at=(key,),
                value=key,
            )
        if key.lower().startswith("aws:"):
            raise FixHint(
                "tag keys starting with aws: are reserved for AWS", "rename the key", at=(key,), value=key
            )
        if not isinstance(tag_value, str) or len(tag_value) > TAG_VALUE_MAX:
            raise FixHint(
                f"tag value is {len(str(tag_value))} characters, AWS allows 0-{TAG_VALUE_MAX}",
                "shorten the value",
                at=(key,),
                value=tag_value,
            )
    return tags


def _check_permission_set_name(name: str) -> str:
    if not 1 <= len(name) <= PERMISSION_SET_NAME_MAX:
        raise FixHint(
            f"permission set name is {len(name)} characters, AWS allows 1-{PERMISSION_SET_NAME_MAX}",
            f"shorten the name to at most {PERMISSION_SET_NAME_MAX} characters",
            at=(name,),
            value=name,
        )
    if not PERMISSION_SET_NAME_RE.fullmatch(name):
        raise FixHint(
            "permission set name has characters AWS rejects",
            "use only letters, digits and + = , . @ _ -",
            at=(name,),
            value=name,
        )
    return name


# --- organization and Identity Center ------------------------------------------------------------


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
    deployer_role_name: str = Field(default="frontdoor-deploy", pattern=r"^[\w+=,.@-]{1,64}$")
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


# --- Okta ------------------------------------------------------------------------------------------


class OktaConfig(Model):
    """The provisioning plane: the SAML app, its ABAC statements, push scope, SCIM token tracking."""

    org_name: str = Field(min_length=1)
    base_url: str = "okta.com"
    app_label: str = "AWS IAM Identity Center"
    acs_url: str
    entity_id: str
    # ABAC session tag key -> Okta user attribute it is read from (e.g. team -> user.team).
    abac_attributes: dict[str, str] = Field(default_factory=lambda: {"team": "user.team"})
    push_group_prefix: str = "aws-"
    # The group that assigns users to the app; never pushed (Okta cannot assign and push one group).
    app_assignment_group: str = "app-aws-identity-center-users"
    scim_token_expires_on: dt.date | None = None
    # The app's SAML signing certificate expiry (Okta: Applications > the app > Sign On > certificates).
    saml_certificate_expires_on: dt.date | None = None
    mfa_reauthenticate_every: str = "PT8H"
    # Okta's provisioning Features API works for a few catalogue apps only and cannot be deleted:
    # off by default, the SCIM connection is a console step (docs/scim-runbook.md).
    manage_provisioning_features: bool = False
    # First-run stage d (docs/first-run.md): set true once automatic provisioning is enabled on the app
    # (console step, stage b). Until then no Group Push mapping is registered: Okta refuses a push on an
    # app without provisioning and leaves the mapping in ERROR, which the provider cannot update or delete.
    provisioning_enabled: bool = True
    # Custom Okta user attributes HR already feeds: adopted (`import`), never silently taken over by a
    # "create" (Okta's schema API upserts). Every other custom attribute is created by frontdoor.
    adopt_profile_attributes: list[str] = Field(default_factory=list)

    @field_validator("acs_url", "entity_id")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise FixHint(
                "must be an https:// URL", "copy it from Identity Center > Settings > Identity source"
            )
        return value

    @field_validator("abac_attributes")
    @classmethod
    def _abac_attributes(cls, value: dict[str, str]) -> dict[str, str]:
        for key, expression in value.items():
            # The key becomes an Okta app-user profile property and a SAML attribute name.
            if not OKTA_PROPERTY_RE.fullmatch(key):
                raise FixHint(
                    "not a valid Okta profile property name (ASCII letter, then ASCII letters, digits, _)",
                    "rename the tag key, e.g. team or costCenter",
                    at=(key,),
                    value=key,
                )
            if not expression.strip():
                raise FixHint(
                    "the Okta expression is empty",
                    "write the user attribute, e.g. user.team",
                    at=(key,),
                    value=expression,
                )
        return value

    @field_validator("mfa_reauthenticate_every")
    @classmethod
    def _reauthenticate(cls, value: str) -> str:
        if not OKTA_DURATION_RE.fullmatch(value):
            raise FixHint(
                "not an ISO-8601 duration Okta accepts",
                'write it as "PT8H", "PT30M" or "PT0S" (ASCII digits)',
            )
        return value

    @field_validator("push_group_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9]*-", value):
            raise FixHint("push group prefix must be lowercase and end with '-'", 'use the default "aws-"')
        return value

    @model_validator(mode="after")
    def _assignment_group_is_not_pushed(self) -> OktaConfig:
        if self.app_assignment_group.startswith(self.push_group_prefix):
            raise FixHint(
                f"the app assignment group starts with the push prefix {self.push_group_prefix!r}, "
                "so it would be pushed too",
                "name the assignment group without the push prefix (Okta does not support one group "
                "for both app assignment and Group Push)",
                at=("appAssignmentGroup",),
                value=self.app_assignment_group,
            )
        return self


# --- permission sets -------------------------------------------------------------------------------


class CustomerManagedPolicy(Model):
    name: str = Field(min_length=1, max_length=128)
    path: str = Field(default="/", pattern=r"^/([A-Za-z0-9_+=,.@-]+/)*$", max_length=512)


class PermissionsBoundary(Model):
    """Exactly one of an AWS-managed policy ARN or a customer-managed policy reference."""

    aws_managed_policy_arn: str | None = None
    customer_managed_policy: CustomerManagedPolicy | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> PermissionsBoundary:
        if (self.aws_managed_policy_arn is None) == (self.customer_managed_policy is None):  # one, not both
            raise FixHint(
                "a permissions boundary needs exactly one of awsManagedPolicyArn or customerManagedPolicy",
                "keep one of the two keys",
            )
        if self.aws_managed_policy_arn and not AWS_MANAGED_ARN_RE.fullmatch(self.aws_managed_policy_arn):
            raise FixHint("not an AWS-managed policy ARN", "use arn:aws:iam::aws:policy/<Name>")
        return self


class AbacPolicy(Model):
    """One inline statement: service-wide actions allowed only where resource and session tags match."""

    services: list[str] = Field(min_length=1)
    tag_key: str = "team"
    read_only_actions: list[str] = Field(default_factory=list)
    # Create actions allowed only with aws:RequestTag/<tagKey> = the caller's tag (abac_policy.py).
    create_actions: list[str] = Field(default_factory=list)

    @field_validator("services")
    @classmethod
    def _services(cls, value: list[str]) -> list[str]:
        for service in value:
            if not re.fullmatch(r"[a-z0-9-]+", service):
                raise FixHint(f"{service!r} is not an AWS service prefix", "use prefixes such as ec2 or s3")
        return sorted(set(value))


class PermissionSetConfig(Model):
    """A permission set in the catalogue. Its key in `permissionSets` is its name in AWS."""

    tier: str
    description: str = Field(min_length=1, max_length=PERMISSION_SET_DESCRIPTION_MAX)
    session_duration: str = "PT1H"
    relay_state: str | None = Field(default=None, max_length=RELAY_STATE_MAX)
    aws_managed_policies: list[str] = Field(default_factory=list)
    customer_managed_policies: list[CustomerManagedPolicy] = Field(default_factory=list)
    abac: AbacPolicy | None = None
    inline_statements: list[dict[str, Any]] = Field(default_factory=list)
    permissions_boundary: PermissionsBoundary | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    # The delegated administrator cannot manage a permission set provisioned in the management
    # account, so a set granted there is managed (with its assignments) by the management account.
    managed_from_management_account: bool = False

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_tags(value)

    @field_validator("tier")
    @classmethod
    def _tier(cls, value: str) -> str:
        if not TIER_RE.fullmatch(value):
            raise FixHint(
                "tier must be a short lowercase slug; it becomes the group suffix aws-<team>-<tier>",
                'use e.g. "dev", "readonly" or "admin"',
            )
        return value

    @field_validator("session_duration")
    @classmethod
    def _session(cls, value: str) -> str:
        try:
            hours = session_hours(value)
        except ValueError:
            raise FixHint("not an ISO-8601 duration", 'write hours as "PT1H" … "PT12H"') from None
        if not SESSION_MIN_HOURS <= hours <= SESSION_MAX_HOURS:
            raise FixHint(
                f"session duration {value} is outside what Identity Center accepts (PT1H-PT12H)",
                "choose between PT1H and PT12H; shorter bounds how long a removed grant stays usable",
            )
        return value

    @field_validator("description")
    @classmethod
    def _description_charset(cls, value: str) -> str:
        # botocore's sso-admin pattern is Latin-1: an em dash passes pydantic and fails at `pulumi up`.
        return aws_patterns.checked(aws_patterns.PERMISSION_SET_DESCRIPTION, value)

    @field_validator("relay_state")
    @classmethod
    def _relay_state_charset(cls, value: str | None) -> str | None:
        return None if value is None else aws_patterns.checked(aws_patterns.PERMISSION_SET_RELAY_STATE, value)

    @field_validator("tags")
    @classmethod
    def _tag_charset(cls, value: dict[str, str]) -> dict[str, str]:
        for key, tag in value.items():
            aws_patterns.checked(aws_patterns.PERMISSION_SET_TAG_KEY, key, at=(key,))
            aws_patterns.checked(aws_patterns.PERMISSION_SET_TAG_VALUE, tag, at=(key,))
        return value

    @field_validator("aws_managed_policies")
    @classmethod
    def _arns(cls, value: list[str]) -> list[str]:
        for index, arn in enumerate(value):
            if not AWS_MANAGED_ARN_RE.fullmatch(arn):
                raise FixHint(
                    "not an AWS-managed policy ARN",
                    "use arn:aws:iam::aws:policy/<Name>, or list it under customerManagedPolicies",
                    at=(index,),
                    value=arn,
                )
        if len(set(value)) != len(value):
            raise FixHint("a managed policy is listed twice", "list each policy once")
        return value

    @field_validator("inline_statements")
    @classmethod
    def _statements(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for statement in value:
            if statement.get("Effect") not in ("Allow", "Deny") or not (
                "Action" in statement or "NotAction" in statement
            ):
                raise FixHint(
                    "an inline statement needs Effect (Allow or Deny) and Action",
                    'write it as {Effect: Allow, Action: ["s3:GetObject"], Resource: "*"}',
                )
        return value


# --- grants and teams ------------------------------------------------------------------------------


def check_targets(value: list[str]) -> list[str]:
    """Grant targets and excludes: well-formed and each listed once."""
    for index, target in enumerate(value):
        if not target or target != target.strip() or target.startswith("/") or target.endswith("/"):
            raise FixHint(
                "malformed target",
                'write OU paths like "Workloads/Prod", OU ids like "ou-ab12-cdef3456", 12-digit '
                'account ids, or "*" for the whole organization',
                at=(index,),
                value=target,
            )
    if len(set(value)) != len(value):
        raise FixHint("a target is listed twice", "list each target once")
    return value


class Grant(Model):
    """A permission set granted on targets: `*` (the organization), OU paths or ids, account ids."""

    targets: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)
    include_management_account: bool = False
    members: str | None = None
    # A time-bound exception: planned until `expires` (inclusive), left out after, with the change
    # ticket that approved it (ServiceNow and the like) carried into the access report.
    expires: dt.date | None = None
    ticket: str | None = Field(default=None, min_length=1, max_length=64)

    @model_validator(mode="after")
    def _exception_has_ticket(self) -> Grant:
        check_time_bound(self.expires, self.ticket)
        return self

    @field_validator("targets", "exclude")
    @classmethod
    def _targets(cls, value: list[str]) -> list[str]:
        return check_targets(value)

    @field_validator("members")
    @classmethod
    def _members(cls, value: str | None) -> str | None:
        return None if value is None else check_members_expression(value)


def check_time_bound(expires: dt.date | None, ticket: str | None) -> None:
    if (expires is None) != (ticket is None):
        raise FixHint(
            "a time-bound grant needs both expires and ticket",
            "give the change ticket that approved it (ticket: CHG0012345) and the last day it is valid "
            "(expires: YYYY-MM-DD), or neither for a standing grant",
            at=("ticket" if ticket is None else "expires",),
            value=None,
        )


def _as_grant(value: Any) -> Any:
    return {"targets": value} if isinstance(value, list) else value


class TeamConfig(Model):
    """One team: who is in it (an Okta expression over HR attributes) and what it is granted."""

    members: str
    grants: dict[str, Grant] = Field(min_length=1)
    description: str | None = None

    @field_validator("members")
    @classmethod
    def _members(cls, value: str) -> str:
        return check_members_expression(value)

    @field_validator("grants", mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        # `DeveloperAccess: [Workloads/Dev]` is shorthand for `DeveloperAccess: {targets: [...]}`.
        if not isinstance(value, Mapping):
            return value
        for name, grant in value.items():
            if not isinstance(grant, list | Mapping):
                raise FixHint(
                    "a grant is a list of targets or a mapping with targets:",
                    f"write {name}: [Workloads/Dev] (a YAML list, even for one target)",
                    at=(name,),
                    value=grant,
                )
        return {k: _as_grant(v) for k, v in value.items()}


class OrgGrant(Model):
    """An organization-wide grant owned by no team: platform admins, auditors, billing."""

    members: str
    permission_set: str
    targets: list[str] = Field(default_factory=lambda: [ORGANIZATION_TARGET], min_length=1)
    exclude: list[str] = Field(default_factory=list)
    include_management_account: bool = False
    description: str | None = None
    expires: dt.date | None = None
    ticket: str | None = Field(default=None, min_length=1, max_length=64)

    @field_validator("members")
    @classmethod
    def _members(cls, value: str) -> str:
        return check_members_expression(value)

    @field_validator("targets", "exclude")
    @classmethod
    def _targets(cls, value: list[str]) -> list[str]:
        return check_targets(value)

    @model_validator(mode="after")
    def _exception_has_ticket(self) -> OrgGrant:
        check_time_bound(self.expires, self.ticket)
        return self

    def as_grant(self) -> Grant:
        return Grant(
            targets=self.targets,
            exclude=self.exclude,
            include_management_account=self.include_management_account,
            members=self.members,
            expires=self.expires,
            ticket=self.ticket,
        )


# --- guardrails ------------------------------------------------------------------------------------

ScpKind = Literal[
    "deny-iam-users",
    "deny-leave-organization",
    "protect-identity-center-roles",
    "deny-root-user",
    "region-restriction",
    "session-revocation",
]


class ScpConfig(Model):
    """One guardrail SCP and where it is attached (`Root`, OU paths or OU ids)."""

    attach_to: list[str] = Field(min_length=1)
    enabled: bool = True
    allowed_regions: list[str] = Field(default_factory=list)
    # session-revocation: Identity Center user ids whose sessions issued before `revokedBefore` die.
    revoked_user_ids: list[str] = Field(default_factory=list)
    revoked_before: dt.datetime | None = None


class GuardrailsConfig(Model):
    """Service control policies: deny-list guardrails; every deny exempts exactly the break-glass users."""

    # The out-of-band IAM users of the break-glass stack, exempted by name from every deny.
    break_glass_user_names: list[str] = Field(default_factory=list)
    scps: dict[ScpKind, ScpConfig] = Field(default_factory=dict)

    @field_validator("break_glass_user_names")
    @classmethod
    def _user_names(cls, value: list[str]) -> list[str]:
        return _check_iam_user_names(value)

    @model_validator(mode="after")
    def _regions(self) -> GuardrailsConfig:
        region = self.scps.get("region-restriction")
        if region and region.enabled and not region.allowed_regions:
            raise FixHint(
                "region-restriction is enabled with no allowedRegions, which would deny every region",
                "list the regions in use under allowedRegions, or set enabled: false",
                at=("scps", "region-restriction", "allowedRegions"),
                value=[],
            )
        seen_regions: set[str] = set()
        for index, name in enumerate(region.allowed_regions if region else []):
            if name in seen_regions:
                raise FixHint(
                    f"region {name} is listed twice",
                    "list each region once",
                    at=("scps", "region-restriction", "allowedRegions", index),
                    value=name,
                )
            seen_regions.add(name)
            if not REGION_RE.fullmatch(name):
                raise FixHint(
                    "not an AWS region name",
                    "use a region such as eu-central-1",
                    at=("scps", "region-restriction", "allowedRegions", index),
                    value=name,
                )
        return self


class DeliveryConfig(Model):
    """CI delivery without stored keys: GitHub Actions OIDC roles in the management account."""

    repository: str = Field(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    deploy_environments: list[str] = Field(default_factory=lambda: ["prod"], min_length=1)
    # Read-only role for pull-request previews: anyone who can push a branch can run those.
    preview_role_name: str = "frontdoor-github-preview"
    preview_branches: list[str] = Field(default_factory=lambda: ["main"])
    # The account's GitHub OIDC provider already exists (IAM allows one per URL): adopt it with the
    # `import` resource option instead of creating it (which fails with EntityAlreadyExists).
    adopt_oidc_provider: bool = False


class TrailConfig(Model):
    """The organization CloudTrail: every AssumeRole of every session, in one bucket."""

    bucket_name: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    trail_name: str = "organization-trail"


class BreakGlassConfig(Model):
    """Out-of-band emergency access to the management account: its own stack, never federated."""

    user_names: list[str] = Field(min_length=1, max_length=5)
    alert_emails: list[str] = Field(min_length=1)
    # Their own IAM path: the posture Guard rule and `frontdoor posture` exempt exactly this path.
    path: str = Field(default="/breakglass/", pattern=r"^/([\x21-\x2e\x30-\x7e]+/)+$", max_length=512)
    # Regions whose CloudTrail records a console sign-in (home region first: the alert topic lives
    # there); add the region of any regional sign-in URL your operators use (docs/break-glass-runbook.md).
    alert_regions: list[str] = Field(default_factory=lambda: list(DEFAULT_ALERT_REGIONS), min_length=1)

    @field_validator("alert_regions")
    @classmethod
    def _alert_regions(cls, value: list[str]) -> list[str]:
        for index, name in enumerate(value):
            if not REGION_RE.match(name):
                raise FixHint(
                    "not an AWS region name", "use a region such as eu-central-1", at=(index,), value=name
                )
        if len(set(value)) != len(value):
            raise FixHint("a region is listed twice", "list each region once")
        return value

    @field_validator("user_names")
    @classmethod
    def _user_names(cls, value: list[str]) -> list[str]:
        return _check_iam_user_names(value)

    @field_validator("alert_emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        for index, email in enumerate(value):
            if not EMAIL_RE.fullmatch(email):
                raise FixHint(
                    "not an email address", "write it as name@example.com", at=(index,), value=email
                )
        return value

    # The last quarterly break-glass test (docs/break-glass-runbook.md); `frontdoor calendar` dates the next.
    last_tested_on: dt.date | None = None


class Quotas(Model):
    """Quotas that differ between AWS doc snapshots or accounts: confirm yours in Service Quotas."""

    managed_policies_per_permission_set: int = Field(default=MANAGED_POLICIES_PER_SET_DEFAULT, ge=1, le=20)
    scps_per_target: int = Field(default=SCPS_PER_TARGET_MAX, ge=1, le=SCPS_PER_TARGET_MAX)


# --- the whole stack -------------------------------------------------------------------------------


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
    observability: ObservabilityConfig | None = None
    protect: bool = True
    # One declared path per ABAC key, Okta -> Identity Center (frontdoor/domain/config/abac_chain.py).
    abac_chains: dict[str, AbacChain] = Field(default_factory=dict)

    @field_validator("permission_sets")
    @classmethod
    def _set_names(cls, value: dict[str, PermissionSetConfig]) -> dict[str, PermissionSetConfig]:
        for name in value:
            _check_permission_set_name(name)
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


def team_group_name(prefix: str, team: str, tier: str) -> str:
    """The Okta (and, after SCIM, Identity Center) group of a team's tier: aws-<team>-<tier>."""
    return f"{prefix}{team}-{tier}"


def rule_name(group: str) -> str:
    return f"{group}{RULE_SUFFIX}"


def inline_policy_document(permission_set: PermissionSetConfig) -> dict[str, Any] | None:
    """The permission set's inline policy (the ABAC template first, then the extra statements)."""
    statements: list[dict[str, Any]] = []
    if permission_set.abac:
        abac = permission_set.abac
        statements += abac_statements(
            abac.tag_key, abac.services, abac.create_actions, abac.read_only_actions
        )
    statements.extend(permission_set.inline_statements)
    return {"Version": "2012-10-17", "Statement": statements} if statements else None


def render_policy(document: Mapping[str, Any]) -> str:
    """Minified JSON with sorted keys: stable across runs, and what AWS counts against its limits."""
    return json.dumps(document, separators=(",", ":"), sort_keys=True)
