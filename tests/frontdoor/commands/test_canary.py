"""`frontdoor canary` end to end on the demo: exit 0 passing with the claim of exactly what it checked,
exit 1 naming the pair and the request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import frontdoor.domain.documents.inline_policy
from frontdoor.commands.cli import main

ORIGINAL = frontdoor.domain.documents.inline_policy.abac_statements
REPO = Path(__file__).resolve().parents[3]
# The printed claim on the demo, word for word: every line derives from the cases run and the policies
# evaluated (frontdoor.domain.proof.canary.claim), so a probe or a set more or less changes it.
DEMO_CLAIM = [
    (
        "Checked 96270 requests: each of 11 teams (clinical-data, data-platform, "
        "devices-firmware, manufacturing, mobile, patient-portal, payments, quality, regulatory, "
        "supply-chain, telemetry) against each other team."
    ),
    (
        "- DeveloperAccess: held by 10 teams, asked for 10, in 2 SCP chains; inline policy yes; "
        "AWS managed policies none; permissions boundary none."
    ),
    (
        "  Denies: a write on another team's resource; a read of another team's resource; every "
        "other action its inline policy names that writes (wildcards expanded; one per group of "
        "actions its policies and SCPs treat alike), on another team's resource of each type "
        "below it applies to; the same for the actions it names that read; re-tagging another "
        "team's resource as one's own; the same with a second tag key; stripping another team's "
        "tag; the same with a second tag key; passing another team's role to a compute service; "
        "launching an instance with another team's security group or snapshot; "
        "creating a resource tagged for another team; the same with a second tag key; creating "
        "an untagged resource; re-tagging one's own role or session as another team's; handing "
        "one's own resource to another team; changing who may access one's own resource or role "
        "(every action of the Service Authorization Reference's Permissions management level on "
        "each type above, and on one's own role); stripping one's own tag; a write on an untagged "
        "resource; anything from a session without the tag; a write on one's own S3 bucket or "
        "object without bucket ABAC (S3 then reads no tag)."
    ),
    (
        "  Allows: a write on one's own resource; creating a resource tagged as one's own; the "
        "same with a second tag key; passing one's own role to a compute service; launching an "
        "instance tagged as one's own with one's own or an untagged security group, an untagged "
        "subnet, AMI and key pair."
    ),
    (
        "  On: cloudwatch alarm, dynamodb table, ec2 instance, ec2 security-group, ec2 volume, "
        "ecr repository, ecs cluster, ecs service, lambda function, logs log-group, s3 bucket, "
        "s3 object, sns topic, sqs queue."
    ),
    (
        "- ReadOnlyAuditor: held by 11 teams, asked for 11, in 5 SCP chains; inline policy none; "
        "AWS managed policies ReadOnlyAccess, SecurityAudit (moto 5.2.5); permissions boundary "
        "none."
    ),
    (
        "  Denies: a write on another team's resource; re-tagging another team's resource as "
        "one's own; the same with a second tag key; stripping another team's tag; the same with "
        "a second tag key; passing another team's role to a compute service; launching an "
        "instance with another team's security group or snapshot; creating a resource "
        "tagged for another team; the same with a second tag key; creating an untagged resource; "
        "re-tagging one's own role or session as another team's."
    ),
    (
        "  On: cloudwatch alarm, dynamodb table, ec2 instance, ec2 security-group, ec2 volume, "
        "ecr repository, ecs cluster, ecs service, lambda function, logs log-group, s3 bucket, "
        "s3 object, sns topic, sqs queue."
    ),
    (
        "Tag chain of 'team' (Okta user.team): pinned by the members rules of 10 teams; not "
        "pinned, so no ABAC session: regulatory."
    ),
    "Could not evaluate (unknown, so the canary fails): none.",
    (
        "Not checked (outside the claim): DeveloperAccess: 1 of "
        "the 19 actions sqs:* names (on no resource type the "
        "canary models), DeveloperAccess: 160 of the 163 actions ec2:Describe* names (on no "
        "resource type the canary models), DeveloperAccess: 20 of the 50 actions ecr:* names (on "
        "no resource type the canary models), DeveloperAccess: 23 of the 70 actions dynamodb:* "
        "names (on no resource type the canary models), DeveloperAccess: 24 of the 69 actions "
        "lambda:* names (on no resource type the canary models), DeveloperAccess: 26 of the 40 "
        "actions sns:* names (on no resource type the canary models), DeveloperAccess: 35 of the "
        "59 actions ecs:* names (on no resource type the canary models), DeveloperAccess: 43 of "
        "the 54 actions cloudwatch:* names (on no resource type the canary models), "
        "DeveloperAccess: 595 of the 671 actions ec2:* names (on no resource type the canary "
        "models), DeveloperAccess: 65 of the 98 actions logs:* names (on no resource type the "
        "canary models), DeveloperAccess: 77 of the 162 actions s3:* names (on no resource type "
        "the canary models), DeveloperAccess: cloudwatch:ListMetrics (on no resource: no "
        "resource type the canary models), DeveloperAccess: dynamodb:ListTables (on no resource: "
        "no resource type the canary models), DeveloperAccess: ecr:GetAuthorizationToken (on no "
        "resource: no resource type the canary models), DeveloperAccess: ecs:ListClusters (on no "
        "resource: no resource type the canary models), DeveloperAccess: lambda:ListFunctions "
        "(on no resource: no resource type the canary models), DeveloperAccess: "
        "logs:DescribeLogGroups (on no resource: no resource type the canary models), "
        "DeveloperAccess: s3:ListAllMyBuckets (on no resource: no resource type the canary "
        "models), DeveloperAccess: s3:TagResource (on accessgrant, accessgrantsinstance, "
        "accessgrantslocation, storagelensgroup: no resource type the canary models), "
        "DeveloperAccess: sns:ListTopics (on no resource: no resource type the canary models), "
        "DeveloperAccess: sqs:ListQueues (on no resource: no resource type the canary models)."
    ),
    "Cross-team reach the config grants on purpose (listed, not judged):",
    (
        "- DeveloperAccess (10 teams, on 57 accounts): reads ec2 instance, ec2 security-group, "
        "ec2 volume, ecr repository of every other team."
    ),
    (
        "- PlatformAdmin (org grant aws-incident-4711-admin, on 2 accounts): reads cloudwatch "
        "alarm, dynamodb table, ec2 instance, ecr repository, ecs cluster, ecs service, lambda "
        "function, logs log-group, s3 bucket, s3 object, sns topic, sqs queue; writes cloudwatch "
        "alarm, dynamodb table, ec2 instance, ec2 security-group, ec2 volume, ecr repository, "
        "ecs cluster, ecs service, lambda function, logs log-group, s3 bucket, s3 object, sns "
        "topic, sqs queue of every team."
    ),
    (
        "- PlatformAdmin (org grant aws-platform-admin, on 127 accounts): reads cloudwatch "
        "alarm, dynamodb table, ec2 instance, ecr repository, ecs cluster, ecs service, lambda "
        "function, logs log-group, s3 bucket, s3 object, sns topic, sqs queue; writes cloudwatch "
        "alarm, dynamodb table, ec2 instance, ec2 security-group, ec2 volume, ecr repository, "
        "ecs cluster, ecs service, lambda function, logs log-group, s3 bucket, s3 object, sns "
        "topic, sqs queue of every team."
    ),
    (
        "- ReadOnlyAuditor (11 teams, on 67 accounts): reads cloudwatch alarm, dynamodb table, "
        "ec2 instance, ecr repository, ecs cluster, ecs service, lambda function, logs "
        "log-group, s3 bucket, s3 object, sns topic, sqs queue of every other team."
    ),
    (
        "- ReadOnlyAuditor (org grant aws-security-auditors, on 131 accounts): reads cloudwatch "
        "alarm, dynamodb table, ec2 instance, ecr repository, ecs cluster, ecs service, lambda "
        "function, logs log-group, s3 bucket, s3 object, sns topic, sqs queue of every team."
    ),
    "",
    "PASSED: every one of the 96270 checked requests got the answer above.",
]


def without_null_deny(*args: Any) -> list[dict[str, Any]]:
    return [s for s in ORIGINAL(*args) if s["Sid"] != "DenyWithoutTeamTag"]


def widened(*args: Any) -> list[dict[str, Any]]:
    statements = ORIGINAL(*args)
    for statement in statements:
        if statement["Sid"] == "TeamScopedByAbac":
            statement["Condition"] = {"StringLike": {"aws:ResourceTag/team": "*"}}
    return statements


def test_the_demo_passes_claiming_exactly_what_it_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["canary"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["# Team canary: demo", ""]
    assert out[2].startswith("11 teams, 110 ordered team pairs, 108246 requests (create-other 9000, ")
    assert out[2].endswith("; 11976 listed).")
    assert out[4:] == DEMO_CLAIM


def test_the_demo_passes_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["canary", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["permissionSets"], len(report["teams"]), report["teamPairs"]) == (
        ["BillingViewer", "DeveloperAccess", "PlatformAdmin", "ReadOnlyAuditor"],
        11,
        110,
    )
    assert report["failures"] == [] and report["passed"] == report["cases"]
    assert report["checked"] == DEMO_CLAIM[:-2]


def test_without_the_null_deny_it_exits_1_naming_team_and_request(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(frontdoor.domain.documents.inline_policy, "abac_statements", without_null_deny)
    assert main(["canary"]) == 1
    out = capsys.readouterr().out.splitlines()
    first = out.index(next(line for line in out if line.startswith("FAILED: ")))
    assert out[first + 1].startswith(
        "- DeveloperAccess clinical-data (session without the tag) -> - [no-tag] cloudwatch:ListMetrics on * "
    )
    assert out[first + 1].endswith(": expected deny, got allow by DescribeForNavigation")


def test_widened_to_string_like_star_it_exits_1_naming_the_pair(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(frontdoor.domain.documents.inline_policy, "abac_statements", widened)
    assert main(["canary", "--format", "json"]) == 1
    failures = json.loads(capsys.readouterr().out)["failures"]
    first = failures[0]
    assert {k: first[k] for k in ("team", "other", "probe", "action", "expected", "got", "decidedBy")} == {
        "team": "clinical-data",
        "other": "data-platform",
        "probe": "other",
        "action": "cloudwatch:PutMetricAlarm",
        "expected": "deny",
        "got": "allow",
        "decidedBy": "TeamScopedByAbac",
    }
    assert first["context"]["aws:ResourceTag/team"] == ["data-platform"]
    assert len({(f["team"], f["other"]) for f in failures}) == 100  # regulatory's tag is unproven: no session


def test_a_break_glass_stack_is_validated_and_has_nothing_to_judge(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["canary", "--stack", "breakglass"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith(
        "stacks/Pulumi.breakglass.yaml: a break-glass stack assigns no permission set: nothing to check\n"
    )


def test_a_document_it_cannot_read_exits_4_naming_it_and_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = yaml.safe_load((REPO / "stacks" / "Pulumi.demo.yaml").read_text())
    sets = document["config"]["frontdoor:permissionSets"]
    sets["DeveloperAccess"]["customerManagedPolicies"] = [{"name": "team-extra", "path": "/teams/"}]
    config = tmp_path / "Pulumi.demo.yaml"
    config.write_text(yaml.safe_dump(document, sort_keys=False))
    estate = str(REPO / "stacks" / "estate.demo.yaml")
    assert main(["canary", "--config", str(config), "--estate", estate, "--format", "json"]) == 4
    captured = capsys.readouterr()
    assert json.loads(captured.out)["unknown"] == [
        "DeveloperAccess: customer managed policy /teams/team-extra (no document in the config: the canary "
        "cannot read it offline. Fix: write its statements as the set's inlineStatements (the canary "
        "evaluates those), or remove it)"
    ]
    assert captured.err.splitlines() == [
        "error: the canary could not evaluate 1 of what the checked sets carry, so it proves nothing about "
        "them (absent is unknown, never fine):",
        "- DeveloperAccess: customer managed policy /teams/team-extra (no document in the config: the "
        "canary cannot read it offline. Fix: write its statements as the set's inlineStatements (the "
        "canary evaluates those), or remove it)",
    ]
