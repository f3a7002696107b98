"""The deployer is one fact: every ARN that means "whoever deploys this stack" derives from one name."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from frontdoor.domain.documents.deployer import Deployer, self_assume_statement
from frontdoor.domain.model.organization import OrganizationConfig

ORG: dict[str, Any] = {"managementAccountId": "111111111111", "identityCenterAccountId": "222222222222"}


def test_every_arn_derives_from_the_role_name() -> None:
    deployer = Deployer(
        role_name="ci", management_account_id="111111111111", identity_center_account_id="222222222222"
    )
    assert deployer.management_role_arn == "arn:aws:iam::111111111111:role/ci"
    assert deployer.identity_center_role_arn == "arn:aws:iam::222222222222:role/ci"
    assert deployer.exempt_arns() == ("arn:aws:iam::111111111111:role/ci",)
    assert self_assume_statement(deployer) == {
        "Sid": "DeployerAssumesItself",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
        "Action": "sts:AssumeRole",
        "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/ci"}},
    }


def test_the_default_deployer_and_matching_explicit_arns_are_accepted() -> None:
    config = OrganizationConfig.model_validate(
        {**ORG, "managementRoleArn": "arn:aws:iam::111111111111:role/frontdoor-deploy"}
    )
    assert config.deployer_role_name == "frontdoor-deploy"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("managementRoleArn", "arn:aws:iam::111111111111:role/frontdoor-github-deploy"),
        ("identityCenterRoleArn", "arn:aws:iam::222222222222:role/someone-else"),
    ],
)
def test_a_second_spelling_of_the_deployer_is_refused(key: str, value: str) -> None:
    with pytest.raises(ValidationError) as error:
        OrganizationConfig.model_validate({**ORG, key: value})
    message = str(error.value)
    assert f"{key} is not the deployer role" in message
    assert "set organization.deployerRoleName" in message
