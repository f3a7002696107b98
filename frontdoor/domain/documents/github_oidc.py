"""GitHub Actions OIDC trust for the CI deploy role: validation, token subjects, the trust policy.

A role that trusts `token.actions.githubusercontent.com` trusts every workflow on GitHub unless its
trust policy pins the token's `sub` claim to one repository: `repo:OWNER/REPO:ref:refs/heads/main`
for a branch, `repo:OWNER/REPO:environment:prod` for a deployment environment (whatever event ran
the job), `repo:OWNER/REPO:pull_request` for pull requests. The audience is pinned to
`sts.amazonaws.com`, the value `aws-actions/configure-aws-credentials` requests. Every subject here
is exact, so the document uses `StringEquals` only: no wildcard ever reaches a trust policy built by
this module (the `github-oidc-trust-pinned` policy rule checks roles built any other way).
Documents are rendered minified with sorted keys, like every policy in frontdoor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from frontdoor.domain.base.aws_ids import ACCOUNT_ID

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
GITHUB_OIDC_URL = f"https://{GITHUB_OIDC_HOST}"
STS_AUDIENCE = "sts.amazonaws.com"
AUDIENCE_KEY = f"{GITHUB_OIDC_HOST}:aud"
SUBJECT_KEY = f"{GITHUB_OIDC_HOST}:sub"
ASSUME_ACTION = "sts:AssumeRoleWithWebIdentity"
# IAM role session limits (seconds): 1 hour to 12 hours.
MIN_SESSION_SECONDS = 3600
MAX_SESSION_SECONDS = 43200

# GitHub owner (user or organization) names: alphanumerics and single hyphens, at most 39 characters.
_OWNER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
# GitHub repository names: alphanumerics, '.', '-' and '_', at most 100 characters.
_REPO = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
_WILDCARDS = ("*", "?")
ROLE_NAME_RE = re.compile(r"^[A-Za-z0-9_+=,.@-]{1,64}$")
POLICY_ARN_RE = re.compile(r"^arn:aws(-[a-z]+)*:iam::(aws|[0-9]{12}):policy/\S+$")


def provider_arn(account_id: str, partition: str = "aws") -> str:
    """The ARN IAM gives the GitHub OIDC provider in `account_id` (one per URL per account)."""
    return f"arn:{partition}:iam::{account_id}:oidc-provider/{GITHUB_OIDC_HOST}"


def validate_repository(repository: str) -> str:
    """`owner/repo`, exactly one repository; ValueError naming the fix otherwise."""
    if any(w in repository for w in _WILDCARDS):
        raise ValueError(
            f"repository {repository!r} contains a wildcard: a deploy role must trust exactly one "
            'repository; name it as "owner/repo", e.g. "acme/frontdoor"'
        )
    owner, slash, repo = repository.partition("/")
    if not slash or not _OWNER.fullmatch(owner) or not _REPO.fullmatch(repo) or repo in (".", ".."):
        raise ValueError(
            f'repository {repository!r} is not "owner/repo": use the GitHub owner and repository '
            'name separated by one slash, e.g. "acme/frontdoor"'
        )
    return repository


def _validate_name(kind: str, value: str, example: str) -> None:
    if any(w in value for w in _WILDCARDS):
        raise ValueError(
            f"{kind} {value!r} contains a wildcard: list each {kind} by its exact name, e.g. {example!r}"
        )
    if not value or value != value.strip() or any(ord(c) < 32 for c in value) or ":" in value:
        raise ValueError(
            f"{kind} {value!r} is not a valid {kind} name: use the exact name without surrounding "
            f"spaces, control characters or ':', e.g. {example!r}"
        )
    if kind == "branch" and (value.startswith(("/", "refs/")) or ".." in value):
        raise ValueError(
            f"branch {value!r} is not a branch name: give the short name (the part after "
            f"refs/heads/), e.g. {example!r}"
        )


def token_subjects(
    repository: str,
    *,
    branches: Iterable[str] = (),
    environments: Iterable[str] = (),
    pull_requests: bool = False,
) -> tuple[str, ...]:
    """The exact `sub` claims to trust, sorted; ValueError if none or if any name is malformed."""
    validate_repository(repository)
    subjects: set[str] = set()
    for branch in branches:
        _validate_name("branch", branch, "main")
        subjects.add(f"repo:{repository}:ref:refs/heads/{branch}")
    for environment in environments:
        _validate_name("environment", environment, "prod")
        subjects.add(f"repo:{repository}:environment:{environment}")
    if pull_requests:
        subjects.add(f"repo:{repository}:pull_request")
    if not subjects:
        raise ValueError(
            f"the role for {repository!r} trusts no branch, environment or pull request, so no "
            'workflow could assume it: set branches=("main",) or environments=("prod",)'
        )
    return tuple(sorted(subjects))


def trust_policy(oidc_provider_arn: str, subjects: Iterable[str]) -> dict[str, Any]:
    """AssumeRoleWithWebIdentity for the GitHub provider, audience and subjects pinned (StringEquals)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "GitHubActionsOidc",
                "Effect": "Allow",
                "Principal": {"Federated": oidc_provider_arn},
                "Action": ASSUME_ACTION,
                "Condition": {
                    "StringEquals": {
                        AUDIENCE_KEY: STS_AUDIENCE,
                        SUBJECT_KEY: sorted(subjects),
                    }
                },
            }
        ],
    }


def validate_session_seconds(seconds: int) -> int:
    if isinstance(seconds, bool) or not MIN_SESSION_SECONDS <= seconds <= MAX_SESSION_SECONDS:
        raise ValueError(
            f"max_session_duration {seconds!r} is outside IAM's range: use seconds between "
            f"{MIN_SESSION_SECONDS} (1 hour) and {MAX_SESSION_SECONDS} (12 hours)"
        )
    return seconds


def validate_role_name(name: str) -> str:
    if not ROLE_NAME_RE.fullmatch(name):
        raise ValueError(
            f"role name {name!r} is not a valid IAM role name: use 1-64 characters from letters, digits "
            'and +=,.@_-, e.g. "frontdoor-github-deploy"'
        )
    return name


def validate_account_id(account_id: str) -> str:
    if not ACCOUNT_ID.accepts(account_id):
        raise ValueError(
            f"account id {account_id!r} is not a 12-digit AWS account id: use the account "
            'that holds these resources, e.g. "111111111111"'
        )
    return account_id


def validate_policy_arn(arn: str) -> str:
    if not POLICY_ARN_RE.fullmatch(arn):
        raise ValueError(
            f"managed policy ARN {arn!r} is not an IAM policy ARN: use "
            '"arn:aws:iam::aws:policy/<name>" or "arn:aws:iam::<account>:policy/<path><name>"'
        )
    return arn
