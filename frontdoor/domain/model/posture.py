"""`frontdoor:posture`: detection as code for IAM users and long-lived keys, organization-wide: AWS Config
organization rules for unused credentials and key rotation, a Guard rule flagging any `AWS::IAM::User`
outside the break-glass path, an IAM Access Analyzer unused-access analyzer. The Guard rule's text is
frontdoor/domain/documents/posture_detectors.py; the scan's classification
frontdoor/domain/reconcile/posture.py.
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.contracts import BREAK_GLASS_PATH
from frontdoor.domain.model.fields import Model

# An IAM path: starts and ends with '/', IAM's character set in between (IAM API reference, `Path`).
IAM_PATH_RE = re.compile(r"^/([\x21-\x2e\x30-\x7e]+/)*$")


class PostureConfig(Model):
    """`frontdoor:posture`: detection as code for IAM users and long-lived keys, organization-wide."""

    # The break-glass stack's user path: the one place an IAM user may exist (management account).
    break_glass_path: str = BREAK_GLASS_PATH
    # IAM_USER_UNUSED_CREDENTIALS_CHECK `maxCredentialUsageAge` (days).
    max_credential_usage_days: int = Field(default=90, ge=1, le=365)
    # ACCESS_KEYS_ROTATED `maxAccessKeyAge` (days).
    max_access_key_age_days: int = Field(default=90, ge=1, le=365)
    # Access Analyzer `unusedAccessAge` (days; the API accepts 1-365).
    unused_access_age_days: int = Field(default=90, ge=1, le=365)
    analyzer_name: str = Field(default="frontdoor-unused-access", pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,254}$")
    rule_name_prefix: str = Field(default="frontdoor-", pattern=r"^[A-Za-z0-9-_]{0,40}$")

    @field_validator("break_glass_path")
    @classmethod
    def _path(cls, value: str) -> str:
        if not IAM_PATH_RE.match(value) or len(value) > 512:
            raise FixHint("not an IAM path", "write a path that starts and ends with '/', e.g. /breakglass/")
        if value == "/":
            raise FixHint(
                "the root path '/' would exempt every IAM user from the Guard rule",
                "give the break-glass users their own path, e.g. /breakglass/, in both stacks",
            )
        return value
