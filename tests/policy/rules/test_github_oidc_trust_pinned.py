import json
from typing import Any

import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import github_oidc_trust_pinned as rule

from ..conftest import UNKNOWN, run_resource

ROLE = "aws:iam/role:Role"
PROVIDER = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
AUD = "token.actions.githubusercontent.com:aud"
SUB = "token.actions.githubusercontent.com:sub"
STATEMENT: dict[str, Any] = {
    "Sid": "GitHubActionsOidc",
    "Effect": "Allow",
    "Principal": {"Federated": PROVIDER},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {
        "StringEquals": {AUD: "sts.amazonaws.com", SUB: ["repo:acme/frontdoor:environment:prod"]},
    },
}
EXAMPLE = f'"StringEquals": {{"{SUB}": "repo:OWNER/REPO:environment:prod"}}'


def run(statement: dict[str, Any], config: dict[str, Any] | None = None) -> list[str]:
    document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    return run_resource(rule.POLICY, ROLE, {"assumeRolePolicy": document}, config=config)


def with_condition(condition: dict[str, Any]) -> dict[str, Any]:
    return {**STATEMENT, "Condition": condition}


def test_compliant() -> None:
    assert run(STATEMENT) == []


def test_component_trust_policy_is_compliant() -> None:
    from frontdoor.domain.documents.github_oidc import provider_arn, token_subjects, trust_policy
    from frontdoor.domain.documents.render import render_policy

    subjects = token_subjects("acme/frontdoor", branches=("main",), pull_requests=True)
    document = render_policy(trust_policy(provider_arn("111111111111"), subjects))
    assert run_resource(rule.POLICY, ROLE, {"assumeRolePolicy": document}) == []


def test_string_like_with_pinned_repository_is_compliant() -> None:
    condition = {"StringEquals": {AUD: "sts.amazonaws.com"}, "StringLike": {SUB: "repo:acme/frontdoor:*"}}
    assert run(with_condition(condition)) == []


def test_condition_keys_are_case_insensitive() -> None:
    condition = {
        "StringEquals": {AUD.upper(): "sts.amazonaws.com", SUB.upper(): "repo:acme/frontdoor:pull_request"}
    }
    assert run(with_condition(condition)) == []


def test_repo_wildcard_subject() -> None:
    condition = {"StringEquals": {AUD: "sts.amazonaws.com"}, "StringLike": {SUB: "repo:*"}}
    assert run(with_condition(condition)) == [
        f'trust statement "GitHubActionsOidc" pins {SUB} to "repo:*", which does not name one repository '
        f'(expected "repo:OWNER/REPO:..." with no wildcard in OWNER or REPO); use {EXAMPLE}'
    ]


def test_star_subject() -> None:
    condition = {"StringEquals": {AUD: "sts.amazonaws.com"}, "StringLike": {SUB: "*"}}
    assert len(run(with_condition(condition))) == 1


def test_wildcard_repository_under_string_like() -> None:
    condition = {
        "StringEquals": {AUD: "sts.amazonaws.com"},
        "StringLike": {SUB: "repo:acme/*:ref:refs/heads/main"},
    }
    assert run(with_condition(condition)) == [
        f'trust statement "GitHubActionsOidc" pins {SUB} to "repo:acme/*:ref:refs/heads/main", '
        'which does not name one repository (expected "repo:OWNER/REPO:..." with no wildcard in OWNER or '
        f"REPO); use {EXAMPLE}"
    ]


def test_wildcard_owner() -> None:
    condition = {"StringEquals": {AUD: "sts.amazonaws.com"}, "StringLike": {SUB: "repo:*/frontdoor:*"}}
    assert len(run(with_condition(condition))) == 1


def test_one_bad_subject_among_good_ones() -> None:
    condition = {
        "StringEquals": {AUD: "sts.amazonaws.com"},
        "StringLike": {SUB: ["repo:acme/frontdoor:ref:refs/heads/main", "repo:acme/fr?ntdoor:*"]},
    }
    assert len(run(with_condition(condition))) == 1


def test_missing_subject() -> None:
    assert run(with_condition({"StringEquals": {AUD: "sts.amazonaws.com"}})) == [
        f'trust statement "GitHubActionsOidc" lets every GitHub repository assume the role ({SUB} is not '
        f"pinned under StringEquals or StringLike); add {EXAMPLE}"
    ]


def test_subject_only_under_if_exists_is_not_pinned() -> None:
    condition = {
        "StringEquals": {AUD: "sts.amazonaws.com"},
        "StringEqualsIfExists": {SUB: "repo:acme/frontdoor:environment:prod"},
    }
    assert len(run(with_condition(condition))) == 1


def test_no_condition_at_all() -> None:
    statement = {k: v for k, v in STATEMENT.items() if k != "Condition"}
    assert run(statement) == [
        'trust statement "GitHubActionsOidc" lets GitHub Actions assume the role without pinning '
        "the audience "
        f'({AUD} is missing); add "StringEquals": {{"{AUD}": "sts.amazonaws.com"}}',
        f'trust statement "GitHubActionsOidc" lets every GitHub repository assume the role ({SUB} is not '
        f"pinned under StringEquals or StringLike); add {EXAMPLE}",
    ]


def test_wrong_audience() -> None:
    condition = {"StringEquals": {AUD: "sigstore", SUB: "repo:acme/frontdoor:environment:prod"}}
    assert run(with_condition(condition)) == [
        'trust statement "GitHubActionsOidc" lets GitHub Actions assume the role without pinning '
        "the audience "
        f'({AUD} is sigstore); add "StringEquals": {{"{AUD}": "sts.amazonaws.com"}}'
    ]


def test_repository_not_in_allowed_list() -> None:
    assert run(STATEMENT, config={"allowedRepositories": ["acme/other"]}) == [
        'trust statement "GitHubActionsOidc" lets repository "acme/frontdoor" assume the role, '
        "which is not in "
        "allowedRepositories (acme/other); trust an allowed repository or add it to the pack config"
    ]
    assert run(STATEMENT, config={"allowedRepositories": ["acme/frontdoor"]}) == []


def test_enterprise_issuer() -> None:
    issuer = "token.actions.githubusercontent.com/acme-corp"
    statement = {
        **STATEMENT,
        "Principal": {"Federated": [f"arn:aws:iam::111111111111:oidc-provider/{issuer}"]},
        "Condition": {"StringEquals": {f"{issuer}:aud": "sts.amazonaws.com", f"{issuer}:sub": "repo:*"}},
    }
    assert len(run(statement)) == 1


def test_malformed_json_fails_closed() -> None:
    assert run_resource(rule.POLICY, ROLE, {"assumeRolePolicy": "{not json"}) == [
        "cannot check the role's trust policy: policy document is not valid JSON (Expecting property name "
        "enclosed in double quotes: line 1 column 2 (char 1)); fix the document so the pack can "
        "verify that it "
        "does not trust every GitHub repository"
    ]


def test_malformed_config_fails_closed() -> None:
    assert run(STATEMENT, config={"allowedRepositories": "acme/frontdoor"}) == [
        "cannot check the GitHub OIDC trust: pack config allowedRepositories must be a list of strings, got "
        "'acme/frontdoor'; fix the pack config"
    ]


def test_unknown_trust_policy_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_resource(rule.POLICY, ROLE, {"assumeRolePolicy": UNKNOWN})


def test_not_applicable_other_principal_and_deny() -> None:
    service = {**STATEMENT, "Principal": {"Service": "ec2.amazonaws.com"}, "Condition": {}}
    assert run(service) == []
    other_idp = {
        **STATEMENT,
        "Principal": {"Federated": "arn:aws:iam::111111111111:oidc-provider/gitlab.com"},
    }
    assert run({**other_idp, "Condition": {}}) == []
    assert run({**STATEMENT, "Effect": "Deny", "Condition": {}}) == []


def test_not_applicable_type() -> None:
    assert run_resource(rule.POLICY, "aws:iam/policy:Policy", {"assumeRolePolicy": "{not json"}) == []
