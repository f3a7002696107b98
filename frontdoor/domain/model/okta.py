"""`frontdoor:okta`: the provisioning plane: the SAML app, its ABAC statements, push scope, SCIM token
and certificate tracking, the first-run switches.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import Field, field_validator, model_validator

from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.model.fields import DEFAULT_ABAC_TAG_KEY, SESSION_TAG_KEY_MAX, Model

OKTA_PROPERTY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
OKTA_DURATION_RE = re.compile(r"^PT(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+S)?$")


def default_abac_attributes() -> dict[str, str]:
    """`okta.abacAttributes` when the stack writes none: the default tag key, from HR's `team`."""
    return {DEFAULT_ABAC_TAG_KEY: "user.team"}


class OktaConfig(Model):
    """The provisioning plane: the SAML app, its ABAC statements, push scope, SCIM token tracking."""

    org_name: str = Field(min_length=1)
    base_url: str = "okta.com"
    app_label: str = "AWS IAM Identity Center"
    acs_url: str
    entity_id: str
    # ABAC session tag key -> Okta user attribute it is read from (e.g. team -> user.team).
    abac_attributes: dict[str, str] = Field(default_factory=default_abac_attributes)
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
    # No default: unset is unknown, and the program stops rather than assume either way (a `true` default
    # pushed in the very run that created the app; `frontdoor/domain/planning/bootstrap.py`).
    provisioning_enabled: bool | None = None
    # Custom Okta user attributes HR already feeds: adopted (`import`), never silently taken over by a
    # "create" (Okta's schema API upserts). Every other custom attribute is created by frontdoor.
    adopt_profile_attributes: list[str] = Field(default_factory=list)
    # SCIM attributes of the ABAC chains the AWS app's app-user schema lacks: created as custom app-user
    # properties with their SCIM external name and namespace (without both, Okta never sends them). Every
    # other SCIM attribute must already be in the app's schema (the engine checks the estate's
    # okta.appUserSchema). A list in the config, not an observation: the desired state never follows a
    # read, so a later pull that shows our own property cannot make the program drop it.
    create_app_user_properties: list[str] = Field(default_factory=list)

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
            if len(key) > SESSION_TAG_KEY_MAX:
                # Every ABAC key needs its Okta source here (abac_chain.py), so this bounds them all: the
                # SAML-only keys, which Identity Center's own section never sees, and the Vault machines'.
                raise FixHint(
                    f"the tag key is {len(key)} characters; AWS session tag keys have "
                    f"1-{SESSION_TAG_KEY_MAX} (STS Tag.Key)",
                    f"shorten the tag key to at most {SESSION_TAG_KEY_MAX} characters",
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
