"""parliament (the field's IAM policy linter, pinned 1.6.4) over every policy document the program generates.

Every document an IAM, Organizations, Identity Center, S3 or SNS argument carries in the demo and
break-glass stacks is linted: SCPs, permission-set inline policies, trust policies, role and group
policies, the trail bucket policy and the alert topic policy. Any finding fails the test unless it is
in `ALLOWED` with the reason it is a false positive; an allowed finding that no longer occurs fails too,
so the list never outlives its reasons.
"""

from __future__ import annotations

import json

from parliament import analyze_policy_string

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
# (resource name, parliament issue) -> why it is a false positive here. Keep each reason specific.
_TRUST_NO_RESOURCE = (
    "a trust policy has no Resource element (the role is the resource); parliament lints every document "
    "as an identity policy"
)
ALLOWED: dict[tuple[str, str], str] = {
    ("frontdoor-deploy.assumeRolePolicy", "MALFORMED"): _TRUST_NO_RESOURCE,
    ("frontdoor-github-preview.assumeRolePolicy", "MALFORMED"): _TRUST_NO_RESOURCE,
    ("break-glass/forwarder.assumeRolePolicy", "MALFORMED"): _TRUST_NO_RESOURCE,
    ("frontdoor-deploy.assumeRolePolicy", "UNKNOWN_FEDERATION_SOURCE"): (
        "parliament 1.6.4 knows a fixed list of federation sources; GitHub's OIDC provider ARN is valid "
        "(IAM User Guide, 'Configuring a role for GitHub OIDC identity provider')"
    ),
    ("frontdoor-github-preview.assumeRolePolicy", "UNKNOWN_FEDERATION_SOURCE"): (
        "as for frontdoor-deploy: GitHub's OIDC provider is not in parliament's list"
    ),
    ("DeveloperAccess/inline.inlinePolicy", "RESOURCE_STAR"): (
        "ABAC: the service-wide statement is bounded by aws:ResourceTag/team = aws:PrincipalTag/team, not "
        "by ARN (the point of one set for every team); the list/describe statement holds actions that "
        "cannot be tag-scoped. The tag chain itself is issue 14's"
    ),
    ("frontdoor-deploy/inline.policy", "RESOURCE_POLICY_PRIVILEGE_ESCALATION"): (
        "the deployer manages the trail bucket's policy (and only that bucket's: S3 actions are bounded to "
        "it); the policy it writes denies log deletion to everyone but break-glass"
    ),
    ("frontdoor-github-preview/inline.policy", "RESOURCE_STAR"): (
        "reads only (every action Read or List: tests/frontdoor/offline/test_preview_identity.py): refresh "
        "and the live commands read every policy, role and permission set of the account, whose ARNs the "
        "role cannot know in advance; S3 is bounded to the trail bucket and sts:AssumeRole to the preview "
        "pair"
    ),
    ("frontdoor-deploy/inline.policy", "RESOURCE_STAR"): (
        "create calls have no ARN before the resource exists, and list/describe calls need '*'; S3 is "
        "bounded to the trail bucket and sts:AssumeRole to the two deployer roles (deploy_permissions.py)"
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


def documents(resources: list[RecordedResource]) -> dict[str, str]:
    found: dict[str, str] = {}
    for record in resources:
        for type_token, argument in POLICY_ARGUMENTS:
            value = record.inputs.get(argument)
            if record.type == type_token and isinstance(value, str):
                found[f"{record.name}.{argument}"] = value
    return found


def findings(docs: dict[str, str]) -> set[tuple[str, str, str]]:
    out: set[tuple[str, str, str]] = set()
    for name, text in docs.items():
        policy = analyze_policy_string(json.dumps(_known(json.loads(text))))
        for finding in policy.findings:
            out.add((name, finding.issue, json.dumps(finding.detail, default=str)[:200]))
    return out


def test_every_generated_policy_document_is_clean_under_parliament(
    demo: PreviewResult, breakglass_run: ProgramRun
) -> None:
    docs = {**documents(demo.run.resources), **documents(breakglass_run.resources)}
    kinds = {name.rsplit(".", 1)[1] for name in docs}
    # Every kind of document is present, so a renamed argument cannot silently empty the lint.
    assert kinds == {"content", "inlinePolicy", "assumeRolePolicy", "policy"}
    assert sum(1 for name in docs if name.endswith(".content")) == 6
    found = findings(docs)
    unexpected = sorted(f for f in found if (f[0], f[1]) not in ALLOWED)
    assert unexpected == []
    stale = sorted(set(ALLOWED) - {(f[0], f[1]) for f in found})
    assert stale == []
