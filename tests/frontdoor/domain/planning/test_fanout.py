"""OU fan-out: OU paths/ids/accounts/`*` to ACTIVE accounts, exclusions, the management account, errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.model.catalogue import reference_permission_set_values
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.fanout import assignment_name
from frontdoor.domain.planning.organization import Account, OrgSnapshot, OrgUnit
from frontdoor.domain.planning.plan import AccessPlan, plan_access

SOURCE = "stacks/Pulumi.test.yaml"
ROOT = "r-ab12"
MANAGEMENT = "111111111111"
WORKLOADS, DEV, PROD, LEGACY = "ou-ab12-workload", "ou-ab12-dev00001", "ou-ab12-prod0001", "ou-ab12-legacy01"
SANDBOX, EMPTY = "ou-ab12-sandbox1", "ou-ab12-empty001"

SNAPSHOT = OrgSnapshot(
    root_id=ROOT,
    management_account_id=MANAGEMENT,
    ous=(
        OrgUnit(WORKLOADS, "Workloads", "Workloads", ROOT),
        OrgUnit(DEV, "Dev", "Workloads/Dev", WORKLOADS),
        OrgUnit(PROD, "Prod", "Workloads/Prod", WORKLOADS),
        OrgUnit(LEGACY, "Legacy", "Workloads/Prod/Legacy", PROD),
        OrgUnit(SANDBOX, "Sandbox", "Sandbox", ROOT),
        OrgUnit(EMPTY, "Empty", "Empty", ROOT),
    ),
    accounts=(
        Account(MANAGEMENT, "management", "ACTIVE", ""),
        Account("999999999999", "shared", "ACTIVE", ""),
        Account("333333333333", "dev", "ACTIVE", "Workloads/Dev", (WORKLOADS, DEV)),
        Account("333333333334", "dev-old", "SUSPENDED", "Workloads/Dev", (WORKLOADS, DEV)),
        Account("444444444444", "prod", "ACTIVE", "Workloads/Prod", (WORKLOADS, PROD)),
        Account("444444444445", "prod-closing", "PENDING_CLOSURE", "Workloads/Prod", (WORKLOADS, PROD)),
        Account("555555555555", "legacy", "ACTIVE", "Workloads/Prod/Legacy", (WORKLOADS, PROD, LEGACY)),
        Account("666666666666", "sandbox", "ACTIVE", "Sandbox", (SANDBOX,)),
    ),
)


def config(teams: dict[str, Any] | None = None, org_grants: dict[str, Any] | None = None) -> StackConfig:
    return StackConfig.model_validate(
        {
            "organization": {"managementAccountId": MANAGEMENT, "identityCenterAccountId": "222222222222"},
            "okta": {
                "orgName": "example",
                "acsUrl": "https://eu-west-1.signin.aws/platform/saml/acs/x",
                "entityId": "https://eu-west-1.signin.aws/platform/saml/x",
            },
            "permissionSets": reference_permission_set_values(),
            "teams": teams or {},
            "orgGrants": org_grants or {},
        }
    )


def team(grants: dict[str, Any]) -> dict[str, Any]:
    return {"payments": {"members": 'user.department == "Payments"', "grants": grants}}


def accounts(plan: AccessPlan) -> list[list[str]]:
    return [[account.id for account in grant.accounts] for grant in plan.grants]


def error_lines(grants: dict[str, Any] | None = None, org_grants: dict[str, Any] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as error:
        plan_access(config(team(grants) if grants else None, org_grants), SNAPSHOT, SOURCE)
    return [issue.render() for issue in error.value.issues]


def test_nested_ous_reach_every_active_descendant() -> None:
    plan = plan_access(config(team({"DeveloperAccess": ["Workloads"]})), SNAPSHOT, SOURCE)
    assert accounts(plan) == [["333333333333", "444444444444", "555555555555"]]
    (grant,) = plan.grants
    assert (grant.group, grant.permission_set, grant.owner) == (
        "aws-payments-dev",
        "DeveloperAccess",
        "team:payments",
    )
    assert [name for name, _ in grant.assignments] == [
        "aws-payments-dev/DeveloperAccess/333333333333",
        "aws-payments-dev/DeveloperAccess/444444444444",
        "aws-payments-dev/DeveloperAccess/555555555555",
    ]


def test_ou_by_id_and_overlapping_targets_are_deduplicated() -> None:
    plan = plan_access(
        config(team({"DeveloperAccess": [PROD, "Workloads/Prod/Legacy", "555555555555"]})), SNAPSHOT, SOURCE
    )
    assert accounts(plan) == [["444444444444", "555555555555"]]


def test_exclusions_by_ou_and_account() -> None:
    grants = {
        "DeveloperAccess": {
            "targets": ["Workloads", "Sandbox"],
            "exclude": ["Workloads/Prod/Legacy", "333333333333"],
        }
    }
    plan = plan_access(config(team(grants)), SNAPSHOT, SOURCE)
    assert accounts(plan) == [["444444444444", "666666666666"]]


def test_suspended_and_closing_accounts_are_skipped_even_when_named() -> None:
    plan = plan_access(
        config(team({"DeveloperAccess": ["333333333334", "444444444445", "Workloads/Dev"]})), SNAPSHOT, SOURCE
    )
    assert accounts(plan) == [["333333333333"]]


def test_organization_target_excludes_the_management_account_by_default() -> None:
    org: dict[str, dict[str, Any]] = {
        "aws-auditors": {"members": 'user.department == "Audit"', "permissionSet": "BillingViewer"}
    }
    plan = plan_access(config(org_grants=org), SNAPSHOT, SOURCE)
    assert accounts(plan) == [
        ["333333333333", "444444444444", "555555555555", "666666666666", "999999999999"]
    ]
    org["aws-auditors"]["includeManagementAccount"] = True
    plan = plan_access(config(org_grants=org), SNAPSHOT, SOURCE)
    assert accounts(plan)[0][0] == MANAGEMENT


def test_explicit_management_target_needs_the_flag() -> None:
    assert error_lines({"PlatformAdmin": [MANAGEMENT]}) == [
        "stacks/Pulumi.test.yaml: frontdoor:teams.payments.grants.PlatformAdmin.targets[0]: this is the "
        "management account, which grants never reach by default (got '111111111111'). Fix: set "
        "includeManagementAccount: true on this grant if it is really meant"
    ]
    grants = {"BillingViewer": {"targets": [MANAGEMENT], "includeManagementAccount": True}}
    plan = plan_access(config(team(grants)), SNAPSHOT, SOURCE)
    assert accounts(plan) == [[MANAGEMENT]]


def test_management_account_grant_needs_a_set_managed_from_there() -> None:
    grants = {"PlatformAdmin": {"targets": [MANAGEMENT], "includeManagementAccount": True}}
    assert error_lines(grants) == [
        "stacks/Pulumi.test.yaml: frontdoor:teams.payments.grants.PlatformAdmin: a grant on the management "
        "account needs a permission set managed from the management account: the Identity Center delegated "
        "administrator cannot manage permission sets provisioned there (got '111111111111'). Fix: set "
        "managedFromManagementAccount: true on the permission set (it and its assignments are then managed "
        "with the management-account provider), or drop the management account"
    ]


def test_empty_ou_resolves_to_nothing_with_a_warning() -> None:
    plan = plan_access(config(team({"DeveloperAccess": ["Empty"]})), SNAPSHOT, SOURCE)
    assert accounts(plan) == [[]]
    assert plan.assignment_count() == 0
    assert plan.warnings == (
        "frontdoor:teams.payments.grants.DeveloperAccess: grant of DeveloperAccess to aws-payments-dev "
        "reaches no active account",
    )


def test_unknown_ou_path_and_id() -> None:
    assert error_lines(
        {"DeveloperAccess": {"targets": ["Workloads/QA"], "exclude": ["ou-ab12-missing1"]}}
    ) == [
        "stacks/Pulumi.test.yaml: frontdoor:teams.payments.grants.DeveloperAccess.targets[0]: no OU with "
        "this path in the organization (got 'Workloads/QA'). Fix: did you mean Workloads or Workloads/Dev or "
        'Workloads/Prod? (an OU path, an ou-… id, an account id or "*")',
        "stacks/Pulumi.test.yaml: frontdoor:teams.payments.grants.DeveloperAccess.exclude[0]: no OU with "
        "this id in the organization (got 'ou-ab12-missing1'). Fix: use an existing OU path (e.g. Empty, "
        "Sandbox, Workloads, Workloads/Dev, Workloads/Prod, Workloads/Prod/Legacy), an ou-… id, an account "
        'id or "*"',
    ]


def test_unknown_account() -> None:
    assert error_lines({"DeveloperAccess": ["777777777777"]}) == [
        "stacks/Pulumi.test.yaml: frontdoor:teams.payments.grants.DeveloperAccess.targets[0]: no account "
        "with this id in the organization (got '777777777777'). Fix: check the id against the "
        "organization, or target its OU instead"
    ]


def test_every_issue_is_reported_at_once() -> None:
    lines = error_lines({"DeveloperAccess": ["Nowhere"], "ReadOnlyAuditor": [MANAGEMENT]})
    assert [line.split(": ")[1] for line in lines] == [
        "frontdoor:teams.payments.grants.DeveloperAccess.targets[0]",
        "frontdoor:teams.payments.grants.ReadOnlyAuditor.targets[0]",
    ]


def test_groups_and_assignment_names() -> None:
    plan = plan_access(
        config(
            team({"DeveloperAccess": ["Workloads/Dev"], "ReadOnlyAuditor": ["Workloads/Prod"]}),
            {"aws-platform-admin": {"members": 'user.team == "platform"', "permissionSet": "PlatformAdmin"}},
        ),
        SNAPSHOT,
        SOURCE,
    )
    assert [group.name for group in plan.groups] == [
        "aws-payments-dev",
        "aws-payments-readonly",
        "aws-platform-admin",
    ]
    assert [(g.group, g.permission_set) for g in plan.grants] == [
        ("aws-payments-dev", "DeveloperAccess"),
        ("aws-payments-readonly", "ReadOnlyAuditor"),
        ("aws-platform-admin", "PlatformAdmin"),
    ]
    assert assignment_name("aws-payments-dev", "DeveloperAccess", "333333333333") == (
        "aws-payments-dev/DeveloperAccess/333333333333"
    )


def test_unknown_ou_in_an_organization_without_ous() -> None:
    flat = OrgSnapshot(ROOT, MANAGEMENT, (), SNAPSHOT.accounts[:2])
    with pytest.raises(ConfigError) as error:
        plan_access(config(team({"DeveloperAccess": ["Workloads"]})), flat, SOURCE)
    (issue,) = error.value.issues
    assert issue.fix == 'the organization has no OUs: target account ids or "*"'


def test_time_bound_grant_on_both_sides_of_its_last_day() -> None:
    org = {
        "aws-incident-1-admin": {
            "members": 'user.login == "jane@example.com"',
            "permissionSet": "PlatformAdmin",
            "targets": ["Workloads/Prod"],
            "expires": "2026-12-05",
            "ticket": "CHG0041234",
        }
    }
    on_last_day = plan_access(config(org_grants=org), SNAPSHOT, SOURCE, today=dt.date(2026, 12, 5))
    (grant,) = on_last_day.grants
    assert (grant.expired, grant.ticket, grant.expires) == (False, "CHG0041234", dt.date(2026, 12, 5))
    assert [a.id for a in grant.accounts] == ["444444444444", "555555555555"]
    day_after = plan_access(config(org_grants=org), SNAPSHOT, SOURCE, today=dt.date(2026, 12, 6))
    (expired,) = day_after.grants
    assert (expired.expired, expired.accounts) == (True, ())
    assert day_after.warnings == ()  # an expired grant is not an unreachable one
    assert [g.name for g in day_after.groups] == ["aws-incident-1-admin"]  # the group stays on record


def test_time_bound_grant_needs_a_ticket() -> None:
    org = {
        "aws-incident-1-admin": {
            "members": 'user.login == "jane@example.com"',
            "permissionSet": "PlatformAdmin",
            "expires": "2026-12-05",
        }
    }
    with pytest.raises(ValidationError) as error:
        config(org_grants=org)
    (detail,) = error.value.errors()
    assert detail["loc"] == ("orgGrants", "aws-incident-1-admin")
    assert str(detail["ctx"]["error"].problem) == "a time-bound grant needs both expires and ticket"
    assert detail["ctx"]["error"].at == ("ticket",)
