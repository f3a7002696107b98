"""`frontdoor:bootstrap`: objects that exist already in the organization, adopted with `import` instead
of recreated (the first-run stages are frontdoor/domain/planning/bootstrap.py)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class BootstrapConfig(BaseModel):
    """Objects that exist already in the organization: adopted with `import`, never recreated."""

    model_config = ConfigDict(frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True)

    # The Identity Center delegated administrator was registered by hand: import it
    # (`<account id>/sso.amazonaws.com`) instead of failing with AccountAlreadyRegisteredException.
    adopt_delegated_administrator: bool = False
    # Attributes for access control are enabled already: import the configuration (by instance ARN).
    adopt_access_control_attributes: bool = False
