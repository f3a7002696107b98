"""TeamAccess written in Python is the same team as in the stack file: same model, same resources."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.files import provider_settings
from frontdoor.offline.engine import run_program
from frontdoor.offline.estate import Estate
from frontdoor.offline.preview import PreviewResult, identity_lines

REPO = Path(__file__).resolve().parents[3]

PAYMENTS_IN_PYTHON = """
from components.team_access import TeamAccess
from frontdoor.program import stack

with stack():
    TeamAccess("payments",
        members='user.team == "payments"',
        grants={"DeveloperAccess": ["Workloads/Dev", "Workloads/Staging"],
                "ReadOnlyAuditor": ["Workloads/Prod"]})
"""


def _config_without(team: str, *, only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The demo config without `team` (and, for the error cases, with only the teams in `only`)."""
    settings = provider_settings(REPO / "stacks" / "Pulumi.demo.yaml")
    teams = settings["frontdoor:teams"]
    settings["frontdoor:teams"] = {
        k: v for k, v in teams.items() if k != team and (only is None or k in only)
    }
    if only is not None:
        settings["frontdoor:orgGrants"] = {}
    return settings


def _program(tmp_path: Path, body: str) -> Path:
    (tmp_path / "__main__.py").write_text(textwrap.dedent(body))
    return tmp_path


def test_python_form_registers_exactly_what_the_yaml_form_does(
    tmp_path: Path, demo: PreviewResult, demo_estate: Estate
) -> None:
    run = run_program(
        _program(tmp_path, PAYMENTS_IN_PYTHON),
        stack="demo",
        config=_config_without("payments"),
        estate=demo_estate,
    )
    assert identity_lines(run.resources) == identity_lines(demo.run.resources)
    python_inputs = {r.urn: dict(r.inputs) for r in run.resources}
    yaml_inputs = {r.urn: dict(r.inputs) for r in demo.run.resources}
    assert python_inputs == yaml_inputs


PAYMENTS = 'members="user.team == \\"payments\\""'
ERRORS = [
    (
        f'TeamAccess("payments", {PAYMENTS}, grants={{"DevAccess": ["Workloads/Dev"]}})',
        "TeamAccess('payments'): frontdoor:teams.payments.grants.DevAccess: unknown permission set "
        "(got 'DevAccess'). Fix: use one of BillingViewer, DeveloperAccess, PlatformAdmin, ReadOnlyAuditor "
        "or add it under frontdoor:permissionSets",
    ),
    (
        'TeamAccess("payments", members="", grants={"DeveloperAccess": ["Workloads/Dev"]})',
        "TeamAccess('payments'): frontdoor:teams.payments.members: the members expression is empty "
        "(got ''). Fix: write an Okta expression over HR attributes, e.g. user.department == \"Payments\"",
    ),
    (
        f'TeamAccess("payments", {PAYMENTS}, grants={{"DeveloperAccess": ["Workload"]}})',
        "TeamAccess('payments'): frontdoor:teams.payments.grants.DeveloperAccess.targets[0]: no OU with "
        "this path in the organization (got 'Workload'). Fix: did you mean Workloads or Workloads/Dev or "
        'Workloads/Prod? (an OU path, an ou-… id, an account id or "*")',
    ),
    (
        f'TeamAccess("Payments", {PAYMENTS}, grants={{"DeveloperAccess": ["Workloads"]}})',
        "TeamAccess('Payments'): name: team name is not a lowercase slug (got 'Payments'). Fix: use "
        "lowercase letters, digits and '-', starting with a letter, at most 30 characters",
    ),
    (
        'TeamAccess("mobile", members="user.team == \\"x\\"", grants={"DeveloperAccess": ["Workloads"]})',
        "stacks/Pulumi.demo.yaml: TeamAccess('mobile'): declared twice in one stack (got 'team:mobile'). "
        "Fix: declare each team once",
    ),
]


@pytest.mark.parametrize(("team", "expected"), ERRORS)
def test_python_form_errors_name_the_team_and_register_nothing(
    tmp_path: Path, demo_estate: Estate, team: str, expected: str
) -> None:
    body = (
        "from components.team_access import TeamAccess\nfrom frontdoor.program import stack\n"
        f"with stack():\n    {team}\n"
    )
    with pytest.raises(ConfigError) as raised:
        run_program(
            _program(tmp_path, body), stack="demo", config=_config_without("payments"), estate=demo_estate
        )
    assert raised.value.render() == expected


ORG_GRANTS_IN_PYTHON = """
import datetime

from components.organization_access import OrganizationAccess
from frontdoor.program import stack

with stack():
    OrganizationAccess("aws-incident-4711-admin",
        members='user.login == "jane.doe@acme-medical.example"',
        permission_set="PlatformAdmin",
        targets=["100000002009", "100000002023"],
        expires=datetime.date(2026, 12, 5),
        ticket="CHG0041234")
    OrganizationAccess("aws-billing-readonly",
        members='user.department == "Finance"',
        permission_set="BillingViewer",
        targets=["100000000026"],
        include_management_account=True)
"""


def test_python_org_grants_register_exactly_what_the_yaml_form_does(
    tmp_path: Path, demo: PreviewResult, demo_estate: Estate
) -> None:
    settings = _config_without("none")
    for group in ("aws-incident-4711-admin", "aws-billing-readonly"):
        del settings["frontdoor:orgGrants"][group]
    run = run_program(
        _program(tmp_path, ORG_GRANTS_IN_PYTHON), stack="demo", config=settings, estate=demo_estate
    )
    assert {r.urn: dict(r.inputs) for r in run.resources} == {
        r.urn: dict(r.inputs) for r in demo.run.resources
    }
    assert run.outputs == demo.run.outputs
