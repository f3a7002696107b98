"""What the gate guards: the identity resource types, and the ops that delete or replace them.

Each type says why its delete or replace hurts (the reason is printed with every blocked change);
every token is checked against the pinned SDKs by a test, and documented in docs/gate.md.
"""

from __future__ import annotations

from collections.abc import Mapping

# Every Identity Center and Identity Store type: permission sets, their inline policy and policy
# attachments (managed, customer-managed, boundary), account assignments, the ABAC attribute
# configuration. Deleting or replacing any of them removes access or re-creates the
# AWSReservedSSO_* roles under new names (F3).
IDENTITY_TYPE_PREFIXES: Mapping[str, str] = {
    "aws:ssoadmin/": "Identity Center: what a permission set grants (policies, attachments) or who gets "
    "it; a delete or re-create removes access while it happens (F3, F4)",
    "aws:identitystore/": "Identity Store: the group or user every assignment points at (F11)",
}

IDENTITY_TYPES: Mapping[str, str] = {
    "aws:ssoadmin/permissionSet:PermissionSet": "a permission set: a new one gets a new ARN, every "
    "assignment on it is re-created and the AWSReservedSSO_* roles get new names (F3)",
    "aws:ssoadmin/accountAssignment:AccountAssignment": "an account assignment: the group loses the "
    "account while it is re-created, or for good if deleted (F3, F4)",
    "aws:ssoadmin/instanceAccessControlAttributes:InstanceAccessControlAttributes": "the ABAC attribute "
    "configuration: without it every aws:PrincipalTag condition denies (F1)",
    "aws:organizations/policy:Policy": "an SCP guardrail: detaching or re-creating it is immediate and "
    "org-wide (F12)",
    "aws:organizations/policyAttachment:PolicyAttachment": "an SCP attachment: removing it opens a window "
    "with no guardrail, or a deny-all if it was the allow (F12)",
    "aws:organizations/delegatedAdministrator:DelegatedAdministrator": "the Identity Center delegated "
    "administrator registration: without it the admin account cannot manage access",
    "okta:app/saml:Saml": "the AWS SAML app: deleting it signs everyone out of AWS and loses its "
    "provisioning settings",
    "okta:app/features:Features": "the app's provisioning features: without them SCIM stops",
    "okta:group/group:Group": "an Okta group: a new group means a new Identity Center group id and "
    "broken assignments (F11)",
    "okta:group/rule:Rule": "a group rule: re-creating it removes and re-adds members, and SCIM "
    "de-provisions them meanwhile (F10)",
    "okta:index/pushGroup:PushGroup": "a Group Push mapping: removing it can delete the Identity Center "
    "group; a re-push gets a new id and every assignment on the old one breaks (F11)",
    "okta:app/groupAssignment:GroupAssignment": "the group that assigns the AWS app: create is an "
    "unconditional PUT, so a rename without alias deletes the live grant (F2)",
    "okta:index/appGroupAssignments:AppGroupAssignments": "the authoritative app-group list: entries "
    "missing from it are unassigned (F8)",
    "okta:index/userSchemaProperty:UserSchemaProperty": "an Okta user profile attribute: deleting it "
    "deletes the attribute's value on every user",
    "okta:index/userBaseSchemaProperty:UserBaseSchemaProperty": "an Okta base profile attribute setting",
    "okta:index/appUserSchemaProperty:AppUserSchemaProperty": "an app user profile attribute: deleting "
    "it deletes the value on every app user, and the ABAC tag with it",
    "okta:profile/mapping:Mapping": "the profile mapping that carries ABAC attributes to AWS: without it "
    "the tags stop flowing (ABAC denies everything)",
    "okta:index/appSignonPolicy:AppSignonPolicy": "the AWS app sign-on policy: replacing it falls back "
    "to the org default (MFA requirement lost)",
    "okta:index/appSignonPolicyRule:AppSignonPolicyRule": "the AWS app sign-on rule (MFA requirement)",
}

# Ops that remove a live object, or are part of a replacement (a new object with a new id).
DELETE_OPS = frozenset({"delete"})
REPLACE_OPS = frozenset(
    {"replace", "create-replacement", "delete-replaced", "import-replacement", "read-replacement"}
)
# `update` is gated only when it reports replace-kind diffs, or changes a field in _UPDATE_HAZARDS.
# Ops that never call the provider's Delete: `discard`/`discard-replaced` drop a resource that was
# only read (`.get`) from the state; `remove-pending-replace` drops a state entry whose object an
# earlier delete-before-replace already deleted; `import` adopts an existing object.
HARMLESS_OPS = frozenset(
    {
        "same",
        "create",
        "read",
        "refresh",
        "import",
        "discard",
        "discard-replaced",
        "remove-pending-replace",
    }
)

SEVERITY = {"update": 0, "delete": 1, "replace": 2, "unknown": 3}


def identity_reason(resource_type: str) -> str | None:
    """Why `resource_type` is gated, or None when it is not an identity type."""
    if resource_type in IDENTITY_TYPES:
        return IDENTITY_TYPES[resource_type]
    for prefix, why in IDENTITY_TYPE_PREFIXES.items():
        if resource_type.startswith(prefix):
            return why
    return None


# The only types whose new inputs an update hazard reads (`deleteTargetGroupOnDestroy`); every other
# step's inputs and outputs are dropped when the preview is read.
STATE_INPUTS_READ = frozenset({"okta:index/pushGroup:PushGroup"})
