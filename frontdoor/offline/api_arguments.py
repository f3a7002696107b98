"""The AWS request each registered type's create sends, and the request member each string input
the program sets becomes (botocore service, structure, member): what `api_rules.botocore_string_rules`
checks every value against (pattern, min and max length from botocore's own service models).

A new resource type or a new string argument must be mapped here (a test over the demo and
break-glass runs fails otherwise), or listed as not sent (`NOT_SENT`, `NOT_SENT_BY_TYPE`).
"""

from __future__ import annotations

ROLE = "aws:iam/role:Role"
OIDC_PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
TRAIL = "aws:cloudtrail/trail:Trail"
DELEGATED_ADMINISTRATOR = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"

# Pulumi type -> (botocore service, the request structure its create sends, {input: member}).
REQUESTS: dict[str, tuple[str, str, dict[str, str]]] = {
    "aws:ssoadmin/permissionSet:PermissionSet": (
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
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": (
        "sso-admin",
        "PutInlinePolicyToPermissionSetRequest",
        {
            "inlinePolicy": "InlinePolicy",
            "instanceArn": "InstanceArn",
            "permissionSetArn": "PermissionSetArn",
        },
    ),
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment": (
        "sso-admin",
        "AttachManagedPolicyToPermissionSetRequest",
        {
            "managedPolicyArn": "ManagedPolicyArn",
            "instanceArn": "InstanceArn",
            "permissionSetArn": "PermissionSetArn",
        },
    ),
    "aws:ssoadmin/accountAssignment:AccountAssignment": (
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
    "aws:ssoadmin/instanceAccessControlAttributes:InstanceAccessControlAttributes": (
        "sso-admin",
        "CreateInstanceAccessControlAttributeConfigurationRequest",
        {"instanceArn": "InstanceArn"},
    ),
    ROLE: (
        "iam",
        "CreateRoleRequest",
        {
            "name": "RoleName",
            "description": "Description",
            "assumeRolePolicy": "AssumeRolePolicyDocument",
            "path": "Path",
        },
    ),
    "aws:iam/rolePolicy:RolePolicy": (
        "iam",
        "PutRolePolicyRequest",
        {"name": "PolicyName", "policy": "PolicyDocument", "role": "RoleName"},
    ),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (
        "iam",
        "AttachRolePolicyRequest",
        {"role": "RoleName", "policyArn": "PolicyArn"},
    ),
    "aws:iam/user:User": ("iam", "CreateUserRequest", {"name": "UserName", "path": "Path"}),
    "aws:iam/group:Group": ("iam", "CreateGroupRequest", {"name": "GroupName"}),
    "aws:iam/groupMembership:GroupMembership": ("iam", "AddUserToGroupRequest", {"group": "GroupName"}),
    "aws:iam/groupPolicy:GroupPolicy": (
        "iam",
        "PutGroupPolicyRequest",
        {"group": "GroupName", "name": "PolicyName", "policy": "PolicyDocument"},
    ),
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": (
        "iam",
        "AttachGroupPolicyRequest",
        {"group": "GroupName", "policyArn": "PolicyArn"},
    ),
    OIDC_PROVIDER: ("iam", "CreateOpenIDConnectProviderRequest", {"url": "Url"}),
    "aws:organizations/policy:Policy": (
        "organizations",
        "CreatePolicyRequest",
        {"name": "Name", "description": "Description", "content": "Content", "type": "Type"},
    ),
    "aws:organizations/policyAttachment:PolicyAttachment": (
        "organizations",
        "AttachPolicyRequest",
        {"targetId": "TargetId", "policyId": "PolicyId"},
    ),
    DELEGATED_ADMINISTRATOR: (
        "organizations",
        "RegisterDelegatedAdministratorRequest",
        {"accountId": "AccountId", "servicePrincipal": "ServicePrincipal"},
    ),
    "aws:cloudwatch/eventRule:EventRule": (
        "events",
        "PutRuleRequest",
        {"name": "Name", "description": "Description", "eventPattern": "EventPattern"},
    ),
    "aws:cloudwatch/eventTarget:EventTarget": ("events", "Target", {"arn": "Arn", "targetId": "Id"}),
    TRAIL: ("cloudtrail", "CreateTrailRequest", {"name": "Name", "s3BucketName": "S3BucketName"}),
    "aws:s3/bucket:Bucket": ("s3", "CreateBucketRequest", {"bucket": "Bucket"}),
    "aws:s3/bucketPolicy:BucketPolicy": (
        "s3",
        "PutBucketPolicyRequest",
        {"bucket": "Bucket", "policy": "Policy"},
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (
        "s3",
        "PutBucketOwnershipControlsRequest",
        {"bucket": "Bucket"},
    ),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (
        "s3",
        "PutPublicAccessBlockRequest",
        {"bucket": "Bucket"},
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        "s3",
        "PutBucketEncryptionRequest",
        {"bucket": "Bucket"},
    ),
    "aws:s3/bucketVersioning:BucketVersioning": ("s3", "PutBucketVersioningRequest", {"bucket": "Bucket"}),
    "aws:sns/topic:Topic": ("sns", "CreateTopicInput", {"name": "Name"}),
    "aws:cloudformation/stackSet:StackSet": (
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
    "aws:cloudformation/stackSetInstance:StackSetInstance": (
        "cloudformation",
        "CreateStackInstancesInput",
        {"stackSetName": "StackSetName", "callAs": "CallAs"},
    ),
    "aws:accessanalyzer/analyzer:Analyzer": (
        "accessanalyzer",
        "CreateAnalyzerRequest",
        {"analyzerName": "analyzerName", "type": "type"},
    ),
    "aws:sns/topicPolicy:TopicPolicy": ("sns", "SetTopicAttributesInput", {"policy": "AttributeValue"}),
    "aws:sns/topicSubscription:TopicSubscription": (
        "sns",
        "SubscribeInput",
        {"endpoint": "Endpoint", "protocol": "Protocol"},
    ),
}

# (Pulumi type, input) -> (botocore service, request structure, member) the provider sends it as.
STRING_ARGUMENTS: dict[tuple[str, str], tuple[str, str, str]] = {
    (type_token, argument): (service, structure, member)
    for type_token, (service, structure, members) in REQUESTS.items()
    for argument, member in members.items()
}
# Types whose create sends arguments in more than one structure (the rule's metadata is nested).
STRING_ARGUMENTS.update(
    {
        ("aws:cfg/organizationManagedRule:OrganizationManagedRule", "name"): (
            "config",
            "PutOrganizationConfigRuleRequest",
            "OrganizationConfigRuleName",
        ),
        **{
            ("aws:cfg/organizationManagedRule:OrganizationManagedRule", argument): (
                "config",
                "OrganizationManagedRuleMetadata",
                member,
            )
            for argument, member in {
                "description": "Description",
                "ruleIdentifier": "RuleIdentifier",
                "inputParameters": "InputParameters",
                "maximumExecutionFrequency": "MaximumExecutionFrequency",
            }.items()
        },
        ("aws:cfg/organizationCustomPolicyRule:OrganizationCustomPolicyRule", "name"): (
            "config",
            "PutOrganizationConfigRuleRequest",
            "OrganizationConfigRuleName",
        ),
        **{
            ("aws:cfg/organizationCustomPolicyRule:OrganizationCustomPolicyRule", argument): (
                "config",
                "OrganizationCustomPolicyRuleMetadata",
                member,
            )
            for argument, member in {
                "description": "Description",
                "policyRuntime": "PolicyRuntime",
                "policyText": "PolicyText",
                "inputParameters": "InputParameters",
                "maximumExecutionFrequency": "MaximumExecutionFrequency",
            }.items()
        },
    }
)
# A stack set instance's region is sent as the one element of CreateStackInstances' Regions.
STRING_ARGUMENTS[("aws:cloudformation/stackSetInstance:StackSetInstance", "stackSetInstanceRegion")] = (
    "cloudformation",
    "RegionList",
    "member",
)

# String inputs no API call carries: the provider uses them itself (which regional endpoint to call,
# the rule a target belongs to is the PutTargets request's Rule, which the EventRule's name already is).
NOT_SENT: frozenset[str] = frozenset({"region", "rule"})
# The same, for one type: a GroupMembership's `name` only names the Terraform resource.
NOT_SENT_BY_TYPE: frozenset[tuple[str, str]] = frozenset(
    {("aws:iam/groupMembership:GroupMembership", "name")}
)

# Tag maps: (Pulumi type) -> the botocore Tag structure its provider sends each pair as.
TAG_ARGUMENTS: dict[str, tuple[str, str]] = {
    "aws:ssoadmin/permissionSet:PermissionSet": ("sso-admin", "Tag"),
    ROLE: ("iam", "Tag"),
    OIDC_PROVIDER: ("iam", "Tag"),
}
