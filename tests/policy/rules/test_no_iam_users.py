import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import no_iam_users as rule
from rules._common import IAM_ACCESS_KEY, IAM_LOGIN_PROFILE, IAM_USER

from ..conftest import UNKNOWN, run_resource

CONFIG = {"breakGlassUsers": ["breakglass"]}


def test_break_glass_user_and_its_login_profile_are_compliant() -> None:
    assert run_resource(rule.POLICY, IAM_USER, {"name": "breakglass"}, config=CONFIG) == []
    assert run_resource(rule.POLICY, IAM_LOGIN_PROFILE, {"user": "breakglass"}, config=CONFIG) == []


def test_other_user_is_a_violation() -> None:
    assert run_resource(rule.POLICY, IAM_USER, {"name": "alice"}, config=CONFIG) == [
        'IAM user "alice" is not allowed: humans sign in through Okta and IAM Identity Center; delete the '
        "user, or add it to breakGlassUsers in the pack config if it is the break-glass user"
    ]


def test_default_config_allows_no_user() -> None:
    assert len(run_resource(rule.POLICY, IAM_USER, {"name": "breakglass"})) == 1


def test_login_profile_of_other_user_is_a_violation() -> None:
    assert run_resource(rule.POLICY, IAM_LOGIN_PROFILE, {"user": "alice"}, config=CONFIG) == [
        'IAM login profile for user "alice" is not allowed: only break-glass users may have a console '
        "password; delete the login profile or add the user to breakGlassUsers in the pack config"
    ]


def test_access_key_is_a_violation_even_for_break_glass() -> None:
    assert run_resource(rule.POLICY, IAM_ACCESS_KEY, {"user": "breakglass"}, config=CONFIG) == [
        'IAM access key for user "breakglass" is not allowed, not even for break-glass users (they sign in '
        "with console password + MFA); delete the access key and use Identity Center short-term credentials"
    ]


def test_malformed_config_fails_closed() -> None:
    assert run_resource(rule.POLICY, IAM_USER, {"name": "breakglass"}, config={"breakGlassUsers": "x"}) == [
        "cannot check IAM users: pack config breakGlassUsers must be a list of strings, got 'x'; "
        "fix the pack config"
    ]


def test_unknown_user_name_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_resource(rule.POLICY, IAM_USER, {"name": UNKNOWN}, config=CONFIG)


def test_not_applicable_type() -> None:
    assert run_resource(rule.POLICY, "aws:iam/role:Role", {"name": "alice"}) == []
