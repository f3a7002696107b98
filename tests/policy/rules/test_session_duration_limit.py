import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import session_duration_limit as rule
from rules._common import PERMISSION_SET

from ..conftest import UNKNOWN, run_resource

COMPLIANT = {
    "name": "DeveloperAccess",
    "sessionDuration": "PT8H",
    "instanceArn": "arn:aws:sso:::instance/ssoins-1",
}


def run(props: dict[str, object], config: dict[str, object] | None = None) -> list[str]:
    return run_resource(rule.POLICY, PERMISSION_SET, props, config=config, name="developer")


def test_compliant() -> None:
    assert run(COMPLIANT) == []


def test_absent_duration_is_the_aws_default_one_hour() -> None:
    assert run({"name": "DeveloperAccess"}) == []


def test_above_configured_cap() -> None:
    assert run(COMPLIANT, {"maxHours": 4}) == [
        'permission set "DeveloperAccess" has sessionDuration PT8H, above the 4h cap; set session_duration '
        "to at most PT4H or raise maxHours in the pack config"
    ]


def test_per_permission_set_cap() -> None:
    assert run(COMPLIANT, {"perPermissionSet": {"DeveloperAccess": 2}}) == [
        'permission set "DeveloperAccess" has sessionDuration PT8H, above the 2h cap; set session_duration '
        "to at most PT2H or raise perPermissionSet.DeveloperAccess in the pack config"
    ]
    assert run(COMPLIANT, {"maxHours": 2, "perPermissionSet": {"DeveloperAccess": 8}}) == []


def test_above_aws_maximum() -> None:
    assert run({**COMPLIANT, "sessionDuration": "PT14H"}) == [
        'permission set "DeveloperAccess" has sessionDuration PT14H, above the 12h AWS maximum; set '
        "session_duration to at most PT12H"
    ]


def test_below_aws_minimum() -> None:
    assert run({**COMPLIANT, "sessionDuration": "PT30M"}) == [
        'permission set "DeveloperAccess" has sessionDuration PT30M, below the 1h AWS minimum; set '
        "session_duration to at least PT1H"
    ]


def test_not_in_the_hours_and_minutes_form() -> None:
    for duration in ("8h", "P1D", "PT30S"):  # P1D and PT30S are ISO-8601, but not the form the rule reads
        assert run({**COMPLIANT, "sessionDuration": duration}) == [
            f'permission set "DeveloperAccess" has sessionDuration "{duration}", which is not in the '
            "PT<hours>H<minutes>M form this rule reads (days, weeks, seconds and fractions are not read; "
            "Identity Center allows 1-12 hours); use e.g. PT8H"
        ]


def test_malformed_config_fails_closed() -> None:
    assert run(COMPLIANT, {"maxHours": "eight"}) == [
        'cannot check permission set "DeveloperAccess": pack config maxHours must be a number, got '
        "'eight'; fix the pack config"
    ]


def test_unknown_duration_defers() -> None:
    with pytest.raises(UnknownValueError):
        run({**COMPLIANT, "sessionDuration": UNKNOWN})


def test_not_applicable_type() -> None:
    assert (
        run_resource(
            rule.POLICY,
            "aws:ssoadmin/accountAssignment:AccountAssignment",
            COMPLIANT | {"sessionDuration": "x"},
        )
        == []
    )
