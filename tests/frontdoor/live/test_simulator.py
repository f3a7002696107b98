"""The online canary: request shapes against botocore's service model, and the comparison logic.

moto 5.2.5 does not implement iam:SimulateCustomPolicy (and its IAM evaluation ignores conditions:
research/next-capabilities.md §5), so the simulator's answers here are written in the API's
documented response shape; the local server only shows how an unimplemented call is reported.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import botocore.exceptions
import pytest

from frontdoor.commands.cli import main
from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.proof.canary import SetPolicies, run_canary
from frontdoor.live.simulator import (
    SimulationGroup,
    compare,
    context_entries,
    groups,
    live_decisions,
    policy_inputs,
    request_params,
    validate,
)
from frontdoor.offline.iam_actions import iam_action_catalogue
from frontdoor.offline.managed_policies import aws_managed_policy_documents

REPO = Path(__file__).resolve().parents[3]
PAYMENTS_OWN = (("aws:PrincipalTag/team", ("payments",)), ("aws:ResourceTag/team", ("payments",)))


@pytest.fixture(scope="module")
def demo() -> StackConfig:
    return parse_stack_config(read_stack_file(REPO / "stacks" / "Pulumi.demo.yaml"), "demo")


def _groups(config: StackConfig) -> tuple[list[SimulationGroup], dict[str, SetPolicies]]:
    source, managed = aws_managed_policy_documents()
    run = run_canary(config, {}, managed=managed, managed_source=source, catalogue=iam_action_catalogue())
    return groups(run.results, run.sets), dict(run.sets)


@pytest.fixture(scope="module")
def demo_groups(demo: StackConfig) -> tuple[list[SimulationGroup], dict[str, SetPolicies]]:
    return _groups(demo)


def test_every_request_of_the_demo_is_valid_for_botocore(
    demo_groups: tuple[list[SimulationGroup], dict[str, SetPolicies]],
) -> None:
    found, _ = demo_groups
    by_set = Counter(group.permission_set for group in found)
    # Per team 10 contexts: own, untagged, no-tag on a resource, untag-own, passrole-own (x3 services),
    # create-own with one key and two, no-tag create. Per pair 11: other and read-other, retag (one key,
    # two), untag (one, two), passrole (x3), create-other and retag-self, create-other with two keys,
    # give-away. And one tagless context shared by every team's no-tag navigation requests. 10 teams
    # pin their tag (regulatory's rule does not: no session), each against the 10 others.
    assert by_set["DeveloperAccess"] == 10 * 10 + 100 * 11 + 1
    # Every other set the canary evaluates is sent too, with its AWS managed documents: ReadOnlyAuditor
    # (11 teams x 10 others x 10 contexts, each team's untagged create, and its org grant's 11: one
    # per team's resources),
    # PlatformAdmin and BillingViewer (org grants: one context per team's resources).
    assert by_set == {
        "DeveloperAccess": 1201,
        "ReadOnlyAuditor": 1122,
        "PlatformAdmin": 11,
        "BillingViewer": 11,
    }
    for group in found:
        params = request_params(group)  # raises ParamValidationError on any shape error
        assert params["PolicyInputList"] == list(group.policies)
        assert "PermissionsBoundaryPolicyInputList" not in params  # no demo set has a boundary
    auditor = next(g for g in found if g.permission_set == "ReadOnlyAuditor")
    _, managed = aws_managed_policy_documents()
    assert [json.loads(p) for p in auditor.policies] == [
        managed["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        managed["arn:aws:iam::aws:policy/SecurityAudit"],
    ]
    own = next(g for g in found if g.permission_set == "DeveloperAccess" and g.context == PAYMENTS_OWN)
    assert request_params(own)["ContextEntries"] == [
        {
            "ContextKeyName": "aws:PrincipalTag/team",
            "ContextKeyValues": ["payments"],
            "ContextKeyType": "string",
        },
        {
            "ContextKeyName": "aws:ResourceTag/team",
            "ContextKeyValues": ["payments"],
            "ContextKeyType": "string",
        },
    ]


def test_a_boundary_is_sent_and_judged_with_the_identity_policies(demo: StackConfig) -> None:
    values = read_stack_file(REPO / "stacks" / "Pulumi.demo.yaml")
    values["permissionSets"]["DeveloperAccess"]["permissionsBoundary"] = {
        "awsManagedPolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"
    }
    found, sets = _groups(parse_stack_config(values, "demo"))
    group = next(g for g in found if g.permission_set == "DeveloperAccess" and g.context == PAYMENTS_OWN)
    params = request_params(group)
    assert [json.loads(p) for p in params["PermissionsBoundaryPolicyInputList"]] == [
        aws_managed_policy_documents()[1]["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    ]
    # Offline, the boundary denies the own writes the inline policy allows: a simulator that allowed
    # them (as it would without the boundary) disagrees on exactly those. It answers for every request
    # but the Permissions management ones (manage-own, denied with or without the boundary: a missing
    # answer to an expected deny is no disagreement).
    catalogue = iam_action_catalogue()
    allow_all = [
        {
            "EvaluationResults": [
                {"EvalActionName": a, "EvalResourceName": r, "EvalDecision": "allowed"}
                for a, r in group.pairs
                if getattr(catalogue.action(a), "access_level", "") != "Permissions management"
            ]
        }
    ]
    disagreements = compare(group, sets["DeveloperAccess"], live_decisions(allow_all))
    # The 14 own-resource writes (one per resource type) and the launch with the team's own security
    # group: ReadOnlyAccess allows none of them.
    assert sorted((d.action, d.offline) for d in disagreements) == [
        (action, "implicit-deny")
        for action in (
            "cloudwatch:PutMetricAlarm",
            "dynamodb:PutItem",
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:DeleteVolume",
            "ec2:RunInstances",
            "ec2:StopInstances",
            "ecr:PutImage",
            "ecs:UpdateCluster",
            "ecs:UpdateService",
            "lambda:UpdateFunctionCode",
            "logs:PutRetentionPolicy",
            "s3:PutLifecycleConfiguration",
            "s3:PutObject",
            "sns:Publish",
            "sqs:SendMessage",
        )
    ]


def test_a_document_over_the_api_limit_is_split_by_statements() -> None:
    statements = [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": f"s3:GetObject{'x' * 5000}", "Resource": "*"}
        for i in range(40)
    ]
    document = {"Version": "2012-10-17", "Statement": statements}
    inputs = policy_inputs(document)
    assert len(inputs) == 2 and all(len(text) <= 131072 for text in inputs)
    assert [s for text in inputs for s in json.loads(text)["Statement"]] == statements
    assert policy_inputs({"Version": "2012-10-17", "Statement": statements[:2]}) == [
        json.dumps(
            {"Statement": statements[:2], "Version": "2012-10-17"}, separators=(",", ":"), sort_keys=True
        )
    ]


def test_tag_keys_are_sent_as_a_string_list() -> None:
    assert context_entries([("aws:TagKeys", ("team",))]) == [
        {"ContextKeyName": "aws:TagKeys", "ContextKeyValues": ["team"], "ContextKeyType": "stringList"}
    ]


def test_a_malformed_request_is_refused_by_botocore() -> None:
    with pytest.raises(botocore.exceptions.ParamValidationError, match="ContextKeyValues"):
        validate(
            {
                "PolicyInputList": ["{}"],
                "ActionNames": ["s3:GetObject"],
                "ContextEntries": [
                    {
                        "ContextKeyName": "aws:PrincipalTag/team",
                        "ContextKeyValues": "a",
                        "ContextKeyType": "string",
                    }
                ],
            }
        )


def _answers(group: SimulationGroup, flip: tuple[str, str] | None = None) -> list[dict[str, Any]]:
    """SimulateCustomPolicy's documented response: one result per action, per-resource decisions."""
    from frontdoor.domain.proof.iam_evaluator import NamedPolicy, Request, evaluate

    identity = [NamedPolicy(f"p{i}", json.loads(text)) for i, text in enumerate(group.policies)]
    boundary = NamedPolicy("b", json.loads(group.boundaries[0])) if group.boundaries else None
    results = []
    for action in sorted({a for a, _ in group.pairs}):
        specific = []
        for resource in sorted({r for a, r in group.pairs if a == action}):
            offline = evaluate(Request(action, resource, dict(group.context)), identity, (), boundary)
            decision = {"allow": "allowed", "explicit-deny": "explicitDeny", "implicit-deny": "implicitDeny"}[
                offline.decision
            ]
            if flip == (action, resource):
                decision = "implicitDeny" if decision == "allowed" else "allowed"
            specific.append({"EvalResourceName": resource, "EvalResourceDecision": decision})
        results.append(
            {"EvalActionName": action, "EvalDecision": "implicitDeny", "ResourceSpecificResults": specific}
        )
    return [{"EvaluationResults": results, "IsTruncated": False}]


def test_agreement_reports_nothing_and_a_flip_is_named(
    demo_groups: tuple[list[SimulationGroup], dict[str, SetPolicies]],
) -> None:
    found, sets = demo_groups
    group = next(g for g in found if g.permission_set == "DeveloperAccess" and g.context == PAYMENTS_OWN)
    document = sets["DeveloperAccess"]
    assert compare(group, document, live_decisions(_answers(group))) == []
    flipped = ("s3:PutObject", "arn:aws:s3:::payments-artifacts-111111111111/build.zip")
    (disagreement,) = compare(group, document, live_decisions(_answers(group, flipped)))
    assert disagreement.describe() == (
        "DeveloperAccess: s3:PutObject on arn:aws:s3:::payments-artifacts-111111111111/build.zip "
        "(aws:PrincipalTag/team=payments, aws:ResourceTag/team=payments): offline allow, "
        "IAM policy simulator implicitDeny"
    )


def test_a_missing_answer_is_a_disagreement_for_an_expected_allow(
    demo_groups: tuple[list[SimulationGroup], dict[str, SetPolicies]],
) -> None:
    found, sets = demo_groups
    group = next(g for g in found if g.permission_set == "DeveloperAccess" and g.context == PAYMENTS_OWN)
    missing = compare(group, sets["DeveloperAccess"], {})
    # The 14 own-resource writes and the launch with the team's own security group.
    assert {d.live for d in missing} == {"missing"} and len(missing) == 15


def test_live_canary_against_the_local_server_reports_the_unimplemented_call(
    aws: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["canary", "--live"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("error: call simulate_custom_policy: ")
    assert "iam:SimulateCustomPolicy" in err
