"""`frontdoor:permissionSets`: the catalogue of permission sets (name -> settings), with the limits
and character sets of IAM Identity Center's sso-admin API.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, field_validator, model_validator

from frontdoor.domain.base import aws_patterns
from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.contracts import SESSION_DURATION, SESSION_MAX_HOURS, SESSION_MIN_HOURS, session_hours
from frontdoor.domain.model.fields import DEFAULT_ABAC_TAG_KEY, Model

PERMISSION_SET_NAME_MAX = 32
PERMISSION_SET_DESCRIPTION_MAX = 700
RELAY_STATE_MAX = 240
PERMISSION_SET_NAME_RE = re.compile(r"^[A-Za-z0-9_+=,.@-]+$")
TIER_RE = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
ISO_HOURS_RE = SESSION_DURATION  # the session-duration grammar lives in contracts.py
AWS_MANAGED_ARN_RE = re.compile(r"^arn:aws(-[a-z]{1,5}){0,3}:iam::aws:policy/[A-Za-z0-9_+=,.@/-]+$")
TAGS_MAX, TAG_KEY_MAX, TAG_VALUE_MAX = 50, 128, 256


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


def check_permission_set_name(name: str) -> str:
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
    tag_key: str = DEFAULT_ABAC_TAG_KEY
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
