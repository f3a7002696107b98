"""The two explicit providers: each pinned to its account, adaptive retries, roles when configured."""

from __future__ import annotations

import json
from typing import Any

from components.providers import aws_providers
from tests.components.conftest import (
    IDENTITY_CENTER_ACCOUNT,
    MANAGEMENT_ACCOUNT,
    Recorder,
    organization_config,
)

PROVIDER_TYPE = "pulumi:providers:aws"


def _inputs(recorder: Recorder, name: str) -> dict[str, Any]:
    # Provider inputs travel JSON-encoded when they are not strings (the engine's provider config format).
    raw = recorder.by_name(name).inputs
    return {k: (json.loads(v) if isinstance(v, str) and v[:1] in "[{" else v) for k, v in raw.items()}


def test_two_providers_pinned_to_their_accounts(recorder: Recorder) -> None:
    recorder.run(lambda: aws_providers(organization_config()))
    assert {(r.type, r.name) for r in recorder.registrations} == {
        (PROVIDER_TYPE, "aws-management"),
        (PROVIDER_TYPE, "aws-identity-center"),
    }
    management = _inputs(recorder, "aws-management")
    identity_center = _inputs(recorder, "aws-identity-center")
    assert management["allowedAccountIds"] == [MANAGEMENT_ACCOUNT]
    assert identity_center["allowedAccountIds"] == [IDENTITY_CENTER_ACCOUNT]
    for inputs in (management, identity_center):
        assert inputs["region"] == "eu-west-1"
        assert inputs["retryMode"] == "adaptive"
        assert int(inputs["maxRetries"]) == 25


def test_both_providers_assume_the_one_deployer_role(recorder: Recorder) -> None:
    recorder.run(lambda: aws_providers(organization_config()))
    assert _inputs(recorder, "aws-management")["assumeRoles"] == [
        {"roleArn": f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:role/frontdoor-deploy", "sessionName": "frontdoor"}
    ]
    assert _inputs(recorder, "aws-identity-center")["assumeRoles"] == [
        {
            "roleArn": f"arn:aws:iam::{IDENTITY_CENTER_ACCOUNT}:role/frontdoor-deploy",
            "sessionName": "frontdoor",
        }
    ]


def test_max_retries_from_config(recorder: Recorder) -> None:
    org = organization_config(
        max_retries=60, management_role_arn=f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:role/frontdoor-deploy"
    )
    recorder.run(lambda: aws_providers(org))
    management = _inputs(recorder, "aws-management")
    assert int(management["maxRetries"]) == 60
    assert (
        management["assumeRoles"][0]["roleArn"] == f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:role/frontdoor-deploy"
    )
