"""The ABAC permission-set template: the inline statements of a tag-partitioned developer set.

One set serves every team because access follows `aws:PrincipalTag/<key>` (set from the person's
Okta attribute, frontdoor/domain/config/abac_chain.py). The statements, in order:

1. `DenyWithoutTeamTag`: everything is denied to a session without the tag (`Null`), so a broken
   attribute chain shows up as "nothing works", never as silent over-granting through the statements
   below that are not scoped by tag.
2. `TeamScopedByAbac`: the services' actions on resources tagged with the caller's team.
3. `CreateWithOwnTeamTag`: the listed create actions, only when the request tags the new resource with
   the caller's team (`aws:RequestTag`), and the tag actions of the services that have no
   tag-on-create condition key (CreateBucket with `Tags` is authorized as s3:TagResource, CreateTable
   with `Tags` as dynamodb:TagResource, ...). For those services the price is that an existing
   UNTAGGED resource can be claimed by tagging it: the Service Authorization Reference gives their tag
   actions no key that tells tagging on create from tagging later.
   `TagOnCreateEc2` / `TagOnCreateEcs`: the services that have such a key (`ec2:CreateAction` on
   ec2:CreateTags, `ecs:CreateAction` on ecs:TagResource; no other tag action here has one) get their
   tag action only while one of the set's create actions of that service tags what it creates, and
   only with the caller's team: nobody tags an existing untagged subnet, VPC or route table as their
   team's and then holds `ec2:*` on it through `TeamScopedByAbac` (EC2 User Guide, "Grant permission
   to tag Amazon EC2 resources during creation"; ECS Developer Guide, "Grant permission to tag
   resources on creation"). Re-tagging the team's own resources stays allowed by `TeamScopedByAbac`.
   `LaunchWithSupportingResources` / `CreateSecurityGroupInVpc`: a create action is also authorized
   against resources it uses and does not create (ec2:RunInstances: the AMI, the subnet, the security
   group, the key pair; ec2:CreateSecurityGroup: the VPC). Those carry no request tag, and a public
   AMI or the platform's subnet carries no team tag, so without these statements every launch is
   refused (UnauthorizedOperation). They allow exactly those actions on exactly those types, with no
   tag condition (the AWS pattern: EC2 User Guide, "Launch instances (RunInstances)"; Knowledge Center
   "iam-policy-tags-restrict"); see `SUPPORTING_RESOURCES` for the types and their sources. What
   RunInstances creates (the instance, its volumes, its network interface: the types the reference
   gives `aws:RequestTag` for it) stays under `CreateWithOwnTeamTag`, so a launch tags all three
   with the team (`--tag-specifications` ResourceType=instance, volume and network-interface).
   `DenyLaunchWithAnotherTeamsSecurityGroup`: a security group is a network identity (another team's
   database admits its members), so launching with a group tagged for another team is denied; the
   team's own and untagged (shared) groups stay usable.
4. `DenyTaggingForAnotherTeam`: no request may stamp another team's value on anything
   (`aws:RequestTag` present and not the caller's), so nothing can be created for, or handed to,
   another team.
5. `DenyTeamTagChangeOnOthers`: tagging or untagging the team key (`aws:TagKeys`) of a resource that
   belongs to another team (`aws:ResourceTag`) is denied, whatever another policy allows.
6. `DenyTeamTagRemoval`: nobody removes the team key, so a resource never becomes untagged (and
   claimable by whoever tags it first).
7. `DenyResourcePolicyChanges`: resource policies and ACLs grant principals that ABAC does not see
   (another account, the public). parliament flags `s3:PutBucketPolicy` as a privilege-escalation
   path; it and its relatives are denied. Platform pipelines own resource policies.
8. `DescribeForNavigation`: the read-only actions that take no resource (List*/Describe*), which tags
   cannot scope; without them the console shows empty pages. Documented in the catalogue.
9. `RegistryLogin`: `ecr:GetAuthorizationToken` when the set lists ecr. It takes no resource (the
   Service Authorization Reference lists no resource type for it), so `TeamScopedByAbac`'s tag
   condition never matches it and without it `docker login` fails; the token it returns reaches only
   the repositories the caller's policies allow (ECR API reference, GetAuthorizationToken: "any Amazon
   ECR registry that your IAM principal has access to"), i.e. the team's own.
10. `PassOwnTeamRoles`: `iam:PassRole` only for roles tagged with the caller's team and only to the
   compute services that need one, so a developer cannot run code under another team's or the
   platform's role. This is why `lambda:UpdateFunctionCode` (parliament's other privilege-escalation
   finding) is acceptable here: it is allowed only on the team's own functions, whose roles are the
   team's own roles.

S3 (`s3` in the services), what the team tag grants and what the bucket owner must do. S3 evaluates a
general purpose bucket's tags (`aws:ResourceTag/<key>`, `s3:BucketTag/<key>`) only once ABAC is enabled
on that bucket, and it is off by default (S3 User Guide, "Enabling ABAC in general purpose buckets";
botocore s3 `CreateBucketConfiguration.Tags`: tag conditions "are applicable only after ABAC is enabled
on the bucket"). So:
- on a bucket tagged with the caller's team AND with ABAC enabled (`PutBucketAbac` Status=Enabled),
  `TeamScopedByAbac` allows every s3 action S3 authorizes against that bucket;
- on any other bucket (ABAC disabled, the default) the statement grants nothing, and the denies keyed
  on `aws:ResourceTag` do not fire either: its team tag is not protected, so a developer may tag it
  with their own team (`s3:TagResource` under `CreateWithOwnTeamTag`, the permission creating a bucket
  with tags needs) before anyone enables ABAC on it;
- developers cannot enable ABAC (no `s3:PutBucketABAC` here: whoever may enable it may disable it on
  another team's bucket, re-tag it and enable it again). The bucket owner (the account's platform
  pipeline) enables it on each team bucket right after creating it, and tags with `TagResource` from
  then on. The program manages no team bucket, so it cannot do it; every preview says so
  (`s3_resource_tag_warnings`), and the canary evaluates S3 requests as S3 authorizes them
  (frontdoor/domain/proof/s3_bucket_abac.py).

parliament's community privilege-escalation auditor (tests/frontdoor/offline/test_policy_lint.py,
pinned exactly) reports five paths on the demo's DeveloperAccess, all through `PassOwnTeamRoles` or
the team's own functions: CreateEC2WithExistingIP (iam:PassRole + ec2:RunInstances),
PassExistingRoleToNewLambdaThenInvoke, ...ThenTriggerWithNewDynamo and ...ThenTriggerWithExistingDynamo
(iam:PassRole + lambda:CreateFunction, with Invoke or an event source), and
EditExistingLambdaFunctionWithRole (lambda:UpdateFunctionCode). The auditor reads actions only; here
the roles that can be passed are those tagged with the caller's team, to EC2, ECS tasks and Lambda
only, and the set holds no IAM write, so a developer can never create or re-tag a role: running code
as the team's own roles is what the tier grants, and nothing beyond them is reachable.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from typing import Any

from frontdoor.domain.contracts import SUPPORTING_RESOURCES

# Tag write actions per service prefix: (tag, untag). Only services a set lists get statements.
TAG_ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "cloudwatch": (("cloudwatch:TagResource",), ("cloudwatch:UntagResource",)),
    "dynamodb": (("dynamodb:TagResource",), ("dynamodb:UntagResource",)),
    "ec2": (("ec2:CreateTags",), ("ec2:DeleteTags",)),
    "ecr": (("ecr:TagResource",), ("ecr:UntagResource",)),
    "ecs": (("ecs:TagResource",), ("ecs:UntagResource",)),
    "lambda": (("lambda:TagResource",), ("lambda:UntagResource",)),
    "logs": (("logs:TagLogGroup", "logs:TagResource"), ("logs:UntagLogGroup", "logs:UntagResource")),
    # S3 tags a general purpose bucket with S3 Control's TagResource/UntagResource: the only tagging
    # calls that still work once ABAC is enabled on the bucket (PutBucketTagging and DeleteBucketTagging
    # stop working; botocore s3 PutBucketAbac), and what CreateBucket with `Tags` is authorized as
    # (botocore s3 CreateBucketConfiguration.Tags: "you must have the s3:TagResource permission").
    "s3": (("s3:TagResource",), ("s3:UntagResource",)),
    "sns": (("sns:TagResource",), ("sns:UntagResource",)),
    "sqs": (("sqs:TagQueue",), ("sqs:UntagQueue",)),
}

# Tag-on-create condition keys: the tag action of these services carries `<service>:CreateAction`, the
# create action a tag-on-create request comes from (Service Authorization Reference, iam-data
# 0.21.202609261: ec2:CreateTags and ecs:TagResource; no other tag action of TAG_ACTIONS has such a key).
CREATE_ACTION_KEYS: dict[str, str] = {"ec2": "ec2:CreateAction", "ecs": "ecs:CreateAction"}

# Tag-on-create actions that are not create actions of the set: they act on the team's own resources
# (through TeamScopedByAbac) and create a tagged one, whose tags need the tag action with the
# create-action key (ECS Developer Guide, "Grant permission to tag resources on creation": RunTask,
# StartTask, CreateService and CreateTaskSet tag what they create with ecs:TagResource).
TAG_ON_CREATE_FROM_OWN: dict[str, tuple[str, ...]] = {
    "ecs": ("CreateService", "CreateTaskSet", "RunTask", "StartTask")
}

# SUPPORTING_RESOURCES (the resources a create action uses and does not create) lives in
# frontdoor/domain/contracts.py: the pack's abac-condition-required exempts exactly those pairs.

# Supporting resources that carry a network identity, refused when tagged for another team although
# SUPPORTING_RESOURCES allows the type: (Sid, ARN). The reference lists aws:ResourceTag for the
# security group of ec2:RunInstances, so the tag is there to compare.
TEAM_BOUND_SUPPORTING_RESOURCES: dict[str, tuple[str, str]] = {
    "ec2:RunInstances": ("DenyLaunchWithAnotherTeamsSecurityGroup", "arn:aws:ec2:*:*:security-group/*")
}

# Actions that change who may access a resource (a resource policy, an ACL, ownership controls, the
# public access block): they grant principals that ABAC does not see. Every action of the Service
# Authorization Reference's "Permissions management" access level on the resource types the services'
# teams own (iam-data as parliament ships it; the canary's `manage-own` probe asks each of them, derived
# from the reference, not from this table). sns:SetTopicAttributes is among them: it sets the topic's
# Policy attribute, and SNS has no condition key for the attribute name.
RESOURCE_POLICY_ACTIONS: dict[str, tuple[str, ...]] = {
    "dynamodb": ("dynamodb:DeleteResourcePolicy", "dynamodb:PutResourcePolicy"),
    "ecr": ("ecr:DeleteRepositoryPolicy", "ecr:SetRepositoryPolicy"),
    "lambda": (
        "lambda:AddLayerVersionPermission",
        "lambda:AddPermission",
        "lambda:DisableReplication",
        "lambda:EnableReplication",
        "lambda:RemovePermission",
    ),
    "logs": ("logs:PutResourcePolicy",),
    "s3": (
        "s3:BypassGovernanceRetention",
        "s3:DeleteBucketPolicy",
        "s3:ObjectOwnerOverrideToBucketOwner",
        "s3:PutAccessPointPolicy",
        "s3:PutBucketAcl",
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketPolicy",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutObjectAcl",
        "s3:PutObjectVersionAcl",
    ),
    "sns": ("sns:AddPermission", "sns:RemovePermission", "sns:SetTopicAttributes"),
    # SetQueueAttributes sets the queue's Policy attribute (botocore sqs SetQueueAttributes; the SQS API
    # reference: "To remove the ability to change queue permissions, you must deny permission to the
    # AddPermission, RemovePermission, and SetQueueAttributes actions"). Like sns:SetTopicAttributes, the
    # price is that developers set their queues' other attributes (visibility timeout, redrive) through
    # the platform: no condition key tells one attribute from another.
    "sqs": ("sqs:AddPermission", "sqs:RemovePermission", "sqs:SetQueueAttributes"),
}

# Actions that take no resource and that a listed service is unusable without (see RegistryLogin).
REGISTRY_LOGIN_ACTIONS: dict[str, tuple[str, ...]] = {"ecr": ("ecr:GetAuthorizationToken",)}

# Compute services that run code under a role the developer passes.
PASS_ROLE_SERVICES: dict[str, str] = {
    "ec2": "ec2.amazonaws.com",
    "ecs": "ecs-tasks.amazonaws.com",
    "lambda": "lambda.amazonaws.com",
}


def abac_statements(
    tag_key: str, services: Sequence[str], create_actions: Sequence[str], read_only_actions: Sequence[str]
) -> list[dict[str, Any]]:
    """The template's statements for one tag key and service list (see the module docstring)."""
    principal = f"aws:PrincipalTag/{tag_key}"
    own = f"${{{principal}}}"
    listed = sorted(set(services))
    tag = sorted(a for s in listed if s in TAG_ACTIONS for a in TAG_ACTIONS[s][0])
    untag = sorted(a for s in listed if s in TAG_ACTIONS for a in TAG_ACTIONS[s][1])
    statements: list[dict[str, Any]] = [
        {
            "Sid": "DenyWithoutTeamTag",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"Null": {principal: "true"}},
        },
        {
            "Sid": "TeamScopedByAbac",
            "Effect": "Allow",
            "Action": [f"{service}:*" for service in listed],
            "Resource": "*",
            "Condition": {"StringEquals": {f"aws:ResourceTag/{tag_key}": own}},
        },
    ]
    if create_actions:
        tag_without_create_key = [a for a in tag if a.split(":")[0] not in CREATE_ACTION_KEYS]
        statements.append(
            {
                "Sid": "CreateWithOwnTeamTag",
                "Effect": "Allow",
                "Action": sorted(set(create_actions) | set(tag_without_create_key)),
                "Resource": "*",
                "Condition": {"StringEquals": {f"aws:RequestTag/{tag_key}": own}},
            }
        )
        statements += _tag_on_create_statements(tag_key, listed, create_actions)
        statements += _supporting_resource_statements(tag_key, create_actions)
    statements.append(
        {
            "Sid": "DenyTaggingForAnotherTeam",
            "Effect": "Deny",
            "Action": [f"{service}:*" for service in listed],
            "Resource": "*",
            "Condition": {
                "StringNotEquals": {f"aws:RequestTag/{tag_key}": own},
                "Null": {f"aws:RequestTag/{tag_key}": "false"},
            },
        }
    )
    if tag or untag:
        statements.append(
            {
                "Sid": "DenyTeamTagChangeOnOthers",
                "Effect": "Deny",
                "Action": sorted(tag + untag),
                "Resource": "*",
                "Condition": {
                    "ForAnyValue:StringEquals": {"aws:TagKeys": [tag_key]},
                    "StringNotEquals": {f"aws:ResourceTag/{tag_key}": own},
                    "Null": {f"aws:ResourceTag/{tag_key}": "false"},
                },
            }
        )
    if untag:
        statements.append(
            {
                "Sid": "DenyTeamTagRemoval",
                "Effect": "Deny",
                "Action": untag,
                "Resource": "*",
                "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": [tag_key]}},
            }
        )
    policy_actions = sorted(a for s in listed for a in RESOURCE_POLICY_ACTIONS.get(s, ()))
    if policy_actions:
        statements.append(
            {"Sid": "DenyResourcePolicyChanges", "Effect": "Deny", "Action": policy_actions, "Resource": "*"}
        )
    if read_only_actions:
        statements.append(
            {
                "Sid": "DescribeForNavigation",
                "Effect": "Allow",
                "Action": sorted(read_only_actions),
                "Resource": "*",
            }
        )
    login = sorted(a for s in listed for a in REGISTRY_LOGIN_ACTIONS.get(s, ()))
    if login:
        statements.append({"Sid": "RegistryLogin", "Effect": "Allow", "Action": login, "Resource": "*"})
    passed_to = sorted(PASS_ROLE_SERVICES[s] for s in listed if s in PASS_ROLE_SERVICES)
    if passed_to:
        statements.append(
            {
                "Sid": "PassOwnTeamRoles",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": "arn:aws:iam::*:role/*",
                "Condition": {
                    "StringEquals": {f"aws:ResourceTag/{tag_key}": own, "iam:PassedToService": passed_to}
                },
            }
        )
    return statements


def _tag_on_create_statements(
    tag_key: str, services: Sequence[str], create_actions: Sequence[str]
) -> list[dict[str, Any]]:
    """Per service with a tag-on-create key: its tag actions, only while the set's create actions of that
    service tag the resource they create with the caller's team (see the module docstring)."""
    statements = []
    for service in services:
        key = CREATE_ACTION_KEYS.get(service)
        creates = sorted(
            {a.split(":", 1)[1] for a in create_actions if a.split(":", 1)[0] == service}
            | set(TAG_ON_CREATE_FROM_OWN.get(service, ()))
        )
        if key is None or not creates or service not in TAG_ACTIONS:
            continue
        statements.append(
            {
                "Sid": f"TagOnCreate{service.capitalize()}",
                "Effect": "Allow",
                "Action": sorted(TAG_ACTIONS[service][0]),
                "Resource": "*",
                "Condition": {
                    "StringEquals": {
                        f"aws:RequestTag/{tag_key}": f"${{aws:PrincipalTag/{tag_key}}}",
                        key: creates,
                    }
                },
            }
        )
    return statements


def _supporting_resource_statements(tag_key: str, create_actions: Sequence[str]) -> list[dict[str, Any]]:
    """Per listed create action that uses resources it does not create: an Allow on exactly those, and a
    Deny for those of them that carry another team's network identity (see SUPPORTING_RESOURCES)."""
    statements: list[dict[str, Any]] = []
    for action in sorted(set(create_actions) & set(SUPPORTING_RESOURCES)):
        sid, resources = SUPPORTING_RESOURCES[action]
        statements.append({"Sid": sid, "Effect": "Allow", "Action": action, "Resource": list(resources)})
    for action in sorted(set(create_actions) & set(TEAM_BOUND_SUPPORTING_RESOURCES)):
        sid, resource = TEAM_BOUND_SUPPORTING_RESOURCES[action]
        statements.append(
            {
                "Sid": sid,
                "Effect": "Deny",
                "Action": action,
                "Resource": resource,
                "Condition": {
                    "StringNotEquals": {f"aws:ResourceTag/{tag_key}": f"${{aws:PrincipalTag/{tag_key}}}"},
                    "Null": {f"aws:ResourceTag/{tag_key}": "false"},
                },
            }
        )
    return statements


# Condition keys S3 reads from a general purpose bucket's tags, only once ABAC is enabled on the bucket
# (botocore s3 CreateBucketConfiguration.Tags; S3 User Guide, "Enabling ABAC in general purpose buckets").
S3_BUCKET_TAG_KEY_PREFIXES = ("aws:resourcetag/", "s3:buckettag/")


def _strings(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


def _reaches_s3(statement: Mapping[str, Any]) -> bool:
    """Whether the statement's actions include any s3 action (`*`, `s3:*`, `S3:Get*`, ...)."""
    if "Action" in statement:
        return any(
            fnmatch.fnmatchcase("s3", p.split(":", 1)[0].lower()) for p in _strings(statement["Action"])
        )
    # NotAction reaches S3 unless it excludes every s3 action.
    excluded = [p.lower() for p in _strings(statement.get("NotAction", []))]
    return not any(p in ("*", "s3:*") for p in excluded)


def s3_bucket_tag_keys(statement: Mapping[str, Any]) -> list[str]:
    """The bucket-tag condition keys (`aws:ResourceTag/...`, `s3:BucketTag/...`) an Allow statement that
    reaches S3 is conditioned on, sorted; empty for any other statement."""
    if statement.get("Effect") != "Allow" or not _reaches_s3(statement):
        return []
    condition = statement.get("Condition") or {}
    return sorted(
        {
            str(key)
            for keys in condition.values()
            if isinstance(keys, Mapping)
            for key in keys
            if str(key).lower().startswith(S3_BUCKET_TAG_KEY_PREFIXES)
        }
    )


def s3_resource_tag_warnings(set_name: str, document: Mapping[str, Any] | None) -> list[str]:
    """One warning per Allow statement of a permission set's inline policy that grants S3 actions only
    through a bucket's tags: a precondition no API call of the program can check or meet (the buckets
    are the teams'), so every preview states it with its fix."""
    if document is None:
        return []
    raw = document.get("Statement", [])
    statements = [raw] if isinstance(raw, Mapping) else list(raw)
    warnings = []
    for index, statement in enumerate(statements):
        keys = s3_bucket_tag_keys(statement) if isinstance(statement, Mapping) else []
        if keys:
            warnings.append(
                f"frontdoor:permissionSets.{set_name}: statement {statement.get('Sid') or index} grants S3 "
                f"actions only through the bucket tag condition {', '.join(keys)}, and S3 reads a general "
                "purpose bucket's tags only once ABAC is enabled on it (off by default), so on a bucket "
                "without ABAC it grants nothing; fix: the bucket owner enables ABAC on each bucket this "
                "set should reach (aws s3api put-bucket-abac --bucket <bucket> --abac-status "
                "Status=Enabled) and from then on tags it with s3control tag-resource, since "
                'PutBucketTagging stops working (README "ABAC, end to end")'
            )
    return warnings
