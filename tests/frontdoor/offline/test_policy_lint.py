"""parliament (the field's IAM policy linter, pinned 1.6.4) with its community auditors over every policy
document the program writes.

Every document an IAM, Organizations, Identity Center, S3 or SNS argument carries in the demo and
break-glass stacks is linted: SCPs, permission-set inline policies, trust policies, role and group
policies, the trail bucket policy and the alert topic policy; so are the documents nested in the Vault
target roles' StackSet templates (trust and permissions), and the documents published for roles made
by hand (the Identity Center deployer, the break-glass deployer, the preview role's Identity Center
namesake). `include_community_auditors=True` adds PRIVILEGE_ESCALATION, CREDENTIALS_EXPOSURE and
PERMISSIONS_MANAGEMENT_ACTIONS.

Every PRIVILEGE_ESCALATION finding is listed exactly, by (document, escalation, actions), in
`ESCALATIONS`, each justified in its document's docstring: a new one (an action added, a document that
starts to combine two) fails the test, and so does one that no longer occurs. Every other finding
fails unless (document, issue) is in `ALLOWED` with the reason it is acceptable; an allowed finding
that no longer occurs fails too, so the list never outlives its reasons.
"""

from __future__ import annotations

import json
from typing import Any

from parliament import analyze_policy_string

from frontdoor.domain.documents.break_glass import BREAK_GLASS_GROUP_NAME, FORWARDER_ROLE_NAME
from frontdoor.domain.documents.deploy_permissions import (
    break_glass_deploy_policy,
    identity_center_deploy_policy,
)
from frontdoor.domain.documents.deployer import Deployer
from frontdoor.domain.documents.provider_identity import identity_center_read_policy
from frontdoor.offline.engine import ProgramRun
from frontdoor.offline.preview import PreviewResult
from frontdoor.offline.record import RecordedResource

# (Pulumi type, input) of every argument that carries an IAM policy language document.
POLICY_ARGUMENTS = {
    ("aws:organizations/policy:Policy", "content"),
    ("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "inlinePolicy"),
    ("aws:iam/role:Role", "assumeRolePolicy"),
    ("aws:iam/rolePolicy:RolePolicy", "policy"),
    ("aws:iam/groupPolicy:GroupPolicy", "policy"),
    ("aws:iam/userPolicy:UserPolicy", "policy"),
    ("aws:s3/bucketPolicy:BucketPolicy", "policy"),
    ("aws:sns/topicPolicy:TopicPolicy", "policy"),
}
STACK_SET = "aws:cloudformation/stackSet:StackSet"
# The documents of roles made by hand, as the runbooks publish them.
PUBLISHED: dict[str, dict[str, Any]] = {
    "identity-center-deployer": identity_center_deploy_policy(),
    "break-glass-deployer": break_glass_deploy_policy(
        Deployer(
            role_name="frontdoor-breakglass-deploy",
            management_account_id="100000000026",
            identity_center_account_id="100000000299",
        ),
        path="/breakglass/",
        group_name=BREAK_GLASS_GROUP_NAME,
        forwarder_role_name=FORWARDER_ROLE_NAME,
    ),
    "identity-center-preview": identity_center_read_policy(),
}

# Every privilege-escalation path parliament's community auditor finds, exactly; the reason each is
# accepted is in the docstring named. The auditor reads the action set only (it ignores Resource and
# Condition), so bounding an action to exact ARNs clears nothing; only removing the action does.
ESCALATIONS: dict[tuple[str, str, tuple[str, ...]], str] = {
    # frontdoor/domain/documents/deploy_permissions.py: the access deployer manages its own delivery
    # roles (by ARN) and Identity Center's roles in the management account.
    ("frontdoor-deploy/inline.policy", "AttachRolePolicy", ("iam:attachrolepolicy", "sts:assumerole")): (
        "deploy_permissions.py"
    ),
    ("frontdoor-deploy/inline.policy", "PutRolePolicy", ("iam:putrolepolicy", "sts:assumerole")): (
        "deploy_permissions.py"
    ),
    (
        "frontdoor-deploy/inline.policy",
        "UpdateRolePolicyToAssumeIt",
        ("iam:updateassumerolepolicy", "sts:assumerole"),
    ): "deploy_permissions.py",
    # frontdoor/domain/documents/deploy_permissions.py: creating administrator users is the break-glass
    # stack's purpose; bounded to the break-glass path, group and forwarder role.
    ("break-glass-deployer", "CreateLoginProfile", ("iam:createloginprofile",)): "deploy_permissions.py",
    ("break-glass-deployer", "AttachGroupPolicy", ("iam:attachgrouppolicy",)): "deploy_permissions.py",
    ("break-glass-deployer", "PutGroupPolicy", ("iam:putgrouppolicy",)): "deploy_permissions.py",
    ("break-glass-deployer", "AddUserToGroup", ("iam:addusertogroup",)): "deploy_permissions.py",
    (
        "break-glass-deployer",
        "PutRolePolicy",
        ("iam:putrolepolicy", "sts:assumerole"),
    ): "deploy_permissions.py",
    (
        "break-glass-deployer",
        "UpdateRolePolicyToAssumeIt",
        ("iam:updateassumerolepolicy", "sts:assumerole"),
    ): "deploy_permissions.py",
    # frontdoor/domain/documents/abac_policy.py: iam:PassRole only of roles tagged with the caller's team,
    # only to EC2, ECS tasks and Lambda; the code it runs is the team's, on the team's own functions.
    (
        "DeveloperAccess/inline.inlinePolicy",
        "CreateEC2WithExistingIP",
        ("iam:passrole", "ec2:runinstances"),
    ): "abac_policy.py",
    (
        "DeveloperAccess/inline.inlinePolicy",
        "PassExistingRoleToNewLambdaThenInvoke",
        ("iam:passrole", "lambda:createfunction", "lambda:invokefunction"),
    ): "abac_policy.py",
    (
        "DeveloperAccess/inline.inlinePolicy",
        "PassExistingRoleToNewLambdaThenTriggerWithNewDynamo",
        (
            "iam:passrole",
            "lambda:createfunction",
            "lambda:createeventsourcemapping",
            "dynamodb:createtable",
            "dynamodb:putitem",
        ),
    ): "abac_policy.py",
    (
        "DeveloperAccess/inline.inlinePolicy",
        "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
        ("iam:passrole", "lambda:createfunction", "lambda:createeventsourcemapping"),
    ): "abac_policy.py",
    (
        "DeveloperAccess/inline.inlinePolicy",
        "EditExistingLambdaFunctionWithRole",
        ("lambda:updatefunctioncode",),
    ): "abac_policy.py",
}

# (document, parliament issue) -> why it is acceptable here. Keep each reason specific.
_TRUST_NO_RESOURCE = (
    "a trust policy has no Resource element (the role is the resource); parliament lints every document "
    "as an identity policy"
)
_GITHUB_FEDERATION = (
    "parliament 1.6.4 knows a fixed list of federation sources; GitHub's OIDC provider ARN is valid "
    "(IAM User Guide, 'Configuring a role for GitHub OIDC identity provider')"
)
_CHAIN = (
    "sts:AssumeRole bounded to the role pair the providers chain into (the role itself and its namesake "
    "in the Identity Center account): how the providers get their sessions"
)
ALLOWED: dict[tuple[str, str], str] = {
    ("frontdoor-deploy.assumeRolePolicy", "MALFORMED"): _TRUST_NO_RESOURCE,
    ("frontdoor-github-preview.assumeRolePolicy", "MALFORMED"): _TRUST_NO_RESOURCE,
    ("break-glass/forwarder.assumeRolePolicy", "MALFORMED"): _TRUST_NO_RESOURCE,
    ("organization-trail/datadog-integration-role.assumeRolePolicy", "MALFORMED"): _TRUST_NO_RESOURCE,
    ("machines/jenkins-firmware/stack-set#VaultTargetRole.AssumeRolePolicyDocument", "MALFORMED"): (
        _TRUST_NO_RESOURCE
    ),
    ("machines/jenkins-firmware/accounts-stack-set#VaultTargetRole.AssumeRolePolicyDocument", "MALFORMED"): (
        _TRUST_NO_RESOURCE
    ),
    ("machines/legacy-reporting/stack-set#VaultTargetRole.AssumeRolePolicyDocument", "MALFORMED"): (
        _TRUST_NO_RESOURCE
    ),
    ("frontdoor-deploy.assumeRolePolicy", "UNKNOWN_FEDERATION_SOURCE"): _GITHUB_FEDERATION,
    ("frontdoor-github-preview.assumeRolePolicy", "UNKNOWN_FEDERATION_SOURCE"): _GITHUB_FEDERATION,
    ("DeveloperAccess/inline.inlinePolicy", "RESOURCE_STAR"): (
        "ABAC: the service-wide statement is bounded by aws:ResourceTag/team = aws:PrincipalTag/team, not "
        "by ARN (the point of one set for every team); the list/describe statement holds actions that "
        "cannot be tag-scoped. The tag chain itself is issue 14's"
    ),
    ("DeveloperAccess/inline.inlinePolicy", "RESOURCE_MISMATCH"): (
        "parliament 1.6.4 wants each statement to name every required resource type of its actions; AWS "
        "splits a launch into the resources it creates (CreateWithOwnTeamTag, tag-conditioned) and the "
        "ones it uses (LaunchWithSupportingResources, CreateSecurityGroupInVpc: the AMI, subnet, security "
        "group, key pair, VPC), EC2 User Guide 'Launch instances (RunInstances)' (abac_policy.py)"
    ),
    ("DeveloperAccess/inline.inlinePolicy", "PERMISSIONS_MANAGEMENT_ACTIONS"): (
        "TeamScopedByAbac's service wildcards name them, and the template's DenyResourcePolicyChanges "
        "denies every one of the reference's Permissions management actions on the services' team "
        "resources (sns:SetTopicAttributes, lambda:RemovePermission...; the canary's manage-own probe)"
    ),
    ("DeveloperAccess/inline.inlinePolicy", "CREDENTIALS_EXPOSURE"): (
        "ecr:GetAuthorizationToken (RegistryLogin, abac_policy.py): docker login needs it and it takes no "
        "resource, so no tag can scope it; the registry token reaches only the repositories ABAC allows"
    ),
    ("frontdoor-deploy/inline.policy", "RESOURCE_POLICY_PRIVILEGE_ESCALATION"): (
        "the deployer manages the trail bucket's policy (and only that bucket's: S3 actions are bounded to "
        "it); the policy it writes denies log deletion to everyone but break-glass"
    ),
    ("frontdoor-deploy/inline.policy", "RESOURCE_STAR"): (
        "create calls have no ARN before the resource exists, and list/describe calls need '*'; IAM "
        "actions name exact ARNs, S3 the trail bucket, sts:AssumeRole the two deployer roles "
        "(deploy_permissions.py)"
    ),
    ("frontdoor-deploy/inline.policy", "PERMISSIONS_MANAGEMENT_ACTIONS"): (
        "deploying access is managing permissions: permission sets, SCPs, the delivery roles, the trail "
        "bucket policy (deploy_permissions.py: each IAM write on exact ARNs)"
    ),
    ("frontdoor-deploy/inline.policy", "CREDENTIALS_EXPOSURE"): _CHAIN,
    ("frontdoor-github-preview/inline.policy", "RESOURCE_STAR"): (
        "reads only (every action Read or List: tests/frontdoor/offline/test_preview_identity.py): refresh "
        "and the live commands read every policy, role and permission set of the account, whose ARNs the "
        "role cannot know in advance; S3 is bounded to the trail bucket and sts:AssumeRole to the preview "
        "pair"
    ),
    ("frontdoor-github-preview/inline.policy", "CREDENTIALS_EXPOSURE"): (
        "sts:AssumeRole of exactly the preview role pair (ChainToPreviewRoles)"
    ),
    ("identity-center-deployer", "RESOURCE_STAR"): (
        "permission sets and assignments have no ARN before they exist; Identity Center's list calls need '*'"
    ),
    ("identity-center-deployer", "PERMISSIONS_MANAGEMENT_ACTIONS"): (
        "creating, updating and deleting permission sets is this role's job (deploy_permissions.py)"
    ),
    ("identity-center-preview", "RESOURCE_STAR"): (
        "reads only (Read or List: tests/frontdoor/offline/test_preview_identity.py) of every permission "
        "set, assignment and group of the instance"
    ),
    ("break-glass-deployer", "RESOURCE_STAR"): (
        "EventBridge rules and targets, SNS topics: create calls have no ARN before the resource exists; "
        "every IAM action names the break-glass path, group or forwarder role"
    ),
    ("break-glass-deployer", "PERMISSIONS_MANAGEMENT_ACTIONS"): (
        "the stack's purpose: the break-glass users, their group's policies, the topic policy, the "
        "forwarder role (passed to EventBridge only)"
    ),
    ("break-glass-deployer", "CREDENTIALS_EXPOSURE"): (
        "iam:CreateLoginProfile on the break-glass users (createLoginProfiles: true) and sts:AssumeRole "
        "of the deployer itself"
    ),
    **{
        (f"machines/jenkins-firmware/{stack_set}#VaultTargetRole.permissions", issue): why
        # The same template on the consumer's OU StackSet and on its account StackSet.
        for stack_set in ("stack-set", "accounts-stack-set")
        for issue, why in (
            (
                "RESOURCE_STAR",
                "the consumer's own statements (stacks/Pulumi.demo.yaml): ECR pushes to any repository of "
                "the target account; ecr:GetAuthorizationToken has no resource-level permission",
            ),
            ("CREDENTIALS_EXPOSURE", "ecr:GetAuthorizationToken: the registry login a CI push needs"),
        )
    },
    ("machines/legacy-reporting/stack-set#VaultTargetRole.permissions", "RESOURCE_STAR"): (
        "the consumer's own statements: Athena queries have no resource-level scoping in this use"
    ),
}
# The alert topic's policy names the topic and rule ARNs, which are known only after create: the
# offline engine leaves them null. Linted with this stand-in so the rest of the document is checked.
UNKNOWN_ARN = "arn:aws:sns:us-east-1:100000000026:known-after-create"


def _known(value: object) -> object:
    if value is None:
        return UNKNOWN_ARN
    if isinstance(value, dict):
        return {k: _known(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_known(v) for v in value]
    return value


def _template_documents(record: RecordedResource) -> dict[str, Any]:
    """The documents nested in a StackSet's template: each role's trust and inline policies."""
    template = json.loads(record.inputs["templateBody"])
    found: dict[str, Any] = {}
    for logical, resource in sorted(template.get("Resources", {}).items()):
        properties = resource.get("Properties", {})
        if "AssumeRolePolicyDocument" in properties:
            found[f"{record.name}#{logical}.AssumeRolePolicyDocument"] = properties[
                "AssumeRolePolicyDocument"
            ]
        for policy in properties.get("Policies", []):
            found[f"{record.name}#{logical}.{policy['PolicyName']}"] = policy["PolicyDocument"]
    return found


def documents(resources: list[RecordedResource]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for record in resources:
        for type_token, argument in POLICY_ARGUMENTS:
            value = record.inputs.get(argument)
            if record.type == type_token and isinstance(value, str):
                found[f"{record.name}.{argument}"] = json.loads(value)
        if record.type == STACK_SET:
            found.update(_template_documents(record))
    return found


def findings(docs: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    out: list[tuple[str, str, dict[str, Any]]] = []
    for name, document in sorted(docs.items()):
        policy = analyze_policy_string(json.dumps(_known(document)), include_community_auditors=True)
        out.extend((name, finding.issue, dict(finding.location)) for finding in policy.findings)
    return out


def _escalations(found: list[tuple[str, str, dict[str, Any]]]) -> set[tuple[str, str, tuple[str, ...]]]:
    return {
        (name, str(location["type"]), tuple(location["actions"]))
        for name, issue, location in found
        if issue == "PRIVILEGE_ESCALATION"
    }


def test_every_document_the_program_writes_is_linted_with_the_community_auditors(
    demo: PreviewResult, breakglass_run: ProgramRun
) -> None:
    docs = {**documents(demo.run.resources), **documents(breakglass_run.resources), **PUBLISHED}
    kinds = {name.rsplit(".", 1)[-1] for name in docs if "." in name}
    # Every kind of document is present, so a renamed argument cannot silently empty the lint.
    assert kinds == {
        "content",
        "inlinePolicy",
        "assumeRolePolicy",
        "policy",
        "AssumeRolePolicyDocument",
        "permissions",
    }
    assert sum(1 for name in docs if name.endswith(".content")) == 6
    # Two documents (trust, permissions) per StackSet: jenkins-firmware has an OU set and an account set.
    assert sum(1 for name in docs if "#VaultTargetRole." in name) == 6
    found = findings(docs)
    # Exactly the justified escalation paths: a new one fails, and so does one that went away.
    assert sorted(_escalations(found)) == sorted(ESCALATIONS)
    others = {(name, issue) for name, issue, _ in found if issue != "PRIVILEGE_ESCALATION"}
    assert sorted(others - set(ALLOWED)) == []
    assert sorted(set(ALLOWED) - others) == []


def test_the_identity_center_deployer_has_no_escalation_path() -> None:
    assert (
        _escalations(findings({"identity-center-deployer": PUBLISHED["identity-center-deployer"]})) == set()
    )


def test_an_unbounded_iam_write_in_a_deployer_is_a_new_escalation() -> None:
    # The mutant a careless edit makes: the break-glass users' rights handed to the access deployer.
    widened = json.loads(json.dumps(PUBLISHED["identity-center-deployer"]))
    widened["Statement"].append(
        {"Sid": "Widened", "Effect": "Allow", "Action": ["iam:CreateAccessKey"], "Resource": "*"}
    )
    assert _escalations(findings({"identity-center-deployer": widened})) == {
        ("identity-center-deployer", "CreateAccessKey", ("iam:createaccesskey",))
    }
