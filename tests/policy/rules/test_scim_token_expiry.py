import datetime

import pytest
from pulumi_policy import EnforcementLevel
from pulumi_policy.proxy import UnknownValueError
from rules import scim_token_expiry as rule
from rules._common import SCIM_PROVISIONING

from ..conftest import UNKNOWN, Res, run_stack

SCIM = Res(SCIM_PROVISIONING, "scim", {"tokenExpiresOn": "2026-06-30"})
ROTATE = (
    "generate a new token in the Identity Center console, paste it into the Okta app's provisioning "
    "settings, and update tokenExpiresOn"
)


def test_far_from_expiry_is_compliant() -> None:
    assert run_stack(rule.POLICY, [SCIM], {"today": "2026-01-01"}) == []


def test_within_warning_window() -> None:
    assert run_stack(rule.POLICY, [SCIM], {"today": "2026-06-20"}) == [
        (SCIM.urn, f"SCIM bearer token expires on 2026-06-30, in 10 days; {ROTATE}")
    ]


def test_warn_days_is_configurable() -> None:
    assert run_stack(rule.POLICY, [SCIM], {"today": "2026-06-20", "warnDays": 5}) == []


def test_expired() -> None:
    assert run_stack(rule.POLICY, [SCIM], {"today": "2026-07-03"}) == [
        (
            SCIM.urn,
            "SCIM bearer token expired on 2026-06-30 (3 days ago), so Okta no longer provisions users and "
            f"groups to Identity Center; {ROTATE}",
        )
    ]


def test_config_expires_on_overrides_the_component(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rule, "clock", lambda: datetime.date(2026, 6, 29))
    assert run_stack(rule.POLICY, [SCIM], {"expiresOn": "2027-01-01"}) == []
    assert len(run_stack(rule.POLICY, [SCIM])) == 1


def test_levels_are_derived_from_the_date() -> None:
    assert rule.configured_level(["2026-06-30"], {"today": "2026-06-20"}) == EnforcementLevel.ADVISORY
    assert rule.configured_level(["2026-06-30"], {"today": "2026-06-30"}) == EnforcementLevel.ADVISORY
    assert rule.configured_level(["2026-06-30"], {"today": "2026-07-01"}) == EnforcementLevel.MANDATORY
    assert rule.configured_level(["30/06/2026"], {}) == EnforcementLevel.MANDATORY


def test_malformed_date_fails_closed() -> None:
    bad = Res(SCIM_PROVISIONING, "scim", {"tokenExpiresOn": "30/06/2026"})
    assert run_stack(rule.POLICY, [bad], {"today": "2026-01-01"}) == [
        (
            bad.urn,
            "cannot check the SCIM token expiry: tokenExpiresOn '30/06/2026' is not a YYYY-MM-DD date; set "
            "it to the token's expiry date",
        )
    ]


def test_unknown_expiry_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [Res(SCIM_PROVISIONING, "scim", {"tokenExpiresOn": UNKNOWN})])


def test_no_token_is_not_applicable() -> None:
    assert run_stack(rule.POLICY, [Res("okta:group/group:Group", "g", {})], {"today": "2026-01-01"}) == []
