"""`frontdoor:abacChains`: one declared path per ABAC key, from Okta to `aws:PrincipalTag/<key>`: into
a SCIM attribute Identity Center reads (`scimAttribute`), or through the SAML assertion only
(`samlOnly`). Each hop is checked against both ends of the stack in frontdoor/domain/config/abac_chain.py.
"""

from __future__ import annotations

from pydantic import model_validator

from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.contracts import SCIM_ATTRIBUTE_PATHS
from frontdoor.domain.model.fields import Model

SECTION = "frontdoor:abacChains"
# The SCIM attributes Identity Center reads, and where (`SCIM_ATTRIBUTE_PATHS`): a contract with the
# pack's rule abac-attributes-consistent, so it lives in frontdoor/domain/contracts.py.

# Attributes every HR feed fills and Identity Center shows on the person: carrying another value in
# one of them (e.g. `team` in `department`) rewrites that field for every user, so it needs
# `overwritesHrAttribute: true`. Any attribute the stack's own membership rules read (`user.<x>`) is
# treated as HR-used too.
HR_ATTRIBUTES = frozenset({"department", "title", "employeeNumber", "manager"})


class AbacChain(Model):
    """One ABAC key's path: into a SCIM attribute Identity Center reads, or through SAML only."""

    scim_attribute: str | None = None
    saml_only: bool = False
    # Explicit consent to carry the key in an attribute HR already fills (see HR_ATTRIBUTES).
    overwrites_hr_attribute: bool = False

    @model_validator(mode="after")
    def _one_path(self) -> AbacChain:
        if (self.scim_attribute is None) == (not self.saml_only):
            raise FixHint(
                "declare exactly one path: scimAttribute (Okta -> SCIM -> Identity Center) or samlOnly",
                "write e.g. {scimAttribute: division}; use samlOnly: true only for a key Identity "
                "Center does not configure",
            )
        if self.scim_attribute is not None and self.scim_attribute not in SCIM_ATTRIBUTE_PATHS:
            raise FixHint(
                "Identity Center's SCIM stores only core and enterprise attributes, so a value pushed "
                "into this app-user attribute never reaches a ${path:...} Identity Center can read",
                f"use one of {', '.join(sorted(SCIM_ATTRIBUTE_PATHS))} (division is free in most HR feeds)",
                at=("scimAttribute",),
                value=self.scim_attribute,
            )
        return self
