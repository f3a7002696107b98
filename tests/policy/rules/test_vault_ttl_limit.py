import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import vault_ttl_limit as rule
from rules._common import VAULT_AWS_ROLE

from ..conftest import UNKNOWN, run_resource


def test_fifteen_minutes_default_one_hour_max_is_compliant() -> None:
    props = {"name": "report", "defaultStsTtl": 900, "maxStsTtl": 3600}
    assert run_resource(rule.POLICY, VAULT_AWS_ROLE, props) == []


def test_a_ttl_over_the_limit_is_a_violation() -> None:
    props = {"name": "report", "defaultStsTtl": 900, "maxStsTtl": 7200}
    assert run_resource(rule.POLICY, VAULT_AWS_ROLE, props) == [
        'Vault AWS role "report" allows sessions of 7200 seconds (max_sts_ttl), over the limit of 3600: STS '
        "credentials cannot be revoked, so keep them short; lower max_sts_ttl"
    ]


def test_the_limit_is_configurable_downward_only() -> None:
    props = {"name": "report", "defaultStsTtl": 900, "maxStsTtl": 3600}
    assert run_resource(rule.POLICY, VAULT_AWS_ROLE, props, config={"maxSeconds": 3600}) == []
    (message,) = run_resource(rule.POLICY, VAULT_AWS_ROLE, props, config={"maxSeconds": 1800})
    assert "over the limit of 1800" in message
    # Role chaining caps Vault's sessions at one hour: the pack cannot be configured above what STS allows.
    assert rule.CONFIG_SCHEMA.properties["maxSeconds"]["maximum"] == 3600


def test_missing_max_and_default_over_max() -> None:
    assert run_resource(rule.POLICY, VAULT_AWS_ROLE, {"name": "r"}) == [
        'Vault AWS role "r" sets no max_sts_ttl, so a caller may ask for up to the target role\'s maximum '
        "session (12 hours); set max_sts_ttl to at most 3600 seconds"
    ]
    assert run_resource(
        rule.POLICY, VAULT_AWS_ROLE, {"name": "r", "defaultStsTtl": 3000, "maxStsTtl": 1800}
    ) == [
        'Vault AWS role "r" issues sessions of 3000 seconds by default (default_sts_ttl), over 1800; lower '
        "default_sts_ttl (900 is frontdoor's default)"
    ]


def test_unknown_ttl_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_resource(rule.POLICY, VAULT_AWS_ROLE, {"maxStsTtl": UNKNOWN})
