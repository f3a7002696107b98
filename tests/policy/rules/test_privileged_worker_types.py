import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import privileged_worker_types as rule

from ..conftest import UNKNOWN, run_resource

COMPONENT = "frontdoor:aws:AccountAssignments"
GRANT = {
    "group": "aws-platform-admin",
    "permissionSet": "PlatformAdmin",
    "accountIds": ["100000000102", "100000000199"],
    "deferred": False,
    "expires": None,
    "ticket": None,
    "expired": False,
}
EMPLOYEE = {"login": "ahmed.khan@acme-medical.example", "workerType": "employee", "row": 12}
# As the analyzer receives it: the pack config is a protobuf Struct, its numbers doubles.
CONTRACTOR = {"login": "dara.garcia@acme-medical.example", "workerType": "contractor", "row": 225.0}
ALLOWED = {"PlatformAdmin": ["employee"], "ReadOnlyAuditor": ["employee", "contractor"]}


def config(members: dict[str, list[dict[str, object]]]) -> dict[str, object]:
    return {"allowedWorkerTypes": ALLOWED, "groupMembers": members, "hrExport": "stacks/people.demo.csv"}


def test_employees_only_in_a_privileged_group_is_compliant() -> None:
    assert (
        run_resource(rule.POLICY, COMPONENT, GRANT, config=config({"aws-platform-admin": [EMPLOYEE]})) == []
    )


def test_a_contractor_in_an_employees_only_group_is_named() -> None:
    members = {"aws-platform-admin": [EMPLOYEE, CONTRACTOR]}
    assert run_resource(rule.POLICY, COMPONENT, GRANT, config=config(members)) == [
        "aws-platform-admin grants PlatformAdmin on 2 account(s); PlatformAdmin is for employee only, and "
        "the group's rule puts 1 other HR record(s) of stacks/people.demo.csv in it: "
        "dara.garcia@acme-medical.example (contractor, row 225); narrow the rule (e.g. AND user.userType "
        '== "employee") or allow the worker type in frontdoor:people.privilegedWorkerTypes.PlatformAdmin'
    ]


def test_an_allowed_worker_type_and_a_set_that_is_not_privileged_pass() -> None:
    auditors = {**GRANT, "group": "aws-security-auditors", "permissionSet": "ReadOnlyAuditor"}
    members = {"aws-security-auditors": [CONTRACTOR], "aws-payments-dev": [CONTRACTOR]}
    assert run_resource(rule.POLICY, COMPONENT, auditors, config=config(members)) == []
    developers = {**GRANT, "group": "aws-payments-dev", "permissionSet": "DeveloperAccess"}
    assert run_resource(rule.POLICY, COMPONENT, developers, config=config(members)) == []


def test_a_grant_that_reaches_no_account_grants_nothing() -> None:
    expired = {**GRANT, "accountIds": [], "expired": True}
    assert (
        run_resource(rule.POLICY, COMPONENT, expired, config=config({"aws-platform-admin": [CONTRACTOR]}))
        == []
    )


def test_a_privileged_group_without_members_in_the_config_fails_closed() -> None:
    assert run_resource(rule.POLICY, COMPONENT, GRANT, config=config({})) == [
        "aws-platform-admin grants PlatformAdmin (for employee only) on 2 account(s), but the people "
        "policy's config lists no HR members for aws-platform-admin (stacks/people.demo.csv), so the pack "
        "cannot prove who is in it; declare the group in the stack file and regenerate the pack config "
        "(frontdoor policy-config)"
    ]


def test_without_frontdoor_people_there_is_nothing_to_judge() -> None:
    assert run_resource(rule.POLICY, COMPONENT, GRANT, config={"allowedWorkerTypes": ALLOWED}) == []
    assert run_resource(rule.POLICY, COMPONENT, GRANT) == []


def test_a_malformed_config_fails_closed() -> None:
    bad = {"allowedWorkerTypes": ALLOWED, "groupMembers": {"aws-platform-admin": [{"login": "x"}]}}
    assert run_resource(rule.POLICY, COMPONENT, GRANT, config=bad) == [
        "cannot check the people policy: pack config groupMembers must map groups to lists of "
        "{login, workerType, row} records; regenerate it with frontdoor policy-config"
    ]


def test_other_resources_are_not_judged() -> None:
    members = config({"aws-platform-admin": [CONTRACTOR]})
    assert (
        run_resource(rule.POLICY, "aws:ssoadmin/accountAssignment:AccountAssignment", GRANT, config=members)
        == []
    )


@pytest.mark.parametrize("key", ["group", "permissionSet"])
def test_an_unknown_group_or_set_defers(key: str) -> None:
    with pytest.raises(UnknownValueError):
        run_resource(
            rule.POLICY, COMPONENT, {**GRANT, key: UNKNOWN}, config=config({"aws-platform-admin": [EMPLOYEE]})
        )
