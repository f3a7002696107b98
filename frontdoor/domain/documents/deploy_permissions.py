"""The deploy role's least privilege: IAM actions derived from the resource types the program registers.

The management provider (the deployer role, frontdoor/domain/documents/deployer.py) registers a known set of
resource types and reads a known set of data sources. `ACTIONS` maps each to the IAM actions its
provider calls for create, read, update, delete and tagging (from the service authorization reference
and the Terraform resources pulumi-aws bridges); `deploy_policy` is their union, one statement per
service. No `AdministratorAccess` in the management account: the role can do what the program does.
tests/frontdoor/offline/test_deploy_permissions.py runs the demo and break-glass stacks and fails when
the program registers, through the management provider, a type missing here, or when the policy
grants a service the program never touches.

Scoping: `sts:AssumeRole` names exactly the two deployer roles. The other statements keep
`Resource: "*"`: the list/describe calls need it, and CreateAccountAssignment creates Identity Center's
roles under names AWS chooses. Narrowing IAM writes to `role/frontdoor-*` and the break-glass names is
the next step (not done: it needs a sandbox run to confirm every ARN the provider touches).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_SSO_PROVISION = ("sso:ProvisionPermissionSet", "sso:DescribePermissionSetProvisioningStatus")
_TAGS_SSO = ("sso:ListTagsForResource", "sso:TagResource", "sso:UntagResource")

# Pulumi type (or data source token) -> the IAM actions its provider calls.
ACTIONS: dict[str, tuple[str, ...]] = {
    # --- Organizations (management account only) ---
    "aws:organizations/policy:Policy": (
        "organizations:CreatePolicy",
        "organizations:DescribePolicy",
        "organizations:UpdatePolicy",
        "organizations:DeletePolicy",
        "organizations:ListTagsForResource",
        "organizations:TagResource",
        "organizations:UntagResource",
    ),
    "aws:organizations/policyAttachment:PolicyAttachment": (
        "organizations:AttachPolicy",
        "organizations:DetachPolicy",
        "organizations:ListTargetsForPolicy",
    ),
    "aws:organizations/delegatedAdministrator:DelegatedAdministrator": (
        "organizations:RegisterDelegatedAdministrator",
        "organizations:DeregisterDelegatedAdministrator",
        "organizations:ListDelegatedAdministrators",
        "organizations:DescribeOrganization",
    ),
    "aws:organizations/getOrganization:getOrganization": (
        "organizations:DescribeOrganization",
        "organizations:ListAccounts",
        "organizations:ListRoots",
        "organizations:ListAWSServiceAccessForOrganization",
    ),
    "aws:organizations/getOrganizationalUnits:getOrganizationalUnits": (
        "organizations:ListOrganizationalUnitsForParent",
    ),
    "aws:organizations/getOrganizationalUnitChildAccounts:getOrganizationalUnitChildAccounts": (
        "organizations:ListAccountsForParent",
    ),
    "aws:organizations/getDelegatedAdministrators:getDelegatedAdministrators": (
        "organizations:ListDelegatedAdministrators",
    ),
    # --- IAM: CI roles and the break-glass users ---
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (
        "iam:CreateOpenIDConnectProvider",
        "iam:GetOpenIDConnectProvider",
        "iam:DeleteOpenIDConnectProvider",
        "iam:UpdateOpenIDConnectProviderThumbprint",
        "iam:AddClientIDToOpenIDConnectProvider",
        "iam:RemoveClientIDFromOpenIDConnectProvider",
        "iam:TagOpenIDConnectProvider",
        "iam:UntagOpenIDConnectProvider",
    ),
    "aws:iam/role:Role": (
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
    "aws:iam/rolePolicy:RolePolicy": ("iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:ListAttachedRolePolicies",
    ),
    "aws:iam/user:User": (
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
    "aws:iam/userLoginProfile:UserLoginProfile": (
        "iam:CreateLoginProfile",
        "iam:GetLoginProfile",
        "iam:DeleteLoginProfile",
    ),
    "aws:iam/group:Group": ("iam:CreateGroup", "iam:GetGroup", "iam:DeleteGroup", "iam:UpdateGroup"),
    "aws:iam/groupMembership:GroupMembership": (
        "iam:AddUserToGroup",
        "iam:RemoveUserFromGroup",
        "iam:GetGroup",
    ),
    "aws:iam/groupPolicy:GroupPolicy": ("iam:PutGroupPolicy", "iam:GetGroupPolicy", "iam:DeleteGroupPolicy"),
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": (
        "iam:AttachGroupPolicy",
        "iam:DetachGroupPolicy",
        "iam:ListAttachedGroupPolicies",
    ),
    # --- the organization trail and its bucket ---
    "aws:cloudtrail/trail:Trail": (
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
    "aws:s3/bucket:Bucket": (
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
    "aws:s3/bucketPolicy:BucketPolicy": ("s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (
        "s3:PutBucketOwnershipControls",
        "s3:GetBucketOwnershipControls",
    ),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (
        "s3:PutBucketPublicAccessBlock",
        "s3:GetBucketPublicAccessBlock",
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        "s3:PutEncryptionConfiguration",
        "s3:GetEncryptionConfiguration",
    ),
    "aws:s3/bucketVersioning:BucketVersioning": ("s3:PutBucketVersioning", "s3:GetBucketVersioning"),
    # --- break-glass alerting ---
    "aws:cloudwatch/eventRule:EventRule": (
        "events:PutRule",
        "events:DescribeRule",
        "events:DeleteRule",
        "events:EnableRule",
        "events:DisableRule",
        "events:ListTagsForResource",
        "events:TagResource",
        "events:UntagResource",
    ),
    "aws:cloudwatch/eventTarget:EventTarget": (
        "events:PutTargets",
        "events:RemoveTargets",
        "events:ListTargetsByRule",
        # The cross-region forwarding target runs as the forwarding role.
        "iam:PassRole",
    ),
    # --- Posture detectors (frontdoor/domain/reconcile/posture.py): AWS Config organization rules and the
    # IAM Access Analyzer organization analyzer. PutOrganizationConfigRule enables Config's service
    # access and creates its service-linked role on first use (Config API reference); an organization
    # analyzer reads the organization and creates Access Analyzer's service-linked role.
    "aws:cfg/organizationManagedRule:OrganizationManagedRule": (
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
    ),
    "aws:cfg/organizationCustomPolicyRule:OrganizationCustomPolicyRule": (
        "config:PutOrganizationConfigRule",
        "config:DescribeOrganizationConfigRules",
        "config:DescribeOrganizationConfigRuleStatuses",
        "config:GetOrganizationConfigRuleDetailedStatus",
        "config:GetOrganizationCustomRulePolicy",
        "config:DeleteOrganizationConfigRule",
        "organizations:EnableAWSServiceAccess",
        "organizations:ListAWSServiceAccessForOrganization",
        "organizations:ListDelegatedAdministrators",
        "organizations:DescribeOrganization",
        "iam:CreateServiceLinkedRole",
    ),
    "aws:accessanalyzer/analyzer:Analyzer": (
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
    # --- Vault target roles (frontdoor/domain/planning/machine_plan.py): one service-managed StackSet per
    # consumer, deployed to its OUs and accounts (CloudFormation StackSets API reference).
    "aws:cloudformation/stackSet:StackSet": (
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
    "aws:cloudformation/stackSetInstance:StackSetInstance": (
        "cloudformation:CreateStackInstances",
        "cloudformation:DescribeStackInstance",
        "cloudformation:ListStackInstances",
        "cloudformation:UpdateStackInstances",
        "cloudformation:DeleteStackInstances",
        "cloudformation:DescribeStackSetOperation",
    ),
    "aws:sns/topic:Topic": (
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:GetTopicAttributes",
        "sns:SetTopicAttributes",
        "sns:ListTagsForResource",
        "sns:TagResource",
        "sns:UntagResource",
    ),
    "aws:sns/topicPolicy:TopicPolicy": ("sns:SetTopicAttributes", "sns:GetTopicAttributes"),
    "aws:sns/topicSubscription:TopicSubscription": (
        "sns:Subscribe",
        "sns:Unsubscribe",
        "sns:GetSubscriptionAttributes",
        "sns:SetSubscriptionAttributes",
    ),
    # --- Identity Center, for sets and assignments on the management account itself ---
    "aws:ssoadmin/permissionSet:PermissionSet": (
        "sso:CreatePermissionSet",
        "sso:DescribePermissionSet",
        "sso:UpdatePermissionSet",
        "sso:DeletePermissionSet",
        *_TAGS_SSO,
        *_SSO_PROVISION,
    ),
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": (
        "sso:PutInlinePolicyToPermissionSet",
        "sso:GetInlinePolicyForPermissionSet",
        "sso:DeleteInlinePolicyFromPermissionSet",
        *_SSO_PROVISION,
    ),
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment": (
        "sso:AttachManagedPolicyToPermissionSet",
        "sso:DetachManagedPolicyFromPermissionSet",
        "sso:ListManagedPoliciesInPermissionSet",
        *_SSO_PROVISION,
    ),
    "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment": (
        "sso:AttachCustomerManagedPolicyReferenceToPermissionSet",
        "sso:DetachCustomerManagedPolicyReferenceFromPermissionSet",
        "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
        *_SSO_PROVISION,
    ),
    "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment": (
        "sso:PutPermissionsBoundaryToPermissionSet",
        "sso:GetPermissionsBoundaryForPermissionSet",
        "sso:DeletePermissionsBoundaryFromPermissionSet",
        *_SSO_PROVISION,
    ),
    "aws:ssoadmin/accountAssignment:AccountAssignment": (
        "sso:CreateAccountAssignment",
        "sso:DeleteAccountAssignment",
        "sso:DescribeAccountAssignmentCreationStatus",
        "sso:DescribeAccountAssignmentDeletionStatus",
        "sso:ListAccountAssignments",
        # CreateAccountAssignment provisions the set's role and SAML provider in the target account
        # (IAM Identity Center API reference, CreateAccountAssignment: "permissions required").
        "iam:GetSAMLProvider",
        "iam:CreateSAMLProvider",
        "iam:UpdateSAMLProvider",
        "iam:CreateRole",
        "iam:AttachRolePolicy",
        "iam:PutRolePolicy",
        "iam:ListRolePolicies",
    ),
}
# The providers chain into the deployer role (itself, then the Identity Center account's).
PROVIDER_ACTIONS = ("sts:AssumeRole",)


def services(actions: Iterable[str]) -> set[str]:
    return {action.split(":", 1)[0] for action in actions}


def deploy_actions(types: Iterable[str] = ()) -> list[str]:
    """The union of the actions of `types` (default: every type the management provider registers)."""
    chosen = list(types) or list(ACTIONS)
    missing = sorted(t for t in chosen if t not in ACTIONS)
    if missing:
        raise KeyError(
            f"no deploy permissions known for {missing}: add them to "
            "frontdoor/domain/documents/deploy_permissions.py"
        )
    return sorted({action for t in chosen for action in ACTIONS[t]})


TRAIL_TYPES = ("aws:cloudtrail/", "aws:s3/")


def deploy_policy(role_arns: Iterable[str], *, trail_bucket: str | None) -> dict[str, Any]:
    """The deploy role's inline policy: one statement per service, AssumeRole of exactly `role_arns`.

    Without a trail the role gets no CloudTrail or S3 action at all; with one, every S3 action is
    bounded to the trail's bucket (parliament's RESOURCE_POLICY_PRIVILEGE_ESCALATION otherwise: a
    deployer able to rewrite any bucket policy in the management account).
    """
    types = [t for t in ACTIONS if trail_bucket is not None or not t.startswith(TRAIL_TYPES)]
    by_service: dict[str, list[str]] = {}
    for action in deploy_actions(types):
        by_service.setdefault(action.split(":", 1)[0], []).append(action)
    statements: list[dict[str, Any]] = [
        {
            "Sid": f"Deploy{service.title().replace('-', '')}",
            "Effect": "Allow",
            "Action": actions,
            "Resource": f"arn:aws:s3:::{trail_bucket}" if service == "s3" else "*",
        }
        for service, actions in sorted(by_service.items())
    ]
    statements.append(
        {
            "Sid": "ChainToDeployerRoles",
            "Effect": "Allow",
            "Action": list(PROVIDER_ACTIONS),
            "Resource": sorted(role_arns),
        }
    )
    return {"Version": "2012-10-17", "Statement": statements}
