"""`okta.provisioningEnabled` unset is unknown: the program stops (exit 2) rather than assume either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.files import provider_settings
from frontdoor.domain.planning.bootstrap import require_provisioning_decision
from frontdoor.offline.engine import run_program
from frontdoor.offline.estate import Estate
from tests.conftest import one_team_settings

REPO = Path(__file__).resolve().parents[4]
UNSET = (
    "stacks/Pulumi.demo.yaml: frontdoor:okta.provisioningEnabled: unset, so unknown: whether the AWS app's "
    "automatic provisioning (SCIM) is enabled decides whether Group Push mappings may be registered (got "
    "None). Fix: set it to false for an app whose provisioning is not enabled yet (first run, "
    "docs/first-run.md stage c), true once Okta > the app > Provisioning is enabled"
)


def test_either_decision_passes_and_unset_stops() -> None:
    require_provisioning_decision(True, "s.yaml")
    require_provisioning_decision(False, "s.yaml")
    with pytest.raises(ConfigError) as raised:
        require_provisioning_decision(None, "stacks/Pulumi.demo.yaml")
    assert str(raised.value) == UNSET


def test_the_demo_decides_explicitly() -> None:
    okta = provider_settings(REPO / "stacks" / "Pulumi.demo.yaml")["frontdoor:okta"]
    assert okta["provisioningEnabled"] is True


def test_a_stack_without_the_decision_registers_nothing(demo_estate: Estate) -> None:
    settings = one_team_settings()
    settings["frontdoor:okta"] = {
        k: v for k, v in settings["frontdoor:okta"].items() if k != "provisioningEnabled"
    }
    with pytest.raises(ConfigError) as raised:
        run_program(REPO, stack="demo", config=settings, estate=demo_estate)
    assert str(raised.value) == UNSET
    assert raised.value.registered == 0
