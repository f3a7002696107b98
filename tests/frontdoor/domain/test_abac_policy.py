"""The DeveloperAccess ABAC template: what each statement does, and parliament's lint of the document."""

from __future__ import annotations

import json

from parliament import analyze_policy_string

from frontdoor.domain.abac_policy import abac_statements
from frontdoor.domain.catalogue import reference_permission_sets
from frontdoor.domain.model import inline_policy_document, render_policy

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
        "Action": ["ec2:CreateTags", "ec2:DeleteTags", "s3:DeleteBucketTagging", "s3:PutBucketTagging"],
        "Resource": "*",
        "Condition": {
            "ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]},
            "StringNotEquals": {"aws:ResourceTag/team": OWN},
            "Null": {"aws:ResourceTag/team": "false"},
        },
    }
    assert statements["DenyTeamTagRemoval"]["Action"] == ["ec2:DeleteTags", "s3:DeleteBucketTagging"]


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


def test_parliament_finds_nothing_to_fix() -> None:
    policy = analyze_policy_string(developer_document())
    findings = sorted(
        {(finding.issue, json.dumps(finding.detail, sort_keys=True)) for finding in policy.findings}
    )
    assert findings == []
