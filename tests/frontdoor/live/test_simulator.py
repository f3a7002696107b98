"""The online canary: request shapes against botocore's service model, and the comparison logic.

moto 5.2.5 does not implement iam:SimulateCustomPolicy (and its IAM evaluation ignores conditions:
research/next-capabilities.md §5), so the simulator's answers here are written in the API's
documented response shape; the local server only shows how an unimplemented call is reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import botocore.exceptions
import pytest

from frontdoor.commands.cli import main
from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.documents.inline_policy import inline_policy_document
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.proof.canary import run_canary
from frontdoor.live.simulator import (
    SimulationGroup,
    compare,
    context_entries,
    groups,
    live_decisions,
    request_params,
    validate,
)

REPO = Path(__file__).resolve().parents[3]
PAYMENTS_OWN = (("aws:PrincipalTag/team", ("payments",)), ("aws:ResourceTag/team", ("payments",)))


@pytest.fixture(scope="module")
def demo() -> StackConfig:
    return parse_stack_config(read_stack_file(REPO / "stacks" / "Pulumi.demo.yaml"), "demo")


@pytest.fixture(scope="module")
def demo_groups(demo: StackConfig) -> tuple[list[SimulationGroup], dict[str, Any]]:
    document = inline_policy_document(demo.permission_sets["DeveloperAccess"])
    assert document is not None
    documents = {"DeveloperAccess": document}
    return groups(run_canary(demo, {}).results, documents), documents


def test_every_request_of_the_demo_is_valid_for_botocore(
    demo_groups: tuple[list[SimulationGroup], dict[str, Any]],
) -> None:
    found, _ = demo_groups
    # Per team 10 contexts: own, untagged, no-tag on a resource, untag-own, passrole-own (x3 services),
    # create-own with one key and two, no-tag create. Per pair 11: other and read-other, retag (one key,
    # two), untag (one, two), passrole (x3), create-other and retag-self, create-other with two keys,
    # give-away. And one tagless context shared by every team's no-tag navigation requests. 10 teams
    # pin their tag (regulatory's rule does not: no session), each against the 10 others.
    assert len(found) == 10 * 10 + 100 * 11 + 1
    for group in found:
        params = request_params(group)  # raises ParamValidationError on any shape error
        assert params["PolicyInputList"] == [group.policy]
    own = next(g for g in found if g.context == PAYMENTS_OWN)
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

    document = __import__("json").loads(group.policy)
    results = []
    for action in sorted({a for a, _ in group.pairs}):
        specific = []
        for resource in sorted({r for a, r in group.pairs if a == action}):
            offline = evaluate(Request(action, resource, dict(group.context)), [NamedPolicy("p", document)])
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
    demo_groups: tuple[list[SimulationGroup], dict[str, Any]],
) -> None:
    found, documents = demo_groups
    group = next(g for g in found if g.context == PAYMENTS_OWN)
    document = documents["DeveloperAccess"]
    assert compare(group, document, live_decisions(_answers(group))) == []
    flipped = ("s3:PutObject", "arn:aws:s3:::payments-artifacts-111111111111/build.zip")
    (disagreement,) = compare(group, document, live_decisions(_answers(group, flipped)))
    assert disagreement.describe() == (
        "DeveloperAccess: s3:PutObject on arn:aws:s3:::payments-artifacts-111111111111/build.zip "
        "(aws:PrincipalTag/team=payments, aws:ResourceTag/team=payments): offline allow, "
        "IAM policy simulator implicitDeny"
    )


def test_a_missing_answer_is_a_disagreement_for_an_expected_allow(
    demo_groups: tuple[list[SimulationGroup], dict[str, Any]],
) -> None:
    found, documents = demo_groups
    group = next(g for g in found if g.context == PAYMENTS_OWN)
    missing = compare(group, documents["DeveloperAccess"], {})
    assert {d.live for d in missing} == {"missing"} and len(missing) == 14  # the 14 own-resource writes


def test_live_canary_against_the_local_server_reports_the_unimplemented_call(
    aws: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["canary", "--live"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("error: call simulate_custom_policy: ")
    assert "iam:SimulateCustomPolicy" in err
