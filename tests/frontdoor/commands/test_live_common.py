"""The role the live commands read Identity Center through follows the provider identity."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from frontdoor.commands.live_common import add_aws_options, read_role_name
from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "stacks" / "Pulumi.demo.yaml"


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_aws_options(parser)
    return parser.parse_args(["--stack", "demo", *argv])


def test_read_role_follows_the_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_stack_config(read_stack_file(DEMO), str(DEMO))
    monkeypatch.delenv("FRONTDOOR_IDENTITY", raising=False)
    assert read_role_name(_args(), config) == "OrganizationAccountAccessRole"
    monkeypatch.setenv("FRONTDOOR_IDENTITY", "preview")
    # The preview role may assume only its namesake: the drift job reads through it.
    assert read_role_name(_args(), config) == "frontdoor-github-preview"
    assert read_role_name(_args("--role-name", "auditor"), config) == "auditor"
