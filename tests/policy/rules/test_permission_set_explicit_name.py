from rules import permission_set_explicit_name as rule
from rules._common import OKTA_GROUP, ORG_POLICY, PERMISSION_SET

from ..conftest import UNKNOWN, run_resource


def test_explicit_names_are_compliant() -> None:
    assert run_resource(rule.POLICY, PERMISSION_SET, {"name": "DeveloperAccess"}, name="developer") == []
    assert run_resource(rule.POLICY, ORG_POLICY, {"name": "deny-iam-users"}, name="deny-iam-users") == []
    assert run_resource(rule.POLICY, OKTA_GROUP, {"name": "aws-payments-dev"}, name="payments-dev") == []


def test_missing_name() -> None:
    assert run_resource(rule.POLICY, PERMISSION_SET, {}, name="developer") == [
        'permission set "developer" has no explicit name, so Pulumi autonames it "developer-<random>"; pass '
        "name= explicitly"
    ]


def test_empty_name() -> None:
    assert len(run_resource(rule.POLICY, OKTA_GROUP, {"name": ""}, name="payments-dev")) == 1


def test_autonamed_name() -> None:
    assert run_resource(rule.POLICY, OKTA_GROUP, {"name": "payments-dev-1a2b3c4"}, name="payments-dev") == [
        'Okta group name "payments-dev-1a2b3c4" looks autonamed from the logical name "payments-dev"; pass '
        "name= explicitly so the name stays stable across replacements"
    ]


def test_unknown_name_is_accepted_as_explicit() -> None:
    assert run_resource(rule.POLICY, PERMISSION_SET, {"name": UNKNOWN}, name="developer") == []


def test_not_applicable_type() -> None:
    assert run_resource(rule.POLICY, "aws:iam/role:Role", {}, name="role") == []
