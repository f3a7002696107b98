import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import vault_assumed_role_only as rule
from rules._common import VAULT_AWS_ROLE

from ..conftest import UNKNOWN, run_resource

ARNS = ["arn:aws:iam::444444444444:role/vault/vault-report"]


def test_assumed_role_with_role_arns_is_compliant() -> None:
    props = {"name": "report", "credentialType": "assumed_role", "roleArns": ARNS}
    assert run_resource(rule.POLICY, VAULT_AWS_ROLE, props) == []


def test_iam_user_is_a_violation() -> None:
    assert run_resource(rule.POLICY, VAULT_AWS_ROLE, {"name": "legacy", "credentialType": "iam_user"}) == [
        'Vault AWS role "legacy" issues "iam_user" credentials; only assumed_role is allowed: iam_user '
        "creates an IAM user and access key per lease, federation_token and session_token need a static IAM "
        'user key for Vault. Set credential_type="assumed_role" with role_arns naming the target roles'
    ]


@pytest.mark.parametrize("credential_type", ["federation_token", "session_token"])
def test_token_types_needing_an_iam_user_key_are_violations(credential_type: str) -> None:
    (message,) = run_resource(rule.POLICY, VAULT_AWS_ROLE, {"name": "r", "credentialType": credential_type})
    assert message.startswith(f'Vault AWS role "r" issues "{credential_type}" credentials; only assumed_role')


def test_assumed_role_without_role_arns_is_a_violation() -> None:
    assert run_resource(rule.POLICY, VAULT_AWS_ROLE, {"name": "r", "credentialType": "assumed_role"}) == [
        'Vault AWS role "r" is assumed_role but names no role_arns: list the target role of every account'
    ]


def test_unknown_credential_type_or_role_arns_defer() -> None:
    with pytest.raises(UnknownValueError):
        run_resource(rule.POLICY, VAULT_AWS_ROLE, {"credentialType": UNKNOWN})
    with pytest.raises(UnknownValueError):
        run_resource(
            rule.POLICY, VAULT_AWS_ROLE, {"name": "r", "credentialType": "assumed_role", "roleArns": UNKNOWN}
        )
