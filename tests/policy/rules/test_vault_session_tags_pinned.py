import json
from typing import Any

import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import vault_session_tags_pinned as rule
from rules._common import ACCESS_CONTROL_ATTRIBUTES, STACK_SET, VAULT_AWS_ROLE

from frontdoor.domain.documents.machines import trust_policy

from ..conftest import UNKNOWN, Res, run_stack

VAULT = "arn:aws:iam::100000000371:role/vault-aws-engine"
ARN = "arn:aws:iam::100000000102:role/vault/vault-report"
ROLE = "role/vault/vault-report"
ABAC = Res(
    ACCESS_CONTROL_ATTRIBUTES,
    "abac",
    {"attributes": [{"key": "team", "values": [{"sources": ["${path:enterprise.department}"]}]}]},
)
TRUST = trust_policy(VAULT, "o-abc123", "data", "team")


def vault_role(**props: Any) -> Res:
    base = {
        "name": "report",
        "credentialType": "assumed_role",
        "roleArns": [ARN],
        "sessionTags": {"team": "data"},
    }
    return Res(VAULT_AWS_ROLE, "vault/report", base | props)


def stack_set(trust: Any = TRUST, body: Any = None, name: str = "vault/report/stack-set") -> Res:
    template = {
        "Resources": {
            "VaultTargetRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": "vault-report",
                    "Path": "/vault/",
                    "AssumeRolePolicyDocument": trust,
                },
            }
        }
    }
    return Res(
        STACK_SET,
        name,
        {"name": "frontdoor-vault-report", "templateBody": json.dumps(template) if body is None else body},
    )


def with_condition(condition: dict[str, Any], action: Any = ("sts:AssumeRole", "sts:TagSession")) -> Any:
    statement = {**TRUST["Statement"][0], "Condition": condition, "Action": list(action)}
    return {**TRUST, "Statement": [statement]}


def test_what_frontdoor_renders_is_compliant() -> None:
    assert run_stack(rule.POLICY, [ABAC, vault_role(), stack_set()]) == []


def test_other_credential_types_are_left_to_vault_assumed_role_only() -> None:
    assert run_stack(rule.POLICY, [vault_role(credentialType="iam_user", sessionTags=None)]) == []


@pytest.mark.parametrize("tags", [None, {}])
def test_a_role_without_session_tags_is_refused(tags: Any) -> None:
    assert run_stack(rule.POLICY, [ABAC, vault_role(sessionTags=tags), stack_set()]) == [
        (
            vault_role().urn,
            'Vault AWS role "report" sets no session_tags, so its sessions carry no team tag and every ABAC '
            "condition they meet is decided by an absent key; set "
            "session_tags={<team tag key>: <owner team>}",
        )
    ]


def test_an_empty_session_tag_value_is_refused() -> None:
    assert run_stack(rule.POLICY, [vault_role(sessionTags={"team": ""})]) == [
        (
            vault_role().urn,
            'Vault AWS role "report" sets session tag "team" to ""; both must be non-empty: set '
            "session_tags={<team tag key>: <owner team>}",
        )
    ]


def test_a_session_tag_that_is_not_an_abac_key_is_refused() -> None:
    assert run_stack(rule.POLICY, [ABAC, vault_role(sessionTags={"Team": "data"})]) == [
        (
            vault_role().urn,
            'Vault AWS role "report" sets session tag "Team", which is not an ABAC key of this stack (team), '
            "so no policy reads it; tag the session with the team tag key",
        )
    ]


def test_any_session_tag_key_passes_when_the_stack_sets_no_abac_keys() -> None:
    role = vault_role(sessionTags={"owner": "data"})
    condition = {"StringEquals": {"aws:PrincipalOrgID": "o-abc123", "aws:RequestTag/owner": "data"}}
    assert run_stack(rule.POLICY, [role, stack_set(with_condition(condition))]) == []


PIN_FIX = 'add "StringEquals": {"aws:RequestTag/team": "data"}'


@pytest.mark.parametrize(
    ("condition", "shown"),
    [
        ({"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}, "nothing"),
        (
            {"StringEquals": {"aws:PrincipalOrgID": "o-abc123", "aws:RequestTag/team": "payments"}},
            '"payments"',
        ),
        (
            {"StringEquals": {"aws:PrincipalOrgID": "o-abc123", "aws:RequestTag/team": ["data", "payments"]}},
            '["data", "payments"]',
        ),
        (
            {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}, "StringLike": {"aws:RequestTag/team": "*"}},
            "nothing",
        ),
        (
            {
                "StringEquals": {"aws:PrincipalOrgID": "o-abc123"},
                "StringEqualsIfExists": {"aws:RequestTag/team": "data"},
            },
            "nothing",
        ),
    ],
)
def test_a_trust_without_the_exact_team_pin_is_refused(condition: dict[str, Any], shown: str) -> None:
    assert run_stack(rule.POLICY, [ABAC, vault_role(), stack_set(with_condition(condition))]) == [
        (
            stack_set().urn,
            f'the target role {ROLE} of Vault AWS role "report" (StackSet "frontdoor-vault-report") trust '
            f'statement "VaultAssumesWithOwnerTeamTag" pins aws:RequestTag/team to {shown}, so Vault could '
            f"mint a session tagged for another team; {PIN_FIX}",
        )
    ]


def test_a_trust_without_tag_session_is_refused() -> None:
    trust = with_condition(TRUST["Statement"][0]["Condition"], action=["sts:AssumeRole"])
    assert run_stack(rule.POLICY, [ABAC, vault_role(), stack_set(trust)]) == [
        (
            stack_set().urn,
            f'the target role {ROLE} of Vault AWS role "report" (StackSet "frontdoor-vault-report") trust '
            'statement "VaultAssumesWithOwnerTeamTag" does not allow sts:TagSession, so Vault\'s session '
            'tags are refused; add "sts:TagSession" to its Action',
        )
    ]


def test_mutant_m09_a_role_no_stack_set_here_creates_is_refused() -> None:
    # Mutant M09: role_arns name OrganizationAccountAccessRole (administrator) instead of the StackSet's role.
    admin = vault_role(roleArns=["arn:aws:iam::100000000102:role/OrganizationAccountAccessRole", ARN])
    assert run_stack(rule.POLICY, [ABAC, admin, stack_set()]) == [
        (
            admin.urn,
            'Vault AWS role "report" assumes role/OrganizationAccountAccessRole, which no StackSet of this '
            "stack deploys, so frontdoor neither wrote nor can judge its trust (the team tag pin) or its "
            "permissions; name the target role the consumer's StackSet creates (role/vault/vault-<consumer>)",
        )
    ]


def test_unknown_session_tags_defer() -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [ABAC, vault_role(sessionTags=UNKNOWN), stack_set()])


def test_an_unknown_template_defers_only_when_a_role_is_unmatched() -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [ABAC, vault_role(), stack_set(body=UNKNOWN)])
    other = Res(STACK_SET, "other", {"name": "other", "templateBody": UNKNOWN})
    assert run_stack(rule.POLICY, [ABAC, vault_role(), stack_set(), other]) == []


def test_each_target_role_is_judged_once_in_every_stack_set_that_deploys_it() -> None:
    # One ARN per account names the same role; a consumer's OU and account StackSets both deploy it.
    role = vault_role(roleArns=[ARN, ARN.replace("100000000102", "100000000103")])
    broken = with_condition({"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})
    accounts = stack_set(name="vault/report/accounts-stack-set")
    assert run_stack(rule.POLICY, [ABAC, role, stack_set(broken), accounts]) == [
        (
            stack_set().urn,
            f'the target role {ROLE} of Vault AWS role "report" (StackSet "frontdoor-vault-report") trust '
            'statement "VaultAssumesWithOwnerTeamTag" pins aws:RequestTag/team to nothing, so Vault could '
            f"mint a session tagged for another team; {PIN_FIX}",
        )
    ]
