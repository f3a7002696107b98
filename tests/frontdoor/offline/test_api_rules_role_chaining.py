"""Engine rule role-chaining-ttl: Vault's assumed_role TTLs within STS's one-hour cap on role chaining."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from frontdoor.domain import contracts
from frontdoor.domain.resource_types import VAULT_AWS_SECRET_BACKEND
from frontdoor.offline.api_rules import Context, check
from frontdoor.offline.estate import Estate, load_estate
from frontdoor.offline.record import RecordedResource

DEMO = Path(__file__).resolve().parents[3] / "stacks" / "estate.demo.yaml"


@pytest.fixture(scope="module")
def estate() -> Estate:
    return load_estate(DEMO)


def _record(type_: str, name: str, inputs: dict[str, Any]) -> RecordedResource:
    return RecordedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:demo::frontdoor::{type_}::{name}",
        custom=True,
        parent_urn="",
        inputs=inputs,
    )


def _role(**ttls: int) -> RecordedResource:
    inputs: dict[str, Any] = {"backend": "aws", "name": "ci", "credentialType": "assumed_role", **ttls}
    return _record(contracts.VAULT_AWS_ROLE, "machines/ci", inputs)


def _context(estate: Estate, **backend: str) -> Context:
    context = Context(estate, {})
    check(_record(VAULT_AWS_SECRET_BACKEND, "machines/aws", {"path": "aws", **backend}), context)
    return context


def test_a_ttl_over_one_hour_on_a_keyless_mount_is_refused(estate: Estate) -> None:
    violations = check(_role(defaultStsTtl=900, maxStsTtl=7200), _context(estate))
    assert [v.render() for v in violations] == [
        "vault:aws/secretBackendRole:SecretBackendRole 'machines/ci': maxStsTtl: 7200 seconds, but Vault's "
        "AssumeRole is role chaining (its own credential is a role session), which STS caps at 3600 "
        "seconds: every credential request would fail; use at most 3600 [rule role-chaining-ttl; source: "
        "botocore sts AssumeRoleRequest.DurationSeconds: role chaining limits a session to one hour]"
    ]
    both = check(_role(defaultStsTtl=3601, maxStsTtl=43200), _context(estate))
    assert [(v.argument, v.rule) for v in both] == [
        ("defaultStsTtl", "role-chaining-ttl"),
        ("maxStsTtl", "role-chaining-ttl"),
    ]


def test_one_hour_passes_and_so_does_a_mount_with_an_iam_user_key(estate: Estate) -> None:
    assert check(_role(defaultStsTtl=900, maxStsTtl=3600), _context(estate)) == []
    # AssumeRole with an IAM user's key is not a chain: the role's own maximum applies, not this rule.
    assert check(_role(maxStsTtl=7200), _context(estate, accessKey="AKIAEXAMPLE")) == []
    # Other credential types do not call AssumeRole.
    federation = _record(
        contracts.VAULT_AWS_ROLE, "machines/f", {"credentialType": "federation_token", "maxStsTtl": 7200}
    )
    assert check(federation, _context(estate)) == []
