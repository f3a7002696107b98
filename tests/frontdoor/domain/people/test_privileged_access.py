"""The people policy over one person's reach: privileged sets only, counted by account, judged by type."""

from __future__ import annotations

from frontdoor.domain.people.privileged_access import PrivilegedReach, privileged_reach

ALLOWED = {"PlatformAdmin": ("employee",), "ReadOnlyAuditor": ("employee", "contractor")}
REACH = [
    ("PlatformAdmin", "100000000001"),
    ("PlatformAdmin", "100000000002"),
    ("ReadOnlyAuditor", "100000000001"),
    ("DeveloperAccess", "100000000003"),
]


def test_a_contractor_with_platform_admin_is_a_violation_and_read_only_is_allowed() -> None:
    assert privileged_reach("contractor", REACH, ALLOWED) == (
        PrivilegedReach("PlatformAdmin", 2, ("employee",), "contractor"),
        PrivilegedReach("ReadOnlyAuditor", 1, ("employee", "contractor"), "contractor"),
    )
    platform, auditor = privileged_reach("contractor", REACH, ALLOWED)
    assert (platform.permitted, auditor.permitted) == (False, True)
    assert platform.sentence() == (
        "people policy violated: PlatformAdmin on 2 account(s) is for employee only, and this person is a "
        "contractor"
    )
    assert auditor.sentence() == (
        "ReadOnlyAuditor on 1 account(s): privileged, allowed for employee, contractor "
        "(frontdoor:people.privilegedWorkerTypes)"
    )


def test_an_employee_is_permitted_and_unprivileged_sets_are_not_listed() -> None:
    assert all(p.permitted for p in privileged_reach("employee", REACH, ALLOWED))
    assert privileged_reach("contractor", [("DeveloperAccess", "1")], ALLOWED) == ()
    assert privileged_reach("contractor", REACH, {}) == ()
