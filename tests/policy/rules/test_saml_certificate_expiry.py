from pulumi_policy import EnforcementLevel
from rules import saml_certificate_expiry as rule
from rules._common import OKTA_SAML_APP

from ..conftest import UNKNOWN, Res, run_stack

APP = Res(OKTA_SAML_APP, "aws-identity-center", {"label": "AWS"})
ROTATE = (
    "rotate it in two phases (docs/saml-certificate-rotation.md): generate the new key in Okta without "
    "activating it, import it in Identity Center, then switch the app to it, and update "
    "samlCertificateExpiresOn"
)


def test_far_from_expiry_is_compliant() -> None:
    assert run_stack(rule.POLICY, [APP], {"expiresOn": "2027-03-14", "today": "2026-11-28"}) == []


def test_within_the_warning_window() -> None:
    assert run_stack(rule.POLICY, [APP], {"expiresOn": "2027-03-14", "today": "2027-02-12"}) == [
        (APP.urn, f"SAML signing certificate expires on 2027-03-14, in 30 days; {ROTATE}")
    ]


def test_expired() -> None:
    assert run_stack(rule.POLICY, [APP], {"expiresOn": "2027-03-14", "today": "2027-03-16"}) == [
        (
            APP.urn,
            "SAML signing certificate expired on 2027-03-14 (2 days ago), so every sign-in to AWS through "
            f"Okta fails; {ROTATE}",
        )
    ]


def test_read_from_the_app_keys_where_known() -> None:
    app = Res(
        OKTA_SAML_APP,
        "aws-identity-center",
        {"keys": [{"kid": "a", "expiresAt": "2027-01-10T08:00:00.000Z"}, {"kid": "b", "expiresAt": UNKNOWN}]},
    )
    assert run_stack(rule.POLICY, [app], {"today": "2026-12-01"}) == [
        (app.urn, f"SAML signing certificate expires on 2027-01-10, in 40 days; {ROTATE}")
    ]
    assert run_stack(rule.POLICY, [APP], {"today": "2026-12-01"}) == []


def test_level_is_derived_from_the_date() -> None:
    assert (
        rule.configured_level([], {"expiresOn": "2027-03-14", "today": "2027-03-14"})
        == EnforcementLevel.ADVISORY
    )
    assert (
        rule.configured_level([], {"expiresOn": "2027-03-14", "today": "2027-03-15"})
        == EnforcementLevel.MANDATORY
    )
    assert rule.configured_level(["14/03/2027"], {}) == EnforcementLevel.MANDATORY
    (finding,) = run_stack(rule.POLICY, [APP], {"expiresOn": "14/03/2027"})
    assert finding[1] == (
        "cannot check the SAML certificate expiry: expiresOn '14/03/2027' is not a YYYY-MM-DD date; set it "
        "to the certificate's expiry date"
    )
