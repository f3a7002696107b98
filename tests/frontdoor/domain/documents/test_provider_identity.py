"""The provider identity: deployer by default, the preview pair on request, never an apply as preview."""

from __future__ import annotations

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.documents.deployer import Deployer
from frontdoor.domain.documents.provider_identity import (
    chain_policy,
    identity_mode,
    provider_identity,
    refuse_apply,
)

DEPLOYER = Deployer(
    role_name="frontdoor-deploy",
    management_account_id="111111111111",
    identity_center_account_id="222222222222",
)


def test_the_mode_comes_from_the_environment() -> None:
    assert identity_mode({}) == "deployer"
    assert identity_mode({"FRONTDOOR_IDENTITY": ""}) == "deployer"
    assert identity_mode({"FRONTDOOR_IDENTITY": "preview"}) == "preview"
    with pytest.raises(ConfigError) as raised:
        identity_mode({"FRONTDOOR_IDENTITY": "admin"})
    assert str(raised.value) == (
        "environment: FRONTDOOR_IDENTITY: not a provider identity (got 'admin'). Fix: set "
        "FRONTDOOR_IDENTITY=preview for a read-only preview, or unset it to deploy"
    )


def test_the_preview_pair_keeps_the_accounts_and_takes_the_preview_name() -> None:
    assert provider_identity(DEPLOYER, "frontdoor-github-preview", "deployer", source="s.yaml") is DEPLOYER
    preview = provider_identity(DEPLOYER, "frontdoor-github-preview", "preview", source="s.yaml")
    assert (preview.management_role_arn, preview.identity_center_role_arn) == (
        "arn:aws:iam::111111111111:role/frontdoor-github-preview",
        "arn:aws:iam::222222222222:role/frontdoor-github-preview",
    )
    assert chain_policy(preview)["Statement"][0]["Resource"] == [
        "arn:aws:iam::111111111111:role/frontdoor-github-preview",
        "arn:aws:iam::222222222222:role/frontdoor-github-preview",
    ]


def test_preview_without_a_preview_role_is_bad_input() -> None:
    with pytest.raises(ConfigError) as raised:
        provider_identity(DEPLOYER, None, "preview", source="stacks/Pulumi.prod.yaml")
    assert str(raised.value).startswith(
        "stacks/Pulumi.prod.yaml: frontdoor:delivery: FRONTDOOR_IDENTITY=preview needs the read-only "
        "preview role"
    )


def test_only_a_dry_run_may_use_the_preview_identity() -> None:
    refuse_apply("preview", dry_run=True)
    refuse_apply("deployer", dry_run=False)
    with pytest.raises(ConfigError):
        refuse_apply("preview", dry_run=False)
