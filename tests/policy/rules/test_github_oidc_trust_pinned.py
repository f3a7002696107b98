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


# --- frontdoor's own roles: exact subjects, session cap, account roots pinned (mutants M37, M38, M55) ---
DEPLOY_SUBJECTS = ["repo:acme/frontdoor:environment:prod"]
EXPECTED = {"expectedSubjects": {"frontdoor-deploy": DEPLOY_SUBJECTS}}
DEPLOYER = "arn:aws:iam::111111111111:role/frontdoor-deploy"
SELF_ASSUME: dict[str, Any] = {
    "Sid": "DeployerSelfAssume",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
    "Action": "sts:AssumeRole",
    "Condition": {"ArnEquals": {"aws:PrincipalArn": DEPLOYER}},
}


def run_role(*statements: dict[str, Any], config: dict[str, Any] | None = None, **props: Any) -> list[str]:
    document = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    values = {"name": "frontdoor-deploy", "assumeRolePolicy": document, "maxSessionDuration": 14400, **props}
    return run_resource(rule.POLICY, ROLE, values, config=config)


def test_frontdoor_deploy_role_as_derived_passes() -> None:
    # Benign: the derived trust (exact subjects, the pinned self-assumption) and the 4-hour session.
    assert run_role(STATEMENT, SELF_ASSUME, config=EXPECTED) == []
    # Another role is not held to frontdoor's subjects.
    other = with_condition({"StringEquals": {AUD: "sts.amazonaws.com"}, "StringLike": {SUB: "repo:acme/x:*"}})
    assert run_role(other, config=EXPECTED, name="someone-elses-role") == []


def test_mutant_m37_deploy_role_subject_pattern_is_refused() -> None:
    loose = with_condition(
        {"StringEquals": {AUD: "sts.amazonaws.com"}, "StringLike": {SUB: "repo:acme/frontdoor:*"}}
    )
    assert run_role(loose, SELF_ASSUME, config=EXPECTED) == [
        f'trust statement "GitHubActionsOidc" pins {SUB[:-4]}:sub to repo:acme/frontdoor:*; this role\'s '
        "token subjects, from frontdoor:delivery, are exactly repo:acme/frontdoor:environment:prod under "
        "StringEquals, so no other branch, environment or pull request can assume it: restore the derived "
        "trust policy (frontdoor/domain/documents/github_oidc.py trust_policy)"
    ]
    extra = with_condition(
        {
            "StringEquals": {
                AUD: "sts.amazonaws.com",
                SUB: [*DEPLOY_SUBJECTS, "repo:acme/frontdoor:pull_request"],
            }
        }
    )
    assert len(run_role(extra, config=EXPECTED)) == 1


def test_mutant_m38_account_root_without_principal_pin_is_refused() -> None:
    unpinned = {k: v for k, v in SELF_ASSUME.items() if k != "Condition"}
    expected = [
        'trust statement "DeployerSelfAssume" trusts arn:aws:iam::111111111111:root, every principal its '
        "account's IAM policies allow, without pinning aws:PrincipalArn to exact ARNs; a role trusting "
        'GitHub Actions must not be assumable by anyone else of the account: add "ArnEquals": '
        '{"aws:PrincipalArn": "<the one role that assumes it>"}'
    ]
    assert run_role(STATEMENT, unpinned) == expected
    pattern = {
        **SELF_ASSUME,
        "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/*"}},
    }
    assert run_role(STATEMENT, pattern) == expected
    # A root trusted by a role that does not trust GitHub is not this rule's business.
    assert run_role(unpinned) == []


def test_mutant_m55_github_role_session_over_four_hours_is_refused() -> None:
    message = (
        "the role trusts GitHub Actions with maxSessionDuration 43200 seconds, over the 14400-second cap "
        '(the deploy workflow asks for 4 hours, README "Deploying for real"); a leaked workflow token\'s '
        "session lives that long: lower max_session_duration"
    )
    assert run_role(STATEMENT, maxSessionDuration=43200) == [message]
    assert run_role(STATEMENT, maxSessionDuration=43200.0) == [message]  # as the engine passes numbers
    assert run_role(STATEMENT, maxSessionDuration=3600) == []
    assert run_role(STATEMENT, maxSessionDuration=43200, config={"maxSessionSeconds": 43200}) == []
    # A role without GitHub trust: not capped here.
    assert run_role(SELF_ASSUME, maxSessionDuration=43200) == []


def test_policy_config_derives_the_subjects_from_delivery() -> None:
    from pathlib import Path

    from frontdoor.domain.config.files import read_stack_file
    from frontdoor.offline.policy_config import pack_config_from_stack

    values = read_stack_file(Path(__file__).resolve().parents[3] / "stacks" / "Pulumi.demo.yaml")
    assert pack_config_from_stack(values)["github-oidc-trust-pinned"] == {
        "expectedSubjects": {
            "frontdoor-deploy": ["repo:acme-medical/frontdoor:environment:prod"],
            "frontdoor-github-preview": [
                "repo:acme-medical/frontdoor:pull_request",
                "repo:acme-medical/frontdoor:ref:refs/heads/main",
            ],
        }
    }
