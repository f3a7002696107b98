"""`frontdoor:guardrails`: the guardrail SCPs, where each attaches, and the break-glass users every
deny exempts.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.contracts import BREAK_GLASS_PATH
from frontdoor.domain.model.fields import REGION_RE, Model, check_break_glass_path, check_iam_user_names

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

    # The out-of-band IAM users of the break-glass stack, exempted by ARN from every deny.
    break_glass_user_names: list[str] = Field(default_factory=list)
    # Their IAM path in the break-glass stack (frontdoor:breakGlass.path): a user's ARN includes it
    # (`user/breakglass/breakglass-1`), so every exemption, the posture detectors and `frontdoor
    # posture` read it from here (frontdoor/domain/documents/break_glass.py `break_glass_user_arns`).
    break_glass_path: str = BREAK_GLASS_PATH
    scps: dict[ScpKind, ScpConfig] = Field(default_factory=dict)

    @field_validator("break_glass_user_names")
    @classmethod
    def _user_names(cls, value: list[str]) -> list[str]:
        return check_iam_user_names(value)

    @field_validator("break_glass_path")
    @classmethod
    def _path(cls, value: str) -> str:
        return check_break_glass_path(value)

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
