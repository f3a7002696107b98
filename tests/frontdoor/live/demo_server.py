"""The demo estate on the local AWS API server, seeded once per test module (seeding takes seconds).

`seeded_demo(...)` resets the server, points boto3 at it with the management account's credentials
and seeds `stacks/estate.demo.yaml`'s organization, Identity Center and groups, and with `plan=True`
everything the demo stack's plan creates (permission sets, synced assignments, SCP attachments).
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from frontdoor.offline.estate import Estate, load_estate
from frontdoor.offline.preview import PreviewResult, resolve_inputs, run_preview
from frontdoor.offline.project import CHECKOUT as REPO_ROOT
from tests.frontdoor.live.seed import (
    REGION,
    Seeded,
    credentials_for,
    seed_config_recorders,
    seed_management_iam,
    seed_organization,
    seed_plan,
)

DEMO_ESTATE = REPO_ROOT / "stacks" / "estate.demo.yaml"
IDENTITY_CENTER_ACCOUNT = "100000000299"


@lru_cache(maxsize=1)
def demo_preview() -> PreviewResult:
    """The demo stack's offline run (no policy pack): the plan the seed creates and drift compares to."""
    return run_preview(resolve_inputs("demo"), evaluate_policies=False)


def demo_estate() -> Estate:
    return load_estate(DEMO_ESTATE)


@dataclass
class DemoServer:
    url: str
    seeded: Seeded
    estate: Estate


def reset(url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST")).read()


@contextmanager
def pointed_at(url: str) -> Iterator[pytest.MonkeyPatch]:
    """boto3 in this process talks to the server with dummy credentials (of the default account)."""
    with pytest.MonkeyPatch.context() as patch:
        for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
            patch.delenv(key, raising=False)
        patch.setenv("AWS_ENDPOINT_URL", url)
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_DEFAULT_REGION", REGION)
        patch.setenv("AWS_CONFIG_FILE", os.devnull)
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        yield patch


def as_account(patch: pytest.MonkeyPatch, account_id: str) -> None:
    """From here on, boto3's default credentials act in `account_id` (as a profile of it would)."""
    for key, value in credentials_for(account_id).items():
        patch.setenv(key, value)


@contextmanager
def seeded_demo(url: str, *, plan: bool, facts: bool = False) -> Iterator[DemoServer]:
    """The demo organization; with `facts`, every fact of the demo estate `estate pull` reads too (its
    trusted access, the management account's roles, OIDC provider and break-glass users, the Config
    recorders of every account)."""
    reset(url)
    with pointed_at(url) as patch:
        estate = demo_estate()
        trusted = tuple(estate.organization.aws_service_access_principals or ()) if facts else None
        seeded = seed_organization(
            estate,
            identity_center_account=IDENTITY_CENTER_ACCOUNT,
            **({"trusted": trusted} if trusted else {}),
        )
        if facts:
            seed_management_iam(seeded, estate)
            seed_config_recorders(estate)
        if plan:
            seed_plan(seeded, demo_preview())
        as_account(patch, estate.organization.management_account.id)
        yield DemoServer(url, seeded, estate)


def cwd_with_stacks(tmp: Path) -> Path:
    """A working directory whose stacks/ holds the demo stack config and HR export (estates land there)."""
    stacks = tmp / "stacks"
    stacks.mkdir(parents=True, exist_ok=True)
    (stacks / "Pulumi.demo.yaml").write_text((REPO_ROOT / "stacks" / "Pulumi.demo.yaml").read_text())
    # The stack's frontdoor:people export, which the config check reads (relative to the project).
    (stacks / "people.demo.csv").write_text((REPO_ROOT / "stacks" / "people.demo.csv").read_text())
    return tmp
