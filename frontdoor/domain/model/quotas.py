"""`frontdoor:quotas`: the quotas that differ between AWS doc snapshots or accounts."""

from __future__ import annotations

from pydantic import Field

from frontdoor.domain.contracts import MANAGED_POLICIES_PER_SET_DEFAULT, SCPS_PER_TARGET_MAX
from frontdoor.domain.model.fields import Model


class Quotas(Model):
    """Quotas that differ between AWS doc snapshots or accounts: confirm yours in Service Quotas."""

    managed_policies_per_permission_set: int = Field(default=MANAGED_POLICIES_PER_SET_DEFAULT, ge=1, le=20)
    scps_per_target: int = Field(default=SCPS_PER_TARGET_MAX, ge=1, le=SCPS_PER_TARGET_MAX)
