"""The DeveloperAccess ABAC template: what each statement does, and parliament's lint of the document."""

from __future__ import annotations

import json

from parliament import analyze_policy_string

from frontdoor.domain.documents.abac_policy import abac_statements, s3_resource_tag_warnings
from frontdoor.domain.documents.inline_policy import inline_policy_document
from frontdoor.domain.documents.render import render_policy
from frontdoor.domain.model.catalogue import reference_permission_sets

OWN = "${aws:PrincipalTag/team}"


def developer_document() -> str:
    document = inline_policy_document(reference_permission_sets()["DeveloperAccess"])
    assert document is not None
    return render_policy(document)


def by_sid(statements: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(s["Sid"]): s for s in statements}


def test_a_session_without_the_team_tag_is_denied_everything() -> None:
    statement = by_sid(json.loads(developer_document())["Statement"])["DenyWithoutTeamTag"]
    assert statement == {
        "Sid": "DenyWithoutTeamTag",
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {"Null": {"aws:PrincipalTag/team": "true"}},
    }


def test_creating_needs_the_callers_own_tag_and_other_teams_tags_are_untouchable() -> None:
    statements = by_sid(abac_statements("team", ["ec2", "s3"], ["ec2:RunInstances", "s3:CreateBucket"], []))
    assert statements["CreateWithOwnTeamTag"]["Action"] == [
        "ec2:CreateTags",
        "ec2:RunInstances",
        "s3:CreateBucket",
        "s3:TagResource",
    ]
    assert statements["CreateWithOwnTeamTag"]["Condition"] == {"StringEquals": {"aws:RequestTag/team": OWN}}
    assert statements["DenyTaggingForAnotherTeam"]["Condition"] == {
        "StringNotEquals": {"aws:RequestTag/team": OWN},
        "Null": {"aws:RequestTag/team": "false"},
    }
    assert statements["DenyTeamTagChangeOnOthers"] == {
        "Sid": "DenyTeamTagChangeOnOthers",
        "Effect": "Deny",
        "Action": ["ec2:CreateTags", "ec2:DeleteTags", "s3:TagResource", "s3:UntagResource"],
        "Resource": "*",
        "Condition": {
            "ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]},
            "StringNotEquals": {"aws:ResourceTag/team": OWN},
            "Null": {"aws:ResourceTag/team": "false"},
        },
    }
    assert statements["DenyTeamTagRemoval"]["Action"] == ["ec2:DeleteTags", "s3:UntagResource"]


def test_resource_policies_are_denied_and_pass_role_is_scoped() -> None:
    statements = by_sid(abac_statements("team", ["lambda", "s3"], [], []))
    assert statements["DenyResourcePolicyChanges"]["Action"] == [
        "lambda:AddLayerVersionPermission",
        "lambda:AddPermission",
        "s3:DeleteBucketPolicy",
        "s3:PutAccessPointPolicy",
        "s3:PutBucketAcl",
        "s3:PutBucketPolicy",
        "s3:PutObjectAcl",
    ]
    assert statements["PassOwnTeamRoles"]["Condition"] == {
        "StringEquals": {"aws:ResourceTag/team": OWN, "iam:PassedToService": ["lambda.amazonaws.com"]}
    }
    assert "PassOwnTeamRoles" not in by_sid(abac_statements("team", ["s3"], [], []))


def test_a_set_listing_ecr_may_log_in_to_the_registry() -> None:
    # GetAuthorizationToken takes no resource, so TeamScopedByAbac's tag condition never matches it.
    assert by_sid(abac_statements("team", ["ecr", "s3"], [], []))["RegistryLogin"] == {
        "Sid": "RegistryLogin",
        "Effect": "Allow",
        "Action": ["ecr:GetAuthorizationToken"],
        "Resource": "*",
    }
    assert "RegistryLogin" not in by_sid(abac_statements("team", ["lambda", "s3"], [], []))


def test_parliament_findings_are_exactly_the_justified_ones() -> None:
    # RESOURCE_STAR is how ABAC is written: the statements are scoped by their tag conditions, not
    # by ARNs (parliament does not read conditions). Flagged: TeamScopedByAbac, CreateWithOwnTeamTag
    # and the ec2:Describe* navigation actions. Nothing else (no unknown action, no bad condition).
    policy = analyze_policy_string(developer_document())
    assert sorted((f.issue, f.detail[0]) for f in policy.findings) == [
        ("RESOURCE_STAR", "cloudwatch:BatchGetServiceLevelObjectiveBudgetReport"),
        ("RESOURCE_STAR", "dynamodb:CreateTable"),
        ("RESOURCE_STAR", "ec2:DescribeCapacityBlockExtensionOfferings"),
    ]


def test_parliament_privilege_escalation_paths_are_the_conditioned_ones() -> None:
    # The community auditors ignore conditions. Each path needs iam:PassRole, which the template
    # allows only for roles tagged with the caller's own team (PassOwnTeamRoles), or
    # lambda:UpdateFunctionCode, allowed only on the team's own functions (whose roles are the team's).
    policy = analyze_policy_string(developer_document(), include_community_auditors=True)
    escalations = sorted(f.location["type"] for f in policy.findings if f.issue == "PRIVILEGE_ESCALATION")
    assert escalations == [
        "CreateEC2WithExistingIP",
        "EditExistingLambdaFunctionWithRole",
        "PassExistingRoleToNewLambdaThenInvoke",
        "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
        "PassExistingRoleToNewLambdaThenTriggerWithNewDynamo",
    ]


S3_WARNING_TAIL = (
    ", and S3 reads a general purpose bucket's tags only once ABAC is enabled on it (off by default), "
    "so on a bucket without ABAC it grants nothing; fix: the bucket owner enables ABAC on each bucket "
    "this set should reach (aws s3api put-bucket-abac --bucket <bucket> --abac-status Status=Enabled) and "
    "from then on tags it with s3control tag-resource, since PutBucketTagging stops working "
    '(README "ABAC, end to end")'
)


def test_the_developer_set_warns_that_its_s3_grant_needs_bucket_abac() -> None:
    # Only TeamScopedByAbac: PassOwnTeamRoles reads a role's tag, the denies allow nothing, and
    # CreateWithOwnTeamTag reads the request's tag, which S3 sees whatever the bucket's ABAC status.
    document = inline_policy_document(reference_permission_sets()["DeveloperAccess"])
    assert s3_resource_tag_warnings("DeveloperAccess", document) == [
        "frontdoor:permissionSets.DeveloperAccess: statement TeamScopedByAbac grants S3 actions only "
        f"through the bucket tag condition aws:ResourceTag/team{S3_WARNING_TAIL}"
    ]


def test_an_s3_grant_through_a_bucket_tag_is_flagged_and_nothing_else_is() -> None:
    def statement(sid: str, action: object, key: str, effect: str = "Allow") -> dict[str, object]:
        element = "NotAction" if sid.startswith("Not") else "Action"
        return {"Sid": sid, "Effect": effect, element: action, "Resource": "*",
                "Condition": {"StringEquals": {key: "payments"}}}  # fmt: skip

    document = {
        "Version": "2012-10-17",
        "Statement": [
            statement("ReadReports", ["dynamodb:GetItem", "s3:GetObject"], "s3:BucketTag/team"),
            statement("Everything", "*", "aws:ResourceTag/costCenter"),
            statement("NotIam", ["iam:*"], "aws:ResourceTag/team"),
            statement("NotS3", ["s3:*"], "aws:ResourceTag/team"),
            statement("Tables", "dynamodb:*", "aws:ResourceTag/team"),
            statement("DenyOthers", "s3:*", "aws:ResourceTag/team", effect="Deny"),
            statement("ByRequest", "s3:CreateBucket", "aws:RequestTag/team"),
        ],
    }
    assert s3_resource_tag_warnings("Reports", document) == [
        f"frontdoor:permissionSets.Reports: statement {sid} grants S3 actions only through the bucket tag "
        f"condition {key}{S3_WARNING_TAIL}"
        for sid, key in [
            ("ReadReports", "s3:BucketTag/team"),
            ("Everything", "aws:ResourceTag/costCenter"),
            ("NotIam", "aws:ResourceTag/team"),
        ]
    ]
    assert s3_resource_tag_warnings("ReadOnlyAuditor", None) == []
