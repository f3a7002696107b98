"""`frontdoor:posture`: detection as code for IAM users and long-lived keys, organization-wide: AWS Config
organization rules for unused credentials and key rotation, a Guard rule flagging any `AWS::IAM::User`
outside the break-glass path (`frontdoor:guardrails.breakGlassPath`, the one place the access stack
names it), an IAM Access Analyzer unused-access analyzer. The Guard rule's text is
frontdoor/domain/documents/posture_detectors.py; the scan's classification
frontdoor/domain/reconcile/posture.py.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.model.fields import Model

MOVED_PATH_KEY = "breakGlassPath"


class PostureConfig(Model):
    """`frontdoor:posture`: detection as code for IAM users and long-lived keys, organization-wide."""

    # IAM_USER_UNUSED_CREDENTIALS_CHECK `maxCredentialUsageAge` (days).
    max_credential_usage_days: int = Field(default=90, ge=1, le=365)
    # ACCESS_KEYS_ROTATED `maxAccessKeyAge` (days).
    max_access_key_age_days: int = Field(default=90, ge=1, le=365)
    # Access Analyzer `unusedAccessAge` (days; the API accepts 1-365).
    unused_access_age_days: int = Field(default=90, ge=1, le=365)
    analyzer_name: str = Field(default="frontdoor-unused-access", pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,254}$")
    rule_name_prefix: str = Field(default="frontdoor-", pattern=r"^[A-Za-z0-9-_]{0,40}$")

    @model_validator(mode="before")
    @classmethod
    def _path_moved(cls, value: Any) -> Any:
        # One spelling of the break-glass path per stack: the exemptions need it too, so it moved.
        if isinstance(value, dict) and MOVED_PATH_KEY in value:
            raise FixHint(
                "the break-glass path moved to frontdoor:guardrails.breakGlassPath, which the SCP and "
                "trail exemptions read as well",
                f"move it: frontdoor:guardrails.breakGlassPath: {value[MOVED_PATH_KEY]}",
                at=(MOVED_PATH_KEY,),
                value=value[MOVED_PATH_KEY],
            )
        return value
