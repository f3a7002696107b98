"""What the program and the policy pack (a separate process that imports nothing of frontdoor) must
agree on, in one leaf module: the type tokens both read, the input keys the program's components
carry for the pack and the report, the service limits both enforce, the session-duration grammar and
the clock's variable. The pack keeps its own copy in `policy/rules/_contracts.py`;
tests/policy/test_contracts.py pins the two to each other, value by value.
"""

from __future__ import annotations

import re

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

# --- input keys across the process boundary ---------------------------------------------------------
# An AccountAssignments component's inputs: its planned grant (rule temporary-grant-expiry, the report).
GRANT_INPUT_KEYS = (
    "group",
    "permissionSet",
    "owner",
    "accountIds",
    "deferred",
    "expires",
    "ticket",
    "expired",
)
SCIM_TOKEN_EXPIRY_KEY = "tokenExpiresOn"  # on ScimProvisioning (rule scim-token-expiry)
# On IdentityCenterSamlApp (rule saml-certificate-expiry).
SAML_CERTIFICATE_EXPIRY_KEY = "certificateExpiresOn"

# The people policy's pack config (rule privileged-worker-types), derived by the program from the HR
# export and the stack's group rules (frontdoor/offline/people_policy.py): permission set -> the worker
# types allowed to reach it, group -> the HR records its rule puts in it, and the export's name.
PRIVILEGED_WORKER_TYPES_RULE = "privileged-worker-types"
PEOPLE_POLICY_ALLOWED_KEY = "allowedWorkerTypes"
PEOPLE_POLICY_MEMBERS_KEY = "groupMembers"
PEOPLE_POLICY_SOURCE_KEY = "hrExport"
PEOPLE_MEMBER_KEYS = ("login", "workerType", "row")

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
