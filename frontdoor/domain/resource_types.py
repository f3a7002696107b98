"""The catalogue of the resource types (and data sources) the program manages: one entry per type token.

Each entry holds everything frontdoor knows about a type, so a new type is one entry here:

- `identity`: the fields that identify one live instance, in the order and with the separator
  `pulumi import` takes them (the "## Import" section of the provider's resource, pulumi-aws here).
  Set for the types `frontdoor adopt` finds live and writes import ids for
  (frontdoor/domain/reconcile/import_ids.py fills the fields from what it read); None otherwise.
- `strings`, `tags`, `engine_rules`: the real API's rules the offline engine judges a registration by
  (frontdoor/offline/api_rules.py). `strings` maps each string input the program sets to the botocore
  request member its provider sends it as (service, structure, member: pattern, min and max length
  come from botocore's own service models), `tags` the botocore Tag structure of its tag map, and
  `engine_rules` names the engine's other rules that apply to it (a test checks each has its function).
- `deploy_actions`: the IAM actions its provider calls for it (create, read, update, delete, tagging;
  service authorization reference and the Terraform resource pulumi-aws bridges): the deployers'
  least-privilege policies, and the read-only preview role's (their read verbs), in
  frontdoor/domain/documents/deploy_permissions.py. `deployers` names which of the three deployer
  roles registers it (the access stack's, the Identity Center account's, the break-glass stack's; a
  test runs both stacks and checks each provider's types against it). `iam_scope` says which IAM
  resources its `iam:` actions touch, so no deployer holds an IAM write on `*`, and
  `service_linked_role` the service whose service-linked role its create makes
  (`iam:AWSServiceName`). Empty: not registered through the management provider.
  `identity_center_reads`: what the Identity Center provider reads for it under the preview identity,
  beyond the read verbs of `deploy_actions`.
- `gate`: why deleting or replacing it hurts (the replacement gate, frontdoor/gate/identity_types.py,
  prints it with every blocked change); None: not gated by type (a family in `GATED_FAMILIES` may
  still gate it).

Data sources (the program's invokes) have their deploy actions and Identity Center reads; the offline
engine answers each from the estate (frontdoor/offline/estate_mocks.py; a test keeps both lists equal).
Type tokens the pack also reads are contracts (frontdoor/domain/contracts.py) and used from there;
the others are spelled here, once. One module on purpose (over 800 lines, nearly all data: one entry
per type): the point is that one place says everything about a type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from frontdoor.domain.contracts import (
    ACCESS_ANALYZER,
    ACCESS_CONTROL_ATTRIBUTES,
    ACCOUNT_ASSIGNMENT,
    CONFIG_CUSTOM_POLICY_RULE,
    CONFIG_MANAGED_RULE,
    CUSTOMER_MANAGED_ATTACHMENT,
    DATADOG_MONITOR,
    IAM_LOGIN_PROFILE,
    IAM_ROLE,
    IAM_USER,
    INLINE_POLICY,
    MANAGED_ATTACHMENT,
    OKTA_APP_GROUP_ASSIGNMENTS,
    OKTA_GROUP,
    OKTA_GROUP_ASSIGNMENT,
    OKTA_PROFILE_MAPPING,
    OKTA_PUSH_GROUP,
    OKTA_RULE,
    OKTA_SAML_APP,
    ORG_POLICY,
    ORG_POLICY_ATTACHMENT,
    PERMISSION_SET,
    VAULT_AWS_ROLE,
)

# --- the type tokens only the program spells (the pack's are contracts) ----------------------------
PERMISSIONS_BOUNDARY_ATTACHMENT = "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment"
DELEGATED_ADMINISTRATOR = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
OIDC_PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
TRAIL = "aws:cloudtrail/trail:Trail"
OKTA_USER_SCHEMA_PROPERTY = "okta:index/userSchemaProperty:UserSchemaProperty"
STACK_SET = "aws:cloudformation/stackSet:StackSet"
OKTA_APP_USER_SCHEMA_PROPERTY = "okta:index/appUserSchemaProperty:AppUserSchemaProperty"
STACK_SET_INSTANCE = "aws:cloudformation/stackSetInstance:StackSetInstance"
IAM_GROUP_MEMBERSHIP = "aws:iam/groupMembership:GroupMembership"
VAULT_AWS_SECRET_BACKEND = "vault:aws/secretBackend:SecretBackend"
# Data sources.
GET_ORGANIZATION = "aws:organizations/getOrganization:getOrganization"
GET_ORGANIZATIONAL_UNITS = "aws:organizations/getOrganizationalUnits:getOrganizationalUnits"
GET_OU_CHILD_ACCOUNTS = (
    "aws:organizations/getOrganizationalUnitChildAccounts:getOrganizationalUnitChildAccounts"
)
GET_OU_DESCENDANT_ACCOUNTS = (
    "aws:organizations/getOrganizationalUnitDescendantAccounts:getOrganizationalUnitDescendantAccounts"
)
GET_DELEGATED_ADMINISTRATORS = "aws:organizations/getDelegatedAdministrators:getDelegatedAdministrators"
GET_SSO_INSTANCES = "aws:ssoadmin/getInstances:getInstances"
GET_IDENTITY_STORE_GROUPS = "aws:identitystore/getGroups:getGroups"
GET_IDENTITY_STORE_GROUP = "aws:identitystore/getGroup:getGroup"
GET_CALLER_IDENTITY = "aws:index/getCallerIdentity:getCallerIdentity"
GET_OKTA_PROFILE_MAPPING_SOURCE = "okta:user/getUserProfileMappingSource:getUserProfileMappingSource"

# --- the offline engine's named rules (frontdoor/offline/api_rules.py implements each) -------------
FEDERATED_PRINCIPAL_EXISTS = "federated-principal-exists"
ORGANIZATION_TRAIL_TRUSTED_ACCESS = "organization-trail-trusted-access"
DELEGATION_TRUSTED_ACCESS = "delegation-trusted-access"
PUSH_GROUP_NEEDS_PROVISIONING = "push-group-needs-provisioning"
GROUP_RULE_ATTRIBUTE_EXISTS = "group-rule-attribute-exists"
EXISTING_ATTRIBUTE_ADOPTED = "existing-attribute-adopted"
GROUP_RULE_NO_CASCADE = "group-rule-no-cascade"
ROLE_CHAINING_TTL = "role-chaining-ttl"
STACK_SET_AUTO_DEPLOY_NO_FILTER = "stackset-auto-deploy-no-account-filter"
STACK_SET_INSTANCE_DELETE_FIRST = "stackset-instance-delete-before-replace"
MAPPING_TARGET_EXISTS = "mapping-target-exists"
ADOPTED_ATTRIBUTE_MATCHES_LIVE = "adopted-attribute-matches-live"
STACKSETS_TRUSTED_ACCESS = "stacksets-trusted-access"
CONFIG_RECORDER_PRESENT = "config-recorder-present"
EXISTING_IAM_ENTITY_ADOPTED = "existing-iam-entity-adopted"
EXISTING_DELEGATION_ADOPTED = "existing-delegation-adopted"
ACCESS_ANALYZER_TRUSTED_ACCESS = "access-analyzer-trusted-access"
EXEMPT_PRINCIPAL_ARN_HAS_PATH = "exempt-principal-arn-has-path"
DATADOG_LOG_SOURCES_LOG_READY = "datadog-log-sources-log-ready"
# On the AWS provider itself (not a catalogue type): frontdoor/offline/api_rules.py PROVIDER_RULES.
PROVIDER_ASSUMES_EXISTING_ROLE = "provider-assumes-existing-role"

# --- the deployer roles (frontdoor/domain/documents/deploy_permissions.py derives each one's policy) ----
ACCESS_DEPLOYER = "access"  # the access stack's management provider: organization.deployerRoleName
IDENTITY_CENTER_DEPLOYER = "identity-center"  # the same name in the delegated administrator account
BREAK_GLASS_DEPLOYER = "break-glass"  # the break-glass stack's own role: breakGlass.deployerRoleName
DEPLOYERS = (ACCESS_DEPLOYER, IDENTITY_CENTER_DEPLOYER, BREAK_GLASS_DEPLOYER)
# Which IAM resources a type's `iam:` actions touch (each maps to exact ARNs or one narrow path there).
OWN_ROLES = "own-roles"  # the roles the deploying stack itself creates, by name
GITHUB_OIDC_PROVIDER = "github-oidc-provider"
IDENTITY_CENTER_PROVISIONED = "identity-center-provisioned"  # AWSReservedSSO_* roles, AWSSSO_* provider
SERVICE_LINKED_ROLES = "service-linked-roles"  # role/aws-service-role/*, create only for named services
BREAK_GLASS_USERS = "break-glass-users"  # user/<break-glass path>*
BREAK_GLASS_GROUP = "break-glass-group"
PASSED_TO_EVENTBRIDGE = "passed-to-eventbridge"  # iam:PassRole of the stack's own roles, to events only

# A botocore request member: (service, structure, member).
Member = tuple[str, str, str]
# String inputs no API call carries: the provider uses them itself (which regional endpoint to call;
# the rule a target belongs to is the PutTargets request's Rule, which the EventRule's name already is).
UNSENT_INPUTS: frozenset[str] = frozenset({"region", "rule"})


@dataclass(frozen=True)
class Identity:
    """The fields that identify one live instance, as `pulumi import` takes them, in order."""

    fields: tuple[str, ...]
    separator: str = ","

    def import_id(self, **values: str) -> str:
        """The import id of the instance whose fields are `values` (every field, nothing else)."""
        if set(values) != set(self.fields):
            raise KeyError(f"an import id takes exactly {list(self.fields)}, got {sorted(values)}")
        return self.separator.join(values[name] for name in self.fields)


@dataclass(frozen=True)
class ResourceType:
    """What frontdoor knows about one resource type (see the module docstring for each field)."""

    token: str
    identity: Identity | None = None
    strings: Mapping[str, Member] = field(default_factory=dict)
    unsent: frozenset[str] = frozenset()  # string inputs of this type no API call carries
    tags: tuple[str, str] | None = None  # botocore (service, Tag structure)
    engine_rules: tuple[str, ...] = ()
    deploy_actions: tuple[str, ...] = ()
    identity_center_reads: tuple[str, ...] = ()
    gate: str | None = None
    deployers: tuple[str, ...] = (ACCESS_DEPLOYER,)
    iam_scope: str | None = None
    service_linked_role: str | None = None


@dataclass(frozen=True)
class DataSource:
    """A data source the program invokes: what reading it needs under each identity."""

    token: str
    deploy_actions: tuple[str, ...] = ()
    identity_center_reads: tuple[str, ...] = ()
    deployers: tuple[str, ...] = (ACCESS_DEPLOYER,)


def _request(service: str, structure: str, members: Mapping[str, str]) -> dict[str, Member]:
    """Each input -> the member of the request structure its provider sends it in."""
    return {argument: (service, structure, member) for argument, member in members.items()}


_SSO_PROVISION = ("sso:ProvisionPermissionSet", "sso:DescribePermissionSetProvisioningStatus")
_TAGS_SSO = ("sso:ListTagsForResource", "sso:TagResource", "sso:UntagResource")
_SET_IN_INSTANCE = Identity(("permission_set_arn", "instance_arn"))
# An AWS Config organization rule, managed or custom: PutOrganizationConfigRule enables Config's service
# access and creates its service-linked role on first use (Config API reference: "creates a
# service-linked role AWSServiceRoleForConfigMultiAccountSetup").
CONFIG_SERVICE_LINKED_ROLE = "config-multiaccountsetup.amazonaws.com"
_ORGANIZATION_CONFIG_RULE = (
    "config:PutOrganizationConfigRule",
    "config:DescribeOrganizationConfigRules",
    "config:DescribeOrganizationConfigRuleStatuses",
    "config:GetOrganizationConfigRuleDetailedStatus",
    "config:DeleteOrganizationConfigRule",
    "organizations:EnableAWSServiceAccess",
    "organizations:ListAWSServiceAccessForOrganization",
    "organizations:ListDelegatedAdministrators",
    "organizations:DescribeOrganization",
    "iam:CreateServiceLinkedRole",
)

# Every Identity Center and Identity Store type, registered or not (inline policies, managed,
# customer-managed and boundary attachments, applications): a delete or re-create removes access, or
# re-creates the AWSReservedSSO_* roles under new names (F3).
GATED_FAMILIES: Mapping[str, str] = {
    "aws:ssoadmin/": "Identity Center: what a permission set grants (policies, attachments) or who gets "
    "it; a delete or re-create removes access while it happens (F3, F4)",
    "aws:identitystore/": "Identity Store: the group or user every assignment points at (F11)",
}

RESOURCE_TYPES: tuple[ResourceType, ...] = (
    # --- Identity Center: permission sets and what they grant, assignments, ABAC attributes ---
    ResourceType(
        PERMISSION_SET,
        identity=Identity(("arn", "instance_arn")),
        strings=_request(
            "sso-admin",
            "CreatePermissionSetRequest",
            {
                "name": "Name",
                "description": "Description",
                "relayState": "RelayState",
                "sessionDuration": "SessionDuration",
                "instanceArn": "InstanceArn",
            },
        ),
        tags=("sso-admin", "Tag"),
        deploy_actions=(
            "sso:CreatePermissionSet",
            "sso:DescribePermissionSet",
            "sso:UpdatePermissionSet",
            "sso:DeletePermissionSet",
            *_TAGS_SSO,
            *_SSO_PROVISION,
        ),
        gate="a permission set: a new one gets a new ARN, every assignment on it is re-created and the "
        "AWSReservedSSO_* roles get new names (F3)",
        # Through the management provider only for sets managedFromManagementAccount.
        deployers=(ACCESS_DEPLOYER, IDENTITY_CENTER_DEPLOYER),
    ),
    ResourceType(
        INLINE_POLICY,
        identity=_SET_IN_INSTANCE,
        strings=_request(
            "sso-admin",
            "PutInlinePolicyToPermissionSetRequest",
            {
                "inlinePolicy": "InlinePolicy",
                "instanceArn": "InstanceArn",
                "permissionSetArn": "PermissionSetArn",
            },
        ),
        deploy_actions=(
            "sso:PutInlinePolicyToPermissionSet",
            "sso:GetInlinePolicyForPermissionSet",
            "sso:DeleteInlinePolicyFromPermissionSet",
            *_SSO_PROVISION,
        ),
        deployers=(ACCESS_DEPLOYER, IDENTITY_CENTER_DEPLOYER),
    ),
    ResourceType(
        MANAGED_ATTACHMENT,
        identity=Identity(("managed_policy_arn", "permission_set_arn", "instance_arn")),
        strings=_request(
            "sso-admin",
            "AttachManagedPolicyToPermissionSetRequest",
            {
                "managedPolicyArn": "ManagedPolicyArn",
                "instanceArn": "InstanceArn",
                "permissionSetArn": "PermissionSetArn",
            },
        ),
        deploy_actions=(
            "sso:AttachManagedPolicyToPermissionSet",
            "sso:DetachManagedPolicyFromPermissionSet",
            "sso:ListManagedPoliciesInPermissionSet",
            *_SSO_PROVISION,
        ),
        deployers=(ACCESS_DEPLOYER, IDENTITY_CENTER_DEPLOYER),
    ),
    ResourceType(
        CUSTOMER_MANAGED_ATTACHMENT,
        identity=Identity(("name", "path", "permission_set_arn", "instance_arn")),
        deploy_actions=(
            "sso:AttachCustomerManagedPolicyReferenceToPermissionSet",
            "sso:DetachCustomerManagedPolicyReferenceFromPermissionSet",
            "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
            *_SSO_PROVISION,
        ),
        deployers=(ACCESS_DEPLOYER, IDENTITY_CENTER_DEPLOYER),
    ),
    ResourceType(
        PERMISSIONS_BOUNDARY_ATTACHMENT,
        identity=_SET_IN_INSTANCE,
        deploy_actions=(
            "sso:PutPermissionsBoundaryToPermissionSet",
            "sso:GetPermissionsBoundaryForPermissionSet",
            "sso:DeletePermissionsBoundaryFromPermissionSet",
            *_SSO_PROVISION,
        ),
        deployers=(ACCESS_DEPLOYER, IDENTITY_CENTER_DEPLOYER),
    ),
    ResourceType(
        ACCOUNT_ASSIGNMENT,
        identity=Identity(
            (
                "principal_id",
                "principal_type",
                "target_id",
                "target_type",
                "permission_set_arn",
                "instance_arn",
            )
        ),
        strings=_request(
            "sso-admin",
            "CreateAccountAssignmentRequest",
            {
                "principalId": "PrincipalId",
                "principalType": "PrincipalType",
                "targetId": "TargetId",
                "targetType": "TargetType",
                "instanceArn": "InstanceArn",
                "permissionSetArn": "PermissionSetArn",
            },
        ),
        deploy_actions=(
            "sso:CreateAccountAssignment",
            "sso:DeleteAccountAssignment",
            "sso:DescribeAccountAssignmentCreationStatus",
            "sso:DescribeAccountAssignmentDeletionStatus",
            "sso:ListAccountAssignments",
            # CreateAccountAssignment provisions the set's role and SAML provider in the target account,
            # DeleteAccountAssignment and ProvisionPermissionSet update and delete that role. In a member
            # account Identity Center's service-linked role does it, on the aws-reserved/sso.amazonaws.com/
            # path (IAM Identity Center User Guide, "Using service-linked roles": AttachRolePolicy,
            # CreateRole, DeleteRole, DeleteRolePermissionsBoundary, DeleteRolePolicy, DetachRolePolicy,
            # GetRole, ListRolePolicies, PutRolePolicy, PutRolePermissionsBoundary, ...); its provisioning
            # statement excludes the management account (AWSSSOServiceRolePolicy v18:
            # StringNotEquals aws:PrincipalOrgMasterAccountId ${aws:PrincipalAccount}), so there the
            # caller needs them all, not the create half only: removing a management-account grant
            # deletes its role. The Identity Center deployer holds none of them.
            "iam:GetSAMLProvider",
            "iam:CreateSAMLProvider",
            "iam:UpdateSAMLProvider",
            "iam:CreateRole",
            "iam:GetRole",
            "iam:DeleteRole",
            "iam:UpdateRole",
            "iam:UpdateRoleDescription",
            "iam:UpdateAssumeRolePolicy",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
            "iam:ListAttachedRolePolicies",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:ListRolePolicies",
            "iam:PutRolePermissionsBoundary",
            "iam:DeleteRolePermissionsBoundary",
        ),
        gate="an account assignment: the group loses the account while it is re-created, or for good if "
        "deleted (F3, F4)",
        deployers=(ACCESS_DEPLOYER, IDENTITY_CENTER_DEPLOYER),
        iam_scope=IDENTITY_CENTER_PROVISIONED,
    ),
    ResourceType(
        ACCESS_CONTROL_ATTRIBUTES,
        identity=Identity(("instance_arn",)),
        strings=_request(
            "sso-admin",
            "CreateInstanceAccessControlAttributeConfigurationRequest",
            {"instanceArn": "InstanceArn"},
        ),
        # Registered through the Identity Center provider, never the management one.
        deploy_actions=(
            "sso:CreateInstanceAccessControlAttributeConfiguration",
            "sso:DescribeInstanceAccessControlAttributeConfiguration",
            "sso:UpdateInstanceAccessControlAttributeConfiguration",
            "sso:DeleteInstanceAccessControlAttributeConfiguration",
        ),
        identity_center_reads=("sso:DescribeInstanceAccessControlAttributeConfiguration",),
        deployers=(IDENTITY_CENTER_DEPLOYER,),
        gate="the ABAC attribute configuration: without it every aws:PrincipalTag condition denies (F1)",
    ),
    # --- Organizations (management account only) ---
    ResourceType(
        ORG_POLICY,
        identity=Identity(("id",)),
        strings=_request(
            "organizations",
            "CreatePolicyRequest",
            {"name": "Name", "description": "Description", "content": "Content", "type": "Type"},
        ),
        deploy_actions=(
            "organizations:CreatePolicy",
            "organizations:DescribePolicy",
            "organizations:UpdatePolicy",
            "organizations:DeletePolicy",
            "organizations:ListTagsForResource",
            "organizations:TagResource",
            "organizations:UntagResource",
        ),
        engine_rules=(EXEMPT_PRINCIPAL_ARN_HAS_PATH,),
        gate="an SCP guardrail: detaching or re-creating it is immediate and org-wide (F12)",
    ),
    ResourceType(
        ORG_POLICY_ATTACHMENT,
        identity=Identity(("target_id", "policy_id"), ":"),
        strings=_request(
            "organizations", "AttachPolicyRequest", {"targetId": "TargetId", "policyId": "PolicyId"}
        ),
        deploy_actions=(
            "organizations:AttachPolicy",
            "organizations:DetachPolicy",
            "organizations:ListTargetsForPolicy",
        ),
        gate="an SCP attachment: removing it opens a window with no guardrail, or a deny-all if it was "
        "the allow (F12)",
    ),
    ResourceType(
        DELEGATED_ADMINISTRATOR,
        identity=Identity(("account_id", "service_principal"), "/"),
        strings=_request(
            "organizations",
            "RegisterDelegatedAdministratorRequest",
            {"accountId": "AccountId", "servicePrincipal": "ServicePrincipal"},
        ),
        engine_rules=(DELEGATION_TRUSTED_ACCESS, EXISTING_DELEGATION_ADOPTED),
        deploy_actions=(
            "organizations:RegisterDelegatedAdministrator",
            "organizations:DeregisterDelegatedAdministrator",
            "organizations:ListDelegatedAdministrators",
            "organizations:DescribeOrganization",
        ),
        gate="the Identity Center delegated administrator registration: without it the admin account "
        "cannot manage access",
    ),
    # --- IAM: CI roles and the break-glass users ---
    ResourceType(
        OIDC_PROVIDER,
        identity=Identity(("arn",)),
        strings=_request("iam", "CreateOpenIDConnectProviderRequest", {"url": "Url"}),
        tags=("iam", "Tag"),
        engine_rules=(EXISTING_IAM_ENTITY_ADOPTED,),
        deploy_actions=(
            "iam:CreateOpenIDConnectProvider",
            "iam:GetOpenIDConnectProvider",
            "iam:DeleteOpenIDConnectProvider",
            "iam:UpdateOpenIDConnectProviderThumbprint",
            "iam:AddClientIDToOpenIDConnectProvider",
            "iam:RemoveClientIDFromOpenIDConnectProvider",
            "iam:TagOpenIDConnectProvider",
            "iam:UntagOpenIDConnectProvider",
        ),
        iam_scope=GITHUB_OIDC_PROVIDER,
    ),
    ResourceType(
        IAM_ROLE,
        strings=_request(
            "iam",
            "CreateRoleRequest",
            {
                "name": "RoleName",
                "description": "Description",
                "assumeRolePolicy": "AssumeRolePolicyDocument",
                "path": "Path",
            },
        ),
        tags=("iam", "Tag"),
        engine_rules=(FEDERATED_PRINCIPAL_EXISTS, EXISTING_IAM_ENTITY_ADOPTED),
        deploy_actions=(
            "iam:CreateRole",
            "iam:GetRole",
            "iam:DeleteRole",
            "iam:UpdateRole",
            "iam:UpdateRoleDescription",
            "iam:UpdateAssumeRolePolicy",
            "iam:TagRole",
            "iam:UntagRole",
            "iam:ListRolePolicies",
            "iam:ListAttachedRolePolicies",
            "iam:ListInstanceProfilesForRole",
        ),
        # The access stack's delivery roles; the break-glass stack's alert forwarder.
        deployers=(ACCESS_DEPLOYER, BREAK_GLASS_DEPLOYER),
        iam_scope=OWN_ROLES,
    ),
    ResourceType(
        "aws:iam/rolePolicy:RolePolicy",
        strings=_request(
            "iam",
            "PutRolePolicyRequest",
            {"name": "PolicyName", "policy": "PolicyDocument", "role": "RoleName"},
        ),
        deploy_actions=("iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"),
        deployers=(ACCESS_DEPLOYER, BREAK_GLASS_DEPLOYER),
        iam_scope=OWN_ROLES,
    ),
    ResourceType(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        strings=_request("iam", "AttachRolePolicyRequest", {"role": "RoleName", "policyArn": "PolicyArn"}),
        deploy_actions=("iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies"),
        # No stack of frontdoor registers one (the delivery roles carry inline policies only), so no
        # deployer may attach a managed policy to its own roles; a stack that starts to fails the
        # deployer coverage test (tests/frontdoor/offline/test_deploy_permissions.py).
        deployers=(),
        iam_scope=OWN_ROLES,
    ),
    ResourceType(
        IAM_USER,
        strings=_request("iam", "CreateUserRequest", {"name": "UserName", "path": "Path"}),
        deploy_actions=(
            "iam:CreateUser",
            "iam:GetUser",
            "iam:DeleteUser",
            "iam:UpdateUser",
            "iam:TagUser",
            "iam:UntagUser",
            "iam:ListGroupsForUser",
            "iam:ListAccessKeys",
            "iam:ListMFADevices",
        ),
        deployers=(BREAK_GLASS_DEPLOYER,),
        iam_scope=BREAK_GLASS_USERS,
    ),
    ResourceType(
        IAM_LOGIN_PROFILE,
        deploy_actions=("iam:CreateLoginProfile", "iam:GetLoginProfile", "iam:DeleteLoginProfile"),
        deployers=(BREAK_GLASS_DEPLOYER,),
        iam_scope=BREAK_GLASS_USERS,
    ),
    ResourceType(
        "aws:iam/group:Group",
        strings=_request("iam", "CreateGroupRequest", {"name": "GroupName"}),
        deploy_actions=("iam:CreateGroup", "iam:GetGroup", "iam:DeleteGroup", "iam:UpdateGroup"),
        deployers=(BREAK_GLASS_DEPLOYER,),
        iam_scope=BREAK_GLASS_GROUP,
    ),
    ResourceType(
        IAM_GROUP_MEMBERSHIP,
        strings=_request("iam", "AddUserToGroupRequest", {"group": "GroupName"}),
        unsent=frozenset({"name"}),  # it only names the Terraform resource
        # AddUserToGroup and RemoveUserFromGroup act on the group (service authorization reference).
        deploy_actions=("iam:AddUserToGroup", "iam:RemoveUserFromGroup", "iam:GetGroup"),
        deployers=(BREAK_GLASS_DEPLOYER,),
        iam_scope=BREAK_GLASS_GROUP,
    ),
    ResourceType(
        "aws:iam/groupPolicy:GroupPolicy",
        strings=_request(
            "iam",
            "PutGroupPolicyRequest",
            {"group": "GroupName", "name": "PolicyName", "policy": "PolicyDocument"},
        ),
        deploy_actions=("iam:PutGroupPolicy", "iam:GetGroupPolicy", "iam:DeleteGroupPolicy"),
        deployers=(BREAK_GLASS_DEPLOYER,),
        iam_scope=BREAK_GLASS_GROUP,
    ),
    ResourceType(
        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        strings=_request("iam", "AttachGroupPolicyRequest", {"group": "GroupName", "policyArn": "PolicyArn"}),
        deploy_actions=("iam:AttachGroupPolicy", "iam:DetachGroupPolicy", "iam:ListAttachedGroupPolicies"),
        deployers=(BREAK_GLASS_DEPLOYER,),
        iam_scope=BREAK_GLASS_GROUP,
    ),
    # --- the organization trail and its bucket ---
    ResourceType(
        TRAIL,
        strings=_request(
            "cloudtrail", "CreateTrailRequest", {"name": "Name", "s3BucketName": "S3BucketName"}
        ),
        engine_rules=(ORGANIZATION_TRAIL_TRUSTED_ACCESS,),
        deploy_actions=(
            "cloudtrail:CreateTrail",
            "cloudtrail:UpdateTrail",
            "cloudtrail:DeleteTrail",
            "cloudtrail:DescribeTrails",
            "cloudtrail:GetTrailStatus",
            "cloudtrail:StartLogging",
            "cloudtrail:StopLogging",
            "cloudtrail:GetEventSelectors",
            "cloudtrail:PutEventSelectors",
            "cloudtrail:GetInsightSelectors",
            "cloudtrail:ListTags",
            "cloudtrail:AddTags",
            "cloudtrail:RemoveTags",
            # CreateTrail with IsOrganizationTrail (CloudTrail user guide, "Prepare for creating a trail
            # for your organization"): it checks trusted access and creates its service-linked role.
            "organizations:DescribeOrganization",
            "organizations:ListAWSServiceAccessForOrganization",
            "iam:CreateServiceLinkedRole",
            "iam:GetRole",
        ),
        iam_scope=SERVICE_LINKED_ROLES,
        service_linked_role="cloudtrail.amazonaws.com",
    ),
    ResourceType(
        "aws:s3/bucket:Bucket",
        strings=_request("s3", "CreateBucketRequest", {"bucket": "Bucket"}),
        deploy_actions=(
            "s3:CreateBucket",
            "s3:DeleteBucket",
            "s3:ListBucket",
            "s3:GetBucket*",
            "s3:PutBucketTagging",
            "s3:GetAccelerateConfiguration",
            "s3:GetLifecycleConfiguration",
            "s3:GetReplicationConfiguration",
            "s3:GetEncryptionConfiguration",
        ),
    ),
    ResourceType(
        "aws:s3/bucketPolicy:BucketPolicy",
        strings=_request("s3", "PutBucketPolicyRequest", {"bucket": "Bucket", "policy": "Policy"}),
        deploy_actions=("s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"),
        engine_rules=(EXEMPT_PRINCIPAL_ARN_HAS_PATH,),
    ),
    ResourceType(
        # The trail bucket's one notification configuration: new log objects to the Datadog Forwarder.
        "aws:s3/bucketNotification:BucketNotification",
        strings=_request("s3", "PutBucketNotificationConfigurationRequest", {"bucket": "Bucket"}),
        deploy_actions=("s3:PutBucketNotification", "s3:GetBucketNotification"),
        gate="the trail bucket's notification to the Datadog Forwarder: without it no CloudTrail log reaches "
        "Datadog and every CloudTrail monitor but the heartbeat goes silent",
    ),
    ResourceType(
        # S3's permission to invoke the Datadog Forwarder from the trail bucket.
        "aws:lambda/permission:Permission",
        strings=_request(
            "lambda",
            "AddPermissionRequest",
            {
                "function": "FunctionName",
                "statementId": "StatementId",
                "action": "Action",
                "principal": "Principal",
                "sourceArn": "SourceArn",
                "sourceAccount": "SourceAccount",
            },
        ),
        deploy_actions=("lambda:AddPermission", "lambda:RemovePermission", "lambda:GetPolicy"),
        gate="S3's permission to invoke the Datadog Forwarder: without it the trail bucket's notification "
        "fails and no CloudTrail log reaches Datadog",
    ),
    ResourceType(
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        strings=_request("s3", "PutBucketOwnershipControlsRequest", {"bucket": "Bucket"}),
        deploy_actions=("s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls"),
    ),
    ResourceType(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        strings=_request("s3", "PutPublicAccessBlockRequest", {"bucket": "Bucket"}),
        deploy_actions=("s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
    ),
    ResourceType(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        strings=_request("s3", "PutBucketEncryptionRequest", {"bucket": "Bucket"}),
        deploy_actions=("s3:PutEncryptionConfiguration", "s3:GetEncryptionConfiguration"),
    ),
    ResourceType(
        "aws:s3/bucketVersioning:BucketVersioning",
        strings=_request("s3", "PutBucketVersioningRequest", {"bucket": "Bucket"}),
        deploy_actions=("s3:PutBucketVersioning", "s3:GetBucketVersioning"),
    ),
    # --- break-glass alerting ---
    ResourceType(
        "aws:cloudwatch/eventRule:EventRule",
        strings=_request(
            "events",
            "PutRuleRequest",
            {"name": "Name", "description": "Description", "eventPattern": "EventPattern"},
        ),
        deploy_actions=(
            "events:PutRule",
            "events:DescribeRule",
            "events:DeleteRule",
            "events:EnableRule",
            "events:DisableRule",
            "events:ListTagsForResource",
            "events:TagResource",
            "events:UntagResource",
        ),
        deployers=(BREAK_GLASS_DEPLOYER,),
    ),
    ResourceType(
        "aws:cloudwatch/eventTarget:EventTarget",
        strings=_request("events", "Target", {"arn": "Arn", "targetId": "Id"}),
        deploy_actions=(
            "events:PutTargets",
            "events:RemoveTargets",
            "events:ListTargetsByRule",
            # The cross-region forwarding target runs as the forwarding role.
            "iam:PassRole",
        ),
        deployers=(BREAK_GLASS_DEPLOYER,),
        iam_scope=PASSED_TO_EVENTBRIDGE,
    ),
    # --- Posture detectors (frontdoor/domain/reconcile/posture.py): AWS Config organization rules and
    # the IAM Access Analyzer organization analyzer, which reads the organization and creates Access
    # Analyzer's service-linked role. A rule's create sends its name in the request and the rest in
    # the nested rule metadata.
    ResourceType(
        CONFIG_MANAGED_RULE,
        strings={
            **_request("config", "PutOrganizationConfigRuleRequest", {"name": "OrganizationConfigRuleName"}),
            **_request(
                "config",
                "OrganizationManagedRuleMetadata",
                {
                    "description": "Description",
                    "ruleIdentifier": "RuleIdentifier",
                    "inputParameters": "InputParameters",
                    "maximumExecutionFrequency": "MaximumExecutionFrequency",
                },
            ),
        },
        engine_rules=(CONFIG_RECORDER_PRESENT,),
        deploy_actions=_ORGANIZATION_CONFIG_RULE,
        iam_scope=SERVICE_LINKED_ROLES,
        service_linked_role=CONFIG_SERVICE_LINKED_ROLE,
    ),
    ResourceType(
        CONFIG_CUSTOM_POLICY_RULE,
        strings={
            **_request("config", "PutOrganizationConfigRuleRequest", {"name": "OrganizationConfigRuleName"}),
            **_request(
                "config",
                "OrganizationCustomPolicyRuleMetadata",
                {
                    "description": "Description",
                    "policyRuntime": "PolicyRuntime",
                    "policyText": "PolicyText",
                    "inputParameters": "InputParameters",
                    "maximumExecutionFrequency": "MaximumExecutionFrequency",
                },
            ),
        },
        engine_rules=(CONFIG_RECORDER_PRESENT,),
        deploy_actions=(*_ORGANIZATION_CONFIG_RULE, "config:GetOrganizationCustomRulePolicy"),
        iam_scope=SERVICE_LINKED_ROLES,
        service_linked_role=CONFIG_SERVICE_LINKED_ROLE,
    ),
    ResourceType(
        ACCESS_ANALYZER,
        strings=_request(
            "accessanalyzer", "CreateAnalyzerRequest", {"analyzerName": "analyzerName", "type": "type"}
        ),
        engine_rules=(ACCESS_ANALYZER_TRUSTED_ACCESS,),
        deploy_actions=(
            "access-analyzer:CreateAnalyzer",
            "access-analyzer:GetAnalyzer",
            "access-analyzer:UpdateAnalyzer",
            "access-analyzer:DeleteAnalyzer",
            "access-analyzer:ListTagsForResource",
            "access-analyzer:TagResource",
            "access-analyzer:UntagResource",
            "organizations:DescribeOrganization",
            "organizations:ListAccounts",
            "organizations:ListAWSServiceAccessForOrganization",
            "organizations:ListDelegatedAdministrators",
            "iam:CreateServiceLinkedRole",
        ),
        iam_scope=SERVICE_LINKED_ROLES,
        service_linked_role="access-analyzer.amazonaws.com",
    ),
    # --- Vault target roles (frontdoor/domain/planning/machine_plan.py): one service-managed StackSet
    # per consumer, deployed to its OUs and accounts (CloudFormation StackSets API reference).
    ResourceType(
        STACK_SET,
        strings=_request(
            "cloudformation",
            "CreateStackSetInput",
            {
                "name": "StackSetName",
                "description": "Description",
                "templateBody": "TemplateBody",
                "permissionModel": "PermissionModel",
                "callAs": "CallAs",
            },
        ),
        engine_rules=(STACKSETS_TRUSTED_ACCESS,),
        deploy_actions=(
            "cloudformation:CreateStackSet",
            "cloudformation:DescribeStackSet",
            "cloudformation:UpdateStackSet",
            "cloudformation:DeleteStackSet",
            "cloudformation:DescribeStackSetOperation",
            "cloudformation:ListStackSetOperations",
            "cloudformation:TagResource",
            "cloudformation:UntagResource",
            "organizations:DescribeOrganization",
            "organizations:ListDelegatedAdministrators",
        ),
        gate="a Vault consumer's StackSet: replacing or deleting it deletes the target role in every account "
        "it reaches (its auto-deployment is ForceNew)",
    ),
    ResourceType(
        STACK_SET_INSTANCE,
        strings={
            **_request(
                "cloudformation",
                "CreateStackInstancesInput",
                {"stackSetName": "StackSetName", "callAs": "CallAs"},
            ),
            # The instance's region is sent as the one element of CreateStackInstances' Regions.
            "stackSetInstanceRegion": ("cloudformation", "RegionList", "member"),
        },
        deploy_actions=(
            "cloudformation:CreateStackInstances",
            "cloudformation:DescribeStackInstance",
            "cloudformation:ListStackInstances",
            "cloudformation:UpdateStackInstances",
            "cloudformation:DeleteStackInstances",
            "cloudformation:DescribeStackSetOperation",
        ),
        engine_rules=(STACK_SET_AUTO_DEPLOY_NO_FILTER, STACK_SET_INSTANCE_DELETE_FIRST),
        gate="a StackSet instance: deleting or replacing it deletes the Vault target role in the accounts it "
        "reaches, and a create-before-delete replacement deletes what the new one claimed",
    ),
    ResourceType(
        "aws:sns/topic:Topic",
        strings=_request("sns", "CreateTopicInput", {"name": "Name"}),
        deploy_actions=(
            "sns:CreateTopic",
            "sns:DeleteTopic",
            "sns:GetTopicAttributes",
            "sns:SetTopicAttributes",
            "sns:ListTagsForResource",
            "sns:TagResource",
            "sns:UntagResource",
        ),
        deployers=(BREAK_GLASS_DEPLOYER,),
    ),
    ResourceType(
        "aws:sns/topicPolicy:TopicPolicy",
        strings=_request("sns", "SetTopicAttributesInput", {"policy": "AttributeValue"}),
        deploy_actions=("sns:SetTopicAttributes", "sns:GetTopicAttributes"),
        deployers=(BREAK_GLASS_DEPLOYER,),
    ),
    ResourceType(
        "aws:sns/topicSubscription:TopicSubscription",
        strings=_request("sns", "SubscribeInput", {"endpoint": "Endpoint", "protocol": "Protocol"}),
        deploy_actions=(
            "sns:Subscribe",
            "sns:Unsubscribe",
            "sns:GetSubscriptionAttributes",
            "sns:SetSubscriptionAttributes",
        ),
        deployers=(BREAK_GLASS_DEPLOYER,),
    ),
    # --- Okta: the AWS app, its provisioning, groups, rules, profile attributes, sign-on policy ---
    ResourceType(
        OKTA_SAML_APP,
        gate="the AWS SAML app: deleting it signs everyone out of AWS and loses its provisioning settings",
    ),
    ResourceType(
        "okta:app/features:Features",
        gate="the app's provisioning features: without them SCIM stops",
    ),
    ResourceType(
        OKTA_GROUP,
        gate="an Okta group: a new group means a new Identity Center group id and broken assignments (F11)",
    ),
    ResourceType(
        OKTA_RULE,
        engine_rules=(GROUP_RULE_ATTRIBUTE_EXISTS, GROUP_RULE_NO_CASCADE),
        gate="a group rule: re-creating it removes and re-adds members, and SCIM de-provisions them "
        "meanwhile (F10)",
    ),
    ResourceType(
        OKTA_PUSH_GROUP,
        engine_rules=(PUSH_GROUP_NEEDS_PROVISIONING,),
        gate="a Group Push mapping: removing it can delete the Identity Center group; a re-push gets a new "
        "id and every assignment on the old one breaks (F11)",
    ),
    ResourceType(
        OKTA_GROUP_ASSIGNMENT,
        gate="the group that assigns the AWS app: create is an unconditional PUT, so a rename without "
        "alias deletes the live grant (F2)",
    ),
    ResourceType(
        OKTA_APP_GROUP_ASSIGNMENTS,
        gate="the authoritative app-group list: entries missing from it are unassigned (F8)",
    ),
    ResourceType(
        OKTA_USER_SCHEMA_PROPERTY,
        engine_rules=(EXISTING_ATTRIBUTE_ADOPTED, ADOPTED_ATTRIBUTE_MATCHES_LIVE),
        gate="an Okta user profile attribute: deleting it deletes the attribute's value on every user",
    ),
    ResourceType(
        "okta:index/userBaseSchemaProperty:UserBaseSchemaProperty",
        gate="an Okta base profile attribute setting",
    ),
    ResourceType(
        OKTA_APP_USER_SCHEMA_PROPERTY,
        gate="an app user profile attribute: deleting it deletes the value on every app user, and the ABAC "
        "tag with it",
    ),
    ResourceType(
        OKTA_PROFILE_MAPPING,
        engine_rules=(MAPPING_TARGET_EXISTS,),
        gate="the profile mapping that carries ABAC attributes to AWS: without it the tags stop flowing "
        "(ABAC denies everything)",
    ),
    ResourceType(
        "okta:index/appSignonPolicy:AppSignonPolicy",
        gate="the AWS app sign-on policy: replacing it falls back to the org default (MFA requirement lost)",
    ),
    ResourceType(
        "okta:index/appSignonPolicyRule:AppSignonPolicyRule",
        gate="the AWS app sign-on rule (MFA requirement)",
    ),
    # --- Vault (machine access) and Datadog (identity monitoring): other vendors' providers ---
    ResourceType(VAULT_AWS_SECRET_BACKEND),
    ResourceType(VAULT_AWS_ROLE, engine_rules=(ROLE_CHAINING_TTL,)),
    # The Datadog types are the monitoring stack's; gated there, and in the identity stack's deploy too,
    # where a delete means the monitors were not moved with `pulumi state move` (docs/monitoring-stack.md).
    ResourceType(
        "datadog:aws/integrationAccount:IntegrationAccount",
        engine_rules=(DATADOG_LOG_SOURCES_LOG_READY,),
        gate="the AWS integration of the trail's account: a re-created one gets a new external ID, which the "
        "identity stack's integration role no longer trusts",
    ),
    ResourceType(
        "datadog:index/logsMetric:LogsMetric",
        gate="a log-based metric (the SSO SLO reads okta-aws-sso): deleting it stops the series, and the "
        "SLO and its burn-rate alert go blind",
    ),
    ResourceType(
        DATADOG_MONITOR,
        gate="an identity monitor: deleting it silences the alert, and a re-created one gets a new id "
        "(links, mutes and downtimes naming it break)",
    ),
    ResourceType(
        "datadog:index/serviceLevelObjective:ServiceLevelObjective",
        gate="the SSO availability SLO: a re-created one starts with no history and a new id, which the "
        "burn-rate monitor's query names",
    ),
)

DATA_SOURCES: tuple[DataSource, ...] = (
    DataSource(
        GET_ORGANIZATION,
        deploy_actions=(
            "organizations:DescribeOrganization",
            "organizations:ListAccounts",
            "organizations:ListRoots",
            "organizations:ListAWSServiceAccessForOrganization",
        ),
    ),
    DataSource(GET_ORGANIZATIONAL_UNITS, deploy_actions=("organizations:ListOrganizationalUnitsForParent",)),
    DataSource(GET_OU_CHILD_ACCOUNTS, deploy_actions=("organizations:ListAccountsForParent",)),
    # Answered offline for programs of other shapes; frontdoor's own program lists child accounts OU by
    # OU, so its deploy role needs nothing for this one.
    DataSource(GET_OU_DESCENDANT_ACCOUNTS),
    DataSource(GET_DELEGATED_ADMINISTRATORS, deploy_actions=("organizations:ListDelegatedAdministrators",)),
    # Read through the Identity Center provider (the program reads every synced group at once; one group
    # by name is what other programs read, and what the preview role may read).
    DataSource(
        GET_SSO_INSTANCES, identity_center_reads=("sso:ListInstances",), deployers=(IDENTITY_CENTER_DEPLOYER,)
    ),
    DataSource(
        GET_IDENTITY_STORE_GROUPS,
        identity_center_reads=("identitystore:ListGroups",),
        deployers=(IDENTITY_CENTER_DEPLOYER,),
    ),
    DataSource(
        GET_IDENTITY_STORE_GROUP,
        identity_center_reads=(
            "identitystore:GetGroupId",
            "identitystore:DescribeGroup",
            "identitystore:ListGroups",
        ),
        deployers=(IDENTITY_CENTER_DEPLOYER,),
    ),
    # Answered offline for programs of other shapes; sts:GetCallerIdentity needs no permission.
    DataSource(GET_CALLER_IDENTITY),
    DataSource(GET_OKTA_PROFILE_MAPPING_SOURCE),
)

CATALOGUE: Mapping[str, ResourceType] = {entry.token: entry for entry in RESOURCE_TYPES}
DATA_SOURCE_TOKENS: frozenset[str] = frozenset(source.token for source in DATA_SOURCES)
_EVERY_ENTRY: tuple[ResourceType | DataSource, ...] = (*RESOURCE_TYPES, *DATA_SOURCES)


def string_arguments() -> dict[tuple[str, str], Member]:
    """(type, string input) -> the botocore member its provider sends it as, for every type."""
    return {
        (entry.token, argument): member
        for entry in RESOURCE_TYPES
        for argument, member in entry.strings.items()
    }


def unsent_arguments() -> frozenset[tuple[str, str]]:
    """(type, string input) pairs of one type that no API call carries."""
    return frozenset((entry.token, argument) for entry in RESOURCE_TYPES for argument in entry.unsent)


def tag_arguments() -> dict[str, tuple[str, str]]:
    """Type -> the botocore Tag structure its provider sends each tag pair as."""
    return {entry.token: entry.tags for entry in RESOURCE_TYPES if entry.tags is not None}


def deploy_actions() -> dict[str, tuple[str, ...]]:
    """Type or data source -> the IAM actions the management provider calls for it."""
    return {entry.token: entry.deploy_actions for entry in _EVERY_ENTRY if entry.deploy_actions}


def deployer_entries(deployer: str) -> tuple[ResourceType | DataSource, ...]:
    """The types and data sources `deployer` registers or reads (each entry's `deployers`)."""
    return tuple(entry for entry in _EVERY_ENTRY if deployer in entry.deployers)


def identity_center_reads() -> dict[str, tuple[str, ...]]:
    """Type or data source -> what the Identity Center provider reads for it beyond `deploy_actions`."""
    return {entry.token: entry.identity_center_reads for entry in _EVERY_ENTRY if entry.identity_center_reads}


def gated_types() -> dict[str, str]:
    """Type -> why the gate blocks its delete or replacement (the types gated by their own reason)."""
    return {entry.token: entry.gate for entry in RESOURCE_TYPES if entry.gate is not None}


def adoptable() -> frozenset[str]:
    """The types `frontdoor adopt` finds live: those with an identity."""
    return frozenset(entry.token for entry in RESOURCE_TYPES if entry.identity is not None)


def import_id(token: str, **fields: str) -> str:
    """The `pulumi import` id of the live instance of `token` whose identity fields are `fields`."""
    identity = CATALOGUE[token].identity
    if identity is None:
        raise KeyError(f"{token} has no identity in frontdoor/domain/resource_types.py")
    return identity.import_id(**fields)


def engine_rules(token: str) -> tuple[str, ...]:
    """The offline engine's named rules that apply to a registration of `token` (none if unknown)."""
    entry = CATALOGUE.get(token)
    return entry.engine_rules if entry is not None else ()
