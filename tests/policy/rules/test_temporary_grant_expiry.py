import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import temporary_grant_expiry as rule

from ..conftest import UNKNOWN, run_resource

COMPONENT = "frontdoor:aws:AccountAssignments"
COMPLIANT = {
    "group": "aws-incident-4711-admin",
    "permissionSet": "PlatformAdmin",
    "accountIds": ["100000002009"],
    "deferred": False,
    "expires": "2026-12-05",
    "ticket": "CHG0041234",
    "expired": False,
}
ON = {"today": "2026-12-05"}


def test_standing_grant_and_last_valid_day_pass() -> None:
    standing = {**COMPLIANT, "expires": None, "ticket": None}
    assert run_resource(rule.POLICY, COMPONENT, standing, config=ON) == []
    assert run_resource(rule.POLICY, COMPONENT, COMPLIANT, config=ON) == []


def test_the_day_after_expiry_is_reported() -> None:
    assert run_resource(rule.POLICY, COMPONENT, COMPLIANT, config={"today": "2026-12-06"}) == [
        "time-bound grant of PlatformAdmin to 'aws-incident-4711-admin' (ticket CHG0041234) expired on "
        "2026-12-05 and is still in the stack config; its assignments are no longer planned: remove the "
        "grant from the config (or extend expires under a new ticket)"
    ]


def test_today_defaults_to_the_pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDOOR_TODAY", "2027-01-01")
    assert len(run_resource(rule.POLICY, COMPONENT, COMPLIANT)) == 1
    monkeypatch.setenv("FRONTDOOR_TODAY", "2026-11-28")
    assert run_resource(rule.POLICY, COMPONENT, COMPLIANT) == []


def test_malformed_date_fails_closed() -> None:
    assert run_resource(rule.POLICY, COMPONENT, {**COMPLIANT, "expires": "next week"}, config=ON) == [
        "time-bound grant of PlatformAdmin to 'aws-incident-4711-admin': expires 'next week' is not a "
        "YYYY-MM-DD date; fix the date in the stack config"
    ]


def test_unknown_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_resource(rule.POLICY, COMPONENT, {**COMPLIANT, "expires": UNKNOWN}, config=ON)


def test_not_applicable_type() -> None:
    assert run_resource(rule.POLICY, "aws:ssoadmin/accountAssignment:AccountAssignment", COMPLIANT) == []
