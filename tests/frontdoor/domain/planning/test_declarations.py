"""Declarations are data: validated when written, collected only by an open `with stack():` block."""

from __future__ import annotations

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.model.grants import OrgGrant, TeamConfig
from frontdoor.domain.planning.declarations import (
    DeclaredOrgGrant,
    DeclaredTeam,
    declare,
    declared_org_grant,
    declared_team,
    declaring,
)

PAYMENTS = {"members": 'user.team == "payments"', "grants": {"DeveloperAccess": ["Workloads/Dev"]}}
BILLING = {"members": 'user.team == "billing"', "grants": {"BillingViewer": ["*"]}}
AUDITORS = {"members": 'user.team == "audit"', "permissionSet": "ReadOnlyAuditor", "targets": ["*"]}


def _payments() -> DeclaredTeam:
    return declared_team("payments", members=PAYMENTS["members"], grants=PAYMENTS["grants"])  # type: ignore[arg-type]


def test_a_block_collects_what_is_declared_inside_it_in_order_and_nothing_after() -> None:
    with declaring() as block:
        declare(_payments())
        declare(
            declared_org_grant("aws-auditors", members=AUDITORS["members"], permission_set="ReadOnlyAuditor")
        )  # type: ignore[arg-type]
        declare(declared_team("billing", members=BILLING["members"], grants=BILLING["grants"]))  # type: ignore[arg-type]
    assert block.teams == [
        DeclaredTeam("payments", TeamConfig.model_validate(PAYMENTS), "TeamAccess('payments')"),
        DeclaredTeam("billing", TeamConfig.model_validate(BILLING), "TeamAccess('billing')"),
    ]
    assert block.org_grants == [
        DeclaredOrgGrant(
            "aws-auditors", OrgGrant.model_validate(AUDITORS), "OrganizationAccess('aws-auditors')"
        )
    ]
    with pytest.raises(ConfigError):
        declare(_payments())
    assert [team.name for team in block.teams] == ["payments", "billing"]


def test_blocks_nest_without_leaking_into_each_other() -> None:
    with declaring() as outer:
        with declaring() as inner:
            declare(_payments())
        assert outer.teams == []
    assert [team.name for team in inner.teams] == ["payments"]


def test_a_declaration_outside_any_block_is_refused_never_dropped() -> None:
    with pytest.raises(ConfigError) as raised:
        declare(_payments())
    assert raised.value.render() == (
        "TeamAccess('payments'): with stack(): TeamAccess(...) is declared outside a `with stack():` "
        "block, so nothing would register it (got 'payments'). Fix: write it inside `with stack():` "
        "(from frontdoor.program import stack), or pass it to build_stack(teams=[...])"
    )


def test_the_python_forms_are_validated_like_the_stack_file_naming_the_call() -> None:
    with pytest.raises(ConfigError) as raised:
        declared_team("payments", members="", grants=PAYMENTS["grants"])  # type: ignore[arg-type]
    assert raised.value.render().startswith(
        "TeamAccess('payments'): frontdoor:teams.payments.members: the members expression is empty"
    )
    with pytest.raises(ConfigError) as raised:
        declared_org_grant("aws-auditors", members="", permission_set="ReadOnlyAuditor")
    assert raised.value.render().startswith(
        "OrganizationAccess('aws-auditors'): frontdoor:orgGrants.aws-auditors.members: the members "
        "expression is empty"
    )
