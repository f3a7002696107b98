"""TeamAccess(...) is a declaration: frozen data, collected by `with stack():`, refused outside it.

What a planned team registers is asserted over the demo run (tests/frontdoor/offline/
test_team_access_python.py: the Python form registers exactly what the stack file's does).
"""

from __future__ import annotations

import dataclasses

import pytest

from components.team_access import TeamAccess
from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.model.grants import TeamConfig
from frontdoor.domain.planning.declarations import DeclaredTeam, declaring

GRANTS = {"DeveloperAccess": ["Workloads/Dev"]}
MEMBERS = 'user.team == "payments"'


def test_declared_inside_a_block_it_is_collected_as_the_stack_file_would_read_it() -> None:
    with declaring() as block:
        team = TeamAccess("payments", members=MEMBERS, grants=GRANTS)
    assert block.teams == [
        DeclaredTeam(
            "payments",
            TeamConfig.model_validate({"members": MEMBERS, "grants": GRANTS}),
            "TeamAccess('payments')",
        )
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        team.members = 'user.team == "x"'  # type: ignore[misc]


def test_declared_outside_any_block_it_is_refused() -> None:
    with pytest.raises(ConfigError) as raised:
        TeamAccess("payments", members=MEMBERS, grants=GRANTS)
    assert raised.value.issues[0].field == "with stack()"
    assert raised.value.issues[0].file == "TeamAccess('payments')"


def test_a_bad_team_is_refused_as_it_is_written_and_not_collected() -> None:
    with declaring() as block, pytest.raises(ConfigError) as raised:
        TeamAccess("payments", members=MEMBERS, grants={"DeveloperAccess": "Workloads/Dev"})
    assert raised.value.render() == (
        "TeamAccess('payments'): frontdoor:teams.payments.grants.DeveloperAccess: a grant is a list of "
        "targets or a mapping with targets: (got 'Workloads/Dev'). Fix: write DeveloperAccess: "
        "[Workloads/Dev] (a YAML list, even for one target)"
    )
    assert block.teams == []
