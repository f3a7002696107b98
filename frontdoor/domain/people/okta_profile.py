"""The Okta user profile as group rules see it: base attributes, and the custom ones this program adds.

Owns the list of Okta's base user-profile attributes (the Users API's UserSchemaBaseProperties) and
how the stack config adds custom ones (each `okta.abacAttributes` source written `user.<name>` is
created as a custom profile property by components/profile_attributes.py). A group rule may only
read attributes that exist on the profile: Okta rejects the rule otherwise ("Invalid property ...
in expression"), so the config check refuses them first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The Okta user profile's base attributes (Okta Users API, UserSchemaBaseProperties).
OKTA_BASE_ATTRIBUTES = frozenset(
    {
        "login", "email", "secondEmail", "firstName", "lastName", "middleName", "honorificPrefix",
        "honorificSuffix", "title", "displayName", "nickName", "profileUrl", "primaryPhone",
        "mobilePhone", "streetAddress", "city", "state", "zipCode", "countryCode", "postalAddress",
        "preferredLanguage", "locale", "timezone", "userType", "employeeNumber", "costCenter",
        "organization", "division", "department", "managerId", "manager",
    }
)  # fmt: skip
USER_ATTRIBUTE_RE = re.compile(r"^user\.([A-Za-z][A-Za-z0-9_]*)$")

# The SCIM schemas Identity Center reads an attribute from: `${path:enterprise.<x>}` is the enterprise
# extension, `${path:<x>}` the core user (RFC 7643 sections 4.1 and 4.3; contracts.SCIM_ATTRIBUTE_PATHS).
SCIM_CORE_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
SCIM_ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def scim_namespace(identity_center_path: str) -> str:
    """The SCIM schema URN of an Identity Center attribute path (`${path:enterprise.division}`)."""
    return SCIM_ENTERPRISE_URN if identity_center_path.startswith("${path:enterprise.") else SCIM_CORE_URN


def custom_attributes(sources: Iterable[str]) -> frozenset[str]:
    """Custom profile attributes named by plain `user.<x>` sources (e.g. okta.abacAttributes values)."""
    found = {m.group(1) for source in sources if (m := USER_ATTRIBUTE_RE.match(source.strip()))}
    return frozenset(found - OKTA_BASE_ATTRIBUTES)


def profile_attributes(sources: Iterable[str]) -> frozenset[str]:
    """Every attribute a group rule may read: the base profile plus the custom attributes."""
    return OKTA_BASE_ATTRIBUTES | custom_attributes(sources)
