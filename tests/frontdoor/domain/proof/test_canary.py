"""The team canary on the demo: 11 teams, 110 ordered pairs, every set they hold, every probe, SCPs
included; what it catches. Mutants of each gap it closes: test_canary_mutants.py."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import frontdoor.domain.documents.inline_policy
from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.guardrails import plan_guardrails
from frontdoor.domain.planning.plan import plan_access
from frontdoor.domain.proof.canary import (
    FULL_AWS_ACCESS,
    CanaryResult,
    ScpChain,
    generate_cases,
    run_canary,
    scp_chains,
    set_policies,
)
from frontdoor.domain.proof.iam_evaluator import NamedPolicy
from frontdoor.domain.proof.tag_chain import team_tags
from frontdoor.offline.estate import load_estate
from frontdoor.offline.managed_policies import aws_managed_policy_documents

REPO = Path(__file__).resolve().parents[4]
TEAMS = {
    "clinical-data", "data-platform", "devices-firmware", "manufacturing", "mobile", "patient-portal",
    "payments", "quality", "regulatory", "supply-chain", "telemetry",
}  # fmt: skip


@pytest.fixture(scope="module")
def demo() -> StackConfig:
    return parse_stack_config(read_stack_file(REPO / "stacks" / "Pulumi.demo.yaml"), "demo")


@pytest.fixture(scope="module")
def chains(demo: StackConfig) -> dict[str, list[ScpChain]]:
    snapshot = load_estate(REPO / "stacks" / "estate.demo.yaml").snapshot()
    plan = plan_access(demo, snapshot, "demo")
    scps = plan_guardrails(demo.guardrails, snapshot, "demo", demo.quotas)
    accounts = {a.id: a for g in plan.grants if g.permission_set == "DeveloperAccess" for a in g.accounts}
    return {"DeveloperAccess": scp_chains(snapshot, scps, accounts.values())}


def test_team_tags_are_what_okta_sets_from_the_members_rule(demo: StackConfig) -> None:
    tags = team_tags(demo, "team")
    # Every rule but regulatory's pins user.team == "<team>"; regulatory's also admits
    # user.department == "Regulatory Affairs", whose members carry whatever user.team says.
    assert tags.values == {team: team for team in TEAMS - {"regulatory"}}
    assert tags.unknown == {
        "regulatory": 'its members rule (user.team == "regulatory" OR user.department == '
        '"Regulatory Affairs") does not pin user.team, the Okta source of the session tag '
        "'team'"
    }


def test_scp_chains_carry_the_guardrails_above_the_dev_accounts(chains: dict[str, list[ScpChain]]) -> None:
    (first, *_rest) = chains["DeveloperAccess"]
    root, workloads = first.levels[0], first.levels[1]
    assert [p.name for p in root] == [
        "FullAWSAccess", "frontdoor-deny-iam-users", "frontdoor-deny-leave-organization",
        "frontdoor-protect-identity-center-roles", "frontdoor-session-revocation",
    ]  # fmt: skip
    assert [p.name for p in workloads] == [
        "FullAWSAccess",
        "frontdoor-deny-root-user",
        "frontdoor-region-restriction",
    ]
    assert all(level[0] == FULL_AWS_ACCESS for chain in chains["DeveloperAccess"] for level in chain.levels)


def test_the_demo_passes_for_every_team_pair(demo: StackConfig, chains: dict[str, list[ScpChain]]) -> None:
    source, managed = aws_managed_policy_documents()
    results = run_canary(demo, chains, managed=managed, managed_source=source).results
    assert [r.describe() for r in results if not r.passed] == []
    developer = [r for r in results if r.case.permission_set == "DeveloperAccess"]
    per_chain = len(developer) // len(chains["DeveloperAccess"])
    other = {(r.case.team, r.case.other) for r in developer if r.case.probe == "other"}
    # regulatory's members carry no proven tag value: no session, but its resources are probed.
    assert len(other) == 100 and {t for t, _ in other} == TEAMS - {"regulatory"}
    assert {o for _, o in other} == TEAMS
    probes = Counter(r.case.probe for r in developer[:per_chain])
    # 14 resource types (12 with a resource-scoped read, 14 tag and 14 untag actions: S3's are S3
    # Control's TagResource/UntagResource), 12 create actions, 3 compute services a role is passed to,
    # 10 navigation actions; 10 sessions; S3's two types also written without bucket ABAC.
    pairs, n = 100, 10
    assert probes == {
        "other": 14 * pairs, "read-other": 12 * pairs, "retag-other": 14 * pairs,
        "retag-other-2keys": 14 * pairs, "untag-other": 14 * pairs, "untag-other-2keys": 14 * pairs,
        "passrole-other": 3 * pairs,
        "create-other": 12 * pairs, "create-other-2keys": 12 * pairs, "retag-self": 2 * pairs,
        "give-away": 14 * pairs, "own": 14 * n, "untagged": 14 * n, "untag-own": 14 * n,
        "own-abac-off": 2 * n,
        "passrole-own": 3 * n, "create-own": 12 * n, "create-own-2keys": 12 * n, "create-untagged": 12 * n,
        "no-tag": n * (14 + 12 + 10),
    }  # fmt: skip


def test_a_set_is_evaluated_with_its_managed_policies_from_moto(demo: StackConfig) -> None:
    source, managed = aws_managed_policy_documents()
    auditor = set_policies("ReadOnlyAuditor", demo.permission_sets["ReadOnlyAuditor"], managed, source)
    assert [p.name for p in auditor.identity] == ["ReadOnlyAccess", "SecurityAudit"]
    assert auditor.identity[0].document is managed["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    assert (auditor.managed, auditor.not_checked, auditor.unknown, auditor.boundary) == (
        ("ReadOnlyAccess", "SecurityAudit"),
        (),
        (),
        None,
    )
    assert source.startswith("moto 5.")
    without = set_policies("ReadOnlyAuditor", demo.permission_sets["ReadOnlyAuditor"], {}, "")
    fix = "Fix: pip install '.[canary]' (moto ships the AWS managed documents)"
    assert without.unknown == (
        f"AWS managed policy ReadOnlyAccess (moto is not installed). {fix}",
        f"AWS managed policy SecurityAudit (moto is not installed). {fix}",
    )


def _without(sid: str, original: Any) -> Any:
    def statements(*args: Any) -> list[dict[str, Any]]:
        return [s for s in original(*args) if s["Sid"] != sid]

    return statements


def _widened(original: Any) -> Any:
    def statements(*args: Any) -> list[dict[str, Any]]:
        out = original(*args)
        for statement in out:
            if statement["Sid"] == "TeamScopedByAbac":
                statement["Condition"] = {"StringLike": {"aws:ResourceTag/team": "*"}}
        return out

    return statements


def test_removing_the_null_deny_fails_naming_the_team_and_request(
    demo: StackConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        frontdoor.domain.documents.inline_policy,
        "abac_statements",
        _without("DenyWithoutTeamTag", frontdoor.domain.documents.inline_policy.abac_statements),
    )
    failures = [r for r in run_canary(demo, {}).results if not r.passed]
    assert {(r.case.probe, r.evaluation.statement) for r in failures} == {("no-tag", "DescribeForNavigation")}
    assert len(failures) == 10 * 10  # every session team's member without the tag lists every service
    assert failures[0].describe() == (
        "DeveloperAccess clinical-data (session without the tag) -> - [no-tag] cloudwatch:ListMetrics on * "
        "(no tags) in 111111111111: expected deny, got allow by DescribeForNavigation"
    )


def test_widening_to_string_like_star_fails_naming_the_pair_and_request(
    demo: StackConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        frontdoor.domain.documents.inline_policy,
        "abac_statements",
        _widened(frontdoor.domain.documents.inline_policy.abac_statements),
    )
    failures = [r for r in run_canary(demo, {}).results if not r.passed]
    assert {r.case.probe for r in failures} == {"other", "read-other"}
    assert len({(r.case.team, r.case.other) for r in failures}) == 100
    assert failures[0].describe() == (
        "DeveloperAccess clinical-data -> data-platform [other] cloudwatch:PutMetricAlarm on "
        "arn:aws:cloudwatch:us-east-1:111111111111:alarm:data-platform-errors (aws:PrincipalTag/team="
        "clinical-data, aws:ResourceTag/team=data-platform) in 111111111111: expected deny, got allow by "
        "TeamScopedByAbac"
    )


def test_an_scp_deny_wins(demo: StackConfig) -> None:
    deny_all = NamedPolicy(
        "deny-everything",
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]},
    )
    chain = ScpChain("100000000001", ((FULL_AWS_ACCESS, deny_all),))
    results: list[CanaryResult] = run_canary(demo, {"DeveloperAccess": [chain]}).results
    failing = {r.case.probe for r in results if not r.passed}
    # only the expected allows turn into failures
    assert failing == {"own", "create-own", "create-own-2keys", "passrole-own"}
    assert all(r.evaluation.policy == "deny-everything" for r in results if r.case.probe == "own")


def test_a_set_without_abac_generates_nothing(demo: StackConfig) -> None:
    assert (
        generate_cases(
            "ReadOnlyAuditor", demo.permission_sets["ReadOnlyAuditor"], {"a": "a"}, "1", "us-east-1"
        )
        == []
    )
