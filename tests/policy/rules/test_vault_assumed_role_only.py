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


# --- the mount: no static key (mutant M51) ---------------------------------------------------------
BACKEND = rule.VAULT_AWS_BACKEND


def test_backend_without_a_key_is_compliant() -> None:
    # Benign: what VaultAwsAccess registers (ambient credentials or plugin WIF, no key).
    ambient = {"path": "aws", "region": "us-east-1", "defaultLeaseTtlSeconds": 900}
    federated = {**ambient, "roleArn": "arn:aws:iam::111111111111:role/vault", "identityTokenAudience": "x"}
    assert run_resource(rule.POLICY, BACKEND, ambient) == []
    assert run_resource(rule.POLICY, BACKEND, federated) == []


def test_mutant_m51_backend_with_a_static_key_is_a_violation() -> None:
    props = {"path": "aws", "accessKey": "AKIAIOSFODNN7EXAMPLE", "secretKey": "wJalrXUtnFEMI/K7MDENG"}
    assert run_resource(rule.POLICY, BACKEND, props) == [
        'Vault AWS secret backend "aws" is given a static IAM key (accessKey, secretKey): a long-lived IAM '
        "user key kept in Pulumi state and Vault, which frontdoor promises there is none of; remove "
        "access_key/secret_key and let Vault authenticate as its own role (role_arn) or through plugin WIF "
        "(identity_token_audience)"
    ]
    (write_only,) = run_resource(rule.POLICY, BACKEND, {"path": "aws", "secretKeyWo": UNKNOWN})
    assert "(secretKeyWo)" in write_only
