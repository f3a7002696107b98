"""What the program and the policy pack (a separate process that imports nothing of frontdoor) must
agree on, in one leaf module: the type tokens both read, the records the program's components carry
for the pack, the report and the tooling (with their input keys), the service limits both enforce, the
session-duration grammar and the clock's variable. Standard library only. The pack keeps its own copy
in `policy/rules/_contracts.py`; tests/policy/test_contracts.py pins the two to each other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any, ClassVar, TypeVar

# --- type tokens (technical-facts §1, §2) -----------------------------------------------------------
PERMISSION_SET = "aws:ssoadmin/permissionSet:PermissionSet"
INLINE_POLICY = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
MANAGED_ATTACHMENT = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
CUSTOMER_MANAGED_ATTACHMENT = "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment"
ACCOUNT_ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment"
ACCESS_CONTROL_ATTRIBUTES = "aws:ssoadmin/instanceAccessControlAttributes:InstanceAccessControlAttributes"
ORG_POLICY = "aws:organizations/policy:Policy"
ORG_POLICY_ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
IAM_USER = "aws:iam/user:User"
OKTA_SAML_APP = "okta:app/saml:Saml"
OKTA_GROUP = "okta:group/group:Group"
OKTA_RULE = "okta:group/rule:Rule"
OKTA_PUSH_GROUP = "okta:index/pushGroup:PushGroup"
OKTA_GROUP_ASSIGNMENT = "okta:app/groupAssignment:GroupAssignment"
# frontdoor's own components whose inputs the pack or the tooling reads
ACCOUNT_ASSIGNMENTS = "frontdoor:aws:AccountAssignments"
SCIM_PROVISIONING = "frontdoor:okta:ScimProvisioning"
SAML_APP_COMPONENT = "frontdoor:okta:IdentityCenterSamlApp"
ORGANIZATION_PLUMBING = "frontdoor:aws:OrganizationPlumbing"

# --- records across the process boundary ------------------------------------------------------------
# What a component (or resource) registers that others read back has one record type: the program
# writes its inputs with `to_inputs()`; the access report, drift and adopt (through the report), the
# offline engine and the pack read them with `from_inputs()`. `from_inputs` keeps every value as it was
# sent (a list reads as a tuple), so a rule reading another program's resource still judges what that
# program wrote (an unknown, a malformed date); a key left out reads as the field's default, or None.
SCIM_TOKEN_EXPIRY_KEY = "tokenExpiresOn"  # on ScimProvisioning (rule scim-token-expiry)
# On IdentityCenterSamlApp (rule saml-certificate-expiry).
SAML_CERTIFICATE_EXPIRY_KEY = "certificateExpiresOn"

_Record = TypeVar("_Record")


def _sent(value: Any) -> Any:
    """A field's value as a component input: tuples as lists (what the engine sends anyway)."""
    if isinstance(value, tuple):
        return [_sent(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _sent(item) for key, item in value.items()}
    return value


def _read(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_read(item) for item in value)
    return value


def _to_inputs(record: Any, keys: Mapping[str, str]) -> dict[str, Any]:
    return {key: _sent(getattr(record, name)) for name, key in keys.items()}


def _from_inputs(cls: type[_Record], keys: Mapping[str, str], inputs: Mapping[str, Any]) -> _Record:
    defaults = {f.name: None if f.default is MISSING else f.default for f in fields(cls)}  # type: ignore[arg-type]
    return cls(
        **{name: _read(inputs[key]) if key in inputs else defaults[name] for name, key in keys.items()}
    )


@dataclass(frozen=True)
class GrantRecord:
    """One planned grant as its AccountAssignments component carries it: who, what, where, and whether
    its assignments wait for SCIM (`deferred`) or its time-bound exception has run out (`expired`)."""

    group: str
    permission_set: str
    owner: str  # "team:<name>" | "org:<group>"
    account_ids: tuple[str, ...]
    deferred: bool
    expires: str | None = None  # a time-bound exception's last valid day, YYYY-MM-DD
    ticket: str | None = None
    expired: bool = False

    INPUT_KEYS: ClassVar[Mapping[str, str]] = {
        "group": "group",
        "permission_set": "permissionSet",
        "owner": "owner",
        "account_ids": "accountIds",
        "deferred": "deferred",
        "expires": "expires",
        "ticket": "ticket",
        "expired": "expired",
    }

    def to_inputs(self) -> dict[str, Any]:
        return _to_inputs(self, self.INPUT_KEYS)

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any]) -> GrantRecord:
        return _from_inputs(cls, cls.INPUT_KEYS, inputs)


@dataclass(frozen=True)
class ScimTokenExpiry:
    """The SCIM bearer token's expiry (YYYY-MM-DD; None: not tracked), on the ScimProvisioning component."""

    expires_on: str | None

    INPUT_KEYS: ClassVar[Mapping[str, str]] = {"expires_on": SCIM_TOKEN_EXPIRY_KEY}

    def to_inputs(self) -> dict[str, Any]:
        return _to_inputs(self, self.INPUT_KEYS)

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any]) -> ScimTokenExpiry:
        return _from_inputs(cls, cls.INPUT_KEYS, inputs)


@dataclass(frozen=True)
class SamlCertificateExpiry:
    """The Okta SAML signing certificate's expiry (YYYY-MM-DD), on the IdentityCenterSamlApp component."""

    expires_on: str | None

    INPUT_KEYS: ClassVar[Mapping[str, str]] = {"expires_on": SAML_CERTIFICATE_EXPIRY_KEY}

    def to_inputs(self) -> dict[str, Any]:
        return _to_inputs(self, self.INPUT_KEYS)

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any]) -> SamlCertificateExpiry:
        return _from_inputs(cls, cls.INPUT_KEYS, inputs)


@dataclass(frozen=True)
class MachineRole:
    """A Vault AWS secrets-engine role (`vault.aws.SecretBackendRole`): what it issues, for how long,
    into which accounts' roles, and the session tags every credential carries."""

    name: str
    credential_type: str
    role_arns: tuple[str, ...]
    default_sts_ttl: int | None
    max_sts_ttl: int | None
    session_tags: Mapping[str, str]

    INPUT_KEYS: ClassVar[Mapping[str, str]] = {
        "name": "name",
        "credential_type": "credentialType",
        "role_arns": "roleArns",
        "default_sts_ttl": "defaultStsTtl",
        "max_sts_ttl": "maxStsTtl",
        "session_tags": "sessionTags",
    }

    def to_inputs(self) -> dict[str, Any]:
        return _to_inputs(self, self.INPUT_KEYS)

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any]) -> MachineRole:
        return _from_inputs(cls, cls.INPUT_KEYS, inputs)


# An AccountAssignments component's inputs: its planned grant (rule temporary-grant-expiry, the report).
GRANT_INPUT_KEYS = tuple(GrantRecord.INPUT_KEYS.values())

# --- limits (technical-facts §5, §6) ----------------------------------------------------------------
SCP_CONTENT_MAX = 5_120  # characters of an SCP document (Organizations)
INLINE_POLICY_NON_WHITESPACE_MAX = 10_240  # non-whitespace characters of an inline policy (Identity Center)
SCPS_PER_TARGET_MAX = 5
MANAGED_POLICIES_PER_SET_DEFAULT = 10  # IAM's per-role quota; 20 only after raising it in every account
SESSION_MIN_HOURS = 1
SESSION_MAX_HOURS = 12

# --- session durations ------------------------------------------------------------------------------
# Hours and minutes only (Identity Center sessions are 1-12 h), ASCII digits, nothing after the end.
SESSION_DURATION = re.compile(r"PT(?:([0-9]+)H)?(?:([0-9]+)M)?\Z")


def session_hours(duration: str) -> float:
    """Hours in an ISO-8601 `PTnHnM` duration; ValueError on anything else."""
    match = SESSION_DURATION.match(duration) if isinstance(duration, str) else None
    if not match or not any(match.groups()):
        raise ValueError(duration)
    return int(match.group(1) or 0) + int(match.group(2) or 0) / 60


# --- the clock --------------------------------------------------------------------------------------
TODAY_ENV = "FRONTDOOR_TODAY"  # YYYY-MM-DD pins "today" for the program, the gate and the pack
