"""The synthetic estates are deterministic, exactly sized, valid stacks that plan (140 accounts only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import generate
from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.model.grants import OKTA_RULE_NAME_MAX, rule_name
from frontdoor.domain.planning.plan import plan_access
from frontdoor.offline.estate import load_estate


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return generate.write(generate.generate(140), tmp_path_factory.mktemp("bench140"))


def test_same_seed_writes_identical_files(written: tuple[Path, Path], tmp_path: Path) -> None:
    again = generate.write(generate.generate(140), tmp_path)
    for first, second in zip(written, again, strict=True):
        assert first.read_bytes() == second.read_bytes()


def test_another_seed_gives_other_ids() -> None:
    assert generate.generate(140, seed=1).estate != generate.generate(140, seed=2).estate


def test_sizes_are_exact(written: tuple[Path, Path]) -> None:
    _, estate_file = written
    estate = load_estate(estate_file)
    assert len(estate.snapshot().accounts) == 140
    assert generate.count_accounts(generate.generate(500).estate) == 500


def test_layout_matches_the_demo_at_140() -> None:
    layout = generate.Layout.for_accounts(140)
    counts = (layout.teams, layout.shared, layout.acquired, layout.sandbox, layout.suspended)
    assert counts == (11, 10, 35, 20, 8)


def test_config_validates_and_plans(written: tuple[Path, Path]) -> None:
    config_file, estate_file = written
    config = parse_stack_config(read_stack_file(config_file), str(config_file))
    estate = load_estate(estate_file)
    plan = plan_access(config, estate.snapshot(), str(config_file))
    assert len(config.teams) == 11
    assert plan.assignment_count() > 800
    assert not plan.warnings
    assert all(len(rule_name(group.name)) <= OKTA_RULE_NAME_MAX for group in plan.groups)
    # Every pushed group is synced except one team's (its assignments are deferred).
    unsynced = {group.name for group in plan.groups} - set(estate.synced_groups)
    assert len({name.rsplit("-", 1)[0] for name in unsynced}) == 1
    assert config.organization.management_account_id == estate.organization.management_account.id
