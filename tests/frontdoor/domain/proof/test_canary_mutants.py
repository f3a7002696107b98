"""Mutants the canary must catch (issue 25): config and policy edits of a three-team demo, each with the
exact (set, probe) pairs that must fail; benign edits that must pass. One class per gap the canary
closed: other paths to the same access (managed policies, a second set, inline statements, the
boundary), and the probe classes it lacked (PassRole, self-retag, two-key tags, hand-over, untagged
create, stripping a tag, client headers)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import frontdoor.domain.documents.inline_policy
from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.proof.canary import CanaryRun, claim, run_canary
from frontdoor.offline.iam_actions import iam_action_catalogue
from frontdoor.offline.managed_policies import aws_managed_policy_documents

REPO = Path(__file__).resolve().parents[4]
TEAMS = ("payments", "regulatory", "telemetry")  # regulatory holds ReadOnlyAuditor only
ORIGINAL = frontdoor.domain.documents.inline_policy.abac_statements
Statements = list[dict[str, Any]]


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    values = read_stack_file(REPO / "stacks" / "Pulumi.demo.yaml")
    values["teams"] = {name: values["teams"][name] for name in TEAMS}
    values["orgGrants"] = {}
    return values


def canary(values: dict[str, Any]) -> CanaryRun:
    source, managed = aws_managed_policy_documents()
    return run_canary(
        parse_stack_config(values, "mutant"),
        {},
        managed=managed,
        managed_source=source,
        catalogue=iam_action_catalogue(),
    )


def caught(run: CanaryRun) -> set[tuple[str, str]]:
    return {(r.case.permission_set, r.case.probe) for r in run.results if not r.passed}


# --- policy mutants: an edit of the ABAC template's statements -------------------------------------


def _edit(sid: str, change: Callable[[dict[str, Any]], None]) -> Callable[..., Statements]:
    def statements(*args: Any) -> Statements:
        out = ORIGINAL(*args)
        for statement in out:
            if statement["Sid"] == sid:
                change(statement)
        return out

    return statements


def _drop(sid: str) -> Callable[..., Statements]:
    return lambda *args: [s for s in ORIGINAL(*args) if s["Sid"] != sid]


def _condition(**condition: Any) -> Callable[[dict[str, Any]], None]:
    return lambda statement: statement.__setitem__("Condition", condition)


def _for_all_values(statement: dict[str, Any]) -> None:
    statement["Condition"]["ForAllValues:StringEquals"] = statement["Condition"].pop(
        "ForAnyValue:StringEquals"
    )


def _keyed_on(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda statement: statement["Condition"].__setitem__(
        "ForAnyValue:StringEquals", {"aws:TagKeys": [key]}
    )


def _boundary(name: str) -> Callable[[dict[str, Any]], None]:
    arn = f"arn:aws:iam::aws:policy/{name}"
    return lambda values: _set(values, DEV, permissionsBoundary={"awsManagedPolicyArn": arn})


DEV = "DeveloperAccess"
POLICY_MUTANTS = {
    "passrole-condition-removed": (
        _edit("PassOwnTeamRoles", lambda s: s["Condition"]["StringEquals"].pop("aws:ResourceTag/team")),
        {(DEV, "passrole-other")},
    ),
    "create-condition-removed": (
        _edit("CreateWithOwnTeamTag", lambda s: s.pop("Condition")),
        # named-other: the statement's tag actions, unconditioned, tag another team's resource with
        # any key but the team key (dynamodb:TagResource asked without the team key in aws:TagKeys).
        # launch-other: RunInstances, unconditioned, on another team's snapshot.
        {(DEV, "create-untagged"), (DEV, "named-other"), (DEV, "launch-other")},
    ),
    "retag-deny-for-all-values": (
        _edit("DenyTeamTagChangeOnOthers", _for_all_values),
        {(DEV, "retag-other-2keys")},
    ),
    "retag-deny-on-wrong-key": (
        _edit("DenyTeamTagChangeOnOthers", _keyed_on("owner")),
        {(DEV, "retag-other"), (DEV, "retag-other-2keys")},
    ),
    "tag-removal-deny-dropped": (_drop("DenyTeamTagRemoval"), {(DEV, "untag-own")}),
    # Issue 25 (independent set, C13): a resource policy on one's own queue naming another team's role.
    "resource-policy-deny-dropped": (_drop("DenyResourcePolicyChanges"), {(DEV, "manage-own")}),
    # Issue 25 (real-API review): a launch with another team's security group (its network identity).
    "launch-security-group-deny-dropped": (
        _drop("DenyLaunchWithAnotherTeamsSecurityGroup"),
        {(DEV, "launch-other")},
    ),
    # The same with the launch's supporting resources allowed on any ARN: another team's snapshot.
    "launch-on-any-resource": (
        _edit("LaunchWithSupportingResources", lambda s: s.__setitem__("Resource", "*")),
        # create-untagged: the same statement then allows a launch that tags the instance with nothing.
        {(DEV, "launch-other"), (DEV, "create-untagged")},
    ),
    # Without the supporting resources' statement no launch works at all.
    "launch-supporting-resources-dropped": (_drop("LaunchWithSupportingResources"), {(DEV, "launch-own")}),
    "hand-over-deny-dropped": (_drop("DenyTaggingForAnotherTeam"), {(DEV, "give-away")}),
    "scope-widened-to-any-tag": (
        _edit("TeamScopedByAbac", _condition(StringLike={"aws:ResourceTag/team": "*"})),
        {
            (DEV, "other"),
            (DEV, "read-other"),
            (DEV, "named-other"),
            (DEV, "named-read-other"),
            (DEV, "launch-other"),
        },
    ),
}


@pytest.mark.parametrize("name", sorted(POLICY_MUTANTS))
def test_a_policy_mutant_is_caught_by_exactly_its_probes(
    name: str, base: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    statements, expected = POLICY_MUTANTS[name]
    monkeypatch.setattr(frontdoor.domain.documents.inline_policy, "abac_statements", statements)
    assert caught(canary(base)) == expected


# --- config mutants: other paths to the same access, and benign edits -----------------------------


def _set(values: dict[str, Any], name: str, **settings: Any) -> None:
    values["permissionSets"][name].update(settings)


def _inline(statement: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda values: values["permissionSets"][DEV].setdefault("inlineStatements", []).append(statement)


def _second_set(values: dict[str, Any]) -> None:
    values["permissionSets"]["StorageAdmin"] = {
        "tier": "storage",
        "description": "Buckets for the team.",
        "awsManagedPolicies": ["arn:aws:iam::aws:policy/AmazonS3FullAccess"],
    }
    values["teams"]["payments"]["grants"]["StorageAdmin"] = ["Workloads/Dev"]


CONFIG_MUTANTS: dict[str, tuple[Callable[[dict[str, Any]], None], set[tuple[str, str]]]] = {
    "managed-read-only-on-the-abac-set": (
        lambda v: _set(v, DEV, awsManagedPolicies=["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
        # named-read-other: the reads the template names (dynamodb:*, ...) are ReadOnlyAccess's too.
        {(DEV, "read-other"), (DEV, "named-read-other")},
    ),
    "second-set-on-a-team-group": (
        _second_set,
        # AmazonS3FullAccess: s3:* on every bucket, s3:CreateBucket with any tag or none.
        {
            ("StorageAdmin", probe)
            for probe in (
                "other",
                "retag-other",
                "retag-other-2keys",
                "untag-other",  # s3:UntagResource (S3 Control), the tagging call of a bucket with ABAC
                "untag-other-2keys",
                "create-other",
                "create-other-2keys",
                "create-untagged",
            )
        },
    ),
    "inline-pass-any-role": (
        _inline({"Sid": "PassAny", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}),
        {(DEV, "passrole-other")},
    ),
    "inline-retag-own-role": (
        _inline(
            {"Sid": "TagMe", "Effect": "Allow", "Action": ["iam:TagRole", "sts:TagSession"], "Resource": "*"}
        ),
        {(DEV, "retag-self")},
    ),
    "boundary-read-only-breaks-own-writes": (
        _boundary("ReadOnlyAccess"),
        {
            (DEV, "own"),
            (DEV, "create-own"),
            (DEV, "create-own-2keys"),
            (DEV, "passrole-own"),
            (DEV, "launch-own"),
        },
    ),
    # An action the inline statements name on a service the fixed probes ask no such action of: asked
    # of every other team's table and queue (issue 25 review, gap 1).
    "inline-unconditioned-delete-table-and-purge-queue": (
        _inline(
            {
                "Sid": "Cleanup",
                "Effect": "Allow",
                "Action": ["dynamodb:DeleteTable", "sqs:PurgeQueue"],
                "Resource": "*",
            }
        ),
        {(DEV, "named-other")},
    ),
    "inline-unconditioned-wildcard-reads": (
        # dynamodb:DescribeTable and its relatives: none is a fixed probe's read (dynamodb:GetItem).
        _inline({"Sid": "ReadTables", "Effect": "Allow", "Action": "dynamodb:Describe*", "Resource": "*"}),
        {(DEV, "named-read-other")},
    ),
    # A create scoped to the type's real ARN form, without the tag condition: asked on the ARN the new
    # table has (not a placeholder the Resource never matches), it creates an untagged table (gap 2).
    "inline-create-scoped-to-table-arns": (
        _inline(
            {
                "Sid": "CreateTables",
                "Effect": "Allow",
                "Action": "dynamodb:CreateTable",
                "Resource": "arn:aws:dynamodb:*:*:table/*",
            }
        ),
        {(DEV, "create-untagged")},
    ),
    # Issue 25 (independent set, K18): a policy written onto the team's own role, which it may pass to
    # compute, reaches every team's data (privilege escalation).
    "inline-put-policy-on-own-role": (
        _inline(
            {
                "Sid": "ManageOwnRoles",
                "Effect": "Allow",
                "Action": ["iam:PutRolePolicy", "iam:AttachRolePolicy"],
                "Resource": "arn:aws:iam::*:role/*",
                "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
            }
        ),
        {(DEV, "manage-own")},
    ),
    # Issue 25 (independent set, O02): a members rule that pins one team's value makes a team grant,
    # judged as one: payments' admins write every other team's resources.
    "org-grant-pinning-one-team": (
        lambda values: values["orgGrants"].__setitem__(
            "aws-payments-dev-admin",
            {
                "members": 'user.team == "payments" AND user.userType == "employee"',
                "permissionSet": "PlatformAdmin",
                "targets": ["Workloads/Dev"],
            },
        ),
        {
            ("PlatformAdmin", probe)
            for probe in (
                "other",
                "retag-other",
                "retag-other-2keys",
                "untag-other",
                "untag-other-2keys",
                "passrole-other",
                "create-other",
                "create-other-2keys",
                "create-untagged",
                "retag-self",
                "launch-other",
            )
        },
    ),
    # Benign: an org grant pinning a value no team carries (the demo's platform admins) stays listed.
    "benign-org-grant-pinning-no-team": (
        lambda values: values["orgGrants"].__setitem__(
            "aws-platform-admin",
            {"members": 'user.team == "platform"', "permissionSet": "PlatformAdmin", "targets": ["*"]},
        ),
        set(),
    ),
    # Benign: guardrails a real client satisfies, a wider navigation list, a boundary that allows all.
    "benign-deny-unencrypted-uploads": (
        _inline(
            {
                "Sid": "DenyUnencryptedObjectUploads",
                "Effect": "Deny",
                "Action": "s3:PutObject",
                "Resource": "*",
                "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}},
            }
        ),
        set(),
    ),
    "benign-deny-insecure-transport": (
        _inline(
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ),
        set(),
    ),
    "benign-more-navigation": (
        lambda v: v["permissionSets"][DEV]["abac"]["readOnlyActions"].append("sns:ListSubscriptions"),
        set(),
    ),
    "benign-boundary-administrator": (
        _boundary("AdministratorAccess"),
        set(),
    ),
}


@pytest.mark.parametrize("name", sorted(CONFIG_MUTANTS))
def test_a_config_mutant_is_caught_by_exactly_its_probes(name: str, base: dict[str, Any]) -> None:
    edit, expected = CONFIG_MUTANTS[name]
    values = copy.deepcopy(base)
    edit(values)
    assert caught(canary(values)) == expected


def test_a_power_user_policy_on_the_abac_set_fails_every_cross_team_class_it_opens(
    base: dict[str, Any],
) -> None:
    values = copy.deepcopy(base)
    _set(values, DEV, awsManagedPolicies=["arn:aws:iam::aws:policy/PowerUserAccess"])
    # The template's denies still hold re-tagging, stripping and handing over; PowerUserAccess's
    # Allow on everything but iam/organizations/account opens the rest (sts:TagSession included).
    assert {probe for _, probe in caught(canary(values))} == {
        "other",
        "read-other",
        "named-other",
        "named-read-other",
        "untagged",
        "create-untagged",
        "retag-self",
        "own-abac-off",  # s3:* writes a bucket whose tags S3 does not read (no bucket ABAC)
        "launch-other",  # a launch from another team's snapshot
    }


def test_the_unmodified_base_passes_and_lists_the_read_only_reach(base: dict[str, Any]) -> None:
    run = canary(base)
    assert caught(run) == set()
    assert claim(run)[-3:] == [
        "Cross-team reach the config grants on purpose (listed, not judged):",
        # The template's navigation reads (ec2:Describe*, ecr:DescribeRepositories) that take a resource.
        "- DeveloperAccess (2 teams): reads ec2 instance, ec2 security-group, ec2 volume, ecr repository of "
        "every other team.",
        "- ReadOnlyAuditor (3 teams): reads cloudwatch alarm, dynamodb table, ec2 instance, ecr repository, "
        "ecs cluster, ecs service, lambda function, logs log-group, s3 bucket, s3 object, sns topic, "
        "sqs queue of every other team.",
    ]


def test_an_action_on_a_service_the_canary_cannot_model_is_named_not_checked(base: dict[str, Any]) -> None:
    values = copy.deepcopy(base)
    _inline({"Sid": "Params", "Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"})(values)
    run = canary(values)
    assert caught(run) == set()
    not_checked = next(line for line in claim(run) if line.startswith("Not checked ("))
    assert (
        "DeveloperAccess: ssm:GetParameter (on parameter: no resource type the canary models)" in not_checked
    )
    assert "DeveloperAccess: 595 of the 671 actions ec2:* names (on no resource type the canary models)" in (
        not_checked
    )


def test_without_the_action_catalogue_the_inline_actions_and_create_arns_are_unknown(
    base: dict[str, Any],
) -> None:
    source, managed = aws_managed_policy_documents()
    run = run_canary(parse_stack_config(base, "mutant"), {}, managed=managed, managed_source=source)
    assert caught(run) == set()
    assert {r.case.probe for r in run.results} >= {"create-other", "other"}
    assert not {r.case.probe for r in run.results} & {"named-other", "named-read-other"}
    fix = "no action catalogue: parliament is not installed. Fix: pip install '.[canary]'"
    assert run.unknown == [
        f"DeveloperAccess: the ARNs of create requests ({fix})",
        f"DeveloperAccess: the Permissions management requests on its own resources and role ({fix})",
        f"DeveloperAccess: the actions its inline policy names ({fix})",
        f"ReadOnlyAuditor: the ARNs of create requests ({fix})",
    ]


def test_an_org_grant_is_probed_on_every_teams_resources(base: dict[str, Any]) -> None:
    values = copy.deepcopy(base)
    # A set that reaches one team's queues only (the last by name): asked of the first team alone, as
    # before, it would list nothing (gap 3).
    values["permissionSets"]["TelemetryOps"] = {
        "tier": "ops",
        "description": "Operate telemetry's queues.",
        "inlineStatements": [
            {
                "Sid": "TelemetryQueues",
                "Effect": "Allow",
                "Action": "sqs:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag/team": "telemetry"}},
            }
        ],
    }
    values["orgGrants"] = {
        "aws-telemetry-ops": {
            "members": 'user.team == "ops"',
            "permissionSet": "TelemetryOps",
            "targets": ["*"],
        }
    }
    run = canary(values)
    assert caught(run) == set()
    assert {r.case.other for r in run.results if r.case.org_grant} == set(TEAMS)
    assert claim(run)[-1] == (
        "- TelemetryOps (org grant aws-telemetry-ops): reads sqs queue; writes sqs queue of telemetry."
    )


# Absent is unknown, never fine (issue 25, M04/M05/S03): each document a checked set carries and the
# canary cannot evaluate is named with its fix, and `run.unknown` makes the command exit 4.
SOURCE = aws_managed_policy_documents()[0]
UNKNOWN_MUTANTS: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    "aws-managed-moto-does-not-ship": (
        lambda values: _set(
            values, DEV, awsManagedPolicies=["arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess_v2"]
        ),
        [
            "DeveloperAccess: AWS managed policy AmazonDynamoDBReadOnlyAccess_v2 (no document in "
            f"{SOURCE}). Fix: install a moto that ships it (the canary extra), or write its statements as "
            "the set's inlineStatements (the canary evaluates those), or remove it"
        ],
    ),
    "customer-managed": (
        lambda values: _set(values, DEV, customerManagedPolicies=[{"name": "team-extra", "path": "/teams/"}]),
        [
            "DeveloperAccess: customer managed policy /teams/team-extra (no document in the config: the "
            "canary cannot read it offline. Fix: write its statements as the set's inlineStatements (the "
            "canary evaluates those), or remove it)"
        ],
    ),
    "not-action": (
        # NotAction "*" allows nothing, so no request leaks: the statement is unknown all the same.
        _inline({"Sid": "AllButAll", "Effect": "Allow", "NotAction": "*", "Resource": "*"}),
        [
            "DeveloperAccess: the NotAction of its statement AllButAll (not enumerated). Fix: name the "
            "actions it allows"
        ],
    ),
    "unknown-service": (
        _inline({"Sid": "Typo", "Effect": "Allow", "Action": "dynamodbb:GetItem", "Resource": "*"}),
        [
            "DeveloperAccess: dynamodbb:GetItem (no such service in "
            f"{iam_action_catalogue().source}). Fix: correct the action's service, or remove it"
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(UNKNOWN_MUTANTS))
def test_what_a_set_carries_and_the_canary_cannot_evaluate_is_unknown(
    name: str, base: dict[str, Any]
) -> None:
    edit, unknown = UNKNOWN_MUTANTS[name]
    values = copy.deepcopy(base)
    edit(values)
    run = canary(values)
    assert (caught(run), run.unknown) == (set(), unknown)
    assert f"Could not evaluate (unknown, so the canary fails): {', '.join(unknown)}." in claim(run)


def test_a_boundary_it_cannot_read_is_a_stated_limit_not_an_unknown(base: dict[str, Any]) -> None:
    # Independent set B13 (benign): a boundary only restricts, so every denial holds without it.
    values = copy.deepcopy(base)
    _set(values, DEV, permissionsBoundary={"customerManagedPolicy": {"name": "DevBoundary"}})
    run = canary(values)
    assert (caught(run), run.unknown) == (set(), [])
    assert run.sets[DEV].not_checked[0] == (
        "permissions boundary /DevBoundary (no document in the config; a boundary only restricts: every "
        "denial above holds without it; the allows are unproven)"
    )


def test_the_demo_three_teams_carry_nothing_unknown(base: dict[str, Any]) -> None:
    assert canary(copy.deepcopy(base)).unknown == []


# --- tag chain mutants: the Okta source of the tag and the teams' members rules -------------------


def _members(team: str, rule: str) -> Callable[[dict[str, Any]], None]:
    return lambda values: values["teams"][team].__setitem__("members", rule)


CHAIN_MUTANTS: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    "tag-sourced-from-department": (
        lambda values: values["okta"]["abacAttributes"].__setitem__("team", "user.department"),
        ["payments", "telemetry"],  # every team holding DeveloperAccess: none pins user.department
    ),
    "a-branch-that-does-not-pin-the-tag": (
        _members("payments", 'user.team == "payments" OR user.department == "Payments"'),
        ["payments"],
    ),
    "benign-a-narrower-rule": (
        _members("payments", 'user.team == "payments" AND user.userType == "employee"'),
        [],
    ),
}


@pytest.mark.parametrize("name", sorted(CHAIN_MUTANTS))
def test_a_tag_chain_mutant_fails_each_team_it_breaks(name: str, base: dict[str, Any]) -> None:
    edit, teams = CHAIN_MUTANTS[name]
    values = copy.deepcopy(base)
    edit(values)
    run = canary(values)
    assert [failure.split(" holds ")[0] for failure in run.chain_failures] == [
        f"tag chain: team {team}" for team in teams
    ]
    assert run.passed == (not teams)


def test_a_team_without_a_pinned_tag_fails_with_its_fix(base: dict[str, Any]) -> None:
    values = copy.deepcopy(base)
    _members("payments", 'user.department == "Payments"')(values)
    assert canary(values).chain_failures == (
        "tag chain: team payments holds an ABAC set on 'team', but its members rule "
        '(user.department == "Payments") does not pin user.team, the Okta source of the session tag '
        "'team': its members carry whatever HR wrote there. Fix: pin it in the rule (user.team == "
        '"<value>" in every branch), or read the tag from the attribute the teams are split on '
        "(frontdoor:okta.abacAttributes.team)",
    )


def test_two_teams_on_one_tag_value_fail(base: dict[str, Any]) -> None:
    values = copy.deepcopy(base)
    _members("telemetry", 'user.team == "payments"')(values)
    assert canary(values).chain_failures == (
        "tag chain: teams payments, telemetry all pin user.team == 'payments', so they share one "
        "partition of 'team'. Fix: give each team its own value",
    )
