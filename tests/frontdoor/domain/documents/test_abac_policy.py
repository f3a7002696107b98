"""The DeveloperAccess ABAC template: what each statement does, and parliament's lint of the document."""

from __future__ import annotations

import json

from parliament import analyze_policy_string

from frontdoor.domain.documents.abac_policy import abac_statements
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
        "s3:PutBucketTagging",
    ]
    assert statements["CreateWithOwnTeamTag"]["Condition"] == {"StringEquals": {"aws:RequestTag/team": OWN}}
    assert statements["DenyTaggingForAnotherTeam"]["Condition"] == {
        "StringNotEquals": {"aws:RequestTag/team": OWN},
        "Null": {"aws:RequestTag/team": "false"},
    }
    assert statements["DenyTeamTagChangeOnOthers"] == {
        "Sid": "DenyTeamTagChangeOnOthers",
        "Effect": "Deny",
        "Action": ["ec2:CreateTags", "ec2:DeleteTags", "s3:PutBucketTagging"],
        "Resource": "*",
        "Condition": {
            "ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]},
            "StringNotEquals": {"aws:ResourceTag/team": OWN},
            "Null": {"aws:ResourceTag/team": "false"},
        },
    }
    assert statements["DenyTeamTagRemoval"]["Action"] == ["ec2:DeleteTags"]


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
