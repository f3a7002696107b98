"""GitHub OIDC trust: exact rendered trust policy, subjects, and every validation message."""

from __future__ import annotations

import pytest

from frontdoor.domain.documents.github_oidc import (
    provider_arn,
    token_subjects,
    trust_policy,
    validate_account_id,
    validate_policy_arn,
    validate_repository,
    validate_role_name,
    validate_session_seconds,
)
from frontdoor.domain.documents.render import render_policy

PROVIDER = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"


def test_provider_arn() -> None:
    assert provider_arn("111111111111") == PROVIDER


def test_trust_policy_exact_document() -> None:
    subjects = token_subjects("acme/frontdoor", branches=("main",), environments=("prod",))
    assert render_policy(trust_policy(PROVIDER, subjects)) == (
        '{"Statement":[{"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":'
        '{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com",'
        '"token.actions.githubusercontent.com:sub":["repo:acme/frontdoor:environment:prod",'
        '"repo:acme/frontdoor:ref:refs/heads/main"]}},"Effect":"Allow","Principal":{"Federated":'
        '"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"},'
        '"Sid":"GitHubActionsOidc"}],"Version":"2012-10-17"}'
    )


def test_subjects_sorted_deduplicated_and_pull_requests() -> None:
    assert token_subjects(
        "acme/frontdoor", branches=("main", "main", "release/2026"), pull_requests=True
    ) == (
        "repo:acme/frontdoor:pull_request",
        "repo:acme/frontdoor:ref:refs/heads/main",
        "repo:acme/frontdoor:ref:refs/heads/release/2026",
    )


@pytest.mark.parametrize("repository", ["acme/*", "*/frontdoor", "*", "acme/front?oor"])
def test_wildcard_repository_is_refused(repository: str) -> None:
    with pytest.raises(ValueError) as error:
        validate_repository(repository)
    assert str(error.value) == (
        f"repository {repository!r} contains a wildcard: a deploy role must trust exactly one repository; "
        'name it as "owner/repo", e.g. "acme/frontdoor"'
    )


@pytest.mark.parametrize("repository", ["acme", "acme/front/door", "/frontdoor", "acme/", "-acme/x", "a b/c"])
def test_malformed_repository_is_refused(repository: str) -> None:
    with pytest.raises(ValueError) as error:
        validate_repository(repository)
    assert str(error.value) == (
        f'repository {repository!r} is not "owner/repo": use the GitHub owner and repository name '
        'separated by one slash, e.g. "acme/frontdoor"'
    )


def test_no_subject_is_refused() -> None:
    with pytest.raises(ValueError) as error:
        token_subjects("acme/frontdoor")
    assert str(error.value) == (
        "the role for 'acme/frontdoor' trusts no branch, environment or pull request, so no workflow "
        'could assume it: set branches=("main",) or environments=("prod",)'
    )


def test_wildcard_branch_and_environment_are_refused() -> None:
    with pytest.raises(ValueError) as error:
        token_subjects("acme/frontdoor", branches=("release/*",))
    assert str(error.value) == (
        "branch 'release/*' contains a wildcard: list each branch by its exact name, e.g. 'main'"
    )
    with pytest.raises(ValueError) as error:
        token_subjects("acme/frontdoor", environments=("*",))
    assert str(error.value) == (
        "environment '*' contains a wildcard: list each environment by its exact name, e.g. 'prod'"
    )


def test_full_ref_and_bad_names_are_refused() -> None:
    with pytest.raises(ValueError) as error:
        token_subjects("acme/frontdoor", branches=("refs/heads/main",))
    assert str(error.value) == (
        "branch 'refs/heads/main' is not a branch name: give the short name (the part after refs/heads/), "
        "e.g. 'main'"
    )
    with pytest.raises(ValueError) as error:
        token_subjects("acme/frontdoor", environments=(" prod",))
    assert str(error.value) == (
        "environment ' prod' is not a valid environment name: use the exact name without surrounding "
        "spaces, control characters or ':', e.g. 'prod'"
    )


def test_scalar_validators() -> None:
    assert validate_session_seconds(3600) == 3600
    with pytest.raises(ValueError) as error:
        validate_session_seconds(60)
    assert str(error.value) == (
        "max_session_duration 60 is outside IAM's range: use seconds between 3600 (1 hour) and "
        "43200 (12 hours)"
    )
    with pytest.raises(ValueError, match="is not a valid IAM role name"):
        validate_role_name("deploy role")
    with pytest.raises(ValueError, match="is not a 12-digit AWS account id"):
        validate_account_id("1234")
    assert validate_policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
    with pytest.raises(ValueError, match="is not an IAM policy ARN"):
        validate_policy_arn("ReadOnlyAccess")
