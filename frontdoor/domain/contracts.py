"""What the program and the policy pack (a separate process that imports nothing of frontdoor) must
agree on, in one leaf module: the type tokens both read, the records the program's components carry
for the pack, the report and the tooling (with their input keys), the service limits both enforce, the
session-duration grammar, the SCIM attribute paths Identity Center reads, today's date (and the variable
that pins it), and the level the expiry rules run at (`ExpiryRule`). What only the program knows about a
resource type (its API rules, deploy actions, import id, gate class) is in the catalogue,
frontdoor/domain/resource_types.py.

This module is the one source. The pack carries a generated copy, `policy/rules/_contracts.py`: this
text under a header (`make pack-contracts`, frontdoor/offline/pack_contracts.py), compared byte for
byte by a test. So it imports nothing but the standard library (tests/frontdoor/domain/test_contracts.py
checks).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping, Sequence
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
IAM_LOGIN_PROFILE = "aws:iam/userLoginProfile:UserLoginProfile"
IAM_ROLE = "aws:iam/role:Role"
CONFIG_MANAGED_RULE = "aws:cfg/organizationManagedRule:OrganizationManagedRule"
CONFIG_CUSTOM_POLICY_RULE = "aws:cfg/organizationCustomPolicyRule:OrganizationCustomPolicyRule"
ACCESS_ANALYZER = "aws:accessanalyzer/analyzer:Analyzer"
OKTA_SAML_APP = "okta:app/saml:Saml"
OKTA_GROUP = "okta:group/group:Group"
OKTA_RULE = "okta:group/rule:Rule"
OKTA_PUSH_GROUP = "okta:index/pushGroup:PushGroup"
OKTA_GROUP_ASSIGNMENT = "okta:app/groupAssignment:GroupAssignment"
OKTA_APP_GROUP_ASSIGNMENTS = "okta:index/appGroupAssignments:AppGroupAssignments"
OKTA_PROFILE_MAPPING = "okta:profile/mapping:Mapping"
VAULT_AWS_ROLE = "vault:aws/secretBackendRole:SecretBackendRole"
DATADOG_MONITOR = "datadog:index/monitor:Monitor"
# frontdoor's own components whose inputs the pack or the tooling reads
ACCESS_PLATFORM = "frontdoor:index:AccessPlatform"
ACCOUNT_ASSIGNMENTS = "frontdoor:aws:AccountAssignments"
SCIM_PROVISIONING = "frontdoor:okta:ScimProvisioning"
SAML_APP_COMPONENT = "frontdoor:okta:IdentityCenterSamlApp"
ORGANIZATION_PLUMBING = "frontdoor:aws:OrganizationPlumbing"
DATADOG_MONITORS = "frontdoor:datadog:DatadogMonitors"

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
# The people policy's pack config (rule privileged-worker-types), derived by the program from the HR
# export and the stack's group rules (frontdoor/offline/people_policy.py): permission set -> the worker
# types allowed to reach it, group -> the HR records its rule puts in it, and the export's name.
PRIVILEGED_WORKER_TYPES_RULE = "privileged-worker-types"
PEOPLE_POLICY_ALLOWED_KEY = "allowedWorkerTypes"
PEOPLE_POLICY_MEMBERS_KEY = "groupMembers"
PEOPLE_POLICY_SOURCE_KEY = "hrExport"
PEOPLE_MEMBER_KEYS = ("login", "workerType", "row")

# --- ABAC: what a create action uses and does not create ---------------------------------------------
# Resources a create action is also authorized against that it uses and does not create: (Sid, ARNs).
# The ABAC template (frontdoor/domain/documents/abac_policy.py) allows exactly these, unconditioned; the
# pack's abac-condition-required exempts exactly these (action, ARN) pairs and no other.
# The types are those the Service Authorization Reference (iam-data 0.21.202609261) lists for the action
# without `aws:RequestTag` (so the request's team tag never applies to them), narrowed to what a
# launch needs:
# - ec2:RunInstances lists image, security-group and subnet as required, key-pair as optional (named by
#   every `--key-name` launch; a key pair gives its holder a login to the new instance, nothing on
#   anyone else's resources). Left out on purpose: snapshot (another team's disk contents),
#   launch-template, placement-group, capacity-reservation and the other optional types; the team's
#   own tagged ones stay usable through TeamScopedByAbac.
# - ec2:CreateSecurityGroup lists vpc (the group's VPC).
# The ARNs follow the reference's formats with any account. Another account's resource is usable only
# once its owner shares it: subnets (and the VPC participants create security groups in) through RAM
# VPC sharing, security groups in a shared VPC, AMIs by launch permission; key pairs never leave their
# account. So naming the caller's account adds no protection and would refuse every shared-VPC launch.
# (`${aws:PrincipalAccount}` is a valid variable there, AWS's own AmazonTimestreamInfluxDBServiceRolePolicy
# uses it in Resource, but parliament 1.6.4 reports it INVALID_ARN and then runs no escalation auditor.)
SUPPORTING_RESOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ec2:RunInstances": (
        "LaunchWithSupportingResources",
        (
            "arn:aws:ec2:*::image/*",
            "arn:aws:ec2:*:*:key-pair/*",
            "arn:aws:ec2:*:*:security-group/*",
            "arn:aws:ec2:*:*:subnet/*",
        ),
    ),
    "ec2:CreateSecurityGroup": ("CreateSecurityGroupInVpc", ("arn:aws:ec2:*:*:vpc/*",)),
}

# --- limits (technical-facts §5, §6) ----------------------------------------------------------------
SCP_CONTENT_MAX = 5_120  # characters of an SCP document (Organizations)
INLINE_POLICY_NON_WHITESPACE_MAX = 10_240  # non-whitespace characters of an inline policy (Identity Center)
SCPS_PER_TARGET_MAX = 5
MANAGED_POLICIES_PER_SET_DEFAULT = 10  # IAM's per-role quota; 20 only after raising it in every account
SESSION_MIN_HOURS = 1
SESSION_MAX_HOURS = 12
# STS refuses a DurationSeconds above one hour for a role assumed with role-session credentials (role
# chaining: botocore sts AssumeRoleRequest.DurationSeconds, "if you assume a role using role chaining and
# provide a DurationSeconds parameter value greater than one hour, the operation fails"). Vault's AWS
# engine always chains: its own credential is a role session (ambient) or a web-identity session.
CHAINED_SESSION_MAX_SECONDS = 3_600

# --- session durations ------------------------------------------------------------------------------
# Hours and minutes only (Identity Center sessions are 1-12 h), ASCII digits, nothing after the end.
SESSION_DURATION = re.compile(r"PT(?:([0-9]+)H)?(?:([0-9]+)M)?\Z")


def session_hours(duration: str) -> float:
    """Hours in an ISO-8601 `PTnHnM` duration; ValueError on anything else."""
    match = SESSION_DURATION.match(duration) if isinstance(duration, str) else None
    if not match or not any(match.groups()):
        raise ValueError(duration)
    return int(match.group(1) or 0) + int(match.group(2) or 0) / 60


# --- the posture detectors (rule posture-detectors-present checks the program registers them) -------
POSTURE_UNUSED_CREDENTIALS_RULE = "IAM_USER_UNUSED_CREDENTIALS_CHECK"  # AWS Config managed rules
POSTURE_KEYS_ROTATED_RULE = "ACCESS_KEYS_ROTATED"
CONFIG_IAM_USER_TYPE = "AWS::IAM::User"  # the Config resource type the Guard rule is scoped to
UNUSED_ACCESS_ANALYZER_TYPE = "ORGANIZATION_UNUSED_ACCESS"  # the Access Analyzer analyzer's type
# The break-glass users' IAM path unless the stack says otherwise: the only path the Guard rule exempts.
BREAK_GLASS_PATH = "/breakglass/"

# --- SCIM attribute paths (technical-facts.md, ABAC) ------------------------------------------------
# AWS app-user attribute (as Okta's AWS IAM Identity Center integration names it) -> where Identity
# Center's identity store keeps it, as an access-control attribute source. Only single-valued core
# and enterprise-extension attributes: the "Supported external identity provider attributes" list of
# Identity Center's "Attribute mappings" page. The stack's abacChains are checked against it, and rule
# abac-attributes-consistent reads it backwards (which attribute fills a `${path:...}`).
SCIM_ATTRIBUTE_PATHS: Mapping[str, str] = {
    "displayName": "${path:displayName}",
    "nickName": "${path:nickName}",
    "title": "${path:title}",
    "userType": "${path:userType}",
    "locale": "${path:locale}",
    "timezone": "${path:timezone}",
    "employeeNumber": "${path:enterprise.employeeNumber}",
    "costCenter": "${path:enterprise.costCenter}",
    "organization": "${path:enterprise.organization}",
    "division": "${path:enterprise.division}",
    "department": "${path:enterprise.department}",
}

# --- the clock --------------------------------------------------------------------------------------
TODAY_ENV = "FRONTDOOR_TODAY"  # YYYY-MM-DD pins "today" for the program, the gate and the pack


def today() -> dt.date:
    """Today (UTC), or the day FRONTDOOR_TODAY=YYYY-MM-DD pins; ValueError when it pins anything else."""
    pinned = os.environ.get(TODAY_ENV)
    return dt.date.fromisoformat(pinned) if pinned else dt.datetime.now(dt.UTC).date()


# --- pack config ------------------------------------------------------------------------------------
def config_number(config: Mapping[str, Any], key: str, default: float) -> float:
    """A number from a rule's pack config; ValueError, with a message a rule can report, otherwise."""
    value = config.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"pack config {key} must be a number, got {value!r}")
    return value


# --- expiry levels ----------------------------------------------------------------------------------
# The SDK gives a policy ONE enforcement level, fixed by the Configure call before any validation runs,
# so a rule cannot block per finding. An expiry rule therefore advertises advisory, and whoever
# configures the pack runs it at the level `ExpiryRule.level` derives: the rule's own
# `configured_level`, frontdoor's analyzer for every offline run, and `frontdoor policy-config` for the
# real CLI (an explicit `enforcementLevel` in the pack config still wins).
MANDATORY = "mandatory"
ADVISORY = "advisory"


@dataclass(frozen=True)
class ExpiryRule:
    """A date a pack rule watches (the SCIM token, the SAML certificate), as the rule reads its config.

    The pack config may set `warnDays` (a number), `today` and `expiresOn` (YYYY-MM-DD, `expiresOn`
    overriding every date found in the stack). A date that cannot be read is a ValueError naming the
    field, the value and the fix: the rule reports it, and the level is mandatory so that it blocks.
    """

    name: str  # the rule's id
    found_field: str  # what a date found in the stack is called in messages
    default_warn_days: int
    what: str  # what a date must be set to, for the messages
    timestamps: bool  # dates may be timestamps ("2027-03-01T12:00:00.000Z"): their day counts

    def settings(
        self, found: Sequence[Any], config: Mapping[str, Any], today: Callable[[], dt.date]
    ) -> tuple[dt.date, float, list[dt.date]]:
        """(today, warnDays, the expiry dates); ValueError when any of them cannot be read."""
        warn_days = config_number(config, "warnDays", self.default_warn_days)
        day = self._date(config["today"], "today") if "today" in config else today()
        if "expiresOn" in config:
            return day, warn_days, [self._date(config["expiresOn"], "expiresOn")]
        return day, warn_days, [self._date(value, self.found_field) for value in found]

    def level(self, found: Sequence[Any], config: Mapping[str, Any], today: Callable[[], dt.date]) -> str:
        """MANDATORY once any date has passed, or when a date or warnDays cannot be read; else ADVISORY."""
        try:
            day, _, dates = self.settings(found, config, today)
        except ValueError:
            return MANDATORY
        return MANDATORY if any(expires_on < day for expires_on in dates) else ADVISORY

    def _date(self, value: Any, field: str) -> dt.date:
        timestamp = self.timestamps and isinstance(value, str) and len(value) > 10 and value[10] == "T"
        try:
            return dt.date.fromisoformat(value[:10] if timestamp else value)
        except (TypeError, ValueError):
            raise ValueError(f"{field} {value!r} is not a YYYY-MM-DD date; set it to {self.what}") from None


# The Okta -> Identity Center SCIM bearer token (a console step with a yearly expiry).
SCIM_TOKEN_RULE = ExpiryRule(
    "scim-token-expiry", SCIM_TOKEN_EXPIRY_KEY, 30, "the token's expiry date", timestamps=False
)
# The Okta app's SAML signing certificate; Okta gives signing-key expiries (`expiresAt`) as timestamps.
# 60 days by default: the rotation needs a change window on both sides.
SAML_CERTIFICATE_RULE = ExpiryRule(
    "saml-certificate-expiry", "expiresAt", 60, "the certificate's expiry date", timestamps=True
)
