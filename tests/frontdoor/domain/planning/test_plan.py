"""The one plan: warnings that reach the user, Python declarations validated together, one "deferred"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.model.grants import OrgGrant, TeamConfig
from frontdoor.domain.planning.declarations import DeclaredOrgGrant, DeclaredTeam
from frontdoor.domain.planning.fanout import GroupGrant
from frontdoor.domain.planning.organization import IdentityCenterInstance, StackReads
from frontdoor.domain.planning.plan import is_deferred, plan_stack
from tests.frontdoor.domain.planning.test_fanout import SNAPSHOT, SOURCE, config

TODAY = dt.date(2026, 6, 1)
DEV_ONLY = {"members": 'user.team == "a"', "grants": {"DeveloperAccess": ["Workloads/Dev"]}}
INSTANCE = IdentityCenterInstance("arn:aws:sso:::instance/ssoins-1234567890abcdef", "d-1234567890")


def reads(synced: dict[str, str] | None = None) -> StackReads:
    """The organization of test_fanout, with the groups SCIM has synced (none by default)."""
    return StackReads(SNAPSHOT, INSTANCE, synced or {})


def test_a_grant_reaching_no_account_and_an_exclude_of_everything_are_warned() -> None:
    plan = plan_stack(
        config(
            teams={"ghost": {"members": 'user.team == "g"', "grants": {"ReadOnlyAuditor": ["Empty"]}}},
            org_grants={
                "aws-nobody": {
                    "members": 'user.team == "n"',
                    "permissionSet": "ReadOnlyAuditor",
                    "targets": ["*"],
                    "exclude": ["*"],
                }
            },
        ),
        reads(),
        SOURCE,
        TODAY,
    )
    assert plan.warnings == (
        "frontdoor:teams.ghost.grants.ReadOnlyAuditor: grant of ReadOnlyAuditor to aws-ghost-readonly "
        "reaches no active account",
        "frontdoor:orgGrants.aws-nobody.exclude: '*' excludes every account, so the grant of "
        "ReadOnlyAuditor to aws-nobody reaches nothing; remove the grant, or exclude only the accounts "
        "or OUs meant",
    )


def test_an_expired_grant_is_not_warned_and_never_deferred() -> None:
    expired: dict[str, Any] = {
        "members": 'user.login == "x"',
        "permissionSet": "PlatformAdmin",
        "targets": ["333333333333"],
        "expires": "2026-05-31",
        "ticket": "CHG1",
    }
    plan = plan_stack(config(org_grants={"aws-incident-admin": expired}), reads(), SOURCE, TODAY)
    (grant,) = plan.grants
    assert (grant.expired, grant.accounts, plan.warnings) == (True, (), ())
    # Its group is not synced: it still has nothing to assign, so it is not deferred.
    assert not is_deferred(grant, {})
    assert (grant.deferred, plan.deferred_groups) == (False, ())
    synced = plan_stack(
        config(org_grants={"aws-incident-admin": expired}),
        reads({"aws-incident-admin": "g-1"}),
        SOURCE,
        TODAY,
    )
    assert synced.assignment_count == 0


def test_deferred_is_an_unsynced_group_with_a_live_grant() -> None:
    plan = plan_stack(config(teams={"a": DEV_ONLY}), reads(), SOURCE, TODAY)
    (grant,) = plan.grants
    assert (
        isinstance(grant, GroupGrant)
        and is_deferred(grant, {})
        and not is_deferred(grant, {grant.group: "g"})
    )
    # Decided once, by the plan, with the groups it read: the grant carries it.
    assert (grant.deferred, grant.principal_id, plan.deferred_groups) == (True, None, ("aws-a-dev",))
    assert plan.assignment_count == 0
    synced = plan_stack(config(teams={"a": DEV_ONLY}), reads({"aws-a-dev": "g"}), SOURCE, TODAY)
    (grant,) = synced.grants
    assert (grant.deferred, grant.principal_id, synced.deferred_groups) == (False, "g", ())
    assert synced.assignment_count == 1


def test_declared_teams_are_planned_like_the_stack_files_and_every_problem_is_reported() -> None:
    plan = plan_stack(config(teams={"a": DEV_ONLY}), reads(), SOURCE, TODAY)
    good = DeclaredTeam("b", TeamConfig.model_validate(DEV_ONLY), "TeamAccess('b')")
    extended = plan.with_declared([good])
    assert sorted(extended.teams) == ["a", "b"] and extended.teams["b"].source == "TeamAccess('b')"
    assert [g.name for g in extended.groups] == ["aws-a-dev", "aws-b-dev"]
    # A declared team's grants are settled with the same reads: unsynced, so deferred.
    assert extended.deferred_groups == ("aws-a-dev", "aws-b-dev")
    assert plan.with_declared() is plan
    bad_target = DeclaredTeam(
        "c",
        TeamConfig.model_validate(
            {"members": 'user.team == "c"', "grants": {"DeveloperAccess": ["Nowhere"]}}
        ),
        "TeamAccess('c')",
    )
    twice = DeclaredTeam("a", TeamConfig.model_validate(DEV_ONLY), "TeamAccess('a')")
    grabbing = DeclaredOrgGrant(
        "aws-b-dev",
        OrgGrant.model_validate({"members": 'user.team == "z"', "permissionSet": "ReadOnlyAuditor"}),
        "OrganizationAccess('aws-b-dev')",
    )
    with pytest.raises(ConfigError) as raised:
        plan.with_declared([good, twice, bad_target], [grabbing])
    assert raised.value.render().splitlines() == [
        f"{SOURCE}: TeamAccess('a'): declared twice in one stack (got 'team:a'). Fix: declare each team once",
        "OrganizationAccess('aws-b-dev'): frontdoor:orgGrants.aws-b-dev: group 'aws-b-dev' is already "
        "owned by team b (got 'aws-b-dev'). Fix: rename the team or the tier so that each group has one "
        "owner",
    ]
    # Targets are resolved once references and ownership hold.
    with pytest.raises(ConfigError) as raised:
        plan.with_declared([bad_target])
    assert raised.value.render().startswith(
        "TeamAccess('c'): frontdoor:teams.c.grants.DeveloperAccess.targets[0]: no OU with this path in the "
        "organization (got 'Nowhere')."
    )


def test_a_granted_set_with_an_s3_grant_through_bucket_tags_is_warned_once() -> None:
    # The precondition (S3 reads a bucket's tags only with ABAC on) is stated by every preview of a
    # stack that grants the set, whether a stack file or a Python declaration grants it.
    warning = (
        "frontdoor:permissionSets.DeveloperAccess: statement TeamScopedByAbac grants S3 actions only "
        "through the bucket tag condition aws:ResourceTag/team, and S3 reads a general purpose bucket's tags "
        "only once ABAC is enabled on it (off by default), so on a bucket without ABAC it grants nothing; "
        "fix: the bucket owner enables ABAC on each bucket this set should reach (aws s3api put-bucket-abac "
        "--bucket <bucket> --abac-status Status=Enabled) and from then on tags it with s3control "
        'tag-resource, since PutBucketTagging stops working (README "ABAC, end to end")'
    )
    assert plan_stack(config(teams={"a": DEV_ONLY}), reads(), SOURCE, TODAY).warnings == (warning,)
    declared = DeclaredTeam("b", TeamConfig.model_validate(DEV_ONLY), "TeamAccess('b')")
    assert plan_stack(config(), reads(), SOURCE, TODAY).with_declared([declared]).warnings == (warning,)
    twice = plan_stack(config(teams={"a": DEV_ONLY}), reads(), SOURCE, TODAY).with_declared([declared])
    assert twice.warnings == (warning,)
