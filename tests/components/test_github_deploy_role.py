"""GitHubDeployRole: OIDC provider, pinned trust, policy attachments, protection, eager validation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.github_deploy_role import GitHubDeployRole, GitHubDeployRoleArgs
from tests.components.conftest import MANAGEMENT_ACCOUNT, Recorder, make_providers, provider_ref

COMPONENT = "frontdoor:aws:GitHubDeployRole"
OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
PROVIDER_ARN = f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
INLINE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}],
}


def _args(**overrides: Any) -> GitHubDeployRoleArgs:
    values: dict[str, Any] = {
        "repository": "acme/frontdoor",
        "account_id": MANAGEMENT_ACCOUNT,
        "provider": make_providers().management,
        "environments": ("prod",),
        "managed_policy_arns": (
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:policy/frontdoor-deploy",
        ),
        "inline_policy": INLINE,
    }
    values.update(overrides)
    return GitHubDeployRoleArgs(**values)


def test_children(recorder: Recorder) -> None:
    component = recorder.run(lambda: GitHubDeployRole("deploy", _args()))
    assert recorder.children_of(recorder.one(COMPONENT)) == {
        (OIDC, "deploy/oidc-provider"),
        (ROLE, "deploy"),
        (ATTACHMENT, "deploy/ReadOnlyAccess"),
        (ATTACHMENT, "deploy/frontdoor-deploy"),
        (ROLE_POLICY, "deploy/inline"),
    }
    assert component.role_name == "frontdoor-github-deploy"
    assert component.oidc_provider_arn == PROVIDER_ARN
    assert component.subjects == ("repo:acme/frontdoor:environment:prod",)


def test_oidc_provider_inputs(recorder: Recorder) -> None:
    recorder.run(lambda: GitHubDeployRole("deploy", _args()))
    provider = recorder.one(OIDC)
    assert provider.inputs == {
        "url": "https://token.actions.githubusercontent.com",
        "clientIdLists": ["sts.amazonaws.com"],
    }
    assert provider.protect
    assert provider.provider == provider_ref(recorder, "aws-management")


def test_role_trust_is_pinned(recorder: Recorder) -> None:
    recorder.run(lambda: GitHubDeployRole("deploy", _args(branches=("main",))))
    role = recorder.one(ROLE)
    assert role.protect
    assert role.provider == provider_ref(recorder, "aws-management")
    assert recorder.by_name("deploy/oidc-provider").urn in role.dependencies
    assert role.inputs["name"] == "frontdoor-github-deploy"
    assert role.inputs["maxSessionDuration"] == 3600
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"] == [
        {
            "Sid": "GitHubActionsOidc",
            "Effect": "Allow",
            "Principal": {"Federated": PROVIDER_ARN},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": [
                        "repo:acme/frontdoor:environment:prod",
                        "repo:acme/frontdoor:ref:refs/heads/main",
                    ],
                }
            },
        }
    ]
    assert "\n" not in role.inputs["assumeRolePolicy"]


def test_policies(recorder: Recorder) -> None:
    recorder.run(lambda: GitHubDeployRole("deploy", _args()))
    attachments = {a.name: a.inputs for a in recorder.of_type(ATTACHMENT)}
    assert attachments == {
        "deploy/ReadOnlyAccess": {
            "role": "frontdoor-github-deploy",
            "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
        },
        "deploy/frontdoor-deploy": {
            "role": "frontdoor-github-deploy",
            "policyArn": f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:policy/frontdoor-deploy",
        },
    }
    inline = recorder.one(ROLE_POLICY)
    assert inline.inputs == {
        "name": "frontdoor-deploy",
        "role": "frontdoor-github-deploy",
        "policy": '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Resource":"*"}],'
        '"Version":"2012-10-17"}',
    }


def test_existing_provider_is_reused(recorder: Recorder) -> None:
    recorder.run(
        lambda: GitHubDeployRole(
            "preview",
            _args(create_oidc_provider=False, pull_requests=True, environments=(), inline_policy=None),
        )
    )
    assert recorder.of_type(OIDC) == []
    trust = json.loads(recorder.one(ROLE).inputs["assumeRolePolicy"])
    condition = trust["Statement"][0]["Condition"]["StringEquals"]
    assert condition["token.actions.githubusercontent.com:sub"] == ["repo:acme/frontdoor:pull_request"]
    assert trust["Statement"][0]["Principal"] == {"Federated": PROVIDER_ARN}


def test_unprotected(recorder: Recorder) -> None:
    recorder.run(lambda: GitHubDeployRole("deploy", _args(protect=False)))
    assert {r.protect for r in recorder.registrations if r.custom and r.type in (OIDC, ROLE)} == {False}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"repository": "acme/*"},
            "repository 'acme/*' contains a wildcard: a deploy role must trust exactly one repository; "
            'name it as "owner/repo", e.g. "acme/frontdoor"',
        ),
        (
            {"environments": ()},
            "the role for 'acme/frontdoor' trusts no branch, environment or pull request, so no workflow "
            'could assume it: set branches=("main",) or environments=("prod",)',
        ),
        (
            {"max_session_duration": 86400},
            "max_session_duration 86400 is outside IAM's range: use seconds between 3600 (1 hour) and "
            "43200 (12 hours)",
        ),
        (
            {
                "managed_policy_arns": (
                    "arn:aws:iam::aws:policy/ReadOnlyAccess",
                    f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:policy/ReadOnlyAccess",
                )
            },
            "managed policies 'arn:aws:iam::aws:policy/ReadOnlyAccess' and "
            f"'arn:aws:iam::{MANAGEMENT_ACCOUNT}:policy/ReadOnlyAccess' share the name 'ReadOnlyAccess': "
            "list each policy once",
        ),
    ],
)
def test_bad_args_raise_before_any_registration(
    recorder: Recorder, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError) as error:
        recorder.run(lambda: GitHubDeployRole("deploy", _args(**overrides)))
    assert str(error.value) == message
    assert [r for r in recorder.registrations if r.type == COMPONENT] == []
